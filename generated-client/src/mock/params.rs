//! Matchers for path and header parameters the client writes through the
//! runtime (`path_segment` and `header_value`: every value that is not a
//! string, an integer, a boolean or a UUID, and every `label` or `matrix`
//! path parameter): the typed mocks expect the text the client writes,
//! where progenitor's would call a `Display` such a type may not have.

use serde::Serialize;

use crate::runtime::{PathStyle, header_value, path_segment};

/// The regular expression that matches the path segment the client
/// writes for the parameter `name`'s `value`; one that matches nothing
/// when the client could not write it (its `send()` fails the same way).
pub fn path_pattern<T: Serialize + ?Sized>(
    value: &T,
    name: &str,
    style: PathStyle,
    explode: bool,
) -> String {
    match path_segment(value, name, style, explode) {
        Ok(segment) => regex::escape(&segment),
        Err(_) => "[^\\s\\S]".to_owned(),
    }
}

/// The regular expression that matches exactly the path segment the
/// client writes for a value progenitor writes (a string, integer, boolean
/// or UUID in the `simple` style), given its `to_string()`: percent-encoded
/// as `encode_path` sends it, every character a regular expression reads
/// as syntax (`.`, `+`, `(`, `?`…) escaped, so that it matches that value's
/// requests and no other's.
pub fn path_text(text: &str) -> String {
    regex::escape(&progenitor_client::encode_path(text))
}

/// The header value the client sends for `value`; empty when it could
/// not write one (its `send()` fails then).
pub fn header_text<T: Serialize + ?Sized>(value: &T, explode: bool) -> String {
    header_value(value, "header parameter", explode)
        .ok()
        .and_then(|v| v.to_str().ok().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_texts_are_what_the_client_writes() {
        let simple = path_pattern(&["a b", "c.d"], "ids", PathStyle::Simple, false);
        assert_eq!(simple, "a%20b,c\\.d");
        let matrix = path_pattern(&["a", "b"], "ids", PathStyle::Matrix, true);
        assert_eq!(matrix, ";ids=a;ids=b");
        assert_eq!(path_pattern(&(), "x", PathStyle::Label, false), "\\.");
        let object = serde_json::json!({"k": "v w", "n": 1});
        assert_eq!(header_text(&object, true), "k=v w,n=1");
        assert_eq!(header_text(&"a\nb", false), "");
        assert_eq!(path_text("v1.2+(x)"), "v1\\.2\\+\\(x\\)");
        assert_eq!(path_text("why? a/b"), "why%3F%20a%2Fb");
    }
}
