//! `text/event-stream` responses: a typed stream of Server-Sent Events.
//!
//! The event framing (fields, comments, multi-line `data:`, `\r\n`) is
//! parsed by the `eventsource-stream` crate. What this module adds is what
//! an SDK call needs around it: UTF-8 decoding that survives a character
//! split across chunks (and replaces invalid bytes, as the SSE standard
//! says, instead of stalling), a bound on what is buffered while no event
//! completes, the `[DONE]` sentinel, typed `data`, and errors that say
//! which operation's stream failed.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures_core::Stream;
use reqwest::Request;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;

use progenitor_client::{ClientInfo, ResponseValue};

use super::attempts::execute_events;
use super::operation::Operation;
use super::options::RequestOptions;
use super::source::{Built, Rebuild, RequestSource};
use super::state::ClientState;
use crate::error::{Error, ErrorKind};

/// The `data` a stream ends with instead of an event (OpenAI-style APIs).
pub const DONE: &str = "[DONE]";

/// One Server-Sent Event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event:` field; `message` when the server sent none.
    pub event: String,
    /// The last `id:` the stream set (it carries over to later events, as
    /// the standard says); `None` before any.
    pub id: Option<String>,
    /// The `retry:` field of this event, if it had one.
    pub retry: Option<Duration>,
    /// The `data:` lines, joined with `\n`, decoded.
    pub data: Data<T>,
}

/// The data of an [`Event`]: the documented type when it is JSON, the
/// text itself when it is not JSON at all (a heartbeat, a plain token).
/// Data that is JSON but not of the documented type is an error item
/// ([`InvalidResponse`](ErrorKind::InvalidResponse)), not text.
#[derive(Debug, Clone, PartialEq)]
pub enum Data<T> {
    /// The data decoded as JSON of the documented type.
    Json(T),
    /// Data that is not JSON, as sent.
    Text(String),
}

impl<T> Data<T> {
    /// The decoded value, when the data was JSON.
    pub fn json(&self) -> Option<&T> {
        match self {
            Data::Json(value) => Some(value),
            Data::Text(_) => None,
        }
    }

    /// The text, when the data was not JSON.
    pub fn text(&self) -> Option<&str> {
        match self {
            Data::Json(_) => None,
            Data::Text(text) => Some(text),
        }
    }

    /// The decoded value, or `None` for text.
    pub fn into_json(self) -> Option<T> {
        match self {
            Data::Json(value) => Some(value),
            Data::Text(_) => None,
        }
    }
}

/// What the parser reads: the body's chunks, decoded to UTF-8.
type Feed = Pin<Box<dyn Stream<Item = Result<String, FeedError>> + Send>>;
type Parsed = eventsource_stream::EventStream<Feed>;

/// Why the feed stopped.
#[derive(Debug)]
enum FeedError {
    Transport(reqwest::Error),
    /// More than the limit arrived without an event completing.
    TooLarge(u64),
    /// Nothing arrived for this long.
    Silent(Duration),
}

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedError::Transport(e) => e.fmt(f),
            FeedError::TooLarge(limit) => write!(f, "more than {limit} bytes without an event"),
            FeedError::Silent(idle) => write!(f, "nothing for {idle:?}"),
        }
    }
}

/// A stream of [`Event`]s of one response: `Ok` items until the body ends
/// (or sends [`DONE`]), an `Err` item when the connection breaks, times
/// out or the data is not of the documented type.
///
/// After a transport error (the connection broke, nothing arrived for the
/// client's [`timeout`](crate::ClientBuilder::timeout), more than
/// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes)
/// arrived without completing an event) the stream ends; an event whose
/// data does not decode is one `Err` item and the stream goes on.
/// Reconnecting is the caller's choice: [`last_event_id`](Self::last_event_id)
/// is the `Last-Event-ID` to send.
pub struct EventStream<T> {
    parsed: Option<Parsed>,
    /// Bytes fed to the parser since the last event it gave out.
    pending: Arc<AtomicU64>,
    last_event_id: Option<String>,
    state: ClientState,
    op: &'static Operation,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("operation", &self.op.id)
            .field("ended", &self.parsed.is_none())
            .field("last_event_id", &self.last_event_id)
            .finish()
    }
}

impl<T> EventStream<T> {
    /// The `id` of the last event received, for `Last-Event-ID` when
    /// reconnecting.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    fn new(
        body: impl Stream<Item = reqwest::Result<Bytes>> + Send + 'static,
        limit: u64,
        idle: Duration,
        state: ClientState,
        op: &'static Operation,
    ) -> EventStream<T> {
        let pending = Arc::new(AtomicU64::new(0));
        let feed: Feed = Box::pin(Utf8Feed {
            body: Box::pin(body),
            carry: Vec::new(),
            pending: pending.clone(),
            limit,
            idle,
            silence: Box::pin(tokio::time::sleep(idle)),
            ended: false,
        });
        EventStream {
            parsed: Some(feed.eventsource()),
            pending,
            last_event_id: None,
            state,
            op,
            _type: std::marker::PhantomData,
        }
    }

    fn fail(&self, kind: ErrorKind, message: String) -> Error {
        Error::new(kind, message)
            .redact(self.state.0.secrets())
            .with_operation(self.op.id)
    }
}

impl<T: DeserializeOwned> EventStream<T> {
    fn decode(&self, event: eventsource_stream::Event) -> Result<Event<T>, Error> {
        let data = match serde_json::from_str::<T>(&event.data) {
            Ok(value) => Data::Json(value),
            Err(e) if is_json(&event.data) => {
                return Err(self
                    .fail(
                        ErrorKind::InvalidResponse,
                        format!(
                            "the data of an `{}` event does not decode: {e}",
                            event.event
                        ),
                    )
                    .with_source(e));
            }
            Err(_) => Data::Text(event.data),
        };
        Ok(Event {
            event: event.event,
            id: (!event.id.is_empty()).then_some(event.id),
            retry: event.retry,
            data,
        })
    }
}

fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin: the parser is boxed.
        let this = self.get_mut();
        let Some(parsed) = this.parsed.as_mut() else {
            return Poll::Ready(None);
        };
        let item = match Pin::new(parsed).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(item) => item,
        };
        match item {
            Some(Ok(event)) => {
                this.pending.store(0, Ordering::Relaxed);
                if !event.id.is_empty() {
                    this.last_event_id = Some(event.id.clone());
                }
                if event.data == DONE {
                    // Dropping the parser closes the connection.
                    this.parsed = None;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(this.decode(event)))
            }
            Some(Err(e)) => {
                this.parsed = None;
                Poll::Ready(Some(Err(this.stream_error(e))))
            }
            None => {
                this.parsed = None;
                Poll::Ready(None)
            }
        }
    }
}

impl<T> EventStream<T> {
    fn stream_error(&self, e: EventStreamError<FeedError>) -> Error {
        match e {
            EventStreamError::Transport(FeedError::Transport(e)) => {
                let (kind, what) = if e.is_timeout() {
                    (ErrorKind::Timeout, "the event stream timed out")
                } else {
                    (ErrorKind::Connection, "the event stream broke off")
                };
                self.fail(kind, what.to_owned()).with_source(e)
            }
            EventStreamError::Transport(FeedError::Silent(idle)) => self.fail(
                ErrorKind::Timeout,
                format!(
                    "the event stream sent nothing for {idle:?} (the client's timeout); \
                     it was closed"
                ),
            ),
            EventStreamError::Transport(FeedError::TooLarge(limit)) => self.fail(
                ErrorKind::ResponseTooLarge,
                format!(
                    "the event stream sent more than the client's max_response_bytes \
                     of {limit} without completing an event; it was closed"
                ),
            ),
            // The feed is valid UTF-8 and the grammar accepts any line:
            // neither can happen, but they are values, not panics.
            EventStreamError::Utf8(e) => self
                .fail(ErrorKind::InvalidResponse, format!("the event stream: {e}"))
                .with_source(e),
            EventStreamError::Parser(e) => self.fail(
                ErrorKind::InvalidResponse,
                format!("the event stream does not parse: {e:?}"),
            ),
        }
    }
}

/// The body as UTF-8 text: a character split across chunks is carried to
/// the next one; invalid bytes become U+FFFD.
struct Utf8Feed {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    /// The start of a character whose end has not arrived (at most 3 bytes).
    carry: Vec<u8>,
    pending: Arc<AtomicU64>,
    limit: u64,
    /// The longest silence between two chunks.
    idle: Duration,
    silence: Pin<Box<tokio::time::Sleep>>,
    ended: bool,
}

impl Stream for Utf8Feed {
    type Item = Result<String, FeedError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match this.body.as_mut().poll_next(cx) {
            Poll::Pending => match this.silence.as_mut().poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(()) => {
                    this.ended = true;
                    Poll::Ready(Some(Err(FeedError::Silent(this.idle))))
                }
            },
            Poll::Ready(Some(Ok(chunk))) => {
                let next = tokio::time::Instant::now() + this.idle;
                this.silence.as_mut().reset(next);
                let fed = this
                    .pending
                    .fetch_add(chunk.len() as u64, Ordering::Relaxed)
                    + chunk.len() as u64;
                if fed > this.limit {
                    this.ended = true;
                    return Poll::Ready(Some(Err(FeedError::TooLarge(this.limit))));
                }
                Poll::Ready(Some(Ok(decode_utf8(&mut this.carry, &chunk))))
            }
            Poll::Ready(Some(Err(e))) => {
                this.ended = true;
                Poll::Ready(Some(Err(FeedError::Transport(e))))
            }
            Poll::Ready(None) => {
                this.ended = true;
                if this.carry.is_empty() {
                    Poll::Ready(None)
                } else {
                    // A character the body never finished.
                    this.carry.clear();
                    Poll::Ready(Some(Ok(char::REPLACEMENT_CHARACTER.to_string())))
                }
            }
        }
    }
}

/// Decodes `carry` + `chunk`, keeping an unfinished last character in
/// `carry`.
fn decode_utf8(carry: &mut Vec<u8>, chunk: &[u8]) -> String {
    let joined;
    let mut rest: &[u8] = if carry.is_empty() {
        chunk
    } else {
        carry.extend_from_slice(chunk);
        joined = std::mem::take(carry);
        &joined
    };
    let mut out = String::with_capacity(rest.len());
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return out;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(&String::from_utf8_lossy(valid));
                match e.error_len() {
                    None => {
                        carry.extend_from_slice(after);
                        return out;
                    }
                    Some(n) => {
                        out.push(char::REPLACEMENT_CHARACTER);
                        rest = &after[n..];
                    }
                }
            }
        }
    }
}

/// Sends a request whose success body is `text/event-stream` with events
/// whose data is JSON of type `T` (the generated code passes the type of
/// the media type's schema, `serde_json::Value` when the spec gives none
/// or describes the stream as a string: then any JSON decodes and
/// everything else is [`Data::Text`]).
///
/// Retries, the key, timeouts and error statuses are as for every call;
/// once the `200` arrives the events are items of the stream and nothing
/// is retried. `Accept: text/event-stream` is set when the request has no
/// `Accept`. A success response of another content type is an
/// [`InvalidResponse`](ErrorKind::InvalidResponse) error. The client's
/// [`timeout`](crate::ClientBuilder::timeout) covers the wait for the
/// response headers, then the silence between two chunks of the stream
/// (servers send `:` comments to keep a quiet stream alive): a stream may
/// last as long as the server keeps it going.
pub async fn send_sse<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    request: Request,
) -> Result<ResponseValue<EventStream<T>>, Error> {
    sse(client, op, options, Built::new(with_accept(request))).await
}

/// Like [`send_sse`], with a closure that builds the request per attempt.
pub async fn send_sse_with<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    mut build: impl FnMut() -> Result<Request, Error>,
) -> Result<ResponseValue<EventStream<T>>, Error> {
    sse(
        client,
        op,
        options,
        Rebuild(move || build().map(with_accept)),
    )
    .await
}

fn with_accept(mut request: Request) -> Request {
    request
        .headers_mut()
        .entry(ACCEPT)
        .or_insert(HeaderValue::from_static("text/event-stream"));
    request
}

async fn sse<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    source: impl RequestSource,
) -> Result<ResponseValue<EventStream<T>>, Error> {
    let state = client.inner();
    let reply = execute_events(client.client(), state, op, options, source).await?;
    let Some(response) = reply.response else {
        return Err(
            Error::new(ErrorKind::InvalidResponse, "no response to stream").with_operation(op.id),
        );
    };
    let (status, headers) = (response.status(), response.headers().clone());
    if let Some(kind) = headers.get(CONTENT_TYPE)
        && !is_event_stream(kind)
    {
        let message = format!(
            "the response is `{}`, not an event stream",
            String::from_utf8_lossy(kind.as_bytes())
        );
        return Err(Error::new(ErrorKind::InvalidResponse, message)
            .with_response(status, headers, None)
            .redact(state.0.secrets())
            .with_operation(op.id)
            .with_request_id_header(op.request_id_header)
            .with_attempts(reply.attempts));
    }
    // A per-call timeout bounds the silence between chunks too.
    let idle = options.timeout_override().unwrap_or(state.0.timeout);
    let limit = state.0.max_response_bytes;
    let events = EventStream::new(response.bytes_stream(), limit, idle, state.clone(), op);
    Ok(ResponseValue::new(events, status, headers))
}

fn is_event_stream(value: &HeaderValue) -> bool {
    let essence = value
        .as_bytes()
        .split(|b| *b == b';')
        .next()
        .unwrap_or_default();
    essence
        .trim_ascii()
        .eq_ignore_ascii_case(b"text/event-stream")
}

#[cfg(test)]
mod tests {
    use super::decode_utf8;

    #[test]
    fn a_character_split_across_chunks_is_carried_over() {
        let text = "é→🦀";
        let bytes = text.as_bytes();
        for split in 0..=bytes.len() {
            let mut carry = Vec::new();
            let mut out = decode_utf8(&mut carry, &bytes[..split]);
            out += &decode_utf8(&mut carry, &bytes[split..]);
            assert_eq!(out, text, "split at {split}");
            assert!(carry.is_empty());
        }
        // One byte at a time.
        let mut carry = Vec::new();
        let out: String = bytes
            .iter()
            .map(|b| decode_utf8(&mut carry, &[*b]))
            .collect();
        assert_eq!(out, text);
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut carry = Vec::new();
        assert_eq!(decode_utf8(&mut carry, b"a\xffb\xc3"), "a\u{fffd}b");
        assert_eq!(carry, b"\xc3");
        assert_eq!(decode_utf8(&mut carry, b"("), "\u{fffd}(");
        assert!(carry.is_empty());
    }
}
