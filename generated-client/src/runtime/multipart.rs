//! `multipart/form-data` request bodies, built from a typed model by the
//! generated code with reqwest's own multipart support.
//!
//! A multipart body is a stream to reqwest and cannot be copied, so the
//! generated code builds a fresh [`Multipart`] for every attempt (with the
//! `send_*_with` entries). A [`FilePart`] made from bytes gives the same
//! part each time; one made from a stream gives its stream once: a retry
//! of such a request is refused and the previous failure stands.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// A file to upload as one part: bytes, or a stream of known length, with
/// an optional file name and content type (else
/// `application/octet-stream`).
///
/// Cloning is cheap (the bytes are shared); clones of a streamed part
/// share its one stream.
#[derive(Clone)]
pub struct FilePart {
    content: Content,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// Equal parts hold the same bytes (or are clones of one streamed part:
/// a stream cannot be compared without reading it), under the same file
/// name and content type: what a model holding a part needs to derive
/// `PartialEq`.
impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        let content = match (&self.content, &other.content) {
            (Content::Bytes(a), Content::Bytes(b)) => a == b,
            (Content::Stream { body: a, .. }, Content::Stream { body: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        };
        content && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

#[derive(Clone)]
enum Content {
    Bytes(Bytes),
    /// Taken by the first request built from it.
    Stream {
        body: Arc<Mutex<Option<reqwest::Body>>>,
        length: u64,
    },
}

impl FilePart {
    /// A part with these bytes, sent again as they are on a retry.
    pub fn bytes(bytes: impl Into<Bytes>) -> FilePart {
        FilePart {
            content: Content::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A part streamed from `body` (for example a
    /// `reqwest::Body::wrap_stream`), which yields exactly `length` bytes.
    /// It is read once, while the request is sent: nothing of it is
    /// buffered, and a request with it is not retried.
    pub fn stream(body: impl Into<reqwest::Body>, length: u64) -> FilePart {
        FilePart {
            content: Content::Stream {
                body: Arc::new(Mutex::new(Some(body.into()))),
                length,
            },
            file_name: None,
            content_type: None,
        }
    }

    /// A part streamed from an open file, from where it is to its end
    /// (its length is the file's at this moment). Like
    /// [`stream`](Self::stream): read once, not retried.
    pub async fn file(file: tokio::fs::File) -> Result<FilePart, Error> {
        let length = file.metadata().await.map_err(|e| {
            Error::invalid_request(format!("the file to upload has no readable length: {e}"))
        })?;
        Ok(FilePart::stream(file, length.len()))
    }

    /// The part's `filename`.
    pub fn file_name(mut self, name: impl Into<String>) -> FilePart {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type` (`application/octet-stream` without one).
    pub fn content_type(mut self, content_type: impl Into<String>) -> FilePart {
        self.content_type = Some(content_type.into());
        self
    }

    /// Whether a request with this part can be sent again (a retry): true
    /// for bytes, false for a stream.
    pub fn is_repeatable(&self) -> bool {
        matches!(self.content, Content::Bytes(_))
    }

    /// The part's length in bytes.
    pub fn len(&self) -> u64 {
        match &self.content {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Stream { length, .. } => *length,
        }
    }

    /// Whether the part has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The part's content type: the one given, else
    /// `application/octet-stream`.
    pub fn mime(&self) -> &str {
        self.content_type
            .as_deref()
            .unwrap_or("application/octet-stream")
    }

    /// The file as a whole request body (`application/octet-stream` and
    /// other binary bodies): the bytes again for every attempt, or the
    /// stream once (then an `InvalidRequest` error that tells the attempt
    /// loop not to retry). Send it with `Content-Length: len()` and
    /// `Content-Type: mime()`.
    pub fn to_body(&self) -> Result<reqwest::Body, Error> {
        self.body("the request body")
    }

    fn body(&self, what: &str) -> Result<reqwest::Body, Error> {
        match &self.content {
            Content::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Content::Stream { body, .. } => {
                let taken = body.lock().ok().and_then(|mut slot| slot.take());
                taken.ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidRequest,
                        format!(
                            "the streamed file of {what} was already sent; a stream is sent once"
                        ),
                    )
                    .with_source(Spent)
                })
            }
        }
    }

    fn to_part(&self, name: &str) -> Result<Part, Error> {
        let body = self.body(&format!("part `{name}`"))?;
        let part = with_type(
            Part::stream_with_length(body, self.len()),
            name,
            self.mime(),
        )?;
        Ok(match &self.file_name {
            Some(file_name) => part.file_name(file_name.clone()),
            None => part,
        })
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> FilePart {
        FilePart::bytes(bytes)
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> FilePart {
        FilePart::bytes(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> FilePart {
        FilePart::bytes(bytes)
    }
}

/// A model with file fields is still a model: it encodes and decodes like
/// every generated type (typed mocks, tests, logs). In JSON a file is its
/// bytes, as a string when they are UTF-8, else as an array of numbers;
/// its file name and content type are not part of it. A streamed file has
/// no JSON form (its bytes are not in memory): encoding one fails.
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.content {
            Content::Bytes(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => serializer.serialize_str(text),
                Err(_) => serializer.collect_seq(bytes.iter()),
            },
            Content::Stream { .. } => Err(serde::ser::Error::custom(
                "a streamed file part has no JSON form",
            )),
        }
    }
}

/// A file part of the bytes of a JSON string, or of an array of numbers
/// (what [`Serialize`] writes).
impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FilePart, D::Error> {
        struct FileVisitor;
        impl<'de> serde::de::Visitor<'de> for FileVisitor {
            type Value = FilePart;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a file's bytes (a string or an array of bytes)")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<FilePart, E> {
                Ok(FilePart::bytes(text.as_bytes().to_vec()))
            }

            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<FilePart, E> {
                Ok(FilePart::bytes(bytes.to_vec()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FilePart, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(FilePart::bytes(bytes))
            }
        }
        deserializer.deserialize_any(FileVisitor)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_repeatable() {
            "bytes"
        } else {
            "stream"
        };
        f.debug_struct("FilePart")
            .field("content", &kind)
            .field("len", &self.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// The source of the error a spent stream gives: tells the attempt loop
/// that the request cannot be built again (the previous failure stands).
#[derive(Debug)]
pub(super) struct Spent;

impl fmt::Display for Spent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a streamed body is sent once")
    }
}

impl std::error::Error for Spent {}

/// Whether `error` says a streamed part was already sent.
pub(super) fn is_spent(error: &Error) -> bool {
    std::error::Error::source(error).is_some_and(|s| s.is::<Spent>())
}

/// A multipart body being built, one field of the model at a time, in the
/// model's field order. A field whose value is `None` (JSON `null`) sends
/// no part.
#[derive(Default)]
pub struct Multipart {
    form: Form,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("boundary", &self.form.boundary())
            .finish()
    }
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// A scalar field as a text part (no filename and no `Content-Type`,
    /// which means `text/plain`): a string
    /// as it is, a number or boolean as JSON writes it. An array of
    /// scalars sends one text part per item; an object, a JSON part.
    pub fn text(self, name: &str, value: &impl Serialize) -> Result<Multipart, Error> {
        match to_value(name, value)? {
            Value::Null => Ok(self),
            Value::Array(items) => items
                .into_iter()
                .try_fold(self, |form, item| form.text_value(name, item)),
            value => self.text_value(name, value),
        }
    }

    fn text_value(self, name: &str, value: Value) -> Result<Multipart, Error> {
        let text = match value {
            Value::Null => return Ok(self),
            Value::String(text) => text,
            Value::Bool(_) | Value::Number(_) => value.to_string(),
            object @ (Value::Object(_) | Value::Array(_)) => {
                return self.json(name, &object, None);
            }
        };
        Ok(self.with(name, Part::text(text)))
    }

    /// An object or array field as one JSON part, of `content_type`
    /// (`encoding.<field>.contentType`) or `application/json`.
    pub fn json(
        self,
        name: &str,
        value: &impl Serialize,
        content_type: Option<&str>,
    ) -> Result<Multipart, Error> {
        // Straight to text: a `Value` would reorder the object's keys.
        let text = serde_json::to_string(value).map_err(|e| {
            Error::invalid_request(format!(
                "the multipart field `{name}` does not serialize: {e}"
            ))
        })?;
        if text == "null" {
            return Ok(self);
        }
        let part = with_type(
            Part::text(text),
            name,
            content_type.unwrap_or("application/json"),
        )?;
        Ok(self.with(name, part))
    }

    /// A binary field: one file part.
    pub fn file(self, name: &str, file: &FilePart) -> Result<Multipart, Error> {
        let part = file.to_part(name)?;
        Ok(self.with(name, part))
    }

    /// A binary field that is optional (`&Option<FilePart>`) or an array
    /// (`&Vec<FilePart>`): one part per file, all under `name`.
    pub fn files<'a>(
        self,
        name: &str,
        files: impl IntoIterator<Item = &'a FilePart>,
    ) -> Result<Multipart, Error> {
        files
            .into_iter()
            .try_fold(self, |form, file| form.file(name, file))
    }

    /// Binary fields whose `encoding.<field>.contentType` is
    /// `content_type`: one part per file, all under `name`, each of its
    /// own content type if it has one, else of `content_type`.
    pub fn files_of_type<'a>(
        self,
        name: &str,
        files: impl IntoIterator<Item = &'a FilePart>,
        content_type: &str,
    ) -> Result<Multipart, Error> {
        files.into_iter().try_fold(self, |form, file| {
            if file.content_type.is_some() {
                return form.file(name, file);
            }
            let typed = FilePart {
                content_type: Some(content_type.to_owned()),
                ..file.clone()
            };
            form.file(name, &typed)
        })
    }

    /// Every field of `value` (an object, such as a model's map of fields
    /// the spec does not describe) as [`text`](Self::text) sends it: a
    /// scalar as a text part, an object as a JSON part. Anything but an
    /// object sends nothing.
    pub fn object(self, value: &impl Serialize) -> Result<Multipart, Error> {
        match to_value("(object)", value)? {
            Value::Object(fields) => fields
                .iter()
                .try_fold(self, |form, (name, value)| form.text(name, value)),
            _ => Ok(self),
        }
    }

    /// The form, for `RequestBuilder::multipart`.
    pub fn into_form(self) -> Form {
        self.form
    }

    fn with(self, name: &str, part: Part) -> Multipart {
        Multipart {
            form: self.form.part(name.to_owned(), part),
        }
    }
}

fn to_value(name: &str, value: &impl Serialize) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| {
        Error::invalid_request(format!(
            "the multipart field `{name}` does not serialize: {e}"
        ))
    })
}

fn with_type(part: Part, name: &str, content_type: &str) -> Result<Part, Error> {
    part.mime_str(content_type).map_err(|e| {
        Error::invalid_request(format!(
            "the content type `{content_type}` of part `{name}` is not valid: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_equal_by_bytes_name_and_type_and_streams_by_identity() {
        let a = FilePart::bytes(&b"abc"[..]).file_name("a.txt");
        assert_eq!(a, FilePart::bytes(b"abc".to_vec()).file_name("a.txt"));
        assert_ne!(a, FilePart::bytes(&b"abc"[..]).file_name("b.txt"));
        assert_ne!(a, a.clone().content_type("text/plain"));
        let stream = FilePart::stream(reqwest::Body::from("abc"), 3);
        assert_eq!(stream, stream.clone());
        assert_ne!(stream, FilePart::stream(reqwest::Body::from("abc"), 3));
        assert_ne!(stream, FilePart::bytes(&b"abc"[..]));
    }
}
