//! The `x-request-id` a response carries, for errors and successes alike.

use reqwest::header::HeaderMap;

use progenitor_client::ResponseValue;

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
