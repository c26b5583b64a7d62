//! What has no 3.0 spelling — conditionals, `dependentSchemas`,
//! `prefixItems`, `patternProperties` — degraded to the closest 3.0 shape
//! that still decodes every value the 3.1 schema allows.

use serde_json::{Map, Value, json};

use super::Findings;
use crate::document::pointer::escape_token;

/// What has no 3.0 spelling, rewritten into the closest 3.0 shape that
/// still decodes every value the 3.1 schema allows (each a warning): a
/// client loses a constraint, never a message.
pub(super) fn degrade(map: &mut Map<String, Value>, ptr: &str, findings: &mut Findings) {
    let mut warn = |key: &str, message: &str| {
        findings.push((
            false,
            format!("{ptr}/{}", escape_token(key)),
            message.to_owned(),
        ));
    };
    for key in ["if", "then", "else"] {
        if map.remove(key).is_some() {
            warn(
                key,
                "conditional schemas (`if`/`then`/`else`) have no OpenAPI 3.0 spelling; \
                 the generated type is the schema without the condition",
            );
        }
    }
    if map.remove("dependentSchemas").is_some() {
        warn(
            "dependentSchemas",
            "`dependentSchemas` has no OpenAPI 3.0 spelling; the generated type is the schema without it",
        );
    }
    if map.remove("prefixItems").is_some() {
        map.entry("items").or_insert_with(|| json!({}));
        warn(
            "prefixItems",
            "tuple schemas (`prefixItems`) have no OpenAPI 3.0 spelling; generated as an array \
             whose items are any JSON value (or `items`, when given)",
        );
    }
    if let Some(patterns) = map.remove("patternProperties") {
        let schemas: Vec<&Value> = patterns
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .collect();
        let one = |of: &[&Value]| match of {
            [first, rest @ ..] if rest.iter().all(|s| s == first) => (*first).clone(),
            _ => json!({}),
        };
        // Keys that match a pattern hold the pattern's schema, the others
        // `additionalProperties`'. Closed (`false`), a value holds only the
        // patterns' keys: the map of their schema decodes every one. Open,
        // the typed map the pattern describes. Beside a schema of its own,
        // one schema when both agree, any JSON value when they do not.
        let value = match map.get("additionalProperties") {
            None | Some(Value::Bool(_)) => one(&schemas),
            Some(other) => {
                let mut all = schemas.clone();
                all.push(other);
                one(&all)
            }
        };
        map.insert("additionalProperties".to_owned(), value);
        warn(
            "patternProperties",
            "`patternProperties` has no OpenAPI 3.0 spelling; generated as a map of the \
             pattern's schema (`additionalProperties`; any JSON value for several patterns)",
        );
    }
}
