//! A normalization pass (their order: `normalize/mod.rs`): every operation gets an operationId.
//!
//! progenitor names each generated method after the operationId and
//! refuses (or panics on) an operation without one (its #1105). A missing
//! (or empty) id is derived from the method and the path, in snake case
//! because it becomes a method name: `GET /pets/{petId}/toys` →
//! `get_pets_by_pet_id_toys`. Derivation is deterministic (document
//! order) and collision-free: a derived id never yields the same Rust
//! method name as another operation's id; `_2`, `_3`… are appended when it
//! would. Each derived id is a warning at the operation.
//!
//! An explicit id that names the method of an earlier one (a duplicate, or
//! `get_pets` after `getPets`) gets `_2`, `_3`…: a warning at the id.

use std::collections::HashSet;

use serde_json::Value;

use super::doc::Doc;
use crate::document::operations::operations;
use crate::document::pointer::Lookup;
use crate::naming::{Case, sanitize};

/// Methods the generated `Client` has beside the operations':
/// `raw` (`generate/builders/mod.rs`), for an operation the spec lacks.
const CLIENT_METHODS: [&str; 1] = ["raw"];

pub(crate) fn run(doc: &mut Doc) {
    let ops = operations(&doc.root);
    let id_of = |root: &Value, ptr: &str| {
        root.at(ptr)
            .and_then(|op| op.get("operationId"))
            .and_then(Value::as_str)
            .filter(|id| !id.trim().is_empty())
            .map(str::to_owned)
    };
    // Method names already taken by explicit ids. A later id that names a
    // taken method (the same id, or `getPets` after `get_pets`) is renamed:
    // publishers ship duplicate ids, and one method per id is all that
    // cannot hold.
    // The generated client's own methods are taken before any id.
    let mut taken: HashSet<String> = CLIENT_METHODS.iter().map(|m| format!("fn {m}")).collect();
    let mut first: std::collections::HashMap<String, String> = Default::default();
    for (ptr, ..) in &ops {
        let Some(id) = id_of(&doc.root, ptr) else {
            continue;
        };
        let method = sanitize(&id, Case::Snake);
        let builder = sanitize(&id, Case::Pascal);
        if claim(&mut taken, &id) {
            first.insert(method.clone(), id.clone());
            first.insert(builder, id);
            continue;
        }
        let mut n = 2;
        let mut renamed = format!("{id}_{n}");
        while ops
            .iter()
            .any(|(other, ..)| id_of(&doc.root, other).as_deref() == Some(renamed.as_str()))
            || !claim(&mut taken, &renamed)
        {
            n += 1;
            renamed = format!("{id}_{n}");
        }
        if let Some(Value::Object(op)) = doc.root.at_mut(ptr) {
            op.insert("operationId".to_owned(), Value::String(renamed.clone()));
        }
        let what = match (first.get(&method), first.get(&builder)) {
            (Some(other), _) if *other == id => format!("duplicate operationId `{id}`"),
            (Some(other), _) => {
                format!("operationId `{id}` names the same method `{method}` as `{other}`")
            }
            (None, Some(other)) => {
                format!("operationId `{id}` names the same builder type `{builder}` as `{other}`")
            }
            (None, None) if CLIENT_METHODS.contains(&method.as_str()) => {
                format!("operationId `{id}` names the client's own method `{method}`")
            }
            (None, None) => format!("operationId `{id}` names a method taken before it"),
        };
        doc.warn(
            &format!("{ptr}/operationId"),
            format!("{what}; this operation's is `{renamed}`"),
            Some("operationIds name the generated methods and must be unique"),
        );
    }
    for (ptr, path, method) in &ops {
        if id_of(&doc.root, ptr).is_some() {
            continue;
        }
        // A non-string id is a type error that validation reports.
        if doc
            .root
            .at(ptr)
            .and_then(|op| op.get("operationId"))
            .is_some_and(|id| !id.is_string())
        {
            continue;
        }
        let base = derive(method, path);
        let mut id = base.clone();
        let mut n = 2;
        while !claim(&mut taken, &id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        if let Some(Value::Object(op)) = doc.root.at_mut(ptr) {
            op.insert("operationId".to_owned(), Value::String(id.clone()));
        }
        doc.warn(
            ptr,
            format!(
                "operation `{} {path}` has no operationId; using `{id}`",
                method.to_uppercase()
            ),
            Some("add an `operationId`: it names the generated method"),
        );
    }
}

/// `get` + `/pets/{petId}/toys` → `get_pets_by_pet_id_toys`.
/// Takes the names an operation's id gives it — its method (snake case)
/// and its builder type (Pascal case: `x.1` and `X1` are two methods but
/// one builder) — when both are free.
fn claim(taken: &mut HashSet<String>, id: &str) -> bool {
    let method = format!("fn {}", sanitize(id, Case::Snake));
    let builder = format!("struct {}", sanitize(id, Case::Pascal));
    if taken.contains(&method) || taken.contains(&builder) {
        return false;
    }
    taken.insert(method);
    taken.insert(builder);
    true
}

pub(crate) fn derive(method: &str, path: &str) -> String {
    let mut words = vec![method.to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(var) => {
                words.push("by".to_owned());
                words.push(var.to_owned());
            }
            None => words.push(segment.to_owned()),
        }
    }
    if words.len() == 1 {
        words.push("root".to_owned());
    }
    sanitize(&words.join("_"), Case::Snake)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn derived_names() {
        assert_eq!(
            derive("get", "/pets/{petId}/toys"),
            "get_pets_by_pet_id_toys"
        );
        assert_eq!(derive("post", "/v1.2/items"), "post_v1_2_items");
        assert_eq!(derive("get", "/"), "get_root");
    }

    #[test]
    fn derived_ids_avoid_every_method_name() {
        let mut doc = Doc::new(json!({
            "paths": {
                "/pets": {
                    "get": {"responses": {}},
                    "post": {"operationId": "getPets", "responses": {}}
                },
                "/Pets": {"get": {"operationId": "", "responses": {}}}
            }
        }));
        run(&mut doc);
        let id = |p: &str| doc.root.pointer(p).unwrap().as_str().unwrap().to_owned();
        // `getPets` is the method `get_pets` already; paths are visited
        // in key order.
        assert_eq!(id("/paths/~1Pets/get/operationId"), "get_pets_2");
        assert_eq!(id("/paths/~1pets/get/operationId"), "get_pets_3");
        assert_eq!(doc.findings.len(), 2);
        assert_eq!(doc.findings[0].pointer, "/paths/~1Pets/get");
    }

    #[test]
    fn explicit_ids_that_name_one_method_are_numbered() {
        let mut doc = Doc::new(json!({"paths": {
            "/a": {"get": {"operationId": "same"}, "put": {"operationId": "getThing"}},
            "/b": {"get": {"operationId": "same"}, "post": {"operationId": "get_thing"},
                   "put": {"operationId": "same_2"}},
        }}));
        run(&mut doc);
        let id = |p: &str| doc.root.pointer(p).unwrap().as_str().unwrap().to_owned();
        assert_eq!(id("/paths/~1a/get/operationId"), "same");
        // `same_2` is taken by an explicit id (later in the document).
        assert_eq!(id("/paths/~1b/get/operationId"), "same_3");
        assert_eq!(id("/paths/~1b/post/operationId"), "get_thing_2");
        assert_eq!(id("/paths/~1b/put/operationId"), "same_2");
        let messages: Vec<&str> = doc.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "duplicate operationId `same`; this operation's is `same_3`",
                "operationId `get_thing` names the same method `get_thing` as `getThing`; this operation's is `get_thing_2`",
            ]
        );
        assert_eq!(doc.findings[0].pointer, "/paths/~1b/get/operationId");
    }

    /// `Client::raw` is the client's own: an operation named so gets
    /// another method.
    #[test]
    fn an_id_that_names_the_clients_own_method_is_numbered() {
        let mut doc = Doc::new(json!({"paths": {"/a": {"get": {"operationId": "Raw"}}}}));
        run(&mut doc);
        assert_eq!(
            doc.root.pointer("/paths/~1a/get/operationId").unwrap(),
            "Raw_2"
        );
        assert_eq!(
            doc.findings[0].message,
            "operationId `Raw` names the client's own method `raw`; this operation's is `Raw_2`"
        );
        assert_eq!(doc.findings[0].pointer, "/paths/~1a/get/operationId");
    }

    /// `x.1` and `X1` are two methods (`x_1`, `x1`) but one builder type
    /// (`X1`): found by specfuzz.
    #[test]
    fn ids_that_name_one_builder_type_are_numbered() {
        let mut doc = Doc::new(json!({"paths": {
            "/a": {"get": {"operationId": "x.1"}, "put": {"operationId": "X1"}},
        }}));
        run(&mut doc);
        assert_eq!(
            doc.root.pointer("/paths/~1a/put/operationId").unwrap(),
            "X1_2"
        );
        assert_eq!(
            doc.findings[0].message,
            "operationId `X1` names the same builder type `X1` as `x.1`; this operation's is `X1_2`"
        );
    }
}
