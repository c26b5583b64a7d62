//! `$ref`s to any JSON pointer of the document (`#/paths/~1a/get/responses/401`,
//! a schema inside another schema's `properties`), as bundlers write them.
//!
//! The later stages (openapiv3, progenitor, typify) only follow
//! `#/components/<section>/<name>`. So each such target becomes a component
//! of its own, every reference to it points there (which keeps recursion
//! working), and where the target is written a reference to the new
//! component takes its place, so that the node stays one type.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::Origins;
use super::operations::METHODS;
use super::pointer::{Lookup, escape_token, percent_decode};
use super::refs::references;
use super::schemas::visit_all_schemas;
use crate::naming::{Case, sanitize};

/// One reference that was rewritten.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rewritten {
    /// Pointer of the `$ref` as written.
    pub at: String,
    /// The target as written.
    pub from: String,
    /// The component it points at now.
    pub to: String,
}

/// What [`componentize`] did.
#[derive(Debug, Default)]
pub(crate) struct Rewrites {
    /// Where the new components came from.
    pub origins: Origins,
    pub rewritten: Vec<Rewritten>,
}

/// Rewrites every reference to a node that is not a component into a
/// reference to a component holding that node. References that dangle,
/// end nowhere or whose kind cannot be told are left as written, for the
/// checks to report.
pub(crate) fn componentize(root: &mut Value) -> Rewrites {
    let mut out = Rewrites::default();
    // (target pointer, section) → component name, kept across passes so
    // that a reference found in a copied body reaches the same component.
    let mut names: BTreeMap<(String, &'static str), String> = BTreeMap::new();
    let mut taken: HashSet<(&'static str, String)> = HashSet::new();
    let mut inlined = 0;
    // A body copied into a component or inlined may hold references of
    // its own (from a file embedded by load): another pass follows them.
    // Inlining that never ends stops here; check_refs reports the rest.
    for _ in 0..MAX_PASSES {
        let refs = references(root);
        if !refs
            .iter()
            .any(|(at, t)| needs_rewrite(root, t) || holds_no_reference(at, t))
        {
            break;
        }
        let mut schema_sites = HashSet::new();
        visit_all_schemas(root, &mut |_, ptr| {
            schema_sites.insert(ptr.to_owned());
        });
        let section_of = |ptr: &str| -> Option<&'static str> {
            if schema_sites.contains(ptr) {
                Some("schemas")
            } else {
                section_by_place(ptr)
            }
        };
        let mut order: Vec<(String, &'static str)> = Vec::new();
        let mut site_edits: Vec<(String, String, String)> = Vec::new();
        let mut inlines: Vec<(String, String)> = Vec::new();
        // A component that is only a reference takes the target's body
        // under its own name: those come first, so that the name is theirs.
        let slots = refs.iter().filter(|(at, _)| is_component(at));
        let others = refs.iter().filter(|(at, _)| !is_component(at));
        for (at, target) in slots.chain(others) {
            let copy_only = holds_no_reference(at, target);
            if !needs_rewrite(root, target) && !copy_only {
                continue;
            }
            let Some(end) = chain_end(root, target) else {
                continue;
            };
            if copy_only {
                // A component is copied too: no reference may stand here.
                if !is_prefix(&end, at) && inlined < MAX_INLINED {
                    inlined += 1;
                    inlines.push((at.clone(), end));
                }
                continue;
            }
            let Some(section) = section_of(at) else {
                // A path item or an operation: no components section
                // holds it, so the target is copied in its place.
                // Only where the stages read (not in data nor in areas no
                // stage reads, which could grow without bound), and within
                // a budget: copies of copies grow fast.
                if !is_component(&end)
                    && !is_prefix(&end, at)
                    && INLINED_UNDER.iter().any(|p| at.starts_with(p))
                    && inlined < MAX_INLINED
                {
                    inlined += 1;
                    inlines.push((at.clone(), end));
                }
                continue;
            };
            let to = if is_component(&end) {
                format!("#{end}")
            } else {
                let key = (end.clone(), section);
                let name = match names.get(&key) {
                    Some(n) => n.clone(),
                    None => {
                        let n = match slot_name(at, section) {
                            Some(own) => {
                                taken.insert((section, sanitize(&own, Case::Pascal)));
                                own
                            }
                            None => fresh_name(root, section, &end, &mut taken),
                        };
                        names.insert(key.clone(), n.clone());
                        order.push(key);
                        n
                    }
                };
                format!("#/components/{section}/{}", escape_token(&name))
            };
            site_edits.push((at.clone(), target.clone(), to));
        }
        if site_edits.is_empty() && inlines.is_empty() {
            break;
        }
        for (at, end) in inlines {
            if let Some(body) = root.at(&end).cloned()
                && let Some(node) = root.at_mut(&at)
            {
                *node = body;
                out.origins.record(&at, &end);
            }
        }
        for (at, from, to) in site_edits {
            if let Some(Value::Object(holder)) = root.at_mut(&at) {
                holder.insert("$ref".to_owned(), Value::String(to.clone()));
            }
            if !from.starts_with(EMBEDDED_PREFIX) {
                out.rewritten.push(Rewritten { at, from, to });
            }
        }
        // Deepest first: a target inside another is replaced by its
        // reference before the outer one is copied, so the copy refers to
        // it too.
        order.sort_by_key(|(ptr, _)| std::cmp::Reverse(ptr.len()));
        for (ptr, section) in order {
            let name = &names[&(ptr.clone(), section)];
            let Some(body) = root.at(&ptr).cloned() else {
                continue;
            };
            let component = format!("/components/{section}/{}", escape_token(name));
            // The node where it is written becomes a reference when a
            // reference of that kind may stand there.
            if section_of(&ptr) == Some(section)
                && let Some(node) = root.at_mut(&ptr)
            {
                *node = serde_json::json!({ "$ref": format!("#{component}") });
            }
            insert_component(root, section, name, body);
            out.origins.record(&component, &ptr);
        }
    }
    out
}

/// Whether the reference at `at` to `target` (in this document) stands
/// where `openapiv3` takes no reference, so that its target must be
/// copied in its place: an operation's callback (`Operation::callbacks`
/// holds callbacks, not references, unlike `Components::callbacks`).
fn holds_no_reference(at: &str, target: &str) -> bool {
    let tokens: Vec<&str> = at.rsplit('/').take(3).collect();
    target.starts_with('#')
        && matches!(tokens.as_slice(), [_, "callbacks", method] if METHODS.contains(method))
}

/// Where a reference of no components section (a path item, an
/// operation) is replaced by a copy of its target.
const INLINED_UNDER: [&str; 4] = [
    "/paths/",
    "/webhooks/",
    "/components/callbacks/",
    "/components/pathItems/",
];
/// Copies made at most.
const MAX_INLINED: usize = 10_000;

/// Passes of [`componentize`] at most (each one follows one more level of
/// references found in copied bodies).
const MAX_PASSES: usize = 64;

/// Where load embeds the other files of a multi-file spec: its references
/// to them point under it (`#/x-codegen-files/<file>/<pointer>`), and it is
/// removed once they are rewritten.
pub(crate) const EMBEDDED: &str = "x-codegen-files";
const EMBEDDED_PREFIX: &str = "#/x-codegen-files/";

/// The name of the component `at` is, when it is one of `section`.
fn slot_name(at: &str, section: &str) -> Option<String> {
    let parts: Vec<&str> = at.split('/').collect();
    (is_component(at) && parts[2] == section)
        .then(|| parts[3].replace("~1", "/").replace("~0", "~"))
}

/// `prefix` is `pointer` or one of its ancestors.
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer.starts_with(prefix)
        && (pointer.len() == prefix.len() || pointer.as_bytes()[prefix.len()] == b'/')
}

/// A reference into this document that does not name a component.
fn needs_rewrite(root: &Value, target: &str) -> bool {
    let Some(fragment) = target.strip_prefix('#') else {
        return false;
    };
    let fragment = percent_decode(fragment);
    !is_component(&fragment) && through_references(root, &fragment).is_some()
}

/// Where `pointer` leads when every reference on the way is followed.
///
/// A target made a component leaves a reference where it was written, so
/// a pointer into it (from a copy made in the same pass, or written so)
/// now runs into that reference: it goes on in the component, which holds
/// the same nodes. `None` when nothing is there.
fn through_references(root: &Value, pointer: &str) -> Option<String> {
    if root.at(pointer).is_some() {
        return Some(pointer.to_owned());
    }
    let mut at = String::new();
    let mut hops = 0;
    for token in pointer.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        loop {
            let node = root.at(&at)?;
            let next = match node {
                Value::Object(map) if !map.contains_key(&key) => match map.get("$ref") {
                    Some(Value::String(r)) => percent_decode(r.strip_prefix('#')?),
                    _ => return None,
                },
                _ => break,
            };
            hops += 1;
            if hops > MAX_PASSES {
                return None;
            }
            at = next;
        }
        at.push('/');
        at.push_str(token);
    }
    root.at(&at).is_some().then_some(at)
}

/// `/components/<section>/<name>`.
fn is_component(pointer: &str) -> bool {
    let parts: Vec<&str> = pointer.split('/').collect();
    parts.len() == 4 && parts[1] == "components"
}

/// The pointer a reference stands for: through a chain of references
/// that hold nothing else, stopping at a component. `None` when the chain
/// dangles or does not end.
fn chain_end(root: &Value, target: &str) -> Option<String> {
    let mut seen = HashSet::new();
    let mut fragment = percent_decode(target.strip_prefix('#')?);
    loop {
        if is_component(&fragment) || !seen.insert(fragment.clone()) {
            return (is_component(&fragment)).then_some(fragment);
        }
        fragment = through_references(root, &fragment)?;
        if is_component(&fragment) {
            return Some(fragment);
        }
        let node = root.at(&fragment)?;
        match node.as_object() {
            Some(map) if map.len() == 1 => match map.get("$ref") {
                Some(Value::String(next)) => {
                    fragment = percent_decode(next.strip_prefix('#')?);
                }
                _ => return Some(fragment),
            },
            _ => return Some(fragment),
        }
    }
}

/// The components section for a reference written at `ptr` outside a
/// schema, by the place it stands in.
fn section_by_place(ptr: &str) -> Option<&'static str> {
    let tokens: Vec<&str> = ptr.rsplit('/').take(2).collect();
    match tokens.as_slice() {
        ["requestBody", ..] => Some("requestBodies"),
        [_, "parameters"] => Some("parameters"),
        [_, "responses"] => Some("responses"),
        [_, "headers"] => Some("headers"),
        [_, "examples"] => Some("examples"),
        [_, "links"] => Some("links"),
        [_, "callbacks"] => Some("callbacks"),
        _ => None,
    }
}

/// Words of a pointer that are structure, not names.
const STRUCTURE: [&str; 12] = [
    "paths",
    "components",
    "schemas",
    "properties",
    "content",
    "schema",
    "responses",
    "parameters",
    "requestBody",
    "requestBodies",
    "headers",
    "allOf",
];

/// A component name made of the names along `ptr`, free in `section`
/// (schemas compare as typify names them: after PascalCase).
fn fresh_name(
    root: &Value,
    section: &'static str,
    ptr: &str,
    taken: &mut HashSet<(&'static str, String)>,
) -> String {
    let mut tokens: Vec<String> = ptr
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    // In an embedded file, the name of the node, or of the file when the
    // whole file is the target.
    if tokens.first().map(String::as_str) == Some(EMBEDDED) {
        tokens.remove(0);
        if tokens.len() > 1 {
            tokens.remove(0);
        }
    }
    let words: Vec<String> = tokens
        .into_iter()
        .filter(|t| !STRUCTURE.contains(&t.as_str()) && !t.contains("json"))
        .collect();
    let start = words.len().saturating_sub(4);
    let base = sanitize(&words[start..].join("-"), Case::Pascal);
    let existing: HashSet<String> = root
        .at(&format!("/components/{section}"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, _)| sanitize(k, Case::Pascal))
        .collect();
    let mut name = base.clone();
    let mut n = 1;
    while existing.contains(&sanitize(&name, Case::Pascal))
        || taken.contains(&(section, sanitize(&name, Case::Pascal)))
    {
        n += 1;
        name = format!("{base}{n}");
    }
    taken.insert((section, sanitize(&name, Case::Pascal)));
    name
}

fn insert_component(root: &mut Value, section: &str, name: &str, body: Value) {
    let Some(doc) = root.as_object_mut() else {
        return;
    };
    let components = doc
        .entry("components")
        .or_insert_with(|| Value::Object(Default::default()));
    if !components.is_object() {
        return;
    }
    let sections = components.as_object_mut().expect("checked above");
    let map = sections
        .entry(section)
        .or_insert_with(|| Value::Object(Default::default()));
    if let Some(map) = map.as_object_mut() {
        map.insert(name.to_owned(), body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_become_components() {
        let mut root = json!({
            "paths": {"/v2/nfs": {"get": {
                "parameters": [{"$ref": "#/paths/~1v2~1nfs/post/parameters/0"}],
                "responses": {"401": {"$ref": "#/paths/~1v2~1nfs/post/responses/401"}}
            }, "post": {
                "parameters": [{"name": "a", "in": "query", "schema": {"type": "string"}}],
                "responses": {"401": {"description": "no"}}
            }}},
            "components": {"schemas": {
                "Node": {"type": "object", "properties": {
                    "child": {"type": "object", "properties": {
                        "again": {"$ref": "#/components/schemas/Node/properties/child"}
                    }}
                }},
                "NodeChild": {"type": "string"}
            }}
        });
        let r = componentize(&mut root);
        assert_eq!(r.rewritten.len(), 3, "{:?}", r.rewritten);
        // The name typify would give `NodeChild` is taken.
        let child = &root["components"]["schemas"]["NodeChild2"];
        assert_eq!(
            child["properties"]["again"]["$ref"],
            "#/components/schemas/NodeChild2"
        );
        assert_eq!(
            root["components"]["schemas"]["Node"]["properties"]["child"]["$ref"],
            "#/components/schemas/NodeChild2"
        );
        let get = &root["paths"]["/v2/nfs"]["get"];
        assert_eq!(
            get["responses"]["401"]["$ref"],
            "#/components/responses/V2NfsPost401"
        );
        assert_eq!(
            get["parameters"][0]["$ref"],
            "#/components/parameters/V2NfsPost0"
        );
        assert_eq!(
            root["paths"]["/v2/nfs"]["post"]["parameters"][0]["$ref"],
            "#/components/parameters/V2NfsPost0"
        );
        assert_eq!(
            r.origins
                .source("/components/schemas/NodeChild2/properties/again"),
            "/components/schemas/Node/properties/child/properties/again"
        );
    }

    #[test]
    fn pointers_into_a_target_made_a_component_still_resolve() {
        // What a pass leaves when it made `/paths/~1a/get/responses/200` a
        // component after a copy still pointing into it was made.
        let mut root = json!({
            "paths": {
                "/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}},
                "/c": {"get": {"responses": {"200": {
                    "description": "ok",
                    "headers": {"X-Total": {"$ref": "#/paths/~1a/get/responses/200/headers/X-Total"}}
                }}}}
            },
            "components": {"responses": {"R": {
                "description": "ok",
                "headers": {"X-Total": {"schema": {"type": "integer"}}}
            }}}
        });
        assert_eq!(
            through_references(&root, "/paths/~1a/get/responses/200/headers/X-Total/schema")
                .as_deref(),
            Some("/components/responses/R/headers/X-Total/schema")
        );
        assert_eq!(
            through_references(&root, "/paths/~1a/get/responses/200/nope"),
            None
        );
        let r = componentize(&mut root);
        assert_eq!(r.rewritten.len(), 1, "{:?}", r.rewritten);
        assert_eq!(
            root["paths"]["/c"]["get"]["responses"]["200"]["headers"]["X-Total"]["$ref"],
            "#/components/headers/RXTotal"
        );
        assert_eq!(
            root["components"]["headers"]["RXTotal"],
            json!({"schema": {"type": "integer"}})
        );
    }

    #[test]
    fn an_operation_s_callback_reference_is_copied() {
        // `Operation::callbacks` holds no references, even to a component.
        let mut root = json!({
            "paths": {"/a": {
                "post": {"callbacks": {"done": {"$ref": "#/paths/~1a/put/callbacks/done"}}},
                "put": {"callbacks": {"done": {"$ref": "#/components/callbacks/Done"}}}
            }},
            "components": {"callbacks": {"Done": {"{$url}": {"post": {"responses": {}}}}}}
        });
        componentize(&mut root);
        let done = json!({"{$url}": {"post": {"responses": {}}}});
        assert_eq!(root["paths"]["/a"]["put"]["callbacks"]["done"], done);
        assert_eq!(root["paths"]["/a"]["post"]["callbacks"]["done"], done);
        assert_eq!(root["components"]["callbacks"]["Done"], done);
    }

    #[test]
    fn component_references_stay() {
        let mut root = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}
        }}});
        let before = root.clone();
        assert!(componentize(&mut root).rewritten.is_empty());
        assert_eq!(root, before);
    }
}
