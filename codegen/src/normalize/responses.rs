//! A normalization pass (their order: `normalize/mod.rs`): one success type and one error type per operation.
//!
//! progenitor `assert!`s that the success responses of an operation (2xx,
//! `2XX`, 101 and `default`) share one "kind", and so do the error
//! responses (4xx, 5xx, `4XX`, `5XX` and `default`); a kind is a JSON
//! schema, no body, a raw body or an upgrade (its #950, #344). Real specs
//! declare `200` and `201` with different schemas, `200` with a body and
//! `204` without, or `default: Error` beside `200: Pet`. Each operation is
//! rewritten as follows, with a warning:
//!
//! 1. A `default` whose kind differs from the success responses is what
//!    the spec author meant: the errors. It becomes `4XX` and `5XX` (those
//!    not declared). Without any success response, a `default` that
//!    conflicts with the errors is the success: it becomes `2XX`.
//! 2. Success responses of several kinds: the JSON schemas are combined
//!    into one, a `oneOf` of the distinct ones when there are several,
//!    `nullable` when some response has no JSON body (the runtime decodes an
//!    empty body as `null`). A combined schema that is not a plain `$ref` is
//!    hoisted to `#/components/schemas/<OperationId>Response`, so that it is
//!    one named type. Every success response then carries it. Without any
//!    JSON schema (no body beside a raw body), all become raw bodies.
//! 3. The same for the error responses, except that several JSON schemas
//!    are not combined: they all get the schema of any JSON value. The
//!    generated client does not decode error bodies with the shared type
//!    (the runtime keeps them as JSON), but progenitor checks them all the
//!    same; a `oneOf` would be an untagged enum that nothing uses and
//!    every build type-checks. What decodes them is `mod errors`, typed
//!    by status, and the typed mocks answer each status with its own type
//!    (`generate/mock_errors.rs`): before the statuses share a type, each
//!    one's inline schema is named ([`name_error_bodies`]) and each one's
//!    type recorded on the operation as `x-codegen-error-bodies`.
//!
//! Before that, a `204` or `205` response that documents a body loses it:
//! HTTP forbids one (RFC 9110, 15.3.5 and 15.3.6), servers send none, and a
//! client decoding the documented schema would fail on every reply.
//!
//! A shared response (`$ref` to `#/components/responses`) that must change
//! for one operation is copied into that operation first. Upgrades (101)
//! mixed with other kinds are left alone and reported by validation.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::doc::{Doc, fresh_name, rust_type_name};
use super::sites::operation_id;
use crate::document::extensions::ERROR_BODIES_EXTENSION;
use crate::document::media::progenitor_json;
use crate::document::operations::{Status, operations, status};
use crate::document::pointer::{Lookup, escape_token};
use crate::document::refs::resolve;
use crate::naming::{Case, sanitize};

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// The schema: a `$ref` or an inline schema.
    Json(Value),
    None,
    Raw,
    Upgrade,
}

fn is_success(s: Status) -> bool {
    matches!(
        s,
        Status::Default | Status::Code(101 | 200..=299) | Status::Range(2)
    )
}

fn is_error(s: Status) -> bool {
    matches!(
        s,
        Status::Default | Status::Code(400..=599) | Status::Range(4 | 5)
    )
}

/// The media type and media type object of a response that progenitor
/// decodes as JSON.
fn json_content(response: &Value) -> Option<(&String, &Value)> {
    response
        .get("content")?
        .as_object()?
        .iter()
        .find(|(m, _)| progenitor_json(m))
}

fn kind(root: &Value, response: &Value, status: Status) -> Kind {
    let Some((response, _)) = resolve(root, response) else {
        return Kind::None;
    };
    let content = response.get("content").and_then(Value::as_object);
    if let Some((_, mt)) = json_content(response) {
        return Kind::Json(mt.get("schema").cloned().unwrap_or_else(|| json!({})));
    }
    if status == Status::Code(101) {
        Kind::Upgrade
    } else if content.is_some_and(|c| !c.is_empty()) {
        Kind::Raw
    } else {
        Kind::None
    }
}

pub(crate) fn run(doc: &mut Doc) {
    let mut taken: HashSet<String> = doc
        .component_names("schemas")
        .iter()
        .map(|n| rust_type_name(n))
        .collect();
    for (op_ptr, ..) in operations(&doc.root) {
        operation(doc, &op_ptr, &mut taken);
    }
}

fn entries(doc: &Doc, op_ptr: &str) -> Vec<(String, Status, Kind)> {
    let Some(Value::Object(responses)) = doc.root.at(&format!("{op_ptr}/responses")) else {
        return Vec::new();
    };
    responses
        .iter()
        .filter_map(|(k, v)| {
            let s = status(k)?;
            Some((k.clone(), s, kind(&doc.root, v, s)))
        })
        .collect()
}

fn distinct(kinds: impl Iterator<Item = Kind>) -> Vec<Kind> {
    let mut out: Vec<Kind> = Vec::new();
    for k in kinds {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

fn operation(doc: &mut Doc, op_ptr: &str, taken: &mut HashSet<String>) {
    let op_id = operation_id(&doc.root, op_ptr);
    let responses_ptr = format!("{op_ptr}/responses");
    drop_forbidden_bodies(doc, &responses_ptr, &op_id);
    let all = entries(doc, op_ptr);
    if let Some((_, _, default_kind)) = all.iter().find(|(_, s, _)| *s == Status::Default) {
        let explicit_success: Vec<Kind> = distinct(
            all.iter()
                .filter(|(_, s, _)| *s != Status::Default && is_success(*s))
                .map(|(.., k)| k.clone()),
        );
        let explicit_errors: Vec<Kind> = distinct(
            all.iter()
                .filter(|(_, s, _)| *s != Status::Default && is_error(*s))
                .map(|(.., k)| k.clone()),
        );
        let has_range = all.iter().any(|(_, s, _)| *s == Status::Range(2));
        let conflicts = |set: &[Kind]| set.iter().any(|k| k != default_kind);
        // `default` counts on both sides. Where one side has another kind,
        // unifying that side rewrites `default` and leaves the other side
        // two kinds: so it goes to the errors, whichever side differs.
        let on_both_sides = !explicit_errors.is_empty() && conflicts(&explicit_errors);
        if !explicit_success.is_empty()
            && !has_range
            && (conflicts(&explicit_success) || on_both_sides)
        {
            move_default(doc, &responses_ptr, &["4XX", "5XX"]);
            doc.warn(
                &format!("{responses_ptr}/default"),
                format!("operation `{op_id}`: the `default` response is taken as the error response (4XX, 5XX)"),
                Some("progenitor counts `default` as a success too; declare the error statuses to silence this"),
            );
        } else if explicit_success.is_empty() && conflicts(&explicit_errors) {
            move_default(doc, &responses_ptr, &["2XX"]);
            doc.warn(
                &format!("{responses_ptr}/default"),
                format!("operation `{op_id}`: the `default` response is taken as the success response (2XX)"),
                Some("declare the success status to silence this"),
            );
        }
    }
    name_error_bodies(doc, op_ptr, &op_id, taken);
    let all = entries(doc, op_ptr);
    record_error_bodies(doc, op_ptr, &all);
    let has_range = all.iter().any(|(_, s, _)| *s == Status::Range(2));
    // Mirror progenitor: a `default` beside `2XX` never decodes a success.
    let success: Vec<&(String, Status, Kind)> = all
        .iter()
        .filter(|(_, s, _)| is_success(*s) && !(has_range && *s == Status::Default))
        .collect();
    let errors: Vec<&(String, Status, Kind)> =
        all.iter().filter(|(_, s, _)| is_error(*s)).collect();
    name_colliding_success(doc, &responses_ptr, &op_id, &success, taken);
    for (set, what, suffix) in [(success, "success", "Response"), (errors, "error", "Error")] {
        let kinds = distinct(set.iter().map(|(.., k)| k.clone()));
        if kinds.len() < 2 || kinds.contains(&Kind::Upgrade) {
            continue;
        }
        let keys: Vec<String> = set.iter().map(|(k, ..)| k.clone()).collect();
        let schemas: Vec<Value> = kinds
            .iter()
            .filter_map(|k| match k {
                Kind::Json(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        let bodiless = kinds.iter().any(|k| matches!(k, Kind::None | Kind::Raw));
        let (content, summary) = if schemas.is_empty() {
            (
                json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
                "all of them are returned as a byte stream".to_owned(),
            )
        } else {
            if what == "error" && schemas.len() > 1 {
                // Nothing in the client decodes with a union of the error
                // schemas (`mod errors` types each status's body, and so
                // do the typed mocks, from `x-codegen-error-bodies`): the
                // shared type progenitor needs is any JSON value, not an
                // untagged enum every user's build would type-check.
                let content = json!({"application/json": {"schema": {}}});
                for key in &keys {
                    set_content(doc, &responses_ptr, key, &content);
                }
                doc.warn(
                    &responses_ptr,
                    format!(
                        "operation `{op_id}` has {} different {what} response types (responses {}); \
                         each status's body keeps its own type in `mod errors`",
                        kinds.len(),
                        keys.join(", ")
                    ),
                    Some("give these responses one schema to silence this"),
                );
                continue;
            }
            let combined = if schemas.len() == 1 {
                schemas[0].clone()
            } else {
                json!({ "oneOf": schemas })
            };
            // A plain `$ref` stays; anything else becomes a named component.
            let (reference, name) = match combined.get("$ref").and_then(Value::as_str) {
                Some(r) => (
                    combined.clone(),
                    r.rsplit('/').next().unwrap_or_default().to_owned(),
                ),
                None => {
                    let name =
                        fresh_name(&sanitize(&format!("{op_id}-{suffix}"), Case::Pascal), taken);
                    let at = format!("/components/schemas/{}", escape_token(&name));
                    if let Some(schemas) = doc.section_mut("schemas") {
                        schemas.insert(name.clone(), combined);
                    }
                    doc.origins.record(&at, &responses_ptr);
                    (
                        json!({"$ref": format!("#/components/schemas/{name}")}),
                        name,
                    )
                }
            };
            // `Option<T>` of the named type, not a newtype around it.
            let schema = if bodiless {
                json!({"allOf": [reference], "nullable": true})
            } else {
                reference
            };
            let described = format!("`{name}`");
            let how = if schemas.len() > 1 {
                "one of the alternatives"
            } else {
                "that schema"
            };
            let null = if bodiless {
                ", `null` when there is no body"
            } else {
                ""
            };
            (
                json!({"application/json": {"schema": schema}}),
                format!("the {what} type is now {described} ({how}{null})"),
            )
        };
        for key in &keys {
            set_content(doc, &responses_ptr, key, &content);
        }
        let shown: Vec<String> = keys.clone();
        doc.warn(
            &responses_ptr,
            format!(
                "operation `{op_id}` has {} different {what} response types (responses {}); {summary}",
                kinds.len(),
                shown.join(", ")
            ),
            Some("give these responses one schema to silence this"),
        );
    }
}

/// Gives every error response's inline JSON schema a name, so that the
/// generator can type error bodies by status (`errors::<Operation>`, see
/// `x-codegen-error-bodies`): `<OperationId>Error` when the operation's
/// errors share one schema, else `<OperationId>Error<Status>`; a shared
/// response's schema (`#/components/responses/<Name>`) is named `<Name>`,
/// once, in place. Only shapes typify names anyway (objects,
/// compositions, enums) move: a primitive or an array stays as it is
/// (decoded as JSON by status). Naming is silent, as hoisting is.
fn name_error_bodies(doc: &mut Doc, op_ptr: &str, op_id: &str, taken: &mut HashSet<String>) {
    let responses_ptr = format!("{op_ptr}/responses");
    let errors: Vec<(String, Status, Kind)> = entries(doc, op_ptr)
        .into_iter()
        .filter(|(_, s, _)| is_error(*s))
        .collect();
    let distinct_kinds = distinct(errors.iter().map(|(.., k)| k.clone())).len();
    let mut named: Vec<(Value, String)> = Vec::new();
    for (key, _, kind) in &errors {
        let Kind::Json(schema) = kind else { continue };
        if !super::hoist::is_named_shape(schema) {
            continue;
        }
        let ptr = format!("{responses_ptr}/{}", escape_token(key));
        let Some((response, at)) = doc.root.at(&ptr).and_then(|r| resolve(&doc.root, r)) else {
            continue;
        };
        let Some((media, _)) = json_content(response) else {
            continue;
        };
        let response_at = at.unwrap_or_else(|| ptr.clone());
        let schema_ptr = format!("{response_at}/content/{}/schema", escape_token(media));
        if let Some((_, name)) = named.iter().find(|(s, _)| s == schema) {
            let reference = json!({"$ref": format!("#/components/schemas/{name}")});
            if let Some(slot) = doc.root.at_mut(&schema_ptr) {
                *slot = reference;
            }
            continue;
        }
        let shared = response_at
            .strip_prefix("/components/responses/")
            .filter(|rest| !rest.contains('/'))
            .map(crate::document::pointer::unescape_token);
        let base = match shared {
            Some(name) => sanitize(&name, Case::Pascal),
            None if distinct_kinds == 1 => sanitize(&format!("{op_id}-error"), Case::Pascal),
            None => sanitize(&format!("{op_id}-error-{key}"), Case::Pascal),
        };
        let name = fresh_name(&base, taken);
        doc.hoist_schema(&schema_ptr, &name);
        named.push((schema.clone(), name));
    }
}

fn record_error_bodies(doc: &mut Doc, op_ptr: &str, all: &[(String, Status, Kind)]) {
    let mut bodies = Map::new();
    for (key, status, kind) in all {
        if !is_error(*status) {
            continue;
        }
        let body = match kind {
            Kind::Json(schema) => match component_name(schema) {
                Some(name) => json!({"schema": name}),
                None => json!({"json": true}),
            },
            Kind::None | Kind::Upgrade => json!({"none": true}),
            Kind::Raw => json!({"text": true}),
        };
        bodies.insert(key.clone(), body);
    }
    if bodies.is_empty() {
        return;
    }
    if let Some(Value::Object(op)) = doc.root.at_mut(op_ptr) {
        op.insert(ERROR_BODIES_EXTENSION.to_owned(), Value::Object(bodies));
    }
}

/// The component a schema is a plain `$ref` to.
fn component_name(schema: &Value) -> Option<String> {
    let reference = schema.get("$ref")?.as_str()?;
    let token = reference.strip_prefix("#/components/schemas/")?;
    (!token.contains('/')).then(|| {
        crate::document::pointer::unescape_token(&crate::document::pointer::percent_decode(token))
    })
}

/// Statuses whose responses carry no body (RFC 9110: 204 No Content, 205
/// Reset Content).
const BODILESS: [&str; 2] = ["204", "205"];

/// Leaves out the `content` of the `204`/`205` responses that document one.
fn drop_forbidden_bodies(doc: &mut Doc, responses_ptr: &str, op_id: &str) {
    for key in BODILESS {
        let ptr = format!("{responses_ptr}/{key}");
        let has_body = doc
            .root
            .pointer(&ptr)
            .and_then(|r| resolve(&doc.root, r))
            .and_then(|(r, _)| r.get("content").and_then(Value::as_object))
            .is_some_and(|c| !c.is_empty());
        if !has_body || !inline_response(doc, &ptr) {
            continue;
        }
        if let Some(Value::Object(response)) = doc.root.at_mut(&ptr) {
            response.remove("content");
        }
        doc.warn(
            &ptr,
            format!(
                "operation `{op_id}`: a {key} response has no body (RFC 9110), so its documented `content` is left out"
            ),
            Some("remove the `content` of this response, or give it another status"),
        );
    }
}

/// typify keeps one type per name and reuses it for any schema given that
/// name, without comparing shapes (typify-impl 0.8, `assign_type`): the
/// inline success schema progenitor names `<OperationId>Response` became
/// the component of that name when there was one, and every answer failed
/// to decode (qdrant's `facet` read its envelope as the `FacetResponse`
/// inside it). Such a schema moves to a component of a fresh name.
fn name_colliding_success(
    doc: &mut Doc,
    responses_ptr: &str,
    op_id: &str,
    set: &[&(String, Status, Kind)],
    taken: &mut HashSet<String>,
) {
    let kinds = distinct(set.iter().map(|(.., k)| k.clone()));
    let [Kind::Json(schema)] = kinds.as_slice() else {
        return;
    };
    let base = sanitize(&format!("{op_id}-response"), Case::Pascal);
    if schema.get("$ref").is_some() || !named_by_typify(schema) || !taken.contains(&base) {
        return;
    }
    let name = fresh_name(&base, taken);
    let at = format!("/components/schemas/{}", escape_token(&name));
    if let Some(schemas) = doc.section_mut("schemas") {
        schemas.insert(name.clone(), schema.clone());
    }
    doc.origins.record(&at, responses_ptr);
    let reference = json!({"$ref": format!("#/components/schemas/{name}")});
    for (key, ..) in set {
        let ptr = format!("{responses_ptr}/{}", escape_token(key));
        if !inline_response(doc, &ptr) {
            continue;
        }
        let Some(response) = doc.root.at_mut(&ptr) else {
            continue;
        };
        let media = json_content(response).map(|(m, _)| m.clone());
        if let Some(slot) = media.and_then(|m| response["content"][m].get_mut("schema")) {
            *slot = reference.clone();
        }
    }
}

/// Whether typify makes a named type of an inline schema (a struct or an
/// enum), rather than a Rust type of its own (a map, a `Vec`, a string).
fn named_by_typify(schema: &Value) -> bool {
    ["properties", "oneOf", "anyOf", "allOf", "enum"]
        .iter()
        .any(|k| schema.get(k).is_some())
}

/// Copies the shared response that `ptr` refers to into the operation, so
/// that it can change there alone; false when `ptr` does not resolve.
fn inline_response(doc: &mut Doc, ptr: &str) -> bool {
    let Some(current) = doc.root.at(ptr) else {
        return false;
    };
    if current.get("$ref").is_none() {
        return true;
    }
    let Some((target, at)) = resolve(&doc.root, current) else {
        return false;
    };
    let copy = target.clone();
    if let Some(at) = at {
        doc.origins.record(ptr, &at);
    }
    match doc.root.at_mut(ptr) {
        Some(slot) => {
            *slot = copy;
            true
        }
        None => false,
    }
}

/// Replaces `default` by the `targets` statuses that are not declared.
fn move_default(doc: &mut Doc, responses_ptr: &str, targets: &[&str]) {
    let Some(Value::Object(responses)) = doc.root.at_mut(responses_ptr) else {
        return;
    };
    let Some(default) = responses.remove("default") else {
        return;
    };
    let mut added = Vec::new();
    for t in targets {
        let declared = responses.keys().any(|k| k.eq_ignore_ascii_case(t));
        if !declared {
            responses.insert((*t).to_owned(), default.clone());
            added.push(*t);
        }
    }
    for t in added {
        doc.origins.record(
            &format!("{responses_ptr}/{t}"),
            &format!("{responses_ptr}/default"),
        );
    }
}

/// Gives the response at `key` the JSON (or raw) `content`, copying a
/// shared response into the operation first. Other media types stay for
/// the documentation; JSON, when present, is what progenitor decodes.
fn set_content(doc: &mut Doc, responses_ptr: &str, key: &str, content: &Value) {
    let ptr = format!("{responses_ptr}/{}", escape_token(key));
    if !inline_response(doc, &ptr) {
        return;
    }
    let Some(Value::Object(response)) = doc.root.at_mut(&ptr) else {
        return;
    };
    let entry = response
        .entry("content")
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    let Value::Object(existing) = entry else {
        return;
    };
    let Value::Object(new) = content else {
        return;
    };
    // JSON is what progenitor reads: drop other JSON spellings first.
    existing.retain(|m, _| !m.starts_with("application/json"));
    let is_raw = new.contains_key("application/octet-stream");
    if is_raw && !existing.is_empty() {
        return; // already raw
    }
    for (m, v) in new {
        existing.insert(m.clone(), v.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(status("2XX"), Some(Status::Range(2)));
        assert_eq!(status("404"), Some(Status::Code(404)));
        assert_eq!(status("default"), Some(Status::Default));
        assert_eq!(status("x-foo"), None);
    }
}
