//! A normalization pass (their order: `normalize/mod.rs`): one concept, one Rust type.
//!
//! typify names an inline schema after where it sits: the `visibility`
//! enum written inline in a request body becomes
//! `UpdateCharacterBodyVisibility`, beside the `Visibility` component with
//! the same values, and the same `direction: [asc, desc]` written in forty
//! operations becomes forty types. This pass gives such schemas names:
//!
//! - **Inline request bodies** (objects, compositions and enums; not
//!   primitives or arrays, which stay plain Rust types) move to
//!   `#/components/schemas/<OperationId>Body`, the name progenitor would
//!   give them anyway; a shared body (`#/components/requestBodies/<Name>`)
//!   moves to `<Name>`. A named body is what the PATCH tri-state rewrite
//!   looks at.
//! - **Inline string enums** are replaced by a `$ref` to the component
//!   schema with the same values (as a set) and the same `default`, when
//!   there is one; otherwise the first occurrence is hoisted to a new
//!   component, named after its property or parameter (`Direction`) when
//!   free (the enum most operations share claims it first), else where it
//!   is used or by its values ([`enum_name`]), and later occurrences refer
//!   to it. A nullable enum refers to the non-nullable component
//!   (`allOf: [$ref]`, `nullable: true`, which typify makes an `Option`).
//!   Enums of a single value that no component has stay inline (tags,
//!   named by typify after their parent), unless that name
//!   (`<Parent><Property>`) is a component's.
//!
//! - **Titles** that would make typify name two types alike are dropped
//!   (kept as the description): see [`titles`].
//!
//! Hoisting is silent: it changes names, never the wire format. Every move
//! is recorded, so a problem found later in a hoisted schema is still
//! reported at its place in the source.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Value, json};

use super::doc::{Doc, fresh_name, rust_type_name};
use super::sites::{self, Owner, Site};
use crate::document::pointer::{Lookup, escape_token};
use crate::document::schemas::{schema_roots, walk_all_schemas, walk_schema};
use crate::naming::{Case, sanitize};

pub(crate) fn run(doc: &mut Doc) {
    let mut taken: HashSet<String> = doc
        .component_names("schemas")
        .iter()
        .map(|n| rust_type_name(n))
        .collect();
    request_bodies(doc, &mut taken);
    enums(doc, &mut taken);
    titles(doc);
}

/// typify names some types after a schema's `title` (the inner type of a
/// nullable component, inline schemas), so GitHub's `nullable-simple-user`
/// (`title: Simple User`) yields a second `SimpleUser` beside the
/// component's, and `auto_merge` (nullable, `title: Auto merge`) an
/// `AutoMerge` inside an `AutoMerge`: code that does not compile. A
/// component is named by its key, so its `title` goes; an inline `title`
/// goes when it would name a type that exists already. A title kept for
/// the documentation becomes the `description` when there is none.
fn titles(doc: &mut Doc) {
    let components = doc.component_names("schemas");
    let mut names: HashSet<String> = components.iter().map(|n| rust_type_name(n)).collect();
    let roots: HashSet<String> = components
        .iter()
        .map(|n| format!("/components/schemas/{}", escape_token(n)))
        .collect();
    walk_all_schemas(&mut doc.root, &mut |schema, at| {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        let Some(title) = map.get("title").and_then(Value::as_str).map(str::to_owned) else {
            return;
        };
        let name = rust_type_name(&title);
        if roots.contains(at) || !names.insert(name) {
            map.remove("title");
            map.entry("description").or_insert(Value::String(title));
        }
    });
}

/// Whether typify would make a named type of `schema` (so hoisting it
/// changes only the name).
pub(crate) fn is_named_shape(schema: &Value) -> bool {
    let Some(m) = schema.as_object() else {
        return false;
    };
    if m.contains_key("$ref") {
        return false;
    }
    let ty = m.get("type").and_then(Value::as_str);
    m.contains_key("properties")
        || m.contains_key("allOf")
        || m.contains_key("oneOf")
        || m.contains_key("anyOf")
        || m.contains_key("enum")
        || (ty == Some("object") && !m.contains_key("additionalProperties"))
}

fn request_bodies(doc: &mut Doc, taken: &mut HashSet<String>) {
    for Site { pointer, owner } in sites::request_bodies(doc) {
        let (body_ptr, base) = match owner {
            Owner::Component(name) => (pointer, sanitize(&name, Case::Pascal)),
            Owner::Operation(id) => (pointer, sanitize(&format!("{id}-body"), Case::Pascal)),
        };
        let Some(Value::Object(content)) = doc.root.at(&format!("{body_ptr}/content")) else {
            continue;
        };
        let Some((media, mt)) = content.iter().next() else {
            continue;
        };
        let is_structured = media.starts_with("application/json")
            || media.starts_with("application/x-www-form-urlencoded");
        if !is_structured || !mt.get("schema").is_some_and(is_named_shape) {
            continue;
        }
        let schema_ptr = format!("{body_ptr}/content/{}/schema", escape_token(media));
        // A component named like the body (`Pet` for requestBodies/Pet)
        // is usually the body's own schema's name too: then add `Body`.
        let name = if taken.contains(&rust_type_name(&base)) {
            fresh_name(&format!("{base}Body"), taken)
        } else {
            fresh_name(&base, taken)
        };
        doc.hoist_schema(&schema_ptr, &name);
    }
}

/// What makes two string enums the same concept: their values (as a set)
/// and their default.
type EnumKey = (BTreeSet<String>, Option<Value>);

/// The key of an inline (or component) string enum that may be shared,
/// and whether it is nullable (`nullable: true`, or `null` among the
/// values). A nullable enum with a `default` is left alone.
fn enum_key(schema: &Value) -> Option<(EnumKey, bool)> {
    let m = schema.as_object()?;
    let values = m.get("enum")?.as_array()?;
    if values.is_empty() || !matches!(m.get("type").and_then(Value::as_str), None | Some("string"))
    {
        return None;
    }
    // Only the enum itself: no structure beside it.
    let structural = [
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "$ref",
    ];
    if structural.iter().any(|k| m.contains_key(*k)) {
        return None;
    }
    let mut nullable = m.get("nullable").and_then(Value::as_bool) == Some(true);
    let mut set = BTreeSet::new();
    for v in values {
        match v {
            Value::Null => nullable = true,
            v => {
                set.insert(v.as_str()?.to_owned());
            }
        }
    }
    if set.is_empty() || (nullable && m.contains_key("default")) {
        return None;
    }
    Some(((set, m.get("default").cloned()), nullable))
}

/// The non-nullable form of a nullable enum (what its component holds).
fn without_null(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Value::Object(m) = &mut schema {
        m.remove("nullable");
        if let Some(Value::Array(values)) = m.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
    }
    schema
}

fn enums(doc: &mut Doc, taken: &mut HashSet<String>) {
    let mut known: HashMap<EnumKey, String> = HashMap::new();
    for name in doc.component_names("schemas") {
        let Some(schema) = doc
            .root
            .at(&format!("/components/schemas/{}", escape_token(&name)))
        else {
            continue;
        };
        if let Some((key, false)) = enum_key(schema) {
            known.entry(key).or_insert(name);
        }
    }
    // Inline enums, in document order, with a name hint for each.
    let mut found: Vec<(String, EnumKey, bool, String, String)> = Vec::new(); // (ptr, key, nullable, hint, parent)
    for start in schema_roots(&doc.root) {
        let is_component = start.starts_with("/components/schemas/");
        let parent = parent_name(&doc.root, &start);
        let hint_root = root_hint(&doc.root, &start);
        let Some(schema) = doc.root.at(&start) else {
            continue;
        };
        // Walking needs `&mut`; walk a copy to collect, edit the document after.
        let mut copy = schema.clone();
        let mut ptr = start.clone();
        walk_schema(&mut copy, &mut ptr, &mut |node, at| {
            if is_component && at == start {
                return; // already named
            }
            if let Some((key, nullable)) = enum_key(node) {
                let hint = hint_for(&at[start.len()..]).unwrap_or_else(|| hint_root.clone());
                found.push((at.to_owned(), key, nullable, hint, parent.clone()));
            }
        });
    }
    // typify names the tags it keeps inline `<Parent><Property>`, and
    // copies them into every schema that merges their parent (`allOf`):
    // `<Component><Property>` for any component and tag property is taken
    // for the enums hoisted here. A tag whose own name is a component's is
    // hoisted itself.
    let components = taken.clone();
    let tag_hints: HashSet<&str> = found
        .iter()
        .filter(|(_, key, ..)| key.0.len() < 2 && !known.contains_key(key))
        .map(|(_, _, _, hint, _)| hint.as_str())
        .collect();
    for component in doc.component_names("schemas") {
        for hint in &tag_hints {
            taken.insert(rust_type_name(&format!("{component}-{hint}")));
        }
    }
    let planned = plan_enum_names(&found, &known, taken);
    for (ptr, key, nullable, hint, parent) in found {
        let name = match known.get(&key) {
            Some(name) => name.clone(),
            // A one-value enum is a tag (a discriminator); typify names
            // it after its parent, which says more than the property —
            // unless a component already has that name (two items of one
            // name would not compile): then it is hoisted like the others.
            None if key.0.len() < 2
                && !components.contains(&rust_type_name(&format!("{parent}-{hint}"))) =>
            {
                continue;
            }
            None => {
                let name = match planned.get(&key) {
                    Some(name) => name.clone(),
                    None => enum_name(&hint, std::slice::from_ref(&parent), &key, taken),
                };
                known.insert(key, name.clone());
                doc.hoist_schema(&ptr, &name);
                if nullable {
                    // The component is the enum; `null` stays at the use.
                    let at = format!("/components/schemas/{}", escape_token(&name));
                    if let Some(component) = doc.root.at_mut(&at) {
                        *component = without_null(component);
                    }
                    if let Some(slot) = doc.root.at_mut(&ptr) {
                        *slot = nullable_ref(&name);
                    }
                }
                continue;
            }
        };
        if let Some(slot) = doc.root.at_mut(&ptr) {
            *slot = if nullable {
                nullable_ref(&name)
            } else {
                json!({"$ref": format!("#/components/schemas/{name}")})
            };
        }
    }
}

/// Names for the inline enums no component has, chosen before any is
/// hoisted (tags, enums of one value, are left to the loop that hoists):
/// the most shared enum claims its bare name (`State`) first, whatever
/// the document order, and the others are named where they are used
/// (see [`enum_name`]), so that a type shared by several operations is
/// not named after whichever came first.
fn plan_enum_names(
    found: &[(String, EnumKey, bool, String, String)],
    known: &HashMap<EnumKey, String>,
    taken: &mut HashSet<String>,
) -> HashMap<EnumKey, String> {
    // Per key: the hint of its first occurrence and its parents, in order.
    let mut keys: Vec<(&EnumKey, &str, Vec<&str>)> = Vec::new();
    let mut index: HashMap<&EnumKey, usize> = HashMap::new();
    for (_, key, _, hint, parent) in found {
        if key.0.len() < 2 || known.contains_key(key) {
            continue;
        }
        let i = *index.entry(key).or_insert_with(|| {
            keys.push((key, hint, Vec::new()));
            keys.len() - 1
        });
        if !keys[i].2.contains(&parent.as_str()) {
            keys[i].2.push(parent);
        }
    }
    // Most parents first; ties in document order (the sort is stable).
    keys.sort_by_key(|(_, _, parents)| std::cmp::Reverse(parents.len()));
    keys.into_iter()
        .map(|(key, hint, parents)| {
            let parents: Vec<String> = parents.into_iter().map(str::to_owned).collect();
            (key.clone(), enum_name(hint, &parents, key, taken))
        })
        .collect()
}

/// The name of a hoisted enum: its property's (`State`) when free; else
/// named where it is used: after its one parent (`ReposListSort`), or the
/// words all its parents' names begin with (`IssuesList` for
/// `issues/list`, `issues/list-for-repo`, …); else, when its parents share
/// nothing (or the parent is the property itself, a shared parameter),
/// after what it holds (`StateClosedOpen`, `…DefaultOpen` beside one
/// without that default) if that is short and free; only last after its
/// first parent.
fn enum_name(hint: &str, parents: &[String], key: &EnumKey, taken: &mut HashSet<String>) -> String {
    let base = sanitize(hint, Case::Pascal);
    if !taken.contains(&rust_type_name(&base)) {
        return fresh_name(&base, taken);
    }
    let pascal: Vec<String> = parents.iter().map(|p| sanitize(p, Case::Pascal)).collect();
    let owner = match pascal.as_slice() {
        [one] => one.clone(),
        _ => common_words(&pascal),
    };
    if !owner.is_empty() && owner != base {
        return fresh_name(&sanitize(&format!("{owner}-{hint}"), Case::Pascal), taken);
    }
    let values: Vec<String> = key.0.iter().map(|v| sanitize(v, Case::Pascal)).collect();
    if values.len() <= 4 && values.iter().all(|v| !v.is_empty()) {
        let by_values = format!("{base}{}", values.concat());
        let default = key
            .1
            .as_ref()
            .and_then(Value::as_str)
            .map(|d| format!("{by_values}Default{}", sanitize(d, Case::Pascal)));
        for name in std::iter::once(by_values).chain(default) {
            if name.len() <= 40 && !taken.contains(&rust_type_name(&name)) {
                return fresh_name(&name, taken);
            }
        }
    }
    let first = pascal.first().map_or("", String::as_str);
    fresh_name(&sanitize(&format!("{first}-{hint}"), Case::Pascal), taken)
}

/// The PascalCase words every name begins with (`IssuesList` for
/// `IssuesList`, `IssuesListForRepo`).
fn common_words(names: &[String]) -> String {
    let words = |name: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in name.chars() {
            match out.last_mut() {
                Some(word) if !c.is_uppercase() => word.push(c),
                _ => out.push(c.to_string()),
            }
        }
        out
    };
    let mut split = names.iter().map(|n| words(n));
    let Some(mut common) = split.next() else {
        return String::new();
    };
    for other in split {
        let same = common
            .iter()
            .zip(&other)
            .take_while(|(a, b)| a == b)
            .count();
        common.truncate(same);
    }
    common.concat()
}

/// `Option<Name>` in typify's terms.
fn nullable_ref(name: &str) -> Value {
    json!({"allOf": [{"$ref": format!("#/components/schemas/{name}")}], "nullable": true})
}

/// A name hint from the tail of a pointer inside a schema:
/// `/properties/state` → `state`, `/properties/tags/items` → `tags-item`.
fn hint_for(tail: &str) -> Option<String> {
    let tokens: Vec<String> = tail
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut suffix = String::new();
    for (i, t) in tokens.iter().enumerate().rev() {
        match t.as_str() {
            "items" => suffix.insert_str(0, "-item"),
            "additionalProperties" => suffix.insert_str(0, "-value"),
            _ if i > 0 && tokens[i - 1] == "properties" => return Some(format!("{t}{suffix}")),
            _ => {}
        }
    }
    None
}

/// The name of what a schema root belongs to: the component schema, or
/// the operation.
fn parent_name(root: &Value, start: &str) -> String {
    let tokens: Vec<&str> = start.split('/').collect();
    if tokens.get(1) == Some(&"components") {
        return tokens
            .get(3)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .unwrap_or_default();
    }
    // /paths/<p>/<method>/…
    if tokens.len() > 3 {
        let op_ptr = tokens[..4].join("/");
        if let Some(id) = root
            .at(&format!("{op_ptr}/operationId"))
            .and_then(Value::as_str)
        {
            return id.to_owned();
        }
    }
    "inline".to_owned()
}

/// A hint for an enum that is a schema root itself: the parameter's name
/// (`…/parameters/0/schema`) or the parent's name plus what it is.
fn root_hint(root: &Value, start: &str) -> String {
    if let Some(param) = start.strip_suffix("/schema") {
        if let Some(name) = root
            .at(param)
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            && (param.contains("/parameters/") || param.contains("/headers/"))
        {
            return name.to_owned();
        }
        if start.contains("/headers/")
            && let Some(h) = param.rsplit('/').next()
        {
            return h.replace("~1", "/").replace("~0", "~");
        }
        let parent = parent_name(root, start);
        let what = if start.contains("/requestBody") {
            "body"
        } else {
            "response"
        };
        return format!("{parent}-{what}");
    }
    parent_name(root, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints() {
        assert_eq!(hint_for("/properties/state").as_deref(), Some("state"));
        assert_eq!(
            hint_for("/properties/tags/items").as_deref(),
            Some("tags-item")
        );
        assert_eq!(hint_for("/properties/a/properties/b").as_deref(), Some("b"));
        assert_eq!(hint_for("/items"), None);
    }

    /// An operation's `state` query parameter, its values.
    fn state_param(id: &str, values: &[&str]) -> Value {
        json!({"get": {"operationId": id, "parameters": [{
            "name": "state", "in": "query",
            "schema": {"type": "string", "enum": values}
        }], "responses": {}}})
    }

    fn component_values(doc: &Doc, name: &str) -> Option<Value> {
        doc.root
            .pointer(&format!("/components/schemas/{name}/enum"))
            .cloned()
    }

    #[test]
    fn the_most_shared_enum_takes_the_bare_name_and_the_others_are_named_where_used() {
        let mut doc = Doc::new(json!({"paths": {
            "/milestones": state_param("issues/create-milestone", &["open", "closed"]),
            "/issues": state_param("issues/list", &["open", "closed", "all"]),
            "/repo/issues": state_param("issues/list-for-repo", &["open", "closed", "all"]),
            "/pulls": state_param("pulls/list", &["open", "closed", "all"]),
            "/org/issues": state_param("issues/list-for-org", &["open", "closed", "merged"]),
            "/repo/pulls": state_param("issues/list-events", &["open", "closed", "merged"]),
            "/a": state_param("a", &["x", "y", "z", "w", "v"]),
            "/b": state_param("b", &["x", "y", "z", "w", "v"]),
            "/c": state_param("c", &["alpha-much-longer-value", "beta-much-longer-value"]),
            "/d": state_param("d", &["alpha-much-longer-value", "beta-much-longer-value"])
        }}));
        run(&mut doc);
        // Three operations share it, though it comes second.
        assert_eq!(
            component_values(&doc, "State"),
            Some(json!(["open", "closed", "all"]))
        );
        // One operation: its name.
        assert_eq!(
            component_values(&doc, "IssuesCreateMilestoneState"),
            Some(json!(["open", "closed"]))
        );
        // Two of `issues/…`: what their names share.
        assert_eq!(
            component_values(&doc, "IssuesListState"),
            Some(json!(["open", "closed", "merged"]))
        );
        // Nothing shared: what it holds, when short; else the first user.
        assert_eq!(
            component_values(&doc, "StateVWXYZ"),
            None,
            "five values are too many"
        );
        assert_eq!(
            component_values(&doc, "AState"),
            Some(json!(["x", "y", "z", "w", "v"]))
        );
        assert_eq!(
            component_values(&doc, "CState"),
            Some(json!(["alpha-much-longer-value", "beta-much-longer-value"]))
        );
        assert_eq!(
            common_words(&["IssuesList".into(), "IssuesListForRepo".into()]),
            "IssuesList"
        );
        assert_eq!(common_words(&["IssuesList".into(), "PullsList".into()]), "");
    }

    #[test]
    fn a_short_enum_shared_by_unrelated_operations_is_named_for_its_values() {
        let mut doc = Doc::new(json!({
            "paths": {
                "/a": state_param("issues/list", &["open", "closed", "all"]),
                "/b": state_param("pulls/list", &["open", "closed", "all"])
            },
            "components": {"schemas": {"State": {"type": "string", "enum": ["on", "off"]}}}
        }));
        run(&mut doc);
        assert_eq!(component_values(&doc, "State"), Some(json!(["on", "off"])));
        assert_eq!(
            component_values(&doc, "StateAllClosedOpen"),
            Some(json!(["open", "closed", "all"]))
        );
    }

    #[test]
    fn inline_enum_refers_to_the_component_with_the_same_values() {
        let mut doc = Doc::new(json!({
            "paths": {"/a": {"patch": {"operationId": "upd", "requestBody": {"content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"visibility": {"type": "string", "enum": ["public", "private"]}}
            }}}}, "responses": {}}}},
            "components": {"schemas": {"Visibility": {"type": "string", "enum": ["private", "public"]}}}
        }));
        run(&mut doc);
        assert_eq!(
            doc.root
                .pointer("/components/schemas/UpdBody/properties/visibility")
                .unwrap(),
            &json!({"$ref": "#/components/schemas/Visibility"})
        );
        assert_eq!(
            doc.root
                .pointer("/paths/~1a/patch/requestBody/content/application~1json/schema")
                .unwrap(),
            &json!({"$ref": "#/components/schemas/UpdBody"})
        );
        assert_eq!(
            doc.origins
                .source("/components/schemas/UpdBody/properties/x"),
            "/paths/~1a/patch/requestBody/content/application~1json/schema/properties/x"
        );
    }
}
