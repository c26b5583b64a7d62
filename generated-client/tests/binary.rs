//! Binary success bodies read whole (`runtime::send_bytes`) under the
//! client's `max_response_bytes`, against real servers on 127.0.0.1. The
//! Alakazam spec has no binary operation yet, so the test calls the runtime
//! the way generated code would, with an operation of its own.

mod fast_client;
mod support;

use alakazam_client::runtime::{ClientInfo, KeyKind, Operation, send_bytes, send_bytes_with};
use alakazam_client::{Client, ClientBuilder, ErrorKind};
use httpmock::prelude::*;
use support::{RawServer, Reply};

static DOWNLOAD: Operation = Operation {
    id: "downloadExport",
    method: "GET",
    path: "/v1/exports/{id}",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    idempotent: true,
    idempotency_key: None,
    request_id_header: None,
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

fn builder(base_url: String) -> ClientBuilder {
    fast_client::builder(base_url, "sk_test_1")
}

fn request(client: &Client) -> reqwest::Request {
    client
        .client()
        .get(format!("{}/v1/exports/e1", client.baseurl()))
        .build()
        .unwrap()
}

/// Every byte value, 300 times: not text, not JSON.
fn export() -> Vec<u8> {
    (0..=255u8).cycle().take(256 * 300).collect()
}

async fn serving_export() -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v1/exports/e1");
            then.status(200)
                .header("content-type", "application/octet-stream")
                .body(export());
        })
        .await;
    server
}

#[tokio::test]
async fn a_binary_body_is_read_whole_byte_for_byte() {
    let server = serving_export().await;
    let client = builder(server.base_url()).build().unwrap();
    let response = send_bytes(&client, &DOWNLOAD, &Default::default(), request(&client))
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(response.into_inner(), export());
    // Built per attempt, the same.
    let response = send_bytes_with(&client, &DOWNLOAD, &Default::default(), || {
        Ok(request(&client))
    })
    .await
    .unwrap();
    assert_eq!(response.into_inner(), export());
}

#[tokio::test]
async fn a_binary_body_over_the_limit_is_response_too_large() {
    let server = serving_export().await;
    let client = builder(server.base_url())
        .max_response_bytes(export().len() as u64 - 1)
        .build()
        .unwrap();
    let err = send_bytes(&client, &DOWNLOAD, &Default::default(), request(&client))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    assert_eq!(err.operation(), Some("downloadExport"));
    assert_eq!(err.attempts(), 1);
    // Exactly at the limit it is read.
    let client = builder(server.base_url())
        .max_response_bytes(export().len() as u64)
        .build()
        .unwrap();
    let body = send_bytes(&client, &DOWNLOAD, &Default::default(), request(&client))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(body.len(), export().len());
}

#[tokio::test]
async fn a_binary_body_that_breaks_off_is_retried() {
    let server = RawServer::start(vec![Reply::BreakOff, Reply::Full(200, "\u{0}\u{1}bin")]).await;
    let client = builder(server.base_url()).build().unwrap();
    let body = send_bytes(&client, &DOWNLOAD, &Default::default(), request(&client))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(&body[..], b"\x00\x01bin");
    assert_eq!(server.requests(), 2);
}
