//! The `reqwest::Client` of the operations whose answer is a redirect
//! ([`Operation::returns_redirect`](super::Operation::returns_redirect)):
//! one that hands the redirect back instead of following it. The calls
//! whose redirects the runtime follows itself (`follow.rs`) use it too.
//!
//! reqwest's redirect policy belongs to a `Client`, not to a request, and a
//! `redirect::Policy::custom` sees the next URL and the previous ones but
//! neither the method nor the operation: it cannot tell `POST /login`
//! (whose `303` is the answer) from a `GET /login` that should follow. A
//! second client with `Policy::none()` and the same timeouts can, by
//! being chosen per operation. It is built on the first call that needs
//! it: building a reqwest client costs about 3–6 ms in release (20 ms in a
//! debug build; most of it the platform's certificate verifier), which a
//! client that never calls such an operation should not pay on `build()`.
//! The two share no connection pool; the redirecting operations are few.

use std::sync::OnceLock;
use std::time::Duration;

use crate::error::Error;

/// Where the client for the redirect-answering operations comes from.
pub(crate) enum Unfollowed {
    /// Ours: built on first use, with these timeouts.
    Own {
        connect_timeout: Duration,
        timeout: Duration,
        /// A build that failed keeps failing (TLS set-up does not change):
        /// its message is kept rather than trying on every call.
        client: OnceLock<Result<reqwest::Client, String>>,
    },
    /// The caller's (`ClientBuilder::http_client_without_redirects`).
    Callers(reqwest::Client),
    /// None: the caller's `http_client` serves these operations too, and
    /// its own redirect policy decides.
    Shared,
}

impl Unfollowed {
    pub(crate) fn own(connect_timeout: Duration, timeout: Duration) -> Unfollowed {
        Unfollowed::Own {
            connect_timeout,
            timeout,
            client: OnceLock::new(),
        }
    }

    /// The client for a redirect-answering operation, given the one every
    /// other operation uses, and whether the timeout must be set on each
    /// request (a caller's client does not have ours).
    pub(crate) fn client<'a>(
        &'a self,
        shared: &'a reqwest::Client,
        shared_is_callers: bool,
    ) -> Result<(&'a reqwest::Client, bool), Error> {
        match self {
            Unfollowed::Own {
                connect_timeout,
                timeout,
                client,
            } => {
                let built = client.get_or_init(|| {
                    reqwest::Client::builder()
                        .connect_timeout(*connect_timeout)
                        .timeout(*timeout)
                        .redirect(reqwest::redirect::Policy::none())
                        .build()
                        .map_err(|e| e.to_string())
                });
                match built {
                    Ok(c) => Ok((c, false)),
                    Err(e) => Err(Error::configuration(format!(
                        "the HTTP client that does not follow redirects could not be built: {e}"
                    ))),
                }
            }
            Unfollowed::Callers(c) => Ok((c, true)),
            Unfollowed::Shared => Ok((shared, shared_is_callers)),
        }
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Unfollowed::Own { client, .. } if client.get().is_some() => "own, built",
            Unfollowed::Own { .. } => "own, built on first use",
            Unfollowed::Callers(_) => "the caller's",
            Unfollowed::Shared => "the caller's http_client, its redirect policy",
        }
    }
}
