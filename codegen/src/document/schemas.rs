//! Where schemas are in a document, and walks over every schema inside
//! them (properties, items, compositions, …), pre-order.

use serde_json::Value;

use super::operations::METHODS;
use super::pointer::{Lookup, escape_token};

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
        if let Some(schema) = root.at_mut(&start) {
            let mut ptr = start.clone();
            walk_schema(schema, &mut ptr, f);
        }
    }
}

/// Calls `f` on every schema of the document, like [`walk_all_schemas`]
/// without changing anything (for the checks of validation).
pub(crate) fn visit_all_schemas(root: &Value, f: &mut dyn FnMut(&Value, &str)) {
    for start in schema_roots(root) {
        if let Some(schema) = root.at(&start) {
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
