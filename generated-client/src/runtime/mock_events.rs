//! Events written as a `text/event-stream` body, for the typed mocks
//! (feature `mock`): the runtime's, so that generated mocks reach them
//! through the runtime path they already use, and `mock` imports the
//! runtime, never the other way round.

use std::fmt::Write;

use serde::Serialize;

/// One event of a mocked `text/event-stream` answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MockEvent {
    /// `event:`, if any.
    pub event: Option<String>,
    /// `id:`, if any.
    pub id: Option<String>,
    /// `retry:` in milliseconds, if any.
    pub retry: Option<u64>,
    /// `data:`; a multi-line text is sent as one `data:` line per line.
    pub data: String,
}

impl MockEvent {
    /// An event whose data is `value` as JSON.
    pub fn json(value: &impl Serialize) -> MockEvent {
        MockEvent {
            data: serde_json::to_string(value).unwrap_or_default(),
            ..MockEvent::default()
        }
    }

    /// An event whose data is this text.
    pub fn text(data: impl Into<String>) -> MockEvent {
        MockEvent {
            data: data.into(),
            ..MockEvent::default()
        }
    }

    /// The `[DONE]` sentinel that ends a stream.
    pub fn done() -> MockEvent {
        MockEvent::text(super::sse::DONE)
    }

    /// With this `event:` name.
    pub fn named(mut self, event: impl Into<String>) -> MockEvent {
        self.event = Some(event.into());
        self
    }

    /// With this `id:`.
    pub fn id(mut self, id: impl Into<String>) -> MockEvent {
        self.id = Some(id.into());
        self
    }
}

/// The `text/event-stream` text of `events`.
pub fn event_stream_text(events: &[MockEvent]) -> String {
    let mut out = String::new();
    for event in events {
        if let Some(name) = &event.event {
            let _ = writeln!(out, "event: {name}");
        }
        if let Some(id) = &event.id {
            let _ = writeln!(out, "id: {id}");
        }
        if let Some(retry) = event.retry {
            let _ = writeln!(out, "retry: {retry}");
        }
        for line in event.data.split('\n') {
            let _ = writeln!(out, "data: {line}");
        }
        out.push('\n');
    }
    out
}
