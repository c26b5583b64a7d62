//! What kind of failure an [`Error`](crate::Error) is.

use reqwest::StatusCode;

/// What kind of failure an [`Error`](crate::Error) is. Match on this to decide what to do.
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
    /// then [`Error::status`](crate::Error::status) is `Some(408)`). Retried either way.
    Timeout,
    /// The connection failed or broke (DNS, refused, reset, closed early).
    Connection,
    /// The request could not be built (a missing or invalid parameter);
    /// nothing was sent.
    InvalidRequest,
    /// A success status whose body does not decode into the documented type.
    InvalidResponse,
    /// A body larger than the client's
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes):
    /// by its `Content-Length` (nothing of it was read) or as it arrived
    /// (reading stopped one byte past the limit). The connection is closed;
    /// not retried (the same request would get the same body).
    ResponseTooLarge,
    /// The client's key kind may not call this operation (a publishable key
    /// on a write); nothing was sent.
    KeyNotAllowed,
    /// The client is misconfigured (bad key, base URL or setting); nothing
    /// was sent.
    Configuration,
}

impl ErrorKind {
    /// Every kind, in declaration order (for tables and exhaustive tests).
    pub const ALL: [ErrorKind; 16] = [
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
        ErrorKind::ResponseTooLarge,
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

    pub(super) fn describe(self) -> &'static str {
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
            ErrorKind::ResponseTooLarge => "response too large",
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
                ErrorKind::ResponseTooLarge => 13,
                ErrorKind::KeyNotAllowed => 14,
                ErrorKind::Configuration => 15,
            }
        }
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?}");
        }
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
