//! The runtime the generated code calls into.
//!
//! Every generated builder's `send()` builds its `reqwest::Request` (as
//! progenitor wrote it) and hands it to [`send_json`], [`send_empty`],
//! [`send_stream`] or [`send_upgrade`] together with the operation's entry
//! in the generated `operations` table. Everything a call needs beyond
//! building the request lives here: the key check, `Authorization` and
//! `User-Agent`, the per-attempt timeout, retries with backoff, reading and
//! classifying error responses (with the key redacted from whatever the
//! server repeats, see [`REDACTED`](crate::REDACTED)), and the tracing span.
//!
//! This module is public so that code generated into another crate (for
//! example by `cargo xtask corpus`) can use it; applications use
//! [`Client`](crate::Client) and never call it directly.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Request, Response, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};

pub use crate::error::Error;
use crate::error::{ErrorBody, ErrorKind};
use crate::key::ApiKey;
pub use crate::key::KeyKind;
use crate::retry::{Backoff, Wait, is_retryable_status};

/// One operation of the API, as the generated `operations` table lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's operationId, e.g. `updateCharacter`.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template, e.g. `/v1/characters/{id}`.
    pub path: &'static str,
    /// Key kinds the operation accepts (from the spec's security
    /// requirements); empty when it needs no key.
    pub keys: &'static [KeyKind],
}

/// The configuration a [`Client`](crate::Client) carries; cheap to clone
/// (one `Arc`).
#[derive(Clone)]
pub struct ClientState(pub(crate) Arc<Settings>);

pub(crate) struct Settings {
    pub api_key: Option<ApiKey>,
    pub max_retries: u32,
    pub timeout: Duration,
    /// The connect timeout our own `reqwest::Client` was built with; `None`
    /// with a caller's client (whose own setting applies).
    pub connect_timeout: Option<Duration>,
    /// Whether the timeout must be set on each request: a caller's own
    /// `reqwest::Client` does not have ours configured.
    pub timeout_per_request: bool,
    pub backoff: Backoff,
    pub user_agent: HeaderValue,
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        f.debug_struct("ClientState")
            .field("api_key", &s.api_key)
            .field("max_retries", &s.max_retries)
            .field("timeout", &s.timeout)
            .field("connect_timeout", &s.connect_timeout)
            .field("backoff", &s.backoff)
            .field("user_agent", &s.user_agent)
            .finish()
    }
}

/// The `x-request-id` header, if present and text.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

/// Request ids of successful responses.
pub trait ResponseExt {
    /// The `x-request-id` header of the response.
    fn request_id(&self) -> Option<&str>;
}

impl<T> ResponseExt for ResponseValue<T> {
    fn request_id(&self) -> Option<&str> {
        request_id(self.headers())
    }
}

/// Sends a request whose success body is JSON of type `T`.
pub async fn send_json<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    request: Request,
) -> Result<ResponseValue<T>, Error> {
    let state = client.inner();
    decode_json(
        op,
        state,
        execute(client.client(), state, op, Built::new(request), true).await?,
    )
}

/// Like [`send_json`], with a closure that builds the request, called once
/// per attempt: nothing is copied when the first attempt succeeds.
pub async fn send_json_with<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    build: impl FnMut() -> Result<Request, Error>,
) -> Result<ResponseValue<T>, Error> {
    let state = client.inner();
    decode_json(
        op,
        state,
        execute(client.client(), state, op, Rebuild(build), true).await?,
    )
}

fn decode_json<T: DeserializeOwned>(
    op: &'static Operation,
    state: &ClientState,
    reply: Reply,
) -> Result<ResponseValue<T>, Error> {
    let (status, headers, attempts) = (reply.status, reply.headers, reply.attempts);
    let body = reply.body.unwrap_or_default();
    // No body reads as JSON `null`: a success type that allows a response
    // without one (codegen makes it an `Option`) decodes it as `None`.
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &body
    };
    match serde_json::from_slice::<T>(json) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(e) => Err(Error::new(
            ErrorKind::InvalidResponse,
            format!("the response body does not decode: {e}"),
        )
        .with_source(e)
        .with_response(status, headers, Some(cap_body(&body)))
        // serde's message may quote a value of the body.
        .redact(state.0.api_key.as_ref())
        .with_operation(op.id)
        .with_attempts(attempts)),
    }
}

/// Sends a request whose success response has no body.
pub async fn send_empty(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    request: Request,
) -> Result<ResponseValue<()>, Error> {
    let reply = execute(
        client.client(),
        client.inner(),
        op,
        Built::new(request),
        true,
    )
    .await?;
    Ok(ResponseValue::new((), reply.status, reply.headers))
}

/// Like [`send_empty`], with a closure that builds the request per attempt.
pub async fn send_empty_with(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    build: impl FnMut() -> Result<Request, Error>,
) -> Result<ResponseValue<()>, Error> {
    let reply = execute(client.client(), client.inner(), op, Rebuild(build), true).await?;
    Ok(ResponseValue::new((), reply.status, reply.headers))
}

/// Sends a request whose success body is streamed to the caller. Retries
/// cover failures before the response headers arrive.
pub async fn send_stream(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    request: Request,
) -> Result<ResponseValue<ByteStream>, Error> {
    let response = send_unread(client, op, request, "stream").await?;
    Ok(ResponseValue::stream(response))
}

/// Sends `request` and hands back the success response unread, for
/// [`send_stream`] and [`send_upgrade`]. Retries cover failures before the
/// response headers arrive.
async fn send_unread(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    request: Request,
    purpose: &str,
) -> Result<reqwest::Response, Error> {
    let reply = execute(
        client.client(),
        client.inner(),
        op,
        Built::new(request),
        false,
    )
    .await?;
    reply.response.ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("no response to {purpose}"),
        )
        .with_operation(op.id)
    })
}

/// A required parameter of a generated builder: its value, or an
/// `InvalidRequest` error naming the setter that was not called (nothing
/// is sent).
#[doc(hidden)]
pub fn required<T>(value: Option<T>, name: &'static str) -> Result<T, Error> {
    value.ok_or_else(|| Error::invalid_request(format!("{name} was not set")))
}

/// Sends a request that upgrades the connection (status 101).
pub async fn send_upgrade(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    request: Request,
) -> Result<ResponseValue<reqwest::Upgraded>, Error> {
    let state = client.inner();
    let response = send_unread(client, op, request, "upgrade").await?;
    let (status, headers) = (response.status(), response.headers().clone());
    if status != StatusCode::SWITCHING_PROTOCOLS {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            "the server did not switch protocols",
        )
        .with_response(status, headers, None)
        .redact(state.0.api_key.as_ref())
        .with_operation(op.id));
    }
    let upgraded = response.upgrade().await.map_err(|e| {
        Error::new(ErrorKind::Connection, "the connection upgrade failed")
            .with_source(e)
            .with_operation(op.id)
    })?;
    Ok(ResponseValue::new(upgraded, status, headers))
}

/// A successful response: its body read (when asked) or the response kept
/// for streaming.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Option<Bytes>,
    response: Option<Response>,
    attempts: u32,
}

/// What one attempt came to.
enum Attempt {
    Done(Reply),
    /// A failure, and whether another attempt may succeed; `headers` of a
    /// response may carry `Retry-After`.
    Failed {
        error: Error,
        retryable: bool,
        headers: Option<HeaderMap>,
    },
}

/// Where each attempt's request comes from.
trait RequestSource {
    /// The request for the next attempt; `None` when no other can be made
    /// (a body that cannot be copied was already sent). `more` says whether
    /// another attempt may follow this one.
    fn next_request(&mut self, more: bool) -> Option<Result<Request, Error>>;
}

/// A request built once: sent as is, and copied first when another attempt
/// may follow (a streaming body cannot be copied: then there is none).
struct Built {
    request: Option<Request>,
}

impl Built {
    fn new(request: Request) -> Built {
        Built {
            request: Some(request),
        }
    }
}

impl RequestSource for Built {
    fn next_request(&mut self, more: bool) -> Option<Result<Request, Error>> {
        let current = self.request.take()?;
        if more {
            self.request = current.try_clone();
        }
        Some(Ok(current))
    }
}

/// A request built afresh for every attempt by the generated code.
struct Rebuild<F>(F);

impl<F: FnMut() -> Result<Request, Error>> RequestSource for Rebuild<F> {
    fn next_request(&mut self, _more: bool) -> Option<Result<Request, Error>> {
        Some((self.0)())
    }
}

/// The key check, then the attempt loop.
async fn execute(
    http: &reqwest::Client,
    state: &ClientState,
    op: &'static Operation,
    source: impl RequestSource,
    read_body: bool,
) -> Result<Reply, Error> {
    let settings = &state.0;
    let authorization = authorize(settings, op)?;
    let span = tracing::debug_span!(
        "alakazam.request",
        operation = op.id,
        method = op.method,
        path = op.path,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let call = Call {
        http,
        settings,
        op,
        authorization,
        read_body,
    };
    // Without a subscriber the span is disabled: skip entering it on every
    // poll (measurable on a loopback round trip).
    if span.is_disabled() {
        call.attempts(source, &span).await
    } else {
        let fields = span.clone();
        call.attempts(source, &fields).instrument(span).await
    }
}

/// What every attempt of one call shares.
struct Call<'a> {
    http: &'a reqwest::Client,
    settings: &'a Settings,
    op: &'static Operation,
    authorization: Option<&'a HeaderValue>,
    read_body: bool,
}

impl Call<'_> {
    /// Adds what the runtime owns to a request: key, user agent, timeout.
    fn prepare(&self, request: &mut Request) {
        let headers = request.headers_mut();
        if let Some(value) = self.authorization {
            headers.insert(AUTHORIZATION, value.clone());
        }
        headers.insert(USER_AGENT, self.settings.user_agent.clone());
        if self.settings.timeout_per_request {
            // A caller's own reqwest::Client does not have our timeout.
            *request.timeout_mut() = Some(self.settings.timeout);
        }
    }

    /// The attempt loop: retries, backoff, and what the span records.
    async fn attempts(
        &self,
        mut source: impl RequestSource,
        span: &tracing::Span,
    ) -> Result<Reply, Error> {
        let (settings, op) = (self.settings, self.op);
        let mut attempts = 0u32;
        let mut last_error: Option<Error> = None;
        loop {
            attempts += 1;
            let more = attempts <= settings.max_retries;
            let mut current = match source.next_request(more) {
                Some(Ok(request)) => request,
                Some(Err(e)) => {
                    return Err(e.with_operation(op.id).with_attempts(attempts - 1));
                }
                // A body that cannot be sent again: the previous failure stands.
                None => {
                    return Err(last_error.unwrap_or_else(|| {
                        Error::new(
                            ErrorKind::InvalidRequest,
                            "the request cannot be sent again",
                        )
                        .with_operation(op.id)
                    }));
                }
            };
            self.prepare(&mut current);
            let started = Instant::now();
            record(span, "attempt", u64::from(attempts));
            let outcome = attempt(self.http, current, self.read_body).await;
            record(span, "latency_ms", started.elapsed().as_millis() as u64);
            match outcome {
                Attempt::Done(mut reply) => {
                    record(span, "status", u64::from(reply.status.as_u16()));
                    tracing::debug!("succeeded");
                    reply.attempts = attempts;
                    return Ok(reply);
                }
                Attempt::Failed {
                    error,
                    retryable,
                    headers,
                } => {
                    if let Some(status) = error.status() {
                        record(span, "status", u64::from(status.as_u16()));
                    }
                    // Before anything logs it: the response may repeat the key.
                    let error = error
                        .redact(settings.api_key.as_ref())
                        .with_operation(op.id)
                        .with_attempts(attempts);
                    if !retryable || !more {
                        tracing::debug!(error = %error, "failed");
                        return Err(error);
                    }
                    match settings
                        .backoff
                        .wait(attempts, headers.as_ref(), SystemTime::now())
                    {
                        Wait::Retry(delay) => {
                            tracing::debug!(error = %error, delay_ms = delay.as_millis() as u64, "retrying");
                            last_error = Some(error);
                            tokio::time::sleep(delay).await;
                        }
                        Wait::TooLong(delay) => {
                            tracing::debug!(error = %error, retry_after_s = delay.as_secs(), "server asks to wait too long; giving up");
                            return Err(error);
                        }
                    }
                }
            }
        }
    }
}

/// Records a field of the call's span, when it is enabled.
fn record(span: &tracing::Span, field: &str, value: u64) {
    if !span.is_disabled() {
        span.record(field, value);
    }
}

/// The `Authorization` value for `op`, or a refusal before anything is sent.
fn authorize<'a>(settings: &'a Settings, op: &Operation) -> Result<Option<&'a HeaderValue>, Error> {
    if op.keys.is_empty() {
        return Ok(None);
    }
    let Some(key) = &settings.api_key else {
        return Err(Error::new(
            ErrorKind::Configuration,
            format!("`{}` needs an API key and the client has none", op.id),
        )
        .with_operation(op.id));
    };
    if !op.keys.contains(&key.kind()) {
        let accepted: Vec<String> = op.keys.iter().map(ToString::to_string).collect();
        return Err(Error::new(
            ErrorKind::KeyNotAllowed,
            format!(
                "`{}` cannot be called with a {}; it needs a {}",
                op.id,
                key.kind(),
                accepted.join(" or ")
            ),
        )
        .with_operation(op.id));
    }
    Ok(Some(key.authorization()))
}

async fn attempt(http: &reqwest::Client, request: Request, read_body: bool) -> Attempt {
    let mut response = match http.execute(request).await {
        Ok(r) => r,
        Err(e) => return transport_failure(e),
    };
    let status = response.status();
    if status.is_success() || status == StatusCode::SWITCHING_PROTOCOLS {
        if !read_body {
            return Attempt::Done(Reply {
                status,
                headers: HeaderMap::new(),
                body: None,
                response: Some(response),
                attempts: 0,
            });
        }
        // Read before taking the headers: a body that breaks off is a
        // transport failure, retried like one.
        return match read_all(&mut response).await {
            Ok(body) => Attempt::Done(Reply {
                status,
                headers: std::mem::take(response.headers_mut()),
                body: Some(body),
                response: None,
                attempts: 0,
            }),
            Err(e) => transport_failure(e),
        };
    }
    let headers = std::mem::take(response.headers_mut());
    let body = read_capped(response).await;
    let error = Error::new(ErrorKind::from_status(status), String::new()).with_response(
        status,
        headers.clone(),
        body,
    );
    Attempt::Failed {
        error,
        retryable: is_retryable_status(status),
        headers: Some(headers),
    }
}

/// The whole body; a body in one chunk is not copied.
async fn read_all(response: &mut Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut buf = bytes::BytesMut::with_capacity(first.len() + second.len());
    buf.extend_from_slice(&first);
    buf.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

fn transport_failure(e: reqwest::Error) -> Attempt {
    let (kind, message) = if e.is_timeout() {
        (ErrorKind::Timeout, "the request timed out")
    } else if e.is_builder() {
        (ErrorKind::InvalidRequest, "the request could not be built")
    } else {
        (ErrorKind::Connection, "the connection failed")
    };
    Attempt::Failed {
        retryable: kind != ErrorKind::InvalidRequest,
        error: Error::new(kind, message).with_source(e),
        headers: None,
    }
}

/// Reads at most [`ErrorBody::LIMIT`] bytes of an error body. A body that
/// breaks off is kept as far as it came.
async fn read_capped(mut response: Response) -> Option<ErrorBody> {
    let mut buf = Vec::new();
    let mut truncated = false;
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = ErrorBody::LIMIT - buf.len();
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            truncated = true;
            break;
        }
        buf.extend_from_slice(&chunk);
    }
    (!buf.is_empty()).then(|| ErrorBody::new(&buf, truncated))
}

fn cap_body(body: &[u8]) -> ErrorBody {
    let truncated = body.len() > ErrorBody::LIMIT;
    ErrorBody::new(&body[..body.len().min(ErrorBody::LIMIT)], truncated)
}
