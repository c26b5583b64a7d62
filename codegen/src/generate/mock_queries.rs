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
//! A path or header parameter the client writes through the runtime (by
//! the same rule, `syntax::displays_as_serialized` of the matcher's value
//! type and the style: see `queries`), which progenitor matches by a
//! `to_string()` that may not compile or write other text, is matched as
//! the client writes it: its segment in the path's regular expression is
//! `mock::path_pattern(&value, "wire", PathStyle::X, explode)`, its header
//! `mock::header_text(&value, explode)`. Every other path parameter's
//! segment, progenitor's `value.to_string()` put in the regular expression
//! as it is, becomes `mock::path_text(&value.to_string())`: the text the
//! client sends, escaped, so that a value with `.`, `+`, `(` or `?` matches
//! its own requests only.

use std::collections::HashMap;

use openapiv3::OpenAPI;
use syn::visit_mut::VisitMut;
use syn::{
    Expr, FnArg, GenericArgument, ImplItem, Lit, Pat, PathArguments, Type, TypeParamBound,
    WherePredicate,
};

use super::queries::{Location, Plan, Query};
use super::syntax::{displays_as_serialized, option_inner};
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
    for (name, imp) in super::syntax::module_impls(file) {
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
            let path = queries
                .iter()
                .find(|q| q.location == Location::Path && sanitize(&q.name, Case::Snake) == ident);
            let by_runtime = |q: &Query| {
                q.style.is_some_and(|s| {
                    s.variant != "Simple"
                        || !value_type(&f.sig).is_some_and(|t| displays_as_serialized(&t))
                })
            };
            let mut v = Matchers {
                queries,
                takes_vec,
                path: path.filter(|q| by_runtime(q)),
                header_by_runtime: queries
                    .iter()
                    .any(|q| q.location == Location::Header && by_runtime(q)),
                runtime,
                mock: &mock,
            };
            v.visit_block_mut(&mut f.block);
        }
    }
}

struct Matchers<'a> {
    queries: &'a [Query],
    /// The parameter is an array: matched as exploded `form`, as
    /// progenitor's client writes it, when it is not planned otherwise.
    takes_vec: bool,
    /// The matcher is of a path parameter the client writes through the
    /// runtime.
    path: Option<&'a Query>,
    /// A header matcher of this function matches what the runtime writes
    /// (a function matches at most one header).
    header_by_runtime: bool,
    runtime: &'a syn::Path,
    mock: &'a syn::Path,
}

impl VisitMut for Matchers<'_> {
    /// `format!("^/items/{}/.*$", value.to_string())`, of a path matcher.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            return;
        };
        // Only the pattern of a path: `^/…$`.
        let is_path_pattern = matches!(
            args.first(),
            Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }))
                if s.value().starts_with("^/") && s.value().ends_with('$')
        );
        if !is_path_pattern {
            return;
        }
        let mock = self.mock;
        let by_runtime = self.path.and_then(|q| Some((q, q.style?)));
        for arg in args.iter_mut() {
            if let Expr::MethodCall(call) = arg
                && call.method == "to_string"
                && matches!(call.receiver.as_ref(), Expr::Path(p) if p.path.is_ident("value"))
            {
                *arg = match by_runtime {
                    Some((q, style)) => {
                        let (runtime, wire, explode) = (self.runtime, &q.wire, style.explode);
                        let variant =
                            syn::Ident::new(style.variant, proc_macro2::Span::call_site());
                        syn::parse_quote!(
                            #mock::path_pattern(&value, #wire, #runtime::PathStyle::#variant, #explode)
                        )
                    }
                    None => syn::parse_quote!(#mock::path_text(&value.to_string())),
                };
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
        let style = planned.style.filter(|_| self.header_by_runtime);
        if let (Some(style), Some(value)) = (style, call.args.iter_mut().nth(1)) {
            let (mock, explode) = (self.mock, style.explode);
            *value = syn::parse_quote!(#mock::header_text(&value, #explode));
        }
    }
}

/// The type a matcher's `value` holds: `value: &T` or `value: T` with
/// `T: Into<Option<&'a X>>` (an optional parameter's), `X`; `None` when
/// the signature reads otherwise.
fn value_type(sig: &syn::Signature) -> Option<Type> {
    let ty = sig.inputs.iter().find_map(|arg| match arg {
        FnArg::Typed(t) if matches!(t.pat.as_ref(), Pat::Ident(p) if p.ident == "value") => {
            Some(t.ty.as_ref().clone())
        }
        _ => None,
    })?;
    let generic = match &ty {
        Type::Path(p) => p
            .path
            .get_ident()
            .filter(|i| sig.generics.type_params().any(|t| t.ident == **i)),
        _ => None,
    };
    let Some(generic) = generic else {
        return Some(ty);
    };
    let bounds = sig
        .generics
        .type_params()
        .filter(|t| t.ident == *generic)
        .flat_map(|t| t.bounds.iter())
        .chain(
            sig.generics
                .where_clause
                .iter()
                .flat_map(|w| &w.predicates)
                .filter_map(|p| match p {
                    WherePredicate::Type(t) if matches!(&t.bounded_ty, Type::Path(b) if b.path.is_ident(generic)) => Some(&t.bounds),
                    _ => None,
                })
                .flatten(),
        );
    for bound in bounds {
        let TypeParamBound::Trait(t) = bound else {
            continue;
        };
        let Some(last) = t.path.segments.last().filter(|s| s.ident == "Into") else {
            continue;
        };
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            continue;
        };
        if let Some(GenericArgument::Type(into)) = args.args.first() {
            return Some(option_inner(into).unwrap_or_else(|| into.clone()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::value_type;
    use quote::ToTokens;

    #[test]
    fn value_types_of_matchers() {
        let of = |f: &str| {
            let f: syn::ImplItemFn = syn::parse_str(f).unwrap();
            value_type(&f.sig).map(|t| t.to_token_stream().to_string())
        };
        assert_eq!(
            of("fn a(self, value: &str) -> Self {}").as_deref(),
            Some("& str")
        );
        assert_eq!(
            of("fn a(self, value: i32) -> Self {}").as_deref(),
            Some("i32")
        );
        assert_eq!(
            of("fn a<'a, T>(self, value: T) -> Self where T: Into<Option<&'a types::X>> {}")
                .as_deref(),
            Some("& 'a types :: X")
        );
        assert_eq!(
            of("fn a<T: Into<Option<i64>>>(self, value: T) -> Self {}").as_deref(),
            Some("i64")
        );
        assert_eq!(of("fn a(self, other: i32) -> Self {}"), None);
    }
}
