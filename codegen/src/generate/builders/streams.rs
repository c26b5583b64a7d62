//! The calls of a builder whose operation answers with a stream: what
//! `send()` returns, and the calls beside it.
//!
//! | success response | `send()` | beside it |
//! |---|---|---|
//! | JSON | `T` | |
//! | `text/event-stream` | `EventStream<T>` | |
//! | JSON and `text/event-stream` | `T` | `send_events()`: `EventStream<T>`, asking `Accept: text/event-stream` |
//! | another media type (binary, text) | `ByteStream` | `send_bytes()`: `Bytes`, read whole under `max_response_bytes` |
//!
//! Every call runs the same request building, so retries, the key and
//! typed error statuses are alike; only the reading of the success body
//! differs.

use quote::format_ident;
use syn::Type;

use super::positional::Operation;
use crate::generate::streams::Stream;

/// One `send*()` of a builder.
pub(super) struct Call {
    pub(super) name: syn::Ident,
    /// The runtime entry point (`send_json`, `send_sse`, …).
    pub(super) decode: syn::Ident,
    pub(super) success: Type,
    /// Doc lines after the "Sends a `M` request to `P`" line.
    pub(super) doc: Vec<&'static str>,
    /// An `Accept` this call asks for instead of progenitor's.
    pub(super) accept: Option<&'static str>,
}

impl Call {
    /// Whether the runtime has a `_with` form of the entry point, which
    /// builds the request once per attempt.
    pub(super) fn rebuilds(&self) -> bool {
        ["send_json", "send_empty", "send_sse", "send_bytes"]
            .iter()
            .any(|d| self.decode == d)
    }
}

const EVENTS_DOC: &[&str] = &[
    "",
    " The answer is a stream of Server-Sent Events: each item an `Event`",
    " whose `data` is decoded, or an `Err` when the connection breaks or",
    " the data is not of the documented type; the `[DONE]` sentinel ends",
    " it. An error status before the stream is the usual `Error`, retried",
    " as for every call.",
];

const BYTES_DOC: &[&str] = &[
    "",
    " Reads the whole body, at most the client's `max_response_bytes`",
    " (else `ErrorKind::ResponseTooLarge`); `send()` streams it instead.",
];

/// The calls of `op`'s builder, `send()` first.
pub(super) fn calls(op: &Operation, stream: Option<&Stream>, runtime: &syn::Path) -> Vec<Call> {
    let send = Call {
        name: format_ident!("send"),
        decode: op.decode.clone(),
        success: op.success.clone(),
        doc: Vec::new(),
        accept: None,
    };
    let raw = op.decode == "send_stream";
    match stream {
        Some(Stream::Events { data, json_too }) => {
            let events = Call {
                name: format_ident!("send"),
                decode: format_ident!("send_sse"),
                success: syn::parse_quote!(#runtime::EventStream<#data>),
                doc: EVENTS_DOC.to_vec(),
                accept: None,
            };
            if raw && !json_too {
                vec![events]
            } else if *json_too && op.decode == "send_json" {
                let events = Call {
                    name: format_ident!("send_events"),
                    accept: Some("text/event-stream"),
                    ..events
                };
                vec![send, events]
            } else {
                vec![send]
            }
        }
        Some(Stream::Bytes { .. }) if raw => {
            let bytes = Call {
                name: format_ident!("send_bytes"),
                decode: format_ident!("send_bytes"),
                success: syn::parse_quote!(#runtime::Bytes),
                doc: BYTES_DOC.to_vec(),
                accept: None,
            };
            vec![send, bytes]
        }
        _ => vec![send],
    }
}
