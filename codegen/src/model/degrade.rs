//! A node the typed model cannot read costs only that node.
//!
//! `openapiv3` rejects the whole document for one value of the wrong shape
//! (`type: {}`, a parameter without `in`). Instead, each smallest failing
//! part [`super::shape`] locates is degraded by its kind, and the document
//! converted again: a schema becomes any JSON value (its `description`
//! kept), a response loses its body, any other part (parameter, header,
//! media type, request body, example, link, callback, security scheme,
//! operation, path item) is left out, and so is every reference to a
//! component left out. Each is a warning at the node's pointer in the
//! source (`--deny-warnings` makes it an error). Only what belongs to no
//! such part (the root, `info`, `paths` or `components` of the wrong
//! shape) stays an error: that document is not OpenAPI.
//!
//! It lives here, not in a normalization pass, because what fails is
//! decided by `openapiv3` itself, whose conversion is this stage's: a pass
//! would have to convert every document twice, while this costs nothing
//! for a document that converts.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;
use serde_json::{Map, Value, json};

use super::shape::{Part, TypeError, type_errors};
use crate::document::pointer::{Lookup, percent_decode};
use crate::document::refs::references;
use crate::problems::Problems;

/// Rounds of degrading at most: a round degrades every failing part found,
/// and a part revealed by a degraded one (a reference to a component left
/// out) takes one more.
const MAX_ROUNDS: usize = 16;

/// Root fields that only describe the API: one of the wrong shape is left
/// out instead of rejecting the document.
const ROOT_DESCRIPTIVE: [&str; 3] = ["servers", "tags", "externalDocs"];

/// Converts `value`, degrading what does not convert; the typed model and
/// the document it was read from (to check), or `None` with the errors
/// reported when what fails is no part that can be degraded.
pub(super) fn convert(p: &mut Problems, mut value: Value) -> (Option<OpenAPI>, Value) {
    for _ in 0..MAX_ROUNDS {
        let error = match <OpenAPI as serde::Deserialize>::deserialize(&value) {
            Ok(api) => return (Some(api), value),
            Err(e) => e,
        };
        let located = type_errors(&value);
        let mut targets = Vec::new();
        let mut stuck = Vec::new();
        for e in located {
            match target(&e) {
                Some(t) => targets.push((t, e)),
                None => stuck.push(e),
            }
        }
        // What degrades is degraded (and said) also beside an error.
        let degraded = !targets.is_empty();
        if degraded {
            degrade(p, &mut value, targets);
        }
        if !stuck.is_empty() || !degraded {
            if stuck.is_empty() {
                p.error("", format!("invalid OpenAPI document: {error}"), None);
            }
            for e in stuck {
                p.error(
                    &e.pointer,
                    format!("invalid OpenAPI document: {}", e.message),
                    None,
                );
            }
            return (None, value);
        }
    }
    p.error(
        "",
        "invalid OpenAPI document: degrading the parts that do not convert did not end",
        None,
    );
    (None, value)
}

/// What becomes of a part that does not convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// A schema: any JSON value.
    Any,
    /// A response: no body, not decoded.
    NoBody,
    /// Anything else: left out.
    LeftOut(&'static str),
}

/// The node to degrade for `e`: the smallest enclosing part of a kind that
/// degrades.
fn target(e: &TypeError) -> Option<(String, Fate)> {
    for (ptr, part) in e.parts.iter().rev() {
        let fate = match part {
            Part::Schema => Fate::Any,
            Part::Response => Fate::NoBody,
            Part::Parameter => Fate::LeftOut("parameter"),
            Part::Header => Fate::LeftOut("header"),
            Part::MediaType => Fate::LeftOut("media type"),
            Part::RequestBody => Fate::LeftOut("request body"),
            Part::Example => Fate::LeftOut("example"),
            Part::Link => Fate::LeftOut("link"),
            Part::Callback => Fate::LeftOut("callback"),
            Part::SecurityScheme => Fate::LeftOut("security scheme"),
            Part::Operation => Fate::LeftOut("operation"),
            Part::PathItem => Fate::LeftOut("path item"),
            Part::Root => {
                let field = e.pointer.strip_prefix('/')?;
                return ROOT_DESCRIPTIVE
                    .contains(&field)
                    .then(|| (e.pointer.clone(), Fate::LeftOut("field")));
            }
            _ => continue,
        };
        return Some((ptr.clone(), fate));
    }
    None
}

/// One round: every target degraded (the outermost of nested ones), with
/// a warning each, then the references to components left out.
fn degrade(p: &mut Problems, root: &mut Value, targets: Vec<((String, Fate), TypeError)>) {
    let mut chosen: indexmap::IndexMap<String, (Fate, TypeError)> = indexmap::IndexMap::new();
    for ((ptr, fate), e) in targets {
        chosen.entry(ptr).or_insert((fate, e));
    }
    let outer: Vec<String> = chosen.keys().cloned().collect();
    chosen.retain(|ptr, _| !outer.iter().any(|o| o != ptr && is_prefix(o, ptr)));
    let mut removals = Vec::new();
    for (ptr, (fate, e)) in &chosen {
        match fate {
            Fate::Any => {
                p.warn(
                    &e.pointer,
                    format!(
                        "the schema does not read as an OpenAPI 3.0 schema ({}); it is typed as any JSON value",
                        e.message
                    ),
                    Some("see the OpenAPI 3.0 Schema Object for the shape of each keyword"),
                );
                if let Some(node) = root.at_mut(ptr) {
                    *node = keep_description(node, Map::new());
                }
            }
            Fate::NoBody => {
                p.warn(
                    &e.pointer,
                    format!(
                        "the response does not read as an OpenAPI 3.0 response ({}); it is left without a body, not decoded",
                        e.message
                    ),
                    None,
                );
                if let Some(node) = root.at_mut(ptr) {
                    let mut only = Map::new();
                    only.insert("description".to_owned(), json!(""));
                    *node = keep_description(node, only);
                }
            }
            Fate::LeftOut(kind) => {
                p.warn(
                    &e.pointer,
                    format!(
                        "the {kind} does not read as OpenAPI 3.0 ({}); it is left out",
                        e.message
                    ),
                    None,
                );
                removals.push(ptr.clone());
            }
        }
    }
    // A reference to a component left out stands where a node of the same
    // kind stands: it is left out too (a response's keeps its place).
    let mut gone: Vec<String> = removals
        .iter()
        .filter(|r| component_section(r).is_some())
        .cloned()
        .collect();
    while !gone.is_empty() {
        let mut next = Vec::new();
        for (at, to) in references(root) {
            let Some(fragment) = to.strip_prefix('#').map(percent_decode) else {
                continue;
            };
            let Some(dead) = gone.iter().find(|g| is_prefix(g, &fragment)) else {
                continue;
            };
            if removals.iter().any(|r| is_prefix(r, &at)) {
                continue;
            }
            p.warn(
                &at,
                format!("the reference names `#{dead}`, which is left out; it is left out too"),
                None,
            );
            removals.push(at.clone());
            if component_section(&at).is_some() {
                next.push(at);
            }
        }
        gone = next;
    }
    remove_all(p, root, removals);
}

/// `/components/<section>/<name>`: its section.
fn component_section(ptr: &str) -> Option<&str> {
    let parts: Vec<&str> = ptr.split('/').collect();
    (parts.len() == 4 && parts[1] == "components").then(|| parts[2])
}

/// `fresh` with the `description` of `node`, when it has a string one.
fn keep_description(node: &Value, mut fresh: Map<String, Value>) -> Value {
    if let Some(Value::String(d)) = node.get("description") {
        fresh.insert("description".to_owned(), Value::String(d.clone()));
    }
    Value::Object(fresh)
}

/// Removes each node at `ptrs` (the outermost of nested ones). The
/// elements of an array after a removed one move up, which is recorded,
/// so that what the checks report after is still located in the source.
fn remove_all(p: &mut Problems, root: &mut Value, ptrs: Vec<String>) {
    let all: BTreeSet<String> = ptrs.into_iter().collect();
    let mut by_parent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ptr in &all {
        if all.iter().any(|o| o != ptr && is_prefix(o, ptr)) {
            continue;
        }
        let Some((parent, last)) = ptr.rsplit_once('/') else {
            continue;
        };
        by_parent
            .entry(parent.to_owned())
            .or_default()
            .push(last.replace("~1", "/").replace("~0", "~"));
    }
    let mut moves = Vec::new();
    for (parent, keys) in by_parent {
        match root.at_mut(&parent) {
            Some(Value::Object(map)) => {
                for key in keys {
                    map.remove(&key);
                }
            }
            Some(Value::Array(items)) => {
                let gone: BTreeSet<usize> = keys.iter().filter_map(|k| k.parse().ok()).collect();
                let mut kept = 0;
                let old = std::mem::take(items);
                for (i, item) in old.into_iter().enumerate() {
                    if gone.contains(&i) {
                        continue;
                    }
                    if kept != i {
                        moves.push((format!("{parent}/{kept}"), format!("{parent}/{i}")));
                    }
                    items.push(item);
                    kept += 1;
                }
            }
            _ => {}
        }
    }
    p.moved(&moves);
}

/// `prefix` is `pointer` or one of its ancestors.
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer.starts_with(prefix)
        && (pointer.len() == prefix.len() || pointer.as_bytes()[prefix.len()] == b'/')
}
