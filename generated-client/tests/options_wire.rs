//! Per-call options and the raw escape hatch of the Alakazam client, on
//! the wire: against real servers on 127.0.0.1 (httpmock), each test
//! counting or matching what arrived.

mod fast_client;

use std::time::{Duration, Instant};

use alakazam_client::runtime::RequestOptions;
use alakazam_client::{Client, ErrorKind, types};
use httpmock::prelude::*;
use serde_json::{Value, json};

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const KEY: &str = "sk_test_options_1";

fn id() -> uuid::Uuid {
    ID.parse().unwrap()
}

fn path() -> String {
    format!("/v1/characters/{ID}")
}

/// A client with a generous timeout and no retries: what a call's options
/// change is then visible.
fn client(server: &MockServer) -> Client {
    fast_client::builder(server.base_url(), KEY)
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap()
}

async fn update(client: &Client, options: RequestOptions) -> Result<(), alakazam_client::Error> {
    client
        .update_character()
        .id(id())
        .body(types::CharacterUpdate::builder().name(String::from("Nova")))
        .options(options)
        .send()
        .await
        .map(drop)
}

/// An answer 300 ms late: within the client's 5 s, past the call's 50 ms.
#[tokio::test]
async fn a_calls_timeout_fires_where_the_clients_would_not() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.method("PATCH").path(path());
            then.status(200)
                .header("content-type", "application/json")
                .body("{}")
                .delay(Duration::from_millis(300));
        })
        .await;
    let client = client(&server);
    let started = Instant::now();
    let err = update(
        &client,
        RequestOptions::new().timeout(Duration::from_millis(50)),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_millis(300), "{err}");
    // The client's own timeout lets the same answer through.
    update(&client, RequestOptions::new()).await.unwrap();
    assert_eq!(slow.calls_async().await, 2);
}

/// The call's retry count replaces the client's, both ways: counted on
/// the server (`updateCharacter` is idempotent: a 500 is retried).
#[tokio::test]
async fn a_calls_retry_count_replaces_the_clients() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method("PATCH").path(path());
            then.status(500).body("{}");
        })
        .await;
    let none = client(&server); // max_retries(0)
    let err = update(&none, RequestOptions::new().max_retries(3))
        .await
        .unwrap_err();
    assert_eq!((err.attempts(), failing.calls_async().await), (4, 4));

    failing.delete_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method("PATCH").path(path());
            then.status(500).body("{}");
        })
        .await;
    let many = fast_client::builder(server.base_url(), KEY)
        .max_retries(5)
        .build()
        .unwrap();
    let err = update(&many, RequestOptions::new().max_retries(0))
        .await
        .unwrap_err();
    assert_eq!((err.attempts(), failing.calls_async().await), (1, 1));
}

/// Extra headers and query parameters arrive beside the operation's own
/// request and the credentials, which they leave alone.
#[tokio::test]
async fn extra_headers_and_query_parameters_reach_the_server() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(path())
                .header("authorization", format!("Bearer {KEY}"))
                .header("x-trace-id", "trace-1")
                .header("x-tag", "a")
                .header("x-tag", "b")
                .query_param("dry_run", "true")
                .query_param("note", "a b&c")
                .json_body(json!({"name": "Nova"}));
            then.status(200)
                .header("content-type", "application/json")
                .body("{}");
        })
        .await;
    let options = RequestOptions::new()
        .header("X-Trace-Id", "trace-1")
        .header("x-tag", "a")
        .header("x-tag", "b")
        .query("dry_run", "true")
        .query("note", "a b&c");
    update(&client(&server), options).await.unwrap();
    mock.assert_async().await;
}

/// An extra `Authorization` is refused before anything is sent, and the
/// error names the header, never the value; the builder's `Debug` does
/// not print extra values either.
#[tokio::test]
async fn an_extra_authorization_header_is_refused_and_never_printed() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let client = client(&server);
    let options = RequestOptions::new().header("authorization", "Bearer sk_live_other");
    let builder = client.update_character().id(id()).options(options);
    assert!(!format!("{builder:?}").contains("sk_live_other"));
    let err = builder.send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
    assert_eq!(err.attempts(), 0);
    let printed = format!("{err} {err:?}");
    assert!(printed.contains("authorization"), "{printed}");
    assert!(!printed.contains("sk_live_other"), "{printed}");
    // Not a valid header at all: refused the same way.
    let err = update(&client, RequestOptions::new().header("x-ok", "line\nbreak"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
    assert_eq!(any.calls_async().await, 0);
}

/// A raw call: the base URL, the client's key, a JSON body and response,
/// the same `Error`; retried like any call of its method, counted on the
/// server.
#[tokio::test]
async fn a_raw_call_sends_the_key_and_is_retried_by_its_rules() {
    let server = MockServer::start_async().await;
    let archive = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("{}/archive", path()))
                .header("authorization", format!("Bearer {KEY}"))
                .header("content-type", "application/json")
                .query_param("notify", "false")
                .json_body(json!({"reason": "duplicate"}));
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"archived":true}"#);
        })
        .await;
    let client = fast_client::builder(server.base_url(), KEY)
        .max_retries(2)
        .build()
        .unwrap();
    let raw = |method| client.raw(method, &format!("{}/archive?notify=false", path()));
    let answer: Value = raw(reqwest::Method::POST)
        .json(&json!({"reason": "duplicate"}))
        .send::<Value>()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer, json!({"archived": true}));
    assert_eq!(archive.calls_async().await, 1);
    archive.delete_async().await;

    let failing = server
        .mock_async(|when, then| {
            when.path(format!("{}/archive", path()));
            then.status(500).body(r#"{"error":"down"}"#);
        })
        .await;
    // A POST may have been acted on: sent once, unless the caller says it
    // is safe to repeat.
    let err = raw(reqwest::Method::POST)
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.operation(), Some("raw"));
    assert_eq!(err.body_json(), Some(&json!({"error": "down"})));
    assert_eq!((err.attempts(), failing.calls_async().await), (1, 1));
    let err = raw(reqwest::Method::POST)
        .idempotent(true)
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!((err.attempts(), failing.calls_async().await), (3, 4));
    // A GET is repeated by its method; the call's options apply.
    let err = raw(reqwest::Method::GET)
        .options(RequestOptions::new().max_retries(1))
        .send_bytes()
        .await
        .unwrap_err();
    assert_eq!((err.attempts(), failing.calls_async().await), (2, 6));
}

/// A path that does not start with `/` would change the host the base URL
/// names (`https://api.alakazam.gg` + `.evil.example` is another host):
/// refused, nothing sent, the key kept home.
#[tokio::test]
async fn a_raw_path_that_would_leave_the_base_url_is_refused() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let client = client(&server);
    for path in [".evil.example/x", "@evil.example/x", ""] {
        let err = client
            .raw(reqwest::Method::GET, path)
            .send::<Value>()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{path}: {err}");
    }
    assert_eq!(any.calls_async().await, 0);
}
