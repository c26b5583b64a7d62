//! The typed mocks (feature `mock`) of operations that combine a typed
//! multipart or form body, a styled query parameter and a streamed answer
//! (`interplay_client/mock.rs`, for
//! `codegen/tests/fixtures/bodies_streams_interplay.yaml`): each matches
//! what every `send*()` of the generated client sends.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod interplay_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "interplay_client/mock.rs"]
mod interplay_mock;

use alakazam_client::mock::MockEvent;
use alakazam_client::runtime::FilePart;
use futures_util::StreamExt;
use httpmock::MockServer;
use interplay_client::types::{
    CreatePortraitBody, CreatePortraitOptionsQuery, Progress, RenderExportBody, RenderExportFilter,
};
use interplay_mock::MockServerExt;

fn client(server: &MockServer) -> interplay_client::Client {
    let base = fast_client::builder(server.base_url(), "sk_test_1")
        .max_retries(0)
        .build()
        .unwrap();
    fast_client::fixture_client!(interplay_client, server.base_url(), &base)
}

#[tokio::test]
async fn a_mock_matches_parts_and_a_deep_object_query_and_answers_events() {
    let server = MockServer::start_async().await;
    let options = CreatePortraitOptionsQuery::builder().size(512);
    let mock = server.create_portrait(|when, then| {
        when.id("c1")
            .options_query(&options)
            .text_part("prompt", "a fox")
            .file_part("reference", None, Some("image/png"), b"png");
        then.ok_events(&[
            MockEvent::json(&Progress {
                percent: 50,
                extra_fields: Default::default(),
            }),
            MockEvent::done(),
        ]);
    });
    let mut events = client(&server)
        .create_portrait()
        .id("c1")
        .options_query(options.clone())
        .body(CreatePortraitBody::new("a fox".to_owned()).reference(FilePart::bytes(&b"png"[..])))
        .send_events()
        .await
        .unwrap()
        .into_inner();
    let event = events.next().await.unwrap().unwrap();
    assert_eq!(event.data.json().unwrap().percent, 50);
    assert!(events.next().await.is_none());
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_mock_matches_a_form_body_and_a_deep_object_query_and_answers_bytes() {
    let server = MockServer::start_async().await;
    let filter = RenderExportFilter::builder().since("2024".to_owned());
    let body = RenderExportBody::new(vec![1, 2], "zip".to_owned());
    let mock = server.render_export(|when, then| {
        when.filter(&filter).body(&body);
        then.ok(b"PK");
    });
    let client = client(&server);
    let bytes = client
        .render_export()
        .filter(filter.clone())
        .body(body.clone())
        .send_bytes()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(&bytes[..], b"PK");
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_mock_matches_a_pipe_delimited_query_as_the_client_writes_it() {
    let server = MockServer::start_async().await;
    let tags = vec!["a b".to_owned(), "c".to_owned()];
    let mock = server.voice_reply(|when, then| {
        when.id("c2")
            .tags(&tags)
            .file_part("audio", None, None, b"RIFF");
        then.ok(&[MockEvent::text("hi")]);
    });
    let client = client(&server);
    let send = |tags: Vec<String>| {
        client
            .voice_reply()
            .id("c2")
            .tags(tags)
            .body(interplay_client::types::VoiceReplyBody::new(
                FilePart::bytes(&b"RIFF"[..]),
            ))
            .send()
    };
    let mut events = send(tags.clone()).await.unwrap().into_inner();
    assert_eq!(
        events.next().await.unwrap().unwrap().data.text(),
        Some("hi")
    );
    // Other tags: no mock matches, httpmock answers 404.
    let other = send(vec!["a".to_owned()]).await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    mock.assert_calls(1);
}
