//! Request bodies and media types: what progenitor can send.

use openapiv3::{MediaType, RequestBody};

use crate::document::pointer::escape_token;
use crate::problems::Problems;

pub(super) fn check_body(p: &mut Problems, body: &RequestBody, ptr: &str) {
    if body.content.len() > 1 {
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        p.error(
            &format!("{ptr}/content"),
            format!(
                "request body has several media types ({})",
                types.join(", ")
            ),
            Some("keep one media type (application/json is preferred)"),
        );
        return;
    }
    let Some((media, mt)) = body.content.first() else {
        return;
    };
    let mt_ptr = format!("{ptr}/content/{}", escape_token(media));
    let essence = media.split(';').next().unwrap_or_default().trim();
    let supported = [
        "application/json",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "text/plain",
        "text/x-markdown",
    ];
    if !supported.contains(&essence) {
        p.error(
            &mt_ptr,
            format!("request body media type `{media}` is not supported"),
            Some("supported: application/json, application/x-www-form-urlencoded, application/octet-stream, text/plain"),
        );
    }
    check_media_type(p, mt, &mt_ptr, "request body");
}

pub(super) fn check_media_type(p: &mut Problems, mt: &MediaType, ptr: &str, what: &str) {
    if !mt.encoding.is_empty() {
        p.error(
            &format!("{ptr}/encoding"),
            format!("{what}: `encoding` is not supported"),
            None,
        );
    }
    if mt.schema.is_none() {
        p.error(ptr, format!("{what} has no `schema`"), None);
    }
}
