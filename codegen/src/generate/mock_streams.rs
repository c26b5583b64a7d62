//! The typed mocks of operations that answer with a stream.
//!
//! progenitor's httpmock extension answers a response it does not type
//! (anything but JSON) with `ok(value: serde_json::Value)`, sent as
//! `application/json`: for an event stream or a download that is an
//! answer the client rejects (or misreads). This rewrite makes such a
//! success answer what the spec documents:
//!
//! - `text/event-stream`: `ok(events: &[MockEvent])`, the events written
//!   as a stream (`MockEvent::json(&value)` for typed data, `text`,
//!   `done()` for the `[DONE]` sentinel); where the response offers JSON
//!   too, `ok(&value)` stays and `ok_events(events)` joins it;
//! - any other media type: `ok(bytes: &[u8])` with the documented
//!   `Content-Type` (`application/octet-stream` for a wildcard).
//!
//! The helpers are the runtime's (`MockEvent`, `event_stream_text`, behind
//! the client crate's `mock` feature), reached through the runtime path.

use std::collections::HashMap;

use quote::format_ident;
use syn::visit_mut::VisitMut;
use syn::{Expr, FnArg, ImplItem, ImplItemFn, Type};

use super::streams::{Plan, Stream};
use crate::naming::{Case, sanitize};

pub(crate) fn rewrite(file: &mut syn::File, plan: &Plan, runtime: &syn::Path) {
    let by_then: HashMap<String, &Stream> = plan
        .by_operation_id()
        .into_iter()
        .map(|(id, s)| (format!("{}Then", sanitize(id, Case::Pascal)), s))
        .collect();
    if by_then.is_empty() {
        return;
    }
    for (name, imp) in super::syntax::module_impls(file) {
        let Some(stream) = by_then.get(&name) else {
            continue;
        };
        let mut added = Vec::new();
        for i in &mut imp.items {
            let ImplItem::Fn(f) = i else { continue };
            let Some(status) = success_status(f) else {
                continue;
            };
            match (stream, raw_value(f)) {
                (Stream::Events { .. }, true) => *f = events_fn(f, &status, runtime),
                (Stream::Bytes { media }, true) => *f = bytes_fn(f, &status, media),
                (Stream::Events { json_too: true, .. }, false) if added.is_empty() => {
                    let mut events = events_fn(f, &status, runtime);
                    events.sig.ident = format_ident!("{}_events", f.sig.ident);
                    added.push(ImplItem::Fn(events));
                }
                _ => {}
            }
        }
        imp.items.extend(added);
    }
}

/// The status a response setter answers with, when it is a success: a
/// 2xx literal, or the `status` parameter of `success(status, ..)`.
fn success_status(f: &ImplItemFn) -> Option<Expr> {
    struct Find(Option<Expr>);
    impl VisitMut for Find {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            if call.method == "status"
                && let Some(arg) = call.args.first()
            {
                self.0 = Some(arg.clone());
            }
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut find = Find(None);
    find.visit_block_mut(&mut f.block.clone());
    let status = find.0?;
    let success = match &status {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Int(i) => i
                .base10_parse::<u16>()
                .is_ok_and(|c| (200..300).contains(&c)),
            _ => false,
        },
        Expr::Path(_) => f.sig.ident == "success",
        _ => false,
    };
    success.then_some(status)
}

/// Whether the setter takes progenitor's untyped `value: serde_json::Value`
/// (a response it does not decode).
fn raw_value(f: &ImplItemFn) -> bool {
    f.sig.inputs.iter().any(|a| match a {
        FnArg::Typed(pt) => {
            matches!(pt.pat.as_ref(), syn::Pat::Ident(i) if i.ident == "value")
                && matches!(pt.ty.as_ref(), Type::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "Value"))
        }
        FnArg::Receiver(_) => false,
    })
}

/// The setter's parameters other than `self` and `value` (a range's
/// `status: u16`).
fn kept_inputs(f: &ImplItemFn) -> Vec<FnArg> {
    f.sig
        .inputs
        .iter()
        .filter(|a| match a {
            FnArg::Typed(pt) => {
                !matches!(pt.pat.as_ref(), syn::Pat::Ident(i) if i.ident == "value")
            }
            FnArg::Receiver(_) => false,
        })
        .cloned()
        .collect()
}

fn events_fn(f: &ImplItemFn, status: &Expr, runtime: &syn::Path) -> ImplItemFn {
    let name = &f.sig.ident;
    let inputs = kept_inputs(f);
    let doc = format!(
        " Responds with status {} and `events` as a `text/event-stream` body",
        shown(status)
    );
    let more = " (`MockEvent::json(&value)` for typed data, `MockEvent::done()` for `[DONE]`).";
    syn::parse_quote! {
        #[doc = #doc]
        #[doc = #more]
        pub fn #name(self, #(#inputs,)* events: &[#runtime::MockEvent]) -> Self {
            Self(
                self.0
                    .status(#status)
                    .header("content-type", "text/event-stream")
                    .body(#runtime::event_stream_text(events)),
            )
        }
    }
}

fn bytes_fn(f: &ImplItemFn, status: &Expr, media: &str) -> ImplItemFn {
    let name = &f.sig.ident;
    let inputs = kept_inputs(f);
    let doc = format!(
        " Responds with status {} and `bytes` as the `{media}` body.",
        shown(status)
    );
    syn::parse_quote! {
        #[doc = #doc]
        pub fn #name(self, #(#inputs,)* bytes: &[u8]) -> Self {
            Self(self.0.status(#status).header("content-type", #media).body(bytes))
        }
    }
}

/// A status for the docs: `200`, or `status` (the parameter).
fn shown(status: &Expr) -> String {
    match status {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_digits().to_owned(),
        _ => "`status`".to_owned(),
    }
}
