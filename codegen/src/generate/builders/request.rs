//! Rewrites of the request building moved from a positional method into
//! a builder's `send()`.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Expr;
use syn::visit_mut::VisitMut;

/// `encode_path(&id.to_string())` → `id` (displayed by the URL's
/// `format!`) for parameters whose text never needs escaping:
/// percent-encoding a UUID on every request costs about as much as the
/// rest of building the URL.
pub(super) struct PlainPathSegments(pub(super) HashSet<String>);

impl VisitMut for PlainPathSegments {
    /// progenitor builds the URL in `format!(..)`, whose arguments syn keeps
    /// as tokens: parse them, rewrite, print them back.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            return;
        };
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        mac.tokens = quote!(#args);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        self.rewrite(expr);
    }
}

impl PlainPathSegments {
    /// The rewrite at one expression, its children done.
    fn rewrite(&self, expr: &mut Expr) {
        let Expr::Call(call) = expr else { return };
        let Expr::Path(func) = call.func.as_ref() else {
            return;
        };
        let is_encode = func
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "encode_path");
        if !is_encode || call.args.len() != 1 {
            return;
        }
        let Some(Expr::Reference(arg)) = call.args.first() else {
            return;
        };
        let Expr::MethodCall(to_string) = arg.expr.as_ref() else {
            return;
        };
        let receiver_is_safe = matches!(to_string.receiver.as_ref(),
            Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.0.contains(&i.to_string())));
        if to_string.method == "to_string" && to_string.args.is_empty() && receiver_is_safe {
            // The value itself: `format!` displays it without a String.
            *expr = (*to_string.receiver).clone();
        }
    }
}

fn replace_self(tokens: TokenStream, client: &syn::Ident) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(i) if i == "self" => TokenTree::Ident(client.clone()),
            TokenTree::Group(g) => {
                let mut new = Group::new(g.delimiter(), replace_self(g.stream(), client));
                new.set_span(g.span());
                TokenTree::Group(new)
            }
            other => other,
        })
        .collect()
}

/// The rewrites of the moved request building, in one walk:
/// - `self` (the client, in a positional method) → the builder's client
///   binding; `Self` → `super::Client`;
/// - `Error::InvalidRequest` (progenitor's variant) →
///   `Error::invalid_request` (the runtime's constructor); and
///   `.form_urlencoded(&body)?`, whose error type progenitor left to the
///   return type, names one (the runtime's `Error` converts from any
///   `progenitor_client::Error<E>`);
/// - `client.client.options(url)` / `.trace(url)`, which `reqwest::Client`
///   does not have → `.request(Method::OPTIONS, url)`;
/// - [`PlainPathSegments`].
pub(super) struct IntoSend {
    pub(super) client: syn::Ident,
    pub(super) plain: PlainPathSegments,
}

impl VisitMut for IntoSend {
    fn visit_expr_path_mut(&mut self, e: &mut syn::ExprPath) {
        if e.qself.is_none() && e.path.is_ident("self") {
            e.path = syn::Path::from(self.client.clone());
            return;
        }
        syn::visit_mut::visit_expr_path_mut(self, e);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments[0].ident == "Self"
        {
            let rest: Vec<_> = path.segments.iter().skip(1).cloned().collect();
            *path = syn::parse_quote!(super::Client);
            path.segments.extend(rest);
            return;
        }
        if path.segments.len() == 2
            && path.segments[0].ident == "Error"
            && path.segments[1].ident == "InvalidRequest"
        {
            path.segments[1].ident = format_ident!("invalid_request");
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    /// `format!("{}/v1/..", self.baseurl, ..)`: macro arguments are tokens.
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        m.tokens = replace_self(std::mem::take(&mut m.tokens), &self.client);
        self.plain.visit_macro_mut(m);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Expr::MethodCall(call) = expr
            && call.method == "form_urlencoded"
        {
            let receiver = &call.receiver;
            let args = &call.args;
            *expr = syn::parse_quote! {
                <::reqwest::RequestBuilder as RequestBuilderExt<()>>::form_urlencoded(#receiver, #args)
            };
        }
        // `reqwest::Client` has a method per HTTP method but `options`
        // and `trace`: progenitor calls them anyway.
        if let Expr::MethodCall(call) = expr
            && (call.method == "options" || call.method == "trace")
            && call.args.len() == 1
            && matches!(&*call.receiver, Expr::Field(f) if matches!(&f.member, syn::Member::Named(n) if n == "client"))
        {
            let method = format_ident!("{}", call.method.to_string().to_uppercase());
            let receiver = &call.receiver;
            let url = &call.args[0];
            *expr = syn::parse_quote!(#receiver.request(::reqwest::Method::#method, #url));
        }
        self.plain.rewrite(expr);
    }
}
