//! The request id a response carries, for errors and successes alike.

use reqwest::header::HeaderMap;

use progenitor_client::ResponseValue;

/// The headers servers put their request id in, in the order they are
/// looked up: the de-facto standard first, then the spellings of the
/// large APIs and of the proxies and gateways in front of many more.
pub const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-github-request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-ms-request-id",
    "x-correlation-id",
    "x-trace-id",
    "cf-ray",
];

/// The first of [`REQUEST_ID_HEADERS`] present, non-empty and text.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| named(headers, name))
}

/// The header `name`, if present, non-empty and text.
pub(crate) fn named<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Request ids of successful responses.
pub trait ResponseExt {
    /// The request id of the response: the first of
    /// [`REQUEST_ID_HEADERS`] it carries. (A header the spec names with
    /// `x-codegen-request-id-header` is read by
    /// [`Error::request_id`](crate::Error::request_id); a success's is in
    /// its `headers()`.)
    fn request_id(&self) -> Option<&str>;
}

impl<T> ResponseExt for ResponseValue<T> {
    fn request_id(&self) -> Option<&str> {
        request_id(self.headers())
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn every_common_header_is_read_the_standard_one_first() {
        for name in REQUEST_ID_HEADERS {
            assert_eq!(
                request_id(&headers(&[(name, "r-1")])),
                Some("r-1"),
                "{name}"
            );
        }
        let both = headers(&[("x-github-request-id", "gh"), ("x-request-id", "std")]);
        assert_eq!(request_id(&both), Some("std"));
        // Empty or not text: the next one counts.
        let mut odd = headers(&[("x-request-id", " "), ("cf-ray", "8f1c-AMS")]);
        assert_eq!(request_id(&odd), Some("8f1c-AMS"));
        odd.insert("x-request-id", HeaderValue::from_bytes(b"\xff").unwrap());
        assert_eq!(request_id(&odd), Some("8f1c-AMS"));
        assert_eq!(request_id(&headers(&[("x-other", "x")])), None);
        assert_eq!(named(&headers(&[("x-trace", "t")]), "X-Trace"), Some("t"));
        // A name that is no header name is simply absent, never a panic.
        assert_eq!(named(&headers(&[]), "not a header\n"), None);
    }
}
