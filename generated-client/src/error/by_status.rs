//! Error bodies typed by status: what `mod errors` of a generated client
//! implements.

use super::ErrorBody;

/// An operation's error bodies, one variant per documented status: the
/// `errors::<Operation>` enums a generated client has for the operations
/// whose spec documents error responses. The status picks the variant;
/// only then is the body decoded, as that status's schema, so a body
/// never lands in another status's type because its shape fits there
/// too. Decode one with [`Error::typed_body`](crate::Error::typed_body).
pub trait ErrorByStatus: Sized {
    /// The body of a response with `status`, as the operation documents
    /// it for that status (`body` is `None` when the response had none).
    fn decode(status: u16, body: Option<&ErrorBody>) -> Result<Self, serde_json::Error>;
}

/// `body` decoded into `T` (an absent body as JSON `null`).
pub fn decode_error_body<T: serde::de::DeserializeOwned>(
    body: Option<&ErrorBody>,
) -> Result<T, serde_json::Error> {
    match body {
        Some(body) => body.decode(),
        None => T::deserialize(serde_json::Value::Null),
    }
}

/// `body` as text (empty when there was none).
pub fn error_body_text(body: Option<&ErrorBody>) -> String {
    body.map(|b| b.text.clone()).unwrap_or_default()
}
