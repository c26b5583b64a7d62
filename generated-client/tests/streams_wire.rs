//! Event streams and downloads through generated code, on the wire: the
//! clients are codegen's output for `codegen/tests/fixtures/streams_sse.yaml`
//! (`sse_client/`) and `streams_binary.yaml` (`binary_client/`) with
//! alakazam-client's runtime, kept fresh by codegen's
//! `patch_wire_client_is_fresh`. The server on 127.0.0.1 (`wire/`) writes
//! its bodies in chunks it chooses: one byte each, split UTF-8, broken
//! off.

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod sse_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod binary_client;
mod fast_client;
mod wire;

use std::time::Duration;

use alakazam_client::runtime::{Data, Event};
use alakazam_client::{ClientBuilder, ErrorKind};
use futures_util::StreamExt;
use wire::{Answer, End, Wire};

fn base(
    server: &Wire,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> alakazam_client::Client {
    configure(fast_client::builder(server.base_url(), "sk_test_1"))
        .build()
        .unwrap()
}

fn sse(server: &Wire) -> sse_client::Client {
    let base = base(server, |b| b);
    fast_client::fixture_client!(sse_client, server.base_url(), &base)
}

fn binary(server: &Wire, max: u64) -> binary_client::Client {
    let base = base(server, |b| b.max_response_bytes(max));
    fast_client::fixture_client!(binary_client, server.base_url(), &base)
}

/// Comments, `retry:`, `id:`, multi-line and non-JSON data, CRLF lines,
/// a character split across chunks, `[DONE]` and what follows it.
const REPLY: &str = ": connected\n\
retry: 1500\n\
id: t1\n\
event: token\n\
data: {\"index\":0,\"text\":\"h\u{e9}llo \u{1f980}\"}\n\
\n\
: keep-alive\r\n\
data: {\"index\":1,\r\n\
data:  \"text\":\"w\u{f6}rld\",\"finish\":true}\r\n\
\r\n\
data: not json, a line\n\
data: and another\n\
\n\
data: [DONE]\n\
\n\
data: {\"index\":9,\"text\":\"never\"}\n\n";

/// A token's fields (the generated types derive no `PartialEq`).
fn token(data: &Data<sse_client::types::Token>) -> (i64, &str, Option<bool>) {
    let t = data.json().expect("JSON data");
    (t.index, t.text.as_str(), t.finish)
}

fn request() -> sse_client::types::ReplyRequest {
    sse_client::types::ReplyRequest::new("hi".into())
}

#[tokio::test]
async fn a_typed_event_stream_written_byte_by_byte() {
    let server = Wire::start(vec![Answer::bytewise(REPLY.as_bytes(), End::Complete)]).await;
    let response = sse(&server)
        .stream_reply()
        .id(4)
        .body(request())
        .send()
        .await
        .unwrap();
    let mut events = response.into_inner();
    let first = events.next().await.unwrap().unwrap();
    let Event {
        event,
        id,
        retry,
        data,
    } = &first;
    assert_eq!(event, "token");
    assert_eq!(id.as_deref(), Some("t1"));
    assert_eq!(*retry, Some(Duration::from_millis(1500)));
    assert_eq!(token(data), (0, "héllo 🦀", None));
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.event, "message");
    assert_eq!(second.id.as_deref(), Some("t1"), "the id carries over");
    assert_eq!(token(&second.data), (1, "wörld", Some(true)));
    let third = events.next().await.unwrap().unwrap();
    assert_eq!(third.data.text(), Some("not json, a line\nand another"));
    assert!(events.next().await.is_none(), "[DONE] ends the stream");
    assert_eq!(events.last_event_id(), Some("t1"));

    let sent = &server.requests()[0];
    assert_eq!(sent.target, "/chats/4/reply");
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body, serde_json::json!({"text": "hi"}));
}

#[tokio::test]
async fn utf8_split_across_chunks_decodes() {
    let text = "data: {\"index\":0,\"text\":\"→🦀é\"}\n\n".as_bytes();
    // Cut inside the arrow and inside the crab.
    let arrow = text.iter().position(|b| *b == 0xe2).unwrap();
    let crab = text.iter().position(|b| *b == 0xf0).unwrap();
    let pieces = vec![
        text[..arrow + 1].to_vec(),
        text[arrow + 1..crab + 2].to_vec(),
        text[crab + 2..].to_vec(),
    ];
    let server = Wire::start(vec![Answer::Chunks {
        content_type: "text/event-stream; charset=utf-8",
        pieces,
        pause: Duration::from_millis(2),
        end: End::Complete,
    }])
    .await;
    let mut events = sse(&server)
        .stream_reply()
        .id(1)
        .body(request())
        .send()
        .await
        .unwrap()
        .into_inner();
    let only = events.next().await.unwrap().unwrap();
    assert_eq!(token(&only.data), (0, "→🦀é", None));
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn a_stream_dropped_mid_event_ends_with_an_error_item() {
    let text = b"data: {\"index\":0,\"text\":\"a\"}\n\ndata: {\"index\":1,";
    let server = Wire::start(vec![Answer::bytewise(text, End::Broken)]).await;
    let items: Vec<_> = sse(&server)
        .stream_reply()
        .id(1)
        .body(request())
        .send()
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(token(&items[0].as_ref().unwrap().data), (0, "a", None));
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connection, "{error}");
    assert_eq!(error.operation(), Some("streamReply"));
    assert_eq!(
        server.requests().len(),
        1,
        "a started stream is not retried"
    );
}

#[tokio::test]
async fn an_error_status_before_the_stream_is_a_typed_error_and_retried() {
    let server = Wire::start(vec![
        Answer::Whole(503, "application/json", b"{\"title\":\"busy\"}".to_vec()),
        Answer::Whole(
            404,
            "application/json",
            b"{\"title\":\"no chat\",\"status\":404}".to_vec(),
        ),
    ])
    .await;
    let error = sse(&server)
        .stream_reply()
        .id(1)
        .body(request())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound, "{error}");
    assert_eq!(error.attempts(), 2, "the 503 was retried");
    let problem: sse_client::types::Problem = error.body_as().unwrap().unwrap();
    assert_eq!(problem.title.as_deref(), Some("no chat"));
}

#[tokio::test]
async fn json_and_events_from_one_operation() {
    let events = "event: message\ndata: {\"text\":\"hey\",\"role\":\"character\"}\n\n";
    let server = Wire::start(vec![
        Answer::Whole(200, "application/json", b"[{\"text\":\"a\"}]".to_vec()),
        Answer::bytewise(events.as_bytes(), End::Complete),
    ])
    .await;
    let client = sse(&server);
    let all = client
        .list_messages()
        .id(2)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].text, "a");
    let mut stream = client
        .list_messages()
        .id(2)
        .limit(std::num::NonZeroU64::new(5).unwrap())
        .send_events()
        .await
        .unwrap()
        .into_inner();
    let event = stream.next().await.unwrap().unwrap();
    let data = event.data.into_json().unwrap();
    assert_eq!(data.text, "hey");
    assert_eq!(data.role, Some(sse_client::types::Role::Character));
    assert!(stream.next().await.is_none());

    let sent = server.requests();
    assert_eq!(sent[0].header("accept"), Some("application/json"));
    assert_eq!(sent[1].header("accept"), Some("text/event-stream"));
    assert_eq!(sent[1].target, "/chats/2/messages?limit=5");
}

#[tokio::test]
async fn untyped_events_are_json_values_or_text() {
    let text = "data: {\"up\":true}\n\ndata: degraded\n\n";
    let server = Wire::start(vec![Answer::bytewise(text.as_bytes(), End::Complete)]).await;
    let items: Vec<_> = sse(&server)
        .status_stream()
        .send()
        .await
        .unwrap()
        .into_inner()
        .map(|item| item.unwrap().data)
        .collect()
        .await;
    assert_eq!(
        items,
        vec![
            Data::Json(serde_json::json!({"up": true})),
            Data::Text("degraded".into())
        ]
    );
}

fn export(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[tokio::test]
async fn a_download_read_whole_and_streamed() {
    let bytes = export(10_000);
    let pieces: Vec<Vec<u8>> = bytes.chunks(777).map(<[u8]>::to_vec).collect();
    let answer = Answer::Chunks {
        content_type: "application/octet-stream",
        pieces,
        pause: Duration::ZERO,
        end: End::Complete,
    };
    let server = Wire::start(vec![answer]).await;
    let client = binary(&server, 1 << 20);
    let whole = client
        .download_export()
        .id("e 1")
        .send_bytes()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(whole.as_ref(), bytes.as_slice());
    let mut stream = client
        .download_export()
        .id("e 1")
        .send()
        .await
        .unwrap()
        .into_inner();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, bytes);
    assert_eq!(server.requests()[0].target, "/exports/e%201");
}

#[tokio::test]
async fn a_download_over_the_cap_is_response_too_large() {
    let server = Wire::start(vec![Answer::Whole(200, "image/png", export(2049))]).await;
    let error = binary(&server, 2048)
        .get_cover()
        .id("c")
        .send_bytes()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
    assert_eq!(error.operation(), Some("getCover"));
    assert_eq!(server.requests().len(), 1, "not retried");
    // At the cap it is read.
    let server = Wire::start(vec![Answer::Whole(200, "image/png", export(2048))]).await;
    let read = binary(&server, 2048)
        .get_cover()
        .id("c")
        .send_bytes()
        .await
        .unwrap();
    assert_eq!(read.into_inner().len(), 2048);
}

#[tokio::test]
async fn a_download_that_breaks_off_while_streamed_ends_with_an_error_item() {
    let server = Wire::start(vec![Answer::Chunks {
        content_type: "application/octet-stream",
        pieces: vec![export(100), export(100)],
        pause: Duration::ZERO,
        end: End::Broken,
    }])
    .await;
    let mut stream = binary(&server, 1 << 20)
        .get_blob()
        .key("k")
        .send()
        .await
        .unwrap()
        .into_inner();
    let mut got = 0;
    let mut failed = false;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) => got += c.len(),
            Err(_) => failed = true,
        }
    }
    assert!(
        failed,
        "a broken download is an error item, not a silent end"
    );
    assert_eq!(got, 200);
}

#[tokio::test]
async fn a_binary_body_from_bytes() {
    let server = Wire::start(vec![Answer::Whole(204, "text/plain", Vec::new())]).await;
    let cover = export(3000);
    binary(&server, 1 << 20)
        .put_cover()
        .id("c")
        .body(cover.clone())
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.body, cover);
    assert_eq!(
        sent.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(sent.header("content-length"), Some("3000"));
}

#[tokio::test]
async fn a_binary_body_streamed_from_a_file_with_its_length() {
    use std::io::Write;
    let cover = export(200_000);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&cover).unwrap();
    let server = Wire::start(vec![Answer::Whole(204, "text/plain", Vec::new())]).await;
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    binary(&server, 1 << 20)
        .put_cover()
        .id("c")
        .body(alakazam_client::runtime::file_body(open).await.unwrap())
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.header("content-length"), Some("200000"));
    assert_eq!(sent.header("transfer-encoding"), None);
    assert_eq!(sent.body, cover);
}
