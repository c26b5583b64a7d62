//! JSON pointers (RFC 6901) and the percent escapes of `$ref` fragments.

use std::borrow::Cow;

use serde_json::Value;

/// `serde_json::Value::pointer` and `pointer_mut`, same semantics (RFC
/// 6901), without an unescaped copy of every token: normalization's walks
/// look pointers up hundreds of thousands of times in a large spec, and
/// those copies were most of the time they took.
pub(crate) trait Lookup {
    /// The node at `pointer`.
    fn at(&self, pointer: &str) -> Option<&Value>;
    /// The node at `pointer`, to change.
    fn at_mut(&mut self, pointer: &str) -> Option<&mut Value>;
}

impl Lookup for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |node, token| match node {
            Value::Object(map) => map.get(unescape(token).as_ref()),
            Value::Array(list) => list.get(index(token)?),
            _ => None,
        })
    }

    fn at_mut(&mut self, pointer: &str) -> Option<&mut Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |node, token| match node {
            Value::Object(map) => map.get_mut(unescape(token).as_ref()),
            Value::Array(list) => list.get_mut(index(token)?),
            _ => None,
        })
    }
}

/// A reference token unescaped, as `token.replace("~1", "/").replace("~0",
/// "~")` does it (a `~` before anything else stays), in one pass.
fn unescape(token: &str) -> Cow<'_, str> {
    if !token.contains('~') {
        return Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('~', Some('1')) => {
                chars.next();
                out.push('/');
            }
            ('~', Some('0')) => {
                chars.next();
                out.push('~');
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// An array index as RFC 6901 writes it: digits, no leading zero.
fn index(token: &str) -> Option<usize> {
    // An unescaped token that is an index has no `~`: escaping changes nothing.
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// One reference token of a JSON pointer unescaped (RFC 6901).
pub(crate) fn unescape_token(token: &str) -> String {
    unescape(token).into_owned()
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    // Most tokens need no escape: one copy, not the two of the replaces.
    if !token.contains(['~', '/']) {
        return token.to_owned();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// Decodes the percent escapes of a `$ref` fragment (`#/components/schemas/a%20b`).
/// A fragment whose escapes do not decode to UTF-8 is kept as written, so
/// the lookup fails on the name the author wrote.
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_owned(), std::borrow::Cow::into_owned)
}

/// Builds a JSON pointer from unescaped tokens.
pub(crate) fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token.as_ref()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decode_keeps_what_is_not_utf8() {
        assert_eq!(
            percent_decode("/components/schemas/a%20b"),
            "/components/schemas/a b"
        );
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        // A lone `%` or a bad escape is literal.
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        // Escapes that are not UTF-8: the name as written.
        assert_eq!(percent_decode("a%FFb"), "a%FFb");
    }

    #[test]
    fn lookups_agree_with_serde_json() {
        let mut doc = serde_json::json!({
            "a/b": {"c~d": [1, {"e": 2}], "": 3, "~1": 4},
            "list": [10, 11],
        });
        let pointers = [
            "",
            "/",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/9",
            "/a~1b/",
            "/a~1b/~01",
            "/list/0",
            "/list/-",
            "/list/0/x",
            "no-slash",
            "/missing",
        ];
        for p in pointers {
            assert_eq!(doc.at(p), doc.pointer(p), "{p:?}");
            let expected = doc.clone().pointer_mut(p).map(|v| v.clone());
            assert_eq!(doc.at_mut(p).map(|v| v.clone()), expected, "{p:?}");
        }
    }

    #[test]
    fn unescapes_as_two_replacements_do() {
        for token in [
            "", "~", "~~", "~0", "~1", "~01", "~10", "~~1", "~~01", "a~1b~0c", "~2", "x~",
        ] {
            let expected = token.replace("~1", "/").replace("~0", "~");
            assert_eq!(unescape(token), expected, "{token:?}");
        }
    }

    #[test]
    fn pointer_escapes_tokens() {
        assert_eq!(pointer(["paths", "/a/{b}", "x~y"]), "/paths/~1a~1{b}/x~0y");
        assert_eq!(escape_token("plain"), "plain");
        assert_eq!(escape_token("~/"), "~0~1");
    }
}
