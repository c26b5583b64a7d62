//! Parameters typed by `content` instead of `schema`, sent by a generated
//! client to a scripted server on 127.0.0.1 that records the raw request
//! target and headers.
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/realworld_content_parameters.yaml` with
//! alakazam-client's runtime (`content_client/mod.rs`, kept fresh by
//! codegen's `patch_wire_client_is_fresh` test). A JSON query parameter is
//! one JSON text, percent-encoded (every character but RFC 3986's
//! unreserved ones), in the field order of the type.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod content_client;
mod wire;

use content_client::types;
use wire::{Answer, Wire};

fn client(server: &Wire) -> content_client::Client {
    fast_client::fixture_client!(content_client, server.base_url())
}

async fn server() -> Wire {
    Wire::start(vec![Answer::Whole(
        200,
        "application/json",
        br#"[{"id": 1, "title": "Nova"}]"#.to_vec(),
    )])
    .await
}

#[tokio::test]
async fn json_content_parameters_arrive_as_json_text() {
    let server = server().await;
    let filter = types::TrackFilter::new("Nova & co".parse().unwrap()).min_plays(100);
    let tracks = client(&server)
        .list_tracks()
        .filter(filter)
        .tags(vec!["a,b".parse().unwrap(), "c".parse().unwrap()])
        .note("lo fi")
        .x_page_size(std::num::NonZeroU32::new(25).unwrap())
        .x_context(r#"{"tenant":"t1"}"#)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(tracks[0].title, "Nova");

    let sent = &server.requests()[0];
    assert_eq!(sent.target.split('?').next(), Some("/tracks"));
    // progenitor's `note` first, then the runtime's JSON texts, by name.
    assert_eq!(
        sent.query(),
        "note=lo+fi\
         &filter=%7B%22artist%22%3A%22Nova%20%26%20co%22%2C%22minPlays%22%3A100%7D\
         &tags=%5B%22a%2Cb%22%2C%22c%22%5D"
    );
    let pairs: Vec<(String, String)> = form_urlencoded::parse(sent.query().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let filter: serde_json::Value = serde_json::from_str(&pairs[1].1).unwrap();
    assert_eq!(
        filter,
        serde_json::json!({"artist": "Nova & co", "minPlays": 100})
    );
    assert_eq!(pairs[2].1, r#"["a,b","c"]"#);
    // A JSON integer's text is its `to_string()`; the object header is the
    // caller's text, as is.
    assert_eq!(sent.header("x-page-size"), Some("25"));
    assert_eq!(sent.header("x-context"), Some(r#"{"tenant":"t1"}"#));
}

#[tokio::test]
async fn unset_json_parameters_send_nothing() {
    let server = server().await;
    client(&server)
        .list_tracks()
        .filter(types::TrackFilter::new("x".parse().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/tracks?filter=%7B%22artist%22%3A%22x%22%7D"
    );
}
