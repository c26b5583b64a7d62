//! Credentials for a spec's security schemes other than the Alakazam key:
//! validated once, sent as sensitive values, never printed.

use std::fmt;

use base64::Engine;
use reqwest::header::HeaderValue;

use crate::error::Error;

/// The secret of one of the API's security schemes (`components.
/// securitySchemes`), set with
/// [`ClientBuilder::credential`](crate::ClientBuilder::credential).
///
/// [`Credential::new`] holds a token or key: sent as the header, query
/// parameter or cookie an `apiKey` scheme names, or as `Authorization:
/// Bearer …` for an `http` bearer, `oauth2` or `openIdConnect` scheme.
/// [`Credential::basic`] holds a user name and password for an `http`
/// basic scheme (`Authorization: Basic …`).
///
/// `Debug` and `Display` never show the secret (nor a Basic credential's
/// user name); the headers built from it are marked sensitive, and a
/// response or transport error that repeats it has it replaced by
/// [`REDACTED`](crate::REDACTED).
///
/// ```
/// use alakazam_client::Credential;
/// let secret = Credential::new("plaid-sandbox-1234")?;
/// let login = Credential::basic("alice", "correct horse")?;
/// assert!(!format!("{secret:?} {secret} {login:?} {login}").contains("1234"));
/// # Ok::<(), alakazam_client::Error>(())
/// ```
#[derive(Clone)]
pub struct Credential {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Token {
        secret: Box<str>,
        /// The secret as a header value, for an `apiKey` header.
        raw: HeaderValue,
        /// `Bearer <secret>`.
        bearer: HeaderValue,
    },
    Basic {
        /// The password, or the user name when there is no password.
        password: Box<str>,
        /// base64 of `user:password`, as `Authorization` carries it.
        encoded: Box<str>,
        header: HeaderValue,
    },
}

impl Credential {
    /// A token or key. It must be non-empty, printable ASCII (spaces
    /// inside are allowed: some APIs want `Bearer …` in an `apiKey` header
    /// named `Authorization`), without spaces at either end. Error messages
    /// never repeat it.
    pub fn new(secret: impl Into<String>) -> Result<Credential, Error> {
        let secret: String = secret.into();
        if secret.is_empty() {
            return Err(Error::configuration("the credential is empty"));
        }
        if let Some(pos) = secret.chars().position(|c| !(' '..='~').contains(&c)) {
            return Err(Error::configuration(format!(
                "the credential contains a character that is not allowed in a header (at position {pos}); \
                 credentials are printable ASCII"
            )));
        }
        if secret.starts_with(' ') || secret.ends_with(' ') {
            return Err(Error::configuration(
                "the credential starts or ends with a space, which a header would lose",
            ));
        }
        let raw = sensitive(secret.clone())?;
        let bearer = sensitive(format!("Bearer {secret}"))?;
        Ok(Credential {
            inner: Inner::Token {
                secret: secret.into_boxed_str(),
                raw,
                bearer,
            },
        })
    }

    /// HTTP Basic: a user name without `:` and a password, neither holding
    /// control characters (both may be any other UTF-8, and either may be
    /// empty, not both). Error messages never repeat them.
    pub fn basic(
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<Credential, Error> {
        let (username, password): (String, String) = (username.into(), password.into());
        if username.is_empty() && password.is_empty() {
            return Err(Error::configuration(
                "the Basic credential has neither a user name nor a password",
            ));
        }
        if username.contains(':') {
            return Err(Error::configuration(
                "the Basic credential's user name contains `:`, which separates it from the password",
            ));
        }
        for (what, text) in [("user name", &username), ("password", &password)] {
            if let Some(pos) = text.chars().position(char::is_control) {
                return Err(Error::configuration(format!(
                    "the Basic credential's {what} contains a control character (at position {pos})"
                )));
            }
        }
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
        let header = sensitive(format!("Basic {encoded}"))?;
        Ok(Credential {
            inner: Inner::Basic {
                // A user name beside a password is not secret, and a common
                // one would redact far too much; without a password it is
                // the secret (Stripe-style: the key as user name).
                password: if password.is_empty() {
                    username.into_boxed_str()
                } else {
                    password.into_boxed_str()
                },
                encoded: encoded.into_boxed_str(),
                header,
            },
        })
    }

    /// Whether this is an HTTP Basic credential.
    pub fn is_basic(&self) -> bool {
        matches!(self.inner, Inner::Basic { .. })
    }

    /// The token, or a Basic credential's password (its user name when it
    /// has no password). Named so that every use
    /// stands out in review.
    pub fn expose_secret(&self) -> &str {
        match &self.inner {
            Inner::Token { secret, .. } => secret,
            Inner::Basic { password, .. } => password,
        }
    }

    /// The token, when this is one.
    pub(crate) fn token(&self) -> Option<&str> {
        match &self.inner {
            Inner::Token { secret, .. } => Some(secret),
            Inner::Basic { .. } => None,
        }
    }

    /// The token as a header value, marked sensitive.
    pub(crate) fn raw_header(&self) -> Option<&HeaderValue> {
        match &self.inner {
            Inner::Token { raw, .. } => Some(raw),
            Inner::Basic { .. } => None,
        }
    }

    /// `Authorization`'s value: `Bearer <token>` or `Basic <base64>`,
    /// marked sensitive.
    pub(crate) fn authorization(&self) -> &HeaderValue {
        match &self.inner {
            Inner::Token { bearer, .. } => bearer,
            Inner::Basic { header, .. } => header,
        }
    }

    /// What a response must not repeat: the token; a Basic credential's
    /// secret (its password, or its user name when it has none) and the
    /// encoded `user:password`.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &str> {
        let (first, second) = match &self.inner {
            Inner::Token { secret, .. } => (&**secret, None),
            Inner::Basic {
                password, encoded, ..
            } => (&**password, Some(&**encoded)),
        };
        std::iter::once(first).chain(second)
    }
}

fn sensitive(text: String) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(text)
        .map_err(|_| Error::configuration("the credential cannot be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner {
            Inner::Token { .. } => f.write_str("Credential(***)"),
            Inner::Basic { .. } => f.write_str("Credential(basic ***)"),
        }
    }
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn accepts_tokens_with_inner_spaces_and_basic_pairs() {
        let token = Credential::new("Bearer SG.abc-123_~=/+").unwrap();
        assert_eq!(token.token(), Some("Bearer SG.abc-123_~=/+"));
        assert_eq!(token.raw_header().unwrap(), "Bearer SG.abc-123_~=/+");
        assert_eq!(
            token.authorization(),
            "Bearer Bearer SG.abc-123_~=/+",
            "a token is sent as given"
        );
        assert!(!token.is_basic());
        let basic = Credential::basic("Aladdin", "open sesame").unwrap();
        assert!(basic.is_basic());
        // RFC 7617's example.
        assert_eq!(basic.authorization(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(basic.token(), None);
        assert_eq!(basic.expose_secret(), "open sesame");
        assert_eq!(
            basic.secrets().collect::<Vec<_>>(),
            ["open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]
        );
        // Stripe-style: the key as user name, no password; then the user
        // name is the secret.
        let stripe = Credential::basic("sk_x", "").unwrap();
        assert_eq!(
            stripe.secrets().collect::<Vec<_>>(),
            ["sk_x", "c2tfeDo="],
            "the key as user name is redacted"
        );
        assert!(Credential::basic("ünïcödé", "pässwörd").is_ok());
    }

    #[test]
    fn rejects_bad_credentials_without_echoing_them() {
        let bad_tokens = [
            "",
            " leading-S3CR3T",
            "trailing-S3CR3T ",
            "line\nS3CR3T",
            "tab\tS3CR3T",
            "läuft-S3CR3T",
        ];
        let mut errors: Vec<Error> = bad_tokens
            .iter()
            .map(|t| Credential::new(*t).unwrap_err())
            .collect();
        for (user, password) in [
            ("", ""),
            ("us:er", "S3CR3T"),
            ("user", "S3CR3T\r\n"),
            ("us\u{0}er", "S3CR3T"),
        ] {
            errors.push(Credential::basic(user, password).unwrap_err());
        }
        for err in errors {
            assert_eq!(err.kind(), ErrorKind::Configuration, "{err}");
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("S3CR3T"), "{shown}");
        }
    }

    #[test]
    fn never_shows_the_secret() {
        let token = Credential::new("tok-supersecret").unwrap();
        let basic = Credential::basic("someone", "supersecret").unwrap();
        for shown in [
            format!("{token} {token:?} {token:#?}"),
            format!("{basic} {basic:?} {basic:#?}"),
        ] {
            assert!(!shown.contains("supersecret"), "{shown}");
            assert!(!shown.contains("someone"), "{shown}");
        }
        for value in [
            token.raw_header().unwrap(),
            token.authorization(),
            basic.authorization(),
        ] {
            assert!(value.is_sensitive());
            assert!(!format!("{value:?}").contains("supersecret"));
        }
    }
}
