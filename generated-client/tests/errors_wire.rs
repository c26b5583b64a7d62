//! Error bodies typed by status, on the wire: against a real server on
//! 127.0.0.1 (httpmock), each error status's body decoded as the schema
//! the spec documents for that status.
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/error_statuses.yaml` with alakazam-client's
//! runtime (`errors_client/mod.rs`, kept fresh by codegen's snapshot
//! tests). Its `BasicError` has only optional fields, so it accepts every
//! JSON object: tried in order, a 422's `ValidationError` would land
//! there and lose its `errors`. By status, it cannot.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod errors_client;

use std::time::Duration;

use alakazam_client::Error;
use errors_client::errors::{CreateIssue, GetIssue};
use errors_client::types::{BasicError, Issue};
use httpmock::prelude::*;

fn client(base_url: String) -> errors_client::Client {
    let base = alakazam_client::Client::builder()
        .base_url(base_url.clone())
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    fast_client::fixture_client!(errors_client, base_url, &base)
}

/// `createIssue` answered with `status`, `content_type` and `body`: the error.
async fn create_fails(status: u16, content_type: &str, body: &str) -> Error {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/issues");
            then.status(status)
                .header("content-type", content_type)
                .body(body);
        })
        .await;
    client(server.base_url())
        .create_issue()
        .body(Issue::new("bug".into()))
        .send()
        .await
        .expect_err("an error status")
}

#[tokio::test]
async fn a_422_is_the_validation_error_although_basic_error_accepts_it_too() {
    let body = r#"{"message":"Validation Failed","errors":[{"field":"title","code":"missing"}]}"#;
    let e = create_fails(422, "application/json", body).await;
    // What trying shapes in order gives: the first member accepts it.
    let tried: BasicError = e.body_as().unwrap().unwrap();
    assert_eq!(tried.message.as_deref(), Some("Validation Failed"));
    match e.typed_body::<CreateIssue>().unwrap().unwrap() {
        CreateIssue::Status422(v) => {
            assert_eq!(v.message, "Validation Failed");
            assert_eq!(v.errors.len(), 1);
            assert_eq!(v.errors[0].field.as_deref(), Some("title"));
            assert_eq!(v.errors[0].code.as_deref(), Some("missing"));
        }
        other => panic!("expected Status422, got {other:?}"),
    }
}

#[tokio::test]
async fn a_404_is_the_basic_error() {
    let e = create_fails(404, "application/json", r#"{"message":"Not Found"}"#).await;
    match e.typed_body::<CreateIssue>().unwrap().unwrap() {
        CreateIssue::Status404(b) => assert_eq!(b.message.as_deref(), Some("Not Found")),
        other => panic!("expected Status404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_does_not_match_its_status_schema_is_an_error_not_another_variant() {
    // A 422 without the required `errors`: BasicError would take it.
    let e = create_fails(422, "application/json", r#"{"message":"x"}"#).await;
    let err = e.typed_body::<CreateIssue>().unwrap().unwrap_err();
    assert!(err.to_string().contains("errors"), "{err}");
    assert_eq!(e.body_text(), Some(r#"{"message":"x"}"#));
}

#[tokio::test]
async fn a_range_an_inline_schema_text_and_no_body() {
    let e = create_fails(503, "application/json", r#"{"message":"down"}"#).await;
    assert!(matches!(
        e.typed_body::<CreateIssue>().unwrap().unwrap(),
        CreateIssue::Status5xx(BasicError { message: Some(m), .. }) if m == "down"
    ));
    let e = create_fails(429, "application/json", r#"{"retry_after":7}"#).await;
    match e.typed_body::<CreateIssue>().unwrap().unwrap() {
        CreateIssue::Status429(r) => assert_eq!(r.retry_after, 7),
        other => panic!("expected Status429, got {other:?}"),
    }
    let e = create_fails(410, "text/plain", "gone for good").await;
    match e.typed_body::<CreateIssue>().unwrap().unwrap() {
        CreateIssue::Status410(text) => assert_eq!(text, "gone for good"),
        other => panic!("expected Status410, got {other:?}"),
    }
    let e = create_fails(409, "application/json", "").await;
    assert!(matches!(
        e.typed_body::<CreateIssue>().unwrap().unwrap(),
        CreateIssue::Status409
    ));
}

#[tokio::test]
async fn an_undocumented_status_is_undocumented_with_its_body_kept() {
    let e = create_fails(418, "application/json", r#"{"teapot":true}"#).await;
    assert!(matches!(
        e.typed_body::<CreateIssue>().unwrap().unwrap(),
        CreateIssue::Undocumented
    ));
    assert_eq!(e.body_json().unwrap()["teapot"], true);
}

#[tokio::test]
async fn a_code_wins_over_its_range_and_a_shared_response_keeps_its_schema() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/issues/1");
            then.status(404)
                .header("content-type", "application/json")
                .body(r#"{"resource":"issue"}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/issues/2");
            then.status(403)
                .header("content-type", "application/json")
                .body(r#"{"message":"forbidden"}"#);
        })
        .await;
    let c = client(server.base_url());
    let e = c.get_issue().id(1).send().await.unwrap_err();
    match e.typed_body::<GetIssue>().unwrap().unwrap() {
        GetIssue::Status404(n) => assert_eq!(n.resource.as_deref(), Some("issue")),
        other => panic!("expected Status404, got {other:?}"),
    }
    let e = c.get_issue().id(2).send().await.unwrap_err();
    match e.typed_body::<GetIssue>().unwrap().unwrap() {
        GetIssue::Status4xx(b) => assert_eq!(b.message.as_deref(), Some("forbidden")),
        other => panic!("expected Status4xx, got {other:?}"),
    }
}

#[tokio::test]
async fn no_response_no_typed_body() {
    // Nothing listens on a port that was bound and let go.
    let base = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let e = client(base).get_issue().id(1).send().await.unwrap_err();
    assert!(e.typed_body::<GetIssue>().is_none());
}
