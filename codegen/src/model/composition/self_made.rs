//! Schemas made of themselves (1.): a cycle of references through `allOf`,
//! `oneOf`, `anyOf` (see the parent module).

use std::collections::HashMap;

use serde_json::Value;

use super::{Cycle, Kind, name_of, target_of};
use crate::document::pointer::escape_token;

pub(super) const SAME_VALUE: [&str; 3] = ["allOf", "oneOf", "anyOf"];

pub(super) struct Edge {
    pub(super) to: String,
    /// Where the `$ref` is written.
    pub(super) at: String,
    /// The composition keyword the reference sits under; `None` when the
    /// schema is only that `$ref` (a chain of references, which `check_refs`
    /// follows and reports itself).
    pub(super) keyword: Option<&'static str>,
}

/// The references that constrain the same value as the schema at `ptr`.
pub(super) fn same_value_refs(
    node: &Value,
    ptr: &str,
    keyword: Option<&'static str>,
    out: &mut Vec<Edge>,
) {
    let Value::Object(map) = node else {
        return;
    };
    if let Some(Value::String(reference)) = map.get("$ref") {
        if let Some(to) = target_of(reference) {
            out.push(Edge {
                to,
                at: format!("{ptr}/$ref"),
                keyword,
            });
        }
        return; // siblings of `$ref` mean nothing in 3.0
    }
    for kw in SAME_VALUE {
        if let Some(Value::Array(members)) = map.get(kw) {
            for (i, member) in members.iter().enumerate() {
                same_value_refs(
                    member,
                    &format!("{ptr}/{kw}/{i}"),
                    Some(keyword.unwrap_or(kw)),
                    out,
                );
            }
        }
    }
}

pub(super) fn self_made(root: &Value) -> Vec<Cycle> {
    let starts: Vec<String> = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .map(|k| format!("/components/schemas/{}", escape_token(k)))
                .collect()
        })
        .unwrap_or_default();
    let mut edges: HashMap<String, Vec<Edge>> = HashMap::new();
    let edges_of = |edges: &mut HashMap<String, Vec<Edge>>, node: &str| -> usize {
        edges
            .entry(node.to_owned())
            .or_insert_with(|| {
                let mut out = Vec::new();
                if let Some(v) = root.pointer(node) {
                    same_value_refs(v, node, None, &mut out);
                }
                out
            })
            .len()
    };
    // Depth-first, without recursion (chains of references may be long):
    // an edge back to a node on the path closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        OnPath,
        Done,
    }
    let mut color: HashMap<String, Color> = HashMap::new();
    let mut found = Vec::new();
    for start in starts {
        if color.contains_key(&start) {
            continue;
        }
        let mut path: Vec<(String, usize)> = vec![(start.clone(), 0)];
        color.insert(start, Color::OnPath);
        while let Some((node, next)) = path.last().cloned() {
            let count = edges_of(&mut edges, &node);
            if next == count {
                color.insert(node, Color::Done);
                path.pop();
                continue;
            }
            if let Some(last) = path.last_mut() {
                last.1 += 1;
            }
            let edge = &edges[&node][next];
            match color.get(&edge.to) {
                None => {
                    color.insert(edge.to.clone(), Color::OnPath);
                    path.push((edge.to.clone(), 0));
                }
                Some(Color::OnPath) => {
                    let k = path.iter().position(|(n, _)| *n == edge.to).unwrap_or(0);
                    // The edges along the cycle: from each node of the path
                    // the one taken (its index is one less than `next`).
                    let mut keywords: Vec<&'static str> = Vec::new();
                    for (n, taken) in &path[k..path.len() - 1] {
                        if let Some(kw) = edges[n][taken - 1].keyword {
                            keywords.push(kw);
                        }
                    }
                    keywords.extend(edge.keyword);
                    if keywords.is_empty() {
                        continue; // a chain of pure references: check_refs
                    }
                    let mut kinds: Vec<&'static str> = Vec::new();
                    for kw in SAME_VALUE {
                        if keywords.contains(&kw) {
                            kinds.push(kw);
                        }
                    }
                    let mut names: Vec<String> =
                        path[k..].iter().map(|(n, _)| name_of(n)).collect();
                    names.push(name_of(&edge.to));
                    found.push(Cycle {
                        at: edge.at.clone(),
                        names,
                        kind: Kind::SelfMade(kinds),
                    });
                }
                Some(Color::Done) => {}
            }
        }
    }
    found
}
