//! Query parameters the runtime writes (see `generate::query_styles`):
//! progenitor's `.query(&QueryParam::new("name", &name))` for each leaves
//! the request building, and after `let request = ….build()?;` comes
//! `runtime::append_query(request.url_mut(), "name", &name, Style::X, explode)?;`.

use syn::visit_mut::VisitMut;
use syn::{Expr, Lit, Pat, Stmt};

use crate::generate::query_styles::Query;

/// Rewrites `body` (ending in `let request = ..;`) for the planned
/// parameters. Errors when a planned parameter has no `.query(..)` there:
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
        let Some((_, value)) = take.taken.iter().find(|(name, _)| *name == query.name) else {
            return Err(format!(
                "query parameter `{}` has no `.query(..)` in the request building",
                query.name
            ));
        };
        let name = &query.name;
        let style = syn::Ident::new(query.style, proc_macro2::Span::call_site());
        let explode = query.explode;
        body.push(syn::parse_quote! {
            #runtime::append_query(#request.url_mut(), #name, #value, #runtime::Style::#style, #explode)?;
        });
    }
    Ok(())
}

/// Takes the planned `.query(&QueryParam::new(name, value))` calls out of
/// the method chains, keeping each name's value expression.
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
        let Some((name, value)) = query_param(&call.args[0]) else {
            return;
        };
        if self.planned.iter().any(|q| q.name == name) {
            self.taken.push((name, value));
            *expr = (*call.receiver).clone();
        }
    }
}

/// `&…::QueryParam::new("name", value)` → `("name", value)`.
fn query_param(arg: &Expr) -> Option<(String, Expr)> {
    let Expr::Reference(r) = arg else { return None };
    let Expr::Call(call) = r.expr.as_ref() else {
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
    let Expr::Lit(lit) = &call.args[0] else {
        return None;
    };
    let Lit::Str(name) = &lit.lit else {
        return None;
    };
    Some((name.value(), call.args[1].clone()))
}
