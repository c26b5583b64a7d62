//! The mock helpers for multipart, form, event-stream and binary bodies
//! (`mock::WhenBodyExt`, `mock::ThenBodyExt`), driven by the runtime the
//! way generated code calls it.

use std::time::Duration;

use alakazam_client::mock::{MockEvent, ThenBodyExt, WhenBodyExt};
use alakazam_client::runtime::{
    ClientInfo, Data, FORM_CONTENT_TYPE, FilePart, KeyKind, Multipart, Operation, form_body,
    send_bytes, send_empty_with, send_sse,
};
use alakazam_client::{ApiKey, Client};
use futures_util::StreamExt;
use httpmock::MockServer;
use reqwest::header::CONTENT_TYPE;

static OP: Operation = Operation {
    id: "mocked",
    method: "POST",
    path: "/v1/things",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    idempotent: false,
    idempotency_key: None,
    request_id_header: None,
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key(ApiKey::new("sk_test_1").unwrap())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(4))
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn multipart_parts_are_matched() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/things")
                .multipart_text("name", "Nova")
                .multipart_file("cover", Some("c.png"), Some("image/png"), b"\x89PNG");
            then.status(204);
        })
        .await;
    let client = client(&server);
    let cover = FilePart::bytes(&b"\x89PNG"[..])
        .file_name("c.png")
        .content_type("image/png");
    let options = Default::default();
    let send = |name: &'static str| {
        let (client, cover, options) = (&client, &cover, &options);
        send_empty_with(client, &OP, options, move || {
            let form = Multipart::new()
                .text("name", &name)?
                .file("cover", cover)?
                .into_form();
            Ok(client
                .client()
                .post(format!("{}/v1/things", client.baseurl()))
                .multipart(form)
                .build()?)
        })
    };
    send("Nova").await.unwrap();
    // Another name: no mock matches (httpmock answers 404).
    assert!(send("Orion").await.is_err());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn form_fields_are_matched() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.form_field("address[city]", "Paris")
                .form_field("tags", "a,b");
            then.status(204);
        })
        .await;
    let client = client(&server);
    let body = serde_json::json!({"address": {"city": "Paris"}, "tags": ["a", "b"]});
    let encoding = [
        alakazam_client::runtime::FieldEncoding {
            name: "address",
            style: alakazam_client::runtime::Style::DeepObject,
            explode: true,
        },
        alakazam_client::runtime::FieldEncoding {
            name: "tags",
            style: alakazam_client::runtime::Style::Form,
            explode: false,
        },
    ];
    send_empty_with(&client, &OP, &Default::default(), || {
        Ok(client
            .client()
            .post(format!("{}/v1/things", client.baseurl()))
            .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
            .body(form_body(&body, &encoding)?)
            .build()?)
    })
    .await
    .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn an_event_stream_and_bytes_are_answered() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/things");
            then.event_stream(&[
                MockEvent::json(&serde_json::json!({"text": "hi"}))
                    .named("delta")
                    .id("1"),
                MockEvent::text("two\nlines"),
                MockEvent::done(),
            ]);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/blob");
            then.bytes("image/png", &[0, 159, 255]);
        })
        .await;
    let client = client(&server);
    let request = client
        .client()
        .post(format!("{}/v1/things", client.baseurl()))
        .build()
        .unwrap();
    let mut events = send_sse::<serde_json::Value>(&client, &OP, &Default::default(), request)
        .await
        .unwrap()
        .into_inner();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.event, "delta");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.data, Data::Json(serde_json::json!({"text": "hi"})));
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.data, Data::Text("two\nlines".into()));
    assert!(events.next().await.is_none());

    let request = client
        .client()
        .get(format!("{}/v1/blob", client.baseurl()))
        .build()
        .unwrap();
    let blob = send_bytes(&client, &OP, &Default::default(), request)
        .await
        .unwrap();
    assert_eq!(blob.headers()["content-type"], "image/png");
    assert_eq!(&blob.into_inner()[..], [0, 159, 255]);
}
