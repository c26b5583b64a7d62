//! The typed mocks of error responses: each status answered with its own
//! type.
//!
//! progenitor gives an operation one error type, and its httpmock
//! extension makes every error setter (`not_found(value)`,
//! `client_error(status, value)`, `default_response(status, value)`) take
//! it. When an operation's error statuses document different schemas,
//! normalization leaves that shared type as any JSON value
//! (`normalize/responses.rs`: a union of them would be a type nothing in
//! the client uses), so progenitor's setters take a `serde_json::Value`.
//! Here each of those setters takes the type its status documents, from
//! `x-codegen-error-bodies` (what `mod errors` decodes that status's body
//! into): `not_found(&types::BasicError)`,
//! `service_unavailable(&types::ServiceUnavailable)`. A status whose body
//! has no type in `mod types` (a primitive, an array, no body or a
//! non-JSON body) keeps `serde_json::Value`.

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::OpenAPI;
use quote::format_ident;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Expr, FnArg, ImplItem, ImplItemFn, Type};

use crate::document::extensions::ERROR_BODIES_EXTENSION;
use crate::document::operations::{self, Status, typed_operations};
use crate::naming::{Case, sanitize};

/// Rewrites the error setters of every `<Operation>Then` whose operation
/// records its error bodies; `types` are the names `mod types` declares.
pub(crate) fn rewrite(file: &mut syn::File, api: &OpenAPI, types: &HashSet<String>) {
    let by_then = bodies_by_then(api, types);
    if by_then.is_empty() {
        return;
    }
    for (name, imp) in super::syntax::module_impls(file) {
        let Some(bodies) = by_then.get(&name) else {
            continue;
        };
        for i in &mut imp.items {
            let ImplItem::Fn(f) = i else { continue };
            let Some(ty) = error_status(f).and_then(|s| bodies.get(&s)) else {
                continue;
            };
            type_value(f, ty);
        }
    }
}

/// For each operation's `<Operation>Then`, the type of each error status
/// whose body is a type of `mod types`.
fn bodies_by_then(
    api: &OpenAPI,
    types: &HashSet<String>,
) -> HashMap<String, BTreeMap<Status, String>> {
    let mut out = HashMap::new();
    for item in api.paths.paths.values() {
        let Some(item) = item.as_item() else {
            continue;
        };
        for (_, op) in typed_operations(item) {
            let (Some(id), Some(Value::Object(bodies))) = (
                op.operation_id.as_deref(),
                op.extensions.get(ERROR_BODIES_EXTENSION),
            ) else {
                continue;
            };
            let typed: BTreeMap<Status, String> = bodies
                .iter()
                .filter_map(|(key, body)| {
                    let name = sanitize(body.get("schema")?.as_str()?, Case::Pascal);
                    types
                        .contains(&name)
                        .then(|| Some((operations::status(key)?, name)))?
                })
                .collect();
            if !typed.is_empty() {
                out.insert(format!("{}Then", sanitize(id, Case::Pascal)), typed);
            }
        }
    }
    out
}

/// The error status a setter answers with: the literal of
/// `.status(404u16)`, or the range or `default` its name says
/// (`client_error`, `server_error` and `default_response` take the status
/// as a parameter).
fn error_status(f: &ImplItemFn) -> Option<Status> {
    match f.sig.ident.to_string().as_str() {
        "client_error" => return Some(Status::Range(4)),
        "server_error" => return Some(Status::Range(5)),
        "default_response" => return Some(Status::Default),
        _ => {}
    }
    struct Find(Option<u16>);
    impl VisitMut for Find {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            if call.method == "status"
                && let Some(Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(i),
                    ..
                })) = call.args.first()
            {
                self.0 = i.base10_parse().ok();
            }
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut find = Find(None);
    find.visit_block_mut(&mut f.block.clone());
    find.0.filter(|c| (400..=599).contains(c)).map(Status::Code)
}

/// `value: &serde_json::Value` → `value: &types::<ty>`; any other `value`
/// (already typed) stays.
fn type_value(f: &mut ImplItemFn, ty: &str) {
    for input in &mut f.sig.inputs {
        let FnArg::Typed(pt) = input else { continue };
        if !matches!(pt.pat.as_ref(), syn::Pat::Ident(i) if i.ident == "value") {
            continue;
        }
        let Type::Reference(r) = pt.ty.as_mut() else {
            continue;
        };
        let is_value = matches!(r.elem.as_ref(), Type::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "Value"));
        if is_value {
            let ident = format_ident!("{}", ty);
            *r.elem = syn::parse_quote!(types::#ident);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::Item;

    fn then(ty: &str) -> syn::File {
        syn::parse_str(&format!(
            r#"
            pub mod operations {{
                pub struct GetPetThen(::httpmock::Then);
                impl GetPetThen {{
                    pub fn ok(self, value: &types::Pet) -> Self {{
                        Self(self.0.status(200u16).json_body_obj(value))
                    }}
                    pub fn not_found(self, value: {ty}) -> Self {{
                        Self(self.0.status(404u16).json_body_obj(value))
                    }}
                    pub fn service_unavailable(self, value: {ty}) -> Self {{
                        Self(self.0.status(503u16).json_body_obj(value))
                    }}
                    pub fn client_error(self, status: u16, value: {ty}) -> Self {{
                        assert_eq!(status / 100u16, 4u16);
                        Self(self.0.status(status).json_body_obj(value))
                    }}
                    pub fn default_response(self, status: u16, value: {ty}) -> Self {{
                        Self(self.0.status(status).json_body_obj(value))
                    }}
                }}
            }}
            "#
        ))
        .unwrap()
    }

    fn api() -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/pets/{id}": {"get": {
                "operationId": "get_pet",
                "responses": {"200": {"description": "ok"}},
                "x-codegen-error-bodies": {
                    "404": {"schema": "not-found"},
                    "4XX": {"schema": "BasicError"},
                    "503": {"json": true},
                    "default": {"schema": "Gone"}
                }
            }}}
        }))
        .unwrap()
    }

    /// The parameter types of each setter, as written.
    fn signatures(file: &syn::File) -> Vec<String> {
        let Item::Mod(m) = &file.items[0] else {
            unreachable!()
        };
        let Item::Impl(imp) = &m.content.as_ref().unwrap().1[1] else {
            unreachable!()
        };
        imp.items
            .iter()
            .map(|i| {
                let ImplItem::Fn(f) = i else { unreachable!() };
                let ty = f.sig.inputs.iter().find_map(|a| match a {
                    FnArg::Typed(pt) if matches!(pt.pat.as_ref(), syn::Pat::Ident(i) if i.ident == "value") => {
                        Some(quote::quote!(#pt).to_string())
                    }
                    _ => None,
                });
                format!("{}: {}", f.sig.ident, ty.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn each_error_status_takes_its_own_type() {
        let mut file = then("&::serde_json::Value");
        let types = HashSet::from(["NotFound".to_owned(), "BasicError".to_owned()]);
        rewrite(&mut file, &api(), &types);
        assert_eq!(
            signatures(&file),
            [
                "ok: value : & types :: Pet",
                "not_found: value : & types :: NotFound",
                // Its body has no named type: it stays a JSON value.
                "service_unavailable: value : & :: serde_json :: Value",
                "client_error: value : & types :: BasicError",
                // `Gone` is not a type of `mod types`.
                "default_response: value : & :: serde_json :: Value",
            ]
        );
    }

    #[test]
    fn a_setter_typed_by_progenitor_stays() {
        let mut file = then("&types::Shared");
        let types = HashSet::from(["NotFound".to_owned(), "BasicError".to_owned()]);
        rewrite(&mut file, &api(), &types);
        assert!(
            signatures(&file)[1..]
                .iter()
                .all(|s| s.ends_with("& types :: Shared")),
            "{:?}",
            signatures(&file)
        );
    }
}
