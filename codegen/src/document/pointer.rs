//! JSON pointers (RFC 6901) and the percent escapes of `$ref` fragments.

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
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
    fn pointer_escapes_tokens() {
        assert_eq!(pointer(["paths", "/a/{b}", "x~y"]), "/paths/~1a~1{b}/x~0y");
    }
}
