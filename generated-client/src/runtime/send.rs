//! The entry points the generated builders' `send()` calls, one per kind
//! of success body.

use bytes::Bytes;
use reqwest::{Request, StatusCode};
use serde::de::DeserializeOwned;

use progenitor_client::{ByteStream, ClientInfo, ResponseValue};

use super::attempts::{Reply, execute};
use super::operation::Operation;
use super::options::RequestOptions;
use super::source::{Built, Rebuild};
use super::state::ClientState;
use crate::error::{Error, ErrorBody, ErrorKind};

/// Sends a request whose success body is JSON of type `T`.
pub async fn send_json<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    request: Request,
) -> Result<ResponseValue<T>, Error> {
    let state = client.inner();
    decode_json(
        op,
        state,
        execute(
            client.client(),
            state,
            op,
            options,
            Built::new(request),
            true,
        )
        .await?,
    )
}

/// Like [`send_json`], with a closure that builds the request, called once
/// per attempt: nothing is copied when the first attempt succeeds.
pub async fn send_json_with<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    build: impl FnMut() -> Result<Request, Error>,
) -> Result<ResponseValue<T>, Error> {
    let state = client.inner();
    decode_json(
        op,
        state,
        execute(client.client(), state, op, options, Rebuild(build), true).await?,
    )
}

pub(super) fn decode_json<T: DeserializeOwned>(
    op: &Operation,
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
        .with_response(status, headers, Some(ErrorBody::capped(&body)))
        // serde's message may quote a value of the body.
        .redact(state.0.secrets())
        .with_operation(op.id)
        .with_request_id_header(op.request_id_header)
        .with_attempts(attempts)),
    }
}

/// Sends a request whose success response has no body.
pub async fn send_empty(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    request: Request,
) -> Result<ResponseValue<()>, Error> {
    let reply = execute(
        client.client(),
        client.inner(),
        op,
        options,
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
    options: &RequestOptions,
    build: impl FnMut() -> Result<Request, Error>,
) -> Result<ResponseValue<()>, Error> {
    let reply = execute(
        client.client(),
        client.inner(),
        op,
        options,
        Rebuild(build),
        true,
    )
    .await?;
    Ok(ResponseValue::new((), reply.status, reply.headers))
}

/// Sends a request whose success body is binary and reads it whole, at
/// most the client's
/// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes) (else
/// [`ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge)). A body that
/// breaks off is retried like any transport failure. For bodies of any
/// size, [`send_stream`].
pub async fn send_bytes(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    request: Request,
) -> Result<ResponseValue<Bytes>, Error> {
    let reply = execute(
        client.client(),
        client.inner(),
        op,
        options,
        Built::new(request),
        true,
    )
    .await?;
    Ok(whole(reply))
}

/// Like [`send_bytes`], with a closure that builds the request per attempt.
pub async fn send_bytes_with(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    build: impl FnMut() -> Result<Request, Error>,
) -> Result<ResponseValue<Bytes>, Error> {
    let reply = execute(
        client.client(),
        client.inner(),
        op,
        options,
        Rebuild(build),
        true,
    )
    .await?;
    Ok(whole(reply))
}

fn whole(reply: Reply) -> ResponseValue<Bytes> {
    ResponseValue::new(reply.body.unwrap_or_default(), reply.status, reply.headers)
}

/// Sends a request whose success body is streamed to the caller, however
/// long: nothing is buffered, so
/// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes) does
/// not apply. Retries cover failures before the response headers arrive
/// (an error status is read, capped, and retried like any other); a body
/// that breaks off later is an `Err` item of the stream. The client's
/// [`timeout`](crate::ClientBuilder::timeout) covers the whole body too:
/// a download slower than it ends with a timeout item.
pub async fn send_stream(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    request: Request,
) -> Result<ResponseValue<ByteStream>, Error> {
    let response = send_unread(client, op, options, request, "stream").await?;
    Ok(ResponseValue::stream(response))
}

/// Sends `request` and hands back the success response unread, for
/// [`send_stream`] and [`send_upgrade`]. Retries cover failures before the
/// response headers arrive.
async fn send_unread(
    client: &impl ClientInfo<ClientState>,
    op: &'static Operation,
    options: &RequestOptions,
    request: Request,
    purpose: &str,
) -> Result<reqwest::Response, Error> {
    let reply = execute(
        client.client(),
        client.inner(),
        op,
        options,
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
    options: &RequestOptions,
    request: Request,
) -> Result<ResponseValue<reqwest::Upgraded>, Error> {
    let state = client.inner();
    let response = send_unread(client, op, options, request, "upgrade").await?;
    let (status, headers) = (response.status(), response.headers().clone());
    if status != StatusCode::SWITCHING_PROTOCOLS {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            "the server did not switch protocols",
        )
        .with_response(status, headers, None)
        .redact(state.0.secrets())
        .with_operation(op.id)
        .with_request_id_header(op.request_id_header));
    }
    let upgraded = response.upgrade().await.map_err(|e| {
        Error::new(ErrorKind::Connection, "the connection upgrade failed")
            .with_source(e)
            .with_operation(op.id)
    })?;
    Ok(ResponseValue::new(upgraded, status, headers))
}
