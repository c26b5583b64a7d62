//! The runtime the generated code calls into.
//!
//! Every generated builder's `send()` builds its `reqwest::Request` (as
//! progenitor wrote it) and hands it to [`send_json`], [`send_empty`],
//! [`send_bytes`], [`send_stream`], [`send_sse`] or [`send_upgrade`]
//! together with the operation's entry in the generated `operations`
//! table. Bodies beyond JSON are built with [`Multipart`] (and
//! [`FilePart`]) and [`form_body`]; query parameters of any `style` with
//! [`append_query`]. A list operation's `pages()` and `stream()` walk its
//! pages with [`Pages`] and [`Items`], as its [`Pagination`] says. Everything a call needs beyond
//! building the request lives here: the choice of credentials among the
//! operation's security alternatives (the key check included), sending
//! them (`Authorization`, an `apiKey`'s header, query or cookie) and the
//! `User-Agent`, the per-attempt timeout, retries with backoff, reading
//! success bodies under the client's `max_response_bytes`, reading and
//! classifying error responses (with the key and credentials redacted
//! from whatever the server repeats, see [`REDACTED`](crate::REDACTED)), and the tracing span.
//!
//! This module is public so that code generated into another crate (for
//! example by `cargo xtask corpus`) can use it; applications use
//! [`Client`](crate::Client) and never call it directly.

mod attempts;
mod credentials;
mod follow;
mod form;
#[cfg(feature = "mock")]
mod mock_events;
mod multipart;
mod operation;
mod options;
mod pages;
mod params;
mod query;
mod raw;
mod read;
mod security;
mod send;
mod sized;
mod source;
mod sse;
mod state;
mod style;
mod unfollowed;

/// The body type of [`send_bytes`].
pub use bytes::Bytes;
pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};

pub use crate::error::{Error, ErrorBody, ErrorByStatus, decode_error_body, error_body_text};
// What the generated typed mocks answer event streams with.
pub use crate::key::KeyKind;
pub use crate::request_id::{REQUEST_ID_HEADERS, ResponseExt};
pub use form::{FORM_CONTENT_TYPE, FieldEncoding, form_body};
#[cfg(feature = "mock")]
#[doc(hidden)]
pub use mock_events::{MockEvent, event_stream_text};
pub use multipart::{FilePart, Multipart};
pub use operation::Operation;
pub use options::RequestOptions;
pub use pages::{Items, Next, Pages, Pagination, Param};
pub use params::{header_value, path_segment};
pub use query::append_query;
pub use raw::{RAW_OPERATION, RawRequest};
pub use security::{ApiKeyLocation, Requirement, SchemeKind, SecurityScheme};
pub use send::{
    required, send_bytes, send_bytes_with, send_empty, send_empty_with, send_json, send_json_with,
    send_stream, send_upgrade,
};
pub use sized::{file_body, sized_body};
pub use sse::{DONE, Data, Event, EventStream, send_sse, send_sse_with};
pub(crate) use state::Settings;
pub use state::{ClientState, GeneratedClient};
pub use style::{PathStyle, Style};
pub(crate) use unfollowed::Unfollowed;
