//! What one call may change of the client's configuration: its timeout,
//! its retry count, extra headers and extra query parameters.

use std::fmt;
use std::time::Duration;

use reqwest::Request;
use reqwest::header::{
    AUTHORIZATION, CONNECTION, CONTENT_LENGTH, HOST, HeaderName, HeaderValue, PROXY_AUTHORIZATION,
    TRANSFER_ENCODING, USER_AGENT,
};

use crate::error::Error;

/// Options of one call, given to an operation's builder with
/// `.options(..)` or to [`Client::raw`](crate::Client::raw)'s: each one set
/// replaces the client's setting for this call only.
///
/// ```no_run
/// # async fn run(client: alakazam_client::Client, id: alakazam_client::uuid::Uuid) -> Result<(), alakazam_client::Error> {
/// use std::time::Duration;
/// use alakazam_client::runtime::RequestOptions;
/// let updated = client
///     .update_character()
///     .id(id)
///     .options(
///         RequestOptions::new()
///             .timeout(Duration::from_secs(5))
///             .max_retries(0)
///             .header("x-trace-id", "abc123")
///             .query("dry_run", "true"),
///     )
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
///
/// An extra header is checked when it is set and refused at `send()`
/// (an [`InvalidRequest`](crate::ErrorKind::InvalidRequest) error, nothing
/// sent) when its name or value is not valid HTTP, when it is one the
/// client or the HTTP layer owns (`Authorization`,
/// `Proxy-Authorization`, `User-Agent`, `Host`, `Content-Length`,
/// `Transfer-Encoding`, `Connection`), or when the call's credentials are
/// sent in a header of that name (an `apiKey` header, a `Cookie`). An
/// extra query parameter is refused when the call's credentials are sent
/// in a query parameter of that name. Credentials belong to the client
/// ([`ClientBuilder::credential`](crate::ClientBuilder::credential)),
/// which never prints them; the values of extra headers and query
/// parameters are not printed either (`Debug` shows their names).
#[derive(Clone, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<(String, String)>,
    /// Why an extra header was refused, reported by `send()`: a builder
    /// method cannot fail, and a call must not go out without a header its
    /// caller asked for.
    refused: Option<String>,
}

/// Headers an extra header may not set: the credentials' (the client owns
/// them and keeps them out of output), the `User-Agent` (the client sets it;
/// `user_agent_suffix` extends it) and the ones that frame the message
/// (the HTTP layer writes them from the URL and the body).
const OWNED: [HeaderName; 7] = [
    AUTHORIZATION,
    PROXY_AUTHORIZATION,
    USER_AGENT,
    HOST,
    CONTENT_LENGTH,
    TRANSFER_ENCODING,
    CONNECTION,
];

impl RequestOptions {
    /// No option set: the client's settings apply.
    pub fn new() -> RequestOptions {
        RequestOptions::default()
    }

    /// The time allowed for each attempt of this call, instead of the
    /// client's [`timeout`](crate::ClientBuilder::timeout).
    pub fn timeout(mut self, timeout: Duration) -> RequestOptions {
        self.timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt for this call (0: one attempt),
    /// instead of the client's
    /// [`max_retries`](crate::ClientBuilder::max_retries). Which failures
    /// are retried does not change.
    pub fn max_retries(mut self, n: u32) -> RequestOptions {
        self.max_retries = Some(n);
        self
    }

    /// Sends the header `name: value` too, replacing a header of that name
    /// the operation would send (`Accept`, a header parameter). A second
    /// call with the same name adds another value.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> RequestOptions {
        if self.refused.is_some() {
            return self;
        }
        let name = name.as_ref();
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            // The name is not secret; the value may be, and is not repeated.
            self.refused = Some(format!("the extra header name `{name}` is not valid"));
            return self;
        };
        if OWNED.contains(&header) {
            self.refused = Some(format!(
                "the extra header `{header}` is set by the client itself{}",
                hint(&header)
            ));
            return self;
        }
        match HeaderValue::from_str(value.as_ref()) {
            Ok(mut value) => {
                // It may be a secret of the caller's: kept out of `Debug`.
                value.set_sensitive(true);
                self.headers.push((header, value));
            }
            Err(_) => {
                self.refused = Some(format!(
                    "the value of the extra header `{header}` is not a valid header value"
                ));
            }
        }
        self
    }

    /// Sends the query parameter `name=value` too (percent-encoded), after
    /// the operation's own.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> RequestOptions {
        self.query.push((name.into(), value.into()));
        self
    }

    pub(crate) fn timeout_override(&self) -> Option<Duration> {
        self.timeout
    }

    pub(crate) fn max_retries_override(&self) -> Option<u32> {
        self.max_retries
    }

    /// The refusal of an extra header or query parameter, given the
    /// header names and query names the call's credentials use.
    pub(crate) fn check(
        &self,
        credential_headers: &[HeaderName],
        credential_query: &[&str],
    ) -> Result<(), Error> {
        if let Some(why) = &self.refused {
            return Err(Error::invalid_request(why.clone()));
        }
        if let Some((name, _)) = self
            .headers
            .iter()
            .find(|(name, _)| credential_headers.contains(name))
        {
            return Err(Error::invalid_request(format!(
                "the extra header `{name}` carries this call's credentials; \
                 set them on the client (`ClientBuilder::credential`)"
            )));
        }
        if let Some((name, _)) = self
            .query
            .iter()
            .find(|(name, _)| credential_query.contains(&name.as_str()))
        {
            return Err(Error::invalid_request(format!(
                "the extra query parameter `{name}` carries this call's credentials; \
                 set them on the client (`ClientBuilder::credential`)"
            )));
        }
        Ok(())
    }

    /// Adds the extra headers and query parameters to one attempt's
    /// request, before the runtime adds what it owns.
    pub(crate) fn apply(&self, request: &mut Request) {
        let mut replaced: Vec<&HeaderName> = Vec::new();
        for (name, value) in &self.headers {
            let headers = request.headers_mut();
            // The first value replaces the operation's; later ones add to it.
            if replaced.contains(&name) {
                headers.append(name.clone(), value.clone());
            } else {
                headers.insert(name.clone(), value.clone());
                replaced.push(name);
            }
        }
        if !self.query.is_empty() {
            let mut pairs = request.url_mut().query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }
    }
}

fn hint(header: &HeaderName) -> &'static str {
    if header == AUTHORIZATION || header == PROXY_AUTHORIZATION {
        "; set credentials on the client (`ClientBuilder::api_key`, `ClientBuilder::credential`)"
    } else if header == USER_AGENT {
        "; extend it with `ClientBuilder::user_agent_suffix`"
    } else {
        ""
    }
}

impl fmt::Debug for RequestOptions {
    /// Names only: a value may be a secret of the caller's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        let query: Vec<&str> = self.query.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &headers)
            .field("query", &query)
            .field("refused", &self.refused)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn refusal(options: RequestOptions) -> String {
        let err = options.check(&[], &[]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        err.to_string()
    }

    #[test]
    fn headers_the_client_owns_are_refused_without_their_value() {
        for name in [
            "Authorization",
            "authorization",
            "Proxy-Authorization",
            "Host",
        ] {
            let message = refusal(RequestOptions::new().header(name, "Bearer sk_live_leak"));
            assert!(message.contains("is set by the client itself"), "{message}");
            assert!(!message.contains("sk_live_leak"), "{message}");
        }
    }

    #[test]
    fn invalid_names_and_values_are_refused_without_the_value() {
        let message = refusal(RequestOptions::new().header("bad name", "v"));
        assert!(message.contains("`bad name` is not valid"), "{message}");
        let message = refusal(RequestOptions::new().header("x-ok", "secret\nvalue"));
        assert!(message.contains("`x-ok`"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn the_credentials_names_are_refused() {
        let options = RequestOptions::new().header("X-Api-Key", "mine");
        let err = options
            .check(&[HeaderName::from_static("x-api-key")], &[])
            .unwrap_err();
        assert!(err.to_string().contains("`x-api-key` carries"), "{err}");
        let options = RequestOptions::new().query("api_key", "mine");
        assert!(options.check(&[], &["api_key"]).is_err());
        assert!(options.check(&[], &["token"]).is_ok());
    }

    #[test]
    fn debug_prints_names_not_values() {
        let options = RequestOptions::new()
            .header("x-token", "hidden-1")
            .query("sig", "hidden-2");
        let printed = format!("{options:?}");
        assert!(
            printed.contains("x-token") && printed.contains("sig"),
            "{printed}"
        );
        assert!(!printed.contains("hidden"), "{printed}");
    }

    #[test]
    fn the_first_value_replaces_the_operations_and_later_ones_add() {
        let mut request = Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/x?a=1".parse().unwrap(),
        );
        request
            .headers_mut()
            .insert("accept", HeaderValue::from_static("application/json"));
        RequestOptions::new()
            .header("Accept", "text/plain")
            .header("x-tag", "1")
            .header("x-tag", "2")
            .query("q", "a b&c")
            .apply(&mut request);
        let headers = request.headers();
        assert_eq!(headers["accept"], "text/plain");
        let tags: Vec<_> = headers.get_all("x-tag").iter().collect();
        assert_eq!(tags, ["1", "2"]);
        assert_eq!(request.url().query(), Some("a=1&q=a+b%26c"));
    }
}
