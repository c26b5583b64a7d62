//! Redirects on the wire, against a real HTTP server on 127.0.0.1
//! (httpmock).
//!
//! The client is codegen's output for `codegen/tests/fixtures/redirects.yaml`
//! with alakazam-client's runtime (`redirect_client/mod.rs`, kept fresh by
//! codegen's `patch_wire_client_is_fresh` test). An operation whose
//! documented answer is a redirect gets it back, `Location` and all, and
//! the page it points to is never requested; any other operation follows
//! redirects as reqwest does by default.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod redirect_client;

use alakazam_client::ErrorKind;
use httpmock::prelude::*;
use redirect_client::types;
use serde_json::json;

/// A client of the fixture API with two retries allowed, so a retry would
/// show in the servers' hit counts.
fn client(server: &MockServer, builder: alakazam_client::ClientBuilder) -> redirect_client::Client {
    let base = builder
        .base_url(server.base_url())
        .max_retries(2)
        .retry_delays(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        )
        .build()
        .unwrap();
    fast_client::fixture_client!(redirect_client, server.base_url(), &base)
}

fn credentials() -> types::Credentials {
    types::Credentials::new("hunter2".to_owned(), "ada".to_owned())
}

/// `POST /login` answers `303` to `/home` with a session cookie; `/home`
/// is mocked so that following the redirect would show in its hits.
async fn login_server(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/login")
                .json_body(json!({"username": "ada", "password": "hunter2"}));
            then.status(303)
                .header("location", "/home")
                .header("set-cookie", "session=s3cr3t; HttpOnly");
        })
        .await;
    let home = server
        .mock_async(|when, then| {
            when.path("/home");
            then.status(200).body("<html>home</html>");
        })
        .await;
    (login, home)
}

#[tokio::test]
async fn a_documented_303_comes_back_with_its_location() {
    let server = MockServer::start_async().await;
    let (login, home) = login_server(&server).await;
    let answer = client(&server, alakazam_client::Client::builder())
        .login()
        .body(credentials())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 303);
    assert_eq!(answer.headers()["location"], "/home");
    assert_eq!(answer.headers()["set-cookie"], "session=s3cr3t; HttpOnly");
    // Neither followed nor retried.
    assert_eq!(home.calls_async().await, 0);
    assert_eq!(login.calls_async().await, 1);
}

#[tokio::test]
async fn a_documented_302_comes_back_and_its_target_is_never_requested() {
    let server = MockServer::start_async().await;
    let idp = server.url("/idp/login?request=42");
    let begin = server
        .mock_async(|when, then| {
            when.method(GET).path("/sso/okta");
            then.status(302).header("location", &idp);
        })
        .await;
    let target = server
        .mock_async(|when, then| {
            when.path("/idp/login");
            then.status(200).body("sign in");
        })
        .await;
    let answer = client(&server, alakazam_client::Client::builder())
        .begin_sso()
        .provider("okta")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 302);
    assert_eq!(answer.headers()["location"], idp.as_str());
    assert_eq!(target.calls_async().await, 0);
    assert_eq!(begin.calls_async().await, 1);
}

#[tokio::test]
async fn an_undocumented_redirect_is_followed() {
    let server = MockServer::start_async().await;
    let moved = server
        .mock_async(|when, then| {
            when.method(GET).path("/profile");
            then.status(307).header("location", "/v2/profile");
        })
        .await;
    let target = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/profile");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"name": "Ada"}));
        })
        .await;
    let profile = client(&server, alakazam_client::Client::builder())
        .get_profile()
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status().as_u16(), 200);
    assert_eq!(profile.into_inner().name, "Ada");
    assert_eq!(
        (moved.calls_async().await, target.calls_async().await),
        (1, 1)
    );
}

#[tokio::test]
async fn a_3xx_that_is_not_the_answer_is_an_error_never_retried() {
    let server = MockServer::start_async().await;
    // 304 is not a redirect reqwest follows: it reaches the runtime.
    let not_modified = server
        .mock_async(|when, then| {
            when.method(GET).path("/profile");
            then.status(304).header("etag", "\"v1\"");
        })
        .await;
    let err = client(&server, alakazam_client::Client::builder())
        .get_profile()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedStatus);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(304));
    assert_eq!(err.headers().unwrap()["etag"], "\"v1\"");
    assert_eq!(err.attempts(), 1);
    assert_eq!(not_modified.calls_async().await, 1);
}

#[tokio::test]
async fn a_redirect_loop_ends_after_ten_hops_and_is_not_retried() {
    let server = MockServer::start_async().await;
    let looping = server
        .mock_async(|when, then| {
            when.method(GET).path("/profile");
            then.status(302).header("location", "/profile");
        })
        .await;
    let err = client(&server, alakazam_client::Client::builder())
        .get_profile()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedStatus, "{err}");
    assert!(err.to_string().contains("redirects did not end"), "{err}");
    assert_eq!(err.attempts(), 1);
    // The request and reqwest's ten hops, once: no retry.
    assert_eq!(looping.calls_async().await, 11);
}

#[tokio::test]
async fn a_callers_client_decides_unless_one_without_redirects_is_given() {
    let server = MockServer::start_async().await;
    let (login, home) = login_server(&server).await;
    // A caller's client alone serves the redirect-answering operations
    // too, and reqwest's default policy follows.
    let followed = client(
        &server,
        alakazam_client::Client::builder().http_client(reqwest::Client::new()),
    )
    .login()
    .body(credentials())
    .send()
    .await
    .unwrap();
    assert_eq!(followed.status().as_u16(), 200);
    assert_eq!(home.calls_async().await, 1);

    let unfollowing = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = client(
        &server,
        alakazam_client::Client::builder()
            .http_client(reqwest::Client::new())
            .http_client_without_redirects(unfollowing),
    )
    .login()
    .body(credentials())
    .send()
    .await
    .unwrap();
    assert_eq!(answer.status().as_u16(), 303);
    assert_eq!(answer.headers()["location"], "/home");
    assert_eq!(home.calls_async().await, 1);
    assert_eq!(login.calls_async().await, 2);
}
