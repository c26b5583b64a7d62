//! Path and header parameters of any type: what the generated code calls
//! for one that is an array or an object, which has no `Display` to write
//! it with (see [`style::simple`](super::style)).

use reqwest::header::HeaderValue;
use serde::Serialize;

use super::style::simple;
use crate::error::Error;

/// The path segment of the parameter `name`: OpenAPI's `simple` style
/// (`a,b,c`; `k1,v1,k2,v2`, or `k1=v1,k2=v2` with `explode`), each name
/// and value percent-encoded.
///
/// Generated code writes it into the URL:
/// `format!("{}/items/{}", base, path_segment(&ids, "ids", false)?)`.
pub fn path_segment(value: &impl Serialize, name: &str, explode: bool) -> Result<String, Error> {
    simple(value, name, explode, true)
}

/// The value of the header parameter `name`: OpenAPI's `simple` style, as
/// [`path_segment`] but not percent-encoded (a header's scalar is sent as
/// its text too). Fails on text a header cannot carry (a line break).
pub fn header_value(
    value: &impl Serialize,
    name: &str,
    explode: bool,
) -> Result<HeaderValue, Error> {
    let text = simple(value, name, explode, false)?;
    HeaderValue::try_from(text).map_err(|e| {
        Error::invalid_request(format!(
            "header parameter `{name}` is not a header value: {e}"
        ))
    })
}
