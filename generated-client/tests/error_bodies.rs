//! Error bodies decoded typed with `Error::body_as`, against real servers
//! on 127.0.0.1; the raw body stays beside it.

mod support;

use alakazam_client::{ApiKey, Client, Error, ErrorBody, ErrorKind, REDACTED, types};
use httpmock::prelude::*;
use serde::Deserialize;
use support::{RawServer, Reply};

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const PATH: &str = "/v1/characters/3c90c3cc-0d44-4b50-8888-8dd25736052a";
const SECRET: &str = "sk_live_S3CR3T-never-print-me";

/// An error schema as an operation would document it.
#[derive(Debug, Deserialize, PartialEq)]
struct ApiError {
    error: Detail,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Detail {
    code: String,
    message: String,
    #[serde(default)]
    fields: Vec<String>,
}

async fn update(base_url: String) -> Error {
    Client::builder()
        .base_url(base_url)
        .api_key(ApiKey::new(SECRET).unwrap())
        .max_retries(0)
        .build()
        .unwrap()
        .update_character()
        .id(ID.parse::<uuid::Uuid>().unwrap())
        .body(types::CharacterUpdate::builder().name(String::from("Nova")))
        .send()
        .await
        .unwrap_err()
}

async fn answering(status: u16, body: Option<String>) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            let then = then.status(status);
            if let Some(body) = body {
                then.header("content-type", "application/json").body(body);
            }
        })
        .await;
    server
}

#[tokio::test]
async fn a_documented_error_body_decodes_typed_and_the_raw_body_stays() {
    let raw = r#"{"error":{"code":"invalid_name","message":"name is too long","fields":["name"]}}"#;
    let server = answering(422, Some(raw.to_owned())).await;
    let err = update(server.base_url()).await;
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    let typed = err.body_as::<ApiError>().unwrap().unwrap();
    assert_eq!(
        typed.error,
        Detail {
            code: "invalid_name".into(),
            message: "name is too long".into(),
            fields: vec!["name".into()],
        }
    );
    assert_eq!(err.body_text(), Some(raw));
    assert_eq!(err.body_json().unwrap()["error"]["fields"][0], "name");
}

#[tokio::test]
async fn a_body_of_another_shape_is_an_error_saying_why() {
    let server = answering(400, Some(r#"{"error":"just a string"}"#.to_owned())).await;
    let err = update(server.base_url()).await;
    let why = err.body_as::<ApiError>().unwrap().unwrap_err();
    assert!(why.to_string().contains("expected struct Detail"), "{why}");
    // Any type that fits works on the same error.
    let loose = err.body_as::<serde_json::Value>().unwrap().unwrap();
    assert_eq!(loose["error"], "just a string");

    // Not JSON: serde says where.
    let server = answering(500, Some("<html>Bad Gateway</html>".to_owned())).await;
    let err = update(server.base_url()).await;
    let why = err.body_as::<ApiError>().unwrap().unwrap_err();
    assert!(why.is_syntax(), "{why}");
    assert_eq!(err.body_text(), Some("<html>Bad Gateway</html>"));

    // Cut at the limit: not decoded from a prefix.
    let long = format!(
        r#"{{"error":{{"code":"x","message":"{}"}}}}"#,
        "m".repeat(ErrorBody::LIMIT)
    );
    let server = answering(400, Some(long)).await;
    let err = update(server.base_url()).await;
    assert!(err.body().unwrap().truncated);
    let why = err.body_as::<ApiError>().unwrap().unwrap_err();
    assert!(why.to_string().contains("longer than"), "{why}");
}

#[tokio::test]
async fn no_body_is_none() {
    let server = answering(404, None).await;
    let err = update(server.base_url()).await;
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.body_as::<ApiError>().is_none());
    // An error without a response at all.
    let err = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap()
        .update_character()
        .send()
        .await
        .unwrap_err();
    assert!(err.body_as::<ApiError>().is_none());
}

#[tokio::test]
async fn the_typed_body_has_the_key_redacted() {
    let server = RawServer::start(vec![Reply::Echo(
        401,
        r#"{"error":{"code":"bad_key","message":"bad token {token}"}}"#,
    )])
    .await;
    let err = update(server.base_url()).await;
    let typed = err.body_as::<ApiError>().unwrap().unwrap();
    assert_eq!(typed.error.message, format!("bad token {REDACTED}"));
}
