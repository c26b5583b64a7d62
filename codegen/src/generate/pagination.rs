//! Pass: a list operation's builder gets `pages()` and `stream()` beside
//! `send()`, and the file a `pagination` table (one
//! `runtime::Pagination` per operation that pages), from the plan
//! normalization wrote as `x-codegen-pagination`
//! (`normalize/pagination.rs`).
//!
//! `pages()` builds the first request exactly as `send()` does and hands
//! it to `runtime::Pages`, which makes every next request from it: where
//! `send()` gives the runtime a closure that builds the request, its
//! statements and that closure move into a private method both call
//! (one copy of the request building for the compiler to check, not
//! two); else `pages()` gets a copy of `send()`'s statements, moved into
//! a closure that returns the request instead of sending it. `stream()` is `pages().items()`, typed by the items
//! array of the page type, found in `mod types` (`serde_json::Value`
//! when the array's element type cannot be named there).

use std::collections::HashMap;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Expr, FnArg, ImplItem, Item, Pat, ReturnType, Stmt, Type};

use super::operations::OperationTable;
use crate::document::extensions::PAGINATION_EXTENSION;
use crate::document::operations::typed_operations;

/// The plan of each operation that pages, by the name of its static in
/// the `operations` table.
#[derive(Default)]
pub(crate) struct Plan {
    ops: HashMap<String, Planned>,
}

struct Planned {
    method: String,
    path: String,
    how: String,
    table: TokenStream,
    items: Vec<String>,
}

pub(crate) fn plan(api: &OpenAPI, table: &OperationTable, runtime: &syn::Path) -> Plan {
    let mut ops = HashMap::new();
    for (path, item) in &api.paths.paths {
        let Some(item) = item.as_item() else {
            continue;
        };
        for (method, op) in typed_operations(item) {
            let Some(value) = op.extensions.get(PAGINATION_EXTENSION) else {
                continue;
            };
            let Some(entry) = table.find(&method.to_uppercase(), path) else {
                continue;
            };
            let Some((table, items)) = entry_tokens(value, runtime) else {
                continue;
            };
            ops.insert(
                entry.ident.to_string(),
                Planned {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    how: value
                        .get("how")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    table,
                    items,
                },
            );
        }
    }
    Plan { ops }
}

fn keys(value: Option<&Value>) -> Option<Vec<String>> {
    value?
        .as_array()?
        .iter()
        .map(|k| k.as_str().map(str::to_owned))
        .collect()
}

/// The `runtime::Pagination` expression of a plan, and its items' keys.
fn entry_tokens(plan: &Value, rt: &syn::Path) -> Option<(TokenStream, Vec<String>)> {
    let items = keys(plan.get("items"))?;
    let has_more = match keys(plan.get("has_more")) {
        Some(k) => quote!(Some(&[#(#k),*])),
        None => quote!(None),
    };
    let param = |v: &Value| -> Option<TokenStream> {
        if let Some(name) = v.get("query").and_then(Value::as_str) {
            return Some(quote!(#rt::Param::Query(#name)));
        }
        let k = keys(v.get("body"))?;
        Some(quote!(#rt::Param::Body(&[#(#k),*])))
    };
    let limit = |v: &Value| -> Option<TokenStream> {
        match v.get("limit") {
            None | Some(Value::Null) => Some(quote!(None)),
            Some(l) => {
                let p = param(l)?;
                Some(quote!(Some(#p)))
            }
        }
    };
    let next = plan.get("next")?.as_object()?;
    let (kind, spec) = next.iter().next()?;
    let next = match kind.as_str() {
        "cursor" => {
            let from = keys(spec.get("from"))?;
            let to = param(spec.get("to")?)?;
            quote!(#rt::Next::Cursor { from: &[#(#from),*], to: #to })
        }
        "last_item" => {
            let field = keys(spec.get("field"))?;
            let to = param(spec.get("to")?)?;
            quote!(#rt::Next::LastItem { field: &[#(#field),*], to: #to })
        }
        "offset" => {
            let to = param(spec.get("to")?)?;
            let limit = limit(spec)?;
            quote!(#rt::Next::Offset { to: #to, limit: #limit })
        }
        "page" => {
            let to = param(spec.get("to")?)?;
            let limit = limit(spec)?;
            let start = proc_macro2::Literal::i64_unsuffixed(
                spec.get("start").and_then(Value::as_i64).unwrap_or(1),
            );
            quote!(#rt::Next::PageNumber { to: #to, limit: #limit, start: #start })
        }
        "link_header" => quote!(#rt::Next::LinkHeader),
        "next_url" => {
            let from = keys(spec.get("from"))?;
            quote!(#rt::Next::NextUrl { from: &[#(#from),*] })
        }
        _ => return None,
    };
    Some((
        quote!(#rt::Pagination { items: &[#(#items),*], has_more: #has_more, next: #next }),
        items,
    ))
}

/// Adds `pages()` and `stream()` to the builders of the planned
/// operations whose `send()` decodes JSON, and the `pagination` table of
/// those.
pub(crate) fn rewrite(file: &mut syn::File, plan: &Plan, rt: &syn::Path) {
    if plan.ops.is_empty() {
        return;
    }
    let types = TypeIndex::of(file);
    let mut done: Vec<&String> = Vec::new();
    for item in &mut file.items {
        let Item::Mod(m) = item else { continue };
        if m.ident != "builder" {
            continue;
        }
        let Some((_, items)) = &mut m.content else {
            continue;
        };
        for item in items.iter_mut() {
            let Item::Impl(imp) = item else { continue };
            let Some(at) = imp
                .items
                .iter()
                .position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "send"))
            else {
                continue;
            };
            let ImplItem::Fn(send) = &imp.items[at] else {
                continue;
            };
            let Some((op, planned)) = operation_of(send).and_then(|op| {
                let (key, planned) = plan.ops.get_key_value(&op)?;
                Some((key, planned))
            }) else {
                continue;
            };
            let prepare = fresh_method_name(imp, PREPARE);
            let Some(methods) = methods(send, op, planned, &types, rt, &prepare) else {
                continue;
            };
            imp.items[at] = methods.send;
            imp.items.extend(methods.added);
            done.push(op);
        }
    }
    if done.is_empty() {
        return;
    }
    done.sort();
    let statics = done.iter().map(|op| {
        let planned = &plan.ops[*op];
        let ident = format_ident!("{}", op);
        let doc = format!("`{} {}`: {}", planned.method, planned.path, planned.how);
        let table = &planned.table;
        quote! {
            #[doc = #doc]
            pub static #ident: #rt::Pagination = #table;
        }
    });
    file.items.push(syn::parse_quote! {
        /// How each list operation pages: where its items are and how the
        /// request of its next page is made (`pages()` and `stream()` of
        /// its builder).
        pub mod pagination {
            #(#statics)*
        }
    });
}

/// The `operations` static `send()` hands to the runtime, when it sends
/// through `send_json` or `send_json_with`.
fn operation_of(send: &syn::ImplItemFn) -> Option<String> {
    let Some(Stmt::Expr(Expr::Await(awaited), _)) = send.block.stmts.last() else {
        return None;
    };
    let Expr::Call(call) = awaited.base.as_ref() else {
        return None;
    };
    let Expr::Path(func) = call.func.as_ref() else {
        return None;
    };
    let name = func.path.segments.last()?.ident.to_string();
    if name != "send_json" && name != "send_json_with" {
        return None;
    }
    call.args.iter().find_map(|arg| {
        let Expr::Reference(r) = arg else { return None };
        let Expr::Path(p) = r.expr.as_ref() else {
            return None;
        };
        let segments: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        match &segments[..] {
            [sup, ops, ident] if sup == "super" && ops == "operations" => Some(ident.clone()),
            _ => None,
        }
    })
}

/// The name (or, when a setter has it, the start of the name) of the
/// private method that builds a paged builder's request for `send()` and
/// `pages()`: the content-type rewrite sets its headers as `send()`'s.
pub(crate) const PREPARE: &str = "prepare";

/// A name for a private method of the builder that none of its methods
/// (the setters are named after parameters) has.
fn fresh_method_name(imp: &syn::ItemImpl, base: &str) -> syn::Ident {
    let taken = |name: &str| {
        imp.items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == name))
    };
    let mut name = base.to_owned();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    format_ident!("{}", name)
}

/// What a paged builder gets: `send()` again, and the methods added.
struct Methods {
    send: ImplItem,
    added: Vec<ImplItem>,
}

/// `pages()` and `stream()` made from `send()`. When `send()` hands the
/// runtime a closure that builds the request (it does unless the body is
/// streamed), its statements and that closure move into a private method
/// `prepare` that both `send()` and `pages()` call: the request is built
/// by one copy of the code, not two, which is what the compiler checks.
fn methods(
    send: &syn::ImplItemFn,
    op: &str,
    planned: &Planned,
    types: &TypeIndex,
    rt: &syn::Path,
    prepare: &syn::Ident,
) -> Option<Methods> {
    if !send
        .sig
        .inputs
        .iter()
        .all(|i| matches!(i, FnArg::Receiver(_)))
    {
        return None;
    }
    let page = page_type(&send.sig.output)?;
    let item = types
        .items(&page, &planned.items)
        .unwrap_or_else(|| syn::parse_quote!(::serde_json::Value));
    let mut stmts = send.block.stmts.clone();
    let Some(Stmt::Expr(Expr::Await(awaited), _)) = stmts.pop() else {
        return None;
    };
    let Expr::Call(call) = awaited.base.as_ref() else {
        return None;
    };
    let ident = format_ident!("{}", op);
    let doc_pages = format!(" How the next page is found: {}.", planned.how);
    let pages_docs: Vec<syn::Attribute> = syn::parse_quote! {
        /// The pages of this call, fetched one at a time as they are asked
        /// for, each with this call's options and retries; status and
        /// headers kept.
        #[doc = #doc_pages]
    };
    let stream: ImplItem = syn::parse_quote! {
        /// Every item of every page of this call, fetched as they run out
        /// (see [`pages`](Self::pages)); an error is the last item.
        pub fn stream(self) -> #rt::Items<'a, #item> {
            self.pages().items()
        }
    };
    // The request argument: a closure that builds it, or the request.
    if let Some(Expr::Closure(closure)) = call.args.last() {
        let mut closure = closure.clone();
        // It outlives `prepare`'s locals: it takes them.
        closure.capture = Some(Default::default());
        // `send()`'s statements and the closure are moved in as syntax:
        // printing them to tokens and parsing them again cost more than
        // the rest of this pass.
        let mut prepare_fn: syn::ImplItemFn = syn::parse_quote! {
            /// The client, the options and how to build the request of
            /// this call, once its required parameters are checked.
            fn #prepare(
                self,
            ) -> ::std::result::Result<
                (
                    &'a super::Client,
                    #rt::RequestOptions,
                    impl FnMut() -> ::std::result::Result<::reqwest::Request, Error> + 'a,
                ),
                Error,
            > {
                ::std::result::Result::Ok((client, options, ()))
            }
        };
        *last_tuple_element(&mut prepare_fn.block)? = Expr::Closure(closure);
        stmts.append(&mut prepare_fn.block.stmts);
        prepare_fn.block.stmts = stmts;
        let prepare_fn = ImplItem::Fn(prepare_fn);
        let mut call = call.clone();
        *call.args.last_mut()? = syn::parse_quote!(build);
        let mut new_send = send.clone();
        new_send.block = syn::parse_quote! {{
            let (client, options, build) = self.#prepare()?;
            #call.await
        }};
        let pages = pages_fn(
            &pages_docs,
            rt,
            &page,
            &ident,
            syn::parse_quote!(self.#prepare().and_then(|(_, _, mut build)| build())),
        );
        return Some(Methods {
            send: ImplItem::Fn(new_send),
            added: vec![prepare_fn, pages, stream],
        });
    }
    let request = call.args.last()?.clone();
    let first = quote!(::std::result::Result::Ok(#request));
    // `send()` binds the options with the parameters; `pages()` takes
    // them before, for the pages after the first.
    for stmt in &mut stmts {
        if let Stmt::Local(local) = stmt
            && let Pat::Struct(pat) = &mut local.pat
        {
            for field in &mut pat.fields {
                if matches!(&field.member, syn::Member::Named(n) if n == "options") {
                    field.colon_token = Some(Default::default());
                    *field.pat = syn::parse_quote!(_);
                }
            }
        }
    }
    let first = syn::parse_quote! {
        (move || -> ::std::result::Result<::reqwest::Request, Error> {
            #(#stmts)*
            #first
        })()
    };
    let pages = pages_fn(&pages_docs, rt, &page, &ident, first);
    Some(Methods {
        send: ImplItem::Fn(send.clone()),
        added: vec![pages, stream],
    })
}

/// `pages()`: the first request is `first`; the runtime makes each next
/// one from it.
fn pages_fn(
    docs: &[syn::Attribute],
    rt: &syn::Path,
    page: &Type,
    ident: &syn::Ident,
    first: Expr,
) -> ImplItem {
    syn::parse_quote! {
        #(#docs)*
        pub fn pages(mut self) -> #rt::Pages<'a, #page> {
            let client = self.client;
            let options = ::std::mem::take(&mut self.options);
            let first = #first;
            #rt::Pages::new(
                client,
                &super::operations::#ident,
                &super::pagination::#ident,
                options,
                first,
            )
        }
    }
}

/// The last element of the tuple in the `Ok((…))` a template's block ends
/// with.
fn last_tuple_element(block: &mut syn::Block) -> Option<&mut Expr> {
    let Some(Stmt::Expr(Expr::Call(ok), None)) = block.stmts.last_mut() else {
        return None;
    };
    let Some(Expr::Tuple(tuple)) = ok.args.first_mut() else {
        return None;
    };
    tuple.elems.last_mut()
}

/// `T` of `-> Result<ResponseValue<T>, Error>`.
fn page_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = generic_args(ty)?;
    let value = generic_args(result.first()?)?;
    value.first().cloned()
}

/// The type arguments of a path type's last segment.
fn generic_args(ty: &Type) -> Option<Vec<Type>> {
    let Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// What `mod types` declares: each struct's fields by wire name, and
/// aliases.
struct TypeIndex {
    structs: HashMap<String, HashMap<String, Type>>,
    aliases: HashMap<String, Type>,
    names: Vec<String>,
}

impl TypeIndex {
    fn of(file: &syn::File) -> TypeIndex {
        let mut index = TypeIndex {
            structs: HashMap::new(),
            aliases: HashMap::new(),
            names: Vec::new(),
        };
        let Some(items) = file.items.iter().find_map(|i| match i {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, c)| c),
            _ => None,
        }) else {
            return index;
        };
        for item in items {
            match item {
                Item::Struct(s) => {
                    index.names.push(s.ident.to_string());
                    let mut fields = HashMap::new();
                    for f in &s.fields {
                        let Some(ident) = &f.ident else { continue };
                        let wire = renamed(&f.attrs).unwrap_or_else(|| {
                            ident.to_string().trim_start_matches("r#").to_owned()
                        });
                        fields.insert(wire, f.ty.clone());
                    }
                    index.structs.insert(s.ident.to_string(), fields);
                }
                Item::Type(t) => {
                    index.names.push(t.ident.to_string());
                    index.aliases.insert(t.ident.to_string(), (*t.ty).clone());
                }
                Item::Enum(e) => index.names.push(e.ident.to_string()),
                _ => {}
            }
        }
        index
    }

    /// The element type of the array `keys` lead to in `page`, written
    /// for `mod builder` (`types::X`).
    fn items(&self, page: &Type, keys: &[String]) -> Option<Type> {
        let mut ty = unwrap_option(page).clone();
        for key in keys {
            let name = self.local_name(&ty)?;
            let name = self.follow(&name);
            ty = unwrap_option(self.structs.get(&name)?.get(key)?).clone();
        }
        let ty = self.follow_type(&ty);
        let element = generic_args(unwrap_option(&ty))?;
        let [element] = &element[..] else { return None };
        self.qualified(element)
    }

    /// The name of a type of `mod types`: `types::X` or `X`.
    fn local_name(&self, ty: &Type) -> Option<String> {
        let Type::Path(p) = ty else { return None };
        let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
        let last = match &segments[..] {
            [t, last] if t.ident == "types" => last,
            [last] => last,
            _ => return None,
        };
        matches!(last.arguments, syn::PathArguments::None).then(|| last.ident.to_string())
    }

    fn follow(&self, name: &str) -> String {
        let mut name = name.to_owned();
        for _ in 0..8 {
            match self.aliases.get(&name).and_then(|t| self.local_name(t)) {
                Some(next) => name = next,
                None => break,
            }
        }
        name
    }

    /// `ty`, or the type it is an alias of.
    fn follow_type(&self, ty: &Type) -> Type {
        let mut ty = ty.clone();
        for _ in 0..8 {
            match self.local_name(&ty).and_then(|n| self.aliases.get(&n)) {
                Some(t) => ty = t.clone(),
                None => break,
            }
        }
        ty
    }

    /// `element` as `mod builder` writes it: a type of `mod types` as
    /// `types::X`, a fully qualified path as it is; else `None`.
    fn qualified(&self, element: &Type) -> Option<Type> {
        if let Some(name) = self.local_name(element)
            && self.names.contains(&name)
        {
            let ident = format_ident!("{}", name);
            return Some(syn::parse_quote!(types::#ident));
        }
        let mut finder = Bare { bare: false };
        finder.visit_type_mut(&mut element.clone());
        let Type::Path(p) = element else { return None };
        (p.path.leading_colon.is_some() && !finder.bare).then(|| element.clone())
    }
}

/// Whether a type mentions a path that is not fully qualified (a name of
/// `mod types`, which would not resolve in `mod builder`).
struct Bare {
    bare: bool,
}

impl VisitMut for Bare {
    fn visit_type_path_mut(&mut self, p: &mut syn::TypePath) {
        if p.path.leading_colon.is_none() {
            self.bare = true;
        }
        syn::visit_mut::visit_type_path_mut(self, p);
    }
}

fn unwrap_option(ty: &Type) -> &Type {
    if let Type::Path(p) = ty
        && let Some(last) = p.path.segments.last()
        && last.ident == "Option"
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return inner;
    }
    ty
}

/// The key of `#[serde(rename = "..")]`.
fn renamed(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                found = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}
