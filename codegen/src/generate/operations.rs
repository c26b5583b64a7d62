//! The items codegen adds beside progenitor's output, built with `quote`:
//! how the runtime builds the `Client` (with the spec's first server as
//! its default base URL), the spec's digest and version, the table of security schemes
//! (`security.rs`) and a table of the operations with the security
//! requirement of each, the API-key kinds it accepts, whether a
//! redirect is what the operation answers and whether retries may repeat
//! it.

use std::collections::{BTreeSet, HashSet};

use openapiv3::{Components, OpenAPI, Parameter, PathItem, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::queries::{resolve_parameter, wire_name};
use super::security::{KeyKind, Requirement, SchemeTable};
use crate::document::operations::{typed_operations as operations, typed_response};
use crate::load::Spec;
use crate::naming::screaming_snake;

pub(crate) struct Entry {
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub ident: syn::Ident,
    /// Key kinds accepted; empty when no scheme of it takes the key.
    pub keys: BTreeSet<KeyKind>,
    /// The documented answer is a redirect (see [`redirect_answer`]):
    /// `Some(has_body)`, whether one of the documented redirects has content.
    pub redirect: Option<bool>,
    /// Alternatives of schemes the operation needs.
    pub security: Requirement,
    /// Retries may repeat it after the server may have acted (see
    /// [`idempotent`]).
    pub idempotent: bool,
    /// The wire name of the idempotency-key header it declares, if any
    /// (see [`idempotency_key`]).
    pub idempotency_key: Option<String>,
    /// The response header that holds the request id, when the spec names
    /// one (see [`REQUEST_ID_HEADER_EXTENSION`]).
    pub request_id_header: Option<String>,
}

/// At the document root or on an operation (which wins): the name of the
/// response header that carries the API's request id, when it is none of
/// the common ones the runtime reads anyway (`runtime::REQUEST_ID_HEADERS`).
pub(crate) const REQUEST_ID_HEADER_EXTENSION: &str = "x-codegen-request-id-header";

/// The request-id header of `op`: its own `x-codegen-request-id-header`,
/// else the document's; only a valid header name (anything else could
/// never be found in a response).
fn request_id_header(api: &OpenAPI, op: &openapiv3::Operation) -> Option<String> {
    [&op.extensions, &api.extensions]
        .into_iter()
        .find_map(|extensions| extensions.get(REQUEST_ID_HEADER_EXTENSION))
        .and_then(serde_json::Value::as_str)
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| is_header_name(name))
}

/// RFC 9110's `token`: what a field name may be made of.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// On an operation, `true` or `false`: whether sending it twice has the
/// effect of sending it once, overriding what its HTTP method says.
/// The runtime retries a failure after which the server may have acted on
/// the request (a timeout, a 5xx) only for an operation that is.
pub(crate) const IDEMPOTENT_EXTENSION: &str = "x-codegen-idempotent";

/// Whether `op`, sent with `method` (lower case), is idempotent: its
/// `x-codegen-idempotent` when it is a boolean, else what RFC 9110 §9.2.2
/// says of the method (`POST` and `PATCH` are not).
fn idempotent(method: &str, op: &openapiv3::Operation) -> bool {
    match op
        .extensions
        .get(IDEMPOTENT_EXTENSION)
        .and_then(serde_json::Value::as_bool)
    {
        Some(marked) => marked,
        None => matches!(
            method,
            "get" | "head" | "options" | "put" | "delete" | "trace"
        ),
    }
}

/// The wire name of the header parameter of `op` (or of its path item)
/// that carries an idempotency key: `Idempotency-Key` (the IETF draft's
/// name, Stripe's, Adyen's…) or `X-Idempotency-Key`, in any case. A
/// call that sends it may be repeated: the server recognises the key.
fn idempotency_key(
    components: &Components,
    item: &PathItem,
    op: &openapiv3::Operation,
) -> Option<String> {
    item.parameters
        .iter()
        .chain(&op.parameters)
        .filter_map(|p| resolve_parameter(p, components))
        .filter_map(|p| match p {
            Parameter::Header { parameter_data, .. } => Some(wire_name(parameter_data)),
            _ => None,
        })
        .find(|name| {
            let name = name.to_ascii_lowercase();
            name.strip_prefix("x-").unwrap_or(&name) == "idempotency-key"
        })
        .map(str::to_owned)
}

pub(crate) struct OperationTable {
    pub entries: Vec<Entry>,
    schemes: SchemeTable,
}

impl OperationTable {
    pub(crate) fn new(api: &OpenAPI) -> Self {
        let schemes = SchemeTable::new(api);
        let no_components = Components::default();
        let components = api.components.as_ref().unwrap_or(&no_components);
        let mut used = HashSet::from(["ALL".to_owned()]);
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
                let security = schemes.requirement(api, op.security.as_ref());
                entries.push(Entry {
                    id,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: op.summary.clone(),
                    ident: format_ident!("{}", name),
                    keys: schemes.keys(&security),
                    security,
                    redirect: redirect_answer(api, op),
                    idempotent: idempotent(method, op),
                    idempotency_key: idempotency_key(components, item, op),
                    request_id_header: request_id_header(api, op),
                });
            }
        }
        OperationTable { entries, schemes }
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
            let keys = e.keys.iter().map(|k| k.tokens(runtime));
            let security = self.schemes.requirement_tokens(&e.security);
            let returns_redirect = e.redirect.is_some();
            let idempotent = e.idempotent;
            let some = |value: &Option<String>| match value {
                Some(name) => quote!(Some(#name)),
                None => quote!(None),
            };
            let idempotency_key = some(&e.idempotency_key);
            let request_id_header = some(&e.request_id_header);
            quote! {
                #[doc = #doc]
                pub static #ident: #runtime::Operation = #runtime::Operation {
                    id: #id,
                    method: #method,
                    path: #path,
                    keys: &[#(#keys),*],
                    returns_redirect: #returns_redirect,
                    security: #security,
                    idempotent: #idempotent,
                    idempotency_key: #idempotency_key,
                    request_id_header: #request_id_header,
                };
            }
        });
        let all = self.entries.iter().map(|e| &e.ident);
        let security = self.schemes.items(api, runtime);
        // The `servers` pass left the first server resolved, or none.
        let base_url = match api.servers.first() {
            Some(server) => {
                let url = &server.url;
                quote!(Some(#url))
            }
            None => quote!(None),
        };
        quote! {
            /// How the runtime's `ClientBuilder` builds this client, with
            /// the spec's first server as its default base URL.
            impl #runtime::GeneratedClient for Client {
                const DEFAULT_BASE_URL: Option<&'static str> = #base_url;
                fn from_parts(
                    baseurl: String,
                    http: reqwest::Client,
                    state: #runtime::ClientState,
                ) -> Self {
                    Client { baseurl, client: http, inner: state }
                }
            }

            /// SHA-256 of the spec this file was generated from.
            pub const SPEC_SHA256: &str = #sha;
            /// `info.version` of the spec this file was generated from.
            pub const SPEC_VERSION: &str = #version;

            #security

            /// Every operation of the API: its id, method, path template,
            /// the kinds of API key it accepts, its security requirement,
            /// whether retries may repeat it and where its request id is.
            pub mod operations {
                #(#statics)*

                /// All operations, in spec order.
                pub static ALL: &[&#runtime::Operation] = &[#(&#all),*];
            }
        }
    }
}

/// Whether `op`'s documented answer is a redirect reqwest would follow
/// (`301`, `302`, `303`, `307`, `308` or `3XX`) and nothing else succeeds
/// (no `2XX`, `101` or `default`): a login's `303` carrying the session
/// cookie, a single sign-on's `302` to the identity provider. Then the
/// redirect *is* the answer and the runtime hands it back instead of
/// following it; `Some(has_body)` says whether one of those redirects
/// documents content. Where a success is documented beside a redirect
/// (GitHub's `301` for a renamed repository, Box's `302` to a download),
/// following it leads to that success, so it is followed as before.
fn redirect_answer(api: &OpenAPI, op: &openapiv3::Operation) -> Option<bool> {
    if op.responses.default.is_some() {
        return None;
    }
    let mut has_body = None;
    for (status, response) in &op.responses.responses {
        match status {
            StatusCode::Code(101 | 200..=299) | StatusCode::Range(2) => return None,
            StatusCode::Code(301 | 302 | 303 | 307 | 308) | StatusCode::Range(3) => {
                let content = typed_response(api, response).map(|r| !r.content.is_empty());
                // A reference that does not resolve here: assume a body,
                // which keeps progenitor's stream of it.
                *has_body.get_or_insert(false) |= content.unwrap_or(true);
            }
            _ => {}
        }
    }
    has_body
}
