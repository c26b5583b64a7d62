//! The configuration every call of a [`Client`](crate::Client) reads.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::unfollowed::Unfollowed;
use crate::credential::Credential;
use crate::key::ApiKey;
use crate::retry::Backoff;

/// The configuration a [`Client`](crate::Client) carries; cheap to clone
/// (one `Arc`).
#[derive(Clone)]
pub struct ClientState(pub(crate) Arc<Settings>);

pub(crate) struct Settings {
    pub api_key: Option<ApiKey>,
    /// The credentials of named security schemes, by scheme name.
    pub credentials: BTreeMap<Box<str>, Credential>,
    /// The token of `ClientBuilder::bearer_token`: it meets the bearer-like
    /// schemes, and goes on every call whose credentials leave
    /// `Authorization` unset (a spec that declares no scheme).
    pub bearer_token: Option<Credential>,
    /// The headers of `ClientBuilder::credential_header`, each sent on
    /// every call whose credentials do not set it already.
    pub credential_headers: Vec<(HeaderName, Credential)>,
    pub max_retries: u32,
    pub timeout: Duration,
    /// The connect timeout our own `reqwest::Client` was built with; `None`
    /// with a caller's client (whose own setting applies).
    pub connect_timeout: Option<Duration>,
    /// Whether the timeout must be set on each request: a caller's own
    /// `reqwest::Client` does not have ours configured.
    pub timeout_per_request: bool,
    pub backoff: Backoff,
    pub user_agent: HeaderValue,
    /// The largest body read into memory.
    pub max_response_bytes: u64,
    /// The client of the operations whose answer is a redirect.
    pub unfollowed: Unfollowed,
}

impl Settings {
    /// The key's and the credentials' secrets, for redacting them from what
    /// a response repeats.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &str> {
        let key = self.api_key.as_ref().map(ApiKey::expose_secret);
        key.into_iter()
            .chain(self.credentials.values().flat_map(Credential::secrets))
            .chain(self.bearer_token.iter().flat_map(Credential::secrets))
            .chain(
                self.credential_headers
                    .iter()
                    .flat_map(|(_, credential)| credential.secrets()),
            )
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        f.debug_struct("ClientState")
            .field("api_key", &s.api_key)
            .field("credentials", &s.credentials)
            .field("bearer_token", &s.bearer_token)
            .field("credential_headers", &s.credential_headers)
            .field("max_retries", &s.max_retries)
            .field("timeout", &s.timeout)
            .field("connect_timeout", &s.connect_timeout)
            .field("backoff", &s.backoff)
            .field("user_agent", &s.user_agent)
            .field("max_response_bytes", &s.max_response_bytes)
            .field("redirect_answers", &s.unfollowed.describe())
            .finish()
    }
}

/// What every generated `Client` is made of, whatever its spec: how
/// [`ClientBuilder::build_for`](crate::ClientBuilder::build_for) builds a
/// client generated for another spec, into another crate, on this
/// runtime. The generator implements it for each `Client` it writes.
pub trait GeneratedClient: Sized {
    /// The spec's first server, its variables replaced by their defaults:
    /// the base URL when none is set. `None` when the spec declares no
    /// server the client can reach as written (none, or a relative one:
    /// the generator warns), and a base URL must be set.
    const DEFAULT_BASE_URL: Option<&'static str>;

    /// The client for `baseurl` (no trailing slash), sending with `http`
    /// on the configuration `state`.
    fn from_parts(baseurl: String, http: reqwest::Client, state: ClientState) -> Self;
}
