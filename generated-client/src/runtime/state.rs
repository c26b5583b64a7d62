//! The configuration every call of a [`Client`](crate::Client) reads.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::unfollowed::Unfollowed;
use crate::key::ApiKey;
use crate::retry::Backoff;

/// The configuration a [`Client`](crate::Client) carries; cheap to clone
/// (one `Arc`).
#[derive(Clone)]
pub struct ClientState(pub(crate) Arc<Settings>);

pub(crate) struct Settings {
    pub api_key: Option<ApiKey>,
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
    /// The key's text, for redacting it from what a response repeats.
    pub(crate) fn secret(&self) -> Option<&str> {
        self.api_key.as_ref().map(ApiKey::expose_secret)
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        f.debug_struct("ClientState")
            .field("api_key", &s.api_key)
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
