//! Writing an [`Operation`] as its `Client` method and its builder: the
//! struct, the setters and a `send()` around the moved request building.

use std::collections::HashSet;

use quote::format_ident;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Pat, Stmt};

use super::operation_templates::{
    BUILDER, CLIENT, DECODE, ENTRY, Fill, METHOD, NAME, OperationTemplates, REQUEST,
};
use super::positional::{Operation, Slot};
use super::streams::{self, Call};
use super::templates::Templates;
use crate::generate::streams::Stream;

impl Operation {
    pub(super) fn client_method(&self, templates: &OperationTemplates) -> syn::ImplItemFn {
        let idents = [(METHOD, &self.method), (BUILDER, &self.builder)];
        templates.client_method(&self.doc, &Fill::new(&idents))
    }

    /// The builder struct and its impl. Standard names are spelled out
    /// (`paths` shortens them where nothing shadows them). The moved
    /// request building is spliced into the cloned `send()` as syntax:
    /// printing it into the tokens would only have it parsed again.
    pub(super) fn into_builder_items(
        mut self,
        runtime: &syn::Path,
        templates: &Templates,
        stream: Option<&Stream>,
    ) -> Result<Vec<Item>, String> {
        let planned = streams::calls(&self, stream, runtime);
        let mut calls = Vec::with_capacity(planned.len());
        for (i, call) in planned.iter().enumerate() {
            // The request building moves into the last call.
            let body = if i + 1 == planned.len() {
                std::mem::take(&mut self.body)
            } else {
                self.body.clone()
            };
            calls.push(self.call_fn(call, runtime, &templates.operation, body)?);
        }
        let Operation {
            method,
            builder,
            client,
            params,
            ..
        } = &self;
        let ops = &templates.operation;
        let idents = [(BUILDER, builder), (CLIENT, client)];
        let fill = Fill::new(&idents).runtime(runtime);
        let struct_doc = format!(" Builder for [`Client::{method}`](super::Client::{method}).");
        // The fields after the client's, the setters after `new`, then the calls.
        let mut s = ops.builder_struct(self.cloneable, &struct_doc, &fill);
        if let syn::Fields::Named(named) = &mut s.fields {
            for p in params {
                named.named.push(templates.field(p));
                named.named.push_punct(Default::default());
            }
        }
        let mut imp = ops.new_impl(&fill);
        if let Some(Expr::Struct(init)) = new_body(&mut imp) {
            for p in params {
                let default = matches!(p.slot, Slot::DefaultBody);
                init.fields.push(ops.init(default, &p.ident));
                init.fields.push_punct(Default::default());
            }
        }
        for p in params {
            templates.setters(p, &mut imp.items);
        }
        imp.items
            .push(ImplItem::Fn(templates.operation.options_method(runtime)));
        imp.items.extend(calls.into_iter().map(ImplItem::Fn));
        Ok(vec![Item::Struct(s), Item::Impl(imp)])
    }

    /// One `send*()`: the parameters checked, progenitor's request
    /// building (moved as syntax: printing it into the tokens would only
    /// have it parsed again), the runtime call.
    fn call_fn(
        &self,
        call: &Call,
        runtime: &syn::Path,
        templates: &OperationTemplates,
        mut body: Vec<Stmt>,
    ) -> Result<syn::ImplItemFn, String> {
        let Operation {
            method,
            client,
            params,
            entry,
            request,
            send_doc,
            ..
        } = self;
        let Call {
            name,
            decode,
            success,
            doc,
            accept,
        } = call;
        // A request that can be built again is built by a closure, once per
        // attempt: nothing is copied when the first attempt succeeds. The
        // closure borrows the parameters (progenitor's request building was
        // written for borrowed parameters anyway). A raw body (a stream)
        // cannot be rebuilt: that request is built once and copied for
        // retries where it can be.
        let rebuild = self.cloneable && call.rebuilds() && !body.iter().any(sets_raw_body);
        let decode_with;
        let decode = if rebuild {
            decode_with = format_ident!("{}_with", decode);
            &decode_with
        } else {
            decode
        };
        let idents = [
            (NAME, name),
            (CLIENT, client),
            (ENTRY, entry),
            (REQUEST, request),
            (DECODE, decode),
        ];
        let fill = Fill::new(&idents).runtime(runtime).success(success);
        let mut send = templates.send(rebuild, &fill);
        set_docs(&mut send.attrs, send_doc, doc, templates);
        let Some(Stmt::Local(destructure)) = send.block.stmts.first_mut() else {
            return Err(format!("the {name}() of `{method}` has no destructuring"));
        };
        if let Pat::Struct(pat) = &mut destructure.pat {
            for (i, p) in params.iter().enumerate() {
                pat.fields.push_value(templates.field_pat(&p.ident));
                if i + 1 < params.len() {
                    pat.fields.push_punct(Default::default());
                }
            }
        }
        let checks: Vec<Stmt> = params
            .iter()
            .filter(|p| matches!(p.slot, Slot::Required))
            .map(|p| {
                let name = p.ident.to_string();
                templates.check(&p.ident, name.trim_start_matches("r#"), runtime)
            })
            .collect();
        let required = checks.len();
        send.block.stmts.splice(1..1, checks);
        let names: HashSet<String> = params.iter().map(|p| p.ident.to_string()).collect();
        if let Some(media) = accept {
            let mut v = SetAccept(media);
            for stmt in &mut body {
                v.visit_stmt_mut(stmt);
            }
        }
        if rebuild {
            // Into the closure, before its `Ok(request)`.
            let closure = send.block.stmts.last_mut().and_then(find_closure_block);
            let Some(block) = closure else {
                return Err(format!("the {name}() of `{method}` has no request closure"));
            };
            // The closure borrows what it uses: progenitor's request
            // building only moves an optional header's value out of its
            // `Option` (`if let Some(value) = x_trace_id`); borrow it.
            let mut borrow = BorrowMatched(names);
            for stmt in &mut body {
                borrow.visit_stmt_mut(stmt);
            }
            block.stmts.splice(0..0, body);
        } else {
            // After the destructuring and the checks, before the runtime call.
            let at = 1 + required;
            send.block.stmts.splice(at..at, body);
        }
        Ok(send)
    }
}

/// The send doc, then the call's doc lines, in place of the template's.
fn set_docs(
    attrs: &mut Vec<syn::Attribute>,
    send_doc: &str,
    lines: &[&str],
    templates: &OperationTemplates,
) {
    attrs.clear();
    attrs.push(templates.doc(send_doc));
    attrs.extend(lines.iter().map(|l| templates.doc(l)));
}

/// The `Self { .. }` that `new()` returns.
fn new_body(imp: &mut syn::ItemImpl) -> Option<&mut Expr> {
    let ImplItem::Fn(new) = imp.items.first_mut()? else {
        return None;
    };
    match new.block.stmts.last_mut()? {
        Stmt::Expr(e, None) => Some(e),
        _ => None,
    }
}

/// `.header(ACCEPT, ..)` → `.header(ACCEPT, <media>)`.
struct SetAccept(&'static str);

impl VisitMut for SetAccept {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        let accept = call.method == "header"
            && matches!(call.args.first(), Some(Expr::Path(p))
                if p.path.segments.last().is_some_and(|s| s.ident == "ACCEPT"));
        if accept && let Some(value) = call.args.iter_mut().nth(1) {
            let media = self.0;
            *value = syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#media));
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// `if let Some(v) = param` → `if let Some(v) = &param`, for the
/// parameters named.
struct BorrowMatched(HashSet<String>);

impl VisitMut for BorrowMatched {
    fn visit_expr_let_mut(&mut self, e: &mut syn::ExprLet) {
        syn::visit_mut::visit_expr_let_mut(self, e);
        let named = matches!(e.expr.as_ref(),
            Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.0.contains(&i.to_string())));
        if named {
            let scrutinee = &e.expr;
            *e.expr = syn::parse_quote!(&#scrutinee);
        }
    }
}

/// Whether a statement hands a value to `.body(..)` (a raw or text body,
/// which takes its value by move: that request is not rebuilt).
fn sets_raw_body(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            self.0 |= call.method == "body";
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut f = Finder(false);
    f.visit_stmt_mut(&mut stmt.clone());
    f.0
}

/// The block of the request-building closure passed to the runtime in
/// `stmt` (`runtime::send_json_with(.., || { .. }).await`).
fn find_closure_block(stmt: &mut Stmt) -> Option<&mut syn::Block> {
    let expr = match stmt {
        Stmt::Expr(e, _) => e,
        _ => return None,
    };
    let Expr::Await(awaited) = expr else {
        return None;
    };
    let Expr::Call(call) = awaited.base.as_mut() else {
        return None;
    };
    call.args.iter_mut().find_map(|arg| match arg {
        Expr::Closure(c) => match c.body.as_mut() {
            Expr::Block(b) => Some(&mut b.block),
            _ => None,
        },
        _ => None,
    })
}
