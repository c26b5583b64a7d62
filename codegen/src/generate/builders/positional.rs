//! Reading progenitor's positional methods: each `async fn` of its
//! `impl Client` becomes an [`Operation`] (its parameters, owned, with
//! their docs; its success type; its request building up to the
//! `OperationInfo`, with `self` turned into the builder's client).

use std::collections::HashSet;

use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, FnArg, GenericArgument, Pat, PathArguments, ReturnType, Stmt, Type};

use super::request::{IntoSend, PlainPathSegments};
use crate::generate::operations::OperationTable;
use crate::generate::syntax::{doc_string, is_url_safe, option_inner, sends_line};
use crate::naming::{Case, sanitize};

/// How a parameter is held and set.
pub(super) enum Slot {
    /// `Option<T>` until set; `send()` fails when it is not.
    Required,
    /// `Option<T>`, sent only when set.
    Optional,
    /// A body whose type has a `Default`: starts as that, never missing.
    DefaultBody,
}

pub(super) struct Param {
    pub(super) ident: syn::Ident,
    /// The owned type of the value (without the `Option` of an optional
    /// parameter).
    pub(super) ty: Type,
    pub(super) slot: Slot,
    pub(super) doc: Option<String>,
}

pub(super) struct Operation {
    /// The `Client` method (`update_character`).
    pub(super) method: syn::Ident,
    /// The builder struct (`UpdateCharacter`).
    pub(super) builder: syn::Ident,
    /// `Client::method`'s documentation (without the parameters).
    pub(super) doc: String,
    /// "Sends a `PATCH` request to `/v1/characters/{id}`".
    pub(super) send_doc: String,
    /// `("PATCH", "/v1/characters/{id}")`.
    pub(super) key: (String, String),
    /// The field and binding for the client (`client`, unless a
    /// parameter has that name).
    pub(super) client: syn::Ident,
    pub(super) params: Vec<Param>,
    /// Whether the builder can derive `Clone` (a streaming body cannot).
    pub(super) cloneable: bool,
    pub(super) success: Type,
    /// `send_json`, `send_empty`, `send_stream` or `send_upgrade`.
    pub(super) decode: syn::Ident,
    /// The operation table entry (`UPDATE_CHARACTER`).
    pub(super) entry: syn::Ident,
    /// progenitor's request building, ending in `let request = ..;`.
    pub(super) body: Vec<Stmt>,
    pub(super) request: syn::Ident,
}

impl Operation {
    pub(super) fn from_positional(
        f: syn::ImplItemFn,
        table: &OperationTable,
        defaults: &HashSet<String>,
    ) -> Result<Operation, String> {
        let method = f.sig.ident.clone();
        let doc = doc_string(&f.attrs);
        let (http_method, path) = sends_line(&doc)
            .ok_or_else(|| format!("`{method}` has no \"Sends a `M` request to `P`\" doc"))?;
        let found = table.find(&http_method, &path).ok_or_else(|| {
            format!("no operation for {http_method} {path} in the operation table")
        })?;
        let (entry, redirect) = (found.ident.clone(), found.redirect);

        // Generic parameters (a raw body's `B: Into<reqwest::Body>`).
        let generics: HashSet<String> = f
            .sig
            .generics
            .type_params()
            .map(|p| p.ident.to_string())
            .collect();
        let mut params = Vec::new();
        let mut cloneable = true;
        for arg in &f.sig.inputs {
            let FnArg::Typed(pt) = arg else { continue };
            let Pat::Ident(pi) = pt.pat.as_ref() else {
                return Err(format!("a parameter of `{method}` is not an identifier"));
            };
            let ident = pi.ident.clone();
            let raw = matches!(pt.ty.as_ref(), Type::Path(p)
                if p.path.get_ident().is_some_and(|i| generics.contains(&i.to_string())));
            let (ty, slot) = if raw {
                cloneable = false;
                (syn::parse_quote!(reqwest::Body), Slot::Required)
            } else if let Some(inner) = option_inner(&pt.ty) {
                (owned(&inner), Slot::Optional)
            } else {
                let ty = owned(&pt.ty);
                let slot =
                    if ident == "body" && type_name(&ty).is_some_and(|n| defaults.contains(&n)) {
                        Slot::DefaultBody
                    } else {
                        Slot::Required
                    };
                (ty, slot)
            };
            params.push(Param {
                ident,
                ty,
                slot,
                doc: None,
            });
        }
        let doc = split_arguments(&doc, &mut params);

        let mut success = success_type(&f.sig.output)
            .ok_or_else(|| format!("unexpected return type of `{method}`"))?;
        // progenitor makes up a `2XX` stream for an operation that
        // documents no success; when its answer is a redirect without a
        // body, the call's value is that redirect's status and headers
        // (`Location`), as for any documented response without content.
        if redirect == Some(false) && decode_fn(&success) == "send_stream" {
            success = syn::parse_quote!(());
        }
        let decode = decode_fn(&success);

        let names: Vec<String> = params.iter().map(|p| p.ident.to_string()).collect();
        let mut client = String::from("client");
        while names.contains(&client) {
            client.insert(0, '_');
        }
        let client = format_ident!("{}", client);

        let mut body = f.block.stmts;
        let cut = body
            .iter()
            .position(is_operation_info)
            .ok_or_else(|| format!("`{method}` has no `let info = OperationInfo {{ .. }}`"))?;
        body.truncate(cut);
        body.retain(|s| !is_api_version_header(s));
        drop_empty_header_map(&mut body);
        let request = match body.last_mut() {
            Some(Stmt::Local(local)) => {
                // `#[allow(unused_mut)] let mut request` was for the hooks,
                // which are gone.
                local.attrs.retain(|a| !a.path().is_ident("allow"));
                if let Pat::Ident(p) = &mut local.pat {
                    p.mutability = None;
                }
                pat_ident(&local.pat).ok_or_else(|| {
                    format!("the request binding of `{method}` is not an identifier")
                })?
            }
            _ => {
                return Err(format!(
                    "`{method}` does not build a request before OperationInfo"
                ));
            }
        };
        let mut into_send = IntoSend {
            client: client.clone(),
            plain: PlainPathSegments(
                params
                    .iter()
                    .filter(|p| is_url_safe(&p.ty))
                    .map(|p| p.ident.to_string())
                    .collect(),
            ),
        };
        for s in &mut body {
            into_send.visit_stmt_mut(s);
        }

        Ok(Operation {
            builder: format_ident!("{}", sanitize(&method.to_string(), Case::Pascal)),
            method,
            doc,
            send_doc: format!("Sends a `{http_method}` request to `{path}`"),
            key: (http_method, path),
            client,
            params,
            cloneable,
            success,
            decode,
            entry,
            body,
            request,
        })
    }
}

/// Splits progenitor's "Arguments:" list off the method's doc: each
/// entry (`- \`name\`: description`, in parameter order) becomes the doc
/// of its setter. Returns the rest. When the list does not read as
/// expected, the doc stays whole.
fn split_arguments(doc: &str, params: &mut [Param]) -> String {
    const HEADER: &str = "\nArguments:\n";
    let Some(start) = doc.rfind(HEADER) else {
        return doc.trim_end().to_owned();
    };
    let list = &doc[start + HEADER.len()..];
    let markers: Vec<String> = params.iter().map(|p| format!("- `{}`", p.ident)).collect();
    let mut positions = Vec::with_capacity(markers.len());
    let mut from = 0;
    for marker in &markers {
        let Some(at) = list[from..].find(marker.as_str()) else {
            return doc.trim_end().to_owned();
        };
        positions.push(from + at);
        from += at + marker.len();
    }
    for (i, p) in params.iter_mut().enumerate() {
        let begin = positions[i] + markers[i].len();
        let end = positions.get(i + 1).copied().unwrap_or(list.len());
        let text = list[begin..end].trim();
        if let Some(description) = text.strip_prefix(':') {
            let description = description.trim();
            if !description.is_empty() {
                p.doc = Some(format!(" {description}"));
            }
        }
    }
    doc[..start].trim_end().to_owned()
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

fn decode_fn(success: &Type) -> syn::Ident {
    let last = |name: &str| {
        matches!(success, Type::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == name))
    };
    match success {
        Type::Tuple(t) if t.elems.is_empty() => format_ident!("send_empty"),
        _ if last("ByteStream") => format_ident!("send_stream"),
        _ if last("Upgraded") => format_ident!("send_upgrade"),
        _ => format_ident!("send_json"),
    }
}

/// The last path segment of `types::Name` (or `Name`).
fn type_name(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    let segments = &p.path.segments;
    let first = segments.first()?;
    if segments.len() > 2 || (segments.len() == 2 && first.ident != "types") {
        return None;
    }
    segments.last().map(|s| s.ident.to_string())
}

/// The owned form of a positional parameter type: `&'a str` → `String`,
/// `&'a T` → `T`, inside `Option`s and tuples too.
fn owned(ty: &Type) -> Type {
    match ty {
        Type::Reference(r) => match r.elem.as_ref() {
            Type::Path(p) if p.path.is_ident("str") => {
                syn::parse_quote!(::std::string::String)
            }
            Type::Slice(s) => {
                let elem = owned(&s.elem);
                syn::parse_quote!(::std::vec::Vec<#elem>)
            }
            other => owned(other),
        },
        Type::Path(p) => {
            let mut p = p.clone();
            for seg in p.path.segments.iter_mut() {
                if let PathArguments::AngleBracketed(args) = &mut seg.arguments {
                    for arg in args.args.iter_mut() {
                        if let GenericArgument::Type(t) = arg {
                            *t = owned(t);
                        }
                    }
                }
            }
            Type::Path(p)
        }
        Type::Tuple(t) => {
            let mut t = t.clone();
            for elem in t.elems.iter_mut() {
                *elem = owned(elem);
            }
            Type::Tuple(t)
        }
        Type::Paren(p) => owned(&p.elem),
        other => other.clone(),
    }
}

fn pat_ident(pat: &Pat) -> Option<syn::Ident> {
    match pat {
        Pat::Ident(p) => Some(p.ident.clone()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// Without header parameters (the `api-version` header gone), progenitor's
/// `let mut header_map = ..` and `.headers(header_map)` do nothing.
fn drop_empty_header_map(body: &mut Vec<Stmt>) {
    let binds = |s: &Stmt| matches!(s, Stmt::Local(l) if pat_ident(&l.pat).is_some_and(|i| i == "header_map"));
    let Some(at) = body.iter().position(binds) else {
        return;
    };
    let mentioned = body
        .iter()
        .enumerate()
        .any(|(i, s)| i != at && !matches!(s, Stmt::Local(_)) && mentions(s, "header_map"));
    if mentioned {
        return;
    }
    body.remove(at);
    struct DropHeaders;
    impl VisitMut for DropHeaders {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::MethodCall(call) = expr
                && call.method == "headers"
                && matches!(call.args.first(), Some(Expr::Path(p)) if p.path.is_ident("header_map"))
            {
                *expr = (*call.receiver).clone();
                self.visit_expr_mut(expr);
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    for s in body.iter_mut() {
        DropHeaders.visit_stmt_mut(s);
    }
}

/// Whether the statement names `ident` anywhere. (syn's read-only
/// visitor is not enabled; statements here are small, so a copy is
/// walked with the mutable one.)
fn mentions(s: &Stmt, ident: &str) -> bool {
    struct Finder<'a>(&'a str, bool);
    impl VisitMut for Finder<'_> {
        fn visit_ident_mut(&mut self, i: &mut proc_macro2::Ident) {
            if i == self.0 {
                self.1 = true;
            }
        }
    }
    let mut f = Finder(ident, false);
    f.visit_stmt_mut(&mut s.clone());
    f.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_types() {
        let t = |s: &str| owned(&syn::parse_str::<Type>(s).unwrap());
        let s = |t: Type| quote!(#t).to_string().replace(' ', "");
        assert_eq!(s(t("&'a str")), "::std::string::String");
        assert_eq!(s(t("&'a types::Cursor")), "types::Cursor");
        assert_eq!(s(t("(&'a str, i32)")), "(::std::string::String,i32)");
        assert_eq!(
            s(t("&'a ::std::vec::Vec<types::X>")),
            "::std::vec::Vec<types::X>"
        );
    }

    #[test]
    fn arguments_move_to_setters() {
        let mut params: Vec<Param> = ["id", "body"]
            .iter()
            .map(|n| Param {
                ident: format_ident!("{}", n),
                ty: syn::parse_quote!(i32),
                slot: Slot::Required,
                doc: None,
            })
            .collect();
        let doc = "Summary\n\nSends a `GET` request to `/x`\n\nArguments:\n- `id`: The id.\nSecond line.\n- `body`\n";
        let rest = split_arguments(doc, &mut params);
        assert_eq!(rest, "Summary\n\nSends a `GET` request to `/x`");
        assert_eq!(params[0].doc.as_deref(), Some(" The id.\nSecond line."));
        assert_eq!(params[1].doc, None);
        assert_eq!(sends_line(&rest), Some(("GET".to_owned(), "/x".to_owned())));
    }
}
