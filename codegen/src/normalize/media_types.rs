//! A normalization pass (their order: `normalize/mod.rs`): media types progenitor can digest.
//!
//! Request bodies: progenitor `todo!`s on a body with several media types
//! or with an `encoding`, and accepts only `application/json`,
//! `application/x-www-form-urlencoded`, `application/octet-stream` and
//! `text/plain` (with exactly `{type: string}` / `{type: string, format:
//! binary}` schemas for the last two). So one media type is kept, by
//! preference: JSON, a `+json`/`…/json` type (sent as JSON), form, octet
//! stream, `text/plain`, another text or XML type (sent as text), any
//! other type (sent as bytes), `multipart/*`. A `multipart/form-data` body
//! of an object schema is typed (shown to progenitor as JSON, see
//! `request_bodies`); any other is sent as a raw body with a fixed
//! boundary, `MULTIPART_BOUNDARY`. A form body's `encoding` is kept for
//! the generated `send()` (`request_bodies::form`). When the
//! kept type is not the one progenitor writes in the `Content-Type` header,
//! the real one is kept in `x-codegen-content-type` on the request body
//! and the generated `send()` sends it (see `generate/content_type.rs`).
//! Text and byte bodies get the exact string schema progenitor wants;
//! another `encoding` is dropped; a JSON body without a schema takes any
//! JSON.
//!
//! Responses: progenitor types a response only when its media type is
//! `application/json` (or has parameters), so `application/problem+json`,
//! `application/vnd.x+json` and `text/json` are renamed to it; a JSON
//! response without a schema takes any JSON value (progenitor `todo!`s);
//! an `encoding` is dropped (progenitor `assert!`s).
//!
//! A media type that cannot be a header value (a byte that is not visible
//! ASCII or a tab: `text/plain; x=é`, a newline) is renamed to
//! `application/octet-stream` first, in bodies and responses alike: the
//! generated `send()` writes the media type with
//! `HeaderValue::from_static`, which panics on such a byte.
//!
//! Shared request bodies and responses (`#/components/…`) are rewritten in
//! place, once, whatever operations use them.

use serde_json::{Map, Value, json};

use super::doc::Doc;
use crate::document::extensions::{ACCEPT_EXTENSION, CONTENT_TYPE_EXTENSION};
use crate::document::operations::operations;
use crate::document::pointer::escape_token;

/// How a request body media type is sent, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Body {
    Json,
    JsonLike,
    Form,
    Octet,
    Text,
    OtherText,
    OtherBytes,
    /// `multipart/*`: typed when it is `multipart/form-data` of an object
    /// (`request_bodies`), else a raw body with a boundary fixed in
    /// `Content-Type`, which the caller's bytes use.
    Multipart,
}

/// The boundary of a `multipart/*` body sent raw: fixed, so that the
/// generated `Content-Type` can name it (RFC 2046 §5.1.1: any boundary
/// that does not occur in the parts).
pub(crate) const MULTIPART_BOUNDARY: &str = "alakazam-part-boundary-7MA4YWxkTrZu0gW";

fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json_like(essence: &str) -> bool {
    essence.ends_with("+json") || essence.ends_with("/json")
}

fn body_kind(media: &str) -> Option<Body> {
    let e = essence(media);
    Some(match e.as_str() {
        "application/json" => Body::Json,
        "application/x-www-form-urlencoded" => Body::Form,
        "application/octet-stream" => Body::Octet,
        "text/plain" | "text/x-markdown" => Body::Text,
        _ if e.starts_with("multipart/") => Body::Multipart,
        _ if is_json_like(&e) => Body::JsonLike,
        _ if e.starts_with("text/") || e.ends_with("/xml") || e.ends_with("+xml") => {
            Body::OtherText
        }
        _ if e.contains('/') => Body::OtherBytes,
        _ => return None,
    })
}

pub(crate) fn run(doc: &mut Doc) {
    // Shared bodies and responses first, in place.
    for (section, is_body) in [("requestBodies", true), ("responses", false)] {
        for name in doc.component_names(section) {
            let ptr = format!("/components/{section}/{}", escape_token(&name));
            if is_body {
                request_body(doc, &ptr);
            } else {
                response(doc, &ptr);
            }
        }
    }
    for (op_ptr, ..) in operations(&doc.root) {
        let body_ptr = format!("{op_ptr}/requestBody");
        if doc
            .root
            .pointer(&body_ptr)
            .is_some_and(|b| b.get("$ref").is_none())
        {
            request_body(doc, &body_ptr);
        }
        let statuses: Vec<String> = doc
            .root
            .pointer(&format!("{op_ptr}/responses"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for status in statuses {
            let ptr = format!("{op_ptr}/responses/{}", escape_token(&status));
            if doc
                .root
                .pointer(&ptr)
                .is_some_and(|r| r.get("$ref").is_none())
            {
                response(doc, &ptr);
            }
        }
    }
}

/// What `http::HeaderValue::from_static` accepts (http 1.x,
/// `is_visible_ascii`): the generated code calls it with media types.
fn is_header_value(media: &str) -> bool {
    media.bytes().all(|b| b == b'\t' || (32..127).contains(&b))
}

const OCTET_STREAM: &str = "application/octet-stream";

/// Renames each media type of `{ptr}/content` that is no header value to
/// `application/octet-stream`, in place; one the content already has (or
/// an earlier rename took) leaves the bad one out.
fn header_safe_media_types(doc: &mut Doc, ptr: &str, what: &str) {
    let content_ptr = format!("{ptr}/content");
    let Some(Value::Object(content)) = doc.root.pointer_mut(&content_ptr) else {
        return;
    };
    if content.keys().all(|m| is_header_value(m)) {
        return;
    }
    let mut taken = content.contains_key(OCTET_STREAM);
    let mut moves = Vec::new();
    for (media, value) in std::mem::take(content) {
        if is_header_value(&media) {
            content.insert(media, value);
        } else if taken {
            moves.push((media, false));
        } else {
            content.insert(OCTET_STREAM.to_owned(), value);
            taken = true;
            moves.push((media, true));
        }
    }
    let hint = Some(
        "a header value is visible ASCII (and tabs): write the media type without other characters",
    );
    for (media, renamed) in moves {
        let shown = media.escape_debug();
        if renamed {
            let new_ptr = format!("{content_ptr}/{}", escape_token(OCTET_STREAM));
            doc.origins
                .record(&new_ptr, &format!("{content_ptr}/{}", escape_token(&media)));
            doc.warn(
                &new_ptr,
                format!(
                    "{what} media type `{shown}` is not a valid header value; it is treated as `{OCTET_STREAM}`"
                ),
                hint,
            );
        } else {
            doc.warn(
                &content_ptr,
                format!(
                    "{what} media type `{shown}` is not a valid header value; it is left out (`{OCTET_STREAM}` is already there)"
                ),
                hint,
            );
        }
    }
}

fn request_body(doc: &mut Doc, ptr: &str) {
    header_safe_media_types(doc, ptr, "request body");
    let Some(Value::Object(content)) = doc.root.pointer(&format!("{ptr}/content")) else {
        return;
    };
    if content.is_empty() {
        return;
    }
    let ranked: Vec<(String, Option<Body>)> =
        content.keys().map(|m| (m.clone(), body_kind(m))).collect();
    let best = ranked
        .iter()
        .filter_map(|(m, k)| k.map(|k| (k, m.clone())))
        .min_by_key(|(k, _)| *k);
    // No `type/subtype` at all (`form-data`, `json`): the closest shape is
    // the bytes the caller writes, sent under the name as written.
    let (kind, media) = match best {
        Some(best) => best,
        None => {
            let types: Vec<&str> = ranked.iter().map(|(m, _)| m.as_str()).collect();
            doc.warn(
                &format!("{ptr}/content"),
                format!(
                    "request body media type `{}` is not a media type (`type/subtype`); the body is raw bytes the caller writes",
                    types.join("`, `")
                ),
                Some("write a media type: JSON (and `+json` types), application/x-www-form-urlencoded, application/octet-stream (or any binary type), text types"),
            );
            (Body::OtherBytes, ranked[0].0.clone())
        }
    };
    if ranked.len() > 1 {
        let types: Vec<&str> = ranked.iter().map(|(m, _)| m.as_str()).collect();
        doc.warn(
            &format!("{ptr}/content"),
            format!(
                "request body has several media types ({}); only `{media}` is sent",
                types.join(", ")
            ),
            Some("progenitor sends one media type per operation"),
        );
    }
    if essence(&media) == "multipart/form-data"
        && super::request_bodies::multipart(doc, ptr, &media)
    {
        return;
    }
    let Some(Value::Object(body)) = doc.root.pointer_mut(ptr) else {
        return;
    };
    let Some(Value::Object(content)) = body.get_mut("content") else {
        return;
    };
    let Some(mut mt) = content.remove(&media) else {
        return;
    };
    content.clear();
    let e = essence(&media);
    let (key, real) = match kind {
        Body::Json | Body::Form | Body::Octet | Body::Text => (media.clone(), None),
        Body::JsonLike => ("application/json".to_owned(), Some(media.clone())),
        Body::OtherText => ("text/plain".to_owned(), Some(media.clone())),
        // A wildcard is no Content-Type to send.
        Body::OtherBytes if e.contains('*') => ("application/octet-stream".to_owned(), None),
        Body::OtherBytes => ("application/octet-stream".to_owned(), Some(media.clone())),
        Body::Multipart => (
            "application/octet-stream".to_owned(),
            Some(format!("{e}; boundary={MULTIPART_BOUNDARY}")),
        ),
    };
    let mut notes = Vec::new();
    let mut form_encoding = None;
    if let Value::Object(m) = &mut mt {
        let encoding = m.remove("encoding");
        if kind == Body::Form {
            form_encoding = Some(encoding);
        } else if encoding.is_some() {
            notes.push((
                "encoding",
                "`encoding` is ignored: progenitor encodes the body itself".to_owned(),
            ));
        }
        let wanted = match kind {
            Body::Octet | Body::OtherBytes | Body::Multipart => {
                Some(json!({"type": "string", "format": "binary"}))
            }
            Body::Text | Body::OtherText => Some(json!({"type": "string"})),
            _ => None,
        };
        match wanted {
            Some(w) => {
                let old = m.insert("schema".to_owned(), w.clone());
                let was_string = old
                    .as_ref()
                    .is_none_or(|s| s.get("type").and_then(Value::as_str) == Some("string"));
                if !was_string {
                    notes.push((
                        "schema",
                        format!(
                            "the `{media}` body is sent as raw {}; its schema is not used",
                            if w.get("format").is_some() {
                                "bytes"
                            } else {
                                "text"
                            }
                        ),
                    ));
                }
            }
            None => {
                if !m.contains_key("schema") {
                    m.insert("schema".to_owned(), json!({}));
                    notes.push((
                        "",
                        format!("the `{media}` body has no schema; any JSON value is accepted"),
                    ));
                }
            }
        }
    }
    content.insert(key.clone(), mt);
    if let Some(real) = &real {
        body.insert(
            CONTENT_TYPE_EXTENSION.to_owned(),
            Value::String(real.clone()),
        );
    }
    let old_ptr = format!("{ptr}/content/{}", escape_token(&media));
    let new_ptr = format!("{ptr}/content/{}", escape_token(&key));
    if key != media {
        doc.origins.record(&new_ptr, &old_ptr);
        if kind == Body::Multipart {
            doc.warn(
                &new_ptr,
                format!(
                    "request body `{media}` is sent as a raw body (bytes) with `Content-Type: {}`; \
                     the caller writes the parts with that boundary",
                    real.as_deref().unwrap_or_default()
                ),
                Some("`multipart/form-data` bodies whose schema is an object with `properties` are typed"),
            );
        } else {
            doc.warn(
                &new_ptr,
                format!(
                    "request body media type `{media}` is sent as {} with `Content-Type: {}`",
                    match kind {
                        Body::JsonLike => "JSON",
                        Body::OtherText => "text",
                        _ => "bytes",
                    },
                    real.as_deref().unwrap_or("application/octet-stream")
                ),
                None,
            );
        }
    }
    if let Some(encoding) = form_encoding {
        super::request_bodies::form(doc, ptr, &new_ptr, encoding.as_ref());
    }
    for (at, message) in notes {
        let p = if at.is_empty() {
            new_ptr.clone()
        } else {
            format!("{new_ptr}/{at}")
        };
        doc.warn(&p, message, None);
    }
}

fn response(doc: &mut Doc, ptr: &str) {
    header_safe_media_types(doc, ptr, "response");
    let Some(Value::Object(content)) = doc.root.pointer(&format!("{ptr}/content")) else {
        return;
    };
    let has_json = content.keys().any(|m| essence(m) == "application/json");
    let rename = if has_json {
        None
    } else {
        content.keys().find(|m| is_json_like(&essence(m))).cloned()
    };
    let json_key = if has_json {
        content
            .keys()
            .find(|m| essence(m) == "application/json")
            .cloned()
    } else {
        rename.as_ref().map(|_| "application/json".to_owned())
    };
    let Some(Value::Object(content)) = doc.root.pointer_mut(&format!("{ptr}/content")) else {
        return;
    };
    if let Some(old) = &rename {
        // Keep the order of the media types.
        let entries = std::mem::take(content);
        *content = entries
            .into_iter()
            .map(|(k, mut v)| {
                if &k == old {
                    if let Value::Object(mt) = &mut v {
                        mt.insert(ACCEPT_EXTENSION.to_owned(), Value::String(old.clone()));
                    }
                    ("application/json".to_owned(), v)
                } else {
                    (k, v)
                }
            })
            .collect::<Map<String, Value>>();
    }
    let mut notes = Vec::new();
    if let Some(key) = &json_key
        && let Some(Value::Object(mt)) = content.get_mut(key)
    {
        if mt.remove("encoding").is_some() {
            notes.push((
                "/encoding",
                "`encoding` of a JSON response is ignored".to_owned(),
            ));
        }
        if !mt.contains_key("schema") {
            mt.insert("schema".to_owned(), json!({}));
            notes.push((
                "",
                "JSON response has no `schema`; it is decoded as any JSON value".to_owned(),
            ));
        }
    }
    if let (Some(old), Some(key)) = (&rename, &json_key) {
        let new_ptr = format!("{ptr}/content/{}", escape_token(key));
        doc.origins
            .record(&new_ptr, &format!("{ptr}/content/{}", escape_token(old)));
        doc.warn(
            &new_ptr,
            format!("response media type `{old}` is decoded as JSON"),
            None,
        );
    }
    if let Some(key) = &json_key {
        let base = format!("{ptr}/content/{}", escape_token(key));
        for (at, message) in notes {
            doc.warn(&format!("{base}{at}"), message, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_preference() {
        assert!(body_kind("application/json; charset=utf-8") == Some(Body::Json));
        assert!(body_kind("application/merge-patch+json") == Some(Body::JsonLike));
        assert!(body_kind("application/xml") == Some(Body::OtherText));
        assert!(body_kind("image/png") == Some(Body::OtherBytes));
        assert_eq!(body_kind("multipart/form-data"), Some(Body::Multipart));
        assert!(Body::Json < Body::JsonLike && Body::JsonLike < Body::Form);
    }

    #[test]
    fn header_values() {
        assert!(is_header_value("text/plain; charset=\"utf-8\"\t"));
        assert!(!is_header_value("text/plain; x=é"));
        assert!(!is_header_value("text/plain\n"));
        assert!(!is_header_value("text/plain\u{7f}"));
    }
}
