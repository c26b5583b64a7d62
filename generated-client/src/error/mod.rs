//! The one error type of the SDK: [`Error`], its [`ErrorKind`], the
//! [`ErrorBody`] kept from an error response, and the redaction of the API
//! key and credentials from all of that.

mod body;
mod by_status;
mod convert;
mod kind;

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub use body::ErrorBody;
pub use by_status::{ErrorByStatus, decode_error_body, error_body_text};
pub use kind::ErrorKind;

use crate::redact::{Redactor, Scrubbed};
use crate::request_id::{named, request_id};

/// Why a call failed: its [`kind`](Error::kind), and whatever the server
/// said (status, `x-request-id`, body), plus how many attempts were made.
///
/// Neither `Display` nor `Debug` ever contains the API key, nor does
/// anything it holds from the response: a key the server repeats is
/// replaced by [`REDACTED`](crate::REDACTED).
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
        self.inner.request_id = request_id(&headers).map(str::to_owned);
        self.inner.status = Some(status);
        self.inner.headers = Some(headers);
        self.inner.body = body;
        self
    }

    /// Reads the request id from the header `name` (the one the spec
    /// names), when the response has it; else keeps the common one.
    /// Called after [`redact`](Self::redact) too: it reads the kept,
    /// redacted headers.
    pub(crate) fn with_request_id_header(mut self, name: Option<&str>) -> Error {
        let found = name
            .zip(self.inner.headers.as_ref())
            .and_then(|(name, headers)| named(headers, name));
        if let Some(id) = found {
            self.inner.request_id = Some(id.to_owned());
        }
        self
    }

    /// Replaces every occurrence of the `secrets` (the API key, the
    /// credentials) in what this error holds from the response (body text
    /// and JSON, headers, request id), in its message and in its sources (a
    /// source that mentions one is replaced by its redacted text). Called
    /// before the error is logged or returned.
    pub(crate) fn redact<'a>(mut self, secrets: impl IntoIterator<Item = &'a str>) -> Error {
        let r = Redactor::new(secrets);
        if r.is_empty() {
            return self;
        }
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

    /// The request id of the response, to quote to support: the header
    /// the spec names with `x-codegen-request-id-header`, else the first
    /// of [`REQUEST_ID_HEADERS`](crate::runtime::REQUEST_ID_HEADERS)
    /// present (`x-request-id`, `request-id`, `x-github-request-id`,
    /// `x-amzn-requestid`, `cf-ray`…).
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

    /// The error response's body decoded into `T`: the schema the
    /// operation documents for this status (the `<OperationId>Error` type
    /// the generator writes into `types` when the spec describes error
    /// bodies) or a type of your own.
    ///
    /// `None` when the response had no body (or there was no response);
    /// `Some(Err(_))` when the body is not JSON, was cut at
    /// [`ErrorBody::LIMIT`], or does not match `T` — the raw body stays in
    /// [`body_text`](Self::body_text) and [`body_json`](Self::body_json).
    /// It decodes what the error holds, so the API key is redacted in it
    /// too (see [`REDACTED`](crate::REDACTED)).
    ///
    /// ```
    /// # async fn run(client: alakazam_client::Client, id: alakazam_client::uuid::Uuid) {
    /// #[derive(serde::Deserialize)]
    /// struct ApiError {
    ///     code: String,
    /// }
    ///
    /// match client.update_character().id(id).send().await {
    ///     Ok(_) => {}
    ///     Err(e) => match e.body_as::<ApiError>() {
    ///         Some(Ok(body)) => eprintln!("{:?}: {}", e.kind(), body.code),
    ///         Some(Err(why)) => eprintln!("{e} (body not as documented: {why})"),
    ///         None => eprintln!("{e}"),
    ///     },
    /// }
    /// # }
    /// ```
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.inner.body.as_ref().map(ErrorBody::decode)
    }

    /// The error response's body typed by its status: `T` is the
    /// `errors::<Operation>` enum of the operation that failed (a generated
    /// client has one for each operation whose spec documents error
    /// responses), whose variant is chosen by the status (`Status422`,
    /// `Status4xx`, `Default`, or `Undocumented`) and only then decoded as
    /// that status's schema.
    ///
    /// `None` when there was no error response (a timeout, a connection
    /// failure, or a success whose body did not decode); `Some(Err(_))` when the body does not match the schema
    /// documented for its status — the raw body stays in
    /// [`body_text`](Self::body_text) and [`body_json`](Self::body_json).
    pub fn typed_body<T: ErrorByStatus>(&self) -> Option<Result<T, serde_json::Error>> {
        let status = self
            .inner
            .status
            .filter(|s| s.is_client_error() || s.is_server_error())?;
        Some(T::decode(status.as_u16(), self.inner.body.as_ref()))
    }

    /// Whether the failure is transient (the statuses and transport errors
    /// the client itself retries). The client repeats a `POST` or `PATCH`
    /// after such a failure only when that is safe (see
    /// [`Operation::idempotent`](crate::runtime::Operation::idempotent)):
    /// a transient failure of a call it did not repeat may still have been
    /// acted on by the server.
    pub fn is_retryable(&self) -> bool {
        match self.inner.kind {
            ErrorKind::Timeout | ErrorKind::Connection => true,
            ErrorKind::ResponseTooLarge => false,
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

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;
    use crate::REDACTED;

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
            .redact(Some(KEY))
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
            .redact(Some(KEY));
        let source = std::error::Error::source(&e).unwrap();
        assert!(source.to_string().contains("[redacted]"), "{source}");
        assert!(!format!("{source} {source:?} {e:?}").contains("ab/cd"));
        // Nothing to redact: the source stays as it was.
        let source = serde_json::from_str::<bool>("1").unwrap_err();
        let e = Error::new(ErrorKind::InvalidResponse, "does not decode")
            .with_source(source)
            .redact(Some(KEY));
        let source = std::error::Error::source(&e).unwrap();
        assert!(source.is::<serde_json::Error>());
    }

    #[test]
    fn redacts_every_secret_of_the_client_in_each_form() {
        let secrets = ["tok-1", "tok-1-longer", "q key&+/=", "", "YWxpY2U6cHc="];
        let body =
            "a tok-1-longer b tok-1 c ?k=q+key%26%2B%2F%3D d q%20key%26%2B%2F%3D e YWxpY2U6cHc=";
        let e = Error::new(ErrorKind::Authentication, "")
            .with_response(
                StatusCode::UNAUTHORIZED,
                HeaderMap::new(),
                Some(ErrorBody::new(body.as_bytes(), false)),
            )
            .redact(secrets);
        assert_eq!(
            e.body_text(),
            Some("a [redacted] b [redacted] c ?k=[redacted] d [redacted] e [redacted]")
        );
        // A body cut inside any one of them.
        let e = Error::new(ErrorKind::Authentication, "")
            .with_response(
                StatusCode::UNAUTHORIZED,
                HeaderMap::new(),
                Some(ErrorBody::new(b"x YWxpY2U6", true)),
            )
            .redact(secrets);
        assert_eq!(e.body_text(), Some("x [redacted]"));
        // An empty secret matches nothing.
        let e = Error::new(ErrorKind::Authentication, "kept").redact([""]);
        assert_eq!(e.to_string(), "authentication failed: kept");
    }
}
