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

/// Whether `media` is JSON: `application/json`, or a `+json`/`…/json`
/// type, whatever its parameters and case.
pub(crate) fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.ends_with("/json") || essence.ends_with("+json")
}

/// Whether progenitor decodes a body of `media` as JSON: `application/json`
/// exactly, with or without parameters (progenitor-impl 0.15 `method.rs`;
/// normalization rewrites the other JSON types to it first).
pub(crate) fn progenitor_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn event_streams_are_recognised_with_parameters() {
        assert!(super::is_event_stream("Text/Event-Stream; charset=utf-8"));
        assert!(!super::is_event_stream("text/plain"));
    }

    #[test]
    fn json_is_recognised_with_suffixes_and_parameters() {
        assert!(super::is_json("Application/JSON; charset=utf-8"));
        assert!(super::is_json("application/vnd.x+json"));
        assert!(!super::is_json("text/plain"));
    }
}
