//! Pass 3: parameters progenitor accepts.
//!
//! - A path parameter that is not `required: true` is made so: OpenAPI
//!   requires it of every path parameter, and progenitor `assert!`s it.
//! - An optional cookie parameter is dropped (progenitor has no cookie
//!   support); a required one stays, and validation reports it.
//!
//! Both are warnings at the parameter. Shared parameters
//! (`#/components/parameters`) are fixed in place.

use serde_json::Value;

use super::doc::Doc;
use crate::document::operations::METHODS;
use crate::document::pointer::escape_token;

pub(crate) fn run(doc: &mut Doc) {
    for name in doc.component_names("parameters") {
        let ptr = format!("/components/parameters/{}", escape_token(&name));
        require_path(doc, &ptr);
    }
    let mut lists: Vec<String> = Vec::new();
    if let Some(paths) = doc.root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_ptr = format!("/paths/{}", escape_token(path));
            lists.push(format!("{item_ptr}/parameters"));
            for method in METHODS {
                if item.get(method).is_some_and(Value::is_object) {
                    lists.push(format!("{item_ptr}/{method}/parameters"));
                }
            }
        }
    }
    for list in lists {
        let count = doc
            .root
            .pointer(&list)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        // Backwards, so that removing one keeps the others' indices.
        for i in (0..count).rev() {
            let ptr = format!("{list}/{i}");
            require_path(doc, &ptr);
            drop_optional_cookie(doc, &list, i);
        }
    }
}

fn require_path(doc: &mut Doc, ptr: &str) {
    let Some(Value::Object(param)) = doc.root.pointer_mut(ptr) else {
        return;
    };
    if param.get("in").and_then(Value::as_str) != Some("path")
        || param.get("required").and_then(Value::as_bool) == Some(true)
    {
        return;
    }
    param.insert("required".to_owned(), Value::Bool(true));
    let name = name_of(param.get("name"));
    doc.warn(
        ptr,
        format!("path parameter `{name}` is made `required: true`"),
        Some("OpenAPI requires every path parameter to be required"),
    );
}

fn drop_optional_cookie(doc: &mut Doc, list: &str, i: usize) {
    let ptr = format!("{list}/{i}");
    let Some(param) = doc.root.pointer(&ptr) else {
        return;
    };
    if param.get("in").and_then(Value::as_str) != Some("cookie")
        || param.get("required").and_then(Value::as_bool) == Some(true)
    {
        return;
    }
    let name = name_of(param.get("name"));
    doc.warn(
        &ptr,
        format!("optional cookie parameter `{name}` is left out: cookies are not supported"),
        None,
    );
    let Some(Value::Array(items)) = doc.root.pointer_mut(list) else {
        return;
    };
    items.remove(i);
    // The parameters after it moved up by one.
    let len = items.len();
    for j in i..len {
        doc.origins
            .record(&format!("{list}/{j}"), &format!("{list}/{}", j + 1));
    }
}

/// A parameter's `name` field as text, for messages (empty when missing).
fn name_of(name: Option<&Value>) -> String {
    name.and_then(Value::as_str).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_parameters_become_required_and_optional_cookies_go() {
        let mut doc = Doc::new(json!({
            "paths": {"/a/{id}": {"get": {"parameters": [
                {"name": "id", "in": "path", "schema": {"type": "string"}},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": {"type": "string"}}
            ]}}}
        }));
        run(&mut doc);
        let params = doc.root.pointer("/paths/~1a~1{id}/get/parameters").unwrap();
        assert_eq!(params.as_array().unwrap().len(), 2);
        assert_eq!(params[0]["required"], true);
        assert_eq!(params[1]["name"], "q");
        // `q` moved from 2 to 1: its problems are reported where it is written.
        assert_eq!(
            doc.origins
                .source("/paths/~1a~1{id}/get/parameters/1/schema"),
            "/paths/~1a~1{id}/get/parameters/2/schema"
        );
        let at: Vec<&str> = doc.findings.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "/paths/~1a~1{id}/get/parameters/1",
                "/paths/~1a~1{id}/get/parameters/0"
            ]
        );
    }
}
