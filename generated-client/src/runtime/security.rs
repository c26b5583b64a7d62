//! The spec's security schemes, as the generated `security` table lists
//! them, and an operation's requirement over them.

use std::fmt;

use crate::key::KeyKind;

/// One entry of `components.securitySchemes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name in the spec, which
    /// [`ClientBuilder::credential`](crate::ClientBuilder::credential)
    /// takes.
    pub name: &'static str,
    /// How its credential is sent.
    pub kind: SchemeKind,
    /// The kinds of [`ApiKey`](crate::ApiKey) that satisfy it: a bearer-like
    /// scheme takes the client's key, of the kind its `x-key-prefix` names
    /// (either kind without one); empty for the other schemes.
    pub keys: &'static [KeyKind],
}

/// How a scheme's credential travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`: `http` bearer, `oauth2`,
    /// `openIdConnect`.
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// `Authorization: <scheme> <token>`, another `http` scheme.
    Http {
        /// The scheme as the spec spells it.
        scheme: &'static str,
    },
    /// `apiKey`: the token as it is, in a header, query parameter or cookie.
    ApiKey {
        /// Where.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
}

/// Where an `apiKey` scheme's key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter, appended percent-encoded.
    Query,
    /// A cookie of the `Cookie` header.
    Cookie,
}

/// An operation's security requirement: alternatives, any one of which is
/// enough, each a set of schemes that are all needed. No alternative (the
/// spec's `security: []`) or an empty one (`- {}`) needs no credential.
pub type Requirement = &'static [&'static [&'static SecurityScheme]];

impl fmt::Display for SchemeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemeKind::Bearer => f.write_str("bearer token"),
            SchemeKind::Basic => f.write_str("HTTP Basic"),
            SchemeKind::Http { scheme } => write!(f, "HTTP {scheme}"),
            SchemeKind::ApiKey { location, name } => {
                let place = match location {
                    ApiKeyLocation::Header => "header",
                    ApiKeyLocation::Query => "query parameter",
                    ApiKeyLocation::Cookie => "cookie",
                };
                write!(f, "API key in {place} `{name}`")
            }
        }
    }
}
