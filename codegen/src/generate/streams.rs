//! Which operations answer with a stream, and of what: read from the
//! spec before progenitor runs, for the builders (their streaming and
//! whole-body calls) and the typed mocks (answers with events or bytes).
//!
//! progenitor decodes only JSON: a success response of any other media
//! type is a `ByteStream`, and where a response offers JSON beside
//! `text/event-stream` it keeps the JSON and drops the stream. The plan
//! records, per `(METHOD, path)`, what progenitor did not:
//!
//! - `text/event-stream` among the success media types: the type of one
//!   event's `data` (the schema normalization named,
//!   `normalize/event_streams.rs`, else any JSON value) and whether JSON
//!   is offered too;
//! - otherwise a success body that is not JSON (binary, text): its media
//!   type, for the mock's `Content-Type`.

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr, Response, StatusCode};
use syn::Type;

use crate::document::media::is_event_stream;
use crate::document::operations::{OperationKey, plan_operations, typed_response};
use crate::naming::{Case, sanitize};

/// What an operation's success response streams.
#[derive(Clone, Debug)]
pub(crate) enum Stream {
    /// Server-Sent Events whose `data` decodes as `data`.
    Events {
        data: Box<Type>,
        /// The same success response offers JSON: `send()` stays JSON and
        /// the events get a call of their own.
        json_too: bool,
    },
    /// A body that is not JSON, of this media type (a wildcard or a
    /// missing one: `application/octet-stream`).
    Bytes { media: String },
}

/// `(METHOD, path)` → what the operation streams, and its operationId.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan(HashMap<OperationKey, (String, Stream)>);

impl Plan {
    pub(crate) fn get(&self, method: &str, path: &str) -> Option<&Stream> {
        self.0
            .get(&(method.to_ascii_uppercase(), path.to_owned()))
            .map(|(_, s)| s)
    }

    /// `operationId` → what it streams.
    pub(crate) fn by_operation_id(&self) -> HashMap<&str, &Stream> {
        self.0.values().map(|(id, s)| (id.as_str(), s)).collect()
    }
}

pub(crate) fn plan(api: &OpenAPI) -> Plan {
    Plan(plan_operations(api, |_, op| {
        let stream = operation(api, op)?;
        Some((op.operation_id.clone().unwrap_or_default(), stream))
    }))
}

fn operation(api: &OpenAPI, op: &openapiv3::Operation) -> Option<Stream> {
    let has_range = op
        .responses
        .responses
        .keys()
        .any(|s| *s == StatusCode::Range(2));
    // progenitor's successes: 2xx, 2XX, and `default` unless 2XX is there.
    let mut success: Vec<&Response> = op
        .responses
        .responses
        .iter()
        .filter(|(s, _)| match s {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        })
        .filter_map(|(_, r)| typed_response(api, r))
        .collect();
    if !has_range
        && let Some(r) = op
            .responses
            .default
            .as_ref()
            .and_then(|r| typed_response(api, r))
    {
        success.push(r);
    }
    let media: Vec<(&String, &openapiv3::MediaType)> =
        success.iter().flat_map(|r| r.content.iter()).collect();
    let json_too = media.iter().any(|(m, _)| is_json(m));
    if let Some((_, mt)) = media.iter().find(|(m, _)| is_event_stream(m)) {
        return Some(Stream::Events {
            data: Box::new(data_type(mt)),
            json_too,
        });
    }
    if json_too {
        return None;
    }
    let (m, _) = media.first()?;
    let media = if m.contains('*') {
        "application/octet-stream".to_owned()
    } else {
        (*m).clone()
    };
    Some(Stream::Bytes { media })
}

fn is_json(media: &str) -> bool {
    crate::document::media::progenitor_json(media)
}

/// The component type normalization named, or any JSON value.
fn data_type(mt: &openapiv3::MediaType) -> Type {
    let named = match &mt.schema {
        Some(ReferenceOr::Reference { reference }) => {
            reference.strip_prefix("#/components/schemas/")
        }
        _ => None,
    };
    match named {
        Some(name) => {
            let ident = quote::format_ident!("{}", sanitize(name, Case::Pascal));
            syn::parse_quote!(types::#ident)
        }
        None => syn::parse_quote!(::serde_json::Value),
    }
}
