//! `application/x-www-form-urlencoded` request bodies whose fields may be
//! objects and arrays, each serialized per its `encoding` entry.

use serde::Serialize;

use super::style::{Node, Style, append_node};
use crate::error::Error;

/// The `encoding` entry of one field of a form body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldEncoding {
    /// The property's name.
    pub name: &'static str,
    /// Its `style` (`form` when the spec gives none).
    pub style: Style,
    /// Its `explode` (true for `form` when the spec gives none, false for
    /// the other styles).
    pub explode: bool,
}

/// The `Content-Type` of what [`form_body`] returns.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The form body of `value`, an object: its fields in their order, each as
/// its entry in `encoding` says, or as `style: form, explode: true`
/// without one (repeated keys for arrays, one pair per property for
/// objects; nested values inside as JSON text). Fields that are `None`
/// are left out.
///
/// Generated code: `.header(CONTENT_TYPE, FORM_CONTENT_TYPE).body(form_body(&body, ENCODING)?)`.
pub fn form_body(value: &impl Serialize, encoding: &[FieldEncoding]) -> Result<String, Error> {
    let Node::Map(fields) = Node::from(value, "the form body")? else {
        return Err(Error::invalid_request(
            "a form body must be an object".to_owned(),
        ));
    };
    let mut out = String::new();
    for (name, node) in &fields {
        let (style, explode) = encoding
            .iter()
            .find(|e| e.name == name)
            .map_or((Style::Form, true), |e| (e.style, e.explode));
        append_node(&mut out, name, node, style, explode);
    }
    // Values are percent-encoded already, so a `,` or `|` left in them is
    // a style's delimiter, which a query writes as it is; a form body
    // encodes it like every other reserved character, as browsers do
    // (decoded, the field reads the same; a strict reader such as Prism
    // rejects it raw).
    Ok(out.replace(',', "%2C").replace('|', "%7C"))
}
