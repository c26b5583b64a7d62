//! Pass 6: every operation gets an operationId.
//!
//! progenitor names each generated method after the operationId and
//! refuses (or panics on) an operation without one (its #1105). A missing
//! (or empty) id is derived from the method and the path, in snake case
//! because it becomes a method name: `GET /pets/{petId}/toys` →
//! `get_pets_by_pet_id_toys`. Derivation is deterministic (document
//! order) and collision-free: a derived id never yields the same Rust
//! method name as another operation's id; `_2`, `_3`… are appended when it
//! would. Each derived id is a warning at the operation.

use std::collections::HashSet;

use serde_json::Value;

use super::doc::Doc;
use crate::document::operations::operations;
use crate::document::pointer::Lookup;
use crate::naming::{Case, sanitize};

pub(crate) fn run(doc: &mut Doc) {
    let ops = operations(&doc.root);
    let id_of = |root: &Value, ptr: &str| {
        root.at(ptr)
            .and_then(|op| op.get("operationId"))
            .and_then(Value::as_str)
            .filter(|id| !id.trim().is_empty())
            .map(str::to_owned)
    };
    // Method names already taken by explicit ids.
    let mut taken: HashSet<String> = ops
        .iter()
        .filter_map(|(ptr, ..)| id_of(&doc.root, ptr))
        .map(|id| sanitize(&id, Case::Snake))
        .collect();
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
        while !taken.insert(sanitize(&id, Case::Snake)) {
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
}
