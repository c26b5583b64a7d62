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

mod emit;
mod operation_templates;
mod optional_body;
mod positional;
mod query;
mod request;
mod streams;
mod templates;

use std::collections::HashSet;

use quote::quote;
use syn::{ImplItem, Item, Type};

use super::operations::OperationTable;
use super::queries;
use super::streams::Plan;
use super::syntax::with_default;
use positional::Operation;

pub(crate) use optional_body::{Plan as OptionalBodies, plan as optional_bodies};

/// Replaces progenitor's positional `impl Client` by builder-returning
/// methods and adds `mod builder` after it.
pub(crate) fn build(
    file: &mut syn::File,
    runtime: &syn::Path,
    table: &OperationTable,
    streams: &Plan,
    queries: &queries::Plan,
    optional_bodies: &OptionalBodies,
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
        let mut op = Operation::from_positional(f, table, &defaults)?;
        if optional_bodies.contains(&op.key) {
            optional_body::apply(&mut op);
        }
        if let Some(planned) = queries.get(&op.key) {
            query::route(&mut op.body, &op.request, planned, &op.params, runtime)?;
        }
        ops.push(op);
    }
    builder_names(&mut ops);
    let templates = templates::Templates::new();
    let mut new_items: syn::File = syn::parse2(quote! {
        #[allow(clippy::all)]
        impl Client {}
        /// One builder per operation: set the parameters, then `send()`.
        #[allow(clippy::all)]
        pub mod builder {
            use super::types;
            #[allow(unused_imports)]
            use super::{encode_path, ByteStream, Error, RequestBuilderExt, ResponseValue};
        }
    })
    .map_err(|e| format!("the operation builders do not parse: {e}"))?;
    if let Some(Item::Impl(client)) = new_items.items.first_mut() {
        client.items.extend(
            ops.iter()
                .map(|op| ImplItem::Fn(op.client_method(&templates.operation))),
        );
        client.items.push(raw_method(runtime));
    }
    let Some(Item::Mod(builder)) = new_items.items.last_mut() else {
        return Err("the builder module is missing".to_owned());
    };
    let Some((_, items)) = &mut builder.content else {
        return Err("the builder module is empty".to_owned());
    };
    for op in ops {
        let stream = streams.get(&op.key.0, &op.key.1);
        items.extend(op.into_builder_items(runtime, &templates, stream)?);
    }
    file.items.splice(at..=at, new_items.items);
    Ok(())
}

/// `Client::raw`, for an operation the spec lacks. No operation's method
/// takes its name: `normalize/operation_ids.rs` keeps it free.
fn raw_method(runtime: &syn::Path) -> ImplItem {
    syn::parse_quote! {
        /// A call of an operation the spec lacks: `method` and `path` (after
        /// the base URL, with a query if any), with the client's
        /// credentials, retries, timeouts, redirect policy and bounded
        /// reads; `.json(&body)`, `.options(..)`, then `.send::<T>()`.
        pub fn raw(&self, method: ::reqwest::Method, path: &str) -> #runtime::RawRequest<'_, Self> {
            #runtime::RawRequest::new(self, security::RAW, method, path)
        }
    }
}

/// Every name a builder struct must not take: what `mod builder` imports
/// (the `use` below, [`super::paths`]'s reqwest header names, `Client`
/// reached through `super`) and the prelude names its code writes bare
/// (`Result`, `Some`, `Into`, …). A struct of one of these names clashes
/// with the import (E0255) or shadows the prelude name in every builder
/// (E0107, E0106).
const BUILDER_SCOPE: [&str; 47] = [
    // `use super::{…}` and the client.
    "ByteStream",
    "Client",
    "Error",
    "RequestBuilderExt",
    "ResponseValue",
    // `use ::reqwest::header::{…}` (`paths.rs`).
    "HeaderMap",
    "HeaderValue",
    // The prelude (types, traits and variants of the 2024 edition).
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "IntoFuture",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Vec",
];

/// Renames the builder of an operation whose name is one `mod builder`
/// already has in scope (`operationId: ByteStream`): `<Name>Operation`,
/// numbered when another builder has that name.
fn builder_names(ops: &mut [Operation]) {
    let mut taken: HashSet<String> = ops.iter().map(|op| op.builder.to_string()).collect();
    for op in ops.iter_mut() {
        let name = op.builder.to_string();
        if !BUILDER_SCOPE.contains(&name.as_str()) {
            continue;
        }
        let mut fresh = format!("{name}Operation");
        let mut n = 2;
        while taken.contains(&fresh) {
            fresh = format!("{name}Operation{n}");
            n += 1;
        }
        taken.insert(fresh.clone());
        op.builder = syn::Ident::new(&fresh, op.builder.span());
    }
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
