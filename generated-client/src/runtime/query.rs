//! Query parameters of any `style`: what the generated code calls for a
//! parameter that is not a plain scalar.

use serde::Serialize;
use url::Url;

use super::style::{Style, append};
use crate::error::Error;

/// Appends the query parameter `name` to `url` as OpenAPI's `style` and
/// `explode` say (see [`Style`]); parameters already in the query stay.
/// `None` (JSON `null`) adds nothing. An array holding objects or arrays,
/// which no style defines, is sent as one JSON text (`f=[{"k":1}]`).
///
/// Generated code calls it on the built request:
/// `append_query(request.url_mut(), "color", &color, Style::Form, false)?`.
pub fn append_query(
    url: &mut Url,
    name: &str,
    value: &impl Serialize,
    style: Style,
    explode: bool,
) -> Result<(), Error> {
    let mut query = url.query().unwrap_or_default().to_owned();
    append(&mut query, name, value, style, explode)?;
    // Everything is percent-encoded already: `set_query` has nothing left
    // to encode.
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    Ok(())
}
