//! `$ref` resolution inside one document.

use std::collections::HashMap;

use serde_json::Value;

use super::pointer::{Lookup, escape_token, percent_decode};

/// The node `value` stands for: `value` itself, or the end of its chain of
/// references. Returns the target and the pointer of the last reference
/// target when `value` was a reference; `None` for a reference that does
/// not resolve, or a chain that does not end.
pub(crate) fn resolve<'a>(
    root: &'a Value,
    value: &'a Value,
) -> Option<(&'a Value, Option<String>)> {
    let mut node = value;
    let mut at = None;
    for _ in 0..32 {
        match node.get("$ref") {
            Some(Value::String(target)) => {
                let fragment = target.strip_prefix('#')?;
                let fragment = percent_decode(fragment);
                node = root.at(&fragment)?;
                at = Some(fragment);
            }
            _ => return Some((node, at)),
        }
    }
    None
}

/// Keys whose values are data (examples, defaults, extensions), not
/// OpenAPI objects: a `$ref` in them is not a reference.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Every `$ref` of the document: `(pointer of the object holding it, target as written)`,
/// in document order.
pub(crate) fn references(root: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect_refs_in(root, &mut String::new(), &mut out, false, "");
    out
}

/// `names`: the keys of `value` are names (see [`NAMES`]), so a key
/// `$ref` is one more name, and `example` or `default` a property.
fn collect_refs_in(
    value: &Value,
    at: &mut String,
    out: &mut Vec<(String, String)>,
    names: bool,
    parent: &str,
) {
    match value {
        Value::Object(map) => {
            if !names && let Some(Value::String(target)) = map.get("$ref") {
                out.push((at.clone(), target.clone()));
            }
            for (k, v) in map {
                // `default` of `responses` is a response, no data.
                if !names && is_data_key(k) && !(k == "default" && parent == "responses") {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(k));
                collect_refs_in(v, at, out, !names && holds_names(k), k);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                collect_refs_in(v, at, out, false, "");
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Every `$ref` whose target (percent-decoded) is a key of `targets`, rewritten.
pub(crate) fn retarget(value: &mut Value, targets: &HashMap<String, String>) {
    retarget_in(value, targets, false);
}

/// Keywords whose values are data, not schemas: an example may hold a
/// `$ref` key. Unlike [`is_data_key`], extensions are walked: the
/// `x-codegen-*` ones normalization writes hold schemas whose references
/// must follow a renamed target.
const DATA: [&str; 4] = ["example", "examples", "default", "enum"];

/// Keywords whose values are maps of names, not objects of OpenAPI or
/// JSON Schema: a key there is a name like any other, so a property, a
/// scope or a mapping value called `$ref` is no reference, and a property
/// called `default` is a schema, not a default. The one list both walks
/// of references ([`references`], [`retarget`]) read.
const NAMES: [&str; 7] = [
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    // OAuth flows: scope name → description.
    "scopes",
    // A discriminator's value → schema reference (a string, not a `$ref`).
    "mapping",
];

fn holds_names(key: &str) -> bool {
    NAMES.contains(&key)
}

fn retarget_in(value: &mut Value, targets: &HashMap<String, String>, names: bool) {
    match value {
        Value::Object(map) => {
            if !names
                && let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(new) = targets.get(&percent_decode(r))
            {
                *r = new.clone();
            }
            for (key, child) in map.iter_mut() {
                if names || !DATA.contains(&key.as_str()) {
                    retarget_in(child, targets, !names && holds_names(key));
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| retarget_in(v, targets, false)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_chains_and_rejects_cycles() {
        let root = serde_json::json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "C": {"$ref": "#/components/schemas/D"},
                "D": {"$ref": "#/components/schemas/C"},
            }}
        });
        let a = serde_json::json!({"$ref": "#/components/schemas/A"});
        let (node, at) = resolve(&root, &a).unwrap();
        assert_eq!(node["type"], "string");
        assert_eq!(at.as_deref(), Some("/components/schemas/B"));
        let c = serde_json::json!({"$ref": "#/components/schemas/C"});
        assert!(resolve(&root, &c).is_none());
    }

    /// A property named like a data keyword (`default`) is a schema whose
    /// `$ref` follows a rename; a `default` value's `$ref` key stays.
    #[test]
    fn retarget_reads_property_names_as_names() {
        let mut doc = serde_json::json!({
            "properties": {"default": {"$ref": "#/components/schemas/A"}, "enum": {"items": {"$ref": "#/components/schemas/A"}}},
            "default": {"$ref": "#/components/schemas/A"},
        });
        let targets = HashMap::from([(
            "#/components/schemas/A".to_owned(),
            "#/components/schemas/B".to_owned(),
        )]);
        super::retarget(&mut doc, &targets);
        assert_eq!(
            doc["properties"]["default"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            doc["properties"]["enum"]["items"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(doc["default"]["$ref"], "#/components/schemas/A");
    }

    /// In a map of names (OAuth scopes, a discriminator's mapping,
    /// properties) a key `$ref` is a name: neither walk reads it as a
    /// reference, while the schemas the names hold are still walked.
    #[test]
    fn a_name_spelled_ref_is_no_reference() {
        let mut doc = serde_json::json!({
            "components": {
                "securitySchemes": {"o": {"type": "oauth2", "flows": {"implicit": {
                    "authorizationUrl": "https://example.com", "scopes": {"$ref": "a scope"},
                }}}},
                "schemas": {"U": {
                    "oneOf": [{"$ref": "#/components/schemas/A"}],
                    "discriminator": {"propertyName": "k", "mapping": {"$ref": "#/components/schemas/A"}},
                    "properties": {"$ref": {"$ref": "#/components/schemas/A"}},
                }},
            }
        });
        let found = references(&doc);
        assert_eq!(
            found,
            vec![
                (
                    "/components/schemas/U/oneOf/0".to_owned(),
                    "#/components/schemas/A".to_owned()
                ),
                (
                    "/components/schemas/U/properties/$ref".to_owned(),
                    "#/components/schemas/A".to_owned()
                ),
            ]
        );
        let targets = HashMap::from([
            (
                "#/components/schemas/A".to_owned(),
                "#/components/schemas/B".to_owned(),
            ),
            ("a scope".to_owned(), "changed".to_owned()),
        ]);
        super::retarget(&mut doc, &targets);
        let u = &doc["components"]["schemas"]["U"];
        assert_eq!(
            u["discriminator"]["mapping"]["$ref"],
            "#/components/schemas/A"
        );
        assert_eq!(u["properties"]["$ref"]["$ref"], "#/components/schemas/B");
        assert_eq!(
            doc.pointer("/components/securitySchemes/o/flows/implicit/scopes/$ref"),
            Some(&serde_json::json!("a scope"))
        );
    }
}
