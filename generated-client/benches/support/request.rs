//! The request both sides of every comparison send: the SDK's
//! `update_character` and a bare `reqwest::Client` sending the same bytes
//! (same headers, same body).

use alakazam_client::types;

pub const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

pub fn body() -> types::CharacterUpdate {
    types::CharacterUpdate {
        name: Some("Nova".into()),
        visibility: Some(types::Visibility::Unlisted),
        ..Default::default()
    }
}

/// The SDK's request, sent with bare reqwest.
pub async fn bare_update(http: &reqwest::Client, url: &str) -> types::Character {
    http.patch(url)
        .bearer_auth("sk_test_bench")
        .header("accept", "application/json")
        .header(
            "user-agent",
            concat!("alakazam-client/", env!("CARGO_PKG_VERSION")),
        )
        .json(&body())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
