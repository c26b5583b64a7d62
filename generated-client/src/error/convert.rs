//! Errors of the request-building code the generated builders call,
//! converted with `?`.

use super::{Error, ErrorKind};

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
