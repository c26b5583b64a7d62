//! Media types the stages recognise alike.

/// Whether `media` is `text/event-stream` (Server-Sent Events), whatever
/// its parameters and case.
pub(crate) fn is_event_stream(media: &str) -> bool {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .eq_ignore_ascii_case("text/event-stream")
}

#[cfg(test)]
mod tests {
    #[test]
    fn event_streams_are_recognised_with_parameters() {
        assert!(super::is_event_stream("Text/Event-Stream; charset=utf-8"));
        assert!(!super::is_event_stream("text/plain"));
    }
}
