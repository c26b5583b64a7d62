//! A parameter typed by `content: {<media type>: {schema}}` instead of a
//! `schema` (OpenAPI 3.0/3.1 allow either): its value is the schema's,
//! serialized in that media type. progenitor reads only `schema`.
//!
//! - JSON in the query: the schema becomes the parameter's `schema` (the
//!   setter is typed) and `x-codegen-json` tells `send()` to write the
//!   value as one JSON text (`filter=%7B%22a%22%3A1%7D`).
//! - JSON in a path, header or cookie: progenitor writes those with
//!   `to_string()`, which is the JSON text of an integer, number or
//!   boolean, so such a schema is kept; any other becomes a string the
//!   caller writes the JSON text into (a warning).
//! - Another media type, or none: a string the caller writes in that media
//!   type (a warning). Several media types (OpenAPI allows one): the JSON
//!   one if there is one, else as another media type (a warning).

use serde_json::{Map, Value};

use crate::document::extensions::JSON_PARAMETER_EXTENSION;
use crate::document::media::is_json;
use crate::document::refs::resolve;
use crate::normalize::doc::Doc;

/// Rewrites the parameter at `ptr` (not a `$ref`) if it has `content`.
pub(super) fn to_schema(doc: &mut Doc, ptr: &str) {
    let Some(Value::Object(param)) = doc.root.pointer(ptr) else {
        return;
    };
    let Some(content) = param.get("content") else {
        return;
    };
    let name = param
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let location = param
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let has_schema = param.contains_key("schema");
    let media: Vec<(String, Option<Value>)> = match content {
        Value::Object(types) => types
            .iter()
            .map(|(media, entry)| (media.clone(), entry.get("schema").cloned()))
            .collect(),
        _ => Vec::new(),
    };
    let json = media.iter().position(|(media, _)| is_json(media));
    let (schema, json_query, warning) = if has_schema {
        (
            None,
            false,
            Some(format!(
                "parameter `{name}` has both `schema` and `content`; `content` is left out"
            )),
        )
    } else if let Some(i) = json {
        let (media_type, schema) = &media[i];
        let schema = schema.clone().unwrap_or_else(|| Value::Object(Map::new()));
        let several = (media.len() > 1).then(|| {
            format!("parameter `{name}` lists {} media types under `content` (OpenAPI allows one); it is sent as `{media_type}`", media.len())
        });
        if location == "query" {
            (Some((schema, Some(i))), true, several)
        } else if to_string_is_json(&doc.root, &schema) {
            (Some((schema, Some(i))), false, several)
        } else {
            (
                Some((string(), None)),
                false,
                Some(format!(
                    "{location} parameter `{name}` is sent as `{media_type}` (`content`), which only scalars are here; it is typed as a string, the caller writes the JSON text"
                )),
            )
        }
    } else {
        let listed: Vec<String> = media.iter().map(|(m, _)| format!("`{m}`")).collect();
        let what = if listed.is_empty() {
            "no media type".to_owned()
        } else {
            listed.join(", ")
        };
        (
            Some((string(), None)),
            false,
            Some(format!(
                "parameter `{name}` is sent as {what} (`content`), which the generator does not serialize; it is typed as a string, the caller writes the value in that media type"
            )),
        )
    };
    let media_ptr = |i: usize| {
        format!(
            "{ptr}/content/{}",
            crate::document::pointer::escape_token(&media[i].0)
        )
    };
    let from = schema
        .as_ref()
        .and_then(|(_, i)| *i)
        .map(|i| format!("{}/schema", media_ptr(i)));
    let Some(Value::Object(param)) = doc.root.pointer_mut(ptr) else {
        return;
    };
    param.remove("content");
    if let Some((schema, _)) = schema {
        param.insert("schema".to_owned(), schema);
    }
    if json_query {
        param.insert(JSON_PARAMETER_EXTENSION.to_owned(), Value::Bool(true));
    }
    if let Some(from) = from {
        doc.origins.record(&format!("{ptr}/schema"), &from);
    }
    if let Some(message) = warning {
        doc.warn(
            &format!("{ptr}/content"),
            message,
            Some("type the parameter with `schema` to silence this"),
        );
    }
}

fn string() -> Value {
    serde_json::json!({"type": "string"})
}

/// Whether a value of `schema` written with `to_string()` is its JSON text:
/// an integer, a number or a boolean.
fn to_string_is_json(root: &Value, schema: &Value) -> bool {
    let Some((schema, _)) = resolve(root, schema) else {
        return false;
    };
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("integer" | "number" | "boolean")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(param: Value) -> Doc {
        let mut doc = Doc::new(json!({"paths": {"/a": {"get": {"parameters": [param]}}}}));
        to_schema(&mut doc, "/paths/~1a/get/parameters/0");
        doc
    }

    fn param(doc: &Doc) -> &Value {
        doc.root.pointer("/paths/~1a/get/parameters/0").unwrap()
    }

    #[test]
    fn a_json_query_parameter_is_typed_and_marked() {
        let object = json!({"type": "object", "properties": {"a": {"type": "integer"}}});
        let doc = run(json!({"name": "f", "in": "query",
            "content": {"application/json": {"schema": object}}}));
        assert_eq!(
            param(&doc),
            &json!({"name": "f", "in": "query", "schema": object, "x-codegen-json": true})
        );
        assert!(doc.findings.is_empty());
        assert_eq!(
            doc.origins
                .source("/paths/~1a/get/parameters/0/schema/properties"),
            "/paths/~1a/get/parameters/0/content/application~1json/schema/properties"
        );
    }

    #[test]
    fn json_headers_keep_scalars_and_write_other_values_as_strings() {
        let doc = run(json!({"name": "n", "in": "header",
            "content": {"application/json": {"schema": {"type": "integer"}}}}));
        assert_eq!(param(&doc)["schema"], json!({"type": "integer"}));
        assert!(param(&doc).get("x-codegen-json").is_none());
        assert!(doc.findings.is_empty());
        let doc = run(json!({"name": "o", "in": "header",
            "content": {"application/json": {"schema": {"type": "object"}}}}));
        assert_eq!(param(&doc)["schema"], json!({"type": "string"}));
        assert_eq!(
            doc.findings[0].pointer,
            "/paths/~1a/get/parameters/0/content"
        );
        assert!(
            doc.findings[0]
                .message
                .contains("the caller writes the JSON text")
        );
    }

    #[test]
    fn other_and_several_media_types_are_said() {
        let doc = run(json!({"name": "t", "in": "query",
            "content": {"text/plain": {"schema": {"type": "integer"}}}}));
        assert_eq!(param(&doc)["schema"], json!({"type": "string"}));
        assert!(doc.findings[0].message.contains("`text/plain`"));
        let doc = run(json!({"name": "s", "in": "query", "content": {
            "text/plain": {}, "application/json": {"schema": {"type": "array"}}}}));
        assert_eq!(param(&doc)["schema"], json!({"type": "array"}));
        assert_eq!(param(&doc)["x-codegen-json"], true);
        assert!(doc.findings[0].message.contains("lists 2 media types"));
        let doc = run(
            json!({"name": "b", "in": "query", "schema": {"type": "string"},
            "content": {"application/json": {}}}),
        );
        assert!(param(&doc).get("content").is_none());
        assert!(
            doc.findings[0]
                .message
                .contains("both `schema` and `content`")
        );
    }
}
