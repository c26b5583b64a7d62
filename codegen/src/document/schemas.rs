//! Where schemas are in a document, and walks over every schema inside
//! them (properties, items, compositions, …), pre-order.

use serde_json::Value;

use super::operations::METHODS;
use super::pointer::{Lookup, escape_token};

/// Pointers of every place a schema starts (outside schemas): component
/// schemas, parameter, header and media-type schemas, in operations, path
/// items, components and callbacks.
pub(crate) fn schema_roots(root: &Value) -> Vec<String> {
    schema_root_nodes(root)
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

/// [`schema_roots`] with the schema at each: the walks that only read
/// need not look each one up again from the root.
fn schema_root_nodes(root: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if let Some(components) = root.get("components").and_then(Value::as_object) {
        let each = |section: &'static str| {
            components
                .get(section)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(move |(k, v)| (child(&format!("/components/{section}"), k), v))
        };
        out.extend(each("schemas"));
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
            path_item_schemas(item, &child("/paths", path), &mut out);
        }
    }
    out
}

/// `{ptr}/{token}`, the token escaped: built without `format!`, which
/// cost more than the walks' own work on a large spec.
fn child(ptr: &str, token: &str) -> String {
    let mut p = String::with_capacity(ptr.len() + token.len() + 1);
    p.push_str(ptr);
    push_token(&mut p, token);
    p
}

/// Appends `/` and `token`, escaped.
fn push_token(ptr: &mut String, token: &str) {
    ptr.push('/');
    if token.contains(['~', '/']) {
        ptr.push_str(&escape_token(token));
    } else {
        ptr.push_str(token);
    }
}

type Roots<'a> = Vec<(String, &'a Value)>;

fn path_item_schemas<'a>(item: &'a Value, ptr: &str, out: &mut Roots<'a>) {
    let Some(item) = item.as_object() else {
        return;
    };
    if let Some(Value::Array(params)) = item.get("parameters") {
        let at = child(ptr, "parameters");
        for (i, p) in params.iter().enumerate() {
            parameter_schemas(p, &child(&at, &i.to_string()), out);
        }
    }
    for method in METHODS {
        let Some(op) = item.get(method).and_then(Value::as_object) else {
            continue;
        };
        let op_ptr = child(ptr, method);
        if let Some(Value::Array(params)) = op.get("parameters") {
            let at = child(&op_ptr, "parameters");
            for (i, p) in params.iter().enumerate() {
                parameter_schemas(p, &child(&at, &i.to_string()), out);
            }
        }
        if let Some(body) = op.get("requestBody") {
            content_schemas(body, &child(&op_ptr, "requestBody"), out);
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            let at = child(&op_ptr, "responses");
            for (status, r) in responses {
                response_schemas(r, &child(&at, status), out);
            }
        }
        if let Some(Value::Object(callbacks)) = op.get("callbacks") {
            let at = child(&op_ptr, "callbacks");
            for (name, cb) in callbacks {
                callback_schemas(cb, &child(&at, name), out);
            }
        }
    }
}

fn callback_schemas<'a>(callback: &'a Value, ptr: &str, out: &mut Roots<'a>) {
    if let Some(map) = callback.as_object() {
        for (expr, item) in map {
            path_item_schemas(item, &child(ptr, expr), out);
        }
    }
}

fn parameter_schemas<'a>(param: &'a Value, ptr: &str, out: &mut Roots<'a>) {
    if let Some(schema) = param.get("schema") {
        out.push((child(ptr, "schema"), schema));
    }
    content_schemas(param, ptr, out);
}

fn response_schemas<'a>(response: &'a Value, ptr: &str, out: &mut Roots<'a>) {
    content_schemas(response, ptr, out);
    if let Some(Value::Object(headers)) = response.get("headers") {
        let at = child(ptr, "headers");
        for (name, h) in headers {
            parameter_schemas(h, &child(&at, name), out);
        }
    }
}

fn content_schemas<'a>(holder: &'a Value, ptr: &str, out: &mut Roots<'a>) {
    if let Some(Value::Object(content)) = holder.get("content") {
        let at = child(ptr, "content");
        for (media, mt) in content {
            if let Some(schema) = mt.get("schema") {
                out.push((child(&child(&at, media), "schema"), schema));
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
                push_token(ptr, name);
                walk_schema(item, ptr, f);
            }
        }
        ptr.truncate(len);
    }
}

/// Runs `f` on every schema of the document (see [`walk_schema`]).
pub(crate) fn walk_all_schemas(root: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    for start in schema_roots(root) {
        if let Some(schema) = root.at_mut(&start) {
            let mut ptr = start.clone();
            walk_schema(schema, &mut ptr, f);
        }
    }
}

/// Calls `f` on every schema of the document, like [`walk_all_schemas`]
/// without changing anything (for the checks of validation).
pub(crate) fn visit_all_schemas(root: &Value, f: &mut dyn FnMut(&Value, &str)) {
    for (mut ptr, schema) in schema_root_nodes(root) {
        visit_schema(schema, &mut ptr, f);
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
            push_token(ptr, t);
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
