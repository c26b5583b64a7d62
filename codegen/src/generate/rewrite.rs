//! Rewrites progenitor's output so that every request goes through the
//! target crate's runtime (`Settings::runtime`): authentication, key-kind
//! checks, retries and typed errors live there, in hand-written code.
//!
//! What changes, and why:
//! - each builder's `send()` keeps progenitor's request building and hands
//!   the built `reqwest::Request` to `runtime::send_json` (or
//!   `send_empty`/`send_stream`), which returns `runtime::Error`;
//! - the `api-version` header progenitor derives from `info.version` is
//!   dropped: the API documents no such header;
//! - `Client::new` (which `unwrap`s and hard-codes a 15 s timeout) and
//!   `Client::new_with_client` are removed: the runtime builds clients;
//! - the no-op `ClientHooks` impl is removed, and dropshot `stream()`
//!   helpers (which depend on progenitor's error type) are dropped.

use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, GenericArgument, ImplItem, Item, Pat, PathArguments, ReturnType, Stmt, Type};

use super::OperationTable;

pub(crate) fn route_through_runtime(
    file: &mut syn::File,
    runtime: &syn::Path,
    table: &OperationTable,
) -> Result<(), String> {
    file.items
        .retain(|item| !is_constructor_impl(item) && !is_hooks_impl(item));
    for item in &mut file.items {
        match item {
            Item::Use(u) if is_progenitor_reexport(u) => {
                *u = syn::parse_quote! {
                    #[allow(unused_imports)]
                    pub use #runtime::{ByteStream, ClientInfo, Error, ResponseValue};
                };
            }
            Item::Mod(m) if m.ident == "builder" => {
                let Some((_, items)) = &mut m.content else {
                    continue;
                };
                for item in items {
                    if let Item::Impl(imp) = item {
                        imp.items
                            .retain(|i| !matches!(i, ImplItem::Fn(f) if f.sig.ident == "stream"));
                        for i in &mut imp.items {
                            if let ImplItem::Fn(f) = i
                                && f.sig.ident == "send"
                            {
                                rewrite_send(f, runtime, table)?;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_progenitor_reexport(u: &syn::ItemUse) -> bool {
    matches!(u.vis, syn::Visibility::Public(_))
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

fn rewrite_send(
    f: &mut syn::ImplItemFn,
    runtime: &syn::Path,
    table: &OperationTable,
) -> Result<(), String> {
    let (method, path) = method_and_path(f)
        .ok_or_else(|| "a builder `send` has no \"Sends a `M` request to `P`\" doc".to_owned())?;
    let entry = table
        .find(&method, &path)
        .ok_or_else(|| format!("no operation for {method} {path} in the operation table"))?;
    let op = &entry.ident;

    // Result<ResponseValue<T>, Error<E>> -> Result<ResponseValue<T>, Error>
    let success = success_type(&f.sig.output)
        .ok_or_else(|| format!("unexpected return type of send for {method} {path}"))?;
    let decode = match &success {
        Type::Tuple(t) if t.elems.is_empty() => format_ident!("send_empty"),
        Type::Path(p)
            if p.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "ByteStream") =>
        {
            format_ident!("send_stream")
        }
        Type::Path(p)
            if p.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "Upgraded") =>
        {
            format_ident!("send_upgrade")
        }
        _ => format_ident!("send_json"),
    };
    f.sig.output = syn::parse_quote!(-> Result<ResponseValue<#success>, Error>);

    let stmts = &mut f.block.stmts;
    let client = client_ident(stmts).ok_or("send does not destructure its builder")?;
    let cut = stmts
        .iter()
        .position(is_operation_info)
        .ok_or("send has no `let info = OperationInfo { .. }`")?;
    stmts.truncate(cut);
    stmts.retain(|s| !is_api_version_header(s));
    let request = match stmts.last() {
        Some(Stmt::Local(local)) => {
            pat_ident(&local.pat).ok_or("request binding is not an ident")?
        }
        _ => return Err("send does not build a request before OperationInfo".into()),
    };
    for s in stmts.iter_mut() {
        InvalidRequest.visit_stmt_mut(s);
    }
    stmts.push(syn::parse_quote! {
        return #runtime::#decode(
            &#client.client,
            &#client.inner,
            &super::operations::#op,
            #request,
        )
        .await;
    });
    Ok(())
}

fn success_type(output: &ReturnType) -> Option<Type> {
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

/// `let Self { client, .. } = self;` → `client` (progenitor renames it when
/// a parameter is called `client`).
fn client_ident(stmts: &[Stmt]) -> Option<syn::Ident> {
    stmts.iter().find_map(|s| {
        let Stmt::Local(local) = s else { return None };
        let Pat::Struct(ps) = &local.pat else {
            return None;
        };
        let first = ps.fields.first()?;
        match &first.member {
            syn::Member::Named(ident) => Some(ident.clone()),
            syn::Member::Unnamed(_) => None,
        }
    })
}

fn pat_ident(pat: &Pat) -> Option<syn::Ident> {
    match pat {
        Pat::Ident(p) => Some(p.ident.clone()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

fn is_operation_info(s: &Stmt) -> bool {
    let Stmt::Local(local) = s else { return false };
    let Some(init) = &local.init else {
        return false;
    };
    matches!(init.expr.as_ref(), Expr::Struct(es) if es.path.is_ident("OperationInfo"))
}

fn is_api_version_header(s: &Stmt) -> bool {
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
struct InvalidRequest;

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
