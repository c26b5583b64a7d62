//! Running progenitor: settings, and a panic inside it turned into an
//! error that names the operation (or schema) it was generating.

use openapiv3::OpenAPI;
use quote::quote;

use crate::document::extensions::FILE_FORMAT;
use crate::error::Error;
use crate::guard;
use crate::load::Spec;

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

/// Runs progenitor; a panic inside it becomes an error naming the
/// operation (or the schemas) it was generating.
pub(super) fn client(
    spec: &Spec,
    api: &OpenAPI,
    runtime: &syn::Path,
) -> Result<proc_macro2::TokenStream, Error> {
    let settings = progenitor_settings(runtime);
    let attempt =
        |api: &OpenAPI| guard::catch(|| progenitor::Generator::new(&settings).generate_tokens(api));
    match attempt(api) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(Error::spec(spec.diagnostic(
            crate::Severity::Error,
            "",
            format!("progenitor cannot generate a client for this spec: {e}"),
        ))),
        Err(panic) => {
            let culprit = find_culprit(api, attempt);
            Err(Error::spec(
                spec.diagnostic(
                    crate::Severity::Error,
                    &culprit.0,
                    format!("progenitor failed on {}: {panic}", culprit.1),
                )
                .with_help("this construct is not supported yet; simplify it or report it"),
            ))
        }
    }
}

/// The component schema whose generation fails: each is tried with only
/// the schemas it refers to (transitively), in spec order.
fn schema_culprit<T, E>(
    schemas_only: &OpenAPI,
    attempt: &impl Fn(&OpenAPI) -> Result<Result<T, E>, String>,
) -> Option<(String, String)> {
    let all = &schemas_only.components.as_ref()?.schemas;
    for name in all.keys() {
        let mut needed = indexmap::IndexMap::new();
        let mut queue = vec![name.clone()];
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
        let mut one = schemas_only.clone();
        if let Some(c) = one.components.as_mut() {
            c.schemas = needed;
        }
        if attempt(&one).is_err() {
            return Some((
                crate::document::pointer::pointer(["components", "schemas", name.as_str()]),
                format!("schema `{name}`"),
            ));
        }
    }
    None
}

/// Re-runs the generator on one operation at a time to find the one that
/// fails. Returns its pointer and a description.
fn find_culprit<T, E>(
    api: &OpenAPI,
    attempt: impl Fn(&OpenAPI) -> Result<Result<T, E>, String>,
) -> (String, String) {
    let mut schemas_only = api.clone();
    schemas_only.paths.paths.clear();
    if attempt(&schemas_only).is_err() {
        return schema_culprit(&schemas_only, &attempt).unwrap_or_else(|| {
            (
                "/components/schemas".to_owned(),
                "the component schemas".to_owned(),
            )
        });
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
            if attempt(&one).is_err() {
                let id = op.operation_id.as_deref().unwrap_or("?");
                return (
                    crate::document::pointer::pointer(["paths", path.as_str(), method]),
                    format!("operation `{id}` ({} {path})", method.to_uppercase()),
                );
            }
        }
    }
    (String::new(), "the spec".to_owned())
}

/// progenitor's typed httpmock extensions for the client whose `types`
/// module is reachable at `client_path` (already checked to be a path).
pub(super) fn httpmock(
    api: &OpenAPI,
    client_path: &str,
) -> Result<proc_macro2::TokenStream, String> {
    let settings = progenitor::GenerationSettings::new();
    guard::catch(|| progenitor::Generator::new(&settings).httpmock(api, client_path))
        .map_err(|panic| format!("progenitor failed generating httpmock extensions: {panic}"))?
        .map_err(|e| format!("progenitor cannot generate httpmock extensions: {e}"))
}
