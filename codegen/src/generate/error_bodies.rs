//! `mod errors`: each operation's error bodies typed by status.
//!
//! progenitor gives an operation one error type, and normalization makes
//! it the untagged union of the error statuses' schemas
//! (`normalize/responses.rs`); decoded by trying shapes in order, a body
//! lands in the first member that accepts it, which is wrong whenever one
//! schema accepts what another describes (an object of optional fields
//! accepts every object). Here the status decides: for every operation
//! that documents error responses, `errors::<Operation>` has one variant
//! per documented status (`Status404`), range (`Status4xx`) and
//! `default`, and `runtime::ErrorByStatus::decode` picks the variant by
//! the response's status before decoding the body as that variant's type,
//! so `Error::typed_body::<errors::IssuesCreate>()` is the 422's
//! `ValidationError` and never the 404's `BasicError`.
//!
//! The enums are `#[non_exhaustive]`: a status the spec documents later
//! is a new variant, which breaks no `match`.
//!
//! The enums are named after operations, so `mod errors` may hold a
//! `Result`, an `Option` or a `String`: what it writes names the standard
//! ones by their full paths.
//!
//! Which type each status has comes from `x-codegen-error-bodies`, which
//! normalization wrote before the statuses shared one type. A variant
//! whose schema has no type in `mod types` (a name the generator changed,
//! or a schema with no name) holds `serde_json::Value`: it decodes, and
//! the file compiles whatever the spec.

use std::collections::{BTreeMap, HashSet};

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::Item;

use super::operations::OperationTable;
use crate::document::extensions::ERROR_BODIES_EXTENSION;
use crate::document::operations::{self, Status, typed_operations};
use crate::naming::{Case, sanitize};

/// A documented error status (`document::operations::status`): a code
/// or range of 4xx or 5xx, or `default`.
fn status(key: &str) -> Option<Status> {
    operations::status(key).filter(|s| match s {
        Status::Code(c) => (400..=599).contains(c),
        Status::Range(d) => (4..=5).contains(d),
        Status::Default => true,
    })
}

/// What a status's body decodes into.
enum Body {
    /// A type of `mod types`, or `serde_json::Value`.
    Json(TokenStream),
    Text,
    None,
}

/// `mod errors`, or nothing when no operation documents an error body.
pub(crate) fn module(
    api: &OpenAPI,
    table: &OperationTable,
    file: &syn::File,
    runtime: &syn::Path,
) -> Vec<Item> {
    let types = type_names(file);
    let mut taken = HashSet::new();
    let mut enums = Vec::new();
    for (path, item) in &api.paths.paths {
        let Some(item) = item.as_item() else {
            continue;
        };
        for (method, op) in typed_operations(item) {
            let Some(Value::Object(bodies)) = op.extensions.get(ERROR_BODIES_EXTENSION) else {
                continue;
            };
            let Some(entry) = table.find(&method.to_uppercase(), path) else {
                continue;
            };
            let statuses: BTreeMap<Status, (String, Body)> = bodies
                .iter()
                .filter_map(|(key, body)| {
                    Some((status(key)?, (key.clone(), body_of(body, &types))))
                })
                .collect();
            if statuses.is_empty() {
                continue;
            }
            let base = sanitize(&entry.id, Case::Pascal);
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}{n}");
                n += 1;
            }
            enums.push(enumeration(&name, &entry.id, &statuses, runtime));
        }
    }
    if enums.is_empty() {
        return Vec::new();
    }
    let module = quote! {
        /// Each operation's error bodies, typed by status: decode one with
        /// [`Error::typed_body`](super::Error::typed_body).
        pub mod errors {
            #[allow(unused_imports)]
            use super::types;
            #(#enums)*
        }
    };
    syn::parse2::<syn::File>(module)
        .map(|f| f.items)
        .unwrap_or_default()
}

/// The names of the types `mod types` declares.
fn type_names(file: &syn::File) -> HashSet<String> {
    super::syntax::types_items_ref(file)
        .into_iter()
        .flatten()
        .filter(|item| matches!(item, Item::Struct(_) | Item::Enum(_) | Item::Type(_)))
        .filter_map(super::syntax::item_name)
        .collect()
}

fn body_of(body: &Value, types: &HashSet<String>) -> Body {
    if body.get("none").is_some() {
        return Body::None;
    }
    if body.get("text").is_some() {
        return Body::Text;
    }
    let named = body
        .get("schema")
        .and_then(Value::as_str)
        .map(|name| sanitize(name, Case::Pascal))
        .filter(|name| types.contains(name));
    match named {
        Some(name) => {
            let ident = format_ident!("{}", name);
            Body::Json(quote!(types::#ident))
        }
        None => Body::Json(quote!(::serde_json::Value)),
    }
}

fn enumeration(
    name: &str,
    operation: &str,
    statuses: &BTreeMap<Status, (String, Body)>,
    rt: &syn::Path,
) -> TokenStream {
    let ident = format_ident!("{}", name);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for (status, (key, body)) in statuses {
        let variant = match status {
            Status::Code(c) => format_ident!("Status{}", c),
            Status::Range(d) => format_ident!("Status{}xx", d),
            Status::Default => format_ident!("Default"),
        };
        let pattern = match status {
            Status::Code(c) => quote!(#c),
            Status::Range(d) => {
                let (lo, hi) = (d * 100, d * 100 + 99);
                quote!(#lo..=#hi)
            }
            Status::Default => quote!(_),
        };
        let (doc, payload, decode) = match body {
            Body::Json(ty) => (
                format!(" `{key}`: the body as the spec documents it."),
                quote!((#ty)),
                quote!(#rt::decode_error_body(body).map(Self::#variant)),
            ),
            Body::Text => (
                format!(" `{key}`: a body that is not JSON, as text."),
                quote!((::std::string::String)),
                quote!(::std::result::Result::Ok(Self::#variant(#rt::error_body_text(body)))),
            ),
            Body::None => (
                format!(" `{key}`: documented without a body."),
                quote!(),
                quote!(::std::result::Result::Ok(Self::#variant)),
            ),
        };
        variants.push(quote! {
            #[doc = #doc]
            #variant #payload,
        });
        arms.push(quote!(#pattern => #decode,));
    }
    let has_default = statuses.contains_key(&Status::Default);
    if !has_default {
        variants.push(quote! {
            /// A status the spec does not document for this operation: the
            /// body stays in [`Error::body_text`](super::Error::body_text).
            Undocumented,
        });
        arms.push(quote!(_ => ::std::result::Result::Ok(Self::Undocumented),));
    }
    let doc = format!(
        " The error bodies of `{operation}`, by status: \
         `error.typed_body::<errors::{name}>()`."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variants)*
        }

        impl #rt::ErrorByStatus for #ident {
            fn decode(
                status: u16,
                body: ::std::option::Option<&#rt::ErrorBody>,
            ) -> ::std::result::Result<Self, ::serde_json::Error> {
                match status {
                    #(#arms)*
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_order_codes_before_ranges_before_default() {
        let mut s = vec![
            status("default").unwrap(),
            status("4XX").unwrap(),
            status("404").unwrap(),
            status("5xx").unwrap(),
        ];
        s.sort();
        assert_eq!(
            s,
            [
                Status::Code(404),
                Status::Range(4),
                Status::Range(5),
                Status::Default
            ]
        );
        assert_eq!(status("200"), None);
        assert_eq!(status("2XX"), None);
        assert_eq!(status("x-foo"), None);
    }
}
