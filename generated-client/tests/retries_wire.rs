//! Which calls are sent again, on the wire: against real servers on
//! 127.0.0.1 (httpmock), each test counting the requests that arrived.
//!
//! The client is codegen's output for `codegen/tests/fixtures/retries.yaml`
//! with alakazam-client's runtime (`retries_client/mod.rs`, kept fresh by
//! codegen's `patch_wire_client_is_fresh` test). A failure after which the
//! server may have acted (a 5xx, a 408, a timeout) is retried only for an
//! operation that is safe to repeat: idempotent by its method, marked
//! `x-codegen-idempotent: true`, or called with its idempotency key. A
//! failure the server provably did not act on (no connection; a 429 or 503
//! with `Retry-After`) is retried for every operation.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod retries_client;

use std::time::Duration;

use alakazam_client::{Error, ErrorKind};
use httpmock::prelude::*;
use retries_client::types::Note;

/// Every call may be sent three times; waits of a millisecond.
fn client(base_url: String) -> retries_client::Client {
    let base = alakazam_client::Client::builder()
        .base_url(base_url.clone())
        .max_retries(2)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(2))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    fast_client::fixture_client!(retries_client, base_url, &base)
}

fn note() -> Note {
    Note::builder().text(String::from("milk"))
}

/// Answers every request to `method` `path` with `status` (and `headers`).
async fn failing<'a>(
    server: &'a MockServer,
    method: &str,
    path: &str,
    status: u16,
    headers: &[(&str, &str)],
) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            let mut then = then.status(status).body("{}");
            for (name, value) in headers {
                then = then.header(*name, *value);
            }
        })
        .await
}

/// Each operation of the fixture, called once, failing with a 500: how
/// many requests each one sent.
#[tokio::test]
async fn a_server_error_is_retried_only_where_repeating_is_safe() {
    let server = MockServer::start_async().await;
    let c = client(server.base_url());
    let cases = [
        ("POST", "/notes", 1),
        ("POST marked idempotent", "/notes/search", 3),
        ("GET", "/notes/n1", 3),
        ("PUT marked not idempotent", "/notes/n1", 1),
        ("PATCH", "/notes/n1", 1),
        ("DELETE", "/notes/n1", 3),
    ];
    for (what, path, expected) in cases {
        let method = what.split(' ').next().unwrap();
        let mock = failing(&server, method, path, 500, &[]).await;
        let sent = match what {
            "POST" => c.create_note().body(note()).send().await.map(drop),
            "POST marked idempotent" => c.search_notes().body(note()).send().await.map(drop),
            "GET" => c.get_note().id("n1").send().await.map(drop),
            "PUT marked not idempotent" => c
                .append_to_note()
                .id("n1")
                .body(note())
                .send()
                .await
                .map(drop),
            "PATCH" => c.edit_note().id("n1").body(note()).send().await.map(drop),
            _ => c.delete_note().id("n1").send().await.map(drop),
        };
        let err: Error = sent.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Server, "{what}");
        assert_eq!(mock.calls_async().await, expected, "{what}");
        assert_eq!(err.attempts() as usize, expected, "{what}");
        mock.delete_async().await;
    }
}

/// 408, 409, 502, 503 and 504 (and a 429 or 503 without `Retry-After`)
/// may come after the server acted: a POST is sent once.
#[tokio::test]
async fn a_post_is_not_repeated_after_any_failure_the_server_may_have_acted_on() {
    let server = MockServer::start_async().await;
    let c = client(server.base_url());
    for status in [408, 409, 429, 502, 503, 504] {
        let mock = failing(&server, "POST", "/notes", status, &[]).await;
        let err = c.create_note().body(note()).send().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(mock.calls_async().await, 1, "{status}");
        // Transient all the same: the caller may decide to repeat it.
        assert!(err.is_retryable(), "{status}");
        mock.delete_async().await;
    }
}

/// A 429 or 503 with `Retry-After` is a refusal: the POST is sent again,
/// every time it is refused, and the answer after a refusal counts.
#[tokio::test]
async fn a_refusal_with_retry_after_is_retried_for_a_post() {
    for (status, header) in [
        (429, ("retry-after", "0")),
        (503, ("retry-after", "0")),
        (429, ("retry-after-ms", "1")),
    ] {
        let what = format!("{status} {header:?}");
        let server = MockServer::start_async().await;
        let c = client(server.base_url());
        let refused = failing(&server, "POST", "/notes", status, &[header]).await;
        let err = c.create_note().body(note()).send().await.unwrap_err();
        assert_eq!(refused.calls_async().await, 3, "{what}");
        assert_eq!(err.attempts(), 3, "{what}");
        refused.delete_async().await;

        let once = server
            .mock_async(|when, then| {
                when.method(POST).path("/notes");
                then.status(status)
                    .header(header.0, header.1)
                    .body("{}")
                    .up_to_n_times(1);
            })
            .await;
        let created = server
            .mock_async(|when, then| {
                when.method(POST).path("/notes");
                then.status(201).body(r#"{"text":"milk"}"#);
            })
            .await;
        let note = c.create_note().body(note()).send().await.unwrap();
        assert_eq!(note.into_inner().text.as_deref(), Some("milk"), "{what}");
        assert_eq!(once.calls_async().await, 1, "{what}");
        assert_eq!(created.calls_async().await, 1, "{what}");
    }
}

/// A call that sends the idempotency key the spec declares is repeated
/// (with the same key, for the server to recognise); one whose caller set
/// none gets a key of the client's, so it is repeated too
/// (`idempotency_wire.rs` reads the keys sent).
#[tokio::test]
async fn an_idempotency_key_makes_a_post_repeatable() {
    let server = MockServer::start_async().await;
    let c = client(server.base_url());
    let keyed = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/payments")
                .header("idempotency-key", "pay-7f3a");
            then.status(500).body("{}");
        })
        .await;
    let err = c
        .create_payment()
        .idempotency_key("pay-7f3a")
        .body(note())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(keyed.calls_async().await, 3);
    keyed.delete_async().await;

    let any = failing(&server, "POST", "/payments", 500, &[]).await;
    let err = c.create_payment().body(note()).send().await.unwrap_err();
    assert_eq!((err.attempts(), any.calls_async().await), (3, 3));
}

/// A port nothing listens on: the connection is refused before any
/// request leaves, so even a POST is tried three times.
#[tokio::test]
async fn a_refused_connection_is_retried_for_a_post() {
    let closed = closed_port().await;
    let c = client(format!("http://{closed}"));
    let err = c.create_note().body(note()).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert_eq!(err.attempts(), 3, "{err}");
}

/// A redirect whose target refuses the connection came after the server
/// acted on the POST: it is not sent again.
#[tokio::test]
async fn a_refused_redirect_target_does_not_repeat_the_post() {
    let closed = closed_port().await;
    let server = MockServer::start_async().await;
    let c = client(server.base_url());
    let created = server
        .mock_async(|when, then| {
            when.method(POST).path("/notes");
            then.status(303)
                .header("location", format!("http://{closed}/notes/n1"));
        })
        .await;
    let err = c.create_note().body(note()).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert_eq!((err.attempts(), created.calls_async().await), (1, 1));
}

/// With only a caller's `http_client`, whose own policy follows redirects
/// out of the runtime's sight, a refused connection may be a redirect
/// target's: a POST is not repeated on it (a GET still is).
#[tokio::test]
async fn with_a_callers_client_only_a_refused_connection_does_not_repeat_a_post() {
    let closed = closed_port().await;
    let base = alakazam_client::Client::builder()
        .base_url(format!("http://{closed}"))
        .http_client(reqwest::Client::new())
        .max_retries(2)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let c = fast_client::fixture_client!(retries_client, format!("http://{closed}"), &base);
    let err = c.create_note().body(note()).send().await.unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Connection, 1));
    let err = c.get_note().id("n1").send().await.unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Connection, 3));
}

/// A timeout may come after the server acted: a POST is sent once, a GET
/// three times.
#[tokio::test]
async fn a_timeout_repeats_a_get_but_not_a_post() {
    let server = MockServer::start_async().await;
    let c = client(server.base_url());
    let slow = |method: &'static str, path: &'static str| {
        server.mock_async(move |when, then| {
            when.method(method).path(path);
            // Twice the client's 200 ms timeout.
            then.status(200)
                .delay(Duration::from_millis(400))
                .body("{}");
        })
    };
    let post = slow("POST", "/notes").await;
    let err = c.create_note().body(note()).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!((err.attempts(), post.calls_async().await), (1, 1));
    let get = slow("GET", "/notes/n1").await;
    let err = c.get_note().id("n1").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!((err.attempts(), get.calls_async().await), (3, 3));
}

/// An address on 127.0.0.1 where nothing listens: bound, then let go.
async fn closed_port() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}
