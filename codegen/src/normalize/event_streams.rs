//! A normalization pass (their order: `normalize/mod.rs`): the event type of every `text/event-stream` response, named.
//!
//! progenitor types a response only when it is JSON: a
//! `text/event-stream` one is a raw byte stream, its schema unread. The
//! generated client decodes such a stream itself (`send_sse`), into
//! `Event<T>` where `T` is the type of the media type's schema, the schema
//! of one event's `data`. For that type to exist, typify must see the
//! schema: an inline one (an object, a composition, an enum, an array)
//! moves to `#/components/schemas/<OperationId>Event` (a shared response
//! `#/components/responses/<Name>`: `<Name>Event`), leaving a `$ref` the
//! generator reads (`generate/builders/streams.rs`). A string schema (the
//! stream described as text), a binary one, or none leaves the data
//! untyped: any JSON value, the text where it is not JSON.
//!
//! Runs before `responses`, which copies shared responses into
//! operations (the `$ref` goes along), and before `hoist`, which names
//! the enums inside the moved schema.

use std::collections::HashSet;

use serde_json::Value;

use super::doc::{Doc, fresh_name, rust_type_name};
use super::sites::{self, Owner, Site};
use crate::document::media::is_event_stream;
use crate::document::pointer::{Lookup, escape_token};
use crate::naming::{Case, sanitize};

pub(crate) fn run(doc: &mut Doc) {
    let mut taken: HashSet<String> = doc
        .component_names("schemas")
        .iter()
        .map(|n| rust_type_name(n))
        .collect();
    for Site { pointer, owner } in sites::responses(doc) {
        let (Owner::Component(name) | Owner::Operation(name)) = owner;
        let (response_ptr, base) = (pointer, sanitize(&format!("{name}-event"), Case::Pascal));
        let Some(Value::Object(content)) = doc.root.at(&format!("{response_ptr}/content")) else {
            continue;
        };
        let streams: Vec<String> = content
            .iter()
            .filter(|(m, mt)| is_event_stream(m) && mt.get("schema").is_some_and(needs_a_name))
            .map(|(m, _)| m.clone())
            .collect();
        for media in streams {
            let ptr = format!("{response_ptr}/content/{}/schema", escape_token(&media));
            let name = fresh_name(&base, &mut taken);
            doc.hoist_schema(&ptr, &name);
        }
    }
}

/// An inline schema with a shape of its own: not a `$ref`, and not the
/// stream described as a string (or as bytes).
fn needs_a_name(schema: &Value) -> bool {
    let Value::Object(s) = schema else {
        return false;
    };
    if s.contains_key("$ref") || s.is_empty() {
        return false;
    }
    s.get("type").and_then(Value::as_str) != Some("string")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_inline_event_schema_becomes_a_component() {
        let mut doc = Doc::new(json!({
            "paths": {"/chat": {"post": {"operationId": "chat", "responses": {"200": {
                "description": "ok",
                "content": {
                    "text/event-stream": {"schema": {"type": "object", "properties": {"delta": {"type": "string"}}}},
                    "application/json": {"schema": {"type": "object"}}
                }
            }}}}},
            "components": {"schemas": {"ChatEvent": {"type": "string"}}}
        }));
        run(&mut doc);
        let at = "/paths/~1chat/post/responses/200/content/text~1event-stream/schema";
        assert_eq!(
            doc.root.pointer(at),
            Some(&json!({"$ref": "#/components/schemas/ChatEvent2"}))
        );
        assert!(
            doc.root
                .pointer("/components/schemas/ChatEvent2/properties/delta")
                .is_some()
        );
        // JSON is the JSON pass's business.
        assert_eq!(
            doc.root
                .pointer("/paths/~1chat/post/responses/200/content/application~1json/schema"),
            Some(&json!({"type": "object"}))
        );
        assert!(doc.findings.is_empty());
    }

    #[test]
    fn strings_refs_and_no_schema_stay() {
        for schema in [json!({"type": "string"}), json!({"$ref": "#/x"}), json!({})] {
            assert!(!needs_a_name(&schema), "{schema}");
        }
        assert!(needs_a_name(&json!({"oneOf": [{"type": "integer"}]})));
    }
}
