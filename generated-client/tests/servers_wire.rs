//! A spec's own server and credentials where it declares no security
//! scheme, on the wire: against real HTTP servers on 127.0.0.1 (httpmock).
//!
//! The client is codegen's output for `codegen/tests/fixtures/servers.yaml`
//! (a GitHub-like spec: a server with variables, no security scheme) with
//! alakazam-client's runtime (`servers_client/mod.rs`, kept fresh by
//! codegen's `patch_wire_client_is_fresh` test), built by
//! `ClientBuilder::build_for` as any client generated into another crate.

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod servers_client;

use alakazam_client::runtime::{ClientInfo, GeneratedClient};
use alakazam_client::{ApiKey, Client, ClientBuilder, Credential, ErrorKind, REDACTED};
use httpmock::prelude::*;

use servers_client::types;

const TOKEN: &str = "ghp_S3CR3T0123456789";

fn token(secret: &str) -> Credential {
    Credential::new(secret).unwrap()
}

fn local(url: String) -> ClientBuilder {
    Client::builder().base_url(url).max_retries(0)
}

fn build(builder: ClientBuilder) -> servers_client::Client {
    builder.build_for::<servers_client::Client>().unwrap()
}

#[test]
fn the_default_base_url_is_the_specs_first_server_with_its_variables_defaults() {
    assert_eq!(
        servers_client::Client::DEFAULT_BASE_URL,
        Some("https://eu.api.example.com/v3")
    );
    let client = build(Client::builder());
    assert_eq!(client.baseurl(), "https://eu.api.example.com/v3");
    // The caller's base URL wins.
    let client = build(Client::builder().base_url("https://us.api.example.com/v3/"));
    assert_eq!(client.baseurl(), "https://us.api.example.com/v3");
    // Alakazam's own client keeps its server.
    assert_eq!(
        Client::builder().build().unwrap().base_url(),
        "https://api.alakazam.gg"
    );
    assert_eq!(alakazam_client::DEFAULT_BASE_URL, "https://api.alakazam.gg");
}

/// A client generated from a spec without a usable server.
struct Serverless(String);

impl GeneratedClient for Serverless {
    const DEFAULT_BASE_URL: Option<&'static str> = None;
    fn from_parts(
        baseurl: String,
        _: reqwest::Client,
        _: alakazam_client::runtime::ClientState,
    ) -> Self {
        Serverless(baseurl)
    }
}

#[test]
fn without_a_server_the_base_url_is_asked_for() {
    let err = match Client::builder().build_for::<Serverless>() {
        Ok(_) => panic!("built without a base URL"),
        Err(err) => err,
    };
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.to_string().contains("ClientBuilder::base_url"), "{err}");
    let built = Client::builder()
        .base_url("http://127.0.0.1:9/api")
        .build_for::<Serverless>()
        .ok()
        .unwrap();
    assert_eq!(built.0, "http://127.0.0.1:9/api");
}

#[tokio::test]
async fn a_bearer_token_goes_on_every_call() {
    let server = MockServer::start_async().await;
    let bearer = format!("Bearer {TOKEN}");
    let repo = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/repos/octocat")
                .header("authorization", bearer.clone());
            then.status(200)
                .json_body(serde_json::json!({"id": 7, "name": "hello"}));
        })
        .await;
    let issue = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/issues")
                .header("authorization", bearer.clone());
            then.status(201);
        })
        .await;
    let c = build(local(server.base_url()).bearer_token(token(TOKEN)));
    let got = c.get_repo().owner("octocat").send().await.unwrap();
    assert_eq!(got.into_inner().name.as_deref(), Some("hello"));
    c.create_issue()
        .body(types::CreateIssueBody::new("Bug".into()))
        .send()
        .await
        .unwrap();
    repo.assert_async().await;
    issue.assert_async().await;
    // The raw call, to an endpoint the spec lacks, carries it too.
    let raw = server
        .mock_async(|when, then| {
            when.path("/rate_limit")
                .header("authorization", bearer.clone());
            then.status(200).json_body(serde_json::json!({}));
        })
        .await;
    c.raw(reqwest::Method::GET, "/rate_limit")
        .send::<serde_json::Value>()
        .await
        .unwrap();
    raw.assert_async().await;
}

#[tokio::test]
async fn a_header_credential_goes_on_every_call() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.header("x-api-key", TOKEN)
                .header("authorization", format!("token {TOKEN}"));
            then.status(201);
        })
        .await;
    let c = build(
        local(server.base_url())
            .credential_header("X-Api-Key", token("replaced"))
            .credential_header("x-api-key", token(TOKEN))
            .credential_header("Authorization", token(&format!("token {TOKEN}"))),
    );
    c.create_issue()
        .body(types::CreateIssueBody::new("Bug".into()))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn default_credentials_a_server_repeats_are_redacted() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(401)
                .header("x-echo", format!("{TOKEN} key-S3CR3T"))
                .body(format!("bad credentials {TOKEN} and key-S3CR3T"));
        })
        .await;
    let c = build(
        local(server.base_url())
            .bearer_token(token(TOKEN))
            .credential_header("X-Api-Key", token("key-S3CR3T")),
    );
    assert!(!format!("{c:?}").contains("S3CR3T"), "{c:?}");
    let err = c.get_repo().owner("o").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    let text = format!("{err} {err:?} {:?} {:?}", err.body_text(), err.headers());
    assert!(!text.contains("S3CR3T"), "{text}");
    assert_eq!(
        err.body_text(),
        Some(format!("bad credentials {REDACTED} and {REDACTED}").as_str())
    );
}

#[tokio::test]
async fn a_header_credential_does_not_follow_a_redirect_to_another_origin() {
    // Another port of 127.0.0.1: another origin.
    let other = MockServer::start_async().await;
    let landed = other
        .mock_async(|when, then| {
            when.path("/landed")
                .header_missing("x-api-key")
                .header_missing("authorization");
            then.status(200).json_body(serde_json::json!({"id": 7}));
        })
        .await;
    let first = MockServer::start_async().await;
    first
        .mock_async(|when, then| {
            when.path("/repos/o");
            then.status(302).header("location", other.url("/landed"));
        })
        .await;
    let c = build(
        local(first.base_url())
            .bearer_token(token(TOKEN))
            .credential_header("X-Api-Key", token("key-S3CR3T")),
    );
    c.get_repo().owner("o").send().await.unwrap();
    landed.assert_async().await;
}

#[test]
fn default_credentials_are_checked_when_the_client_is_built() {
    let err = |builder: ClientBuilder| match builder.build_for::<servers_client::Client>() {
        Ok(_) => panic!("built"),
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::Configuration);
            assert!(!format!("{err} {err:?}").contains("S3CR3T"), "{err:?}");
            err.to_string()
        }
    };
    let bad_name = err(local("http://127.0.0.1:1".into()).credential_header("X Api", token(TOKEN)));
    assert!(
        bad_name.contains("`X Api` is not a header name"),
        "{bad_name}"
    );
    let basic = err(local("http://127.0.0.1:1".into())
        .bearer_token(Credential::basic("me", "pw-S3CR3T").unwrap()));
    assert!(basic.contains("Basic"), "{basic}");
    let both = err(local("http://127.0.0.1:1".into())
        .bearer_token(token(TOKEN))
        .credential_header("authorization", token(TOKEN)));
    assert!(both.contains("keep one"), "{both}");
    // Off loopback, never over plain http.
    let plain = err(Client::builder()
        .base_url("http://api.example.com")
        .bearer_token(token(TOKEN)));
    assert!(plain.contains("plain http"), "{plain}");
    let plain = err(Client::builder()
        .base_url("http://api.example.com")
        .credential_header("X-Api-Key", token(TOKEN)));
    assert!(plain.contains("plain http"), "{plain}");
}

#[test]
fn an_api_key_still_takes_only_alakazams_prefixes() {
    // `ApiKey` is Alakazam's `sk_`/`pk_` key; any other token is a
    // `bearer_token`, checked against a prefix only where a scheme declares
    // one (`x-key-prefix`, see `runtime/credentials.rs`).
    assert!(ApiKey::new(TOKEN).is_err());
    build(Client::builder().bearer_token(token(TOKEN)));
}

/// Every model compares (`PartialEq`), one of required fields has `new`,
/// and the string-or-number title takes a plain string or number: a typed
/// answer is written in one line and compared with what came back.
#[tokio::test]
async fn models_are_built_from_plain_values_and_compared() {
    let server = MockServer::start_async().await;
    let title = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/issues")
                .json_body(serde_json::json!({"title": "Bug"}));
            then.status(201);
        })
        .await;
    let number = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/issues")
                .json_body(serde_json::json!({"title": 42}));
            then.status(201);
        })
        .await;
    let repo = server
        .mock_async(|when, then| {
            when.path("/repos/o");
            then.status(200)
                .json_body(serde_json::json!({"id": 7, "name": "hello"}));
        })
        .await;
    let c = build(local(server.base_url()));
    assert_eq!(
        types::CreateIssueBodyTitle::from("Bug"),
        types::CreateIssueBodyTitle::String("Bug".to_owned())
    );
    for body in [
        types::CreateIssueBody::new("Bug".into()),
        types::CreateIssueBody::new(String::from("Bug").into()),
        types::CreateIssueBody::new(42.into()),
    ] {
        c.create_issue().body(body).send().await.unwrap();
    }
    title.assert_calls_async(2).await;
    number.assert_async().await;
    let got = c.get_repo().owner("o").send().await.unwrap().into_inner();
    let mut expected = types::Repo::new(7);
    expected.name = Some("hello".to_owned());
    assert_eq!(got, expected);
    assert_ne!(got, types::Repo::new(7));
    repo.assert_async().await;
}
