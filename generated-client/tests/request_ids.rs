//! Request ids on the wire, against real servers on 127.0.0.1 (httpmock):
//! the common headers APIs put them in, and the one a spec names with
//! `x-codegen-request-id-header` (a runtime `Operation` of the test's own,
//! as generated code would write it).

mod fast_client;

use alakazam_client::runtime::{
    ClientInfo, KeyKind, Operation, REQUEST_ID_HEADERS, ResponseExt, send_json,
};
use alakazam_client::{Client, types};
use httpmock::prelude::*;

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const PATH: &str = "/v1/characters/3c90c3cc-0d44-4b50-8888-8dd25736052a";

fn client(server: &MockServer) -> Client {
    fast_client::builder(server.base_url(), "sk_test_1")
        .max_retries(0)
        .build()
        .unwrap()
}

async fn update(client: &Client) -> Result<types::Character, alakazam_client::Error> {
    client
        .update_character()
        .id(ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .map(|r| r.into_inner())
}

/// Each common header alone on an error response is its request id.
#[tokio::test]
async fn every_common_request_id_header_is_read_from_an_error() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    for name in REQUEST_ID_HEADERS {
        let value = format!("id-of-{name}");
        let mock = server
            .mock_async(|when, then| {
                when.method("PATCH").path(PATH);
                then.status(404).header(*name, &value).body("{}");
            })
            .await;
        let err = update(&c).await.unwrap_err();
        assert_eq!(err.request_id(), Some(value.as_str()), "{name}");
        assert!(err.to_string().contains(&value), "{err}");
        mock.delete_async().await;
    }
}

/// GitHub's header on a success, through `ResponseExt`.
#[tokio::test]
async fn a_success_carries_its_request_id_too() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(PATH);
            then.status(200)
                .header("x-github-request-id", "C0DE:1F2E:3D4C")
                .body("{}");
        })
        .await;
    let response = client(&server)
        .update_character()
        .id(ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id(), Some("C0DE:1F2E:3D4C"));
}

/// What codegen writes for a spec with `x-codegen-request-id-header:
/// X-Trace`.
static TRACED: Operation = Operation {
    id: "traced",
    method: "GET",
    path: "/traced",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    idempotent: true,
    idempotency_key: None,
    request_id_header: Some("x-trace"),
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

/// The header the spec names wins over the common ones; without it on a
/// response, the common ones still count.
#[tokio::test]
async fn the_header_the_spec_names_comes_first() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    let options = Default::default();
    let call = || {
        let request = c
            .client()
            .get(format!("{}/traced", c.baseurl()))
            .build()
            .unwrap();
        send_json::<serde_json::Value>(&c, &TRACED, &options, request)
    };
    let mock = server
        .mock_async(|when, then| {
            when.path("/traced");
            then.status(500)
                .header("x-request-id", "common")
                .header("x-trace", "named")
                .body("{}");
        })
        .await;
    assert_eq!(call().await.unwrap_err().request_id(), Some("named"));
    mock.delete_async().await;
    server
        .mock_async(|when, then| {
            when.path("/traced");
            then.status(500).header("cf-ray", "8f1c2a-AMS").body("{}");
        })
        .await;
    assert_eq!(call().await.unwrap_err().request_id(), Some("8f1c2a-AMS"));
}
