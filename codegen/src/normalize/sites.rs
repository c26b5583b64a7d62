//! Where the passes that name schemas look for them: every request body
//! or response, shared (`#/components/<section>/<name>`) or an
//! operation's own, with what a name made there starts from. `hoist`
//! names inline bodies, `event_streams` the events of responses, and both
//! must see the same sites in the same order for the names to be stable.

use serde_json::Value;

use super::doc::Doc;
use crate::document::operations::operations;
use crate::document::pointer::{Lookup, escape_token};

/// A request body or a response.
pub(crate) struct Site {
    pub(crate) pointer: String,
    pub(crate) owner: Owner,
}

/// What a site belongs to.
pub(crate) enum Owner {
    /// A shared body or response: its key in `components`.
    Component(String),
    /// An operation's own: the operation's id.
    Operation(String),
}

/// The operationId of the operation at `op_ptr`; `operation` without one
/// (the `operation_ids` pass derives every missing one, so only a document
/// of the wrong shape gets here).
pub(crate) fn operation_id(root: &Value, op_ptr: &str) -> String {
    root.at(&format!("{op_ptr}/operationId"))
        .and_then(Value::as_str)
        .unwrap_or("operation")
        .to_owned()
}

/// Every shared request body, then every operation's own that is not a
/// `$ref` (a shared one is named where it is shared), in document order.
pub(crate) fn request_bodies(doc: &Doc) -> Vec<Site> {
    let mut sites = shared(doc, "requestBodies");
    for (op_ptr, ..) in operations(&doc.root) {
        let pointer = format!("{op_ptr}/requestBody");
        if doc
            .root
            .at(&pointer)
            .is_none_or(|body| body.get("$ref").is_some())
        {
            continue;
        }
        sites.push(Site {
            pointer,
            owner: Owner::Operation(operation_id(&doc.root, &op_ptr)),
        });
    }
    sites
}

/// Every shared response, then every response of every operation, in
/// document order (a `$ref` among them has no `content` of its own).
pub(crate) fn responses(doc: &Doc) -> Vec<Site> {
    let mut sites = shared(doc, "responses");
    for (op_ptr, ..) in operations(&doc.root) {
        let Some(Value::Object(responses)) = doc.root.at(&format!("{op_ptr}/responses")) else {
            continue;
        };
        let id = operation_id(&doc.root, &op_ptr);
        sites.extend(responses.keys().map(|status| Site {
            pointer: format!("{op_ptr}/responses/{}", escape_token(status)),
            owner: Owner::Operation(id.clone()),
        }));
    }
    sites
}

fn shared(doc: &Doc, section: &str) -> Vec<Site> {
    doc.component_names(section)
        .into_iter()
        .map(|name| Site {
            pointer: format!("/components/{section}/{}", escape_token(&name)),
            owner: Owner::Component(name),
        })
        .collect()
}
