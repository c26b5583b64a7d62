//! The entry of one operation in the generated `operations` table.

use super::security::Requirement;
use crate::key::KeyKind;

/// One operation of the API, as the generated `operations` table lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's operationId, e.g. `updateCharacter`.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template, e.g. `/v1/characters/{id}`.
    pub path: &'static str,
    /// Kinds of [`ApiKey`](crate::ApiKey) the operation accepts: those its
    /// bearer-like security schemes take; empty when none takes the key
    /// (see `security` for everything it needs).
    pub keys: &'static [KeyKind],
    /// The spec documents a redirect (`301`, `302`, `303`, `307`, `308`,
    /// `3XX`) as the operation's answer and no success beside it: the
    /// runtime does not follow it but returns it, with its `Location`.
    /// Every other operation follows redirects (reqwest's default, at most
    /// 10).
    pub returns_redirect: bool,
    /// The security requirement: alternatives of schemes, the operation's
    /// own `security` or else the document's.
    pub security: Requirement,
    /// Whether sending the operation twice has the effect of sending it
    /// once, so that a failure after the server may have received it (a
    /// timeout, a 5xx) can be retried: true for `GET`, `HEAD`, `OPTIONS`,
    /// `PUT`, `DELETE` and `TRACE` (idempotent by HTTP, RFC 9110 §9.2.2),
    /// and for an operation the spec marks `x-codegen-idempotent: true`;
    /// false for `POST` and `PATCH` and for one marked `false`. A call of
    /// an operation that is not is retried only when the server provably
    /// did not act on it, or when it carries an
    /// [`idempotency_key`](Self::idempotency_key).
    pub idempotent: bool,
    /// The header the spec declares for an idempotency key
    /// (`Idempotency-Key` or `X-Idempotency-Key`, any case): a call that
    /// sends one is retried like an idempotent operation, the server
    /// recognising the repeat. A call whose caller set no key (by the
    /// parameter's setter or an extra header) sends one the client
    /// generates (a UUID v4), once per call and the same on every retry.
    pub idempotency_key: Option<&'static str>,
    /// The response header the spec names as the request id
    /// (`x-codegen-request-id-header`), read before the common ones of
    /// [`REQUEST_ID_HEADERS`](super::REQUEST_ID_HEADERS) by
    /// [`Error::request_id`](crate::Error::request_id).
    pub request_id_header: Option<&'static str>,
}

impl Operation {
    /// Whether `request`, a call of this operation, may be repeated after
    /// the server may have received it (see [`idempotent`](Self::idempotent)).
    pub(crate) fn repeatable(&self, request: &reqwest::Request) -> bool {
        self.idempotent
            || self
                .idempotency_key
                .and_then(|name| request.headers().get(name))
                .is_some_and(|value| !value.is_empty())
    }
}
