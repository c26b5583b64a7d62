//! Request bodies Prism cannot judge: it reads every multipart part and
//! every form key as one string, so what the spec allows there it rejects.
//! Such operations are skipped, each with its reason.

use serde_json::Value;

use super::calls::first_media;
use super::document::resolve;
use super::values;

/// The object and array fields of a typed multipart body (normalization
/// presents it as JSON and says so in `x-codegen-body`), comma-separated.
pub(super) fn multipart_structured(doc: &Value, op: &Value) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    if body["x-codegen-body"]["kind"].as_str() != Some("multipart") {
        return None;
    }
    let schema = resolve(doc, &first_media(body.get("content"))?["schema"]);
    let fields: Vec<&str> = schema["properties"]
        .as_object()?
        .iter()
        .filter(|(_, p)| matches!(values::type_of(resolve(doc, p)), "object" | "array"))
        .map(|(name, _)| name.as_str())
        .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}

/// The array fields of a form body that are sent exploded (one pair per
/// item: the default, or `explode: true`), comma-separated.
pub(super) fn form_exploded_arrays(doc: &Value, op: &Value) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    let ext = &body["x-codegen-body"];
    if ext["kind"].as_str() != Some("form") {
        return None;
    }
    let schema = resolve(doc, &first_media(body.get("content"))?["schema"]);
    let fields: Vec<&str> = schema["properties"]
        .as_object()?
        .iter()
        .filter(|(name, p)| {
            let encoding = &ext["encoding"][name.as_str()];
            values::type_of(resolve(doc, p)) == "array"
                && encoding["explode"].as_bool().unwrap_or(true)
                && encoding["style"].as_str() != Some("deepObject")
        })
        .map(|(name, _)| name.as_str())
        .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}
