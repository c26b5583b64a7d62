//! The two documents under comparison and their operations, matched by
//! method and URL.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};

use crate::diff::findings::Findings;
use crate::diff::schema::Walker;
use crate::document::operations::typed_operations as operations;
use crate::document::pointer::pointer;
use crate::generate::OperationTable;

pub(super) struct Op<'a> {
    pub path: &'a str,
    pub method: &'static str,
    pub item: &'a PathItem,
    pub op: &'a Operation,
    pub pointer: String,
}

impl Op<'_> {
    pub(super) fn method_upper(&self) -> String {
        self.method.to_uppercase()
    }

    pub(super) fn label(&self) -> String {
        match &self.op.operation_id {
            Some(id) => id.clone(),
            None => format!("{} {}", self.method_upper(), self.path),
        }
    }
}

/// Operations by method and path template with its variable names
/// blanked: renaming `{id}` to `{characterId}` keeps the same URL.
pub(super) fn collect(api: &OpenAPI) -> BTreeMap<(String, &'static str), Op<'_>> {
    let mut out = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in operations(item) {
            out.insert(
                (blank_variables(path), method),
                Op {
                    path,
                    method,
                    item,
                    op,
                    pointer: pointer(["paths", path.as_str(), method]),
                },
            );
        }
    }
    out
}

fn blank_variables(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

pub(super) fn variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Follows `#/components/<section>/<name>` references in a typed section,
/// returning the item and its pointer.
pub(super) fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    at: String,
    section: &'static str,
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
) -> Option<(&'a T, String)> {
    let (mut item, mut at) = (item, at);
    for _ in 0..32 {
        match item {
            ReferenceOr::Item(t) => return Some((t, at)),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next()?;
                let name = name.replace("~1", "/").replace("~0", "~");
                item = map?.get(&name)?;
                at = pointer(["components", section, name.as_str()]);
            }
        }
    }
    None
}

pub(super) struct Cx<'a> {
    pub old: &'a OpenAPI,
    pub new: &'a OpenAPI,
    pub old_table: OperationTable,
    pub new_table: OperationTable,
    pub walker: Walker<'a>,
    pub findings: Findings,
}
