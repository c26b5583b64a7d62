//! Requests Prism cannot judge. It reads every multipart part and every
//! form key as one string, so what the spec allows there it rejects: such
//! operations are skipped, each with its reason. Other parts it misreads
//! only when they are sent: the violations it then lists about them
//! ([`Excuse`]) skip the call, and any other violation still fails it.

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

/// A violation Prism lists of a request the spec allows: at `location`
/// (Prism's dotted path, `request.query.ids`, or below it), with
/// `message` when given; `why` says what Prism misreads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Excuse {
    pub(super) location: String,
    pub(super) message: Option<String>,
    pub(super) why: String,
}

impl Excuse {
    /// Whether `violation` (`{"message", "location"}`) is this one.
    pub(super) fn covers(&self, violation: &Value) -> bool {
        let location = violation["location"].as_str().unwrap_or_default();
        let below = location == self.location
            || location
                .strip_prefix(self.location.as_str())
                .is_some_and(|rest| rest.starts_with('.'));
        below
            && self
                .message
                .as_deref()
                .is_none_or(|m| violation["message"].as_str() == Some(m))
    }
}

/// What Prism misreads of an operation's requests, from its source
/// (`@stoplight/prism-http` 5.16, `dist/validator/`).
pub(super) fn excuses(doc: &Value, op: &Value, parameters: &[&Value]) -> Vec<Excuse> {
    let mut out = Vec::new();
    for p in parameters {
        if p["in"].as_str() != Some("query") {
            continue;
        }
        let schema = resolve(doc, &p["schema"]);
        let items = resolve(doc, &schema["items"]);
        if values::type_of(schema) != "array"
            || !matches!(values::type_of(items), "object" | "array")
        {
            continue;
        }
        let name = p["name"].as_str().unwrap_or_default();
        // deserializers/style/form.js: an array is the text split on `,`
        // (`explode` is read as false when the spec leaves it out), and
        // nothing parses JSON, so each item stays a string.
        out.push(Excuse {
            location: format!("request.query.{}", name.to_ascii_lowercase()),
            message: None,
            why: format!(
                "the query parameter `{name}` is an array of {}s, which no OpenAPI style writes (the client sends the array as JSON text); Prism splits a query value on commas and parses no JSON, so every item it reads is a string and it rejects every value",
                values::type_of(items)
            ),
        });
    }
    let body = resolve(doc, &op["requestBody"]);
    let kind = body["x-codegen-body"]["kind"].as_str();
    if let Some(media) = first_media(body.get("content"))
        && (matches!(kind, Some("form" | "multipart"))
            || body["content"]
                .get("application/x-www-form-urlencoded")
                .is_some())
    {
        let schema = resolve(doc, &media["schema"]);
        let declared = schema["properties"].as_object();
        for key in schema["required"].as_array().into_iter().flatten() {
            let Some(key) = key.as_str() else { continue };
            // Without `properties`, Prism reads every key.
            if declared.is_none_or(|d| d.contains_key(key)) {
                continue;
            }
            // validators/body.js, deserializeFormBody: only the keys under
            // `properties` are read from the body.
            out.push(Excuse {
                location: "request.body".to_owned(),
                message: Some(format!("Request body must have required property '{key}'")),
                why: format!(
                    "the body's schema requires `{key}` without declaring it under `properties`, and Prism reads only the declared keys of a form body, so it misses `{key}` however it is sent"
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn excuses_name_query_arrays_of_objects_and_undeclared_form_keys() {
        let doc = json!({"components": {"schemas": {"F": {"type": "object"}}}});
        let params = [
            json!({"name": "mdFilters", "in": "query", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/F"}}}),
            json!({"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}}),
            json!({"name": "h", "in": "header", "schema": {"type": "array", "items": {"type": "object"}}}),
        ];
        let op = json!({"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["grant_type", "token"], "properties": {"token": {"type": "string"}}}}}}});
        let found = excuses(&doc, &op, &params.iter().collect::<Vec<_>>());
        let places: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|e| (e.location.as_str(), e.message.as_deref()))
            .collect();
        assert_eq!(
            places,
            [
                ("request.query.mdfilters", None),
                (
                    "request.body",
                    Some("Request body must have required property 'grant_type'")
                ),
            ]
        );
        // A JSON body is read whole: nothing to excuse.
        let json_op = json!({"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "required": ["grant_type"], "properties": {}}}}}});
        assert!(excuses(&doc, &json_op, &[]).is_empty());
    }
}
