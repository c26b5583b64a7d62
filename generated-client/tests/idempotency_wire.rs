//! The idempotency key on the wire: the headers each attempt carried, as
//! a scripted server on 127.0.0.1 received them.
//!
//! The client is codegen's output for `codegen/tests/fixtures/retries.yaml`
//! (`retries_client/mod.rs`): `createPayment` declares an
//! `Idempotency-Key` header parameter, `createNote` none.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod retries_client;
mod wire;

use std::time::Duration;

use alakazam_client::runtime::RequestOptions;
use retries_client::types::Note;
use wire::{Answer, Wire};

const KEY_HEADER: &str = "idempotency-key";

/// Up to three attempts, waits of a millisecond.
fn client(wire: &Wire) -> retries_client::Client {
    let base = alakazam_client::Client::builder()
        .base_url(wire.base_url())
        .max_retries(2)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    fast_client::fixture_client!(retries_client, wire.base_url(), &base)
}

fn note() -> Note {
    Note::builder().text(String::from("milk"))
}

/// Two 500s, then the payment.
fn flaky() -> Vec<Answer> {
    vec![
        Answer::Whole(500, "application/json", b"{}".to_vec()),
        Answer::Whole(500, "application/json", b"{}".to_vec()),
        Answer::Whole(201, "application/json", b"{}".to_vec()),
    ]
}

/// The key of each request received.
fn keys(wire: &Wire) -> Vec<Option<String>> {
    wire.requests()
        .iter()
        .map(|r| r.header(KEY_HEADER).map(str::to_owned))
        .collect()
}

/// Without a key from the caller, one is generated per call: a UUID v4,
/// the same on every attempt (so the POST is retried), another for the
/// next call.
#[tokio::test]
async fn a_generated_key_is_the_same_on_every_retry() {
    let wire = Wire::start(flaky()).await;
    let c = client(&wire);
    c.create_payment().body(note()).send().await.unwrap();
    let sent = keys(&wire);
    assert_eq!(sent.len(), 3, "{sent:?}");
    let first = sent[0].clone().expect("a key on the first attempt");
    assert!(
        sent.iter().all(|k| k.as_deref() == Some(&first)),
        "{sent:?}"
    );
    let uuid: uuid::Uuid = first.parse().unwrap();
    assert_eq!(uuid.get_version_num(), 4, "{first}");

    // The script's last answer (201) repeats: one attempt, a new key.
    c.create_payment().body(note()).send().await.unwrap();
    let next = keys(&wire).pop().flatten().unwrap();
    assert_ne!(next, first);
}

/// A key the caller sets (by the parameter's setter or as an extra
/// header) is sent unchanged on every attempt, and none is added.
#[tokio::test]
async fn the_callers_key_is_sent_unchanged() {
    let wire = Wire::start(flaky()).await;
    let c = client(&wire);
    c.create_payment()
        .idempotency_key("pay-7f3a")
        .body(note())
        .send()
        .await
        .unwrap();
    let wire2 = Wire::start(flaky()).await;
    let c2 = client(&wire2);
    c2.create_payment()
        .body(note())
        .options(RequestOptions::new().header("Idempotency-Key", "pay-extra"))
        .send()
        .await
        .unwrap();
    for (wire, key) in [(&wire, "pay-7f3a"), (&wire2, "pay-extra")] {
        let sent = keys(wire);
        assert_eq!(sent.len(), 3, "{sent:?}");
        assert!(sent.iter().all(|k| k.as_deref() == Some(key)), "{sent:?}");
        // One value, not the caller's beside a generated one.
        let request = &wire.requests()[0];
        let count = request
            .headers
            .iter()
            .filter(|(n, _)| n == KEY_HEADER)
            .count();
        assert_eq!(count, 1);
    }
}

/// An operation that declares no idempotency header gets none: nothing is
/// sent that the spec does not declare, and its POST is not repeated.
#[tokio::test]
async fn no_key_where_the_spec_declares_none() {
    let wire = Wire::start(flaky()).await;
    let c = client(&wire);
    let err = c.create_note().body(note()).send().await.unwrap_err();
    assert_eq!(err.attempts(), 1);
    let request = &wire.requests()[0];
    assert!(
        !request
            .headers
            .iter()
            .any(|(n, _)| n.contains("idempotency")),
        "{:?}",
        request.headers
    );
}
