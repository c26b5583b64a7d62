//! The server adds things; this client keeps working and drops nothing.

use alakazam_client::{ApiKey, Client, types, uuid::Uuid};
use httpmock::prelude::*;
use serde_json::json;

#[tokio::test]
async fn a_new_visibility_and_new_fields_decode_through_the_client() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH");
            then.status(200).json_body(json!({
                "name": "Nova",
                "visibility": "friends-only",
                "reactions": {"likes": 3},
                "stances": [{"id": "calm", "intensity": 0.5}]
            }));
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key(ApiKey::new("sk_test_1").unwrap())
        .build()
        .unwrap();
    let character = client
        .update_character()
        .id(Uuid::nil())
        .send()
        .await
        .unwrap()
        .into_inner();

    // A visibility this client does not know yet keeps its raw value …
    assert_eq!(
        character.visibility,
        Some(types::Visibility::Unknown("friends-only".into()))
    );
    assert_eq!(
        character.visibility.as_ref().unwrap().as_str(),
        "friends-only"
    );
    // … and so do fields the spec does not define, at every level.
    assert_eq!(character.extra_fields["reactions"], json!({"likes": 3}));
    assert_eq!(character.stances[0].extra_fields["intensity"], json!(0.5));
    // Known values still decode to their variants.
    let known: types::Visibility = serde_json::from_value(json!("public")).unwrap();
    assert_eq!(known, types::Visibility::Public);
}

#[test]
fn an_unknown_visibility_is_sent_back_unchanged() {
    let update = types::CharacterUpdate {
        visibility: Some(types::Visibility::Unknown("friends-only".into())),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"visibility": "friends-only"})
    );
}
