//! The items codegen adds beside progenitor's output, built with `quote`:
//! the spec's digest and version, and a table of the operations with the
//! API-key kinds each accepts (read from the spec's security requirements).

use std::collections::{BTreeSet, HashSet};

use openapiv3::{OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::document::operations::typed_operations as operations;
use crate::load::Spec;

/// A kind of API key, told apart by its prefix (`x-key-prefix` on the
/// security scheme).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeyKind {
    Secret,
    Publishable,
}

pub(crate) struct Entry {
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub ident: syn::Ident,
    /// Key kinds accepted; empty when the operation needs no key.
    pub keys: BTreeSet<KeyKind>,
}

pub(crate) struct OperationTable {
    pub entries: Vec<Entry>,
}

impl OperationTable {
    pub(crate) fn new(api: &OpenAPI) -> Self {
        let mut used = HashSet::new();
        let mut entries = Vec::new();
        for (path, item) in &api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in operations(item) {
                let id = op.operation_id.clone().unwrap_or_default();
                let base = screaming_snake(&id);
                let mut name = base.clone();
                let mut n = 2;
                while !used.insert(name.clone()) {
                    name = format!("{base}_{n}");
                    n += 1;
                }
                let requirements = op.security.as_ref().or(api.security.as_ref());
                entries.push(Entry {
                    id,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: op.summary.clone(),
                    ident: format_ident!("{}", name),
                    keys: key_kinds(api, requirements),
                });
            }
        }
        OperationTable { entries }
    }

    /// The entry for the operation at `method` (upper case) and `path`.
    pub(crate) fn find(&self, method: &str, path: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.method == method && e.path == path)
    }

    pub(crate) fn items(&self, spec: &Spec, api: &OpenAPI, runtime: &syn::Path) -> TokenStream {
        let sha = spec.sha256();
        let version = &api.info.version;
        let statics = self.entries.iter().map(|e| {
            let Entry {
                id,
                method,
                path,
                ident,
                ..
            } = e;
            let doc = match &e.summary {
                Some(s) => format!("`{method} {path}`: {s}"),
                None => format!("`{method} {path}`"),
            };
            let keys = e.keys.iter().map(|k| match k {
                KeyKind::Secret => quote!(#runtime::KeyKind::Secret),
                KeyKind::Publishable => quote!(#runtime::KeyKind::Publishable),
            });
            quote! {
                #[doc = #doc]
                pub static #ident: #runtime::Operation = #runtime::Operation {
                    id: #id,
                    method: #method,
                    path: #path,
                    keys: &[#(#keys),*],
                };
            }
        });
        let all = self.entries.iter().map(|e| &e.ident);
        quote! {
            /// SHA-256 of the spec this file was generated from.
            pub const SPEC_SHA256: &str = #sha;
            /// `info.version` of the spec this file was generated from.
            pub const SPEC_VERSION: &str = #version;

            /// Every operation of the API: its id, method, path template
            /// and the kinds of API key it accepts.
            pub mod operations {
                #(#statics)*

                /// All operations, in spec order.
                pub static ALL: &[&#runtime::Operation] = &[#(&#all),*];
            }
        }
    }
}

/// Key kinds accepted by any of the alternative `requirements`. A scheme
/// without `x-key-prefix` accepts either kind; `security: []` needs none.
fn key_kinds(api: &OpenAPI, requirements: Option<&Vec<SecurityRequirement>>) -> BTreeSet<KeyKind> {
    let mut kinds = BTreeSet::new();
    let schemes = api.components.as_ref().map(|c| &c.security_schemes);
    for requirement in requirements.into_iter().flatten() {
        for name in requirement.keys() {
            let prefix = schemes
                .and_then(|s| s.get(name))
                .and_then(|s| match s {
                    ReferenceOr::Item(scheme) => Some(scheme),
                    ReferenceOr::Reference { .. } => None,
                })
                .and_then(|scheme| extensions(scheme).get("x-key-prefix"))
                .and_then(|v| v.as_str());
            match prefix {
                Some("sk_") => {
                    kinds.insert(KeyKind::Secret);
                }
                Some("pk_") => {
                    kinds.insert(KeyKind::Publishable);
                }
                _ => {
                    kinds.insert(KeyKind::Secret);
                    kinds.insert(KeyKind::Publishable);
                }
            }
        }
    }
    kinds
}

fn extensions(scheme: &SecurityScheme) -> &indexmap::IndexMap<String, serde_json::Value> {
    match scheme {
        SecurityScheme::APIKey { extensions, .. }
        | SecurityScheme::HTTP { extensions, .. }
        | SecurityScheme::OAuth2 { extensions, .. }
        | SecurityScheme::OpenIDConnect { extensions, .. } => extensions,
    }
}

/// `updateCharacter` → `UPDATE_CHARACTER`; anything not alphanumeric
/// separates words. Never empty and never starts with a digit.
pub(crate) fn screaming_snake(id: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let trimmed = out.trim_end_matches('_');
    match trimmed.chars().next() {
        None => "OPERATION".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("OP_{trimmed}"),
        Some(_) => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::screaming_snake;

    #[test]
    fn constant_names() {
        assert_eq!(screaming_snake("updateCharacter"), "UPDATE_CHARACTER");
        assert_eq!(screaming_snake("get-v1/foo.bar"), "GET_V1_FOO_BAR");
        assert_eq!(screaming_snake("v2Items"), "V2_ITEMS");
        assert_eq!(screaming_snake("2fa"), "OP_2FA");
        assert_eq!(screaming_snake("__"), "OPERATION");
    }
}
