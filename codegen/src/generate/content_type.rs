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

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr};
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item};

use super::syntax::method_and_path;
use crate::document::extensions::CONTENT_TYPE_EXTENSION;

/// `(METHOD, path)` → the media type to send.
pub(crate) fn plan(api: &OpenAPI) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    let bodies = api.components.as_ref().map(|c| &c.request_bodies);
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let body = match &op.request_body {
                Some(ReferenceOr::Item(b)) => Some(b),
                Some(ReferenceOr::Reference { reference }) => reference
                    .rsplit('/')
                    .next()
                    .and_then(|n| bodies.and_then(|b| b.get(n)))
                    .and_then(ReferenceOr::as_item),
                None => None,
            };
            let real = body
                .and_then(|b| b.extensions.get(CONTENT_TYPE_EXTENSION))
                .and_then(serde_json::Value::as_str);
            if let Some(real) = real {
                out.insert((method.to_uppercase(), path.clone()), real.to_owned());
            }
        }
    }
    out
}

/// Sets the planned media type in the `send()` of one item of `mod
/// builder` (a builder's impl).
pub(crate) fn rewrite_item(item: &mut Item, plan: &HashMap<(String, String), String>) {
    if plan.is_empty() {
        return;
    }
    let Item::Impl(imp) = item else { return };
    for i in &mut imp.items {
        let ImplItem::Fn(f) = i else { continue };
        if f.sig.ident != "send" {
            continue;
        }
        let Some(key) = method_and_path(f) else {
            continue;
        };
        let Some(media) = plan.get(&key) else {
            continue;
        };
        let mut v = SetContentType { media, done: false };
        v.visit_block_mut(&mut f.block);
        if !v.done {
            let mut j = BeforeJson { media, done: false };
            j.visit_block_mut(&mut f.block);
        }
    }
}

fn is_content_type_header(call: &syn::ExprMethodCall) -> bool {
    call.method == "header"
        && matches!(call.args.first(), Some(Expr::Path(p))
            if p.path.segments.last().is_some_and(|s| s.ident == "CONTENT_TYPE"))
}

/// Replaces the value of an existing `.header(CONTENT_TYPE, …)`.
struct SetContentType<'a> {
    media: &'a str,
    done: bool,
}

impl VisitMut for SetContentType<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if is_content_type_header(call) {
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
