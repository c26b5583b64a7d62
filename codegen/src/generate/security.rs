//! The spec's security schemes as a table the runtime reads (`mod
//! security`), and each operation's requirement over them: what the
//! runtime needs to send the right credentials where the spec says.

use std::collections::{BTreeSet, HashSet};

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::document::security_schemes::{self, Link};
use crate::naming::screaming_snake;

/// A kind of Alakazam API key, told apart by its prefix (`x-key-prefix` on
/// the security scheme).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeyKind {
    Secret,
    Publishable,
}

enum Kind {
    Bearer,
    Basic,
    Http(String),
    ApiKey {
        location: APIKeyLocation,
        name: String,
    },
}

struct Scheme {
    name: String,
    ident: syn::Ident,
    kind: Kind,
    /// The key kinds that satisfy it: bearer-like schemes only.
    keys: BTreeSet<KeyKind>,
}

/// An operation's requirement: alternatives of indices into the table.
pub(crate) type Requirement = Vec<Vec<usize>>;

pub(crate) struct SchemeTable {
    schemes: Vec<Scheme>,
}

impl SchemeTable {
    pub(crate) fn new(api: &OpenAPI) -> Self {
        let mut used = HashSet::from(["ALL".to_owned(), "RAW".to_owned()]);
        let mut schemes = Vec::new();
        let declared = api.components.as_ref().map(|c| &c.security_schemes);
        for (name, scheme) in declared.into_iter().flatten() {
            let Some(scheme) = resolve(api, scheme) else {
                continue;
            };
            let base = screaming_snake(name);
            let mut ident = base.clone();
            let mut n = 2;
            while !used.insert(ident.clone()) {
                ident = format!("{base}_{n}");
                n += 1;
            }
            let (kind, keys) = match scheme {
                SecurityScheme::APIKey { location, name, .. } => (
                    Kind::ApiKey {
                        location: location.clone(),
                        name: name.clone(),
                    },
                    BTreeSet::new(),
                ),
                SecurityScheme::HTTP { scheme: http, .. } if http.eq_ignore_ascii_case("basic") => {
                    (Kind::Basic, BTreeSet::new())
                }
                SecurityScheme::HTTP { scheme: http, .. }
                    if !http.eq_ignore_ascii_case("bearer") =>
                {
                    (Kind::Http(http.clone()), BTreeSet::new())
                }
                SecurityScheme::HTTP { .. }
                | SecurityScheme::OAuth2 { .. }
                | SecurityScheme::OpenIDConnect { .. } => (Kind::Bearer, key_kinds(scheme)),
            };
            schemes.push(Scheme {
                name: name.clone(),
                ident: format_ident!("{}", ident),
                kind,
                keys,
            });
        }
        SchemeTable { schemes }
    }

    /// The requirement of an operation whose own `security` is `own`.
    /// Every scheme it names is in the table: `normalize/security.rs` left
    /// out the ones the document does not declare, with a warning, and
    /// chose what an alternative left empty means.
    pub(crate) fn requirement(
        &self,
        api: &OpenAPI,
        own: Option<&Vec<SecurityRequirement>>,
    ) -> Requirement {
        let requirements = own.or(api.security.as_ref());
        requirements
            .into_iter()
            .flatten()
            .map(|alternative| {
                let indices: Vec<usize> = alternative
                    .keys()
                    .filter_map(|name| self.schemes.iter().position(|s| &s.name == name))
                    .collect();
                debug_assert_eq!(
                    indices.len(),
                    alternative.len(),
                    "normalization left an undeclared scheme in {alternative:?}"
                );
                indices
            })
            .collect()
    }

    /// Key kinds accepted by any alternative of `requirement`; none when no
    /// scheme of it takes the key.
    pub(crate) fn keys(&self, requirement: &Requirement) -> BTreeSet<KeyKind> {
        requirement
            .iter()
            .flatten()
            .flat_map(|&i| self.schemes[i].keys.iter().copied())
            .collect()
    }

    /// The value of an `Operation`'s `security` field.
    pub(crate) fn requirement_tokens(&self, requirement: &Requirement) -> TokenStream {
        let alternatives = requirement.iter().map(|alternative| {
            let schemes = alternative.iter().map(|&i| &self.schemes[i].ident);
            quote!(&[#(&super::security::#schemes),*])
        });
        quote!(&[#(#alternatives),*])
    }

    /// What a raw call (`Client::raw`, an operation the spec lacks) sends:
    /// the document's `security` when it has alternatives; else any one
    /// scheme the client holds a credential for, in table order, and none
    /// when it holds none (the server, not the client, says whether the
    /// unknown operation needs one).
    fn raw_requirement(&self, api: &OpenAPI) -> Requirement {
        let document = self.requirement(api, None);
        if !document.is_empty() {
            return document;
        }
        let mut any: Requirement = (0..self.schemes.len()).map(|i| vec![i]).collect();
        any.push(Vec::new());
        any
    }

    /// `pub mod security`, one static per scheme.
    pub(crate) fn items(&self, api: &OpenAPI, runtime: &syn::Path) -> TokenStream {
        let statics = self.schemes.iter().map(|s| {
            let Scheme {
                name, ident, keys, ..
            } = s;
            let kind = match &s.kind {
                Kind::Bearer => quote!(#runtime::SchemeKind::Bearer),
                Kind::Basic => quote!(#runtime::SchemeKind::Basic),
                Kind::Http(scheme) => quote!(#runtime::SchemeKind::Http { scheme: #scheme }),
                Kind::ApiKey { location, name } => {
                    let location = match location {
                        APIKeyLocation::Header => quote!(Header),
                        APIKeyLocation::Query => quote!(Query),
                        APIKeyLocation::Cookie => quote!(Cookie),
                    };
                    quote!(#runtime::SchemeKind::ApiKey {
                        location: #runtime::ApiKeyLocation::#location,
                        name: #name,
                    })
                }
            };
            let doc = format!("The security scheme `{name}`.");
            let keys = keys.iter().map(|k| k.tokens(runtime));
            quote! {
                #[doc = #doc]
                pub static #ident: #runtime::SecurityScheme = #runtime::SecurityScheme {
                    name: #name,
                    kind: #kind,
                    keys: &[#(#keys),*],
                };
            }
        });
        let all = self.schemes.iter().map(|s| &s.ident);
        let raw = self.requirement_tokens(&self.raw_requirement(api));
        quote! {
            /// The security schemes of the API (`components.securitySchemes`):
            /// how each one's credential is sent.
            pub mod security {
                #(#statics)*

                /// All schemes.
                pub static ALL: &[&#runtime::SecurityScheme] = &[#(&#all),*];

                /// The requirement of `Client::raw`'s calls: the document's
                /// `security`, else any one scheme the client holds.
                pub static RAW: #runtime::Requirement = #raw;
            }
        }
    }
}

impl KeyKind {
    pub(crate) fn tokens(self, runtime: &syn::Path) -> TokenStream {
        match self {
            KeyKind::Secret => quote!(#runtime::KeyKind::Secret),
            KeyKind::Publishable => quote!(#runtime::KeyKind::Publishable),
        }
    }
}

/// A scheme, or the one a `$ref` to `#/components/securitySchemes/…`
/// names (followed a few times; a chain that goes on is dropped).
fn resolve<'a>(
    api: &'a OpenAPI,
    scheme: &'a ReferenceOr<SecurityScheme>,
) -> Option<&'a SecurityScheme> {
    security_schemes::resolve(
        scheme,
        |node: &'a ReferenceOr<SecurityScheme>| match node {
            ReferenceOr::Item(item) => Link::Scheme(item),
            ReferenceOr::Reference { reference } => Link::Ref(reference),
        },
        |name| api.components.as_ref()?.security_schemes.get(name),
    )
}

/// The key kinds a bearer-like scheme takes: the one its `x-key-prefix`
/// names, either without one.
fn key_kinds(scheme: &SecurityScheme) -> BTreeSet<KeyKind> {
    let extensions = match scheme {
        SecurityScheme::APIKey { extensions, .. }
        | SecurityScheme::HTTP { extensions, .. }
        | SecurityScheme::OAuth2 { extensions, .. }
        | SecurityScheme::OpenIDConnect { extensions, .. } => extensions,
    };
    match extensions.get("x-key-prefix").and_then(|v| v.as_str()) {
        Some("sk_") => BTreeSet::from([KeyKind::Secret]),
        Some("pk_") => BTreeSet::from([KeyKind::Publishable]),
        _ => BTreeSet::from([KeyKind::Secret, KeyKind::Publishable]),
    }
}
