//! Responses: one success and one error type per operation, as progenitor
//! asserts (normalization has merged what it can).

use openapiv3::{Components, ReferenceOr, Response, StatusCode};
use serde_json::Value;

use super::bodies::check_media_type;
use super::lenient::{names_unconverted, resolve};
use crate::document::pointer::escape_token;
use crate::problems::Problems;

/// What progenitor makes of one response: its kinds must be unique among
/// the success responses and among the error responses of an operation.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum ResponseKind {
    Json(String),
    None,
    Raw,
    Upgrade,
}

pub(super) fn is_json(media: &str) -> bool {
    crate::document::media::progenitor_json(media)
}

pub(super) fn check_responses(
    p: &mut Problems,
    root: &Value,
    components: &Components,
    responses: &openapiv3::Responses,
    operation_id: Option<&str>,
    op_ptr: &str,
) {
    let mut entries: Vec<(Option<u16>, Option<u16>, String, &Response)> = Vec::new(); // (code, range, ptr, resp)
    let responses_ptr = format!("{op_ptr}/responses");
    let unresolved = |p: &mut Problems, ptr: &str| {
        let unconverted = root
            .pointer(ptr)
            .is_some_and(|raw| names_unconverted(root, raw, "responses"));
        if !unconverted {
            p.error(
                ptr,
                "response reference does not resolve to #/components/responses",
                None,
            );
        }
    };
    if let Some(default) = &responses.default {
        let ptr = format!("{responses_ptr}/default");
        match resolve(default, |c| &c.responses, Some(components)) {
            Some(r) => entries.push((None, None, ptr, r)),
            None => unresolved(p, &ptr),
        }
    }
    for (status, r) in &responses.responses {
        let key = status.to_string();
        let ptr = format!("{responses_ptr}/{}", escape_token(&key));
        let (code, range) = match status {
            StatusCode::Code(c) if (100..=599).contains(c) => (Some(*c), None),
            StatusCode::Range(r) if (1..=5).contains(r) => (None, Some(*r)),
            _ => {
                p.error(&ptr, format!("`{key}` is not an HTTP status code"), None);
                continue;
            }
        };
        match resolve(r, |c| &c.responses, Some(components)) {
            Some(r) => entries.push((code, range, ptr, r)),
            None => unresolved(p, &ptr),
        }
    }
    // Distinct kinds, each with the first response that has it, in spec order.
    let mut success: Vec<(ResponseKind, String)> = Vec::new();
    let mut failure: Vec<(ResponseKind, String)> = Vec::new();
    let add = |set: &mut Vec<(ResponseKind, String)>, kind: &ResponseKind, ptr: &String| {
        if !set.iter().any(|(k, _)| k == kind) {
            set.push((kind.clone(), ptr.clone()));
        }
    };
    let has_success_range = entries.iter().any(|(_, range, ..)| *range == Some(2));
    for (code, range, ptr, resp) in &entries {
        let json = resp.content.iter().find(|(m, _)| is_json(m));
        let kind = if let Some((media, mt)) = json {
            check_media_type(
                p,
                mt,
                &format!("{ptr}/content/{}", escape_token(media)),
                "response",
            );
            match &mt.schema {
                Some(ReferenceOr::Reference { reference }) => ResponseKind::Json(reference.clone()),
                Some(schema) => {
                    ResponseKind::Json(serde_json::to_string(schema).unwrap_or_default())
                }
                None => continue,
            }
        } else if *code == Some(101) {
            ResponseKind::Upgrade
        } else if !resp.content.is_empty() {
            ResponseKind::Raw
        } else {
            ResponseKind::None
        };
        let is_default = code.is_none() && range.is_none();
        let is_success = is_default || matches!(code, Some(101 | 200..=299)) || *range == Some(2);
        let is_failure =
            is_default || matches!(code, Some(400..=599)) || matches!(range, Some(4 | 5));
        // A `default` beside a `2XX` never decodes a success.
        if is_success && !(is_default && has_success_range) {
            add(&mut success, &kind, ptr);
        }
        if is_failure {
            add(&mut failure, &kind, ptr);
        }
    }
    for (set, what) in [(&success, "success"), (&failure, "error")] {
        if set.len() > 1 {
            let at: Vec<String> = set
                .iter()
                .map(|(_, v)| v.rsplit('/').next().unwrap_or_default().replace("~1", "/"))
                .collect();
            p.error(
                &responses_ptr,
                format!(
                    "operation `{}` has {} different {what} response types (responses {})",
                    operation_id.unwrap_or("?"),
                    set.len(),
                    at.join(", ")
                ),
                Some("give these responses one schema (for example a `oneOf` of the alternatives)"),
            );
        }
    }
}
