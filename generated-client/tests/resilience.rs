//! Retries, timeouts and typed errors, by fault injection against real
//! servers on 127.0.0.1. Each test asserts the exact number of requests.

mod fast_client;
mod support;

use std::time::Duration;

use alakazam_client::{ApiKey, Client, ClientBuilder, Error, ErrorKind, REDACTED, types};
use httpmock::prelude::*;
use serde_json::json;
use support::{RawServer, Reply};

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const PATH: &str = "/v1/characters/3c90c3cc-0d44-4b50-8888-8dd25736052a";
const SECRET: &str = "sk_live_S3CR3T-never-print-me";

/// Tiny delays so that retry tests take milliseconds.
fn builder(base_url: String) -> ClientBuilder {
    fast_client::builder(base_url, SECRET)
}

/// A PATCH that answers after 400 ms: ten times the tests' 40 ms timeout.
async fn slower_than_the_timeout(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(200)
                .delay(Duration::from_millis(400))
                .body("{}");
        })
        .await
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

/// What an echoing server sends back: the key in the text, as a JSON value
/// and as a JSON object key (see `Reply::Echo`).
const ECHO: &str =
    r#"{"error":{"message":"bad token {token}","{token}":true},"authorization":"{authorization}"}"#;

fn assert_no_secret(e: &Error) {
    let mut shown = format!("{e} | {e:?} | {e:#?} | {:?}", e.body());
    if let Some(json) = e.body_json() {
        shown.push_str(&json.to_string());
    }
    for value in e.headers().into_iter().flat_map(|h| h.values()) {
        shown.push_str(&String::from_utf8_lossy(value.as_bytes()));
    }
    assert!(!shown.contains("S3CR3T"), "secret leaked: {shown}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let shown = format!("{s} | {s:?}");
        assert!(
            !shown.contains("S3CR3T"),
            "secret leaked in source: {shown}"
        );
        source = s.source();
    }
}

#[tokio::test]
async fn rate_limited_then_ok_succeeds_on_the_second_request() {
    let server = MockServer::start_async().await;
    // Both mocks require the same body: it is re-sent unchanged.
    let limited = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(PATH)
                .json_body(json!({"name": "Nova"}));
            then.status(429)
                .header("retry-after-ms", "50")
                .body("slow down")
                .up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(PATH)
                .json_body(json!({"name": "Nova"}));
            then.status(200).body(r#"{"name":"Nova"}"#);
        })
        .await;
    // A backoff of 30 s: finishing at all shows retry-after-ms replaced it.
    let client = builder(server.base_url())
        .retry_delays(Duration::from_secs(30), Duration::from_secs(30))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let character = tokio::time::timeout(Duration::from_secs(10), update(&client))
        .await
        .expect("retry-after-ms was not honoured")
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert_eq!(character.name.as_deref(), Some("Nova"));
    assert_eq!(limited.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported_with_attempts() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(503)
                .header("x-request-id", "req_503")
                .body(r#"{"error":"overloaded"}"#);
        })
        .await;
    let client = builder(server.base_url()).max_retries(2).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.request_id(), Some("req_503"));
    assert_eq!(err.body_json(), Some(&json!({"error": "overloaded"})));
    assert!(err.is_retryable());
    assert_eq!(mock.calls_async().await, 3);
    assert_no_secret(&err);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for (status, kind) in [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Authentication),
        (403, ErrorKind::Permission),
        (404, ErrorKind::NotFound),
        (422, ErrorKind::Unprocessable),
    ] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("PATCH").path(PATH);
                then.status(status)
                    .header("x-request-id", format!("req_{status}"))
                    .body(format!(
                        r#"{{"error":{{"code":{status},"message":"nope"}}}}"#
                    ));
            })
            .await;
        let client = builder(server.base_url()).build().unwrap();
        let err = update(&client).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{status}");
        assert_eq!(err.attempts(), 1, "{status}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.request_id(), Some(format!("req_{status}").as_str()));
        assert_eq!(err.body_json().unwrap()["error"]["code"], json!(status));
        assert!(err.body_text().unwrap().contains("nope"));
        assert!(err.to_string().contains(&format!("req_{status}")), "{err}");
        assert!(!err.is_retryable());
        assert_eq!(mock.calls_async().await, 1, "{status}");
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn malformed_success_body_is_an_invalid_response_without_retry() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(200)
                .header("x-request-id", "req_bad")
                .body(r#"{"name": 12"#);
        })
        .await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.request_id(), Some("req_bad"));
    assert_eq!(err.body_text(), Some(r#"{"name": 12"#));
    assert_eq!(mock.calls_async().await, 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_connection_broken_mid_response_is_retried() {
    let server = RawServer::start(vec![
        Reply::BreakOff,
        Reply::Full(200, r#"{"name":"Nova"}"#),
    ])
    .await;
    let client = builder(server.base_url()).build().unwrap();
    let character = update(&client).await.unwrap();
    assert_eq!(character.name.as_deref(), Some("Nova"));
    assert_eq!(server.requests(), 2);
    // The same body both times.
    let bodies = server.bodies();
    assert_eq!(bodies, [r#"{"name":"Nova"}"#, r#"{"name":"Nova"}"#]);
}

#[tokio::test]
async fn a_connection_that_keeps_breaking_is_a_connection_error() {
    let server = RawServer::start(vec![Reply::BreakOff]).await;
    let client = builder(server.base_url()).max_retries(1).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert_eq!(err.attempts(), 2);
    assert_eq!(server.requests(), 2);
    assert_no_secret(&err);
}

#[tokio::test]
async fn refused_connection_is_retried_then_reported() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = builder(format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .build()
        .unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert_eq!(err.attempts(), 2);
    assert!(err.status().is_none());
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start_async().await;
    let mock = slower_than_the_timeout(&server).await;
    let client = builder(server.base_url())
        .timeout(Duration::from_millis(40))
        .max_retries(1)
        .build()
        .unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.attempts(), 2);
    assert_eq!(mock.calls_async().await, 2);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_408_is_a_timeout_and_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(408).body("request took too long");
        })
        .await;
    let client = builder(server.base_url()).max_retries(1).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(408));
    assert_eq!(err.attempts(), 2);
    assert!(err.is_retryable());
    assert_eq!(err.body_text(), Some("request took too long"));
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn retry_after_over_a_minute_ends_the_retries() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(429)
                .header("retry-after", "120")
                .body("come back later");
        })
        .await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.attempts(), 1);
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(500);
        })
        .await;
    let client = builder(server.base_url()).max_retries(0).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Server, 1));
    assert!(err.body().is_none());
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn error_bodies_are_size_capped() {
    let big = "x".repeat(ErrorBodyLimit::BYTES + 10_000);
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(400).body(big.clone());
        })
        .await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    let body = err.body().unwrap();
    assert!(body.truncated);
    assert_eq!(body.text.len(), ErrorBodyLimit::BYTES);
    assert!(body.json.is_none());
    // Display shows only the start of the body.
    assert!(err.to_string().len() < 600);
}

struct ErrorBodyLimit;
impl ErrorBodyLimit {
    const BYTES: usize = alakazam_client::ErrorBody::LIMIT;
}

#[tokio::test]
async fn sends_a_user_agent_naming_the_crate() {
    let server = MockServer::start_async().await;
    let ua = format!("alakazam-client/{} my-app/2.1", env!("CARGO_PKG_VERSION"));
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(PATH)
                .header("user-agent", ua.as_str());
            then.status(200).body("{}");
        })
        .await;
    let client = builder(server.base_url())
        .user_agent_suffix("my-app/2.1")
        .build()
        .unwrap();
    update(&client).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_callers_own_reqwest_client_is_used() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH).header("x-custom", "1");
            then.status(200).body("{}");
        })
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-custom", "1".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = builder(server.base_url())
        .http_client(http)
        .build()
        .unwrap();
    update(&client).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn the_timeout_applies_to_a_callers_own_reqwest_client() {
    let server = MockServer::start_async().await;
    let mock = slower_than_the_timeout(&server).await;
    // The caller's client would wait 30 s; the builder's timeout wins.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let client = builder(server.base_url())
        .http_client(http)
        .timeout(Duration::from_millis(40))
        .max_retries(1)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = update(&client).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.attempts(), 2);
    assert_eq!(mock.calls_async().await, 2);
    assert_no_secret(&err);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_updates_on_one_client() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(200).body(r#"{"name":"Nova"}"#);
        })
        .await;
    let client = builder(server.base_url()).build().unwrap();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { update(&client).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().name.as_deref(), Some("Nova"));
    }
    assert_eq!(mock.calls_async().await, 64);
}

#[test]
fn client_is_send_sync_and_cheap_to_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
    assert_traits::<ApiKey>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}

/// Every `ErrorKind`, each from a real cause, and none shows the key: the
/// statuses come from a server that repeats the key it was sent.
#[tokio::test]
async fn no_error_kind_leaks_the_key() {
    let mut errors: Vec<Error> = Vec::new();
    for (status, kind) in [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Authentication),
        (403, ErrorKind::Permission),
        (404, ErrorKind::NotFound),
        (408, ErrorKind::Timeout),
        (409, ErrorKind::Conflict),
        (418, ErrorKind::UnexpectedStatus),
        (422, ErrorKind::Unprocessable),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::Server),
    ] {
        let server = RawServer::start(vec![Reply::Echo(status, ECHO)]).await;
        let client = builder(server.base_url()).max_retries(1).build().unwrap();
        let err = update(&client).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{status}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.body_text().unwrap().contains(REDACTED), "{status}");
        errors.push(err);
    }

    // Timeout: a server slower than the timeout.
    let slow = MockServer::start_async().await;
    slower_than_the_timeout(&slow).await;
    let client = builder(slow.base_url())
        .timeout(Duration::from_millis(40))
        .max_retries(0)
        .build()
        .unwrap();
    errors.push(update(&client).await.unwrap_err());
    // Connection: a response broken off.
    let broken = RawServer::start(vec![Reply::BreakOff]).await;
    let client = builder(broken.base_url()).max_retries(0).build().unwrap();
    errors.push(update(&client).await.unwrap_err());
    // InvalidResponse: a success body quoting the key where a boolean goes.
    let echo = RawServer::start(vec![Reply::Echo(200, r#"{"free":"{token}"}"#)]).await;
    let client = builder(echo.base_url()).build().unwrap();
    errors.push(update(&client).await.unwrap_err());
    // ResponseTooLarge: a Content-Length over the limit, from a server
    // repeating the key in its headers.
    let huge = RawServer::start(vec![Reply::Declared(1 << 40)]).await;
    let client = builder(huge.base_url()).build().unwrap();
    errors.push(update(&client).await.unwrap_err());
    // InvalidRequest: the id was not set; nothing is sent.
    let client = builder("http://127.0.0.1:9".into()).build().unwrap();
    errors.push(client.update_character().send().await.unwrap_err());
    assert!(!format!("{client:?}").contains("S3CR3T"));
    // KeyNotAllowed: a publishable key on a write; nothing is sent.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .api_key(ApiKey::new("pk_live_S3CR3T-never-print-me").unwrap())
        .build()
        .unwrap();
    errors.push(update(&client).await.unwrap_err());
    // Configuration: a malformed key, and a secret key over plain http.
    errors.push(ApiKey::new("sk_live S3CR3T").unwrap_err());
    errors.push(
        Client::builder()
            .base_url("http://example.com")
            .api_key(ApiKey::new(SECRET).unwrap())
            .build()
            .unwrap_err(),
    );

    let kinds: Vec<ErrorKind> = errors.iter().map(Error::kind).collect();
    assert_eq!(
        kinds[10..],
        [
            ErrorKind::Timeout,
            ErrorKind::Connection,
            ErrorKind::InvalidResponse,
            ErrorKind::ResponseTooLarge,
            ErrorKind::InvalidRequest,
            ErrorKind::KeyNotAllowed,
            ErrorKind::Configuration,
            ErrorKind::Configuration,
        ]
    );
    for kind in ErrorKind::ALL {
        assert!(kinds.contains(&kind), "{kind:?} not covered");
    }
    for err in &errors {
        assert_no_secret(err);
    }
}

#[tokio::test]
async fn a_key_the_server_repeats_is_redacted() {
    let server = RawServer::start(vec![Reply::Echo(401, ECHO)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(server.requests(), 1);
    assert_no_secret(&err);
    let json = err.body_json().unwrap();
    assert_eq!(json["error"]["message"], format!("bad token {REDACTED}"));
    assert_eq!(json["error"][REDACTED], true);
    assert_eq!(json["authorization"], format!("Bearer {REDACTED}"));
    assert!(err.body_text().unwrap().contains("bad token [redacted]"));
    assert_eq!(err.request_id(), Some("req_[redacted]"));
    assert_eq!(err.headers().unwrap()["x-echo"], "Bearer [redacted]");
    assert!(err.to_string().contains("bad token [redacted]"), "{err}");

    // A plain-text body, and one cut at the limit in the middle of the key.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(401).body(format!("bad token {SECRET}"));
        })
        .await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.body_text(), Some("bad token [redacted]"));
    assert_no_secret(&err);
    let limit = alakazam_client::ErrorBody::LIMIT;
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(401)
                .body(format!("{}{SECRET}", "x".repeat(limit - 14)));
        })
        .await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    let body = err.body().unwrap();
    assert!(body.truncated && body.text.ends_with("x[redacted]"));
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_and_quotes_the_key_is_redacted() {
    // serde's message quotes the string it could not take as a boolean.
    let server = RawServer::start(vec![Reply::Echo(200, r#"{"free":"{token}"}"#)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let err = update(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert!(err.to_string().contains("[redacted]"), "{err}");
    assert_eq!(err.body_json().unwrap()["free"], REDACTED);
    assert_no_secret(&err);
}
