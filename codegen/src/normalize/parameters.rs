//! A normalization pass (their order: `normalize/mod.rs`): parameters progenitor accepts.
//!
//! - A path parameter that is not `required: true` is made so: OpenAPI
//!   requires it of every path parameter, and progenitor `assert!`s it.
//! - A cookie parameter is dropped (progenitor has no cookie support); a
//!   required one with a warning that calls may be refused.
//! - A path parameter the path template does not name is dropped: the URL
//!   has no place for it.
//!
//! - A variable of the path template that no path parameter declares (a
//!   spec bug publishers ship: `/lists/{list_id}` with no `list_id`) gets
//!   a required string path parameter: the server's own URL says the value
//!   is there, and a string carries any value of it.
//!
//! - Every parameter of an operation gets a Rust name of its own (see
//!   [`names`]): a later one whose name sanitizes like another's
//!   (`frontendApi` beside `frontend_api`, a query `list_id` beside the
//!   path's) or like something of the builder (`send`) is renamed for
//!   Rust, its wire name kept in `x-codegen-wire-name` for `send()`.
//!
//! - `nullable` on a parameter's schema is left out: a parameter cannot
//!   carry `null`, and an optional one would become `Option<Option<T>>`.
//!
//! - A parameter typed by `content` instead of `schema` gets its schema
//!   (see [`content`]).
//!
//! Each is a warning, at the parameter or the operation. Shared parameters
//! (`#/components/parameters`) are fixed in place.

mod content;
mod names;

use serde_json::Value;

use super::doc::Doc;
use crate::document::operations::{METHODS, operations, template_names};
use crate::document::pointer::{Lookup, escape_token};
use crate::document::refs::resolve;

pub(crate) fn run(doc: &mut Doc) {
    for name in doc.component_names("parameters") {
        let ptr = format!("/components/parameters/{}", escape_token(&name));
        content::to_schema(doc, &ptr);
        require_path(doc, &ptr);
        not_nullable(doc, &ptr);
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
            .at(&list)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        // Backwards, so that removing one keeps the others' indices.
        for i in (0..count).rev() {
            let ptr = format!("{list}/{i}");
            content::to_schema(doc, &ptr);
            require_path(doc, &ptr);
            not_nullable(doc, &ptr);
            drop_cookie(doc, &list, i);
        }
    }
    drop_path_parameters_not_in_template(doc);
    declare_path_variables(doc);
    names::run(doc);
}

/// Names of the path parameters declared in the list at `list`.
fn path_parameters(root: &Value, list: &str) -> Vec<String> {
    let Some(Value::Array(params)) = root.at(list) else {
        return Vec::new();
    };
    params
        .iter()
        .filter_map(|p| resolve(root, p).map(|(p, _)| p))
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

fn declare_path_variables(doc: &mut Doc) {
    let mut missing: Vec<(String, String, String)> = Vec::new(); // (op ptr, path, name)
    for (op_ptr, path, _) in operations(&doc.root) {
        let Ok(variables) = template_names(&path) else {
            continue; // a malformed template is an error of the model checks
        };
        let item_ptr = format!("/paths/{}", escape_token(&path));
        let mut declared = path_parameters(&doc.root, &format!("{item_ptr}/parameters"));
        declared.extend(path_parameters(&doc.root, &format!("{op_ptr}/parameters")));
        for name in variables {
            if !declared.contains(&name) {
                missing.push((op_ptr.clone(), path.clone(), name));
            }
        }
    }
    for (op_ptr, path, name) in missing {
        let Some(Value::Object(op)) = doc.root.at_mut(&op_ptr) else {
            continue;
        };
        let list = op
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = list else {
            continue; // a type error, reported by the model checks
        };
        list.push(serde_json::json!({
            "name": name, "in": "path", "required": true, "schema": {"type": "string"},
        }));
        doc.warn(
            &op_ptr,
            format!("path variable `{{{name}}}` of `{path}` is not declared; a required string path parameter `{name}` is generated"),
            Some("declare it under `parameters` with `in: path` and `required: true`"),
        );
    }
}

fn require_path(doc: &mut Doc, ptr: &str) {
    let Some(Value::Object(param)) = doc.root.at_mut(ptr) else {
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

/// `nullable` left out of the inline members of `schema`'s compositions,
/// at any depth; whether there was one.
fn members_not_nullable(schema: &mut serde_json::Map<String, Value>) -> bool {
    let mut removed = false;
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            for member in members.iter_mut().filter_map(Value::as_object_mut) {
                removed |= member.remove("nullable") == Some(Value::Bool(true));
                removed |= members_not_nullable(member);
            }
        }
    }
    removed
}

/// A parameter is a string on the wire, which cannot be `null`: a
/// `nullable` schema would only make an optional parameter an
/// `Option<Option<T>>`, which progenitor cannot send.
/// typify carries a `nullable` composition member into the parameter's
/// type (a required header or path parameter typed `Option`, sent
/// through `to_string()`: found by specfuzz); it is left out with the rest.
fn not_nullable(doc: &mut Doc, ptr: &str) {
    let Some(Value::Object(schema)) = doc.root.at_mut(&format!("{ptr}/schema")) else {
        return;
    };
    let at_top = schema.remove("nullable") == Some(Value::Bool(true));
    let in_members = members_not_nullable(schema);
    if !at_top && !in_members {
        return;
    }
    let name = name_of(doc.root.at(&format!("{ptr}/name")));
    doc.warn(
        &if at_top {
            format!("{ptr}/schema/nullable")
        } else {
            format!("{ptr}/schema")
        },
        format!("parameter `{name}` is `nullable`, which a parameter cannot send; left out (an absent parameter says it)"),
        None,
    );
}

/// progenitor has no cookie support: a cookie parameter is left out (a
/// required one with a warning that says calls may be refused), the rest
/// of the operation generated.
fn drop_cookie(doc: &mut Doc, list: &str, i: usize) {
    let ptr = format!("{list}/{i}");
    let Some((param, _)) = doc.root.at(&ptr).and_then(|p| resolve(&doc.root, p)) else {
        return;
    };
    if param.get("in").and_then(Value::as_str) != Some("cookie") {
        return;
    }
    let name = name_of(param.get("name"));
    let (message, help) = if param.get("required").and_then(Value::as_bool) == Some(true) {
        (
            format!("required cookie parameter `{name}` is left out: cookies are not supported"),
            Some("the server may refuse calls without it; set the cookie on the reqwest client"),
        )
    } else {
        (
            format!("optional cookie parameter `{name}` is left out: cookies are not supported"),
            None,
        )
    };
    doc.warn(&ptr, message, help);
    remove_parameter(doc, list, i);
}

/// Removes `list[i]`, recording that the parameters after it moved up.
fn remove_parameter(doc: &mut Doc, list: &str, i: usize) {
    let Some(Value::Array(items)) = doc.root.at_mut(list) else {
        return;
    };
    if i >= items.len() {
        return;
    }
    items.remove(i);
    let len = items.len();
    for j in i..len {
        doc.origins
            .record(&format!("{list}/{j}"), &format!("{list}/{}", j + 1));
    }
}

/// A path parameter whose name the path template does not have (a spec
/// bug: `/users/{id}` declaring `userId`) cannot go anywhere in the URL:
/// it is left out, the operation generated without it.
fn drop_path_parameters_not_in_template(doc: &mut Doc) {
    let Some(paths) = doc.root.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    for (path, item) in paths.iter().filter(|(path, _)| !path.starts_with("x-")) {
        let Ok(template) = template_names(path) else {
            continue; // a malformed template is an error of the model checks
        };
        let item_ptr = format!("/paths/{}", escape_token(path));
        lists.push((format!("{item_ptr}/parameters"), template.clone()));
        for method in METHODS {
            if item.get(method).is_some_and(Value::is_object) {
                lists.push((format!("{item_ptr}/{method}/parameters"), template.clone()));
            }
        }
    }
    for (list, template) in lists {
        let count = doc
            .root
            .at(&list)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in (0..count).rev() {
            let ptr = format!("{list}/{i}");
            let Some((param, _)) = doc.root.at(&ptr).and_then(|p| resolve(&doc.root, p)) else {
                continue;
            };
            if param.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let name = name_of(param.get("name"));
            if template.contains(&name) {
                continue;
            }
            doc.warn(
                &ptr,
                format!("path parameter `{name}` does not appear in the path; it is left out"),
                Some(&format!(
                    "add `{{{name}}}` to the path or declare the parameter `in: query`"
                )),
            );
            remove_parameter(doc, &list, i);
        }
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
    fn undeclared_path_variables_become_string_parameters() {
        let mut doc = Doc::new(json!({
            "components": {"parameters": {"Seg": {"name": "seg", "in": "path", "required": true, "schema": {"type": "integer"}}}},
            "paths": {"/lists/{list_id}/{seg}/{item}": {
                "parameters": [{"$ref": "#/components/parameters/Seg"}],
                "get": {"parameters": [{"name": "item", "in": "path", "required": true, "schema": {"type": "string"}}]},
                "delete": {},
            }}
        }));
        run(&mut doc);
        let get = doc
            .root
            .pointer("/paths/~1lists~1{list_id}~1{seg}~1{item}/get/parameters")
            .unwrap();
        assert_eq!(get.as_array().unwrap().len(), 2);
        assert_eq!(
            get[1],
            json!({"name": "list_id", "in": "path", "required": true, "schema": {"type": "string"}})
        );
        let delete = doc
            .root
            .pointer("/paths/~1lists~1{list_id}~1{seg}~1{item}/delete/parameters")
            .unwrap();
        let names: Vec<&str> = delete
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["list_id", "item"],
            "`seg` is declared by reference on the path item"
        );
        let messages: Vec<&str> = doc.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 3);
        let mut doc = Doc::new(json!({"paths": {"/l/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"parameters": [{"name": "id", "in": "header", "schema": {"type": "integer"}}, {"name": "q", "in": "query"}]},
            "put": {"parameters": [{"name": "id", "in": "query", "required": true, "schema": {"type": "integer"}}]},
        }}}));
        run(&mut doc);
        // Beside the path's `id`, a header and a query `id` are renamed
        // for Rust and sent as `id`.
        let get = doc.root.pointer("/paths/~1l~1{id}/get/parameters").unwrap();
        assert_eq!(
            get,
            &json!([{"name": "id_header", "in": "header", "schema": {"type": "integer"},
                "x-codegen-wire-name": "id"}, {"name": "q", "in": "query"}])
        );
        let put = doc.root.pointer("/paths/~1l~1{id}/put/parameters").unwrap();
        assert_eq!(
            put,
            &json!([{"name": "id_query", "in": "query", "required": true,
                "schema": {"type": "integer"}, "x-codegen-wire-name": "id"}])
        );
        let at: Vec<&str> = doc.findings.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "/paths/~1l~1{id}/get/parameters/0",
                "/paths/~1l~1{id}/put/parameters/0"
            ]
        );
        assert!(
            doc.findings[1]
                .message
                .contains("its setter is `id_query`, and it is sent as `id`")
        );
        assert!(
            messages[0].starts_with(
                "path variable `{list_id}` of `/lists/{list_id}/{seg}/{item}` is not declared"
            ),
            "{messages:?}"
        );
        assert!(
            doc.findings
                .iter()
                .all(|f| f.severity == crate::Severity::Warning)
        );
    }

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

    #[test]
    fn required_cookies_and_path_parameters_the_path_lacks_go() {
        let mut doc = Doc::new(json!({
            "components": {"parameters": {"S": {"name": "s", "in": "cookie", "required": true}}},
            "paths": {"/u/{id}": {
                "parameters": [{"name": "userId", "in": "path", "required": true}],
                "get": {"parameters": [
                    {"$ref": "#/components/parameters/S"},
                    {"name": "id", "in": "path", "required": true},
                    {"name": "q", "in": "query"}
                ]}
            }}
        }));
        run(&mut doc);
        let item = doc.root.pointer("/paths/~1u~1{id}").unwrap();
        assert_eq!(item["parameters"], json!([]));
        let names: Vec<&str> = item["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["id", "q"]);
        let messages: Vec<&str> = doc.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "required cookie parameter `s` is left out: cookies are not supported",
                "path parameter `userId` does not appear in the path; it is left out",
            ]
        );
        assert_eq!(doc.findings[1].pointer, "/paths/~1u~1{id}/parameters/0");
        assert_eq!(
            doc.findings[1].help.as_deref(),
            Some("add `{userId}` to the path or declare the parameter `in: query`")
        );
    }

    /// A `nullable` inside an inline `allOf` member makes the parameter an
    /// `Option` too (found by specfuzz): it goes with the top-level one.
    #[test]
    fn nullable_goes_from_a_parameters_schema_and_its_all_of_members() {
        let mut doc = Doc::new(json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "x", "in": "header", "required": true, "schema": {
                "nullable": true, "allOf": [{"type": "string", "nullable": true}]}},
            {"name": "y", "in": "query", "schema": {"allOf": [{"type": "string", "nullable": true}]}},
        ]}}}}));
        run(&mut doc);
        let params = &doc.root["paths"]["/a"]["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"allOf": [{"type": "string"}]}));
        assert_eq!(params[1]["schema"], json!({"allOf": [{"type": "string"}]}));
        let pointers: Vec<&str> = doc.findings.iter().map(|f| f.pointer.as_str()).collect();
        assert!(
            pointers.contains(&"/paths/~1a/get/parameters/0/schema/nullable"),
            "{pointers:?}"
        );
        assert!(
            pointers.contains(&"/paths/~1a/get/parameters/1/schema"),
            "{pointers:?}"
        );
    }
}
