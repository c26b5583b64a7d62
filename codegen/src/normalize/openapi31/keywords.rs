//! Keywords with a 3.0 spelling (`const`, `examples`, numeric exclusive
//! bounds, `contentEncoding`/`contentMediaType`), and those 3.0 has none
//! for that do not change the generated types (dropped).

use serde_json::{Map, Value, json};

use super::Findings;

const DROPPED: [&str; 8] = [
    "$defs",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// `contentEncoding: base64` / `contentMediaType: application/octet-stream`
/// as the `format` 3.0 gives them, unless a `format` is there.
pub(super) fn content_keywords(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
        map.insert("format".to_owned(), json!("byte"));
    } else if media.as_ref().and_then(Value::as_str) == Some("application/octet-stream") {
        map.insert("format".to_owned(), json!("binary"));
    }
}

/// Keywords without meaning for the generated code removed: identifiers
/// silently, [`DROPPED`] with a warning each.
pub(super) fn drop_keywords(map: &mut Map<String, Value>, ptr: &str, findings: &mut Findings) {
    for key in ["$schema", "$id", "$anchor", "$dynamicAnchor", "$comment"] {
        map.remove(key);
    }
    for key in DROPPED {
        if map.remove(key).is_some() {
            findings.push((
                false,
                format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1")),
                format!("`{key}` is ignored: OpenAPI 3.0 has no equivalent and it does not change the generated types"),
            ));
        }
    }
}

/// `const`, `examples` and numeric exclusive bounds in their 3.0 spelling.
pub(super) fn spell_keywords(map: &mut Map<String, Value>) {
    if let Some(c) = map.remove("const") {
        map.entry("enum").or_insert_with(|| Value::Array(vec![c]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples")
        && !map.contains_key("example")
        && !examples.is_empty()
    {
        map.insert("example".to_owned(), examples.swap_remove(0));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            let tighter = match map.get(bound).and_then(Value::as_f64) {
                None => true,
                Some(b) => {
                    let n = n.as_f64().unwrap_or(0.0);
                    if bound == "minimum" { n >= b } else { n <= b }
                }
            };
            if tighter {
                map.insert(bound.to_owned(), Value::Number(n));
                map.insert(exclusive.to_owned(), Value::Bool(true));
            } else {
                map.remove(exclusive);
            }
        }
    }
}
