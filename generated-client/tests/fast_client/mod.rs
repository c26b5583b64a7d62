//! The client every loopback test starts from: its key, the server's base
//! URL, and retry waits of milliseconds instead of seconds.

use std::time::Duration;

use alakazam_client::{ApiKey, Client, ClientBuilder};

pub fn builder(base_url: String, key: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .api_key(ApiKey::new(key).unwrap())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(4))
}
