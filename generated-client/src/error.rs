//! The one error type of the SDK.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::key::ApiKey;

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
    /// Every kind, in declaration order (for tables and exhaustive tests).
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::BadRequest,
        ErrorKind::Authentication,
        ErrorKind::Permission,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Unprocessable,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::UnexpectedStatus,
        ErrorKind::Timeout,
        ErrorKind::Connection,
        ErrorKind::InvalidRequest,
        ErrorKind::InvalidResponse,
        ErrorKind::KeyNotAllowed,
        ErrorKind::Configuration,
    ];

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

/// What replaces the client's API key wherever a response repeats it.
///
/// A server may echo the key it was sent (`401 bad token sk_live_…`). Before
/// an [`Error`] is returned or logged, every occurrence of the key in what
/// came from the response — the body's text and JSON (strings and object
/// keys), the headers, the `x-request-id`, and messages and sources derived
/// from the body (a decoding error quoting a value) — is replaced by this
/// marker. The key is matched as sent, with `/` escaped as `\/` (JSON) and
/// percent-encoded; a key cut off by the body limit is redacted too.
pub const REDACTED: &str = "[redacted]";

/// A response body kept for an error: read up to [`ErrorBody::LIMIT`] bytes.
/// The API key never appears in it (see [`REDACTED`]).
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
/// Neither `Display` nor `Debug` ever contains the API key, nor does
/// anything it holds from the response: a key the server repeats is
/// replaced by [`REDACTED`].
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

    /// Replaces every occurrence of `key` in what this error holds from the
    /// response (body text and JSON, headers, request id), in its message
    /// and in its sources (a source that mentions the key is replaced by
    /// its redacted text). Called before the error is logged or returned.
    pub(crate) fn redact(mut self, key: Option<&ApiKey>) -> Error {
        let Some(key) = key else {
            return self;
        };
        let r = Redactor::new(key.expose_secret());
        let i = &mut *self.inner;
        r.string(&mut i.message);
        if let Some(id) = &mut i.request_id {
            r.string(id);
        }
        if let Some(headers) = &mut i.headers {
            r.headers(headers);
        }
        if let Some(body) = &mut i.body {
            r.string(&mut body.text);
            if body.truncated {
                r.cut_tail(&mut body.text);
            }
            if let Some(json) = &mut body.json {
                r.json(json);
                // The text may spell the key in a way only JSON decodes
                // (`\u0073k_…`): then the text is the redacted JSON.
                if serde_json::from_str::<serde_json::Value>(&body.text)
                    .ok()
                    .as_ref()
                    != Some(json)
                {
                    body.text = json.to_string();
                }
            }
        }
        if let Some(source) = &i.source
            && r.chain_mentions(source.as_ref())
        {
            i.source = Some(Box::new(Scrubbed::of(source.as_ref(), &r)));
        }
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

/// Finds and replaces one key, in the forms a response may carry it.
struct Redactor {
    /// The key as sent first, then its escaped forms.
    needles: Vec<String>,
}

impl Redactor {
    fn new(key: &str) -> Redactor {
        let mut needles = vec![key.to_owned()];
        let escaped = [
            key.replace('/', "\\/"),
            percent_encode(key, true),
            percent_encode(key, false),
        ];
        for form in escaped {
            if !needles.contains(&form) {
                needles.push(form);
            }
        }
        Redactor { needles }
    }

    fn mentioned_in(&self, text: &str) -> bool {
        self.needles.iter().any(|n| text.contains(n.as_str()))
    }

    /// `text` with the key replaced, when it holds it.
    fn replaced(&self, text: &str) -> Option<String> {
        if !self.mentioned_in(text) {
            return None;
        }
        let mut out = text.to_owned();
        for needle in &self.needles {
            out = out.replace(needle.as_str(), REDACTED);
        }
        Some(out)
    }

    fn string(&self, text: &mut String) {
        if let Some(out) = self.replaced(text) {
            *text = out;
        }
    }

    /// A body cut at the limit may end inside the key: a tail that is the
    /// start of the key, longer than its kind prefix (`sk_`), goes too.
    fn cut_tail(&self, text: &mut String) {
        let key = self.needles[0].as_str();
        let prefix = key.len().min(3);
        let cut = (prefix + 1..key.len())
            .rev()
            .find(|&n| key.is_char_boundary(n) && text.ends_with(&key[..n]));
        if let Some(n) = cut {
            text.truncate(text.len() - n);
            text.push_str(REDACTED);
        }
    }

    fn json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => self.string(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            Value::Object(map) => {
                if map.keys().any(|k| self.mentioned_in(k)) {
                    *map = std::mem::take(map)
                        .into_iter()
                        .map(|(k, v)| (self.replaced(&k).unwrap_or(k), v))
                        .collect();
                }
                map.values_mut().for_each(|v| self.json(v));
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn headers(&self, headers: &mut HeaderMap) {
        for value in headers.values_mut() {
            let text = String::from_utf8_lossy(value.as_bytes());
            if let Some(out) = self.replaced(&text) {
                // A value that is not text goes whole.
                *value = match value.to_str() {
                    Ok(_) => HeaderValue::try_from(out)
                        .unwrap_or_else(|_| HeaderValue::from_static(REDACTED)),
                    Err(_) => HeaderValue::from_static(REDACTED),
                };
            }
        }
    }

    /// Whether `e` or any of its sources shows the key.
    fn chain_mentions(&self, e: &(dyn std::error::Error + 'static)) -> bool {
        let mut current = Some(e);
        while let Some(e) = current {
            if self.mentioned_in(&e.to_string()) || self.mentioned_in(&format!("{e:?}")) {
                return true;
            }
            current = e.source();
        }
        false
    }
}

/// `+`, `/` and `=` percent-encoded (the key's other characters are
/// unreserved in URLs).
fn percent_encode(key: &str, upper: bool) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        let code = match c {
            '+' => "2B",
            '/' => "2F",
            '=' => "3D",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push('%');
        if upper {
            out.push_str(code);
        } else {
            out.push_str(&code.to_ascii_lowercase());
        }
    }
    out
}

/// A source error that showed the key, kept as its redacted text (the
/// chain below it is folded into its `Display`).
struct Scrubbed {
    display: String,
    debug: String,
}

impl Scrubbed {
    fn of(e: &(dyn std::error::Error + 'static), r: &Redactor) -> Scrubbed {
        let mut display = e.to_string();
        let mut below = e.source();
        while let Some(s) = below {
            display.push_str(": ");
            display.push_str(&s.to_string());
            below = s.source();
        }
        let redact = |t: String| r.replaced(&t).unwrap_or(t);
        Scrubbed {
            display: redact(display),
            debug: redact(format!("{e:?}")),
        }
    }
}

impl fmt::Display for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug)
    }
}

impl std::error::Error for Scrubbed {}

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
    fn all_lists_every_kind_once() {
        // Exhaustive: a new kind does not compile until it is placed here,
        // and the assertion then asks for it in `ALL`.
        fn position(kind: ErrorKind) -> usize {
            match kind {
                ErrorKind::BadRequest => 0,
                ErrorKind::Authentication => 1,
                ErrorKind::Permission => 2,
                ErrorKind::NotFound => 3,
                ErrorKind::Conflict => 4,
                ErrorKind::Unprocessable => 5,
                ErrorKind::RateLimited => 6,
                ErrorKind::Server => 7,
                ErrorKind::UnexpectedStatus => 8,
                ErrorKind::Timeout => 9,
                ErrorKind::Connection => 10,
                ErrorKind::InvalidRequest => 11,
                ErrorKind::InvalidResponse => 12,
                ErrorKind::KeyNotAllowed => 13,
                ErrorKind::Configuration => 14,
            }
        }
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?}");
        }
    }

    const KEY: &str = "sk_live_ab/cd+ef=GH";

    fn redacted(body: &str, truncated: bool) -> Error {
        redacted_with(&format!("echo: {body}"), body, truncated)
    }

    fn redacted_with(message: &str, body: &str, truncated: bool) -> Error {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-request-id",
            HeaderValue::from_static("req_sk_live_ab/cd+ef=GH"),
        );
        headers.insert(
            "x-echo",
            HeaderValue::from_static("Bearer sk_live_ab%2Fcd%2Bef%3DGH"),
        );
        headers.insert(
            "x-bytes",
            HeaderValue::from_bytes(b"\xffsk_live_ab/cd+ef=GH").unwrap(),
        );
        Error::new(ErrorKind::Authentication, message)
            .with_response(
                StatusCode::UNAUTHORIZED,
                headers,
                Some(ErrorBody::new(body.as_bytes(), truncated)),
            )
            .redact(Some(&ApiKey::new(KEY).unwrap()))
    }

    fn assert_clean(e: &Error) {
        let mut shown = format!("{e} {e:?} {e:#?} {:?}", e.body());
        for value in e.headers().unwrap().values() {
            shown.push_str(&String::from_utf8_lossy(value.as_bytes()));
        }
        for leak in ["ab/cd", "ab\\/cd", "ab%2Fcd", "ab%2fcd"] {
            assert!(!shown.contains(leak), "{leak} in {shown}");
        }
    }

    #[test]
    fn redacts_the_key_in_every_form_a_response_carries_it() {
        let body = r#"{"as sent":"sk_live_ab/cd+ef=GH","json":"sk_live_ab\/cd+ef=GH",
            "url":"?k=sk_live_ab%2Fcd%2Bef%3DGH&l=sk_live_ab%2fcd%2bef%3dGH",
            "sk_live_ab/cd+ef=GH":[{"deep":"Bearer sk_live_ab/cd+ef=GH"}]}"#;
        let e = redacted(body, false);
        assert_clean(&e);
        let json = e.body_json().unwrap();
        assert_eq!(json["as sent"], "[redacted]");
        assert_eq!(json["json"], "[redacted]");
        assert_eq!(json["url"], "?k=[redacted]&l=[redacted]");
        assert_eq!(json["[redacted]"][0]["deep"], "Bearer [redacted]");
        assert!(e.body_text().unwrap().contains(r#""json":"[redacted]""#));
        assert_eq!(e.request_id(), Some("req_[redacted]"));
        let headers = e.headers().unwrap();
        assert_eq!(headers["x-echo"], "Bearer [redacted]");
        assert_eq!(headers["x-bytes"], REDACTED);
        assert!(e.to_string().contains("echo: {"), "{e}");
        // Spelled with a JSON escape only a decoder sees through.
        let escaped = redacted_with("", r#"{"t":"\u0073k_live_ab/cd+ef=GH"}"#, false);
        assert_clean(&escaped);
        assert_eq!(escaped.body_text(), Some(r#"{"t":"[redacted]"}"#));
    }

    #[test]
    fn redacts_a_key_cut_by_the_body_limit() {
        for cut in ["sk_live_ab/c", "sk_l"] {
            let e = redacted(&format!("token {cut}"), true);
            assert_eq!(e.body_text(), Some("token [redacted]"), "{cut}");
        }
        // The kind prefix alone is not the key; an untruncated body keeps
        // what only looks like its start.
        let e = redacted("token sk_", true);
        assert_eq!(e.body_text(), Some("token sk_"));
        let e = redacted("token sk_live_ab", false);
        assert_eq!(e.body_text(), Some("token sk_live_ab"));
    }

    #[test]
    fn a_source_that_shows_the_key_is_replaced_by_its_redacted_text() {
        let source = serde_json::from_str::<bool>(r#""sk_live_ab/cd+ef=GH""#).unwrap_err();
        let e = Error::new(ErrorKind::InvalidResponse, "does not decode")
            .with_source(source)
            .redact(Some(&ApiKey::new(KEY).unwrap()));
        let source = std::error::Error::source(&e).unwrap();
        assert!(source.to_string().contains("[redacted]"), "{source}");
        assert!(!format!("{source} {source:?} {e:?}").contains("ab/cd"));
        // Nothing to redact: the source stays as it was.
        let source = serde_json::from_str::<bool>("1").unwrap_err();
        let e = Error::new(ErrorKind::InvalidResponse, "does not decode")
            .with_source(source)
            .redact(Some(&ApiKey::new(KEY).unwrap()));
        let source = std::error::Error::source(&e).unwrap();
        assert!(source.is::<serde_json::Error>());
    }

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
