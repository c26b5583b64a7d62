//! Credentials of every security-scheme kind on the wire, against a real
//! HTTP server on 127.0.0.1 (httpmock).
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/security_schemes.yaml` with alakazam-client's
//! runtime (`security_client/mod.rs`, kept fresh by codegen's
//! `patch_wire_client_is_fresh` test): each call sends the credentials of
//! the first alternative of its requirement the client holds them all
//! for, where its schemes say, and fails before sending when it holds
//! none; no secret ever shows in what the client or its errors print.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod security_client;

use alakazam_client::{ApiKey, Client, ClientBuilder, Credential, ErrorKind, REDACTED};
use std::time::Duration;

use httpmock::prelude::*;

const CLIENT_ID: &str = "client-7";
const CLIENT_SECRET: &str = "S3CR3T-client/secret+=";
/// Every character the query encoding must escape.
const QUERY_KEY: &str = "q key&+/=%S3CR3T";
const SESSION: &str = "sess-S3CR3T.1";
const PASSWORD: &str = "pa ss:S3CR3T";
/// base64 of `alice:pa ss:S3CR3T`.
const BASIC: &str = "Basic YWxpY2U6cGEgc3M6UzNDUjNU";
const TOKEN: &str = "tok-S3CR3T";

fn client(
    url: String,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> security_client::Client {
    let base = configure(Client::builder().base_url(url.clone()).max_retries(0))
        .build()
        .unwrap();
    fast_client::fixture_client!(security_client, url, &base)
}

fn token(secret: &str) -> Credential {
    Credential::new(secret).unwrap()
}

/// Every credential the fixture's schemes take, and an API key.
fn everything(b: ClientBuilder) -> ClientBuilder {
    b.api_key(ApiKey::new("sk_test_S3CR3T").unwrap())
        .credential("clientId", token(CLIENT_ID))
        .credential("clientSecret", token(CLIENT_SECRET))
        .credential("queryKey", token(QUERY_KEY))
        .credential("session", token(SESSION))
        .credential("basicAuth", Credential::basic("alice", PASSWORD).unwrap())
}

#[tokio::test]
async fn the_documents_requirement_sends_both_headers() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/default")
                .header("x-client-id", CLIENT_ID)
                .header("x-client-secret", CLIENT_SECRET)
                .header_missing("authorization");
            then.status(204);
        })
        .await;
    client(server.base_url(), everything)
        .get_default()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_query_key_is_appended_percent_encoded() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/query")
                .query_param("page", "2")
                .query_param("api_key", QUERY_KEY)
                // Exactly as appended: once, after the operation's own.
                .is_true(|req| {
                    req.uri().query() == Some("page=2&api_key=q+key%26%2B%2F%3D%25S3CR3T")
                });
            then.status(204);
        })
        .await;
    client(server.base_url(), everything)
        .get_query()
        .page(2)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_cookie_key_goes_in_the_cookie_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/cookie")
                .header("cookie", format!("sid={SESSION}"));
            then.status(204);
        })
        .await;
    client(server.base_url(), everything)
        .get_cookie()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn basic_credentials_go_in_authorization() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/basic").header("authorization", BASIC);
            then.status(204);
        })
        .await;
    client(server.base_url(), everything)
        .get_basic()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

/// `getEither` takes a bearer token, or the query key and the session.
#[tokio::test]
async fn the_first_alternative_the_client_can_meet_is_sent() {
    let server = MockServer::start_async().await;
    let by_key = server
        .mock_async(|when, then| {
            when.path("/either")
                .header("authorization", "Bearer sk_test_S3CR3T")
                .query_param_missing("api_key")
                .header_missing("cookie");
            then.status(204);
        })
        .await;
    let by_token = server
        .mock_async(|when, then| {
            when.path("/either")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(204);
        })
        .await;
    let by_pair = server
        .mock_async(|when, then| {
            when.path("/either")
                .header_missing("authorization")
                .query_param("api_key", QUERY_KEY)
                .header("cookie", format!("sid={SESSION}"));
            then.status(204);
        })
        .await;
    let url = server.base_url();
    // The API key meets the bearer scheme; the second alternative is not sent.
    client(url.clone(), everything)
        .get_either()
        .send()
        .await
        .unwrap();
    by_key.assert_async().await;
    // A credential named for the bearer scheme comes before the key.
    client(url.clone(), |b| {
        everything(b).credential("bearerAuth", token(TOKEN))
    })
    .get_either()
    .send()
    .await
    .unwrap();
    by_token.assert_async().await;
    // No key: the second alternative, both of its schemes.
    client(url.clone(), |b| {
        b.credential("queryKey", token(QUERY_KEY))
            .credential("session", token(SESSION))
    })
    .get_either()
    .send()
    .await
    .unwrap();
    by_pair.assert_async().await;
}

#[tokio::test]
async fn optional_credentials_are_sent_when_set() {
    let server = MockServer::start_async().await;
    let with = server
        .mock_async(|when, then| {
            when.path("/optional")
                .header("cookie", format!("sid={SESSION}"));
            then.status(204);
        })
        .await;
    let without = server
        .mock_async(|when, then| {
            when.path("/optional").header_missing("cookie");
            then.status(204);
        })
        .await;
    let url = server.base_url();
    client(url.clone(), everything)
        .get_optional()
        .send()
        .await
        .unwrap();
    client(url, |b| b).get_optional().send().await.unwrap();
    with.assert_async().await;
    without.assert_async().await;
}

#[tokio::test]
async fn security_none_sends_no_credential() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/public")
                .header_missing("authorization")
                .header_missing("x-client-id")
                .header_missing("x-client-secret")
                .header_missing("cookie")
                .query_param_missing("api_key");
            then.status(204);
        })
        .await;
    client(server.base_url(), everything)
        .get_public()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_missing_credential_fails_before_sending_and_names_the_schemes() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(204);
        })
        .await;
    let url = server.base_url();
    // One of the two the document requires.
    let err = client(url.clone(), |b| b.credential("clientId", token(CLIENT_ID)))
        .get_default()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert_eq!(err.operation(), Some("getDefault"));
    assert_eq!(err.attempts(), 0);
    let text = err.to_string();
    assert!(
        text.contains("`clientSecret` (API key in header `X-Client-Secret`)"),
        "{text}"
    );
    assert!(!text.contains("`clientId`"), "only what is missing: {text}");
    // Two alternatives, each with what it lacks; the key would do.
    let err = client(url.clone(), |b| b.credential("session", token(SESSION)))
        .get_either()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    let text = err.to_string();
    assert!(
        text.contains(
            "`bearerAuth` (bearer token), or `queryKey` (API key in query parameter `api_key`)"
        ),
        "{text}"
    );
    assert!(text.contains("ClientBuilder::api_key"), "{text}");
    assert!(!text.contains(SESSION), "{text}");
    let err = client(url, |b| b).get_basic().send().await.unwrap_err();
    assert!(
        err.to_string().contains("`basicAuth` (HTTP Basic)"),
        "{err}"
    );
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn a_credential_of_the_wrong_kind_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(204);
        })
        .await;
    let url = server.base_url();
    let err = client(url.clone(), |b| b.credential("basicAuth", token(TOKEN)))
        .get_basic()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.to_string().contains("Credential::basic"), "{err}");
    let basic = Credential::basic("alice", PASSWORD).unwrap();
    let err = client(url.clone(), |b| b.credential("session", basic))
        .get_cookie()
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Credential::new"), "{err}");
    // A cookie cannot carry `;`.
    let err = client(url, |b| b.credential("session", token("a;S3CR3T")))
        .get_cookie()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.to_string().contains("cookie"), "{err}");
    assert!(!format!("{err} {err:?}").contains("S3CR3T"), "{err:?}");
    assert_eq!(any.calls_async().await, 0);
}

/// What a client or error shows, with every source.
fn shown(err: &alakazam_client::Error) -> String {
    let mut text = format!("{err} {err:?} {:?}", err.body_text());
    if let Some(headers) = err.headers() {
        text.push_str(&format!("{headers:?}"));
        for value in headers.values() {
            text.push_str(&String::from_utf8_lossy(value.as_bytes()));
        }
    }
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    text
}

#[tokio::test]
async fn secrets_a_server_repeats_are_redacted() {
    let server = MockServer::start_async().await;
    let echoed = [
        CLIENT_ID,
        CLIENT_SECRET,
        QUERY_KEY,
        SESSION,
        PASSWORD,
        &BASIC["Basic ".len()..],
    ]
    .join(" | ");
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(401)
                .header("x-echo", echoed.clone())
                .body(format!(
                    "denied: {echoed} ?api_key=q+key%26%2B%2F%3D%25S3CR3T"
                ));
        })
        .await;
    let c = client(server.base_url(), everything);
    assert!(!format!("{c:?}").contains("S3CR3T"));
    for err in [
        c.get_default().send().await.unwrap_err(),
        c.get_query().send().await.unwrap_err(),
        c.get_basic().send().await.unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Authentication);
        let text = shown(&err);
        assert!(!text.contains("S3CR3T"), "{text}");
        assert!(text.contains(REDACTED), "{text}");
    }
}

#[tokio::test]
async fn a_query_secret_is_redacted_from_transport_errors() {
    // Nothing listens on port 1: the connection is refused, and reqwest's
    // error shows the URL the key was appended to.
    let err = client("http://127.0.0.1:1".to_owned(), everything)
        .get_query()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    let text = shown(&err);
    assert!(!text.contains("S3CR3T"), "{text}");
    assert!(text.contains(&format!("api_key={REDACTED}")), "{text}");
}

/// A server that redirects `from` to `to` with `status`.
async fn redirecting(from: &str, to: String, status: u16) -> MockServer {
    let server = MockServer::start_async().await;
    let from = from.to_owned();
    server
        .mock_async(move |when, then| {
            when.path(from);
            then.status(status).header("location", to);
        })
        .await;
    server
}

/// What the other origin must never see: no credential of any scheme, nor
/// a secret anywhere else (reqwest's `Referer` is the previous URL, with
/// its query key).
fn without_credentials(when: httpmock::When) -> httpmock::When {
    when.header_missing("x-client-id")
        .header_missing("x-client-secret")
        .header_missing("authorization")
        .header_missing("cookie")
        .query_param_missing("api_key")
        .is_true(|req| {
            let headers = req.headers_vec().iter();
            let mut seen = headers.flat_map(|(name, value)| [name.as_str(), value.as_str()]);
            !req.uri_str().contains("S3CR3T") && !seen.any(|text| text.contains("S3CR3T"))
        })
}

#[tokio::test]
async fn a_redirect_to_another_origin_sends_no_api_key_header() {
    // Another port of 127.0.0.1: another origin.
    let other = MockServer::start_async().await;
    let landed = other
        .mock_async(|when, then| {
            without_credentials(when.path("/landed"));
            then.status(204);
        })
        .await;
    let first = MockServer::start_async().await;
    let statuses = [301, 302, 303, 307, 308];
    for status in statuses {
        let redirect = first
            .mock_async(|when, then| {
                when.path("/default");
                then.status(status).header("location", other.url("/landed"));
            })
            .await;
        client(first.base_url(), everything)
            .get_default()
            .send()
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        redirect.delete_async().await;
    }
    landed.assert_calls_async(statuses.len()).await;
}

#[tokio::test]
async fn a_redirect_to_another_origin_sends_no_query_cookie_or_basic_secret() {
    let other = MockServer::start_async().await;
    let landed = other
        .mock_async(|when, then| {
            without_credentials(when.path("/landed"));
            then.status(204);
        })
        .await;
    let first = MockServer::start_async().await;
    for from in ["/query", "/cookie", "/basic"] {
        first
            .mock_async(|when, then| {
                when.path(from);
                then.status(302).header("location", other.url("/landed"));
            })
            .await;
    }
    let client = client(first.base_url(), everything);
    client.get_query().page(2).send().await.unwrap();
    client.get_cookie().send().await.unwrap();
    client.get_basic().send().await.unwrap();
    landed.assert_calls_async(3).await;
}

#[tokio::test]
async fn a_redirect_within_the_origin_keeps_the_credentials() {
    let server = MockServer::start_async().await;
    let moved = server
        .mock_async(|when, then| {
            when.path("/default");
            then.status(307).header("location", "/moved");
        })
        .await;
    let landed = server
        .mock_async(|when, then| {
            when.path("/moved")
                .header("x-client-id", CLIENT_ID)
                .header("x-client-secret", CLIENT_SECRET);
            then.status(204);
        })
        .await;
    client(server.base_url(), everything)
        .get_default()
        .send()
        .await
        .unwrap();
    moved.assert_async().await;
    landed.assert_async().await;
}

#[tokio::test]
async fn once_dropped_the_credentials_stay_dropped_on_the_way_back() {
    // first → other origin → first again: the secret went nowhere it was
    // not meant to, and does not come back either (as reqwest does for
    // `Authorization`: it is removed from the request, not hidden per hop).
    let first = MockServer::start_async().await;
    let other = MockServer::start_async().await;
    first
        .mock_async(|when, then| {
            when.path("/default");
            then.status(302).header("location", other.url("/bounce"));
        })
        .await;
    other
        .mock_async(|when, then| {
            without_credentials(when.path("/bounce"));
            then.status(302).header("location", first.url("/back"));
        })
        .await;
    let back = first
        .mock_async(|when, then| {
            without_credentials(when.path("/back"));
            then.status(204);
        })
        .await;
    client(first.base_url(), everything)
        .get_default()
        .send()
        .await
        .unwrap();
    back.assert_async().await;
}

#[tokio::test]
async fn endless_redirects_are_an_error_after_ten_hops() {
    let server = MockServer::start_async().await;
    let other = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/default");
            then.status(302).header("location", other.url("/loop"));
        })
        .await;
    let looping = other
        .mock_async(|when, then| {
            when.path("/loop");
            then.status(302).header("location", "/loop");
        })
        .await;
    let err = client(server.base_url(), everything)
        .get_default()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedStatus, "{err}");
    assert_eq!(err.attempts(), 1, "not retried");
    first.assert_async().await;
    looping.assert_calls_async(10).await;
}

#[tokio::test]
async fn a_retry_starts_again_at_the_first_origin_with_the_credentials() {
    let first = MockServer::start_async().await;
    let other = MockServer::start_async().await;
    let start = first
        .mock_async(|when, then| {
            when.path("/default")
                .header("x-client-id", CLIENT_ID)
                .header("x-client-secret", CLIENT_SECRET);
            then.status(302).header("location", other.url("/busy"));
        })
        .await;
    let busy = other
        .mock_async(|when, then| {
            without_credentials(when.path("/busy"));
            then.status(503);
        })
        .await;
    let err = client(first.base_url(), |b| {
        everything(b)
            .max_retries(1)
            .retry_delays(Duration::from_millis(1), Duration::from_millis(2))
    })
    .get_default()
    .send()
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err}");
    assert_eq!(err.attempts(), 2);
    start.assert_calls_async(2).await;
    busy.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_callers_client_without_redirects_is_followed_by_the_runtime_too() {
    let other = MockServer::start_async().await;
    let landed = other
        .mock_async(|when, then| {
            without_credentials(when.path("/landed"));
            then.status(204);
        })
        .await;
    let first = redirecting("/default", other.url("/landed"), 302).await;
    let unfollowing = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    client(first.base_url(), |b| {
        everything(b)
            .http_client(reqwest::Client::new())
            .http_client_without_redirects(unfollowing)
    })
    .get_default()
    .send()
    .await
    .unwrap();
    landed.assert_async().await;
}

/// An extra header or query parameter of the name a call's credentials
/// use (an `apiKey` header, its query key, the `Cookie` of a cookie key)
/// is refused before anything is sent, the value not repeated; a name
/// the call's credentials do not use is sent.
#[tokio::test]
async fn an_extra_of_a_credentials_name_is_refused() {
    use alakazam_client::runtime::RequestOptions;
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(204);
        })
        .await;
    let c = client(server.base_url(), everything);
    let header = |name| RequestOptions::new().header(name, "mine-S3CR3T");
    let query = RequestOptions::new().query("api_key", "mine-S3CR3T");
    let refused = [
        c.get_default().options(header("X-Client-Id")).send().await,
        c.get_cookie().options(header("Cookie")).send().await,
        c.get_query().page(2).options(query).send().await,
    ];
    for result in refused {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
        assert!(!shown(&err).contains("mine-S3CR3T"), "{}", shown(&err));
    }
    assert_eq!(any.calls_async().await, 0);
    // `getDefault` sends no cookie key: a cookie of the caller's goes out.
    c.get_default()
        .options(RequestOptions::new().header("Cookie", "lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(any.calls_async().await, 1);
}
