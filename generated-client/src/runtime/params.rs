//! Path and header parameters of any type: what the generated code calls
//! for every value it cannot write with `Display` as the spec says (see
//! [`style::styled`](super::style)). The value is serialized, so what it
//! is decides its text (a struct, an enum of integers, a newtype, `()`),
//! not how its schema was written.

use reqwest::header::HeaderValue;
use serde::Serialize;

use super::style::{PathStyle, styled};
use crate::error::Error;

/// The path segment of the parameter `name` in `style` (OpenAPI's
/// `simple`, `label` or `matrix`: `a,b`; `.a,b`; `;name=a,b`, and their
/// exploded forms), each name and value percent-encoded.
///
/// Generated code writes it into the URL: `format!("{}/items/{}", base,
/// path_segment(&ids, "ids", PathStyle::Matrix, false)?)`.
pub fn path_segment<T: Serialize + ?Sized>(
    value: &T,
    name: &str,
    style: PathStyle,
    explode: bool,
) -> Result<String, Error> {
    styled(value, name, style, explode, true)
}

/// The value of the header parameter `name`: OpenAPI's `simple` style, as
/// [`path_segment`] but not percent-encoded (a header's scalar is sent as
/// its text too). Fails on text a header cannot carry (a line break).
pub fn header_value<T: Serialize + ?Sized>(
    value: &T,
    name: &str,
    explode: bool,
) -> Result<HeaderValue, Error> {
    let text = styled(value, name, PathStyle::Simple, explode, false)?;
    HeaderValue::try_from(text).map_err(|e| {
        Error::invalid_request(format!(
            "header parameter `{name}` is not a header value: {e}"
        ))
    })
}
