//! Sends a request body's real media type.
//!
//! Normalization maps a body media type progenitor does not know onto one
//! it does (`application/merge-patch+json` → JSON, `application/xml` →
//! text, `image/png` → bytes) and keeps the real one in
//! `x-codegen-content-type` on the request body. progenitor then writes
//! `Content-Type: application/json` (or `text/plain`, or
//! `application/octet-stream`); this rewrite makes each such `send()`
//! write the real type instead: the literal of its `CONTENT_TYPE` header
//! is replaced, or, for JSON (where reqwest's `.json()` sets the header
//! only when missing), the header is set just before `.json(..)`.
//!
//! The same for responses: a success response normalization renamed to
//! `application/json` (from `application/problem+json`, say) keeps its real
//! type in `x-codegen-accept`, and the `Accept` header progenitor writes
//! (`application/json`) asks for the real one instead: a server that has
//! no `application/json` representation answers 406 to progenitor's.

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr};
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item};

use super::syntax::method_and_path;
use crate::document::extensions::{ACCEPT_EXTENSION, CONTENT_TYPE_EXTENSION};
use crate::document::operations::{OperationKey, plan_operations, typed_request_body};

/// What to rewrite in one `send()`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Media {
    /// The body's media type, for `Content-Type`.
    content_type: Option<String>,
    /// The success response's media type, for `Accept`.
    accept: Option<String>,
}

/// The media types each operation's `send()` sends.
pub(crate) type Plan = HashMap<OperationKey, Media>;

pub(crate) fn plan(api: &OpenAPI) -> Plan {
    plan_operations(api, |_, op| {
        let content_type = typed_request_body(api, op)
            .and_then(|b| b.extensions.get(CONTENT_TYPE_EXTENSION))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        let accept = success_accept(op);
        (content_type.is_some() || accept.is_some()).then_some(Media {
            content_type,
            accept,
        })
    })
}

/// The real media type of the success response, when it was renamed.
fn success_accept(op: &openapiv3::Operation) -> Option<String> {
    op.responses.responses.iter().find_map(|(code, r)| {
        let success = match code {
            openapiv3::StatusCode::Code(c) => (200..300).contains(c),
            openapiv3::StatusCode::Range(r) => *r == 2,
        };
        let ReferenceOr::Item(r) = r else { return None };
        let media = r.content.get("application/json")?;
        let real = media.extensions.get(ACCEPT_EXTENSION)?.as_str()?;
        success.then(|| real.to_owned())
    })
}

/// Sets the planned media types in the `send()` of one item of `mod
/// builder` (a builder's impl).
pub(crate) fn rewrite_item(item: &mut Item, plan: &Plan) {
    if plan.is_empty() {
        return;
    }
    let Item::Impl(imp) = item else { return };
    // The builder's operation, from its `send()`'s doc line.
    let Some(planned) = imp
        .items
        .iter()
        .find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == "send" => method_and_path(f),
            _ => None,
        })
        .and_then(|key| plan.get(&key))
    else {
        return;
    };
    for i in &mut imp.items {
        let ImplItem::Fn(f) = i else { continue };
        // `send()`, the calls beside it (`send_events()`, `send_bytes()`)
        // and `pages()` (the first page is `send()`'s request) send the
        // same request, or build it in the private method both call
        // (`pagination::PREPARE`); the events ask for their own `Accept`.
        let name = f.sig.ident.to_string();
        let prepare = matches!(f.vis, syn::Visibility::Inherited)
            && name.starts_with(super::pagination::PREPARE);
        let same_answer = name == "send" || name == "pages" || prepare;
        if !same_answer && !name.starts_with("send_") {
            continue;
        }
        if let Some(media) = &planned.content_type {
            let mut v = SetHeader {
                header: "CONTENT_TYPE",
                media,
                done: false,
            };
            v.visit_block_mut(&mut f.block);
            if !v.done {
                let mut j = BeforeJson { media, done: false };
                j.visit_block_mut(&mut f.block);
            }
        }
        if let Some(media) = planned.accept.as_ref().filter(|_| same_answer) {
            let mut v = SetHeader {
                header: "ACCEPT",
                media,
                done: false,
            };
            v.visit_block_mut(&mut f.block);
        }
    }
}

fn is_header(call: &syn::ExprMethodCall, header: &str) -> bool {
    call.method == "header"
        && matches!(call.args.first(), Some(Expr::Path(p))
            if p.path.segments.last().is_some_and(|s| s.ident == header))
}

/// Replaces the value of an existing `.header(CONTENT_TYPE, …)` (or
/// `ACCEPT`).
struct SetHeader<'a> {
    header: &'a str,
    media: &'a str,
    done: bool,
}

impl VisitMut for SetHeader<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if is_header(call, self.header) {
            let media = self.media;
            if let Some(value) = call.args.iter_mut().nth(1) {
                *value = syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#media));
                self.done = true;
            }
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// Inserts `.header(CONTENT_TYPE, …)` before `.json(..)`.
struct BeforeJson<'a> {
    media: &'a str,
    done: bool,
}

impl VisitMut for BeforeJson<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method == "json" && !self.done {
            let media = self.media;
            let receiver = &call.receiver;
            let with_header: Expr = syn::parse_quote! {
                #receiver.header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static(#media),
                )
            };
            *call.receiver = with_header;
            self.done = true;
        }
    }
}
