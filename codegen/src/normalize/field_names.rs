//! A normalization pass (their order: `normalize/mod.rs`): properties of one object that typify would give one Rust field
//! name.
//!
//! typify names a field after its property (`naming::field_name`: snake
//! case, punctuation a word break), so `guid` and `Guid`, or `a_b`, `aB`,
//! `A-B` and `a.b`, become two fields of one name and the client does not
//! compile (E0124). The same holds for the properties typify merges into
//! one struct (an `allOf` and its members) and for the name of its own
//! field for a typed `additionalProperties` (`extra`).
//!
//! Of each group, one property keeps the name: the one written as its
//! field is (`guid` for `guid`), else the first in document order. Every
//! other gets a key that carries its wire name and a number
//! (`naming::marked`: `Guid` → `Guid\u{1}2`, field `guid_2`); the
//! generator's last rewrite (`generate/wire_names.rs`) turns every such
//! key in the output back into the wire name, so the JSON is unchanged
//! and only the Rust name differs. `required` follows the rename. Each
//! rename is a warning at the property.
//!
//! Runs before anything names a schema or a multipart part after a
//! property (`hoist`, `media_types`), so that those see the final keys.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::doc::Doc;
use crate::document::extensions::MARKED_NAMES_EXTENSION;
use crate::document::pointer::escape_token;
use crate::document::refs::resolve;
use crate::document::schemas::{visit_all_schemas, walk_all_schemas};
use crate::naming::{field_name, marked, wire_name};

/// What typify calls the flattened map of a typed `additionalProperties`.
const EXTRA: &str = "extra";

/// The key that stands for typify's `extra` among the keys: not the empty
/// string, which is a property name like any other; a key no spec writes
/// (it holds [`crate::naming::MARK`]).
const EXTRA_KEY: &str = "\u{1}extra";

/// One property (or a name only `required` lists: typify gives it a field
/// too) of the object being planned.
struct Entry {
    /// The schema whose `properties` (or `required`) holds it.
    schema: String,
    key: String,
    /// Only in `required`: typify adds a field of any type for it.
    required_only: bool,
}

/// A key to rename.
struct Rename {
    schema: String,
    old: String,
    new: String,
    required_only: bool,
    /// The key whose field keeps the name ([`EXTRA_KEY`]: typify's own `extra`).
    kept: String,
}

pub(crate) fn run(doc: &mut Doc) {
    let mut renames: Vec<Rename> = Vec::new();
    let root = &doc.root;
    let mut fields = Fields::default();
    visit_all_schemas(root, &mut |schema, ptr| {
        plan(root, schema, ptr, &mut renames, &mut fields)
    });
    if renames.is_empty() {
        return;
    }
    let mut done = HashSet::new();
    renames.retain(|r| done.insert((r.schema.clone(), r.old.clone())));
    for r in &renames {
        let field = field_name(&r.old);
        let at = if r.required_only {
            required_pointer(&doc.root, &r.schema, &r.old)
        } else {
            format!("{}/properties/{}", r.schema, escape_token(&r.old))
        };
        let like = if r.kept == EXTRA_KEY {
            format!("typify's field `{EXTRA}` for `additionalProperties`")
        } else {
            format!("property `{}`", r.kept)
        };
        doc.warn(
            &at,
            format!(
                "property `{}` has the Rust field name `{field}`, as {like}; its field is `{}`",
                r.old,
                field_name(&r.new)
            ),
            Some(
                "the JSON keeps the name; names that differ only in case or punctuation make one Rust name",
            ),
        );
    }
    // Where each renamed property ends up, for warnings of later passes:
    // an enclosing property may be renamed too.
    let moved: HashMap<String, String> = renames
        .iter()
        .filter(|r| !r.required_only)
        .map(|r| {
            (
                format!("{}/properties/{}", r.schema, escape_token(&r.old)),
                escape_token(&r.new),
            )
        })
        .collect();
    let moves: Vec<(String, String)> = moved
        .keys()
        .map(|old| (final_pointer(old, &moved), old.clone()))
        .collect();
    // Found parents first (pre-order): renamed last, their descendants'
    // pointers stay valid until then.
    for r in renames.iter().rev() {
        let Some(Value::Object(schema)) = doc.root.pointer_mut(&r.schema) else {
            continue;
        };
        if !r.required_only
            && let Some(Value::Object(properties)) = schema.get_mut("properties")
            && let Some(property) = properties.remove(&r.old)
        {
            properties.insert(r.new.clone(), property);
        }
        if let Some(Value::Array(required)) = schema.get_mut("required") {
            for name in required.iter_mut() {
                if name.as_str() == Some(r.old.as_str()) {
                    *name = Value::String(r.new.clone());
                }
            }
        }
    }
    doc.origins.record_all(&moves);
    if let Some(root) = doc.root.as_object_mut() {
        root.insert(MARKED_NAMES_EXTENSION.to_owned(), Value::Bool(true));
    }
}

/// `/…/required/<i>` of `key` in the schema at `schema`.
fn required_pointer(root: &Value, schema: &str, key: &str) -> String {
    let i = root
        .pointer(&format!("{schema}/required"))
        .and_then(Value::as_array)
        .and_then(|r| r.iter().position(|n| n.as_str() == Some(key)))
        .unwrap_or(0);
    format!("{schema}/required/{i}")
}

/// `original` with every renamed property on its way replaced.
fn final_pointer(original: &str, moved: &HashMap<String, String>) -> String {
    let mut prefix = String::new();
    let mut out = String::new();
    for token in original.split('/').skip(1) {
        prefix.push('/');
        prefix.push_str(token);
        out.push('/');
        out.push_str(moved.get(&prefix).map_or(token, String::as_str));
    }
    out
}

/// A member of an `allOf` written inline is planned with the schema it is
/// merged into (typify makes one struct of both).
fn is_inline_all_of_member(ptr: &str) -> bool {
    ptr.rsplit_once('/')
        .and_then(|(rest, i)| i.parse::<usize>().ok().map(|_| rest))
        .is_some_and(|rest| rest.ends_with("/allOf"))
}

fn plan(root: &Value, schema: &Value, ptr: &str, out: &mut Vec<Rename>, fields: &mut Fields) {
    if is_inline_all_of_member(ptr) || !schema.is_object() {
        return;
    }
    assign(root, schema, ptr, out, 0, fields);
}

/// The fields of each schema an `allOf` refers to, by its pointer, once
/// known: a hierarchy where schemas extend several others reaches an
/// ancestor by many paths, and the walk would repeat for each.
type Fields = HashMap<String, HashMap<String, String>>;

/// Plans the renames of the object at `ptr` into `out` and returns its
/// fields: field name → key.
fn assign(
    root: &Value,
    schema: &Value,
    ptr: &str,
    out: &mut Vec<Rename>,
    depth: usize,
    fields: &mut Fields,
) -> HashMap<String, String> {
    // field name → the key that has it, for what cannot be renamed here:
    // the fields of referenced `allOf` members and typify's `extra`.
    let mut fixed: HashMap<String, String> = HashMap::new();
    let mut entries: Vec<Entry> = Vec::new();
    gather(root, schema, ptr, &mut fixed, &mut entries, depth, fields);
    // One property may be written in several members: it is one field.
    let mut seen: HashSet<&str> = fixed.values().map(String::as_str).collect();
    let entries: Vec<&Entry> = entries
        .iter()
        .filter(|e| seen.insert(e.key.as_str()))
        .collect();
    // The names kept: a key written as its field first, then document order.
    let mut order: Vec<&Entry> = entries.clone();
    order.sort_by_key(|e| field_name(&e.key) != e.key);
    let mut holder: HashMap<String, String> = fixed;
    let mut losers: Vec<&Entry> = Vec::new();
    for e in order {
        let field = field_name(&e.key);
        match holder.entry(field) {
            std::collections::hash_map::Entry::Occupied(_) => losers.push(e),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(e.key.clone());
            }
        }
    }
    // In document order, so that numbers follow it.
    losers.sort_by_key(|l| entries.iter().position(|e| std::ptr::eq(*e, *l)));
    for e in losers {
        let kept = holder.get(&field_name(&e.key)).cloned().unwrap_or_default();
        let mut n = 2;
        let new = loop {
            let candidate = marked(&e.key, n);
            if !holder.contains_key(&field_name(&candidate)) {
                break candidate;
            }
            n += 1;
        };
        holder.insert(field_name(&new), new.clone());
        out.push(Rename {
            schema: e.schema.clone(),
            old: e.key.clone(),
            new,
            required_only: e.required_only,
            kept,
        });
    }
    holder
}

/// The properties of `schema` (at `ptr`, written inline) and of its
/// `allOf` members: inline ones as entries, referenced ones as fixed.
fn gather(
    root: &Value,
    schema: &Value,
    ptr: &str,
    fixed: &mut HashMap<String, String>,
    entries: &mut Vec<Entry>,
    depth: usize,
    fields: &mut Fields,
) {
    if depth > 16 {
        return;
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(properties) = properties {
        for (key, property) in properties {
            // typify makes no field of a property that can never be there.
            if property != &Value::Bool(false) {
                entries.push(Entry {
                    schema: ptr.to_owned(),
                    key: key.clone(),
                    required_only: false,
                });
            }
        }
    }
    if let Some(Value::Array(required)) = schema.get("required") {
        for key in required.iter().filter_map(Value::as_str) {
            if !properties.is_some_and(|p| p.contains_key(key)) {
                entries.push(Entry {
                    schema: ptr.to_owned(),
                    key: key.to_owned(),
                    required_only: true,
                });
            }
        }
    }
    if schema
        .get("additionalProperties")
        .is_some_and(Value::is_object)
    {
        fixed
            .entry(EXTRA.to_owned())
            .or_insert_with(|| EXTRA_KEY.to_owned());
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        for (i, member) in members.iter().enumerate() {
            if member.get("$ref").is_some() {
                // Its fields as they will be once its own renames (planned
                // where it is defined) are made.
                if let Some((target, Some(at))) = resolve(root, member) {
                    let known = match fields.get(&at) {
                        Some(known) => known.clone(),
                        None => {
                            let found =
                                assign(root, target, &at, &mut Vec::new(), depth + 1, fields);
                            fields.insert(at, found.clone());
                            found
                        }
                    };
                    for (field, key) in known {
                        fixed.entry(field).or_insert(key);
                    }
                }
            } else {
                gather(
                    root,
                    member,
                    &format!("{ptr}/allOf/{i}"),
                    fixed,
                    entries,
                    depth + 1,
                    fields,
                );
            }
        }
    }
}

/// The normalized document with every property key and `required` name
/// back as on the wire: for tools that read it as a description of the
/// JSON (the contract check's values and validators).
pub(crate) fn restore_wire_names(root: &mut Value) {
    let Some(map) = root.as_object_mut() else {
        return;
    };
    if map.remove(MARKED_NAMES_EXTENSION).is_none() {
        return;
    }
    walk_all_schemas(root, &mut |schema, _| {
        let Value::Object(schema) = schema else {
            return;
        };
        if let Some(Value::Object(properties)) = schema.get_mut("properties")
            && properties.keys().any(|k| wire_name(k) != k)
        {
            *properties = std::mem::take(properties)
                .into_iter()
                .map(|(k, v)| (wire_name(&k).to_owned(), v))
                .collect();
        }
        if let Some(Value::Array(required)) = schema.get_mut("required") {
            for name in required.iter_mut() {
                if let Value::String(s) = name
                    && wire_name(s) != s
                {
                    *s = wire_name(s).to_owned();
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_on(schemas: Value) -> Doc {
        let mut doc = Doc::new(json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": schemas},
        }));
        run(&mut doc);
        doc
    }

    fn keys(doc: &Doc, ptr: &str) -> Vec<String> {
        doc.root
            .pointer(ptr)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_property_written_as_its_field_keeps_the_name() {
        let doc = run_on(json!({"M": {
            "type": "object",
            "required": ["Guid", "a.b"],
            "properties": {
                "Guid": {"type": "string"}, "guid": {"type": "string"},
                "A-B": {}, "a.b": {}, "aB": {}, "a_b": {},
            },
        }}));
        let fields: Vec<String> = keys(&doc, "/components/schemas/M/properties")
            .iter()
            .map(|k| field_name(k))
            .collect();
        let mut unique = fields.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), fields.len(), "{fields:?}");
        let props = &doc.root["components"]["schemas"]["M"]["properties"];
        assert!(props.get("guid").is_some());
        assert!(props.get("a_b").is_some());
        assert!(props.get(marked("Guid", 2)).is_some());
        // Document (sorted) order numbers the others: `A-B`, `a.b`, `aB`.
        assert!(props.get(marked("A-B", 2)).is_some());
        assert!(props.get(marked("a.b", 3)).is_some());
        assert!(props.get(marked("aB", 4)).is_some());
        assert_eq!(
            doc.root["components"]["schemas"]["M"]["required"],
            json!([marked("Guid", 2), marked("a.b", 3)])
        );
        assert_eq!(doc.findings.len(), 4);
        assert_eq!(
            doc.findings[0].pointer,
            "/components/schemas/M/properties/A-B"
        );
        assert_eq!(
            doc.findings[0].message,
            "property `A-B` has the Rust field name `a_b`, as property `a_b`; its field is `a_b_2`"
        );
        assert_eq!(doc.root["x-codegen-marked-names"], json!(true));
    }

    #[test]
    fn nested_allof_required_only_and_extra() {
        let doc = run_on(json!({
            "Base": {"type": "object", "properties": {"id": {}}},
            "M": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {"ID": {}, "id": {}}},
                ],
                "properties": {
                    "n": {"type": "object", "required": ["X-Y"], "properties": {
                        "x_y": {},
                        "Inner": {"type": "object", "properties": {"k": {}, "K": {}}},
                        "inner": {},
                    }},
                    "extra": {},
                },
                "additionalProperties": {"type": "string"},
            },
        }));
        let m = "/components/schemas/M";
        assert_eq!(
            keys(&doc, &format!("{m}/allOf/1/properties")),
            [marked("ID", 2), "id".to_owned()]
        );
        assert!(keys(&doc, &format!("{m}/properties")).contains(&marked("extra", 2)));
        let n = format!("{m}/properties/n");
        assert_eq!(
            doc.root.pointer(&format!("{n}/required")),
            Some(&json!([marked("X-Y", 2)]))
        );
        let inner = format!("{n}/properties/{}", marked("Inner", 2));
        assert_eq!(
            keys(&doc, &format!("{inner}/properties")),
            [marked("K", 2), "k".to_owned()]
        );
        // A later warning at the moved property points at the source.
        let moved = format!("{inner}/properties/{}", marked("K", 2));
        assert_eq!(
            doc.origins.source(&moved),
            format!("{n}/properties/Inner/properties/K")
        );
    }

    #[test]
    fn distinct_names_are_left_alone() {
        let doc = run_on(json!({"M": {"type": "object", "properties": {"a": {}, "b": {}}}}));
        assert!(doc.findings.is_empty());
        assert!(doc.root.get("x-codegen-marked-names").is_none());
    }

    #[test]
    fn wire_names_come_back() {
        let mut doc = run_on(json!({"M": {
            "type": "object",
            "required": ["Guid"],
            "properties": {"Guid": {}, "guid": {}},
        }}));
        restore_wire_names(&mut doc.root);
        assert_eq!(
            doc.root["components"]["schemas"]["M"],
            json!({"type": "object", "required": ["Guid"], "properties": {"Guid": {}, "guid": {}}})
        );
        assert!(doc.root.get("x-codegen-marked-names").is_none());
    }

    /// The empty name is a property like any other, also beside a typed
    /// `additionalProperties` (typify's `extra`): found by specfuzz.
    #[test]
    fn the_empty_name_is_a_property_beside_extra() {
        let mut doc = Doc::new(json!({"components": {"schemas": {"T": {
            "properties": {"": {"type": "boolean"}, "\u{1F642}": {"type": "boolean"}},
            "additionalProperties": {"type": "number"},
        }}}}));
        run(&mut doc);
        assert_eq!(
            keys(&doc, "/components/schemas/T/properties"),
            ["".to_owned(), marked("\u{1F642}", 2)]
        );
        assert!(
            doc.findings[0].message.contains("as property ``"),
            "{}",
            doc.findings[0].message
        );
    }
}
