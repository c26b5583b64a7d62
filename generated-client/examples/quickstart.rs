//! Update a character's name.
//!
//! ```text
//! cargo run -p alakazam-client --example quickstart
//! ```
//!
//! Without `ALAKAZAM_API_KEY` this starts a local mock of the API on
//! 127.0.0.1 (real HTTP) and talks to it. With the key set it talks to the
//! real API (or `ALAKAZAM_BASE_URL`) and updates the character whose id is
//! in `ALAKAZAM_CHARACTER_ID`.

use alakazam_client::{ApiKey, Client, ResponseExt, types, uuid::Uuid};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the mock server alive for the whole run.
    let (client, id, _mock): (Client, Uuid, _) = match std::env::var("ALAKAZAM_API_KEY") {
        Ok(_) => {
            let id = std::env::var("ALAKAZAM_CHARACTER_ID")
                .map_err(|_| "set ALAKAZAM_CHARACTER_ID to the id of a character of yours")?;
            (Client::from_env()?, id.parse()?, None)
        }
        Err(_) => {
            let server = mock::start().await;
            println!(
                "no ALAKAZAM_API_KEY: using a local mock at {}",
                server.base_url()
            );
            let client = Client::builder()
                .base_url(server.base_url())
                .api_key(ApiKey::new("sk_test_quickstart")?)
                .build()?;
            (client, mock::CHARACTER_ID.parse()?, Some(server))
        }
    };

    let response = client
        .update_character()
        .id(id)
        .body(
            types::CharacterUpdate::builder()
                .name(String::from("Nova"))
                .visibility(types::Visibility::Unlisted),
        )
        .send()
        .await?;

    println!("status:     {}", response.status());
    println!("request id: {}", response.request_id().unwrap_or("-"));
    let character = response.into_inner();
    println!("character:  {character:#?}");
    Ok(())
}

/// A stand-in for the API: answers `PATCH /v1/characters/{id}` like the
/// docs' example, echoing the new name.
mod mock {
    use httpmock::prelude::*;

    pub const CHARACTER_ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

    pub async fn start() -> MockServer {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(PATCH)
                    .path(format!("/v1/characters/{CHARACTER_ID}"))
                    .header_prefix("authorization", "Bearer sk_");
                then.status(200)
                    .header("content-type", "application/json")
                    .header("x-request-id", "req_quickstart_1")
                    .json_body(serde_json::json!({
                        "id": CHARACTER_ID,
                        "slug": "nova",
                        "name": "Nova",
                        "description": "A stargazing guide.",
                        "visibility": "unlisted",
                        "free": true,
                        "intro": {},
                        "stances": [{"id": "calm", "label": "Calm", "mood": "serene"}],
                        "schemaVersion": "1.0"
                    }));
            })
            .await;
        server
    }
}
