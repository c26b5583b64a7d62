//! Part of the `media_types` pass: request bodies the generated `send()`
//! builds from a typed model itself, because progenitor cannot.
//!
//! - `multipart/form-data`: progenitor `todo!`s on it. The body is shown
//!   to progenitor as a JSON body of the same schema (so typify writes the
//!   struct, and the model pass its setters); each binary field becomes
//!   `{type: string, format: x-codegen-file}`, which the generator maps to
//!   the runtime's `FilePart`; how each field goes on the wire (file, JSON
//!   or text part, with `encoding.<field>.contentType`) is kept in
//!   `x-codegen-body` on the request body, which the generator reads to
//!   replace the JSON body by a `Multipart` built from the fields.
//! - `application/x-www-form-urlencoded`: progenitor `todo!`s on an
//!   `encoding` and sends only flat structs. The `encoding`'s `style` and
//!   `explode` go to `x-codegen-body`; the generated `send()` serializes
//!   with the runtime's `form_body`, nested objects and arrays included.
//!
//! What cannot be typed (a multipart schema that is not an object with
//! `properties`, or one whose binary fields a JSON use of the same
//! component would also see) is reported, and `media_types` degrades it
//! to a raw body.

use serde_json::{Map, Value, json};

use super::doc::Doc;
use crate::document::extensions::{BODY_EXTENSION, FILE_FORMAT};
use crate::document::pointer::{escape_token, percent_decode};
use crate::document::refs::{references, resolve};

/// How one field of a multipart body is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// A binary field: one file part.
    File,
    /// An array of binary items: one file part per item.
    Files,
    /// An object, or an array of objects: one JSON part.
    Json,
    /// A scalar (one text part) or an array of scalars (one per item).
    Text,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::File | Part::Files => "file",
            Part::Json => "json",
            Part::Text => "text",
        }
    }
}

fn is_binary(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && matches!(
            schema.get("format").and_then(Value::as_str),
            Some("binary") | Some(FILE_FORMAT)
        )
}

fn is_structured(schema: &Value) -> bool {
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("object") | Some("array")
    ) || [
        "properties",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
    ]
    .iter()
    .any(|k| schema.get(k).is_some())
}

/// How deep [`classify`] follows the members of compositions.
const MAX_UNION_DEPTH: usize = 8;

fn classify(root: &Value, property: &Value) -> Part {
    classify_at(root, property, 0)
}

fn classify_at(root: &Value, property: &Value, depth: usize) -> Part {
    let Some((schema, _)) = resolve(root, property) else {
        return Part::Text;
    };
    // A `oneOf`/`anyOf`/`allOf` of scalars and arrays of scalars
    // (together's `timestamp_granularities`: a word or a list of words;
    // mistral's `visibility`: an `allOf` of one enum beside its `default`)
    // is text, as each member would be: `Multipart::text` sends the string
    // as it is and an array one part per item. As one JSON part, the word
    // would go quoted.
    let members: Vec<&Value> = ["oneOf", "anyOf", "allOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .collect();
    if !members.is_empty()
        && depth < MAX_UNION_DEPTH
        && !["properties", "additionalProperties"]
            .iter()
            .any(|k| schema.get(*k).is_some())
        && !matches!(
            schema.get("type").and_then(Value::as_str),
            Some("object") | Some("array")
        )
    {
        let text = members
            .iter()
            .all(|m| classify_at(root, m, depth + 1) == Part::Text);
        return if text { Part::Text } else { Part::Json };
    }
    if is_binary(schema) {
        return Part::File;
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        let items = schema
            .get("items")
            .and_then(|i| resolve(root, i))
            .map(|(i, _)| i);
        return match items {
            Some(i) if is_binary(i) => Part::Files,
            Some(i) if is_structured(i) => Part::Json,
            _ => Part::Text,
        };
    }
    if is_structured(schema) {
        Part::Json
    } else {
        Part::Text
    }
}

/// The first media type of an `encoding.contentType` (which may list
/// several, comma-separated), when it names one exactly.
fn single_type(content_type: &str) -> Option<&str> {
    let first = content_type.split(',').next()?.trim();
    (!first.is_empty() && !first.contains('*')).then_some(first)
}

/// Types the `multipart/form-data` body at `body_ptr` (its media type
/// `media`): on success its content is `application/json` with the same
/// schema and `x-codegen-body` says how to send each field. Returns false
/// (having said why) when the body cannot be typed.
pub(super) fn multipart(doc: &mut Doc, body_ptr: &str, media: &str) -> bool {
    let mt_ptr = format!("{body_ptr}/content/{}", escape_token(media));
    let Some(mt) = doc.root.pointer(&mt_ptr).cloned() else {
        return false;
    };
    let schema_ptr = format!("{mt_ptr}/schema");
    let Some(schema) = mt.get("schema") else {
        doc.warn(
            &mt_ptr,
            format!("the `{media}` body has no schema: its parts cannot be typed"),
            None,
        );
        return false;
    };
    let Some((target, component)) = resolve(&doc.root, schema) else {
        return false;
    };
    let properties = match target.get("properties") {
        Some(Value::Object(p))
            if !["allOf", "oneOf", "anyOf"]
                .iter()
                .any(|k| target.get(k).is_some()) =>
        {
            p.clone()
        }
        _ => {
            doc.warn(
                &schema_ptr,
                format!(
                    "the `{media}` body schema is not an object with `properties`: its parts cannot be typed"
                ),
                Some("describe the parts as the properties of one object schema"),
            );
            return false;
        }
    };
    let parts: Vec<(String, Part)> = properties
        .iter()
        .map(|(name, p)| (name.clone(), classify(&doc.root, p)))
        .collect();
    let has_files = parts
        .iter()
        .any(|(_, p)| matches!(p, Part::File | Part::Files));
    // The schema as written is where the binary fields are marked: the
    // body's own, or the component it refers to, which no JSON use may see
    // with `FilePart` fields.
    let owner = component.clone().unwrap_or_else(|| schema_ptr.clone());
    if has_files
        && let Some(component) = &component
        && let Some(other) = non_multipart_use(doc, component)
    {
        doc.warn(
            &schema_ptr,
            format!(
                "the `{media}` body's schema `{component}` has binary fields and is also used at `{other}`: its parts cannot be typed"
            ),
            Some("give the upload a schema of its own"),
        );
        return false;
    }
    for (name, part) in &parts {
        let at = format!("{owner}/properties/{}", escape_token(name));
        let Some(property) = doc.root.pointer_mut(&at) else {
            continue;
        };
        let description = property.get("description").cloned();
        let file = json!({"type": "string", "format": FILE_FORMAT});
        *property = match part {
            Part::File => file,
            Part::Files => json!({"type": "array", "items": file}),
            _ => continue,
        };
        if let (Some(d), Value::Object(m)) = (description, property) {
            m.insert("description".to_owned(), d);
        }
    }
    let encoding = mt.get("encoding").and_then(Value::as_object);
    let new_ptr = format!("{body_ptr}/content/application~1json");
    // Before the warnings below, which point into the moved entry.
    doc.origins.record(&new_ptr, &mt_ptr);
    let mut plan = Map::new();
    for (name, mut part) in parts {
        let entry = encoding.and_then(|e| e.get(&name));
        let at = format!("{new_ptr}/encoding/{}", escape_token(&name));
        let content_type = entry
            .and_then(|e| e.get("contentType"))
            .and_then(Value::as_str);
        let mut sent_type = None;
        if let Some(ct) = content_type {
            match (part, single_type(ct)) {
                (Part::Text, Some(t)) if t.contains("json") => {
                    part = Part::Json;
                    sent_type = Some(t);
                }
                (Part::Text, _) if ct.trim() == "text/plain" => {}
                (Part::Text, _) => doc.warn(
                    &format!("{at}/contentType"),
                    format!("part `{name}` is sent as text; its `contentType: {ct}` is not sent"),
                    None,
                ),
                (_, Some(t)) => sent_type = Some(t),
                (_, None) => doc.warn(
                    &format!("{at}/contentType"),
                    format!(
                        "part `{name}`: `contentType: {ct}` names no single type; the part's own (or the default) is sent"
                    ),
                    None,
                ),
            }
        }
        for key in ["headers", "style", "explode", "allowReserved"] {
            if entry.and_then(|e| e.get(key)).is_some() {
                doc.warn(
                    &format!("{at}/{key}"),
                    format!("`{key}` of part `{name}` is ignored in a multipart body"),
                    None,
                );
            }
        }
        let mut field = Map::new();
        field.insert("part".to_owned(), Value::String(part.name().to_owned()));
        if let Some(t) = sent_type {
            field.insert("contentType".to_owned(), Value::String(t.to_owned()));
        }
        plan.insert(name, Value::Object(field));
    }
    let Some(Value::Object(body)) = doc.root.pointer_mut(body_ptr) else {
        return false;
    };
    let mut kept = mt;
    if let Value::Object(m) = &mut kept {
        m.remove("encoding");
        // The marked schema, when it was the body's own.
        if component.is_none()
            && let Some(Value::Object(content)) = body.get("content")
            && let Some(s) = content.get(media).and_then(|m| m.get("schema"))
        {
            m.insert("schema".to_owned(), s.clone());
        }
    }
    let mut content = Map::new();
    content.insert("application/json".to_owned(), kept);
    body.insert("content".to_owned(), Value::Object(content));
    body.insert(
        BODY_EXTENSION.to_owned(),
        json!({"kind": "multipart", "parts": plan}),
    );
    true
}

/// A place other than a multipart body's schema that refers to the
/// component at `pointer`, if any.
fn non_multipart_use(doc: &Doc, pointer: &str) -> Option<String> {
    references(&doc.root)
        .into_iter()
        .find_map(|(holder, target)| {
            let target = percent_decode(target.strip_prefix('#')?);
            if target != pointer || is_multipart_schema(&doc.root, &holder) {
                return None;
            }
            Some(holder)
        })
}

/// Whether `holder` is `<body>/content/<media>/schema` of a multipart
/// body (before or after this pass typed it).
fn is_multipart_schema(root: &Value, holder: &str) -> bool {
    let Some(media_ptr) = holder.strip_suffix("/schema") else {
        return false;
    };
    let Some((content_ptr, media)) = media_ptr.rsplit_once('/') else {
        return false;
    };
    let Some(body_ptr) = content_ptr.strip_suffix("/content") else {
        return false;
    };
    if media
        .replace("~1", "/")
        .replace("~0", "~")
        .starts_with("multipart/")
    {
        return true;
    }
    root.pointer(body_ptr)
        .and_then(|b| b.get(BODY_EXTENSION))
        .and_then(|e| e.get("kind"))
        .and_then(Value::as_str)
        == Some("multipart")
}

/// Records the `encoding` of the form body at `body_ptr` (its media type
/// entry now at `mt_ptr`) in `x-codegen-body`: `style` and `explode` per
/// field; what a form field cannot carry is reported.
pub(super) fn form(doc: &mut Doc, body_ptr: &str, mt_ptr: &str, encoding: Option<&Value>) {
    let mut fields = Map::new();
    let entries = encoding.and_then(Value::as_object).cloned();
    for (name, entry) in entries.into_iter().flatten() {
        let at = format!("{mt_ptr}/encoding/{}", escape_token(&name));
        let style = match entry.get("style").and_then(Value::as_str) {
            None => None,
            Some(s @ ("form" | "spaceDelimited" | "pipeDelimited" | "deepObject")) => Some(s),
            Some(other) => {
                doc.warn(
                    &format!("{at}/style"),
                    format!("`style: {other}` is not a style of a form field; `form` is used"),
                    None,
                );
                Some("form")
            }
        };
        let explode = entry.get("explode").and_then(Value::as_bool);
        for key in ["contentType", "headers", "allowReserved"] {
            // A field is text: `text/plain` says nothing new.
            let default = key == "contentType"
                && entry.get(key).and_then(Value::as_str) == Some("text/plain");
            if entry.get(key).is_some() && !default {
                doc.warn(
                    &format!("{at}/{key}"),
                    format!("`{key}` of form field `{name}` is ignored"),
                    None,
                );
            }
        }
        if style.is_none() && explode.is_none() {
            continue;
        }
        let style = style.unwrap_or("form");
        let explode = explode.unwrap_or(style == "form");
        fields.insert(name, json!({"style": style, "explode": explode}));
    }
    if let Some(Value::Object(body)) = doc.root.pointer_mut(body_ptr) {
        body.insert(
            BODY_EXTENSION.to_owned(),
            json!({"kind": "form", "encoding": fields}),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_classified_by_their_schema() {
        let root =
            json!({"components": {"schemas": {"Png": {"type": "string", "format": "binary"}}}});
        let c = |s: Value| classify(&root, &s);
        assert_eq!(c(json!({"type": "string", "format": "binary"})), Part::File);
        assert_eq!(c(json!({"$ref": "#/components/schemas/Png"})), Part::File);
        assert_eq!(
            c(json!({"type": "array", "items": {"$ref": "#/components/schemas/Png"}})),
            Part::Files
        );
        assert_eq!(c(json!({"type": "object"})), Part::Json);
        assert_eq!(
            c(json!({"type": "array", "items": {"type": "object"}})),
            Part::Json
        );
        assert_eq!(
            c(json!({"type": "array", "items": {"type": "string"}})),
            Part::Text
        );
        assert_eq!(c(json!({"type": "integer"})), Part::Text);
    }

    /// together's `timestamp_granularities`: a word or a list of words is
    /// text (the word unquoted, the list one part per item); a union with
    /// an object or a file among its members stays one JSON part.
    #[test]
    fn a_composition_of_scalars_and_lists_of_scalars_is_text() {
        let root = json!({"components": {"schemas": {
            "Word": {"type": "string", "enum": ["segment", "word"]},
            "Words": {"oneOf": [{"$ref": "#/components/schemas/Word"},
                                {"type": "array", "items": {"$ref": "#/components/schemas/Word"}}]}}}});
        let c = |s: Value| classify(&root, &s);
        assert_eq!(c(json!({"$ref": "#/components/schemas/Words"})), Part::Text);
        assert_eq!(
            c(json!({"anyOf": [{"type": "integer"}, {"type": "null"},
                               {"$ref": "#/components/schemas/Words"}]})),
            Part::Text
        );
        assert_eq!(
            c(json!({"oneOf": [{"type": "string"}, {"type": "object"}]})),
            Part::Json
        );
        assert_eq!(
            c(json!({"oneOf": [{"type": "string"}, {"type": "string", "format": "binary"}]})),
            Part::Json
        );
        assert_eq!(
            c(json!({"oneOf": [{"type": "string"}], "properties": {"a": {}}})),
            Part::Json
        );
        // mistral's `visibility`; an `allOf` of objects stays JSON.
        assert_eq!(
            c(
                json!({"allOf": [{"type": "string", "enum": ["workspace", "user"]}],
                     "default": "workspace"})
            ),
            Part::Text
        );
        assert_eq!(
            c(json!({"allOf": [{"type": "object"}, {"properties": {"a": {}}}]})),
            Part::Json
        );
    }

    #[test]
    fn a_listed_content_type_gives_its_first_type() {
        assert_eq!(single_type("image/png, image/jpeg"), Some("image/png"));
        assert_eq!(single_type("image/*"), None);
    }
}
