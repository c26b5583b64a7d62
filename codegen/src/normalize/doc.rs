//! The document the passes rewrite, with what they report and where moved
//! nodes came from; plus the walks over operations and schemas they share.
//!
//! Passes work on the untyped `serde_json::Value`: the 3.1 lowering has to
//! run before the document fits `openapiv3`'s types at all, and editing a
//! JSON tree keeps every pass free to add, move and rename nodes. Every
//! finding carries the JSON pointer of the node in the *source*: a pass
//! that moves a node (hoisting a schema, inlining a shared response)
//! records the move in [`Origins`], through which later findings and
//! validation errors are mapped back.

use serde_json::{Map, Value};

use crate::diagnostic::{Severity, escape_token, percent_decode};

/// One thing a pass reports: something normalized away (a warning) or
/// something it cannot normalize (an error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub severity: Severity,
    /// JSON pointer in the normalized document; mapped to the source by
    /// [`Origins::source`] when the diagnostic is made.
    pub pointer: String,
    pub message: String,
    pub help: Option<String>,
}

/// Where moved or copied nodes came from: `(new prefix, old prefix)`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origins {
    moves: Vec<(String, String)>,
}

impl Origins {
    /// Records that the node now at `new` was at `old` in the source (or
    /// at `old` in an earlier state of the document, itself mapped).
    pub(crate) fn record(&mut self, new: &str, old: &str) {
        let old = self.source(old);
        self.moves.push((new.to_owned(), old));
    }

    /// The source pointer of a node at `pointer` in the normalized document.
    pub(crate) fn source(&self, pointer: &str) -> String {
        // The longest matching move wins, and among equals the latest
        // (`max_by_key` keeps the last maximum); moves are few.
        let best = self
            .moves
            .iter()
            .filter(|(new, _)| is_prefix(new, pointer))
            .max_by_key(|(new, _)| new.len());
        match best {
            Some((new, old)) => format!("{old}{}", &pointer[new.len()..]),
            None => pointer.to_owned(),
        }
    }
}

/// `prefix` is `pointer` or one of its ancestors.
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer.starts_with(prefix)
        && (pointer.len() == prefix.len() || pointer.as_bytes()[prefix.len()] == b'/')
}

/// The document being normalized.
pub(crate) struct Doc {
    pub root: Value,
    pub findings: Vec<Finding>,
    pub origins: Origins,
}

impl Doc {
    pub(crate) fn new(root: Value) -> Doc {
        Doc {
            root,
            findings: Vec::new(),
            origins: Origins::default(),
        }
    }

    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>, help: Option<&str>) {
        self.push(Severity::Warning, pointer, message.into(), help);
    }

    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>, help: Option<&str>) {
        self.push(Severity::Error, pointer, message.into(), help);
    }

    fn push(&mut self, severity: Severity, pointer: &str, message: String, help: Option<&str>) {
        self.findings.push(Finding {
            severity,
            pointer: self.origins.source(pointer),
            message,
            help: help.map(str::to_owned),
        });
    }

    /// Names of `#/components/<section>`, for choosing fresh names.
    pub(crate) fn component_names(&self, section: &str) -> Vec<String> {
        self.root
            .get("components")
            .and_then(|c| c.get(section))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// `#/components/<section>` as a mutable map, created when missing.
    /// `None` when `components` or the section is not a mapping.
    pub(crate) fn section_mut(&mut self, section: &str) -> Option<&mut Map<String, Value>> {
        let root = self.root.as_object_mut()?;
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()?;
        components
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
    }
}

/// See [`Doc::resolve`]; returns the target and the pointer of the last
/// reference target when `value` was a reference.
pub(crate) fn resolve<'a>(
    root: &'a Value,
    value: &'a Value,
) -> Option<(&'a Value, Option<String>)> {
    let mut node = value;
    let mut at = None;
    for _ in 0..32 {
        match node.get("$ref") {
            Some(Value::String(target)) => {
                let fragment = target.strip_prefix('#')?;
                let fragment = percent_decode(fragment);
                node = root.pointer(&fragment)?;
                at = Some(fragment);
            }
            _ => return Some((node, at)),
        }
    }
    None
}

/// HTTP methods of a path item, in the order progenitor visits them.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `(pointer, path, method)` of every operation, in document order.
pub(crate) fn operations(root: &Value) -> Vec<(String, String, &'static str)> {
    let mut out = Vec::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in METHODS {
            if item.get(method).is_some_and(Value::is_object) {
                out.push((
                    format!("/paths/{}/{method}", escape_token(path)),
                    path.clone(),
                    method,
                ));
            }
        }
    }
    out
}

/// Pointers of every place a schema starts (outside schemas): component
/// schemas, parameter, header and media-type schemas, in operations, path
/// items, components and callbacks.
pub(crate) fn schema_roots(root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(components) = root.get("components").and_then(Value::as_object) {
        let each = |section: &'static str| {
            components
                .get(section)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(move |(k, v)| (format!("/components/{section}/{}", escape_token(k)), v))
        };
        for (ptr, _) in each("schemas") {
            out.push(ptr);
        }
        for (ptr, v) in each("parameters").chain(each("headers")) {
            parameter_schemas(v, &ptr, &mut out);
        }
        for (ptr, v) in each("requestBodies") {
            content_schemas(v, &ptr, &mut out);
        }
        for (ptr, v) in each("responses") {
            response_schemas(v, &ptr, &mut out);
        }
        for (ptr, v) in each("callbacks") {
            callback_schemas(v, &ptr, &mut out);
        }
    }
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            path_item_schemas(item, &format!("/paths/{}", escape_token(path)), &mut out);
        }
    }
    out
}

fn path_item_schemas(item: &Value, ptr: &str, out: &mut Vec<String>) {
    let Some(item) = item.as_object() else {
        return;
    };
    if let Some(Value::Array(params)) = item.get("parameters") {
        for (i, p) in params.iter().enumerate() {
            parameter_schemas(p, &format!("{ptr}/parameters/{i}"), out);
        }
    }
    for method in METHODS {
        let Some(op) = item.get(method).and_then(Value::as_object) else {
            continue;
        };
        let op_ptr = format!("{ptr}/{method}");
        if let Some(Value::Array(params)) = op.get("parameters") {
            for (i, p) in params.iter().enumerate() {
                parameter_schemas(p, &format!("{op_ptr}/parameters/{i}"), out);
            }
        }
        if let Some(body) = op.get("requestBody") {
            content_schemas(body, &format!("{op_ptr}/requestBody"), out);
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (status, r) in responses {
                response_schemas(
                    r,
                    &format!("{op_ptr}/responses/{}", escape_token(status)),
                    out,
                );
            }
        }
        if let Some(Value::Object(callbacks)) = op.get("callbacks") {
            for (name, cb) in callbacks {
                callback_schemas(
                    cb,
                    &format!("{op_ptr}/callbacks/{}", escape_token(name)),
                    out,
                );
            }
        }
    }
}

fn callback_schemas(callback: &Value, ptr: &str, out: &mut Vec<String>) {
    if let Some(map) = callback.as_object() {
        for (expr, item) in map {
            path_item_schemas(item, &format!("{ptr}/{}", escape_token(expr)), out);
        }
    }
}

fn parameter_schemas(param: &Value, ptr: &str, out: &mut Vec<String>) {
    if param.get("schema").is_some() {
        out.push(format!("{ptr}/schema"));
    }
    content_schemas(param, ptr, out);
}

fn response_schemas(response: &Value, ptr: &str, out: &mut Vec<String>) {
    content_schemas(response, ptr, out);
    if let Some(Value::Object(headers)) = response.get("headers") {
        for (name, h) in headers {
            parameter_schemas(h, &format!("{ptr}/headers/{}", escape_token(name)), out);
        }
    }
}

fn content_schemas(holder: &Value, ptr: &str, out: &mut Vec<String>) {
    if let Some(Value::Object(content)) = holder.get("content") {
        for (media, mt) in content {
            if mt.get("schema").is_some() {
                out.push(format!("{ptr}/content/{}/schema", escape_token(media)));
            }
        }
    }
}

/// Keywords whose value is one schema.
pub(crate) const SCHEMA_KEYWORDS: [&str; 9] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
];
/// Keywords whose value is a list of schemas.
pub(crate) const SCHEMA_LIST_KEYWORDS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
pub(crate) const SCHEMA_MAP_KEYWORDS: [&str; 4] = [
    "properties",
    "$defs",
    "patternProperties",
    "dependentSchemas",
];

/// Calls `f` on the schema at `ptr` and then on every schema inside it
/// (pre-order: `f` may rewrite a node before its children are visited).
pub(crate) fn walk_schema(
    value: &mut Value,
    ptr: &mut String,
    f: &mut dyn FnMut(&mut Value, &str),
) {
    f(value, ptr);
    let Value::Object(map) = value else {
        return;
    };
    for (key, child) in map.iter_mut() {
        let k = key.as_str();
        let len = ptr.len();
        if SCHEMA_KEYWORDS.contains(&k) {
            // `additionalProperties: true` is 3.0 too; a boolean elsewhere
            // is a 3.1 schema.
            if child.is_object() || (child.is_boolean() && k != "additionalProperties") {
                ptr.push('/');
                ptr.push_str(k);
                walk_schema(child, ptr, f);
            }
        } else if SCHEMA_LIST_KEYWORDS.contains(&k) {
            if let Value::Array(items) = child {
                for (i, item) in items.iter_mut().enumerate() {
                    ptr.truncate(len);
                    ptr.push('/');
                    ptr.push_str(k);
                    ptr.push('/');
                    ptr.push_str(&i.to_string());
                    walk_schema(item, ptr, f);
                }
            }
        } else if SCHEMA_MAP_KEYWORDS.contains(&k)
            && let Value::Object(entries) = child
        {
            for (name, item) in entries.iter_mut() {
                ptr.truncate(len);
                ptr.push('/');
                ptr.push_str(k);
                ptr.push('/');
                ptr.push_str(&escape_token(name));
                walk_schema(item, ptr, f);
            }
        }
        ptr.truncate(len);
    }
}

/// Runs `f` on every schema of the document (see [`walk_schema`]).
pub(crate) fn walk_all_schemas(root: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    for start in schema_roots(root) {
        if let Some(schema) = root.pointer_mut(&start) {
            let mut ptr = start.clone();
            walk_schema(schema, &mut ptr, f);
        }
    }
}

/// Calls `f` on every schema of the document, like [`walk_all_schemas`]
/// without changing anything (for the checks of validation).
pub(crate) fn visit_all_schemas(root: &Value, f: &mut dyn FnMut(&Value, &str)) {
    for start in schema_roots(root) {
        if let Some(schema) = root.pointer(&start) {
            let mut ptr = start.clone();
            visit_schema(schema, &mut ptr, f);
        }
    }
}

fn visit_schema(value: &Value, ptr: &mut String, f: &mut dyn FnMut(&Value, &str)) {
    f(value, ptr);
    let Value::Object(map) = value else {
        return;
    };
    let len = ptr.len();
    let mut enter = |ptr: &mut String, tokens: &[&str], child: &Value| {
        ptr.truncate(len);
        for t in tokens {
            ptr.push('/');
            ptr.push_str(&escape_token(t));
        }
        visit_schema(child, ptr, f);
    };
    for (key, child) in map {
        let k = key.as_str();
        if SCHEMA_KEYWORDS.contains(&k) {
            // As in `walk_schema`: a boolean is a schema except as
            // `additionalProperties`.
            if child.is_object() || (child.is_boolean() && k != "additionalProperties") {
                enter(ptr, &[k], child);
            }
        } else if SCHEMA_LIST_KEYWORDS.contains(&k) {
            if let Value::Array(items) = child {
                for (i, item) in items.iter().enumerate() {
                    enter(ptr, &[k, &i.to_string()], item);
                }
            }
        } else if SCHEMA_MAP_KEYWORDS.contains(&k)
            && let Value::Object(entries) = child
        {
            for (name, item) in entries {
                enter(ptr, &[k, name], item);
            }
        }
    }
    ptr.truncate(len);
}

/// A name not in `taken` (compared as typify compares type names: after
/// conversion to PascalCase), starting from `base`, then `base2`, `base3`…
pub(crate) fn fresh_name(base: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&rust_type_name(&candidate)) {
        candidate = format!("{base}{n}");
        n += 1;
    }
    taken.insert(rust_type_name(&candidate));
    candidate
}

/// The Rust type name typify gives a schema called `name`.
pub(crate) fn rust_type_name(name: &str) -> String {
    crate::naming::sanitize(name, crate::naming::Case::Pascal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_map_moved_nodes_back() {
        let mut o = Origins::default();
        o.record(
            "/components/schemas/ABody",
            "/paths/~1a/post/requestBody/content/application~1json/schema",
        );
        assert_eq!(
            o.source("/components/schemas/ABody/properties/x"),
            "/paths/~1a/post/requestBody/content/application~1json/schema/properties/x"
        );
        assert_eq!(
            o.source("/components/schemas/ABodyX"),
            "/components/schemas/ABodyX"
        );
        // The node now at a place another node left is the later one.
        o.record("/a/0", "/a/1");
        o.record("/a/1", "/a/2");
        o.record("/a/0", "/a/1");
        assert_eq!(o.source("/a/0"), "/a/2");
        // A move of a moved node maps to the first source.
        o.record(
            "/components/schemas/Moved",
            "/components/schemas/ABody/properties/x",
        );
        assert_eq!(
            o.source("/components/schemas/Moved"),
            "/paths/~1a/post/requestBody/content/application~1json/schema/properties/x"
        );
    }

    #[test]
    fn resolves_chains_and_rejects_cycles() {
        let root = serde_json::json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "C": {"$ref": "#/components/schemas/D"},
                "D": {"$ref": "#/components/schemas/C"},
            }}
        });
        let a = serde_json::json!({"$ref": "#/components/schemas/A"});
        let (node, at) = resolve(&root, &a).unwrap();
        assert_eq!(node["type"], "string");
        assert_eq!(at.as_deref(), Some("/components/schemas/B"));
        let c = serde_json::json!({"$ref": "#/components/schemas/C"});
        assert!(resolve(&root, &c).is_none());
    }
}
