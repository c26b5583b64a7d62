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
}
