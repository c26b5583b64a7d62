//! Query parameters progenitor does not write as the spec says (see
//! `generate::queries`), in one rewrite of the request building: a styled
//! one's `.query(&QueryParam::new("name", &name))` leaves the chain, and
//! after `let request = ….build()?;` comes
//! `runtime::append_query(request.url_mut(), "wire", &name, Style::X, explode)?;`;
//! one that is only renamed stays in the chain, under its wire name.

use syn::visit_mut::VisitMut;
use syn::{Expr, Lit, Pat, Stmt};

use crate::generate::queries::Query;

/// Rewrites `body` (ending in `let request = ..;`) for the planned
/// parameters. Errors when a styled parameter has no `.query(..)` there:
/// progenitor's output is not what this expects.
pub(super) fn route(
    body: &mut Vec<Stmt>,
    request: &syn::Ident,
    planned: &[Query],
    runtime: &syn::Path,
) -> Result<(), String> {
    let mut take = TakeQueries {
        planned,
        taken: Vec::new(),
    };
    for stmt in body.iter_mut() {
        take.visit_stmt_mut(stmt);
    }
    if let Some(Stmt::Local(local)) = body.last_mut()
        && let Pat::Ident(p) = &mut local.pat
        && !take.taken.is_empty()
    {
        p.mutability = Some(Default::default());
    }
    for query in planned {
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
        let Some(query) = self.planned.iter().find(|q| q.name == name.value()) else {
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
