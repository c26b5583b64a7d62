//! Every combination of documented statuses and answer bodies generates a
//! client.
//!
//! progenitor asserts one success type and one error type per operation,
//! and counts a `default` answer on both sides (unless a `2XX` is there).
//! Normalization makes any set of answers fit that (`normalize/responses`);
//! this property draws the sets: up to five statuses out of codes, ranges
//! and `default`, each with no body, one of two component schemas, an
//! inline object, text or bytes, and the operation must generate with no
//! error.

use proptest::prelude::*;
use serde_json::{Value, json};

const STATUSES: [&str; 12] = [
    "200", "201", "202", "204", "2XX", "301", "400", "404", "4XX", "500", "5XX", "default",
];

fn body(kind: u8) -> Option<Value> {
    let json = |schema: Value| json!({"application/json": {"schema": schema}});
    match kind {
        0 => None,
        1 => Some(json(json!({"$ref": "#/components/schemas/Thing"}))),
        2 => Some(json(json!({"$ref": "#/components/schemas/Problem"}))),
        3 => Some(json(
            json!({"type": "object", "properties": {"note": {"type": "string"}}}),
        )),
        4 => Some(json!({"text/plain": {"schema": {"type": "string"}}})),
        5 => Some(
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
        ),
        _ => Some(
            json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}),
        ),
    }
}

fn spec(answers: &[(usize, u8)]) -> Value {
    let mut responses = serde_json::Map::new();
    for (status, kind) in answers {
        let mut response = json!({"description": "an answer"});
        if let Some(content) = body(*kind) {
            response["content"] = content;
        }
        responses.insert(STATUSES[*status].to_owned(), response);
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "answers", "version": "1"},
        "paths": {"/things/{id}": {"delete": {
            "operationId": "removeThing",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": responses,
        }}},
        "components": {"schemas": {
            "Thing": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Problem": {"type": "object", "properties": {"detail": {"type": "string"}}},
        }},
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_set_of_answers_generates(
        answers in proptest::collection::vec((0..STATUSES.len(), 0u8..7), 1..6)
    ) {
        let document = spec(&answers);
        let text = serde_json::to_string_pretty(&document).unwrap();
        let spec = codegen::Spec::from_bytes("answers.json", text.as_bytes()).unwrap();
        let generated = codegen::generate(&spec, &codegen::Settings::default());
        prop_assert!(generated.is_ok(), "{}\n{}", generated.err().map(|e| e.to_string()).unwrap_or_default(), text);
    }
}

/// The shape specfuzz found: a `204` without a body, a `400` with one and
/// a `default` without one. Unifying the errors gave `default` the `400`'s
/// body, and `default` counts as a success too, beside the `204`.
#[test]
fn a_bodiless_default_beside_a_204_and_a_typed_error() {
    let document = spec(&[(3, 0), (6, 2), (11, 0)]);
    let text = serde_json::to_string(&document).unwrap();
    let spec = codegen::Spec::from_bytes("answers.json", text.as_bytes()).unwrap();
    let generated =
        codegen::generate(&spec, &codegen::Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.code.contains("fn remove_thing"));
}
