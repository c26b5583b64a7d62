//! Rewrites progenitor's output so that every request goes through the
//! target crate's runtime (`Settings::runtime`): authentication, key-kind
//! checks, retries and typed errors live there, in hand-written code.
//!
//! What changes, and why:
//! - progenitor's re-export of its own `Error` (and friends) becomes the
//!   runtime's: the builders return `runtime::Error`;
//! - `Client::new` (which `unwrap`s and hard-codes a 15 s timeout) and
//!   `Client::new_with_client` are removed: the runtime builds clients;
//! - the no-op `ClientHooks` impl is removed;
//! - the positional methods become builders whose `send()` hands the
//!   built `reqwest::Request` to `runtime::send_json` (or
//!   `send_empty`/`send_stream`/`send_upgrade`): see [`super::builders`].

use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Stmt, Type};

use super::OperationTable;

pub(crate) fn route_through_runtime(
    file: &mut syn::File,
    runtime: &syn::Path,
    table: &OperationTable,
) -> Result<(), String> {
    file.items
        .retain(|item| !is_constructor_impl(item) && !is_hooks_impl(item));
    for item in &mut file.items {
        let Item::Use(u) = item else { continue };
        if is_progenitor_reexport(u) {
            *u = syn::parse_quote! {
                #[allow(unused_imports)]
                pub use #runtime::{ByteStream, ClientInfo, Error, ResponseValue};
            };
        } else if is_progenitor_import(u) {
            // The hooks and `OperationInfo` went with progenitor's sending.
            *u = syn::parse_quote! {
                #[allow(unused_imports)]
                use progenitor_client::{encode_path, RequestBuilderExt};
            };
        }
    }
    super::builders::build(file, runtime, table)
}

fn is_progenitor_reexport(u: &syn::ItemUse) -> bool {
    matches!(u.vis, syn::Visibility::Public(_))
        && matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "progenitor_client")
}

fn is_progenitor_import(u: &syn::ItemUse) -> bool {
    matches!(u.vis, syn::Visibility::Inherited)
        && matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "progenitor_client")
}

fn is_constructor_impl(item: &Item) -> bool {
    let Item::Impl(imp) = item else { return false };
    imp.trait_.is_none()
        && imp
            .items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "new_with_client"))
}

fn is_hooks_impl(item: &Item) -> bool {
    let Item::Impl(imp) = item else { return false };
    imp.trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .is_some_and(|s| s.ident == "ClientHooks")
}

/// The `(METHOD, /path)` of a send fn, from its doc comment
/// "Sends a `PATCH` request to `/v1/characters/{id}`".
pub(super) fn method_and_path(f: &syn::ImplItemFn) -> Option<(String, String)> {
    f.attrs.iter().find_map(|a| {
        let syn::Meta::NameValue(nv) = &a.meta else {
            return None;
        };
        let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
        else {
            return None;
        };
        let doc = s.value();
        let rest = doc.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once('`')?;
        let path = rest.strip_prefix(" request to `")?.strip_suffix('`')?;
        Some((method.to_owned(), path.to_owned()))
    })
}

pub(super) fn success_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(result) = ty.as_ref() else {
        return None;
    };
    let PathArguments::AngleBracketed(args) = &result.path.segments.last()?.arguments else {
        return None;
    };
    let Some(GenericArgument::Type(Type::Path(rv))) = args.args.first() else {
        return None;
    };
    let PathArguments::AngleBracketed(inner) = &rv.path.segments.last()?.arguments else {
        return None;
    };
    match inner.args.first()? {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

pub(super) fn is_operation_info(s: &Stmt) -> bool {
    let Stmt::Local(local) = s else { return false };
    let Some(init) = &local.init else {
        return false;
    };
    matches!(init.expr.as_ref(), Expr::Struct(es) if es.path.is_ident("OperationInfo"))
}

pub(super) fn is_api_version_header(s: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), _) = s else {
        return false;
    };
    call.method == "append"
        && call
            .args
            .first()
            .is_some_and(|a| quote!(#a).to_string().contains("\"api-version\""))
}

/// `Error::InvalidRequest` (progenitor's variant) → `Error::invalid_request`
/// (the runtime's constructor); and `.form_urlencoded(&body)?`, whose
/// error type progenitor left to the return type, names one (the
/// runtime's `Error` converts from any `progenitor_client::Error<E>`).
pub(super) struct InvalidRequest;

impl VisitMut for InvalidRequest {
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
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.segments.len() == 2
            && path.segments[0].ident == "Error"
            && path.segments[1].ident == "InvalidRequest"
        {
            path.segments[1].ident = format_ident!("invalid_request");
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}
