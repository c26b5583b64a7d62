//! The `mock` feature as a downstream crate uses it.

use alakazam_client::mock::MockServerExt;
use alakazam_client::{ApiKey, Client, ErrorKind, types, uuid::Uuid};
use httpmock::MockServer;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key(ApiKey::new("sk_test_mock").unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn typed_when_and_then() {
    let server = MockServer::start_async().await;
    let id: Uuid = "3c90c3cc-0d44-4b50-8888-8dd25736052a".parse().unwrap();
    let body = types::CharacterUpdate {
        name: Some("Nova".into()),
        ..Default::default()
    };
    let mock = server.update_character(|when, then| {
        when.id(&id).body(&body);
        then.ok(&types::Character {
            id: Some(id),
            name: Some("Nova".into()),
            ..Default::default()
        });
    });
    // A call with another id or body does not match.
    let other = client(&server)
        .update_character()
        .id(Uuid::nil())
        .body(body.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(other.kind(), ErrorKind::NotFound);

    let character = client(&server)
        .update_character()
        .id(id)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(character.id, Some(id));
    assert_eq!(mock.calls(), 1);
}

#[tokio::test]
async fn into_inner_for_what_the_spec_does_not_type() {
    let server = MockServer::start_async().await;
    let mock = server.update_character(|when, then| {
        when.into_inner()
            .header("authorization", "Bearer sk_test_mock");
        then.into_inner()
            .status(422)
            .header("x-request-id", "req_mock")
            .body(r#"{"error":"name too long"}"#);
    });
    let err = client(&server)
        .update_character()
        .id(Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(err.request_id(), Some("req_mock"));
    assert_eq!(err.body_json().unwrap()["error"], "name too long");
    assert_eq!(mock.calls(), 1);
}
