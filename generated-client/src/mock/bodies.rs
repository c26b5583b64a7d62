//! Matchers and answers for the body kinds beyond JSON: multipart parts
//! and form fields to match, event streams and bytes to answer with. They
//! extend httpmock's own `When` and `Then` (reach them with
//! `into_inner()` from the typed wrappers).

use futures_util::FutureExt;

use crate::runtime::{MockEvent, event_stream_text};

/// One part of a multipart request, as a mock matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockPart {
    /// The part's `filename`, if any.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub bytes: Vec<u8>,
}

/// The parts of a `multipart/form-data` body, in order, parsed with
/// `multer`; `None` when the request is not a well-formed multipart body.
pub fn multipart_parts(request: &httpmock::HttpMockRequest) -> Option<Vec<(String, MockPart)>> {
    let content_type = request
        .headers_vec()
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.clone())?;
    let boundary = multer::parse_boundary(content_type).ok()?;
    let body = request.body_bytes();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    // The body is in memory: every future is ready at once, no executor
    // is needed inside httpmock's (synchronous) matcher.
    async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.ok()? {
            let name = field.name()?.to_owned();
            let file_name = field.file_name().map(ToOwned::to_owned);
            let content_type = field.content_type().map(ToString::to_string);
            let bytes = field.bytes().await.ok()?.to_vec();
            parts.push((
                name,
                MockPart {
                    file_name,
                    content_type,
                    bytes,
                },
            ));
        }
        Some(parts)
    }
    .now_or_never()
    .flatten()
}

/// Matchers for httpmock's `When`.
pub trait WhenBodyExt: Sized {
    /// Matches a multipart body with a text part `name` of this value.
    fn multipart_text(self, name: &str, value: &str) -> Self;
    /// Matches a multipart body with a part `name` of exactly these bytes,
    /// this filename and this content type (`None`: any).
    fn multipart_file(
        self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        bytes: &[u8],
    ) -> Self;
    /// Matches a form body (`application/x-www-form-urlencoded`) with the
    /// field `name` (as the style writes it, e.g. `address[city]`) of
    /// this value, decoded.
    fn form_field(self, name: &str, value: &str) -> Self;
}

impl WhenBodyExt for httpmock::When {
    fn multipart_text(self, name: &str, value: &str) -> Self {
        let (name, value) = (name.to_owned(), value.as_bytes().to_vec());
        self.is_true(move |request| {
            multipart_parts(request).is_some_and(|parts| {
                parts
                    .iter()
                    .any(|(n, p)| *n == name && p.file_name.is_none() && p.bytes == value)
            })
        })
    }

    fn multipart_file(
        self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        bytes: &[u8],
    ) -> Self {
        let name = name.to_owned();
        let file_name = file_name.map(ToOwned::to_owned);
        let content_type = content_type.map(ToOwned::to_owned);
        let bytes = bytes.to_vec();
        self.is_true(move |request| {
            multipart_parts(request).is_some_and(|parts| {
                parts.iter().any(|(n, p)| {
                    *n == name
                        && p.bytes == bytes
                        && (file_name.is_none() || p.file_name == file_name)
                        && (content_type.is_none() || p.content_type == content_type)
                })
            })
        })
    }

    fn form_field(self, name: &str, value: &str) -> Self {
        self.form_urlencoded_tuple(name.to_owned(), value.to_owned())
    }
}

/// Answers for httpmock's `Then`.
pub trait ThenBodyExt: Sized {
    /// Answers 200 with a `text/event-stream` body of these events.
    fn event_stream(self, events: &[MockEvent]) -> Self;
    /// Answers 200 with these bytes of this content type.
    fn bytes(self, content_type: &str, bytes: &[u8]) -> Self;
}

impl ThenBodyExt for httpmock::Then {
    fn event_stream(self, events: &[MockEvent]) -> Self {
        self.status(200u16)
            .header("content-type", "text/event-stream")
            .body(event_stream_text(events))
    }

    fn bytes(self, content_type: &str, bytes: &[u8]) -> Self {
        self.status(200u16)
            .header("content-type", content_type.to_owned())
            .body(bytes)
    }
}
