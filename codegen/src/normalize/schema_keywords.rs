//! A normalization pass (their order: `normalize/mod.rs`): schema keywords written in a form the typed model cannot hold.
//!
//! Public specs mix spellings: 3.1's numeric `exclusiveMinimum: 0` inside a
//! 3.0 document, bounds printed as doubles by tools that write 64-bit
//! limits (`maximum: 18446744073709552000` on an integer, beyond `i64`),
//! `minLength: 1.0`, or a custom `format` on an object (`format: uri-map`),
//! which typify `todo!()`s on. Each is rewritten to what it means, or left
//! out where it cannot be held, with a warning at the keyword:
//!
//! | written | becomes |
//! |---|---|
//! | `exclusiveMinimum: n` (a number) in 3.0 | `minimum: n`, `exclusiveMinimum: true` (the stricter bound kept; same for the maximum) |
//! | an integer bound (`minimum`, `maximum`, `multipleOf`) that is an integral double within `i64` | that integer |
//! | an integer bound beyond `i64` or not integral | left out: no `i64` value is beyond it |
//! | a count (`minLength`, `maxItems`, …) that is an integral double | that count; a negative or fractional one is left out |
//! | `format` on an `object`, `array` or `boolean` schema | left out: JSON Schema formats are annotations, and these types have none typify knows |
//! | a `type` OpenAPI 3.0 does not have (a typo, `null`, `file`) | `file` a binary string, any other left out (any JSON value): progenitor `todo!()`s on it ([`schema_types`]) |
//! | an `allOf` member that only annotates (`{description: …}` beside a `$ref`) | its annotations on the schema, the member gone: typify would merge it into a new type named like the property, which may be a component's name |
//!
//! Leaving a bound out only makes the client accept more, never reject a
//! message the server sends.

mod schema_types;

use serde_json::{Map, Number, Value};

use super::doc::Doc;
use crate::document::schemas::walk_all_schemas;

const COUNTS: [&str; 6] = [
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

pub(crate) fn run(doc: &mut Doc) {
    let mut findings: Vec<(String, String)> = Vec::new();
    walk_all_schemas(&mut doc.root, &mut |schema, ptr| {
        if let Value::Object(map) = schema {
            fix(map, ptr, &mut findings);
        }
    });
    for (ptr, message) in findings {
        doc.warn(&ptr, message, None);
    }
    schema_types::run(doc);
    super::integer_formats::run(doc);
}

/// Keywords that describe a value without constraining it.
const ANNOTATIONS: [&str; 8] = [
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

fn fix(map: &mut Map<String, Value>, ptr: &str, findings: &mut Vec<(String, String)>) {
    fold_annotation_members(map, ptr, findings);
    let mut warn = |key: &str, message: String| findings.push((format!("{ptr}/{key}"), message));
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(Value::Number(n)) = map.get(exclusive).cloned() else {
            continue;
        };
        let tighter = match map.get(bound).and_then(Value::as_f64) {
            None => true,
            Some(b) => {
                let n = n.as_f64().unwrap_or(0.0);
                if bound == "minimum" { n >= b } else { n <= b }
            }
        };
        if tighter {
            map.insert(bound.to_owned(), Value::Number(n.clone()));
            map.insert(exclusive.to_owned(), Value::Bool(true));
        } else {
            map.remove(exclusive);
        }
        warn(
            exclusive,
            format!(
                "`{exclusive}: {n}` is the OpenAPI 3.1 spelling; read as `{bound}: {n}` with `{exclusive}: true`"
            ),
        );
    }
    let kind = map.get("type").and_then(Value::as_str).map(str::to_owned);
    if kind.as_deref() == Some("integer") {
        for key in ["minimum", "maximum", "multipleOf"] {
            let Some(Value::Number(n)) = map.get(key) else {
                continue;
            };
            if n.is_i64() {
                continue;
            }
            let (n, shown) = (n.clone(), shown(n));
            match integral_i64(&n) {
                Some(i) => {
                    map.insert(key.to_owned(), Value::Number(Number::from(i)));
                    warn(key, format!("`{key}: {shown}` of an integer read as {i}"));
                }
                None => {
                    map.remove(key);
                    warn(
                        key,
                        format!(
                            "`{key}: {shown}` of an integer is beyond a 64-bit signed integer or not integral; it is left out"
                        ),
                    );
                }
            }
        }
    }
    for key in COUNTS {
        let Some(Value::Number(n)) = map.get(key) else {
            continue;
        };
        if n.is_u64() {
            continue;
        }
        let n = n.clone();
        match integral_i64(&n).and_then(|i| u64::try_from(i).ok()) {
            Some(count) => {
                map.insert(key.to_owned(), Value::Number(Number::from(count)));
                warn(key, format!("`{key}: {n}` read as {count}"));
            }
            None => {
                map.remove(key);
                warn(
                    key,
                    format!(
                        "`{key}: {n}` is not a count (a whole number, 0 or more); it is left out"
                    ),
                );
            }
        }
    }
    if matches!(kind.as_deref(), Some("object" | "array" | "boolean"))
        && let Some(format) = map.remove("format")
    {
        let kind = kind.unwrap_or_default();
        let format = format
            .as_str()
            .map_or_else(|| format.to_string(), str::to_owned);
        warn(
            "format",
            format!(
                "`format: {format}` on a schema of type `{kind}` is left out: formats describe strings and numbers"
            ),
        );
    }
}

/// `allOf: [{$ref: X}, {description: d}]` → `allOf: [{$ref: X}]`, `description: d`
/// (the schema's own annotations win).
fn fold_annotation_members(
    map: &mut Map<String, Value>,
    ptr: &str,
    findings: &mut Vec<(String, String)>,
) {
    let Some(Value::Array(members)) = map.get("allOf") else {
        return;
    };
    let annotates_only = |m: &Value| {
        m.as_object()
            .is_some_and(|o| !o.is_empty() && o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
    };
    if members.len() < 2 || !members.iter().any(|m| !annotates_only(m)) {
        return;
    }
    let folded: Vec<usize> = (0..members.len())
        .filter(|i| annotates_only(&members[*i]))
        .collect();
    if folded.is_empty() {
        return;
    }
    let Some(Value::Array(members)) = map.remove("allOf") else {
        return;
    };
    let mut kept = Vec::new();
    for (i, member) in members.into_iter().enumerate() {
        match member {
            Value::Object(annotations) if folded.contains(&i) => {
                for (k, v) in annotations {
                    map.entry(k).or_insert(v);
                }
            }
            other => kept.push(other),
        }
    }
    map.insert("allOf".to_owned(), Value::Array(kept));
    for i in folded {
        findings.push((
            format!("{ptr}/allOf/{i}"),
            "an `allOf` member with only annotations is folded into its schema".to_owned(),
        ));
    }
}

/// A number as the message shows it: whole doubles without an exponent.
fn shown(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 => format!("{f:.0}"),
        _ => n.to_string(),
    }
}

/// `n` as an `i64` when it is an integral value within range.
fn integral_i64(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    // `i64::MAX as f64` rounds up to 2^63, which is out of range.
    (f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixed(schema: Value) -> (Value, Vec<String>) {
        let mut doc = Doc::new(json!({"components": {"schemas": {"S": schema}}}));
        run(&mut doc);
        let messages = doc
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.pointer, f.message))
            .collect();
        (doc.root["components"]["schemas"]["S"].clone(), messages)
    }

    #[test]
    fn bounds_counts_and_formats() {
        let (v, m) = fixed(json!({
            "type": "integer",
            "minimum": -9223372036854775808.0,
            "maximum": 18446744073709552000.0,
            "multipleOf": 2.0,
        }));
        assert_eq!(
            v,
            json!({"type": "integer", "minimum": i64::MIN, "multipleOf": 2})
        );
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[1].starts_with("/components/schemas/S/maximum: `maximum: 18446744073709551616` of an integer is beyond"), "{m:?}");
        let (v, m) = fixed(
            json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
        );
        assert_eq!(
            v,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        assert_eq!(m.len(), 2);
        let (v, _) = fixed(json!({"type": "string", "minLength": 1.0, "maxLength": -1}));
        assert_eq!(v, json!({"type": "string", "minLength": 1}));
        let (v, m) = fixed(json!({"type": "object", "format": "uri-map"}));
        assert_eq!(v, json!({"type": "object"}));
        assert_eq!(
            m,
            [
                "/components/schemas/S/format: `format: uri-map` on a schema of type `object` is left out: formats describe strings and numbers"
            ]
        );
        let (v, m) = fixed(json!({"type": "string", "format": "phone", "minimum": 1.5}));
        assert_eq!(
            v,
            json!({"type": "string", "format": "phone", "minimum": 1.5}),
            "string formats and bounds of other types stay"
        );
        assert!(m.is_empty());
        let (v, m) = fixed(
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/X"}, {"description": "d"}]}),
        );
        assert_eq!(
            v,
            json!({"nullable": true, "description": "d", "allOf": [{"$ref": "#/components/schemas/X"}]})
        );
        assert_eq!(
            m,
            [
                "/components/schemas/S/allOf/1: an `allOf` member with only annotations is folded into its schema"
            ]
        );
        let (v, _) = fixed(json!({"allOf": [{"description": "a"}, {"description": "b"}]}));
        assert_eq!(
            v["allOf"].as_array().unwrap().len(),
            2,
            "nothing but annotations: left alone"
        );
    }
}
