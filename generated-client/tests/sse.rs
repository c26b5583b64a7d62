//! Server-Sent Events (`runtime::send_sse`) against a server on 127.0.0.1
//! that writes its event stream one byte per chunk. The Alakazam spec has
//! no streaming operation yet, so the test calls the runtime the way
//! generated code would, with an operation of its own.

mod fast_client;
mod wire;

use std::time::Duration;

use alakazam_client::runtime::{
    ClientInfo, Data, Event, EventStream, KeyKind, Operation, send_sse, send_sse_with,
};
use alakazam_client::{Client, ClientBuilder, Error, ErrorKind};
use futures_util::StreamExt;
use serde::Deserialize;
use wire::{Answer, End, Wire};

static STREAM_REPLY: Operation = Operation {
    id: "streamReply",
    method: "POST",
    path: "/v1/chats/{id}/reply",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    // As if marked `x-codegen-idempotent: true`: the retry tests below
    // send this POST again.
    idempotent: true,
    idempotency_key: None,
    request_id_header: None,
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

#[derive(Debug, Deserialize, PartialEq)]
struct Delta {
    text: String,
}

fn builder(base_url: String) -> ClientBuilder {
    fast_client::builder(base_url, "sk_test_1")
}

fn request(client: &Client) -> reqwest::Request {
    client
        .client()
        .post(format!("{}/v1/chats/c1/reply", client.baseurl()))
        .json(&serde_json::json!({"message": "hi"}))
        .build()
        .unwrap()
}

async fn open(client: &Client) -> Result<EventStream<Delta>, Error> {
    send_sse_with(client, &STREAM_REPLY, &Default::default(), || {
        Ok(request(client))
    })
    .await
    .map(|r| r.into_inner())
}

async fn collect(mut events: EventStream<Delta>) -> Vec<Result<Event<Delta>, Error>> {
    let mut items = Vec::new();
    while let Some(item) = events.next().await {
        items.push(item);
    }
    items
}

const STREAM: &str = ": a comment\n\
retry: 2500\n\
id: 7\n\
event: delta\n\
data: {\"text\":\"héllo 🦀\"}\n\
\n\
data: line one\n\
data: line two\n\
\n\
: keep-alive\r\n\
\r\n\
event: delta\r\n\
data: {\"text\":\r\n\
data: \"wörld\"}\r\n\
\r\n\
data: [DONE]\n\
\n\
data: {\"text\":\"never seen\"}\n\n";

fn delta(text: &str) -> Data<Delta> {
    Data::Json(Delta { text: text.into() })
}

#[tokio::test]
async fn events_written_byte_by_byte_decode_in_order_until_done() {
    let server = Wire::start(vec![Answer::bytewise(STREAM.as_bytes(), End::Complete)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let response = send_sse::<Delta>(
        &client,
        &STREAM_REPLY,
        &Default::default(),
        request(&client),
    )
    .await
    .unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut events = response.into_inner();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(
        first,
        Event {
            event: "delta".into(),
            id: Some("7".into()),
            retry: Some(Duration::from_millis(2500)),
            data: delta("héllo 🦀"),
        }
    );
    // Not JSON: the text, lines joined; the id carries over.
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.event, "message");
    assert_eq!(second.id.as_deref(), Some("7"));
    assert_eq!(second.retry, None);
    assert_eq!(second.data, Data::Text("line one\nline two".into()));
    // CRLF lines, JSON split over two data lines.
    let third = events.next().await.unwrap().unwrap();
    assert_eq!(
        third.data.json(),
        Some(&Delta {
            text: "wörld".into()
        })
    );
    // `[DONE]` ends the stream: what follows it is never decoded.
    assert!(events.next().await.is_none());
    assert!(events.next().await.is_none());
    assert_eq!(events.last_event_id(), Some("7"));

    let sent = &server.requests()[0];
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
    assert_eq!(sent.header("authorization"), Some("Bearer sk_test_1"));
}

#[tokio::test]
async fn a_stream_that_breaks_off_ends_with_an_error_item() {
    let text = b"data: {\"text\":\"a\"}\n\ndata: {\"text\":\"b";
    let server = Wire::start(vec![Answer::bytewise(text, End::Broken)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, delta("a"));
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connection, "{error}");
    assert_eq!(error.operation(), Some("streamReply"));
    // Not retried: events already reached the caller.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_stream_that_ends_properly_without_done_just_ends() {
    let text = b"data: {\"text\":\"a\"}\n\n: bye\n\n";
    let server = Wire::start(vec![Answer::bytewise(text, End::Complete)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap().data, delta("a"));
}

#[tokio::test]
async fn an_error_status_before_the_stream_is_retried_then_typed() {
    let ok = Answer::bytewise(b"data: {\"text\":\"a\"}\n\n", End::Complete);
    let unavailable = Answer::Whole(503, "application/json", br#"{"error":"busy"}"#.to_vec());
    let server = Wire::start(vec![unavailable, ok]).await;
    let client = builder(server.base_url()).build().unwrap();
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 1);
    assert_eq!(server.requests().len(), 2);

    let missing = Answer::Whole(404, "application/json", br#"{"error":"no chat"}"#.to_vec());
    let server = Wire::start(vec![missing]).await;
    let client = builder(server.base_url()).build().unwrap();
    let error = open(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(error.body_text().unwrap().contains("no chat"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn json_of_another_type_is_one_error_item_and_the_stream_goes_on() {
    let text = b"data: {\"other\":1}\n\ndata: {\"text\":\"ok\"}\n\n";
    let server = Wire::start(vec![Answer::bytewise(text, End::Complete)]).await;
    let client = builder(server.base_url()).build().unwrap();
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 2);
    let error = items[0].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert!(error.to_string().contains("`message` event"), "{error}");
    assert_eq!(items[1].as_ref().unwrap().data, delta("ok"));
}

#[tokio::test]
async fn more_than_max_response_bytes_without_an_event_is_response_too_large() {
    let long = format!("data: {{\"text\":\"{}\"}}\n\n", "x".repeat(500));
    let text = format!("data: {{\"text\":\"short\"}}\n\n{long}");
    let server = Wire::start(vec![Answer::Chunks {
        content_type: "text/event-stream",
        pieces: text.as_bytes().chunks(16).map(<[u8]>::to_vec).collect(),
        pause: Duration::ZERO,
        end: End::Complete,
    }])
    .await;
    let client = builder(server.base_url())
        .max_response_bytes(128)
        .build()
        .unwrap();
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, delta("short"));
    assert_eq!(
        items[1].as_ref().unwrap_err().kind(),
        ErrorKind::ResponseTooLarge
    );
}

#[tokio::test]
async fn a_success_that_is_not_an_event_stream_is_invalid_response() {
    let json = Answer::Whole(200, "application/json", br#"{"text":"whole"}"#.to_vec());
    let server = Wire::start(vec![json]).await;
    let client = builder(server.base_url()).build().unwrap();
    let error = open(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert!(error.to_string().contains("application/json"), "{error}");
}

#[tokio::test]
async fn the_timeout_bounds_silence_not_the_whole_stream() {
    // Six events 60 ms apart: 360 ms in all, over the 200 ms timeout.
    let pieces = (0..6)
        .map(|i| format!("data: {{\"text\":\"{i}\"}}\n\n").into_bytes())
        .collect();
    let server = Wire::start(vec![Answer::Chunks {
        content_type: "text/event-stream",
        pieces,
        pause: Duration::from_millis(60),
        end: End::Silent,
    }])
    .await;
    let client = builder(server.base_url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 7, "{items:?}");
    for (i, item) in items[..6].iter().enumerate() {
        assert_eq!(item.as_ref().unwrap().data, delta(&i.to_string()));
    }
    // Then the server goes quiet: a timeout item, not a hang.
    let error = items[6].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
}

#[tokio::test]
async fn the_timeout_still_bounds_the_wait_for_the_headers() {
    let server = Wire::start(vec![Answer::Nothing]).await;
    let client = builder(server.base_url())
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .build()
        .unwrap();
    let error = open(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    // Retried like any timeout.
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.requests().len(), 2);
}
