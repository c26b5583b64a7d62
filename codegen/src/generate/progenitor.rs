//! Running progenitor: settings, and a panic inside it turned into an
//! error that names the operation (or schema) it was generating.

use std::collections::HashSet;

use openapiv3::OpenAPI;
use quote::quote;

use super::Failed;
use crate::document::extensions::FILE_FORMAT;
use crate::error::Error;
use crate::guard;
use crate::load::Spec;
use crate::quarantine::Culprit;

fn progenitor_settings(runtime: &syn::Path) -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Positional)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(quote!(#runtime::ClientState));
    // A multipart body's binary field (normalization marks it): a file
    // part. The schema is written as JSON so as not to name schemars.
    let file = serde_json::json!({"type": "string", "format": FILE_FORMAT});
    if let Ok(schema) = serde_json::from_value(file) {
        let path = quote!(#runtime::FilePart).to_string().replace(' ', "");
        settings.with_conversion(schema, path, std::iter::empty());
    }
    settings
}

/// Runs progenitor. A panic or an error inside it is pinned on the
/// operation or component schema it fails on, for quarantine; when it
/// cannot be pinned, it is the error.
pub(super) fn client(
    api: &OpenAPI,
    runtime: &syn::Path,
) -> Result<proc_macro2::TokenStream, Failed> {
    let settings = progenitor_settings(runtime);
    let attempt =
        |api: &OpenAPI| guard::catch(|| progenitor::Generator::new(&settings).generate_tokens(api));
    let why = match attempt(api) {
        Ok(Ok(tokens)) => return Ok(tokens),
        Ok(Err(e)) => e.to_string(),
        Err(panic) => panic,
    };
    match find_culprit(api, attempt) {
        Some((culprit, _)) => Err(Failed::On(culprit, why)),
        None => Err(Failed::On(Culprit::Document, why)),
    }
}

fn fails<T, E>(result: Result<Result<T, E>, String>) -> bool {
    !matches!(result, Ok(Ok(_)))
}

/// The component schema whose generation fails: each is tried with only
/// the schemas it refers to (transitively), in spec order; a failing one is
/// blamed only when none of the schemas it refers to fails alone, so that
/// quarantine degrades the schema that breaks, not its users.
fn schema_culprit<T, E>(
    schemas_only: &OpenAPI,
    attempt: &impl Fn(&OpenAPI) -> Result<Result<T, E>, String>,
) -> Option<(Culprit, String)> {
    let all = &schemas_only.components.as_ref()?.schemas;
    let needed = |name: &str| {
        let mut needed = indexmap::IndexMap::new();
        let mut queue = vec![name.to_owned()];
        while let Some(n) = queue.pop() {
            let Some(schema) = all.get(&n) else { continue };
            if needed.contains_key(&n) {
                continue;
            }
            let text = serde_json::to_string(schema).unwrap_or_default();
            for part in text.split("\"#/components/schemas/").skip(1) {
                if let Some(end) = part.find('"') {
                    queue.push(part[..end].replace("~1", "/").replace("~0", "~"));
                }
            }
            needed.insert(n, schema.clone());
        }
        needed
    };
    let fails_alone = |needed: indexmap::IndexMap<_, _>| {
        let mut one = schemas_only.clone();
        if let Some(c) = one.components.as_mut() {
            c.schemas = needed;
        }
        fails(attempt(&one))
    };
    let mut blamed = all.keys().find(|name| fails_alone(needed(name)))?.clone();
    let mut tried = std::collections::HashSet::from([blamed.clone()]);
    'narrow: loop {
        for dependency in needed(&blamed).keys() {
            if tried.insert(dependency.clone()) && fails_alone(needed(dependency)) {
                blamed = dependency.clone();
                continue 'narrow;
            }
        }
        break;
    }
    Some((
        Culprit::Schema(blamed.clone()),
        format!("schema `{blamed}`"),
    ))
}

/// Re-runs the generator on the component schemas, then on one operation
/// at a time, to find what fails: the culprit and a description.
fn find_culprit<T, E>(
    api: &OpenAPI,
    attempt: impl Fn(&OpenAPI) -> Result<Result<T, E>, String>,
) -> Option<(Culprit, String)> {
    let mut schemas_only = api.clone();
    schemas_only.paths.paths.clear();
    if fails(attempt(&schemas_only)) {
        return schema_culprit(&schemas_only, &attempt);
    }
    for (path, item) in &api.paths.paths {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in crate::document::operations::typed_operations(item) {
            let mut one = schemas_only.clone();
            let mut only = openapiv3::PathItem {
                parameters: item.parameters.clone(),
                ..Default::default()
            };
            let slot = match method {
                "get" => &mut only.get,
                "put" => &mut only.put,
                "post" => &mut only.post,
                "delete" => &mut only.delete,
                "options" => &mut only.options,
                "head" => &mut only.head,
                "patch" => &mut only.patch,
                _ => &mut only.trace,
            };
            *slot = Some(op.clone());
            one.paths
                .paths
                .insert(path.clone(), openapiv3::ReferenceOr::Item(only));
            if fails(attempt(&one)) {
                let id = op.operation_id.as_deref().unwrap_or("?");
                return Some((
                    Culprit::Operation {
                        path: path.clone(),
                        method: method.to_owned(),
                    },
                    format!("operation `{id}` ({} {path})", method.to_uppercase()),
                ));
            }
        }
    }
    None
}

/// progenitor's typed httpmock extensions for the client whose `types`
/// module is reachable at `client_path` (already checked to be a path),
/// and the names of the types typify made for them (those of the client's
/// `types`).
pub(super) fn httpmock(
    spec: &Spec,
    api: &OpenAPI,
    client_path: &str,
) -> Result<(proc_macro2::TokenStream, HashSet<String>), Failed> {
    let settings = progenitor::GenerationSettings::new();
    let attempt = |api: &OpenAPI| {
        guard::catch(|| {
            let mut generator = progenitor::Generator::new(&settings);
            let tokens = generator.httpmock(api, client_path)?;
            let names = generator
                .get_type_space()
                .iter_types()
                .map(|t| t.name())
                .collect::<HashSet<String>>();
            Ok::<_, progenitor::Error>((tokens, names))
        })
    };
    let why = match attempt(api) {
        Ok(Ok(generated)) => return Ok(generated),
        Ok(Err(e)) => e.to_string(),
        Err(panic) => panic,
    };
    // The client generated, so the mock's failure is an operation's own
    // (e.g. a status code with no reason phrase to name its method).
    match find_culprit(api, attempt) {
        Some((Culprit::Operation { path, method }, _)) => {
            Err(Failed::On(Culprit::Mock { path, method }, why))
        }
        _ => Err(Failed::Error(Error::Internal {
            file: spec.name().to_owned(),
            message: format!("progenitor failed generating httpmock extensions: {why}"),
        })),
    }
}
