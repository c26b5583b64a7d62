//! The configuration every call of a [`Client`](crate::Client) reads.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

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
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        f.debug_struct("ClientState")
            .field("api_key", &s.api_key)
            .field("credentials", &s.credentials)
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
