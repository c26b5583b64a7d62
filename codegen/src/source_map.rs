//! JSON pointer → source position, for locating semantic errors.
//!
//! serde_yaml and serde_json give a position only for their own parse errors;
//! the values they produce carry no spans. So when a diagnostic needs a
//! position, the source is read a second time:
//!
//! - **YAML**: yaml-rust2's event parser reports a marker for every node,
//!   and the pointer of each node is recorded.
//! - **JSON**: serde_json reads one object or array at a time, each member
//!   kept as the raw text it spans (`RawValue`), so a lookup descends only
//!   into the containers on its pointer's path, each read once and then
//!   remembered. A spec of megabytes with hundreds of warnings reads a few
//!   times its size instead of building a pointer for each of its nodes
//!   (YAML's event parser over JSON text was about a tenth of a whole
//!   regen). The positions are the ones the YAML index gives for the
//!   same text (a test compares them).
//!
//! Either way the index is built lazily: a spec without problems never pays
//! for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::Location;
use crate::document::pointer::{escape_token, unescape_token};

/// Positions of the nodes of one document, by JSON pointer.
#[derive(Debug)]
pub(crate) struct SourceMap {
    index: Index,
    /// Byte offset of the start of each line: a diagnostic shows its line
    /// without scanning the text again (a spec of megabytes with hundreds
    /// of warnings spent a quarter of its generation time there).
    line_starts: Vec<usize>,
}

#[derive(Debug)]
enum Index {
    /// Every node's position.
    Yaml(HashMap<String, Location>),
    /// The containers read so far, by the byte offset where each starts.
    Json(Mutex<HashMap<usize, Arc<Container>>>),
}

/// The byte range of a value in the source.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug)]
enum Container {
    /// Each member's key, where the key starts and its value's span, in
    /// source order.
    Map(Vec<(String, usize, Span)>),
    Seq(Vec<Span>),
}

impl SourceMap {
    /// Indexes `source` (JSON when it is an object, as [`crate::detect`]
    /// decides, else YAML). A YAML document the event parser rejects
    /// yields the positions seen before the error (serde has already
    /// accepted the document, so this happens only at the edges of YAML
    /// 1.1 vs 1.2).
    pub(crate) fn build(source: &str) -> SourceMap {
        let index = match crate::load::detect(source) {
            crate::load::Syntax::Json => Index::Json(Mutex::default()),
            crate::load::Syntax::Yaml => Index::Yaml(yaml_positions(source)),
        };
        SourceMap {
            index,
            line_starts: line_starts(source),
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

    /// The position of the node at `pointer` in `source` (the text this
    /// map was built from), or of its nearest ancestor that exists there.
    pub(crate) fn locate(&self, source: &str, pointer: &str) -> Option<Location> {
        match &self.index {
            Index::Yaml(positions) => {
                let mut p = pointer;
                loop {
                    if let Some(loc) = positions.get(p) {
                        return Some(*loc);
                    }
                    if p.is_empty() {
                        return None;
                    }
                    p = &p[..p.rfind('/').unwrap_or(0)];
                }
            }
            Index::Json(containers) => {
                let at = json_offset(source, containers, pointer)?;
                Some(self.location(source, at))
            }
        }
    }

    /// The line and column (in characters, as YAML's markers count) of a
    /// byte offset.
    fn location(&self, source: &str, at: usize) -> Location {
        let line = self.line_starts.partition_point(|&start| start <= at);
        let start = self.line_starts[line.saturating_sub(1)];
        Location {
            line,
            column: source.get(start..at).map_or(0, |s| s.chars().count()) + 1,
        }
    }
}

fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The offset to show for the node at `pointer` (or its nearest existing
/// ancestor): a member whose value is an object or an array is shown at its
/// key (the line a reader looks at), any other node at its value.
fn json_offset(
    source: &str,
    containers: &Mutex<HashMap<usize, Arc<Container>>>,
    pointer: &str,
) -> Option<usize> {
    let trimmed = source.trim_start();
    let mut node = Span {
        start: source.len() - trimmed.len(),
        end: source.len() - (trimmed.len() - trimmed.trim_end().len()),
    };
    let mut shown = node.start;
    let Some(tokens) = pointer.strip_prefix('/') else {
        return Some(shown);
    };
    for token in tokens.split('/') {
        let Some(container) = json_container(source, containers, node) else {
            break;
        };
        match &*container {
            Container::Map(members) => {
                let key = unescape_token(token);
                let Some((_, key_at, value)) = members.iter().find(|(k, ..)| *k == key) else {
                    break;
                };
                node = *value;
                shown = if is_collection(source, node) {
                    *key_at
                } else {
                    node.start
                };
            }
            Container::Seq(items) => {
                let Some(item) = token.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    break;
                };
                node = *item;
                shown = node.start;
            }
        }
    }
    Some(shown)
}

fn is_collection(source: &str, span: Span) -> bool {
    matches!(source.as_bytes().get(span.start), Some(b'{' | b'['))
}

/// The members of the object or array at `span`, read once.
fn json_container(
    source: &str,
    containers: &Mutex<HashMap<usize, Arc<Container>>>,
    span: Span,
) -> Option<Arc<Container>> {
    if !is_collection(source, span) {
        return None;
    }
    // A poisoned lock only means another lookup panicked; the map is whole.
    let mut read = containers.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = read.get(&span.start) {
        return Some(known.clone());
    }
    let text = source.get(span.start..span.end)?;
    let raw: Raw = serde_json::from_str(text).ok()?;
    let base = source.as_ptr() as usize;
    let span_of = |value: &RawValue| {
        let start = value.get().as_ptr() as usize - base;
        Span {
            start,
            end: start + value.get().len(),
        }
    };
    let container = match raw {
        Raw::Map(members) => Container::Map(
            members
                .into_iter()
                .map(|(key, value)| {
                    let value = span_of(value);
                    let key_at = key_start(source, value.start).unwrap_or(value.start);
                    (key, key_at, value)
                })
                .collect(),
        ),
        Raw::Seq(items) => Container::Seq(items.into_iter().map(span_of).collect()),
    };
    let container = Arc::new(container);
    read.insert(span.start, container.clone());
    Some(container)
}

/// Where the key of the member whose value starts at `value` starts: back
/// over `"key" :`, to the first quote no backslash escapes.
fn key_start(source: &str, value: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let before = source.get(..value)?.trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let close = before.len().checked_sub(1).filter(|&i| bytes[i] == b'"')?;
    (0..close).rev().find(|&i| {
        bytes[i] == b'"' && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
    })
}

/// One object or array, its members left as the text they span.
enum Raw<'a> {
    Map(Vec<(String, &'a RawValue)>),
    Seq(Vec<&'a RawValue>),
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object or an array")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Raw::Map(members))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Seq(items))
            }
        }
        deserializer.deserialize_any(Members)
    }
}

/// Every node's position, from yaml-rust2's events.
fn yaml_positions(source: &str) -> HashMap<String, Location> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(source);
    let _ = parser.load(&mut builder, false);
    builder.positions
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
    fn yaml_marks() {
        let src = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      operationId: x\n      tags: [one, two]\n";
        let map = SourceMap::build(src);
        assert_eq!(map.locate(src, "/openapi"), at(1, 10));
        assert_eq!(map.locate(src, "/paths/~1a~1{id}/get"), at(4, 5));
        assert_eq!(
            map.locate(src, "/paths/~1a~1{id}/get/operationId"),
            at(5, 20)
        );
        assert_eq!(map.locate(src, "/paths/~1a~1{id}/get/tags/1"), at(6, 19));
        // A pointer below an existing node falls back to that node.
        assert_eq!(
            map.locate(src, "/paths/~1a~1{id}/get/operationId/x"),
            at(5, 20)
        );
    }

    #[test]
    fn json_positions() {
        let src = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\"/a\": {\"get\": {\"operationId\": \"x\"}}}\n}";
        let map = SourceMap::build(src);
        assert_eq!(map.locate(src, "/openapi"), at(2, 14));
        assert_eq!(map.locate(src, "/paths/~1a/get/operationId"), at(3, 43));
    }

    /// Every pointer of `value`, the root first.
    fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    pointers(v, format!("{at}/{}", escape_token(k)), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        // Keys and strings with what JSON escapes, what a pointer escapes
        // and characters wider than a byte.
        let text = "[a-z/~\\\\\"é日 \\n]{0,6}";
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            text.prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 40, 5, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map(text, inner, 0..5)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// The JSON index gives every node the position YAML's events give
        /// it, compact or pretty, and the same nearest ancestor for a
        /// pointer below a leaf.
        #[test]
        fn json_index_agrees_with_yaml_events(
            members in proptest::collection::btree_map("[a-z~/é]{1,4}", json_value(), 1..4),
            pretty in proptest::bool::ANY,
        ) {
            let value = serde_json::Value::Object(members.into_iter().collect());
            let src = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let json = SourceMap::build(&src);
            proptest::prop_assert!(matches!(json.index, Index::Json(_)));
            let yaml = SourceMap {
                index: Index::Yaml(yaml_positions(&src)),
                line_starts: line_starts(&src),
            };
            let mut all = Vec::new();
            pointers(&value, String::new(), &mut all);
            for pointer in all {
                for p in [pointer.clone(), format!("{pointer}/missing~1x/0")] {
                    proptest::prop_assert_eq!(
                        json.locate(&src, &p),
                        yaml.locate(&src, &p),
                        "{} in {}", p, src
                    );
                }
            }
        }
    }
}
