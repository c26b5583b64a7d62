//! The operations of a document: the HTTP methods of a path item, in the
//! order progenitor visits them, on the JSON tree and on the typed model.

use openapiv3::{Operation, PathItem};
use serde_json::Value;

use super::pointer::escape_token;

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

/// The operations of a typed path item with their lower-case method names,
/// in the order of [`METHODS`].
pub(crate) fn typed_operations(
    item: &PathItem,
) -> impl Iterator<Item = (&'static str, &Operation)> {
    let ops = [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.options,
        &item.head,
        &item.patch,
        &item.trace,
    ];
    METHODS
        .into_iter()
        .zip(ops)
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
}

/// The `{name}` variables of a path template.
pub(crate) fn template_names(path: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(format!("path `{path}` has an unclosed `{{`"));
        };
        let name = &after[..end];
        if name.is_empty() || name.contains('{') {
            return Err(format!("path `{path}` has a malformed variable"));
        }
        names.push(name.to_owned());
        rest = &after[end + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path `{path}` has an unmatched `}}`"));
    }
    Ok(names)
}
