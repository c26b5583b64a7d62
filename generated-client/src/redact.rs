//! Finding one secret in text, JSON and headers, and replacing it.
//!
//! The primitives [`Error`](crate::Error) uses to scrub what came from a
//! response; they know nothing of errors or keys, only of the secret's text.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue};

/// What replaces the client's API key wherever a response repeats it.
///
/// A server may echo the key it was sent (`401 bad token sk_live_…`). Before
/// an [`Error`](crate::Error) is returned or logged, every occurrence of the
/// key in what came from the response — the body's text and JSON (strings
/// and object keys), the headers, the `x-request-id`, and messages and
/// sources derived from the body (a decoding error quoting a value) — is
/// replaced by this marker. The key is matched as sent, with `/` escaped as
/// `\/` (JSON) and percent-encoded; a key cut off by the body limit is
/// redacted too.
pub const REDACTED: &str = "[redacted]";

/// Finds and replaces one secret, in the forms a response may carry it.
pub(crate) struct Redactor {
    /// The secret as sent first, then its escaped forms.
    needles: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(secret: &str) -> Redactor {
        let mut needles = vec![secret.to_owned()];
        let escaped = [
            secret.replace('/', "\\/"),
            percent_encode(secret, true),
            percent_encode(secret, false),
        ];
        for form in escaped {
            if !needles.contains(&form) {
                needles.push(form);
            }
        }
        Redactor { needles }
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

    /// A text cut at a limit may end inside the secret: a tail that is the
    /// start of the secret, longer than its kind prefix (`sk_`), goes too.
    pub(crate) fn cut_tail(&self, text: &mut String) {
        let secret = self.needles[0].as_str();
        let prefix = secret.len().min(3);
        let cut = (prefix + 1..secret.len())
            .rev()
            .find(|&n| secret.is_char_boundary(n) && text.ends_with(&secret[..n]));
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

/// `+`, `/` and `=` percent-encoded (the key's other characters are
/// unreserved in URLs).
fn percent_encode(key: &str, upper: bool) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        let code = match c {
            '+' => "2B",
            '/' => "2F",
            '=' => "3D",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push('%');
        if upper {
            out.push_str(code);
        } else {
            out.push_str(&code.to_ascii_lowercase());
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
