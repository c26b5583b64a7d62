//! Schema `type`s: one of OpenAPI 3.0's six, or progenitor `todo!()`s.

use serde_json::Value;

use crate::document::schemas::visit_all_schemas;
use crate::problems::Problems;

/// The `type`s of OpenAPI 3.0 (3.1 documents are lowered to 3.0 first).
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Every schema's `type` must be one of [`TYPES`]: progenitor `todo!()`s on
/// any other. A `type` that is not a string at all is a type error of the
/// typed conversion, except `null`, which that conversion takes as no type.
pub(crate) fn check(p: &mut Problems, value: &Value) {
    let mut found: Vec<(String, String, String)> = Vec::new();
    visit_all_schemas(value, &mut |schema, ptr| {
        let (shown, null) = match schema.get("type") {
            Some(Value::String(t)) if TYPES.contains(&t.as_str()) => return,
            Some(Value::String(t)) => (format!("`{t}`"), t == "null"),
            Some(Value::Null) => ("`null`".to_owned(), true),
            _ => return,
        };
        let help = if null {
            "OpenAPI 3.0 has no `null` type: give the schema its type and `nullable: true` \
             (or declare `openapi: 3.1.0` and write `type: [T, \"null\"]`)"
                .to_owned()
        } else {
            let t = schema["type"].as_str().unwrap_or_default();
            let near = TYPES
                .iter()
                .find(|known| edit_distance(t, known) <= 2)
                .map(|known| format!("did you mean `{known}`? "))
                .unwrap_or_default();
            format!(
                "{near}the types are {}",
                TYPES.map(|t| format!("`{t}`")).join(", ")
            )
        };
        found.push((
            format!("{ptr}/type"),
            format!("{shown} is not a schema type"),
            help,
        ));
    });
    for (ptr, message, help) in found {
        p.error(&ptr, message, Some(&help));
    }
}

/// Levenshtein distance, for "did you mean" (short words only).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
