//! JSON pointer → source position, for locating semantic errors.
//!
//! serde_yaml and serde_json give a position only for their own parse errors;
//! the values they produce carry no spans. So when a diagnostic needs a
//! position, the source is parsed a second time with yaml-rust2's event
//! parser, which reports a marker for every node, and the pointer of each
//! node is recorded. JSON is (for this purpose) a subset of YAML 1.2, so one
//! index serves both formats. The index is built lazily: a spec without
//! problems never pays for it.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::Location;
use crate::document::pointer::escape_token;

/// Positions of the nodes of one document, by JSON pointer.
#[derive(Debug, Default)]
pub(crate) struct SourceMap {
    positions: HashMap<String, Location>,
    /// Byte offset of the start of each line: a diagnostic shows its line
    /// without scanning the text again (a spec of megabytes with hundreds
    /// of warnings spent a quarter of its generation time there).
    line_starts: Vec<usize>,
}

impl SourceMap {
    /// Indexes `source`. A document the event parser rejects yields the
    /// positions seen before the error (serde has already accepted the
    /// document, so this happens only at the edges of YAML 1.1 vs 1.2).
    pub(crate) fn build(source: &str) -> SourceMap {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(source);
        let _ = parser.load(&mut builder, false);
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceMap {
            positions: builder.positions,
            line_starts,
        }
    }

    /// The text of line `line` (1-based) of `source`, the text this map was
    /// built from, without its line break; `None` past the last line.
    pub(crate) fn line<'s>(&self, source: &'s str, line: usize) -> Option<&'s str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(source.len(), |next| next - 1);
        // The last line break ends no line of its own (as `str::lines`).
        if start == source.len() && line > 1 {
            return None;
        }
        source.get(start..end)
    }

    /// The position of the node at `pointer`, or of its nearest ancestor
    /// that exists in the source.
    pub(crate) fn locate(&self, pointer: &str) -> Option<Location> {
        let mut p = pointer;
        loop {
            if let Some(loc) = self.positions.get(p) {
                return Some(*loc);
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }
}

enum Frame {
    Map {
        pointer: String,
        /// The key just read, with its position, waiting for its value.
        key: Option<(String, Location)>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    positions: HashMap<String, Location>,
    stack: Vec<Frame>,
    /// Nesting depth of collections used as mapping keys, which are skipped.
    complex_key_depth: usize,
}

fn location(mark: &Marker) -> Location {
    Location {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

impl Builder {
    /// The pointer of the node that starts now, and the position to record
    /// for it: for a mapping entry whose value is a collection that is the
    /// key's position (the line a reader looks at), else the node's own.
    /// Returns `None` when the node is a mapping key.
    fn place(&mut self, is_collection: bool, mark: Location) -> Option<(String, Location)> {
        match self.stack.last_mut() {
            None => Some((String::new(), mark)),
            Some(Frame::Seq { pointer, next }) => {
                let p = child(pointer, &next.to_string());
                *next += 1;
                Some((p, mark))
            }
            Some(Frame::Map { pointer, key }) => match key.take() {
                Some((k, key_mark)) => {
                    let p = child(pointer, &escape_token(&k));
                    Some((p, if is_collection { key_mark } else { mark }))
                }
                None => None,
            },
        }
    }
}

/// `{parent}/{token}`, allocated once (a large spec has a node for every
/// hundred bytes or so).
fn child(parent: &str, token: &str) -> String {
    let mut p = String::with_capacity(parent.len() + 1 + token.len());
    p.push_str(parent);
    p.push('/');
    p.push_str(token);
    p
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let here = location(&mark);
        if self.complex_key_depth > 0 {
            match ev {
                Event::MappingStart(..) | Event::SequenceStart(..) => self.complex_key_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => self.complex_key_depth -= 1,
                _ => {}
            }
            return;
        }
        match ev {
            Event::Scalar(value, ..) => match self.place(false, here) {
                Some((p, loc)) => {
                    self.positions.entry(p).or_insert(loc);
                }
                None => {
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some((value, here));
                    }
                }
            },
            Event::Alias(_) => {
                if let Some((p, loc)) = self.place(false, here) {
                    self.positions.entry(p).or_insert(loc);
                } else if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                    *key = Some((String::from("*alias"), here));
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                match self.place(true, here) {
                    Some((pointer, loc)) => {
                        self.positions.entry(pointer.clone()).or_insert(loc);
                        self.stack.push(if is_map {
                            Frame::Map { pointer, key: None }
                        } else {
                            Frame::Seq { pointer, next: 0 }
                        });
                    }
                    None => self.complex_key_depth = 1,
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_by_number_as_str_lines_gives_them() {
        for text in ["a: 1\nb: 2\n", "a: 1\r\nb: 2", "x", "a\n\nb\n"] {
            let map = SourceMap::build(text);
            let expected: Vec<&str> = text.lines().collect();
            for (i, line) in expected.iter().enumerate() {
                assert_eq!(
                    map.line(text, i + 1).map(|l| l.trim_end_matches('\r')),
                    Some(*line),
                    "{text:?} line {}",
                    i + 1
                );
            }
            assert_eq!(map.line(text, expected.len() + 1), None, "{text:?}");
            assert_eq!(map.line(text, 0), None);
        }
    }

    fn at(line: usize, column: usize) -> Option<Location> {
        Some(Location { line, column })
    }

    #[test]
    fn yaml_positions() {
        let src = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      operationId: x\n      tags: [one, two]\n";
        let map = SourceMap::build(src);
        assert_eq!(map.locate("/openapi"), at(1, 10));
        assert_eq!(map.locate("/paths/~1a~1{id}/get"), at(4, 5));
        assert_eq!(map.locate("/paths/~1a~1{id}/get/operationId"), at(5, 20));
        assert_eq!(map.locate("/paths/~1a~1{id}/get/tags/1"), at(6, 19));
        // A pointer below an existing node falls back to that node.
        assert_eq!(map.locate("/paths/~1a~1{id}/get/operationId/x"), at(5, 20));
    }

    #[test]
    fn json_positions() {
        let src = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\"/a\": {\"get\": {\"operationId\": \"x\"}}}\n}";
        let map = SourceMap::build(src);
        assert_eq!(map.locate("/openapi"), at(2, 14));
        assert_eq!(map.locate("/paths/~1a/get/operationId"), at(3, 43));
    }
}
