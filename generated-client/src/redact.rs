//! Finding secrets in text, JSON and headers, and replacing them.
//!
//! The primitives [`Error`](crate::Error) uses to scrub what came from a
//! response; they know nothing of errors, keys or credentials, only of the
//! secrets' text.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue};

/// What replaces the client's API key and credentials wherever a response
/// repeats them.
///
/// A server may echo the key it was sent (`401 bad token sk_live_…`). Before
/// an [`Error`](crate::Error) is returned or logged, every occurrence of the
/// key, of a [`Credential`](crate::Credential)'s secret, or of a Basic
/// credential's encoded `user:password`, in what came from the response —
/// the body's text and JSON (strings and object keys), the headers, the
/// `x-request-id`, and messages and sources derived from the body (a
/// decoding error quoting a value) or from the request (a transport error
/// showing the URL with a query credential) — is replaced by this marker.
/// Secrets are matched as sent, with `/` escaped as `\/` (JSON) and
/// percent-encoded (as in a URL or a query); a secret cut off by the body
/// limit is redacted too.
pub const REDACTED: &str = "[redacted]";

/// Finds and replaces the client's secrets, in the forms a response may
/// carry them.
pub(crate) struct Redactor {
    /// Every secret as sent, then its escaped forms; longest first, so a
    /// secret that holds another is replaced whole.
    needles: Vec<String>,
    /// The secrets as sent, for [`cut_tail`](Self::cut_tail).
    secrets: Vec<String>,
}

impl Redactor {
    /// Empty secrets are ignored: they would match everywhere.
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        let secrets: Vec<String> = secrets
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let mut needles = Vec::new();
        for secret in &secrets {
            let forms = [
                secret.clone(),
                secret.replace('/', "\\/"),
                percent_encode(secret, true),
                percent_encode(secret, false),
                // As the runtime appends a query credential (and as a
                // transport error's URL then shows it).
                url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            ];
            for form in forms {
                if !needles.contains(&form) {
                    needles.push(form);
                }
            }
        }
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        Redactor { needles, secrets }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    pub(crate) fn mentioned_in(&self, text: &str) -> bool {
        self.needles.iter().any(|n| text.contains(n.as_str()))
    }

    /// `text` with the secret replaced, when it holds it.
    pub(crate) fn replaced(&self, text: &str) -> Option<String> {
        if !self.mentioned_in(text) {
            return None;
        }
        let mut out = text.to_owned();
        for needle in &self.needles {
            out = out.replace(needle.as_str(), REDACTED);
        }
        Some(out)
    }

    pub(crate) fn string(&self, text: &mut String) {
        if let Some(out) = self.replaced(text) {
            *text = out;
        }
    }

    /// A text cut at a limit may end inside a secret: a tail that is the
    /// start of one, longer than a key's kind prefix (`sk_`), goes too.
    pub(crate) fn cut_tail(&self, text: &mut String) {
        let cut = self.secrets.iter().find_map(|secret| {
            let prefix = secret.len().min(3);
            (prefix + 1..secret.len())
                .rev()
                .find(|&n| secret.is_char_boundary(n) && text.ends_with(&secret[..n]))
        });
        if let Some(n) = cut {
            text.truncate(text.len() - n);
            text.push_str(REDACTED);
        }
    }

    pub(crate) fn json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => self.string(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            Value::Object(map) => {
                if map.keys().any(|k| self.mentioned_in(k)) {
                    *map = std::mem::take(map)
                        .into_iter()
                        .map(|(k, v)| (self.replaced(&k).unwrap_or(k), v))
                        .collect();
                }
                map.values_mut().for_each(|v| self.json(v));
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    pub(crate) fn headers(&self, headers: &mut HeaderMap) {
        for value in headers.values_mut() {
            let text = String::from_utf8_lossy(value.as_bytes());
            if let Some(out) = self.replaced(&text) {
                // A value that is not text goes whole.
                *value = match value.to_str() {
                    Ok(_) => HeaderValue::try_from(out)
                        .unwrap_or_else(|_| HeaderValue::from_static(REDACTED)),
                    Err(_) => HeaderValue::from_static(REDACTED),
                };
            }
        }
    }

    /// Whether `e` or any of its sources shows the secret.
    pub(crate) fn chain_mentions(&self, e: &(dyn std::error::Error + 'static)) -> bool {
        let mut current = Some(e);
        while let Some(e) = current {
            if self.mentioned_in(&e.to_string()) || self.mentioned_in(&format!("{e:?}")) {
                return true;
            }
            current = e.source();
        }
        false
    }
}

/// Every byte but URLs' unreserved characters (letters, digits, `-._~`)
/// percent-encoded, in upper or lower case hex.
fn percent_encode(secret: &str, upper: bool) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(secret.len());
    for b in secret.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else if upper {
            let _ = write!(out, "%{b:02X}");
        } else {
            let _ = write!(out, "%{b:02x}");
        }
    }
    out
}

/// A source error that showed the secret, kept as its redacted text (the
/// chain below it is folded into its `Display`).
pub(crate) struct Scrubbed {
    display: String,
    debug: String,
}

impl Scrubbed {
    pub(crate) fn of(e: &(dyn std::error::Error + 'static), r: &Redactor) -> Scrubbed {
        let mut display = e.to_string();
        let mut below = e.source();
        while let Some(s) = below {
            display.push_str(": ");
            display.push_str(&s.to_string());
            below = s.source();
        }
        let redact = |t: String| r.replaced(&t).unwrap_or(t);
        Scrubbed {
            display: redact(display),
            debug: redact(format!("{e:?}")),
        }
    }
}

impl fmt::Display for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug)
    }
}

impl std::error::Error for Scrubbed {}
