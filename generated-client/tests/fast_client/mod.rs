//! The client every loopback test starts from: its key, the server's base
//! URL, and retry waits of milliseconds instead of seconds; and a fixture's
//! generated client on its configuration.

// Each test file uses the part it needs.
#![allow(dead_code, unused_macros, unused_imports)]

use std::time::Duration;

use alakazam_client::{ApiKey, Client, ClientBuilder};

pub fn builder(base_url: String, key: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .api_key(ApiKey::new(key).unwrap())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(4))
}

/// `$api::Client`, a fixture's generated client (`generated-client/tests/
/// <api>/`), on the configuration of `$base`, an alakazam-client `Client`
/// for the server at `$url`: its reqwest client (keys, retries, timeouts)
/// and its runtime state. Without `$base`: no key and no retries, so a
/// test sees each request once.
macro_rules! fixture_client {
    ($api:ident, $url:expr) => {{
        let url: String = $url;
        let base = alakazam_client::Client::builder()
            .base_url(url.clone())
            .max_retries(0)
            .build()
            .unwrap();
        $crate::fast_client::fixture_client!($api, url, &base)
    }};
    ($api:ident, $url:expr, $base:expr) => {{
        let base: &alakazam_client::Client = $base;
        $api::Client {
            baseurl: $url,
            client: alakazam_client::runtime::ClientInfo::client(base).clone(),
            inner: alakazam_client::runtime::ClientInfo::inner(base).clone(),
        }
    }};
}
pub(crate) use fixture_client;
