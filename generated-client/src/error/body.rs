//! The body of an error response, as much of it as is kept.

/// A response body kept for an error: read up to [`ErrorBody::LIMIT`] bytes.
/// The API key never appears in it (see [`REDACTED`](crate::REDACTED)).
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

    /// The body decoded into `T`: from its JSON when it parsed, else from
    /// its text (for serde's message saying why it is not JSON).
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match &self.json {
            Some(json) => T::deserialize(json),
            None if self.truncated => Err(serde::de::Error::custom(format_args!(
                "the body is longer than the {} bytes kept of it",
                ErrorBody::LIMIT
            ))),
            None => serde_json::from_str(&self.text),
        }
    }

    /// The first [`LIMIT`](Self::LIMIT) bytes of a body read whole.
    pub(crate) fn capped(body: &[u8]) -> ErrorBody {
        let truncated = body.len() > ErrorBody::LIMIT;
        ErrorBody::new(&body[..body.len().min(ErrorBody::LIMIT)], truncated)
    }
}
