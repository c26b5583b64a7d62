//! Sends a renamed query parameter under its wire name.
//!
//! A query parameter named like a path parameter of its operation is
//! renamed for Rust by normalization (`list_id` → `list_id_query`, so the
//! method can take both), which keeps the wire name in
//! `x-codegen-query-name`. progenitor writes the Rust name into the query
//! (`QueryParam::new("list_id_query", ..)`); this rewrite puts the wire
//! name back in that operation's `send()`.

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr};
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Lit};

use super::syntax::method_and_path;
use crate::document::extensions::QUERY_NAME_EXTENSION;
use crate::document::operations::{OperationKey, plan_operations};

/// `(METHOD, path)` → `(Rust name, wire name)` of its renamed parameters.
pub(crate) type Plan = HashMap<OperationKey, Vec<(String, String)>>;

pub(crate) fn plan(api: &OpenAPI) -> Plan {
    plan_operations(api, |_, op| {
        let renamed: Vec<(String, String)> = op
            .parameters
            .iter()
            .filter_map(|param| {
                let ReferenceOr::Item(openapiv3::Parameter::Query { parameter_data, .. }) = param
                else {
                    return None;
                };
                let wire = parameter_data
                    .extensions
                    .get(QUERY_NAME_EXTENSION)
                    .and_then(serde_json::Value::as_str)?;
                Some((parameter_data.name.clone(), wire.to_owned()))
            })
            .collect();
        (!renamed.is_empty()).then_some(renamed)
    })
}

/// Puts the wire names back in the `send*()` of one item of `mod builder`.
pub(crate) fn rewrite_item(item: &mut Item, plan: &Plan) {
    if plan.is_empty() {
        return;
    }
    let Item::Impl(imp) = item else { return };
    for i in &mut imp.items {
        let ImplItem::Fn(f) = i else { continue };
        if !f.sig.ident.to_string().starts_with("send") {
            continue;
        }
        let Some(renamed) = method_and_path(f).and_then(|key| plan.get(&key)) else {
            continue;
        };
        WireNames { renamed }.visit_block_mut(&mut f.block);
    }
}

/// Rewrites the name argument of `QueryParam::new(name, value)`.
struct WireNames<'a> {
    renamed: &'a [(String, String)],
}

impl VisitMut for WireNames<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        let is_query_param = matches!(&*call.func, Expr::Path(p)
            if p.path.segments.iter().rev().nth(1).is_some_and(|s| s.ident == "QueryParam"));
        if is_query_param
            && let Some(Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            })) = call.args.first_mut()
            && let Some((_, wire)) = self.renamed.iter().find(|(rust, _)| s.value() == *rust)
        {
            *s = syn::LitStr::new(wire, s.span());
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}
