//! One Rust name per parameter of an operation, its wire name kept.
//!
//! progenitor names a parameter's argument, and our builder its field and
//! setter, `sanitize(name, snake)`, whatever its location; it also keys
//! the operation's parameters by `name` alone (the path item's and the
//! operation's merged). So two parameters whose names sanitize alike
//! (`frontend_api` and `frontendApi`, `StartTime` and `StartTime>`, a
//! query `list_id` beside the path's) become two fields of one name, or
//! one of them is lost; one named like something the builder itself
//! declares (`send`, `new`, `body`, …) clashes with it. Neither compiles.
//!
//! Here every parameter gets a Rust name no other parameter of its
//! operation and nothing of the builder has: path parameters claim theirs
//! first (the URL cannot do without them), then the others in declaration
//! order (the path item's, then the operation's); a later one that finds
//! its name taken is renamed — `<name>_<location>` when the holder is
//! elsewhere (`list_id_query`), else `<name>_2`, `_3`, … — and keeps its
//! wire name in `x-codegen-wire-name`, under which `send()` and the typed
//! mocks send and match it (the query key, the header name). A path
//! variable is renamed in the path template too: its name never reaches
//! the wire, only its position does. Each rename is a warning.
//!
//! Deterministic: the same document gives the same names.

use std::collections::HashMap;

use serde_json::Value;

use crate::document::extensions::{PAGINATION_EXTENSION, WIRE_NAME_EXTENSION};
use crate::document::operations::{METHODS, template_names};
use crate::document::pointer::{Lookup, escape_token};
use crate::document::refs::resolve;
use crate::naming::{Case, sanitize};
use crate::normalize::doc::Doc;

/// Names the generated builder (or the `When` of its typed mock) declares
/// beside the parameters' fields and setters, or binds around progenitor's
/// request building: `new`, `send*`, the body's setters, the per-call
/// `options` (its field, setter and binding in `send()`), the mock's
/// `into_inner`, progenitor's `header_map` and the `encode_path` it calls.
/// (`client` needs no renaming: the builder calls its own `_client` then.)
const RESERVED: [&str; 9] = [
    "new",
    "options",
    "send",
    "send_events",
    "send_bytes",
    "body",
    "body_map",
    "into_inner",
    "header_map",
];
const ENCODE_PATH: &str = "encode_path";

/// The builder methods of an operation that pages (`x-codegen-pagination`).
const PAGED: [&str; 2] = ["pages", "stream"];

fn reserved(rust: &str) -> bool {
    RESERVED.contains(&rust) || rust == ENCODE_PATH
}

pub(super) fn run(doc: &mut Doc) {
    let paths: Vec<String> = match doc.root.get("paths").and_then(Value::as_object) {
        Some(paths) => paths
            .keys()
            .filter(|p| !p.starts_with("x-"))
            .cloned()
            .collect(),
        None => return,
    };
    for path in paths {
        let path = rename_path_variables(doc, &path);
        let item_ptr = format!("/paths/{}", escape_token(&path));
        let methods: Vec<&str> = METHODS
            .into_iter()
            .filter(|m| {
                doc.root
                    .at(&format!("{item_ptr}/{m}"))
                    .is_some_and(Value::is_object)
            })
            .collect();
        let plans: Vec<Vec<Rename>> = methods
            .iter()
            .map(|m| plan(&doc.root, &item_ptr, m))
            .collect();
        // Which path item parameters an operation overrides is read off
        // their names: renaming the operation's one would bring the path
        // item's back beside it.
        let shared = effective_item(&doc.root, &item_ptr);
        let overrides = |r: &Rename| {
            !r.item_level
                && shared
                    .iter()
                    .any(|(name, location)| *name == r.name && *location == r.location)
        };
        let plans = if plans.iter().flatten().any(|r| r.item_level || overrides(r)) {
            // A path item's parameter renamed for one operation only, or
            // overridden by a renamed one: each operation gets its own copy
            // of the path item's parameters.
            push_down(doc, &item_ptr, &methods);
            methods
                .iter()
                .map(|m| plan(&doc.root, &item_ptr, m))
                .collect()
        } else {
            plans
        };
        for rename in plans.into_iter().flatten().filter(|r| !r.item_level) {
            apply(doc, &rename);
        }
    }
}

/// `(name, in)` of the path item's own parameters.
fn effective_item(root: &Value, item_ptr: &str) -> Vec<(String, String)> {
    let Some(Value::Array(params)) = root.at(&format!("{item_ptr}/parameters")) else {
        return Vec::new();
    };
    params
        .iter()
        .filter_map(|p| {
            let (p, _) = resolve(root, p)?;
            Some((
                p.get("name")?.as_str()?.to_owned(),
                p.get("in")?.as_str()?.to_owned(),
            ))
        })
        .collect()
}

/// A parameter of an operation, as progenitor will read it.
struct Entry {
    ptr: String,
    item_level: bool,
    name: String,
    location: String,
}

/// A parameter to rename, and why.
struct Rename {
    ptr: String,
    item_level: bool,
    name: String,
    location: String,
    new: String,
    /// `(location, name)` of the parameter that has its Rust name; `None`:
    /// the builder has it.
    holder: Option<(String, String)>,
}

/// The parameters of the operation `method` of the path item at
/// `item_ptr`: the path item's not overridden by the operation's (same
/// `name` and `in`), then the operation's.
fn effective(root: &Value, item_ptr: &str, method: &str) -> Vec<Entry> {
    let list = |ptr: String, item_level: bool| -> Vec<Entry> {
        let Some(Value::Array(params)) = root.at(&ptr) else {
            return Vec::new();
        };
        params
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let (p, _) = resolve(root, p)?;
                Some(Entry {
                    ptr: format!("{ptr}/{i}"),
                    item_level,
                    name: p.get("name")?.as_str()?.to_owned(),
                    location: p.get("in")?.as_str()?.to_owned(),
                })
            })
            .collect()
    };
    let own = list(format!("{item_ptr}/{method}/parameters"), false);
    let mut all: Vec<Entry> = list(format!("{item_ptr}/parameters"), true)
        .into_iter()
        .filter(|e| {
            !own.iter()
                .any(|o| o.name == e.name && o.location == e.location)
        })
        .collect();
    all.extend(own);
    all
}

/// The renames one operation needs.
fn plan(root: &Value, item_ptr: &str, method: &str) -> Vec<Rename> {
    let entries = effective(root, item_ptr, method);
    let paged = root
        .at(&format!("{item_ptr}/{method}/{PAGINATION_EXTENSION}"))
        .is_some();
    let reserved = |rust: &str| reserved(rust) || (paged && PAGED.contains(&rust));
    // Rust name → (location, name) of its holder.
    let mut taken: HashMap<String, (String, String)> = HashMap::new();
    let mut renames = Vec::new();
    let path_first = entries
        .iter()
        .filter(|e| e.location == "path")
        .chain(entries.iter().filter(|e| e.location != "path"));
    for entry in path_first {
        let rust = sanitize(&entry.name, Case::Snake);
        let holder = match taken.get(&rust) {
            Some(holder) => Some(holder.clone()),
            None if reserved(&rust) => None,
            None => {
                taken.insert(rust, (entry.location.clone(), entry.name.clone()));
                continue;
            }
        };
        if entry.location == "path" {
            // Path variables were made unique with the template.
            continue;
        }
        let new = fresh(&rust, &entry.location, holder.as_ref(), |r| {
            taken.contains_key(r) || reserved(r)
        });
        taken.insert(
            sanitize(&new, Case::Snake),
            (entry.location.clone(), entry.name.clone()),
        );
        renames.push(Rename {
            ptr: entry.ptr.clone(),
            item_level: entry.item_level,
            name: entry.name.clone(),
            location: entry.location.clone(),
            new,
            holder,
        });
    }
    renames
}

/// A name for a parameter in `location` whose Rust name `rust` is taken:
/// `<rust>_<location>` when the holder is elsewhere (or is the builder),
/// else `<rust>_2`; numbered on until `taken` says it is free.
fn fresh(
    rust: &str,
    location: &str,
    holder: Option<&(String, String)>,
    taken: impl Fn(&str) -> bool,
) -> String {
    let base = match holder {
        Some((at, _)) if at == location => rust.to_owned(),
        _ => format!("{rust}_{location}"),
    };
    let first = if base == rust {
        format!("{rust}_2")
    } else {
        base.clone()
    };
    if !taken(&sanitize(&first, Case::Snake)) {
        return first;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !taken(&sanitize(c, Case::Snake)))
        .unwrap_or(first)
}

fn apply(doc: &mut Doc, rename: &Rename) {
    rename_at(doc, &rename.ptr, &rename.new, &rename.name);
    let Rename {
        name,
        location,
        new,
        ..
    } = rename;
    let rust = sanitize(name, Case::Snake);
    let (message, help) = match &rename.holder {
        Some((at, other)) => (
            format!(
                "{location} parameter `{name}` has the Rust name `{rust}` of {at} parameter `{other}` of the same operation; its setter is `{new}`, and it is sent as `{name}`"
            ),
            "rename one of them to silence this",
        ),
        None => (
            format!(
                "{location} parameter `{name}` has the Rust name `{rust}`, which the operation's builder uses itself; its setter is `{new}`, and it is sent as `{name}`"
            ),
            "rename the parameter to silence this",
        ),
    };
    doc.warn(&rename.ptr, message, Some(help));
}

/// Names the parameter at `ptr` `new`, its wire name `wire` kept. A
/// shared parameter is copied into place: only here is it renamed.
fn rename_at(doc: &mut Doc, ptr: &str, new: &str, wire: &str) {
    let Some(param) = doc.root.pointer(ptr) else {
        return;
    };
    let Some((resolved, at)) = resolve(&doc.root, param) else {
        return;
    };
    let mut copy = resolved.clone();
    let Value::Object(fields) = &mut copy else {
        return;
    };
    fields.insert("name".to_owned(), Value::String(new.to_owned()));
    if !fields.contains_key(WIRE_NAME_EXTENSION) {
        fields.insert(
            WIRE_NAME_EXTENSION.to_owned(),
            Value::String(wire.to_owned()),
        );
    }
    if let Some(at) = at {
        doc.origins.record(ptr, &at);
    }
    if let Some(slot) = doc.root.pointer_mut(ptr) {
        *slot = copy;
    }
}

/// Copies the path item's parameters into each of its operations (before
/// the operation's own, those it overrides left out) and removes them
/// from the path item.
fn push_down(doc: &mut Doc, item_ptr: &str, methods: &[&str]) {
    let list_ptr = format!("{item_ptr}/parameters");
    let Some(Value::Array(shared)) = doc.root.at(&list_ptr).cloned() else {
        return;
    };
    let key = |root: &Value, p: &Value| -> Option<(String, String)> {
        let (p, _) = resolve(root, p)?;
        Some((
            p.get("name")?.as_str()?.to_owned(),
            p.get("in")?.as_str()?.to_owned(),
        ))
    };
    for method in methods {
        let op_list = format!("{item_ptr}/{method}/parameters");
        let own: Vec<Value> = match doc.root.at(&op_list) {
            Some(Value::Array(own)) => own.clone(),
            _ => Vec::new(),
        };
        let own_keys: Vec<_> = own.iter().filter_map(|p| key(&doc.root, p)).collect();
        let inherited: Vec<(usize, Value)> = shared
            .iter()
            .enumerate()
            .filter(|(_, p)| key(&doc.root, p).is_none_or(|k| !own_keys.contains(&k)))
            .map(|(i, p)| (i, p.clone()))
            .collect();
        let k = inherited.len();
        let shifts: Vec<(String, String)> = (0..own.len())
            .map(|j| (format!("{op_list}/{}", j + k), format!("{op_list}/{j}")))
            .collect();
        doc.origins.record_all(&shifts);
        for (n, (i, _)) in inherited.iter().enumerate() {
            doc.origins
                .record(&format!("{op_list}/{n}"), &format!("{list_ptr}/{i}"));
        }
        let mut merged: Vec<Value> = inherited.into_iter().map(|(_, p)| p).collect();
        merged.extend(own);
        if let Some(Value::Object(op)) = doc.root.at_mut(&format!("{item_ptr}/{method}")) {
            op.insert("parameters".to_owned(), Value::Array(merged));
        }
    }
    if let Some(Value::Object(item)) = doc.root.at_mut(item_ptr) {
        item.remove("parameters");
    }
}

/// Renames the variables of the template `path` whose Rust names clash
/// (with each other, or with the builder's) in the template and in every
/// declaration of them in its path item; returns the path as it is now.
fn rename_path_variables(doc: &mut Doc, path: &str) -> String {
    let Ok(variables) = template_names(path) else {
        return path.to_owned(); // a malformed template is an error of the model checks
    };
    let mut taken: HashMap<String, String> = HashMap::new();
    let mut renames: Vec<(String, String, Option<String>)> = Vec::new(); // (old, new, holder)
    for var in &variables {
        let rust = sanitize(var, Case::Snake);
        let holder = match taken.get(&rust) {
            Some(holder) if holder == var => continue, // a repeated variable: the model checks say so
            Some(holder) => Some(holder.clone()),
            None if reserved(&rust) => None,
            None => {
                taken.insert(rust, var.clone());
                continue;
            }
        };
        let by_builder = holder
            .is_none()
            .then(|| ("builder".to_owned(), String::new()));
        let holder_at = holder
            .as_ref()
            .map(|h| ("path".to_owned(), h.clone()))
            .or(by_builder);
        let new = fresh(&rust, "path", holder_at.as_ref(), |r| {
            taken.contains_key(r) || reserved(r) || variables.iter().any(|v| v == r)
        });
        taken.insert(sanitize(&new, Case::Snake), var.clone());
        renames.push((var.clone(), new, holder));
    }
    if renames.is_empty() {
        return path.to_owned();
    }
    let mut new_path = path.to_owned();
    for (old, new, _) in &renames {
        new_path = new_path.replace(&format!("{{{old}}}"), &format!("{{{new}}}"));
    }
    let exists = doc
        .root
        .get("paths")
        .is_some_and(|p| p.get(&new_path).is_some());
    if exists {
        return path.to_owned(); // left as it is: no free template name
    }
    let old_ptr = format!("/paths/{}", escape_token(path));
    let new_ptr = format!("/paths/{}", escape_token(&new_path));
    let Some(Value::Object(paths)) = doc.root.get_mut("paths") else {
        return path.to_owned();
    };
    let Some(item) = paths.remove(path) else {
        return path.to_owned();
    };
    paths.insert(new_path.clone(), item);
    doc.origins.record(&new_ptr, &old_ptr);
    let mut lists = vec![format!("{new_ptr}/parameters")];
    lists.extend(METHODS.iter().map(|m| format!("{new_ptr}/{m}/parameters")));
    for (old, new, holder) in &renames {
        for list in &lists {
            let count = doc
                .root
                .at(list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..count {
                let ptr = format!("{list}/{i}");
                let Some((p, _)) = doc.root.at(&ptr).and_then(|p| resolve(&doc.root, p)) else {
                    continue;
                };
                if p.get("in").and_then(Value::as_str) == Some("path")
                    && p.get("name").and_then(Value::as_str) == Some(old)
                {
                    rename_at(doc, &ptr, new, old);
                }
            }
        }
        let rust = sanitize(old, Case::Snake);
        let why = match holder {
            Some(other) => format!("of path variable `{{{other}}}`"),
            None => "that the operation's builder uses itself".to_owned(),
        };
        doc.warn(
            &new_ptr,
            format!(
                "path variable `{{{old}}}` of `{path}` has the Rust name `{rust}` {why}; its setter is `{new}` (the path is read as `{new_path}`, which sends the same URL)"
            ),
            Some("rename one of them to silence this"),
        );
    }
    new_path
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(doc: &Doc, ptr: &str) -> Vec<(String, Option<String>)> {
        doc.root
            .pointer(ptr)
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or("$ref").to_owned(),
                    p.get(WIRE_NAME_EXTENSION)
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                )
            })
            .collect()
    }

    fn n(name: &str, wire: Option<&str>) -> (String, Option<String>) {
        (name.to_owned(), wire.map(str::to_owned))
    }

    #[test]
    fn later_parameters_of_one_rust_name_are_renamed_in_every_location() {
        let mut doc = Doc::new(json!({"paths": {"/i/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true}],
            "get": {"parameters": [
                {"name": "frontend_api", "in": "query"},
                {"name": "frontendApi", "in": "query"},
                {"name": "Frontend-Api", "in": "query"},
                {"name": "id", "in": "header"},
                {"name": "Id", "in": "query"},
                {"name": "send", "in": "query"},
                {"name": "X-New", "in": "header"},
                {"name": "new", "in": "header"},
                {"name": "Options", "in": "query"},
            ]},
        }}}));
        run(&mut doc);
        assert_eq!(
            names(&doc, "/paths/~1i~1{id}/get/parameters"),
            [
                n("frontend_api", None),
                n("frontend_api_2", Some("frontendApi")),
                n("frontend_api_3", Some("Frontend-Api")),
                n("id_header", Some("id")),
                n("id_query", Some("Id")),
                n("send_query", Some("send")),
                n("X-New", None),
                n("new_header", Some("new")),
                n("options_query", Some("Options")),
            ]
        );
        assert_eq!(doc.findings.len(), 7);
        assert_eq!(doc.findings[0].pointer, "/paths/~1i~1{id}/get/parameters/1");
        assert_eq!(
            doc.findings[0].message,
            "query parameter `frontendApi` has the Rust name `frontend_api` of query parameter `frontend_api` of the same operation; its setter is `frontend_api_2`, and it is sent as `frontendApi`"
        );
        assert!(
            doc.findings[4]
                .message
                .contains("which the operation's builder uses itself; its setter is `send_query`")
        );
        // The same document, the same names.
        let mut again = Doc::new(doc.root.clone());
        run(&mut again);
        assert!(again.findings.is_empty());
    }

    #[test]
    fn a_path_item_parameter_renamed_for_one_operation_is_copied_into_each() {
        let mut doc = Doc::new(json!({
            "components": {"parameters": {"Q": {"name": "q", "in": "query"}}},
            "paths": {"/x": {
                "parameters": [{"$ref": "#/components/parameters/Q"}, {"name": "new", "in": "header"}],
                "get": {"parameters": [{"name": "Q", "in": "header"}]},
                "put": {"parameters": [{"name": "new", "in": "header", "required": true}]},
            }}
        }));
        run(&mut doc);
        assert!(doc.root.pointer("/paths/~1x/parameters").is_none());
        assert_eq!(
            names(&doc, "/paths/~1x/get/parameters"),
            [
                n("$ref", None),
                n("new_header", Some("new")),
                n("q_header", Some("Q"))
            ]
        );
        assert_eq!(
            names(&doc, "/paths/~1x/put/parameters"),
            [n("$ref", None), n("new_header", Some("new"))]
        );
        assert_eq!(
            doc.root["paths"]["/x"]["put"]["parameters"][1]["required"],
            true
        );
        // Located where they are written.
        assert_eq!(doc.findings[0].pointer, "/paths/~1x/parameters/1");
        assert_eq!(doc.findings[1].pointer, "/paths/~1x/get/parameters/0");
        assert_eq!(
            doc.origins.source("/paths/~1x/get/parameters/1"),
            "/paths/~1x/parameters/1"
        );
    }

    #[test]
    fn path_variables_are_renamed_in_the_template() {
        let mut doc = Doc::new(json!({"paths": {"/a/{fooBar}/{foo_bar}/{send}": {
            "parameters": [{"name": "send", "in": "path", "required": true}],
            "get": {"parameters": [
                {"name": "fooBar", "in": "path", "required": true},
                {"name": "foo_bar", "in": "path", "required": true},
            ]},
        }}}));
        run(&mut doc);
        let path = "/a/{fooBar}/{foo_bar_2}/{send_path}";
        let item = &doc.root["paths"][path];
        assert_eq!(item["parameters"][0]["name"], "send_path");
        assert_eq!(item["get"]["parameters"][1]["name"], "foo_bar_2");
        assert_eq!(item["get"]["parameters"][1][WIRE_NAME_EXTENSION], "foo_bar");
        assert_eq!(doc.findings.len(), 2);
        assert_eq!(
            doc.findings[0].pointer,
            "/paths/~1a~1{fooBar}~1{foo_bar}~1{send}"
        );
    }

    #[test]
    fn a_renamed_parameter_that_overrides_the_path_items_keeps_it_out() {
        let mut doc = Doc::new(json!({
            "paths": {"/a/{item_type}": {
                "parameters": [{"$ref": "#/components/parameters/T"}],
                "get": {"parameters": [
                    {"name": "item_type", "in": "path", "required": true},
                    {"$ref": "#/components/parameters/T"},
                ]},
            }},
            "components": {"parameters": {"T": {"name": "Item-Type", "in": "query"}}},
        }));
        run(&mut doc);
        assert!(
            doc.root
                .pointer("/paths/~1a~1{item_type}/parameters")
                .is_none()
        );
        assert_eq!(
            names(&doc, "/paths/~1a~1{item_type}/get/parameters"),
            [
                n("item_type", None),
                n("item_type_query", Some("Item-Type"))
            ]
        );
    }
}
