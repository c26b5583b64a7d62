//! Types renamed between two clients: a removed type paired with an added
//! one of the same shape, and old names kept as aliases of new types.

use std::collections::BTreeMap;

use super::surface::{Surface, TypeInfo, last_segment};

/// Old types that are aliases in the new client (`pub type Old = New;`)
/// of a new type of the same shape: renamed, with the old name kept.
pub(super) fn kept_as_alias(
    old: &Surface,
    new: &Surface,
    renames: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut kept = BTreeMap::new();
    for (path, info) in &old.types {
        let Some(now) = new.types.get(path) else {
            continue;
        };
        if info.kind == "type alias" || now.kind != "type alias" {
            continue;
        }
        let Some(target) = now.members.get("=").map(|t| format!("types::{t}")) else {
            continue;
        };
        if old.types.contains_key(&target) {
            continue;
        }
        let Some(current) = new.types.get(&target) else {
            continue;
        };
        let mut trial = renames.clone();
        trial.insert(path.clone(), target.clone());
        if same_shape(info, current, &trial) {
            kept.insert(path.clone(), target);
        }
    }
    kept
}

/// Pairs removed types with added types of the same shape, repeating until
/// nothing more pairs up (a renamed type can make its neighbours match).
pub(super) fn renames(old: &Surface, new: &Surface) -> BTreeMap<String, String> {
    let removed: Vec<&String> = old
        .types
        .keys()
        .filter(|k| !new.types.contains_key(*k))
        .collect();
    let added: Vec<&String> = new
        .types
        .keys()
        .filter(|k| !old.types.contains_key(*k))
        .collect();
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let mut found = false;
        for r in &removed {
            if map.contains_key(*r) {
                continue;
            }
            let candidate = added.iter().find(|a| {
                if map.values().any(|v| v == **a) {
                    return false;
                }
                let mut trial = map.clone();
                trial.insert((*r).clone(), (**a).clone());
                same_shape(&old.types[*r], &new.types[**a], &trial)
            });
            if let Some(a) = candidate {
                map.insert((*r).clone(), (*a).clone());
                found = true;
            }
        }
        if !found {
            break;
        }
    }
    map
}

fn same_shape(a: &TypeInfo, b: &TypeInfo, renames: &BTreeMap<String, String>) -> bool {
    a.kind == b.kind
        && a.members.len() == b.members.len()
        && a.members
            .iter()
            .all(|(k, ty)| b.members.get(k) == Some(&rename_in(ty, renames)))
}

/// `ty` with every renamed type's bare name replaced by its new name.
pub(super) fn rename_in(ty: &str, renames: &BTreeMap<String, String>) -> String {
    if renames.is_empty() {
        return ty.to_owned();
    }
    let bare: BTreeMap<&str, &str> = renames
        .iter()
        .map(|(from, to)| (last_segment(from), last_segment(to)))
        .collect();
    let mut out = String::with_capacity(ty.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(bare.get(word.as_str()).copied().unwrap_or(word));
        word.clear();
    };
    for c in ty.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
