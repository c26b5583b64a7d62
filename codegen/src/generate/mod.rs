//! Stage 3, generate: typed spec → one syntax tree.
//!
//! progenitor writes the types and one positional method per operation;
//! [`rewrite`] and [`builders`] turn those into lean builders whose
//! `send()` goes through the hand-written runtime of the target crate;
//! [`models`] gives request types setters; [`operations`] adds what must
//! come from the spec and progenitor does not emit (the spec digest, the
//! operation table with key kinds).

mod builders;
mod content_type;
mod dedup;
mod docs;
mod enums;
mod extra_fields;
mod former_names;
mod models;
mod operations;
mod patch;
mod paths;
mod rewrite;
mod syntax;

use openapiv3::OpenAPI;
use quote::quote;

use crate::error::Error;
use crate::load::Spec;
use crate::{Settings, guard};

pub(crate) use enums::{OPEN_ENUM_EXTENSION, OPEN_ENUMS_EXTENSION};
pub(crate) use operations::OperationTable;

/// Generates the client for a validated spec.
pub(crate) fn generate(
    spec: &Spec,
    api: &OpenAPI,
    settings: &Settings,
) -> Result<syn::File, Error> {
    let runtime: syn::Path = syn::parse_str(&settings.runtime).map_err(|e| Error::Internal {
        file: spec.name().to_owned(),
        message: format!(
            "runtime path `{}` is not a Rust path: {e}",
            settings.runtime
        ),
    })?;
    let table = OperationTable::new(api);
    // progenitor sees a copy whose unnameable enum values are replaced.
    let mut input = api.clone();
    let mut enum_plan = enums::plan(&mut input);
    let document_all = docs::wanted(api);
    enum_plan.document = document_all;
    let tokens = run_progenitor(spec, &input, &runtime)?;
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: spec.name().to_owned(),
        message: format!("progenitor produced code that does not parse: {e}"),
    })?;
    extra_fields::keep_unknown_fields(&mut file);
    rewrite::route_through_runtime(&mut file, &runtime, &table).map_err(|message| {
        Error::Internal {
            file: spec.name().to_owned(),
            message,
        }
    })?;
    enums::rewrite(&mut file, &enum_plan);
    patch::rewrite(&mut file, &patch::plan(api));
    dedup::merge_duplicates(&mut file, api);
    content_type::rewrite(&mut file, &content_type::plan(api));
    models::add_setters(&mut file, document_all);
    models::drop_duplicate_conversions(&mut file);
    former_names::add_aliases(&mut file, api);
    paths::shorten(&mut file);
    if document_all {
        docs::document_types(&mut file);
    }
    let extra: syn::File =
        syn::parse2(table.items(spec, api, &runtime)).map_err(|e| Error::Internal {
            file: spec.name().to_owned(),
            message: format!("operation table does not parse: {e}"),
        })?;
    file.items.extend(extra.items);
    Ok(file)
}

/// Generates progenitor's typed httpmock extensions for the client whose
/// `types` module is reachable at `client_path`.
pub(crate) fn httpmock(spec: &Spec, api: &OpenAPI, client_path: &str) -> Result<syn::File, Error> {
    let internal = |message: String| Error::Internal {
        file: spec.name().to_owned(),
        message,
    };
    // progenitor panics on a bad path; check it first.
    syn::parse_str::<syn::Path>(client_path).map_err(|e| {
        internal(format!(
            "client path `{client_path}` is not a Rust path: {e}"
        ))
    })?;
    let settings = progenitor::GenerationSettings::new();
    // The same input as the client's (see `generate`).
    let mut api = api.clone();
    enums::plan(&mut api);
    let api = &api;
    let tokens = guard::catch(|| progenitor::Generator::new(&settings).httpmock(api, client_path))
        .map_err(|panic| {
            internal(format!(
                "progenitor failed generating httpmock extensions: {panic}"
            ))
        })?
        .map_err(|e| {
            internal(format!(
                "progenitor cannot generate httpmock extensions: {e}"
            ))
        })?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| internal(format!("httpmock extensions do not parse: {e}")))?;
    if docs::wanted(api) {
        docs::document_httpmock(&mut file);
    }
    Ok(file)
}

fn progenitor_settings(runtime: &syn::Path) -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Positional)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(quote!(#runtime::ClientState));
    settings
}

/// Runs progenitor; a panic inside it becomes an error naming the
/// operation (or the schemas) it was generating.
fn run_progenitor(
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
