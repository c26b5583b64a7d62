//! API keys: validated once, sent as a sensitive header, never printed.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::error::Error;

/// The two kinds of Alakazam app keys, told apart by their prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// `sk_…`: writes and sessions. Keep it on a server.
    Secret,
    /// `pk_…`: reads and embeds; safe to ship to a browser.
    Publishable,
}

impl KeyKind {
    /// The prefix keys of this kind start with.
    pub fn prefix(self) -> &'static str {
        match self {
            KeyKind::Secret => "sk_",
            KeyKind::Publishable => "pk_",
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyKind::Secret => "secret key (sk_…)",
            KeyKind::Publishable => "publishable key (pk_…)",
        })
    }
}

/// An Alakazam API key (`sk_…` or `pk_…`).
///
/// Its `Debug` and `Display` show only the kind, never the key; the
/// `Authorization` header built from it is marked sensitive, so reqwest and
/// `http` redact it too.
///
/// ```
/// use alakazam_client::{ApiKey, KeyKind};
/// let key = ApiKey::new("sk_live_abc123")?;
/// assert_eq!(key.kind(), KeyKind::Secret);
/// assert!(!format!("{key:?} {key}").contains("abc123"));
/// # Ok::<(), alakazam_client::Error>(())
/// ```
#[derive(Clone)]
pub struct ApiKey {
    kind: KeyKind,
    secret: Box<str>,
    header: HeaderValue,
}

impl ApiKey {
    /// Validates `key`: it must start with `sk_` or `pk_` and consist of
    /// header-safe characters (ASCII letters, digits and `-._~+/=`).
    /// Error messages never repeat the key.
    pub fn new(key: impl Into<String>) -> Result<ApiKey, Error> {
        let key: String = key.into();
        let kind = if key.starts_with("sk_") {
            KeyKind::Secret
        } else if key.starts_with("pk_") {
            KeyKind::Publishable
        } else {
            return Err(Error::configuration(
                "an API key must start with `sk_` (secret) or `pk_` (publishable)",
            ));
        };
        if key.len() <= 3 {
            return Err(Error::configuration(
                "the API key has nothing after its prefix",
            ));
        }
        if let Some(pos) = key.chars().position(|c| !is_key_char(c)) {
            return Err(Error::configuration(format!(
                "the API key contains a character that is not allowed in a header (at position {pos}); \
                 keys are made of ASCII letters, digits and `-._~+/=`"
            )));
        }
        let mut header = HeaderValue::try_from(format!("Bearer {key}"))
            .map_err(|_| Error::configuration("the API key cannot be sent in a header"))?;
        header.set_sensitive(true);
        Ok(ApiKey {
            kind,
            secret: key.into_boxed_str(),
            header,
        })
    }

    /// Secret or publishable.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The key itself. Named so that every use stands out in review.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }

    /// `Bearer <key>`, marked sensitive.
    pub(crate) fn authorization(&self) -> &HeaderValue {
        &self.header
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/' | '=')
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({}***)", self.kind.prefix())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}***", self.kind.prefix())
    }
}

impl PartialEq for ApiKey {
    fn eq(&self, other: &Self) -> bool {
        self.secret == other.secret
    }
}

impl Eq for ApiKey {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn accepts_both_kinds() {
        assert_eq!(ApiKey::new("sk_live_123").unwrap().kind(), KeyKind::Secret);
        assert_eq!(
            ApiKey::new("pk_test_a-b.c").unwrap().kind(),
            KeyKind::Publishable
        );
    }

    #[test]
    fn rejects_bad_keys_without_echoing_them() {
        for bad in [
            "",
            "sk_",
            "xk_live_123",
            "sk_live 123",
            "sk_live\n123",
            "pk_läuft",
            "Bearer sk_1",
        ] {
            let err = ApiKey::new(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Configuration, "{bad:?}");
            let shown = format!("{err} {err:?}");
            if bad.len() > 3 {
                assert!(!shown.contains(&bad[3..]), "{bad:?} leaked in {shown}");
            }
        }
    }

    #[test]
    fn never_shows_the_secret() {
        let key = ApiKey::new("sk_live_supersecret").unwrap();
        for shown in [format!("{key}"), format!("{key:?}"), format!("{key:#?}")] {
            assert!(!shown.contains("supersecret"), "{shown}");
        }
        assert_eq!(key.to_string(), "sk_***");
        assert!(key.authorization().is_sensitive());
        assert!(!format!("{:?}", key.authorization()).contains("supersecret"));
        assert_eq!(key.expose_secret(), "sk_live_supersecret");
    }
}
