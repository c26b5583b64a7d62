//! Request bodies the spec makes optional (`requestBody.required` absent
//! or `false`, OpenAPI's default).
//!
//! progenitor takes every body as a required argument, so a builder would
//! refuse to send without one, or (a type with a `Default`) always send
//! `{}`. Here such a body is an `Option` like any optional parameter, and
//! the call that sets it on the request builder (`.json(&body)`,
//! `form_urlencoded(.., &body)?`, `.header(CONTENT_TYPE, ..).body(body)`)
//! runs only when it is set:
//!
//! ```ignore
//! let request = {
//!     let builder = client.client.post(url).header(ACCEPT, ..);
//!     match &body { Some(body) => builder.json(body), None => builder }
//! }
//! .build()?;
//! ```

use std::collections::HashSet;

use openapiv3::OpenAPI;
use syn::visit_mut::VisitMut;
use syn::{Expr, Stmt};

use super::positional::{Operation, Slot};
use crate::document::operations::{OperationKey, plan_operations, typed_request_body};

/// `(METHOD, path)` of the operations whose request body is optional.
pub(crate) type Plan = HashSet<OperationKey>;

pub(crate) fn plan(api: &OpenAPI) -> Plan {
    plan_operations(api, |_, op| {
        typed_request_body(api, op)
            .is_some_and(|b| !b.required)
            .then_some(())
    })
    .into_keys()
    .collect()
}

/// Makes the body of `op` optional. When its request building does not
/// set the body in a way known here, the body stays required: sent
/// always, as before, rather than dropped.
pub(super) fn apply(op: &mut Operation) {
    let mut rewrite = Conditional { done: 0 };
    for stmt in &mut op.body {
        rewrite.visit_stmt_mut(stmt);
    }
    if rewrite.done != 1 {
        return;
    }
    for p in &mut op.params {
        if p.ident == "body" {
            p.slot = Slot::Optional;
        }
    }
}

struct Conditional {
    done: usize,
}

impl VisitMut for Conditional {
    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        // Only the statement that builds the request: `let request = ..;`.
        if matches!(stmt, Stmt::Local(_)) {
            syn::visit_mut::visit_stmt_mut(self, stmt);
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some(conditional) = conditional(expr) {
            *expr = conditional;
            self.done += 1;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// The conditional form of `expr` when it is the call that sets the body.
fn conditional(expr: &Expr) -> Option<Expr> {
    match expr {
        // `recv.json(&body)`
        Expr::MethodCall(call) if call.method == "json" && is_body_ref(call.args.first()) => {
            let recv = &call.receiver;
            Some(syn::parse_quote! {{
                let builder = #recv;
                match &body { Some(body) => builder.json(body), None => builder }
            }})
        }
        // `<..>::form_urlencoded(recv, &body)?`
        Expr::Try(t) => {
            let Expr::Call(call) = t.expr.as_ref() else {
                return None;
            };
            let Expr::Path(func) = call.func.as_ref() else {
                return None;
            };
            let is_form = func
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "form_urlencoded");
            if !is_form || call.args.len() != 2 || !is_body_ref(call.args.iter().nth(1)) {
                return None;
            }
            let mut set = call.clone();
            let recv = std::mem::replace(&mut set.args[0], syn::parse_quote!(builder));
            set.args[1] = syn::parse_quote!(body);
            Some(syn::parse_quote! {{
                let builder = #recv;
                match &body { Some(body) => #set?, None => builder }
            }})
        }
        // `recv.header(CONTENT_TYPE, ..).body(body)`
        Expr::MethodCall(call)
            if call.method == "body"
                && matches!(call.args.first(), Some(Expr::Path(p)) if p.path.is_ident("body")) =>
        {
            let mut set = call.clone();
            let recv = match set.receiver.as_mut() {
                Expr::MethodCall(header) if header.method == "header" => {
                    std::mem::replace(&mut header.receiver, syn::parse_quote!(builder))
                }
                other => Box::new(std::mem::replace(other, syn::parse_quote!(builder))),
            };
            Some(syn::parse_quote! {{
                let builder = #recv;
                match body { Some(body) => #set, None => builder }
            }})
        }
        _ => None,
    }
}

/// `&body`.
fn is_body_ref(arg: Option<&Expr>) -> bool {
    matches!(arg, Some(Expr::Reference(r))
        if matches!(r.expr.as_ref(), Expr::Path(p) if p.path.is_ident("body")))
}
