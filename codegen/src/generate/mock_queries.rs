//! The typed mocks' matchers of query parameters progenitor cannot match.
//!
//! progenitor's httpmock extension matches every query parameter as
//! `query_param(name, value.to_string())`: right for a scalar, but an
//! array (`Vec` has no `Display`) or an object (typify writes none) does
//! not compile, and a parameter of another style (see `queries`)
//! would not be written so by the client anyway. For those the matcher
//! becomes the runtime's `mock::WhenQueryExt::query_styled(.., value,
//! Style::X, explode)`, which expects the pairs the client's
//! `append_query` writes, and "not set" `query_absent(name)`. Scalars
//! keep progenitor's matcher (and specs with nothing else their output).
//! Every matcher expects the wire name, which progenitor's does not for
//! a parameter normalization renamed: query keys and header names alike.
//!
//! An array or object path or header parameter, which progenitor matches
//! by a `to_string()` that does not compile for it, is matched as the
//! client writes it (`simple` style): its segment in the path's regular
//! expression is `mock::path_pattern(value, explode)`, its header
//! `mock::header_text(value, explode)`.

use std::collections::HashMap;

use openapiv3::OpenAPI;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Lit, Type};

use super::queries::{Location, Plan, Query};
use crate::document::operations::keyed_operations;
use crate::naming::{Case, sanitize};

/// `…When` wrapper → the parameters its operation's `send()` appends.
fn by_when<'a>(api: &OpenAPI, plan: &'a Plan) -> HashMap<String, &'a [Query]> {
    keyed_operations(api)
        .filter_map(|(key, _, op)| {
            let (id, queries) = (op.operation_id.as_ref()?, plan.get(&key)?);
            Some((sanitize(&format!("{id}-when"), Case::Pascal), &queries[..]))
        })
        .collect()
}

pub(crate) fn rewrite(file: &mut syn::File, api: &OpenAPI, plan: &Plan, runtime: &syn::Path) {
    let planned = by_when(api, plan);
    let mut mock = runtime.clone();
    if let Some(last) = mock.segments.last_mut() {
        last.ident = syn::Ident::new("mock", last.ident.span());
    }
    for item in &mut file.items {
        let Item::Mod(m) = item else { continue };
        let Some((_, items)) = &mut m.content else {
            continue;
        };
        for item in items {
            let Item::Impl(imp) = item else { continue };
            let Type::Path(p) = imp.self_ty.as_ref() else {
                continue;
            };
            let Some(name) = p.path.get_ident().map(ToString::to_string) else {
                continue;
            };
            if !name.ends_with("When") {
                continue;
            }
            let queries = planned.get(&name).copied().unwrap_or_default();
            for i in &mut imp.items {
                let ImplItem::Fn(f) = i else { continue };
                let takes_vec = quote::ToTokens::to_token_stream(&f.sig)
                    .to_string()
                    .contains("Vec <");
                let ident = f.sig.ident.to_string();
                let path = queries.iter().find(|q| {
                    q.location == Location::Path && sanitize(&q.name, Case::Snake) == ident
                });
                let mut v = Matchers {
                    queries,
                    takes_vec,
                    path: path.and_then(|q| q.style).map(|s| s.explode),
                    runtime,
                    mock: &mock,
                };
                v.visit_block_mut(&mut f.block);
            }
        }
    }
}

struct Matchers<'a> {
    queries: &'a [Query],
    /// The parameter is an array: matched as exploded `form`, as
    /// progenitor's client writes it, when it is not planned otherwise.
    takes_vec: bool,
    /// The matcher is of an array or object path parameter: `explode`.
    path: Option<bool>,
    runtime: &'a syn::Path,
    mock: &'a syn::Path,
}

impl VisitMut for Matchers<'_> {
    /// `format!("^/items/{}/.*$", value.to_string())`, of a path matcher.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let Some(explode) = self.path else { return };
        if !mac.path.is_ident("format") {
            return;
        }
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            return;
        };
        let mock = self.mock;
        for arg in args.iter_mut() {
            if let Expr::MethodCall(call) = arg
                && call.method == "to_string"
                && matches!(call.receiver.as_ref(), Expr::Path(p) if p.path.is_ident("value"))
            {
                *arg = syn::parse_quote!(#mock::path_pattern(value, #explode));
            }
        }
        mac.tokens = quote::quote!(#args);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        if call.method == "header" || call.method == "header_missing" {
            self.header(call);
            return;
        }
        let missing = call.method == "query_param_missing";
        if !(call.method == "query_param" || missing) {
            return;
        }
        let Some(Expr::Lit(lit)) = call.args.first() else {
            return;
        };
        let Lit::Str(name) = &lit.lit else { return };
        let planned = self
            .queries
            .iter()
            .find(|q| q.location == Location::Query && q.name == name.value());
        let wire = planned.map_or_else(|| name.value(), |q| q.wire.clone());
        let (style, explode) = match planned.and_then(|q| q.style) {
            Some(style) => (style.variant, style.explode),
            None if self.takes_vec => ("Form", true),
            None => {
                // progenitor's matcher, which only the name may make wrong.
                if planned.is_some_and(|q| q.wire != q.name)
                    && let Some(Expr::Lit(lit)) = call.args.first_mut()
                    && let Lit::Str(name) = &mut lit.lit
                {
                    *name = syn::LitStr::new(&wire, name.span());
                }
                return;
            }
        };
        let name = wire;
        let (mock, runtime, receiver) = (self.mock, self.runtime, &call.receiver);
        let style = syn::Ident::new(style, proc_macro2::Span::call_site());
        *expr = if missing {
            syn::parse_quote!(#mock::WhenQueryExt::query_absent(#receiver, #name))
        } else {
            syn::parse_quote! {
                #mock::WhenQueryExt::query_styled(#receiver, #name, value, #runtime::Style::#style, #explode)
            }
        };
    }
}

impl Matchers<'_> {
    /// `header("name", value.to_string())` / `header_missing("name")`:
    /// the wire name, and an array or object as the client writes it.
    fn header(&self, call: &mut syn::ExprMethodCall) {
        let Some(Expr::Lit(lit)) = call.args.first_mut() else {
            return;
        };
        let Lit::Str(name) = &mut lit.lit else { return };
        let Some(planned) = self
            .queries
            .iter()
            .find(|q| q.location == Location::Header && q.name == name.value())
        else {
            return;
        };
        *name = syn::LitStr::new(&planned.wire, name.span());
        if let (Some(style), Some(value)) = (planned.style, call.args.iter_mut().nth(1)) {
            let (mock, explode) = (self.mock, style.explode);
            *value = syn::parse_quote!(#mock::header_text(value, #explode));
        }
    }
}
