//! Building a [`Client`]: from code or from the environment.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::Client;
use crate::credential::Credential;
use crate::error::Error;
use crate::key::{ApiKey, KeyKind};
use crate::retry::Backoff;
use crate::runtime::{ClientState, GeneratedClient, Settings, Unfollowed};

/// The production API: the first `servers` entry of the spec the client
/// was generated from (`https://api.alakazam.gg`); empty if that spec had
/// none usable, and then [`ClientBuilder::base_url`] is required.
pub const DEFAULT_BASE_URL: &str = match <Client as GeneratedClient>::DEFAULT_BASE_URL {
    Some(url) => url,
    None => "",
};
/// Retries after the first attempt, by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Time allowed for one attempt (connect, send, receive), by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to establish a connection, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest response body the client reads into memory, by default:
/// 16 MiB. Larger than any JSON answer of the API is expected to be, small
/// enough that a misbehaving server cannot exhaust a small container's
/// memory. See [`ClientBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// Configures and builds a [`Client`].
///
/// ```no_run
/// use alakazam_client::{ApiKey, Client};
/// let client = Client::builder()
///     .api_key(ApiKey::new("sk_live_abc123")?)
///     .max_retries(3)
///     .timeout(std::time::Duration::from_secs(20))
///     .build()?;
/// # Ok::<(), alakazam_client::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    /// `None`: the spec's server, [`GeneratedClient::DEFAULT_BASE_URL`].
    base_url: Option<String>,
    api_key: Option<ApiKey>,
    credentials: BTreeMap<Box<str>, Credential>,
    bearer_token: Option<Credential>,
    /// Names as given, checked by `build`.
    credential_headers: Vec<(String, Credential)>,
    max_retries: u32,
    timeout: Duration,
    connect_timeout: Duration,
    backoff: Backoff,
    user_agent_suffix: Option<String>,
    http: Option<reqwest::Client>,
    http_without_redirects: Option<reqwest::Client>,
    allow_insecure_http: bool,
    max_response_bytes: u64,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            api_key: None,
            credentials: BTreeMap::new(),
            bearer_token: None,
            credential_headers: Vec::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            backoff: Backoff::default(),
            user_agent_suffix: None,
            http: None,
            http_without_redirects: None,
            allow_insecure_http: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl ClientBuilder {
    /// The API's base URL (scheme, host, optional port and path prefix).
    /// Default: the spec's first server, [`DEFAULT_BASE_URL`]
    /// (`https://api.alakazam.gg`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The key sent as `Authorization: Bearer …`.
    pub fn api_key(mut self, key: ApiKey) -> Self {
        self.api_key = Some(key);
        self
    }

    /// The credential of the spec's security scheme named `scheme` (its
    /// name under `components.securitySchemes`); a second call for the same
    /// scheme replaces the first.
    ///
    /// Each call sends the credentials of the first alternative of its
    /// operation's `security` whose schemes all have one: an `apiKey`
    /// scheme's token in its header, query parameter or cookie, an `http`
    /// basic scheme's [`Credential::basic`] as `Authorization: Basic`, a
    /// bearer-like scheme's token as `Authorization: Bearer` (the
    /// [`api_key`](Self::api_key) satisfies those too, as its `x-key-prefix`
    /// allows, when no credential is set for them). A call none of whose
    /// alternatives can be met fails before anything is sent, with an
    /// [`ErrorKind::Configuration`](crate::ErrorKind::Configuration) error
    /// naming the schemes it needs.
    ///
    /// ```no_run
    /// use alakazam_client::{Client, Credential};
    /// let client = Client::builder()
    ///     .credential("clientId", Credential::new("my-client-id")?)
    ///     .credential("secret", Credential::new("my-secret")?)
    ///     .credential("basicAuth", Credential::basic("alice", "s3cr3t")?)
    ///     .build()?;
    /// # Ok::<(), alakazam_client::Error>(())
    /// ```
    pub fn credential(mut self, scheme: impl Into<String>, credential: Credential) -> Self {
        self.credentials
            .insert(scheme.into().into_boxed_str(), credential);
        self
    }

    /// A token sent as `Authorization: Bearer …`, for an API whose spec
    /// declares no security scheme (GitHub's) or whose bearer scheme takes
    /// any token.
    ///
    /// It meets every bearer-like scheme (`http` bearer, `oauth2`,
    /// `openIdConnect`) for which no [`credential`](Self::credential) is
    /// set and the [`api_key`](Self::api_key) does not do, as long as it
    /// starts with the prefix the scheme declares (`x-key-prefix`; any
    /// token where none is declared). And it is sent on every other call
    /// too, unless the credentials the call's security chose already set
    /// `Authorization`: the spec may simply not say that the API takes a
    /// token. Redacted from responses and never printed, like any
    /// [`Credential`]; a Basic credential is a `Configuration` error at
    /// [`build`](Self::build).
    ///
    /// ```no_run
    /// use alakazam_client::{Client, Credential};
    /// let client = Client::builder()
    ///     .bearer_token(Credential::new("ghp_16C7e42F292c6912E7710c838347Ae178B4a")?)
    ///     .build()?;
    /// # Ok::<(), alakazam_client::Error>(())
    /// ```
    pub fn bearer_token(mut self, token: Credential) -> Self {
        self.bearer_token = Some(token);
        self
    }

    /// A credential sent in the header `name` on every call (unless the
    /// credentials the call's security chose set that header): an API key
    /// the spec does not declare as a scheme (`X-Api-Key`, or
    /// `Authorization: token …` as GitHub also takes). A second call for
    /// the same header replaces the first. Redacted and never printed
    /// like any [`Credential`], and, as an `apiKey` header, never carried
    /// by a redirect to another origin. A name that is not a header name,
    /// `Authorization` beside a [`bearer_token`](Self::bearer_token), or a
    /// Basic credential is a `Configuration` error at [`build`](Self::build).
    ///
    /// ```no_run
    /// use alakazam_client::{Client, Credential};
    /// let client = Client::builder()
    ///     .credential_header("X-Api-Key", Credential::new("my-key")?)
    ///     .build()?;
    /// # Ok::<(), alakazam_client::Error>(())
    /// ```
    pub fn credential_header(mut self, name: impl Into<String>, credential: Credential) -> Self {
        let name = name.into();
        self.credential_headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.credential_headers.push((name, credential));
        self
    }

    /// Retries after the first attempt (default 2; 0 disables retries).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Time allowed for one attempt, from sending to the end of the body
    /// (default 60 s). Applies to a caller's own `reqwest::Client` too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 5 s). Ignored with
    /// [`http_client`](Self::http_client): configure that client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Delay before the first retry (default 0.5 s) and the cap of the
    /// doubling delay (default 8 s). Up to 25 % jitter is taken off.
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.backoff = Backoff { initial, max };
        self
    }

    /// Appended to the `User-Agent` (`alakazam-client/<version> <suffix>`),
    /// to name your application.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Use this `reqwest::Client` (its pool, proxy and TLS settings).
    ///
    /// It also serves the operations whose documented answer is a redirect
    /// ([`Operation::returns_redirect`](crate::runtime::Operation::returns_redirect)),
    /// unless [`http_client_without_redirects`](Self::http_client_without_redirects)
    /// gives one for them: then this client's own redirect policy decides
    /// (reqwest's default follows, and the call sees the page the redirect
    /// points to instead of the redirect and its `Location`).
    ///
    /// Build it with `.referer(false)` when a spec puts an `apiKey` in the
    /// query: reqwest's default `Referer` on a followed redirect repeats
    /// the previous URL, query and all, to the next host. The client's own
    /// has it off.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Use this `reqwest::Client` for the operations whose documented
    /// answer is a redirect (a login's `303`), which the client hands back
    /// instead of following. Build it like the one given to
    /// [`http_client`](Self::http_client), with
    /// `.redirect(reqwest::redirect::Policy::none())`; the client cannot
    /// change the policy of a client it is given. Without either, the
    /// client builds its own on the first such call.
    ///
    /// It also sends the calls with an `apiKey` header or query credential,
    /// whose redirects the runtime follows itself so that no credential
    /// reaches another origin; without it, a caller's `http_client` follows
    /// them by its own policy, `apiKey` header included.
    pub fn http_client_without_redirects(mut self, client: reqwest::Client) -> Self {
        self.http_without_redirects = Some(client);
        self
    }

    /// Allow a secret key or credentials over plain `http://` to a host that
    /// is not loopback. Off by default: they would cross the network in clear.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The largest response body read into memory, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 16 MiB).
    ///
    /// Every body the client buffers — a JSON success body before it is
    /// decoded, a body read whole — stops here; error bodies are kept up
    /// to [`ErrorBody::LIMIT`](crate::ErrorBody::LIMIT) or this, whichever
    /// is smaller. A response whose `Content-Length` is larger fails before
    /// any of its body is read; one without (chunked) fails as soon as one
    /// byte more than the limit has arrived. Either way the call fails with
    /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge),
    /// is not retried, and the connection is closed rather than drained.
    /// Streamed bodies ([`ByteStream`](crate::ByteStream)) are not
    /// buffered and not limited.
    ///
    /// ```no_run
    /// use alakazam_client::Client;
    /// let client = Client::builder().max_response_bytes(1024 * 1024).build()?;
    /// # Ok::<(), alakazam_client::Error>(())
    /// ```
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Checks the configuration and builds the client. Nothing is sent.
    pub fn build(self) -> Result<Client, Error> {
        self.build_for::<Client>()
    }

    /// Builds a client generated for another spec, into another crate, on
    /// this configuration (the base URL defaulting to that spec's first
    /// server): `Client::builder().bearer_token(t).build_for::<github::Client>()`.
    /// Nothing is sent.
    pub fn build_for<C: GeneratedClient>(self) -> Result<C, Error> {
        let base_url = match self.base_url.as_deref().or(C::DEFAULT_BASE_URL) {
            Some(url) => url,
            None => {
                return Err(Error::configuration(
                    "no base URL: the spec declares no server with an absolute URL; \
                     set one with `ClientBuilder::base_url`",
                ));
            }
        };
        let url = reqwest::Url::parse(base_url).map_err(|e| {
            Error::configuration(format!("the base URL `{base_url}` is not a URL: {e}"))
        })?;
        let credential_headers = self.checked_credential_headers()?;
        if self.bearer_token.as_ref().is_some_and(Credential::is_basic) {
            return Err(Error::configuration(
                "the bearer token is a Basic credential; use `Credential::new(token)`",
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" => {
                let loopback = match url.host() {
                    Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    None => false,
                };
                let secret = self
                    .api_key
                    .as_ref()
                    .is_some_and(|k| k.kind() == KeyKind::Secret);
                let what = if secret {
                    "a secret key"
                } else {
                    "credentials"
                };
                let credentials = !self.credentials.is_empty()
                    || self.bearer_token.is_some()
                    || !credential_headers.is_empty();
                if (secret || credentials) && !loopback && !self.allow_insecure_http {
                    return Err(Error::configuration(format!(
                        "refusing to send {what} over plain http to `{}`; use https, \
                         or call `allow_insecure_http(true)` if this is intended",
                        url.host_str().unwrap_or_default()
                    )));
                }
            }
            other => {
                return Err(Error::configuration(format!(
                    "the base URL must use http or https, not `{other}`"
                )));
            }
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::configuration(
                "the base URL must not have a query or fragment",
            ));
        }
        let user_agent = user_agent(self.user_agent_suffix.as_deref())?;
        let timeout_per_request = self.http.is_some();
        let connect_timeout = self.http.is_none().then_some(self.connect_timeout);
        let unfollowed = match (self.http_without_redirects, &self.http) {
            (Some(http), _) => Unfollowed::Callers(http),
            (None, Some(_)) => Unfollowed::Shared,
            (None, None) => Unfollowed::own(self.connect_timeout, self.timeout),
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                // reqwest's `Referer` on a followed redirect is the URL
                // before it, query and all: an `apiKey` in the query would
                // go to whatever host the `Location` names.
                .referer(false)
                .build()
                .map_err(|e| {
                    Error::configuration("the HTTP client could not be built").with_source(e)
                })?,
        };
        let baseurl = url.as_str().trim_end_matches('/').to_owned();
        Ok(C::from_parts(
            baseurl,
            http,
            ClientState(Arc::new(Settings {
                api_key: self.api_key,
                credentials: self.credentials,
                bearer_token: self.bearer_token,
                credential_headers,
                max_retries: self.max_retries,
                timeout: self.timeout,
                connect_timeout,
                timeout_per_request,
                backoff: self.backoff,
                user_agent,
                max_response_bytes: self.max_response_bytes,
                unfollowed,
            })),
        ))
    }

    /// The headers of [`credential_header`](Self::credential_header),
    /// named and valued as a header can be.
    fn checked_credential_headers(&self) -> Result<Vec<(HeaderName, Credential)>, Error> {
        let mut checked = Vec::with_capacity(self.credential_headers.len());
        for (name, credential) in &self.credential_headers {
            let header = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
                Error::configuration(format!(
                    "`{name}` is not a header name (`credential_header`)"
                ))
            })?;
            if credential.is_basic() {
                return Err(Error::configuration(format!(
                    "the credential for the header `{header}` is a Basic one; \
                     use `Credential::new(token)`"
                )));
            }
            if header == AUTHORIZATION && self.bearer_token.is_some() {
                return Err(Error::configuration(
                    "both `bearer_token` and `credential_header(\"Authorization\", …)` \
                     set `Authorization`; keep one",
                ));
            }
            checked.push((header, credential.clone()));
        }
        Ok(checked)
    }

    /// A builder configured from environment variables (see
    /// [`Client::from_env`]), looked up with `var`.
    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let mut builder = ClientBuilder::default();
        let key = var("ALAKAZAM_API_KEY")
            .filter(|k| !k.is_empty())
            .ok_or_else(|| Error::configuration("ALAKAZAM_API_KEY is not set"))?;
        builder = builder.api_key(ApiKey::new(key.trim())?);
        if let Some(url) = var("ALAKAZAM_BASE_URL").filter(|u| !u.is_empty()) {
            builder = builder.base_url(url);
        }
        if let Some(n) = var("ALAKAZAM_MAX_RETRIES").filter(|v| !v.is_empty()) {
            let n = n.trim().parse().map_err(|_| {
                Error::configuration(format!(
                    "ALAKAZAM_MAX_RETRIES must be a whole number, not `{n}`"
                ))
            })?;
            builder = builder.max_retries(n);
        }
        if let Some(secs) = var("ALAKAZAM_TIMEOUT_SECS").filter(|v| !v.is_empty()) {
            let timeout = secs
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    Error::configuration(format!(
                        "ALAKAZAM_TIMEOUT_SECS must be a positive number of seconds, not `{secs}`"
                    ))
                })?;
            builder = builder.timeout(timeout);
        }
        if let Some(n) = var("ALAKAZAM_MAX_RESPONSE_BYTES").filter(|v| !v.is_empty()) {
            let n = n.trim().parse().map_err(|_| {
                Error::configuration(format!(
                    "ALAKAZAM_MAX_RESPONSE_BYTES must be a whole number of bytes, not `{n}`"
                ))
            })?;
            builder = builder.max_response_bytes(n);
        }
        Ok(builder)
    }
}

fn user_agent(suffix: Option<&str>) -> Result<HeaderValue, Error> {
    let base = concat!("alakazam-client/", env!("CARGO_PKG_VERSION"));
    let text = match suffix.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("{base} {s}"),
        None => base.to_owned(),
    };
    HeaderValue::try_from(text)
        .map_err(|_| Error::configuration("the user agent suffix is not a valid header value"))
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment:
    ///
    /// | variable | meaning | default |
    /// |---|---|---|
    /// | `ALAKAZAM_API_KEY` | the key (required) | — |
    /// | `ALAKAZAM_BASE_URL` | the API's base URL | `https://api.alakazam.gg` |
    /// | `ALAKAZAM_MAX_RETRIES` | retries after the first attempt | 2 |
    /// | `ALAKAZAM_TIMEOUT_SECS` | time per attempt, in seconds | 60 |
    /// | `ALAKAZAM_MAX_RESPONSE_BYTES` | largest body read into memory, in bytes ([`max_response_bytes`](ClientBuilder::max_response_bytes)) | 16777216 (16 MiB) |
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_vars(|name| std::env::var(name).ok())?.build()
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }

    /// The kind of the configured key, if any.
    pub fn key_kind(&self) -> Option<KeyKind> {
        self.inner.0.api_key.as_ref().map(ApiKey::kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn defaults() {
        let client = Client::builder().build().unwrap();
        assert_eq!(client.base_url(), "https://api.alakazam.gg");
        let s = &client.inner.0;
        assert_eq!((s.max_retries, s.timeout), (2, Duration::from_secs(60)));
        assert_eq!(s.max_response_bytes, 16 * 1024 * 1024);
        assert_eq!(
            s.user_agent.to_str().unwrap(),
            concat!("alakazam-client/", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn connect_timeout_defaults_to_five_seconds() {
        assert_eq!(DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(5));
        let client = Client::builder().build().unwrap();
        assert_eq!(client.inner.0.connect_timeout, Some(Duration::from_secs(5)));
        assert!(
            format!("{client:?}").contains("connect_timeout: Some(5s)"),
            "{client:?}"
        );
        let client = Client::builder()
            .connect_timeout(Duration::from_millis(750))
            .build()
            .unwrap();
        assert_eq!(
            client.inner.0.connect_timeout,
            Some(Duration::from_millis(750))
        );
        // A caller's own client keeps its own connect timeout.
        let client = Client::builder()
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_millis(750))
            .build()
            .unwrap();
        assert_eq!(client.inner.0.connect_timeout, None);
        assert!(client.inner.0.timeout_per_request);
    }

    #[test]
    fn from_env_reads_every_variable() {
        let b = ClientBuilder::from_vars(vars(&[
            ("ALAKAZAM_API_KEY", "sk_test_1"),
            ("ALAKAZAM_BASE_URL", "http://127.0.0.1:9/api/"),
            ("ALAKAZAM_MAX_RETRIES", "5"),
            ("ALAKAZAM_TIMEOUT_SECS", "2.5"),
            ("ALAKAZAM_MAX_RESPONSE_BYTES", "1048576"),
        ]))
        .unwrap();
        let client = b.build().unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/api");
        assert_eq!(client.key_kind(), Some(KeyKind::Secret));
        assert_eq!(client.inner.0.max_retries, 5);
        assert_eq!(client.inner.0.timeout, Duration::from_millis(2500));
        assert_eq!(client.inner.0.max_response_bytes, 1 << 20);
    }

    #[test]
    fn from_env_errors_name_the_variable() {
        let missing = ClientBuilder::from_vars(vars(&[])).unwrap_err();
        assert!(
            missing.to_string().contains("ALAKAZAM_API_KEY is not set"),
            "{missing}"
        );
        let bad = ClientBuilder::from_vars(vars(&[
            ("ALAKAZAM_API_KEY", "pk_1"),
            ("ALAKAZAM_MAX_RETRIES", "lots"),
        ]))
        .unwrap_err();
        assert!(bad.to_string().contains("ALAKAZAM_MAX_RETRIES"), "{bad}");
        let bad = ClientBuilder::from_vars(vars(&[
            ("ALAKAZAM_API_KEY", "pk_1"),
            ("ALAKAZAM_TIMEOUT_SECS", "0"),
        ]))
        .unwrap_err();
        assert!(bad.to_string().contains("ALAKAZAM_TIMEOUT_SECS"), "{bad}");
        let bad = ClientBuilder::from_vars(vars(&[
            ("ALAKAZAM_API_KEY", "pk_1"),
            ("ALAKAZAM_MAX_RESPONSE_BYTES", "16MiB"),
        ]))
        .unwrap_err();
        assert!(
            bad.to_string().contains("ALAKAZAM_MAX_RESPONSE_BYTES"),
            "{bad}"
        );
    }

    #[test]
    fn secret_key_needs_https_off_loopback() {
        let key = || ApiKey::new("sk_live_x").unwrap();
        let err = Client::builder()
            .base_url("http://api.example.com")
            .api_key(key())
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(err.to_string().contains("plain http"), "{err}");
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:1",
            "https://api.example.com",
        ] {
            Client::builder()
                .base_url(ok)
                .api_key(key())
                .build()
                .unwrap();
        }
        Client::builder()
            .base_url("http://api.example.com")
            .api_key(key())
            .allow_insecure_http(true)
            .build()
            .unwrap();
        // A publishable key is meant to be public.
        Client::builder()
            .base_url("http://api.example.com")
            .api_key(ApiKey::new("pk_live_x").unwrap())
            .build()
            .unwrap();
    }

    #[test]
    fn credentials_need_https_off_loopback_too() {
        let with = |url: &str| {
            Client::builder()
                .base_url(url)
                .credential("clientId", Credential::new("id-1").unwrap())
        };
        let err = with("http://api.example.com").build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(
            err.to_string().contains("send credentials over plain http"),
            "{err}"
        );
        with("http://127.0.0.1:1").build().unwrap();
        with("http://api.example.com")
            .allow_insecure_http(true)
            .build()
            .unwrap();
    }

    #[test]
    fn rejects_bad_base_urls() {
        for bad in ["not a url", "ftp://x.example", "https://x.example/?a=1"] {
            let err = Client::builder().base_url(bad).build().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Configuration, "{bad}");
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let builder = Client::builder()
            .api_key(ApiKey::new("sk_live_topsecret").unwrap())
            .credential("secret", Credential::new("also-topsecret").unwrap())
            .credential("login", Credential::basic("me", "topsecret-pw").unwrap())
            .user_agent_suffix("my-app/1.0");
        let client = builder.clone().build().unwrap();
        let shown = format!("{builder:?} {client:?} {client:#?}");
        assert!(!shown.contains("topsecret"), "{shown}");
        assert!(shown.contains("sk_***"), "{shown}");
        assert!(shown.contains(r#""secret": Credential(***)"#), "{shown}");
    }
}
