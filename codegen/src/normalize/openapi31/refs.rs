//! `$ref`s as 3.1 writes them: with siblings, and the recursive
//! `$recursiveRef`/`$dynamicRef`, which 3.0 spells as a plain `$ref`.

use serde_json::{Map, Value, json};

use super::Findings;
use crate::document::pointer::escape_token;

/// Annotations that may sit beside a `$ref` in 3.1 and mean nothing to
/// the generated code.
const ANNOTATIONS: [&str; 10] = [
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "externalDocs",
];

/// `$recursiveRef` and `$dynamicRef` read as a `$ref` (each a warning).
pub(super) fn recursive_refs(map: &mut Map<String, Value>, ptr: &str, findings: &mut Findings) {
    let mut warn = |key: &str, message: &str| {
        findings.push((
            false,
            format!("{ptr}/{}", escape_token(key)),
            message.to_owned(),
        ));
    };
    // `$recursiveRef: "#"` and `$dynamicRef` to the resource's own anchor name
    // the schema they sit in: in a component, that component.
    let component = component_of(ptr);
    for key in ["$recursiveRef", "$dynamicRef"] {
        if map.remove(key).is_none() {
            continue;
        }
        match &component {
            Some(target) if !map.contains_key("$ref") => {
                map.insert("$ref".to_owned(), Value::String(target.clone()));
                warn(
                    key,
                    &format!(
                        "`{key}` has no OpenAPI 3.0 spelling; read as `$ref: '{target}'`, the component it sits in"
                    ),
                );
            }
            _ => warn(
                key,
                &format!(
                    "`{key}` has no OpenAPI 3.0 spelling outside a component schema; generated as any JSON value"
                ),
            ),
        }
    }
}

/// `#/components/schemas/<name>` when `ptr` is inside that component.
fn component_of(ptr: &str) -> Option<String> {
    let rest = ptr.strip_prefix("/components/schemas/")?;
    let name = rest.split('/').next()?;
    Some(format!("#/components/schemas/{name}"))
}

/// `{$ref, description}` → `{$ref}`; `{$ref, nullable, …}` → `{allOf: [{$ref}], nullable, …}`.
pub(super) fn lower_ref_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    if map
        .keys()
        .all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str()))
    {
        map.retain(|k, _| k == "$ref");
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let wrapped = json!({ "$ref": reference });
    match map.get_mut("allOf") {
        Some(Value::Array(all)) => all.insert(0, wrapped),
        _ => {
            map.insert("allOf".to_owned(), Value::Array(vec![wrapped]));
        }
    }
}
