//! `max_response_bytes` against real servers on 127.0.0.1: a body over the
//! limit by its `Content-Length` is never read, a chunked one stops just
//! past the limit, a body exactly at the limit decodes; the connection is
//! closed and nothing is retried.

mod fast_client;
mod support;

use std::time::Duration;

use alakazam_client::{Client, ClientBuilder, Error, ErrorKind, types};
use httpmock::prelude::*;
use support::{RawServer, Reply};

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const PATH: &str = "/v1/characters/3c90c3cc-0d44-4b50-8888-8dd25736052a";
const SECRET: &str = "sk_live_S3CR3T-never-print-me";
const LIMIT: u64 = 64 * 1024;

/// Retries allowed (and instant), so that a test sees one request only
/// because the failure is not retried. The timeout is long: a client that
/// waited for a promised body would fail with `Timeout`, not the kind
/// asserted.
fn builder(base_url: String) -> ClientBuilder {
    fast_client::builder(base_url, SECRET)
        .max_retries(2)
        .timeout(Duration::from_secs(10))
        .max_response_bytes(LIMIT)
}

async fn update(client: &Client) -> Result<types::Character, Error> {
    client
        .update_character()
        .id(ID.parse::<uuid::Uuid>().unwrap())
        .body(types::CharacterUpdate::builder().name(String::from("Nova")))
        .send()
        .await
        .map(|r| r.into_inner())
}

/// `{"name":"Nova"}` padded with spaces to `len` bytes.
fn padded(len: u64) -> String {
    let json = r#"{"name":"Nova"}"#;
    format!("{json}{}", " ".repeat(len as usize - json.len()))
}

fn assert_too_large(err: &Error) {
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.attempts(), 1);
    assert!(!err.is_retryable());
    assert!(err.body().is_none());
    assert!(
        err.to_string()
            .contains(&format!("max_response_bytes of {LIMIT}")),
        "{err}"
    );
}

#[tokio::test]
async fn a_content_length_over_the_limit_fails_unread_and_closes_the_connection() {
    // 1.5 GB promised, not one byte sent: reading any of it would wait for
    // the 10 s timeout.
    let server = RawServer::start(vec![Reply::Declared(1_500_000_000)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let started = std::time::Instant::now();
    let err = update(&client).await.unwrap_err();
    assert_too_large(&err);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        err.to_string()
            .contains("1500000000 bytes (Content-Length)"),
        "{err}"
    );
    assert_eq!(server.requests(), 1);
    assert_eq!(server.closed(1).await, 1, "the connection was kept open");
    // What the server repeated in its headers is redacted.
    assert_eq!(err.request_id(), Some("req_[redacted]"));
    assert!(!format!("{err:?}").contains("S3CR3T"));
}

#[tokio::test]
async fn one_byte_over_the_limit_by_content_length_fails() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(200).body(padded(LIMIT + 1));
        })
        .await;
    let err = update(&builder(server.base_url()).build().unwrap())
        .await
        .unwrap_err();
    assert_too_large(&err);
    assert!(err.to_string().contains("(Content-Length)"), "{err}");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_stops_reading_and_closes_the_connection() {
    // A body that never ends.
    let server = RawServer::start(vec![Reply::Chunked(u64::MAX)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_too_large(&err);
    assert!(err.to_string().contains("reading stopped"), "{err}");
    assert_eq!(server.requests(), 1);
    // The server's next write fails once the socket buffers are full: the
    // client closed instead of draining.
    assert_eq!(server.closed(1).await, 1, "the connection was kept open");
    let written = server.written();
    assert!(written < 64 << 20, "{written} bytes written");

    // One byte over, in chunks: the limit is exact.
    let server = RawServer::start(vec![Reply::Chunked(LIMIT + 1)]).await;
    let err = update(&builder(server.base_url()).build().unwrap())
        .await
        .unwrap_err();
    assert_too_large(&err);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_body_exactly_at_the_limit_decodes() {
    // Chunked.
    let server = RawServer::start(vec![Reply::Chunked(LIMIT)]).await;
    let character = update(&builder(server.base_url()).build().unwrap())
        .await
        .unwrap();
    assert_eq!(character.name.as_deref(), Some("Nova"));
    assert_eq!(server.written(), LIMIT);
    // With a Content-Length.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(200).body(padded(LIMIT));
        })
        .await;
    let character = update(&builder(server.base_url()).build().unwrap())
        .await
        .unwrap();
    assert_eq!(character.name.as_deref(), Some("Nova"));
}

#[tokio::test]
async fn an_error_body_is_kept_up_to_the_smaller_limit() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(404).body("x".repeat(1000));
        })
        .await;
    let client = builder(server.base_url())
        .max_response_bytes(100)
        .build()
        .unwrap();
    let err = update(&client).await.unwrap_err();
    // The status is what failed, not the size.
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let body = err.body().unwrap();
    assert!(body.truncated);
    assert_eq!(body.text.len(), 100);
}
