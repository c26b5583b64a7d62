//! `update_character` against a real HTTP server on 127.0.0.1 (httpmock):
//! the request on the wire and the decoded response.

use alakazam_client::{ApiKey, Client, ErrorKind, KeyKind, ResponseExt, types};
use httpmock::prelude::*;
use serde_json::json;

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

/// The example response of the public docs page, verbatim.
const DOCS_EXAMPLE: &str = r#"{
  "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
  "slug": "<string>",
  "name": "<string>",
  "description": "<string>",
  "cover": "<string>",
  "voiceId": "<string>",
  "modelId": "<string>",
  "free": true,
  "greeting": "<string>",
  "intro": {},
  "stances": [
    {
      "id": "<string>",
      "label": "<string>",
      "mood": "<string>"
    }
  ],
  "persona": "<string>",
  "scene": "<string>",
  "lore": "<string>",
  "examples": "<string>",
  "schemaVersion": "1.0"
}"#;

fn client(server: &MockServer, key: &str) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key(ApiKey::new(key).unwrap())
        .build()
        .unwrap()
}

fn id() -> uuid::Uuid {
    ID.parse().unwrap()
}

#[tokio::test]
async fn sends_patch_with_bearer_key_and_only_the_set_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v1/characters/{ID}"))
                .header("authorization", "Bearer sk_test_123")
                .header("content-type", "application/json")
                .json_body(json!({"name": "Nova", "visibility": "unlisted"}));
            then.status(200)
                .header("content-type", "application/json")
                .header("x-request-id", "req_42")
                .body(DOCS_EXAMPLE);
        })
        .await;

    let response = client(&server, "sk_test_123")
        .update_character()
        .id(id())
        .body(
            types::CharacterUpdate::builder()
                .name(String::from("Nova"))
                .visibility(types::Visibility::Unlisted),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req_42"));
    let character = response.into_inner();
    assert_eq!(character.id, Some(id()));
    assert_eq!(character.schema_version.as_deref(), Some("1.0"));
    assert_eq!(character.stances.len(), 1);
    assert_eq!(character.stances[0].mood.as_deref(), Some("<string>"));
    assert_eq!(character.free, Some(true));
}

#[tokio::test]
async fn fields_the_spec_does_not_know_yet_can_be_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .json_body(json!({"name": "Nova", "mood": "sunny"}));
            then.status(200).body("{}");
        })
        .await;
    let mut update = types::CharacterUpdate {
        name: Some("Nova".into()),
        ..Default::default()
    };
    update.extra_fields.insert("mood".into(), json!("sunny"));
    client(&server, "sk_test_123")
        .update_character()
        .id(id())
        .body(update)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn an_empty_update_sends_an_empty_object() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v1/characters/{ID}"))
                .body("{}");
            then.status(200).body("{}");
        })
        .await;
    let character = client(&server, "sk_test_123")
        .update_character()
        .id(id())
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    // Every response field is optional: `{}` decodes.
    assert_eq!(character.id, None);
}

#[test]
fn docs_example_and_unknown_fields_decode() {
    let c: types::Character = serde_json::from_str(DOCS_EXAMPLE).unwrap();
    assert_eq!(c.slug.as_deref(), Some("<string>"));
    assert!(c.intro.is_empty());

    let mut extended: serde_json::Value = serde_json::from_str(DOCS_EXAMPLE).unwrap();
    extended["brandNewField"] = json!({"nested": [1, 2, 3]});
    extended["stances"][0]["colour"] = json!("teal");
    let c: types::Character = serde_json::from_value(extended.clone()).unwrap();
    assert_eq!(c.name.as_deref(), Some("<string>"));
    // Nothing is dropped: unknown fields are kept, and re-encoding the
    // character gives back what the server sent.
    assert_eq!(
        c.extra_fields["brandNewField"],
        json!({"nested": [1, 2, 3]})
    );
    assert_eq!(c.stances[0].extra_fields["colour"], json!("teal"));
    // (An empty `intro` is not re-sent.)
    extended.as_object_mut().unwrap().remove("intro");
    assert_eq!(serde_json::to_value(&c).unwrap(), extended);

    // Nullable fields accept null.
    let c: types::Character =
        serde_json::from_value(json!({"slug": null, "lore": null, "cover": null})).unwrap();
    assert_eq!((c.slug, c.lore, c.cover), (None, None, None));
}

#[tokio::test]
async fn publishable_key_is_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let client = client(&server, "pk_test_123");
    assert_eq!(client.key_kind(), Some(KeyKind::Publishable));
    let err = client
        .update_character()
        .id(id())
        .body(types::CharacterUpdate::builder().name(String::from("Nova")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::KeyNotAllowed);
    assert_eq!(err.attempts(), 0);
    assert_eq!(err.operation(), Some("updateCharacter"));
    assert!(
        err.to_string().contains("needs a secret key (sk_…)"),
        "{err}"
    );
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn missing_id_is_an_invalid_request_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let err = client(&server, "sk_test_123")
        .update_character()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.to_string().contains("id was not set"), "{err}");
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/proxy/v1/characters/{ID}"));
            then.status(200).body("{}");
        })
        .await;
    let client = Client::builder()
        .base_url(format!("{}/proxy/", server.base_url()))
        .api_key(ApiKey::new("sk_test_1").unwrap())
        .build()
        .unwrap();
    client.update_character().id(id()).send().await.unwrap();
    mock.assert_async().await;
}

#[test]
fn operation_table_comes_from_the_spec() {
    let op = &alakazam_client::operations::UPDATE_CHARACTER;
    assert_eq!(
        (op.id, op.method, op.path),
        ("updateCharacter", "PATCH", "/v1/characters/{id}")
    );
    assert_eq!(op.keys, &[KeyKind::Secret]);
    assert_eq!(alakazam_client::operations::ALL.len(), 1);
    assert_eq!(alakazam_client::SPEC_SHA256.len(), 64);
    assert_eq!(alakazam_client::SPEC_VERSION, "1.0");
}
