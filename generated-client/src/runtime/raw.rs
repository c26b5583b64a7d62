//! A call of an operation the spec lacks: method and path given by the
//! caller, sent through the same attempt loop as every generated call.

use bytes::Bytes;
use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::attempts::execute;
use super::operation::Operation;
use super::options::RequestOptions;
use super::security::Requirement;
use super::send::decode_json;
use super::source::Rebuild;
use super::state::ClientState;
use crate::error::Error;
use crate::key::KeyKind;

/// The operation id a raw call's errors and tracing span carry.
pub const RAW_OPERATION: &str = "raw";

/// A call of an operation the spec does not describe, made by the
/// generated `Client::raw(method, path)`: the client's base URL,
/// credentials, retries, timeouts, redirect policy and bounded reads, and
/// the same [`Error`].
///
/// ```no_run
/// # async fn run(client: alakazam_client::Client) -> Result<(), alakazam_client::Error> {
/// use alakazam_client::runtime::RequestOptions;
/// let archived = client
///     .raw(reqwest::Method::POST, "/v1/characters/3c90c3cc/archive")
///     .json(&serde_json::json!({ "reason": "duplicate" }))
///     .options(RequestOptions::new().header("x-trace-id", "abc"))
///     .send::<serde_json::Value>()
///     .await?
///     .into_inner();
/// # Ok(()) }
/// ```
///
/// Credentials: those of the spec's document-level `security`, or, where
/// it has none, of the first scheme the client holds a credential for (in
/// the order of `security::ALL`); a client without any sends none.
/// Retries follow the rules of every call: a failure after which the
/// server may have acted is retried only when the method is idempotent
/// (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, `TRACE`), or when the
/// caller says the call is ([`idempotent`](Self::idempotent)).
#[derive(Debug)]
#[must_use = "nothing is sent until `send()` is awaited"]
pub struct RawRequest<'a, C> {
    client: &'a C,
    security: Requirement,
    method: Method,
    path: String,
    body: Option<Result<Bytes, String>>,
    idempotent: Option<bool>,
    options: RequestOptions,
}

impl<'a, C: ClientInfo<ClientState>> RawRequest<'a, C> {
    /// What the generated `Client::raw` returns; `security` is the
    /// requirement its raw calls meet (the generated `security::RAW`).
    #[doc(hidden)]
    pub fn new(client: &'a C, security: Requirement, method: Method, path: &str) -> Self {
        RawRequest {
            client,
            security,
            method,
            path: path.to_owned(),
            body: None,
            idempotent: None,
            options: RequestOptions::new(),
        }
    }

    /// Sends `body` as JSON (`Content-Type: application/json`). A value
    /// that does not serialize is an
    /// [`InvalidRequest`](crate::ErrorKind::InvalidRequest) error at
    /// `send()`, nothing sent.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.body = Some(
            serde_json::to_vec(body)
                .map(Bytes::from)
                .map_err(|e| format!("the raw call's body does not serialize: {e}")),
        );
        self
    }

    /// Whether sending the call twice has the effect of sending it once
    /// (as `x-codegen-idempotent` says of an operation of the spec): a
    /// `POST` or `PATCH` marked `true` is retried after a timeout or a 5xx,
    /// a `PUT` or `DELETE` marked `false` is not. Default: by the method.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Options of this call: timeout, retry count, extra headers and query
    /// parameters.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the call and decodes a JSON success body into `T`
    /// (`serde_json::Value` for any JSON; no body reads as `null`).
    pub async fn send<T: DeserializeOwned>(self) -> Result<ResponseValue<T>, Error> {
        let state = self.client.inner();
        let op = self.operation();
        let reply = self.execute(&op, true).await?;
        decode_json(&op, state, reply)
    }

    /// Sends the call and reads the success body whole, as bytes (at most
    /// the client's `max_response_bytes`).
    pub async fn send_bytes(self) -> Result<ResponseValue<Bytes>, Error> {
        let op = self.operation();
        let reply = self.execute(&op, false).await?;
        Ok(ResponseValue::new(
            reply.body.unwrap_or_default(),
            reply.status,
            reply.headers,
        ))
    }

    async fn execute(&self, op: &Operation, json: bool) -> Result<super::attempts::Reply, Error> {
        let invalid = |e: Error| e.with_operation(RAW_OPERATION);
        let url = self.url().map_err(invalid)?;
        let body = match &self.body {
            None => None,
            Some(Ok(bytes)) => Some(bytes.clone()),
            Some(Err(why)) => return Err(invalid(Error::invalid_request(why.clone()))),
        };
        let http = self.client.client();
        let build = || {
            let mut request = http.request(self.method.clone(), url.clone());
            if json {
                request = request.header(ACCEPT, HeaderValue::from_static("application/json"));
            }
            if let Some(body) = &body {
                request = request
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(body.clone());
            }
            request.build().map_err(Error::from)
        };
        execute(
            http,
            self.client.inner(),
            op,
            &self.options,
            Rebuild(build),
            true,
        )
        .await
    }

    /// The base URL and the path: the path must stay on the base URL's
    /// origin, so that the client's credentials go nowhere else.
    fn url(&self) -> Result<reqwest::Url, Error> {
        let base = self.client.baseurl();
        let refuse = |why: &str| Error::invalid_request(format!("the raw call's path {why}"));
        if !self.path.starts_with('/') {
            return Err(refuse("must start with `/` (it follows the base URL)"));
        }
        let base_url = reqwest::Url::parse(base)
            .map_err(|_| Error::configuration("the client's base URL is not a URL"))?;
        let url = reqwest::Url::parse(&format!("{}{}", base.trim_end_matches('/'), self.path))
            .map_err(|_| refuse("does not make a valid URL"))?;
        if url.origin() != base_url.origin() {
            return Err(refuse("leaves the base URL's origin"));
        }
        Ok(url)
    }

    /// The entry a generated operation would have in the `operations`
    /// table.
    fn operation(&self) -> Operation {
        let by_method = matches!(
            self.method,
            Method::GET
                | Method::HEAD
                | Method::OPTIONS
                | Method::PUT
                | Method::DELETE
                | Method::TRACE
        );
        let keys = self
            .security
            .iter()
            .flat_map(|alternative| alternative.iter())
            .flat_map(|scheme| scheme.keys.iter());
        let (mut secret, mut publishable) = (false, false);
        for key in keys {
            match key {
                KeyKind::Secret => secret = true,
                KeyKind::Publishable => publishable = true,
            }
        }
        // `Operation` holds static slices: one of the four there can be.
        let keys: &'static [KeyKind] = match (secret, publishable) {
            (true, true) => &[KeyKind::Secret, KeyKind::Publishable],
            (true, false) => &[KeyKind::Secret],
            (false, true) => &[KeyKind::Publishable],
            (false, false) => &[],
        };
        Operation {
            id: RAW_OPERATION,
            method: static_method(&self.method),
            // The span records the template, never a URL with ids in it.
            path: "(raw)",
            keys,
            returns_redirect: false,
            security: self.security,
            idempotent: self.idempotent.unwrap_or(by_method),
            idempotency_key: None,
            request_id_header: None,
        }
    }
}

/// The method's name for the tracing span (which takes static strings).
fn static_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "(extension)",
    }
}
