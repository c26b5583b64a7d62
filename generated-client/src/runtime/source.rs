//! Where each attempt's request comes from: built once and copied, or
//! rebuilt by the generated code.

use reqwest::Request;

use super::multipart::is_spent;
use crate::error::Error;

/// Where each attempt's request comes from.
pub(super) trait RequestSource {
    /// The request for the next attempt; `None` when no other can be made
    /// (a body that cannot be copied was already sent). `more` says whether
    /// another attempt may follow this one.
    fn next_request(&mut self, more: bool) -> Option<Result<Request, Error>>;
}

/// A request built once: sent as is, and copied first when another attempt
/// may follow (a streaming body cannot be copied: then there is none).
pub(super) struct Built {
    request: Option<Request>,
}

impl Built {
    pub(super) fn new(request: Request) -> Built {
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
pub(super) struct Rebuild<F>(pub(super) F);

impl<F: FnMut() -> Result<Request, Error>> RequestSource for Rebuild<F> {
    fn next_request(&mut self, _more: bool) -> Option<Result<Request, Error>> {
        match (self.0)() {
            // A streamed multipart file went with an earlier attempt.
            Err(e) if is_spent(&e) => None,
            built => Some(built),
        }
    }
}
