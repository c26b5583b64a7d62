//! What 3.1 changed outside schemas: path items by reference, operations
//! without `responses`.

use serde_json::{Map, Value, json};

use crate::document::operations::operations;
use crate::normalize::doc::Doc;

/// `responses` is optional in 3.1 and required in 3.0: an operation
/// without it answers with something undocumented, which the client
/// accepts and does not decode.
pub(super) fn add_missing_responses(doc: &mut Doc) {
    let mut added = Vec::new();
    for (ptr, _, _) in operations(&doc.root) {
        if let Some(Value::Object(op)) = doc.root.pointer_mut(&ptr)
            && !op.contains_key("responses")
        {
            op.insert(
                "responses".to_owned(),
                json!({"default": {"description": "not documented"}}),
            );
            added.push(ptr);
        }
    }
    for ptr in added {
        doc.warn(
            &ptr,
            "operation has no `responses` (optional in OpenAPI 3.1); any answer is accepted and not decoded",
            Some("document the responses to get a typed result"),
        );
    }
}

/// Path items by reference (3.1 `components/pathItems`) inlined into
/// `paths`: `(path, item name)` of each.
pub(super) fn inline_path_items(
    root: &mut Map<String, Value>,
    path_items: Option<&Value>,
) -> Vec<(String, String)> {
    let mut inlined = Vec::new();
    if let (Some(Value::Object(items)), Some(Value::Object(paths))) =
        (path_items, root.get_mut("paths"))
    {
        for (path, item) in paths.iter_mut() {
            let target = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                .map(|name| name.replace("~1", "/").replace("~0", "~"));
            if let Some(found) = target.as_deref().and_then(|name| items.get(name)) {
                *item = found.clone();
                inlined.push((path.clone(), target.unwrap_or_default()));
            }
        }
    }
    inlined
}
