//! The operations of a document: the HTTP methods of a path item, in the
//! order progenitor visits them, on the JSON tree and on the typed model.

use std::collections::HashMap;

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr, RequestBody, Response};
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

/// An operation as the generated code names it: `(METHOD, path)`, the
/// method upper-case (the `Sends a `GET` request to `/path`` line of each
/// `send()`, and the key of every plan made from the spec).
pub(crate) type OperationKey = (String, String);

/// Every operation of the typed model with its key and its path item (for
/// the parameters shared by the item's operations), in document order.
pub(crate) fn keyed_operations(
    api: &OpenAPI,
) -> impl Iterator<Item = (OperationKey, &PathItem, &Operation)> {
    api.paths.paths.iter().flat_map(|(path, item)| {
        let item = match item {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        };
        item.into_iter().flat_map(move |item| {
            typed_operations(item)
                .map(move |(method, op)| ((method.to_ascii_uppercase(), path.clone()), item, op))
        })
    })
}

/// What `plan` makes of each operation of the typed model, by key, for the
/// operations it makes something of: the plans the generator reads off
/// the spec before progenitor runs, all keyed alike.
pub(crate) fn plan_operations<T>(
    api: &OpenAPI,
    mut plan: impl FnMut(&PathItem, &Operation) -> Option<T>,
) -> HashMap<OperationKey, T> {
    keyed_operations(api)
        .filter_map(|(key, item, op)| plan(item, op).map(|planned| (key, planned)))
        .collect()
}

/// A key of an operation's `responses`: a status code, a range (`4XX`,
/// either case) or `default`; ordered as a status is matched against
/// them (codes, then ranges, then `default`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    Code(u16),
    Range(u16),
    Default,
}

/// The status a `responses` key names (`None` for `x-…` and the like).
pub(crate) fn status(key: &str) -> Option<Status> {
    if key == "default" {
        return Some(Status::Default);
    }
    if let Some(d) = key
        .strip_suffix("XX")
        .or_else(|| key.strip_suffix("xx"))
        .and_then(|d| d.parse::<u16>().ok())
    {
        return Some(Status::Range(d));
    }
    key.parse().ok().map(Status::Code)
}

/// The request body of a typed operation, a `$ref` to
/// `#/components/requestBodies` followed.
pub(crate) fn typed_request_body<'a>(
    api: &'a OpenAPI,
    op: &'a Operation,
) -> Option<&'a RequestBody> {
    match op.request_body.as_ref()? {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            api.components.as_ref()?.request_bodies.get(name)?.as_item()
        }
    }
}

/// A typed operation's response, a `$ref` to `#/components/responses`
/// followed.
pub(crate) fn typed_response<'a>(
    api: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
) -> Option<&'a Response> {
    match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            api.components.as_ref()?.responses.get(name)?.as_item()
        }
    }
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
