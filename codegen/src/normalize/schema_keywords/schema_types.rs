//! Schema `type`s: one of OpenAPI 3.0's six, or progenitor `todo!()`s.
//! Another one (a typo, `file` from a Swagger 2.0 conversion, `null` in a
//! 3.0 document) is the closest schema: `file` a binary string, any other
//! without its `type` (any JSON value, its other keywords kept), each a
//! located warning.

use serde_json::Value;

use crate::document::schemas::walk_all_schemas;
use crate::normalize::doc::Doc;

/// The `type`s of OpenAPI 3.0 (3.1 documents are lowered to 3.0 first).
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// A `type` that is not a string at all is a type error of the typed
/// conversion, except `null`, which that conversion takes as no type.
pub(super) fn run(doc: &mut Doc) {
    let mut found: Vec<(String, String, String)> = Vec::new();
    walk_all_schemas(&mut doc.root, &mut |schema, ptr| {
        let Value::Object(map) = schema else { return };
        let (t, null) = match map.get("type") {
            Some(Value::String(t)) if TYPES.contains(&t.as_str()) => return,
            Some(Value::String(t)) => (t.clone(), t == "null"),
            Some(Value::Null) => ("null".to_owned(), true),
            _ => return,
        };
        let (message, help) = if t == "file" {
            map.insert("type".to_owned(), Value::String("string".to_owned()));
            map.insert("format".to_owned(), Value::String("binary".to_owned()));
            (
                "`file` is not an OpenAPI 3 schema type (Swagger 2.0 spells binary data so); typed as `type: string, format: binary`".to_owned(),
                "write `type: string, format: binary`".to_owned(),
            )
        } else {
            map.remove("type");
            let help = if null {
                "OpenAPI 3.0 has no `null` type: give the schema its type and `nullable: true` \
                 (or declare `openapi: 3.1.0` and write `type: [T, \"null\"]`)"
                    .to_owned()
            } else {
                let near = TYPES
                    .iter()
                    .find(|known| edit_distance(&t, known) <= 2)
                    .map(|known| format!("did you mean `{known}`? "))
                    .unwrap_or_default();
                format!(
                    "{near}the types are {}",
                    TYPES.map(|t| format!("`{t}`")).join(", ")
                )
            };
            (
                format!("`{t}` is not a schema type; the schema is typed as any JSON value"),
                help,
            )
        };
        found.push((format!("{ptr}/type"), message, help));
    });
    for (ptr, message, help) in found {
        doc.warn(&ptr, message, Some(&help));
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
