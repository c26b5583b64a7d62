//! The PATCH tri-state and open enums on the wire, against a real HTTP
//! server on 127.0.0.1 (httpmock).
//!
//! The client is codegen's output for `codegen/tests/fixtures/patch.yaml`
//! with alakazam-client's runtime (`patch_client/mod.rs`, kept fresh by
//! codegen's `patch_wire_client_is_fresh` test): an optional, nullable
//! field is left out, sent as `null` or sent with a value, exactly as set.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod patch_client;

use httpmock::prelude::*;
use patch_client::types::{self, Color, Patch};
use serde_json::json;

/// A client of the fixture API, built on alakazam-client's configuration.
fn client(server: &MockServer) -> patch_client::Client {
    fast_client::fixture_client!(patch_client, server.base_url())
}

/// Sends `body` and returns what the server received and answered.
async fn send_expecting(
    body: types::PatchNoteBody,
    expected: serde_json::Value,
) -> Option<types::Note> {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path("/notes/7")
                .header("content-type", "application/merge-patch+json")
                .json_body(expected.clone());
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": 7, "body": null, "color": "purple"}));
        })
        .await;
    let note = client(&server)
        .patch_note()
        .id(7)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("expected {expected}: {e}"))
        .into_inner();
    mock.assert_async().await;
    note
}

#[tokio::test]
async fn an_absent_field_is_left_out() {
    send_expecting(
        types::PatchNoteBody::builder().title(String::from("t")),
        json!({"title": "t"}),
    )
    .await;
}

#[tokio::test]
async fn a_null_field_is_sent_as_null() {
    send_expecting(
        types::PatchNoteBody::builder()
            .body(Patch::Null)
            .tags(Patch::Null),
        json!({"body": null, "tags": null}),
    )
    .await;
}

#[tokio::test]
async fn a_value_is_sent_as_the_value() {
    let note = send_expecting(
        types::PatchNoteBody::builder()
            .body(String::from("hello"))
            .pinned(true)
            .tags(vec![String::from("a")])
            .color(Color::Blue),
        json!({"body": "hello", "pinned": true, "tags": ["a"], "color": "blue"}),
    )
    .await
    .unwrap();
    // An enum value the client does not know decodes and is kept.
    assert_eq!(note.color, Some(Color::Unknown(String::from("purple"))));
    assert_eq!(note.color.as_ref().map(Color::as_str), Some("purple"));
    assert_eq!(note.body, None);
}

#[tokio::test]
async fn a_success_without_a_body_is_none() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path("/notes/7");
            then.status(204);
        })
        .await;
    let response = client(&server)
        .patch_note()
        .id(7)
        .body(types::PatchNoteBody::builder())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert!(response.into_inner().is_none());
}

#[test]
fn patch_fields_decode_all_three_forms() {
    let decoded: types::PatchNoteBody =
        serde_json::from_value(json!({"body": null, "pinned": false})).unwrap();
    assert_eq!(decoded.body, Patch::Null);
    assert_eq!(decoded.pinned, Patch::Value(false));
    assert_eq!(decoded.tags, Patch::Absent);
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded, json!({"body": null, "pinned": false}));
    // Known enum values keep their variant and encode back unchanged.
    let color: Color = serde_json::from_value(json!("green")).unwrap();
    assert_eq!(color, Color::Green);
    assert_eq!(
        serde_json::to_value(Color::Unknown("teal".into())).unwrap(),
        json!("teal")
    );
    assert!("teal".parse::<Color>().is_err(), "FromStr stays strict");
}
