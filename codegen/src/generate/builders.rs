//! Lean operation builders, written with `quote` from progenitor's
//! positional methods.
//!
//! progenitor's own builder interface stores every parameter as
//! `Result<T, String>`, takes each through a generic `TryInto` setter and
//! makes typify emit a second builder type (with conversions both ways)
//! for every schema: most of the generated lines and a good part of the
//! compile time, for conversions nobody asked for. Its positional
//! interface emits one `async fn` per operation whose body builds the
//! request; this pass turns each into
//!
//! ```ignore
//! impl Client {
//!     pub fn update_character(&self) -> builder::UpdateCharacter<'_> { .. }
//! }
//! pub mod builder {
//!     #[derive(Debug, Clone)]
//!     pub struct UpdateCharacter<'a> {
//!         client: &'a super::Client,
//!         id: Option<::uuid::Uuid>,             // required: checked by send()
//!         body: types::CharacterUpdate,          // a body with a Default starts empty
//!     }
//!     impl<'a> UpdateCharacter<'a> {
//!         pub fn id(mut self, value: impl Into<::uuid::Uuid>) -> Self { .. }
//!         pub fn body(mut self, value: impl Into<types::CharacterUpdate>) -> Self { .. }
//!         pub fn body_map(mut self, f: impl FnOnce(types::CharacterUpdate) -> types::CharacterUpdate) -> Self { .. }
//!         pub async fn send(self) -> Result<ResponseValue<types::Character>, Error> {
//!             let Self { client, id, body } = self;
//!             let id = runtime::required(id, "id")?;
//!             // progenitor's request building, `self` → `client`
//!             runtime::send_json_with(client, &super::operations::UPDATE_CHARACTER, || { /* build */ }).await
//!         }
//!     }
//! }
//! ```
//!
//! What else changes in the moved body, and why: the `api-version` header
//! progenitor derives from `info.version` is dropped (the API documents no
//! such header), and everything from `OperationInfo` on (hooks, sending,
//! decoding by status) is replaced by the runtime call, which owns keys,
//! retries and typed errors. Parameter types are owned (`&'a str` →
//! `String`): a builder holds its values. Each parameter's description
//! moves from the method's "Arguments" list to its setter.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, FnArg, GenericArgument, ImplItem, Item, Pat, PathArguments, Stmt, Type};

use super::OperationTable;
use super::rewrite::{InvalidRequest, is_api_version_header, is_operation_info, success_type};
use super::syntax::option_inner;
use crate::naming::{Case, sanitize};

/// Replaces progenitor's positional `impl Client` by builder-returning
/// methods and adds `mod builder` after it.
pub(crate) fn build(
    file: &mut syn::File,
    runtime: &syn::Path,
    table: &OperationTable,
) -> Result<(), String> {
    let defaults = defaultable_types(file);
    let Some(at) = file.items.iter().position(is_operations_impl) else {
        return Ok(());
    };
    let Item::Impl(positional) = &mut file.items[at] else {
        return Ok(());
    };
    let methods: Vec<syn::ImplItemFn> = std::mem::take(&mut positional.items)
        .into_iter()
        .filter_map(|i| match i {
            // Dropshot's `*_stream` helpers are plain fns over the async
            // ones and use progenitor's error type; they go.
            ImplItem::Fn(f) if f.sig.asyncness.is_some() => Some(f),
            _ => None,
        })
        .collect();
    let mut ops = Vec::with_capacity(methods.len());
    for f in methods {
        ops.push(Operation::from_positional(f, table, &defaults)?);
    }
    let client_methods = ops.iter().map(Operation::client_method);
    let mut new_items: syn::File = syn::parse2(quote! {
        #[allow(clippy::all)]
        impl Client {
            #(#client_methods)*
        }
        /// One builder per operation: set the parameters, then `send()`.
        #[allow(clippy::all)]
        pub mod builder {
            use super::types;
            #[allow(unused_imports)]
            use super::{encode_path, ByteStream, Error, RequestBuilderExt, ResponseValue};
        }
    })
    .map_err(|e| format!("the operation builders do not parse: {e}"))?;
    let Some(Item::Mod(builder)) = new_items.items.last_mut() else {
        return Err("the builder module is missing".to_owned());
    };
    let Some((_, items)) = &mut builder.content else {
        return Err("the builder module is empty".to_owned());
    };
    for op in ops {
        items.extend(op.into_builder_items(runtime)?);
    }
    file.items.splice(at..=at, new_items.items);
    Ok(())
}

/// progenitor's `impl Client { pub async fn op(&self, ..) }`.
fn is_operations_impl(item: &Item) -> bool {
    let Item::Impl(imp) = item else { return false };
    imp.trait_.is_none()
        && matches!(imp.self_ty.as_ref(), Type::Path(p) if p.path.is_ident("Client"))
        && imp
            .items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.asyncness.is_some()))
}

/// Names of `mod types` items that have a `Default` (derived or written).
fn defaultable_types(file: &syn::File) -> HashSet<String> {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, i)| i),
            _ => None,
        })
        .map(|items| with_default(items))
        .unwrap_or_default()
}

/// Names of the items among `items` that have a `Default` (derived or
/// written).
pub(super) fn with_default(items: &[Item]) -> HashSet<String> {
    let mut out = HashSet::new();
    for item in items {
        match item {
            Item::Struct(s) if derives(&s.attrs, "Default") => {
                out.insert(s.ident.to_string());
            }
            Item::Enum(e) if derives(&e.attrs, "Default") => {
                out.insert(e.ident.to_string());
            }
            Item::Impl(imp) => {
                let is_default = imp.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Default")
                });
                if is_default
                    && let Type::Path(p) = imp.self_ty.as_ref()
                    && let Some(last) = p.path.segments.last()
                {
                    out.insert(last.ident.to_string());
                }
            }
            _ => {}
        }
    }
    // An alias of a type with a `Default` has one too.
    for item in items {
        if let Item::Type(t) = item
            && let Type::Path(p) = t.ty.as_ref()
            && p.path
                .segments
                .last()
                .is_some_and(|s| out.contains(&s.ident.to_string()))
        {
            out.insert(t.ident.to_string());
        }
    }
    out
}

/// Whether `attrs` hold a `#[derive(..)]` naming `name` (by its last segment).
pub(super) fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.segments.last().is_some_and(|s| s.ident == name) {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

/// How a parameter is held and set.
enum Slot {
    /// `Option<T>` until set; `send()` fails when it is not.
    Required,
    /// `Option<T>`, sent only when set.
    Optional,
    /// A body whose type has a `Default`: starts as that, never missing.
    DefaultBody,
}

struct Param {
    ident: syn::Ident,
    /// The owned type of the value (without the `Option` of an optional
    /// parameter).
    ty: Type,
    slot: Slot,
    doc: Option<String>,
}

struct Operation {
    /// The `Client` method (`update_character`).
    method: syn::Ident,
    /// The builder struct (`UpdateCharacter`).
    builder: syn::Ident,
    /// `Client::method`'s documentation (without the parameters).
    doc: String,
    /// "Sends a `PATCH` request to `/v1/characters/{id}`".
    send_doc: String,
    /// The field and binding for the client (`client`, unless a
    /// parameter has that name).
    client: syn::Ident,
    params: Vec<Param>,
    /// Whether the builder can derive `Clone` (a streaming body cannot).
    cloneable: bool,
    success: Type,
    /// `send_json`, `send_empty`, `send_stream` or `send_upgrade`.
    decode: syn::Ident,
    /// The operation table entry (`UPDATE_CHARACTER`).
    entry: syn::Ident,
    /// progenitor's request building, ending in `let request = ..;`.
    body: Vec<Stmt>,
    request: syn::Ident,
}

impl Operation {
    fn from_positional(
        f: syn::ImplItemFn,
        table: &OperationTable,
        defaults: &HashSet<String>,
    ) -> Result<Operation, String> {
        let method = f.sig.ident.clone();
        let doc = doc_string(&f.attrs);
        let (http_method, path) = sends_line(&doc)
            .ok_or_else(|| format!("`{method}` has no \"Sends a `M` request to `P`\" doc"))?;
        let entry = table
            .find(&http_method, &path)
            .ok_or_else(|| format!("no operation for {http_method} {path} in the operation table"))?
            .ident
            .clone();

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

        let success = success_type(&f.sig.output)
            .ok_or_else(|| format!("unexpected return type of `{method}`"))?;
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
        let mut to_client = SelfToClient(client.clone());
        let mut plain = PlainPathSegments(
            params
                .iter()
                .filter(|p| is_url_safe(&p.ty))
                .map(|p| p.ident.to_string())
                .collect(),
        );
        for s in &mut body {
            to_client.visit_stmt_mut(s);
            InvalidRequest.visit_stmt_mut(s);
            plain.visit_stmt_mut(s);
        }

        Ok(Operation {
            builder: format_ident!("{}", sanitize(&method.to_string(), Case::Pascal)),
            method,
            doc,
            send_doc: format!("Sends a `{http_method}` request to `{path}`"),
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

    fn client_method(&self) -> TokenStream {
        let Operation {
            method,
            builder,
            doc,
            ..
        } = self;
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> builder::#builder<'_> {
                builder::#builder::new(self)
            }
        }
    }

    /// The builder struct and its impl. Standard names are spelled out
    /// (`paths` shortens them where nothing shadows them). The moved
    /// request building is spliced into the parsed `send()` as syntax:
    /// printing it into the tokens would only have it parsed again.
    fn into_builder_items(self, runtime: &syn::Path) -> Result<Vec<Item>, String> {
        let Operation {
            method,
            builder,
            client,
            params,
            success,
            decode,
            entry,
            request,
            send_doc,
            ..
        } = &self;
        let option = quote!(::std::option::Option);
        let into = quote!(::std::convert::Into);
        let fn_once = quote!(::std::ops::FnOnce);
        let result = quote!(::std::result::Result);
        let struct_doc = format!(" Builder for [`Client::{method}`](super::Client::{method}).");
        let derive = if self.cloneable {
            quote!(#[derive(Debug, Clone)])
        } else {
            quote!(#[derive(Debug)])
        };
        let idents: Vec<&syn::Ident> = params.iter().map(|p| &p.ident).collect();
        let fields = params.iter().map(|p| {
            let Param { ident, ty, .. } = p;
            match p.slot {
                Slot::DefaultBody => quote!(#ident: #ty),
                Slot::Required | Slot::Optional => quote!(#ident: #option<#ty>),
            }
        });
        let inits = params.iter().map(|p| match p.slot {
            Slot::DefaultBody => quote!(::std::default::Default::default()),
            Slot::Required | Slot::Optional => quote!(None),
        });
        let setters = params.iter().map(|p| {
            let Param { ident, ty, .. } = p;
            let doc = p.doc.as_ref().map(|d| quote!(#[doc = #d]));
            match p.slot {
                Slot::DefaultBody => quote! {
                    #doc
                    pub fn #ident(mut self, value: impl #into<#ty>) -> Self {
                        self.#ident = value.into();
                        self
                    }
                    /// Changes the body in place (it starts as its `Default`).
                    pub fn body_map(mut self, f: impl #fn_once(#ty) -> #ty) -> Self {
                        self.#ident = f(self.#ident);
                        self
                    }
                },
                Slot::Required | Slot::Optional => quote! {
                    #doc
                    pub fn #ident(mut self, value: impl #into<#ty>) -> Self {
                        self.#ident = Some(value.into());
                        self
                    }
                },
            }
        });
        let required = params
            .iter()
            .filter(|p| matches!(p.slot, Slot::Required))
            .count();
        let checks = params
            .iter()
            .filter(|p| matches!(p.slot, Slot::Required))
            .map(|p| {
                let ident = &p.ident;
                let name = ident.to_string();
                let name = name.trim_start_matches("r#");
                quote!(let #ident = #runtime::required(#ident, #name)?;)
            });
        // A request that can be built again is built by a closure, once per
        // attempt: nothing is copied when the first attempt succeeds. The
        // closure borrows the parameters (progenitor's request building was
        // written for borrowed parameters anyway). A raw body (a stream)
        // cannot be rebuilt: that request is built once and copied for
        // retries where it can be.
        let rebuild = self.cloneable
            && (decode == "send_json" || decode == "send_empty")
            && !self.body.iter().any(sets_raw_body);
        let names: HashSet<String> = idents.iter().map(|i| i.to_string()).collect();
        let call = if rebuild {
            let decode_with = format_ident!("{}_with", decode);
            quote! {
                #runtime::#decode_with(#client, &super::operations::#entry, || {
                    #result::Ok(#request)
                })
                .await
            }
        } else {
            quote!(#runtime::#decode(#client, &super::operations::#entry, #request).await)
        };
        let tokens = quote! {
            #[doc = #struct_doc]
            #derive
            pub struct #builder<'a> {
                #client: &'a super::Client,
                #(#fields,)*
            }
            impl<'a> #builder<'a> {
                /// A builder with no parameter set.
                pub fn new(#client: &'a super::Client) -> Self {
                    Self {
                        #client,
                        #(#idents: #inits,)*
                    }
                }
                #(#setters)*
                #[doc = #send_doc]
                pub async fn send(self) -> #result<ResponseValue<#success>, Error> {
                    let Self { #client, #(#idents),* } = self;
                    #(#checks)*
                    #call
                }
            }
        };
        let mut file: syn::File = syn::parse2(tokens)
            .map_err(|e| format!("the builder of `{method}` does not parse: {e}"))?;
        let send = file.items.iter_mut().find_map(|item| match item {
            Item::Impl(imp) => imp.items.iter_mut().find_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
                _ => None,
            }),
            _ => None,
        });
        let Some(send) = send else {
            return Err(format!("the builder of `{method}` has no send()"));
        };
        if rebuild {
            // Into the closure, before its `Ok(request)`.
            let closure = send.block.stmts.last_mut().and_then(find_closure_block);
            let Some(block) = closure else {
                return Err(format!("the send() of `{method}` has no request closure"));
            };
            // The closure borrows what it uses: progenitor's request
            // building only moves an optional header's value out of its
            // `Option` (`if let Some(value) = x_trace_id`); borrow it.
            let mut body = self.body;
            let mut borrow = BorrowMatched(names);
            for stmt in &mut body {
                borrow.visit_stmt_mut(stmt);
            }
            block.stmts.splice(0..0, body);
        } else {
            // After the destructuring and the checks, before the runtime call.
            let at = 1 + required;
            send.block.stmts.splice(at..at, self.body);
        }
        Ok(file.items)
    }
}

/// `if let Some(v) = param` → `if let Some(v) = &param`, for the
/// parameters named.
struct BorrowMatched(HashSet<String>);

impl VisitMut for BorrowMatched {
    fn visit_expr_let_mut(&mut self, e: &mut syn::ExprLet) {
        syn::visit_mut::visit_expr_let_mut(self, e);
        let named = matches!(e.expr.as_ref(),
            Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.0.contains(&i.to_string())));
        if named {
            let scrutinee = &e.expr;
            *e.expr = syn::parse_quote!(&#scrutinee);
        }
    }
}

/// Whether a statement hands a value to `.body(..)` (a raw or text body,
/// which takes its value by move: that request is not rebuilt).
fn sets_raw_body(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            self.0 |= call.method == "body";
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut f = Finder(false);
    f.visit_stmt_mut(&mut stmt.clone());
    f.0
}

/// The block of the request-building closure passed to the runtime in
/// `stmt` (`runtime::send_json_with(.., || { .. }).await`).
fn find_closure_block(stmt: &mut Stmt) -> Option<&mut syn::Block> {
    let expr = match stmt {
        Stmt::Expr(e, _) => e,
        _ => return None,
    };
    let Expr::Await(awaited) = expr else {
        return None;
    };
    let Expr::Call(call) = awaited.base.as_mut() else {
        return None;
    };
    call.args.iter_mut().find_map(|arg| match arg {
        Expr::Closure(c) => match c.body.as_mut() {
            Expr::Block(b) => Some(&mut b.block),
            _ => None,
        },
        _ => None,
    })
}

/// The text of `#[doc = ".."]` attributes, joined by newlines.
fn doc_string(attrs: &[syn::Attribute]) -> String {
    let mut out = Vec::new();
    for a in attrs {
        if let syn::Meta::NameValue(nv) = &a.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            out.push(s.value());
        }
    }
    out.join("\n")
}

/// `(METHOD, /path)` from progenitor's "Sends a `PATCH` request to
/// `/v1/characters/{id}`" line (the last one: a description could hold
/// such a line too, progenitor's own comes after it).
fn sends_line(doc: &str) -> Option<(String, String)> {
    doc.lines().rev().find_map(|line| {
        let rest = line.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once('`')?;
        let path = rest.strip_prefix(" request to `")?.strip_suffix('`')?;
        Some((method.to_owned(), path.to_owned()))
    })
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

/// Whether every value of `ty` prints as URL-safe text (no character a
/// path segment must escape): UUIDs, integers and booleans.
fn is_url_safe(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    let name = name.strip_prefix("NonZero").unwrap_or(&name);
    matches!(
        name.to_ascii_lowercase().as_str(),
        "uuid"
            | "bool"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
    )
}

/// `encode_path(&id.to_string())` → `id` (displayed by the URL's
/// `format!`) for parameters whose text never needs escaping:
/// percent-encoding a UUID on every request costs about as much as the
/// rest of building the URL.
struct PlainPathSegments(HashSet<String>);

impl VisitMut for PlainPathSegments {
    /// progenitor builds the URL in `format!(..)`, whose arguments syn keeps
    /// as tokens: parse them, rewrite, print them back.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            return;
        };
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        mac.tokens = quote!(#args);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::Call(call) = expr else { return };
        let Expr::Path(func) = call.func.as_ref() else {
            return;
        };
        let is_encode = func
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "encode_path");
        if !is_encode || call.args.len() != 1 {
            return;
        }
        let Some(Expr::Reference(arg)) = call.args.first() else {
            return;
        };
        let Expr::MethodCall(to_string) = arg.expr.as_ref() else {
            return;
        };
        let receiver_is_safe = matches!(to_string.receiver.as_ref(),
            Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.0.contains(&i.to_string())));
        if to_string.method == "to_string" && to_string.args.is_empty() && receiver_is_safe {
            // The value itself: `format!` displays it without a String.
            *expr = (*to_string.receiver).clone();
        }
    }
}

/// `self` (the client, in a positional method) → the builder's client
/// binding; `Self` → `super::Client`.
struct SelfToClient(syn::Ident);

impl VisitMut for SelfToClient {
    fn visit_expr_path_mut(&mut self, e: &mut syn::ExprPath) {
        if e.qself.is_none() && e.path.is_ident("self") {
            let client = &self.0;
            e.path = syn::parse_quote!(#client);
            return;
        }
        syn::visit_mut::visit_expr_path_mut(self, e);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments[0].ident == "Self"
        {
            let rest: Vec<_> = path.segments.iter().skip(1).cloned().collect();
            *path = syn::parse_quote!(super::Client);
            path.segments.extend(rest);
            return;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    /// `format!("{}/v1/..", self.baseurl, ..)`: macro arguments are tokens.
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        m.tokens = replace_self(std::mem::take(&mut m.tokens), &self.0);
    }
}

fn replace_self(tokens: TokenStream, client: &syn::Ident) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(i) if i == "self" => TokenTree::Ident(client.clone()),
            TokenTree::Group(g) => {
                let mut new = Group::new(g.delimiter(), replace_self(g.stream(), client));
                new.set_span(g.span());
                TokenTree::Group(new)
            }
            other => other,
        })
        .collect()
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
