//! One span per call, with the operation, method, path template, attempt,
//! status and latency, and never the key, even when the server repeats it. (One test per binary: tracing
//! caches callsite interest process-wide, and a test without a subscriber
//! running beside it would disable the span.)

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alakazam_client::{ApiKey, Client, uuid::Uuid};
use httpmock::prelude::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_span_per_call_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH");
            then.status(503).up_to_n_times(1);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("PATCH");
            then.status(200).body("{}");
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key(ApiKey::new("sk_live_TRACEDSECRET").unwrap())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(1))
        .build()
        .unwrap();
    client
        .update_character()
        .id(Uuid::nil())
        .send()
        .await
        .unwrap();

    // A server that repeats the key in its error (body and request id),
    // retried once: both failure events are logged with the key redacted.
    let echo = MockServer::start_async().await;
    echo.mock_async(|when, then| {
        when.method("PATCH");
        then.status(503)
            .header("x-request-id", "req_sk_live_TRACEDSECRET")
            .body(r#"{"error":"bad token sk_live_TRACEDSECRET"}"#);
    })
    .await;
    let client = Client::builder()
        .base_url(echo.base_url())
        .api_key(ApiKey::new("sk_live_TRACEDSECRET").unwrap())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(1))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client
        .update_character()
        .id(Uuid::nil())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 2);

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!log.contains("TRACEDSECRET"), "{log}");
    let redacted: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("bad token [redacted]") && l.contains("req_[redacted]"))
        .collect();
    assert_eq!(redacted.len(), 2, "{log}");
    assert!(redacted[0].contains("retrying") && redacted[1].contains("failed"));
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("alakazam.request"))
        .collect();
    assert!(lines.len() >= 2, "{log}");
    let first = lines
        .iter()
        .find(|l| l.contains("retrying"))
        .expect("a retry event");
    for field in [
        "operation=\"updateCharacter\"",
        "method=\"PATCH\"",
        "path=\"/v1/characters/{id}\"",
        "attempt=1",
        "status=503",
        "latency_ms=",
    ] {
        assert!(first.contains(field), "{field} missing in {first}");
    }
    let last = lines
        .iter()
        .find(|l| l.contains("succeeded"))
        .expect("a success event");
    assert!(
        last.contains("attempt=2") && last.contains("status=200"),
        "{last}"
    );
}
