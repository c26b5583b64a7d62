//! The typed mocks of streaming operations (feature `mock`): the
//! generated httpmock extension of the streams fixtures
//! (`sse_client/mock.rs`, `binary_client/mock.rs`, kept fresh by codegen's
//! `patch_wire_client_is_fresh`) answers with an event stream or bytes of
//! the documented media type, which the generated client reads.

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod sse_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "sse_client/mock.rs"]
mod sse_mock;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod binary_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "binary_client/mock.rs"]
mod binary_mock;
mod fast_client;

use alakazam_client::mock::MockEvent;
use alakazam_client::runtime::Data;
use futures_util::StreamExt;
use httpmock::MockServer;

fn base(server: &MockServer) -> alakazam_client::Client {
    fast_client::builder(server.base_url(), "sk_test_1")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_mocked_event_stream_reaches_the_typed_stream() {
    use sse_mock::MockServerExt;
    let server = MockServer::start_async().await;
    let token = sse_client::types::Token {
        index: 0,
        text: "hi".into(),
        finish: Some(true),
        extra_fields: Default::default(),
    };
    let mock = server.stream_reply(|when, then| {
        when.id(3)
            .body(&sse_client::types::ReplyRequest::new("q".into()));
        then.ok(&[
            MockEvent::json(&token).named("token").id("e1"),
            MockEvent::text("a heartbeat"),
            MockEvent::done(),
        ]);
    });
    let base = base(&server);
    let client = fast_client::fixture_client!(sse_client, server.base_url(), &base);
    let items: Vec<_> = client
        .stream_reply()
        .id(3)
        .body(sse_client::types::ReplyRequest::new("q".into()))
        .send()
        .await
        .unwrap()
        .into_inner()
        .map(Result::unwrap)
        .collect()
        .await;
    mock.assert();
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].event, "token");
    assert_eq!(items[0].id.as_deref(), Some("e1"));
    assert_eq!(items[0].data.json().map(|t| t.text.as_str()), Some("hi"));
    assert!(matches!(&items[1].data, Data::Text(t) if t == "a heartbeat"));
}

#[tokio::test]
async fn json_and_events_are_both_mockable() {
    use sse_mock::MockServerExt;
    let server = MockServer::start_async().await;
    let event = serde_json::json!({"text": "live", "role": "user"});
    let mock = server.list_messages(|when, then| {
        when.id(1);
        then.ok_events(&[MockEvent::json(&event)]);
    });
    let base = base(&server);
    let client = fast_client::fixture_client!(sse_client, server.base_url(), &base);
    let mut stream = client
        .list_messages()
        .id(1)
        .send_events()
        .await
        .unwrap()
        .into_inner();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.data.json().map(|m| m.text.as_str()), Some("live"));
    assert!(stream.next().await.is_none());
    mock.assert();
}

#[tokio::test]
async fn a_mocked_download_answers_with_its_media_type() {
    use binary_mock::MockServerExt;
    let server = MockServer::start_async().await;
    let png = [0x89u8, b'P', b'N', b'G', 0, 1, 2, 255];
    server.get_cover(|when, then| {
        when.id("c1");
        then.ok(&png);
    });
    let base = base(&server);
    let client = fast_client::fixture_client!(binary_client, server.base_url(), &base);
    let response = client.get_cover().id("c1").send_bytes().await.unwrap();
    // One of the image types the spec documents (`into_inner()` answers
    // with any other).
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.into_inner().as_ref(), png);
}
