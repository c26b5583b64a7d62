//! Parameters progenitor does not write as the spec says (see
//! `generate::queries`), in one rewrite of the request building: a styled
//! query one's `.query(&QueryParam::new("name", &name))` leaves the chain,
//! and after `let request = ….build()?;` comes
//! `runtime::append_query(request.url_mut(), "wire", &name, Style::X, explode)?;`;
//! one that is only renamed stays in the chain, under its wire name. A
//! header goes out under its wire name too, and a path or header
//! parameter whose type does not display as it serializes, or a path one
//! of the `label` or `matrix` style, through `runtime::path_segment` /
//! `runtime::header_value` instead of `to_string()`.

use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Expr, Lit, Pat, Stmt};

use super::positional::Param;
use crate::generate::queries::{Location, Query};
use crate::generate::syntax::displays_as_serialized;
use crate::naming::{Case, sanitize};

/// Rewrites `body` (ending in `let request = ..;`) for the planned
/// parameters. Errors when a styled parameter has no `.query(..)` there:
/// progenitor's output is not what this expects.
pub(super) fn route(
    body: &mut Vec<Stmt>,
    request: &syn::Ident,
    planned: &[Query],
    params: &[Param],
    runtime: &syn::Path,
) -> Result<(), String> {
    let mut take = TakeQueries {
        planned,
        taken: Vec::new(),
    };
    let mut others = PathsAndHeaders {
        planned,
        params,
        runtime,
    };
    for stmt in body.iter_mut() {
        take.visit_stmt_mut(stmt);
        others.visit_stmt_mut(stmt);
    }
    if let Some(Stmt::Local(local)) = body.last_mut()
        && let Pat::Ident(p) = &mut local.pat
        && !take.taken.is_empty()
    {
        p.mutability = Some(Default::default());
    }
    for query in planned.iter().filter(|q| q.location == Location::Query) {
        let Some(style) = query.style else { continue };
        let Some((_, value)) = take.taken.iter().find(|(name, _)| *name == query.name) else {
            return Err(format!(
                "query parameter `{}` has no `.query(..)` in the request building",
                query.name
            ));
        };
        let wire = &query.wire;
        let variant = syn::Ident::new(style.variant, proc_macro2::Span::call_site());
        let explode = style.explode;
        body.push(syn::parse_quote! {
            #runtime::append_query(#request.url_mut(), #wire, #value, #runtime::Style::#variant, #explode)?;
        });
    }
    Ok(())
}

/// Takes the styled `.query(&QueryParam::new(name, value))` calls out of
/// the method chains, keeping each name's value expression, and writes
/// the wire name into those of the parameters only renamed.
struct TakeQueries<'a> {
    planned: &'a [Query],
    taken: Vec<(String, Expr)>,
}

impl VisitMut for TakeQueries<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some((name, value)) = query_param(&mut call.args[0]) else {
            return;
        };
        let Some(query) = self
            .planned
            .iter()
            .find(|q| q.location == Location::Query && q.name == name.value())
        else {
            return;
        };
        if query.style.is_some() {
            self.taken.push((query.name.clone(), value.clone()));
            *expr = (*call.receiver).clone();
        } else {
            *name = syn::LitStr::new(&query.wire, name.span());
        }
    }
}

/// `&…::QueryParam::new("name", value)` → its `"name"` and `value`.
fn query_param(arg: &mut Expr) -> Option<(&mut syn::LitStr, &Expr)> {
    let Expr::Reference(r) = arg else { return None };
    let Expr::Call(call) = r.expr.as_mut() else {
        return None;
    };
    let Expr::Path(func) = call.func.as_ref() else {
        return None;
    };
    let segments: Vec<String> = func
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if !segments.ends_with(&["QueryParam".to_owned(), "new".to_owned()]) || call.args.len() != 2 {
        return None;
    }
    let mut args = call.args.iter_mut();
    let (Some(Expr::Lit(lit)), Some(value)) = (args.next(), args.next()) else {
        return None;
    };
    let Lit::Str(name) = &mut lit.lit else {
        return None;
    };
    Some((name, value))
}

/// The path and header parameters of the plan, in progenitor's
/// `format!("{}/items/{}", client.baseurl, encode_path(&ids.to_string()))`
/// (or `id`, a URL-safe value `PlainPathSegments` left bare) and
/// `header_map.append("X-Tags", value.to_string().try_into()?)`.
struct PathsAndHeaders<'a> {
    planned: &'a [Query],
    params: &'a [Param],
    runtime: &'a syn::Path,
}

impl PathsAndHeaders<'_> {
    /// The planned parameter of `location` whose Rust name is `ident`.
    fn by_ident(&self, location: Location, ident: &str) -> Option<&Query> {
        self.planned
            .iter()
            .find(|q| q.location == location && sanitize(&q.name, Case::Snake) == ident)
    }

    /// Whether the runtime writes `q`'s value: unless it is in the
    /// `simple` style and its type displays as it serializes (a type this
    /// cannot see is written by the runtime, which takes any).
    fn by_runtime(&self, q: &Query) -> bool {
        let Some(style) = q.style else { return false };
        let ident = sanitize(&q.name, Case::Snake);
        let displays = self
            .params
            .iter()
            .find(|p| p.ident == ident)
            .is_some_and(|p| displays_as_serialized(&p.ty));
        style.variant != "Simple" || !displays
    }

    /// One argument of the URL's `format!`: a path parameter the runtime
    /// writes becomes `runtime::path_segment(&ident, "wire", style, explode)?`.
    fn path_argument(&self, arg: &mut Expr) {
        let ident = match arg {
            // `encode_path(&ids.to_string())`
            Expr::Call(call)
                if matches!(call.func.as_ref(), Expr::Path(f) if f.path.is_ident("encode_path"))
                    && call.args.len() == 1 =>
            {
                let Some(Expr::Reference(arg)) = call.args.first() else {
                    return;
                };
                let Some(ident) = displayed(&arg.expr) else {
                    return;
                };
                ident
            }
            Expr::Path(p) => match p.path.get_ident() {
                Some(ident) => ident.clone(),
                None => return,
            },
            _ => return,
        };
        let Some(q) = self.by_ident(Location::Path, &ident.to_string()) else {
            return;
        };
        let Some(style) = q.style.filter(|_| self.by_runtime(q)) else {
            return;
        };
        let (runtime, wire, explode) = (self.runtime, &q.wire, style.explode);
        let variant = syn::Ident::new(style.variant, proc_macro2::Span::call_site());
        *arg = syn::parse_quote!(
            #runtime::path_segment(&#ident, #wire, #runtime::PathStyle::#variant, #explode)?
        );
    }
}

impl VisitMut for PathsAndHeaders<'_> {
    /// `format!`'s arguments are tokens: parsed, rewritten, printed back.
    /// Only the URL's (`client.baseurl` first) holds path parameters.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            return;
        };
        let is_url = matches!(args.iter().nth(1),
            Some(Expr::Field(f)) if matches!(&f.member, syn::Member::Named(m) if m == "baseurl"));
        if !is_url {
            return;
        }
        for arg in args.iter_mut().skip(2) {
            self.path_argument(arg);
        }
        mac.tokens = quote!(#args);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let runtime = self.runtime;
        // `header_map.append("name", value.to_string().try_into()?)`
        let Expr::MethodCall(call) = expr else { return };
        if !(call.method == "append"
            && call.args.len() == 2
            && matches!(call.receiver.as_ref(), Expr::Path(p) if p.path.is_ident("header_map")))
        {
            return;
        }
        let Some(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(name),
            ..
        })) = call.args.first()
        else {
            return;
        };
        let Some(q) = self
            .planned
            .iter()
            .find(|q| q.location == Location::Header && q.name == name.value())
        else {
            return;
        };
        let wire = syn::LitStr::new(&q.wire, name.span());
        call.args[0] = syn::parse_quote!(#wire);
        let Some(style) = q.style.filter(|_| self.by_runtime(q)) else {
            return;
        };
        let Expr::Try(value) = &call.args[1] else {
            return;
        };
        let Expr::MethodCall(try_into) = value.expr.as_ref() else {
            return;
        };
        let Some(ident) = displayed(&try_into.receiver) else {
            return;
        };
        let explode = style.explode;
        call.args[1] = syn::parse_quote!(#runtime::header_value(&#ident, #wire, #explode)?);
    }
}

/// `ident.to_string()` → `ident`.
fn displayed(expr: &Expr) -> Option<syn::Ident> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    if call.method != "to_string" || !call.args.is_empty() {
        return None;
    }
    match call.receiver.as_ref() {
        Expr::Path(p) => p.path.get_ident().cloned(),
        _ => None,
    }
}
