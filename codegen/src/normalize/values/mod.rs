//! A normalization pass (their order: `normalize/mod.rs`): `default`s and `enum` values that contradict the schema's `type`.
//!
//! typify renders a `default` as a value of the type it generates and an
//! `enum` as variants of that type. A value of another JSON type
//! (`type: string` with `default: 5`, `type: integer` with `enum: [1, x]`)
//! makes it fail with a dump of its internals (`value does not conform to
//! the given schema`, `The default value could not be rendered for this
//! type`), with no place in the spec.
//!
//! Such a value is left out, with a warning at it, rather than rejected:
//! the schema's `type` is the contract (it is what the server sends and
//! accepts), and a value that contradicts it can never be on the wire, so
//! dropping it loses nothing a client could see — it only gives up a
//! default for an absent field, or a variant no message can carry. This is
//! what the other passes do with what progenitor cannot digest
//! (`encoding`, optional cookies): keep generating, say where, and let
//! `--deny-warnings` make it an error. Public specs write `default: "10"`
//! for integers often enough that rejecting them would cost whole clients.
//! An `enum` value that can be written as the schema's type without loss
//! is rewritten (`type: string` with `enum: [4.1, 4]` → `"4.1"`, `"4"`;
//! `type: integer` with `"1"` → `1`), with a warning. An `enum` none of
//! whose values fits even so is left out as a whole: what is left would
//! allow nothing, and the `type` is the contract.
//!
//! An `enum` value outside the schema's numeric bounds (its own, or
//! another `allOf` member's) is left out likewise ([`bounds`]).
//!
//! Checked: the JSON type (an `integer` must be integral). A `default` is
//! judged by [`defaults`]: a value of its schema (membership in its
//! `enum`, the shape of a plain `format` (`uri`, `uuid`, `email`, `date`,
//! `date-time`), items and properties through `$ref`s and compositions)
//! that typify can also write as a Rust value; a top-level `null` is left
//! alone (typify takes it as no value).

mod bounds;
mod defaults;

use serde_json::Value;

use super::doc::Doc;
use crate::document::schemas::visit_all_schemas;

/// What to change at one schema.
struct Change {
    ptr: String,
    /// Indexes of the `enum` values to drop (ascending).
    drop_values: Vec<usize>,
    /// `enum` values rewritten as the schema's type: (index, new value).
    coerced: Vec<(usize, Value)>,
    /// The whole `enum` goes: none of its values is of the schema's type.
    drop_enum: bool,
    /// A warning or error: (severity is error, pointer, message, help).
    findings: Vec<(bool, String, String, &'static str)>,
}

pub(crate) fn run(doc: &mut Doc) {
    enums(doc);
    bounds::run(doc);
    defaults::run(doc);
}

/// The `enum` values of another type than the schema's, coerced or left
/// out (before the defaults are judged against what is left).
fn enums(doc: &mut Doc) {
    let mut changes = Vec::new();
    let root = &doc.root;
    visit_all_schemas(root, &mut |schema, ptr| {
        if let Some(change) = check(schema, ptr) {
            changes.push(change);
        }
    });
    for change in changes {
        if let Some(Value::Object(schema)) = doc.root.pointer_mut(&change.ptr) {
            if change.drop_enum {
                schema.remove("enum");
            }
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                for (i, value) in &change.coerced {
                    if let Some(slot) = values.get_mut(*i) {
                        *slot = value.clone();
                    }
                }
                for i in change.drop_values.iter().rev() {
                    if *i < values.len() {
                        values.remove(*i);
                    }
                }
            }
        }
        for (error, ptr, message, help) in change.findings {
            if error {
                doc.error(&ptr, message, Some(help));
            } else {
                doc.warn(&ptr, message, Some(help));
            }
        }
    }
}

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// The schema's `type`, when it is one of OpenAPI 3.0's (validation
/// reports the others).
fn type_of(schema: &Value) -> Option<&'static str> {
    let t = schema.get("type")?.as_str()?;
    TYPES.iter().copied().find(|known| *known == t)
}

fn fits(t: &str, value: &Value) -> bool {
    match t {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        _ => value.is_object(),
    }
}

/// `a string`, `an integer`, …
fn article(t: &str) -> String {
    match t {
        "integer" | "array" | "object" => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

/// A value as the message shows it: JSON, cut short.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(37).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn check(schema: &Value, ptr: &str) -> Option<Change> {
    let t = type_of(schema)?;
    let mut change = Change {
        ptr: ptr.to_owned(),
        drop_values: Vec::new(),
        coerced: Vec::new(),
        drop_enum: false,
        findings: Vec::new(),
    };
    if let Some(Value::Array(values)) = schema.get("enum") {
        for (i, v) in values.iter().enumerate() {
            if v.is_null() || fits(t, v) {
                continue;
            }
            if let Some(as_type) = coerce(t, v) {
                change.findings.push((
                    false,
                    format!("{ptr}/enum/{i}"),
                    format!(
                        "`enum` value {} is not {} (`type: {t}`); read as {}",
                        shown(v),
                        article(t),
                        shown(&as_type)
                    ),
                    "write the value as the schema's type (quote it for a string)",
                ));
                change.coerced.push((i, as_type));
            }
        }
        let wrong: Vec<usize> = values
            .iter()
            .enumerate()
            .filter(|(i, v)| {
                !v.is_null() && !fits(t, v) && !change.coerced.iter().any(|(c, _)| c == i)
            })
            .map(|(i, _)| i)
            .collect();
        let typed = values.iter().filter(|v| !v.is_null()).count();
        if !wrong.is_empty() && wrong.len() == typed {
            // Nothing would be left to allow: the type is the contract,
            // and its values are not narrowed.
            change.findings.push((
                false,
                format!("{ptr}/enum"),
                format!(
                    "no value of `enum` is {} (`type: {t}`); the `enum` is left out and any {t} is accepted",
                    article(t)
                ),
                "write the values as the schema's type (quote them for a string), or fix `type`",
            ));
            change.drop_enum = true;
            change.coerced.clear();
        } else {
            for i in &wrong {
                change.findings.push((
                    false,
                    format!("{ptr}/enum/{i}"),
                    format!(
                        "`enum` value {} is not {} (`type: {t}`); it is left out",
                        shown(&values[*i]),
                        article(t)
                    ),
                    "a value of another type never matches the schema; write it as the schema's type (quote it for a string)",
                ));
            }
            change.drop_values = wrong;
        }
    }
    (!change.findings.is_empty()).then_some(change)
}

/// `value` written as a value of type `t` without losing anything: a
/// number or boolean as its JSON text for a string, a numeric string for a
/// number, an integral one for an integer, `"true"`/`"false"` for a boolean.
fn coerce(t: &str, value: &Value) -> Option<Value> {
    match (t, value) {
        ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(Value::from),
        ("integer", Value::Number(n)) => {
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f.abs() < 9.0e15).then(|| Value::from(f as i64))
        }
        ("number", Value::String(s)) => {
            let f: f64 = s.trim().parse().ok()?;
            serde_json::Number::from_f64(f).map(Value::Number)
        }
        ("boolean", Value::String(s)) => match s.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `text` has the shape of the `format` (the formats whose shape
/// is plain; others are taken as satisfied). A default that breaks its
/// format (GitHub's `default: ""` on `format: uri`) would be sent, and
/// encoded back, for every absent field.
fn satisfies_format(format: &str, text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date = |s: &str| {
        let parts: Vec<&str> = s.split('-').collect();
        parts.len() == 3
            && parts
                .iter()
                .zip([4, 2, 2])
                .all(|(p, n)| p.len() == n && digits(p))
    };
    match format {
        "uri" | "url" => text.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }),
        "uuid" => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.len() == 5
                && groups
                    .iter()
                    .zip([8, 4, 4, 4, 12])
                    .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "email" => text
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty()),
        "date" => date(text),
        "date-time" => text
            .split_once(['T', 't'])
            .is_some_and(|(day, time)| date(day) && time.len() >= 8),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_on(schemas: Value) -> Doc {
        let mut doc = Doc::new(json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": schemas},
        }));
        run(&mut doc);
        doc
    }

    #[test]
    fn drops_what_contradicts_the_type() {
        let doc = run_on(json!({
            "S": {"type": "string", "default": 5},
            "I": {"type": "integer", "enum": [1, "x", 2.5, null, 3], "default": "3"},
            "N": {"type": "number", "default": 1},
            "E": {"type": "string", "enum": ["a", "b"], "default": "c"},
            "A": {"type": "array", "items": {"$ref": "#/components/schemas/S"}, "default": ["x", 1]},
            "Fine": {"type": "object", "properties": {"a": {"type": "string"}}, "default": {"a": "x", "b": 1}},
        }));
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(schemas["S"], json!({"type": "string"}));
        assert_eq!(
            schemas["I"],
            json!({"type": "integer", "enum": [1, null, 3]})
        );
        assert_eq!(schemas["N"], json!({"type": "number", "default": 1}));
        assert_eq!(schemas["E"], json!({"type": "string", "enum": ["a", "b"]}));
        assert_eq!(
            schemas["Fine"].get("default"),
            None,
            "typify's struct has no place for a property the schema does not define"
        );
        let found: Vec<(&str, &str)> = doc
            .findings
            .iter()
            .map(|f| (f.pointer.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/components/schemas/I/enum/1",
                    "`enum` value \"x\" is not an integer (`type: integer`); it is left out"
                ),
                (
                    "/components/schemas/I/enum/2",
                    "`enum` value 2.5 is not an integer (`type: integer`); it is left out"
                ),
                (
                    "/components/schemas/A/default",
                    "`default` does not match the schema: item 1: 1 is not a string; it is left out"
                ),
                (
                    "/components/schemas/E/default",
                    "`default` does not match the schema: \"c\" is not one of the `enum` values; it is left out"
                ),
                (
                    "/components/schemas/Fine/default",
                    "`default` cannot be written as a value of the generated type: property `b`: it is not one of the schema's `properties`, and the generated type has no place for it; it is left out"
                ),
                (
                    "/components/schemas/I/default",
                    "`default` does not match the schema: \"3\" is not an integer; it is left out"
                ),
                (
                    "/components/schemas/S/default",
                    "`default` does not match the schema: 5 is not a string; it is left out"
                ),
            ]
        );
        assert!(
            doc.findings
                .iter()
                .all(|f| f.severity == crate::Severity::Warning)
        );
    }

    #[test]
    fn a_default_that_breaks_its_format_is_left_out() {
        let doc = run_on(json!({
            "Url": {"type": "string", "format": "uri", "default": ""},
            "Site": {"type": "string", "format": "uri", "default": "https://example.com/"},
            "Day": {"type": "string", "format": "date", "default": "today"},
            "At": {"type": "string", "format": "date-time", "default": "2024-01-02T03:04:05Z"},
            "Id": {"type": "string", "format": "uuid", "default": "3c90c3cc-0d44-4b50-8888-8dd25736052a"},
            "Custom": {"type": "string", "format": "slug", "default": ""},
        }));
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(schemas["Url"], json!({"type": "string", "format": "uri"}));
        assert_eq!(schemas["Day"], json!({"type": "string", "format": "date"}));
        for kept in ["Site", "At", "Id", "Custom"] {
            assert!(schemas[kept].get("default").is_some(), "{kept}");
        }
        let messages: Vec<&str> = doc.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`default` does not match the schema: \"today\" is not of `format: date`; it is left out",
                "`default` does not match the schema: \"\" is not of `format: uri`; it is left out",
            ]
        );
    }

    #[test]
    fn enum_values_are_coerced_where_lossless() {
        let doc = run_on(json!({
            "S": {"type": "string", "nullable": true, "enum": [4.1, 4, "3_lite", true, null]},
            "I": {"type": "integer", "enum": ["1", 2.0, " 3 "]},
            "N": {"type": "number", "enum": ["1.5"]},
            "B": {"type": "boolean", "enum": ["true", "no"]},
        }));
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(
            schemas["S"]["enum"],
            json!(["4.1", "4", "3_lite", "true", null])
        );
        assert_eq!(schemas["I"]["enum"], json!([1, 2, 3]));
        assert_eq!(schemas["N"]["enum"], json!([1.5]));
        assert_eq!(schemas["B"]["enum"], json!([true]));
        assert!(
            doc.findings
                .iter()
                .all(|f| f.severity == crate::Severity::Warning)
        );
        let first = doc
            .findings
            .iter()
            .find(|f| f.pointer == "/components/schemas/S/enum/0")
            .unwrap();
        assert_eq!(
            first.message,
            "`enum` value 4.1 is not a string (`type: string`); read as \"4.1\""
        );
    }

    #[test]
    fn an_enum_with_no_value_of_its_type_is_left_out() {
        let doc = run_on(json!({"S": {"type": "integer", "enum": ["a", "b", null]}}));
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].severity, crate::Severity::Warning);
        assert_eq!(doc.findings[0].pointer, "/components/schemas/S/enum");
        assert_eq!(
            doc.findings[0].message,
            "no value of `enum` is an integer (`type: integer`); the `enum` is left out and any integer is accepted"
        );
        assert_eq!(
            doc.root["components"]["schemas"]["S"],
            json!({"type": "integer"})
        );
    }
}
