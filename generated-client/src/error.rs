//! The one error type of the SDK.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// What kind of failure an [`Error`] is. Match on this to decide what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the server rejected the request as malformed.
    BadRequest,
    /// 401: the API key is missing, wrong or revoked.
    Authentication,
    /// 403: the key may not do this.
    Permission,
    /// 404: no such resource.
    NotFound,
    /// 409: the request conflicts with the resource's state.
    Conflict,
    /// 422: the request was understood but its content is invalid.
    Unprocessable,
    /// 429: too many requests.
    RateLimited,
    /// 5xx: the server failed.
    Server,
    /// Another non-success status (405, 410, 3xx …).
    UnexpectedStatus,
    /// An attempt took longer than the configured timeout, or the server
    /// answered 408 Request Timeout (it gave up waiting for the request;
    /// then [`Error::status`] is `Some(408)`). Retried either way.
    Timeout,
    /// The connection failed or broke (DNS, refused, reset, closed early).
    Connection,
    /// The request could not be built (a missing or invalid parameter);
    /// nothing was sent.
    InvalidRequest,
    /// A success status whose body does not decode into the documented type.
    InvalidResponse,
    /// The client's key kind may not call this operation (a publishable key
    /// on a write); nothing was sent.
    KeyNotAllowed,
    /// The client is misconfigured (bad key, base URL or setting); nothing
    /// was sent.
    Configuration,
}

impl ErrorKind {
    /// The kind for an HTTP error status: 408 is [`Timeout`](ErrorKind::Timeout),
    /// a status no other kind names is
    /// [`UnexpectedStatus`](ErrorKind::UnexpectedStatus).
    pub fn from_status(status: StatusCode) -> ErrorKind {
        match status.as_u16() {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::Permission,
            404 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            409 => ErrorKind::Conflict,
            422 => ErrorKind::Unprocessable,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::UnexpectedStatus,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad request",
            ErrorKind::Authentication => "authentication failed",
            ErrorKind::Permission => "permission denied",
            ErrorKind::NotFound => "not found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unprocessable => "unprocessable request",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Server => "server error",
            ErrorKind::UnexpectedStatus => "unexpected status",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Connection => "connection failed",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::InvalidResponse => "invalid response payload",
            ErrorKind::KeyNotAllowed => "key not allowed for this operation",
            ErrorKind::Configuration => "invalid configuration",
        }
    }
}

/// A response body kept for an error: read up to [`ErrorBody::LIMIT`] bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorBody {
    /// The body as (lossy UTF-8) text.
    pub text: String,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<serde_json::Value>,
    /// Whether the body was longer than the limit and cut.
    pub truncated: bool,
}

impl ErrorBody {
    /// How much of an error body is kept.
    pub const LIMIT: usize = 64 * 1024;

    pub(crate) fn new(bytes: &[u8], truncated: bool) -> ErrorBody {
        ErrorBody {
            text: String::from_utf8_lossy(bytes).into_owned(),
            json: if truncated {
                None
            } else {
                serde_json::from_slice(bytes).ok()
            },
            truncated,
        }
    }
}

/// Why a call failed: its [`kind`](Error::kind), and whatever the server
/// said (status, `x-request-id`, body), plus how many attempts were made.
///
/// Neither `Display` nor `Debug` ever contains the API key.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    operation: Option<&'static str>,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    request_id: Option<String>,
    attempts: u32,
    body: Option<ErrorBody>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                operation: None,
                status: None,
                headers: None,
                request_id: None,
                attempts: 0,
                body: None,
                source: None,
            }),
        }
    }

    pub(crate) fn configuration(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Configuration, message)
    }

    /// Used by the generated builders for a missing or unconvertible
    /// parameter.
    #[doc(hidden)]
    pub fn invalid_request(message: String) -> Error {
        Error::new(ErrorKind::InvalidRequest, message)
    }

    pub(crate) fn with_operation(mut self, id: &'static str) -> Error {
        self.inner.operation = Some(id);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn with_source(
        mut self,
        e: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.inner.source = Some(Box::new(e));
        self
    }

    pub(crate) fn with_response(
        mut self,
        status: StatusCode,
        headers: HeaderMap,
        body: Option<ErrorBody>,
    ) -> Error {
        self.inner.request_id = crate::runtime::request_id(&headers).map(str::to_owned);
        self.inner.status = Some(status);
        self.inner.headers = Some(headers);
        self.inner.body = body;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The operation id (`updateCharacter`), when the error came from a call.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inner.headers.as_ref()
    }

    /// The `x-request-id` of the response, to quote to support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// How many requests were sent (0 when the call failed before sending).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// The response body, when a response with a body was received.
    pub fn body(&self) -> Option<&ErrorBody> {
        self.inner.body.as_ref()
    }

    /// The response body as text.
    pub fn body_text(&self) -> Option<&str> {
        self.inner.body.as_ref().map(|b| b.text.as_str())
    }

    /// The response body as JSON, when it parses.
    pub fn body_json(&self) -> Option<&serde_json::Value> {
        self.inner.body.as_ref().and_then(|b| b.json.as_ref())
    }

    /// Decodes the response body into a type of the caller's choosing.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.body_json().and_then(|v| T::deserialize(v).ok())
    }

    /// Whether the failure is transient (the statuses and transport errors
    /// the client itself retries).
    pub fn is_retryable(&self) -> bool {
        match self.inner.kind {
            ErrorKind::Timeout | ErrorKind::Connection => true,
            _ => self
                .inner
                .status
                .is_some_and(crate::retry::is_retryable_status),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        if let Some(op) = i.operation {
            write!(f, "{op}: ")?;
        }
        write!(f, "{}", i.kind.describe())?;
        if let Some(status) = i.status {
            write!(f, " (HTTP {status})")?;
        }
        if !i.message.is_empty() {
            write!(f, ": {}", i.message)?;
        }
        if let Some(id) = &i.request_id {
            write!(f, " [request id {id}]")?;
        }
        if i.attempts > 1 {
            write!(f, " after {} attempts", i.attempts)?;
        }
        if let Some(body) = &i.body {
            let text = body.text.trim();
            if !text.is_empty() {
                let shown: String = text.chars().take(200).collect();
                let more = if shown.len() < text.len() { "…" } else { "" };
                write!(f, "; body: {shown}{more}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Error")
            .field("kind", &i.kind)
            .field("message", &i.message)
            .field("operation", &i.operation)
            .field("status", &i.status)
            .field("request_id", &i.request_id)
            .field("attempts", &i.attempts)
            .field("body", &i.body.as_ref().map(|b| &b.text))
            .field("source", &i.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|e| e.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// `.build()?` in the generated builders: the request could not be built.
impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::new(ErrorKind::InvalidRequest, "the request could not be built").with_source(e)
    }
}

/// A header parameter whose value cannot be sent.
impl From<reqwest::header::InvalidHeaderValue> for Error {
    fn from(e: reqwest::header::InvalidHeaderValue) -> Self {
        Error::new(
            ErrorKind::InvalidRequest,
            "a header parameter is not a valid header value",
        )
        .with_source(e)
    }
}

/// Errors of progenitor's request helpers (form bodies).
impl<E> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Self {
        let message = match e {
            progenitor_client::Error::InvalidRequest(m) | progenitor_client::Error::Custom(m) => m,
            _ => "the request could not be built".to_owned(),
        };
        Error::new(ErrorKind::InvalidRequest, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        for (status, kind) in [
            (400, ErrorKind::BadRequest),
            (401, ErrorKind::Authentication),
            (403, ErrorKind::Permission),
            (404, ErrorKind::NotFound),
            (408, ErrorKind::Timeout),
            (409, ErrorKind::Conflict),
            (422, ErrorKind::Unprocessable),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (599, ErrorKind::Server),
            (301, ErrorKind::UnexpectedStatus),
            (405, ErrorKind::UnexpectedStatus),
            (418, ErrorKind::UnexpectedStatus),
        ] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(ErrorKind::from_status(status), kind, "{status}");
        }
    }
}
