//! The rust layer: the public API of two generated clients, read with syn.
//!
//! The surface is what downstream code can name: the types of `mod types`
//! (kind, derives, fields or variants with their types) and their inherent
//! methods other than field setters (`new`, `builder`, `as_str`), the
//! methods of `impl Client`, the structs of `mod builder` with their
//! methods, and the statics of `mod operations`. Types print as written, with the
//! `::std::…` prefixes dropped, so `Option<String>` reads as such.
//!
//! A type that disappears while one of the same shape appears (a renamed
//! schema component, and the inline types named after it) is reported once
//! as renamed, and other items are compared with the new names in place,
//! so a rename does not also show up as every field that mentions it.
use std::collections::{BTreeMap, BTreeSet};

mod renames;
mod surface;

use super::change::{Change, DiffError, Kind, Layer};
use renames::{kept_as_alias, rename_in, renames};
use surface::{TypeInfo, last_segment, surface};

pub(super) fn diff(old: &str, new: &str) -> Result<Vec<Change>, DiffError> {
    let old = surface(old, "old")?;
    let new = surface(new, "new")?;
    let mut out = Vec::new();
    let mut renames = renames(&old, &new);
    // Renamed types whose old name stays as an alias (`x-codegen-former-names`).
    let kept = kept_as_alias(&old, &new, &renames);
    renames.extend(kept.iter().map(|(a, b)| (a.clone(), b.clone())));

    let change = |kind, breaking, pointer: &str, message: String| Change {
        kind,
        layer: Layer::Rust,
        breaking,
        pointer: pointer.to_owned(),
        message,
    };

    for (path, info) in &old.types {
        if let Some(to) = kept.get(path) {
            out.push(change(
                Kind::RustTypeRenamed,
                false,
                path,
                format!(
                    "`{path}` renamed to `{to}`; the old name stays as a deprecated alias, so code that names it still compiles"
                ),
            ));
            compare_type(&mut out, to, info, &new.types[to], &renames);
            continue;
        }
        let (new_path, renamed) = match renames.get(path) {
            Some(to) => (to.clone(), true),
            None => (path.clone(), false),
        };
        let Some(now) = new.types.get(&new_path) else {
            out.push(change(
                Kind::RustTypeRemoved,
                true,
                path,
                format!(
                    "{} `{path}` removed: code that names it stops compiling",
                    info.kind
                ),
            ));
            continue;
        };
        if renamed {
            out.push(change(
                Kind::RustTypeRenamed,
                true,
                path,
                format!(
                    "`{path}` renamed to `{new_path}`: code that names it stops compiling (`x-codegen-former-names: [{}]` on the schema keeps the old name as a deprecated alias)",
                    last_segment(path)
                ),
            ));
        }
        compare_type(&mut out, &new_path, info, now, &renames);
    }
    let renamed_to: BTreeSet<&String> = renames.values().collect();
    for (path, info) in &new.types {
        if !old.types.contains_key(path) && !renamed_to.contains(path) {
            out.push(change(
                Kind::RustTypeAdded,
                false,
                path,
                format!("{} `{path}` added", info.kind),
            ));
        }
    }

    // The methods of a builder or type that comes or goes come and go with it.
    let owner_of = |method: &str| method.rsplit_once("::").map(|(o, _)| o.to_owned());
    let folded = |method: &str| {
        owner_of(method).is_some_and(|o| {
            (o.starts_with("builder::")
                && (old.items.contains_key(&o) != new.items.contains_key(&o)))
                || (o.starts_with("types::")
                    && (old.types.contains_key(&o) != new.types.contains_key(&o)))
        })
    };
    for (path, sig) in &old.methods {
        if folded(path) {
            continue;
        }
        // A method of a type kept as an alias lives on the type it renames.
        let moved = owner_of(path).and_then(|o| {
            let to = kept.get(&o)?;
            Some(format!("{to}{}", &path[o.len()..]))
        });
        match new.methods.get(moved.as_deref().unwrap_or(path)) {
            None => out.push(change(
                Kind::RustMethodRemoved,
                true,
                path,
                format!("method `{path}` removed: calls to it stop compiling"),
            )),
            Some(now) if rename_in(sig, &renames) != *now => out.push(change(
                Kind::RustMethodSignatureChanged,
                true,
                path,
                format!("signature of `{path}` changed from `{sig}` to `{now}`"),
            )),
            Some(_) => {}
        }
    }
    for path in new.methods.keys() {
        if !old.methods.contains_key(path) && !folded(path) {
            out.push(change(
                Kind::RustMethodAdded,
                false,
                path,
                format!("method `{path}` added"),
            ));
        }
    }

    let with_methods = |item: &str| {
        if item.starts_with("builder::") {
            " (with its methods)"
        } else {
            ""
        }
    };
    for (path, decl) in &old.items {
        match new.items.get(path) {
            None => out.push(change(
                Kind::RustItemRemoved,
                true,
                path,
                format!(
                    "`{path}` removed{}: code that names it stops compiling",
                    with_methods(path)
                ),
            )),
            Some(now) if rename_in(decl, &renames) != *now => out.push(change(
                Kind::RustItemChanged,
                true,
                path,
                format!("`{path}` changed from `{decl}` to `{now}`"),
            )),
            Some(_) => {}
        }
    }
    for path in new.items.keys() {
        if !old.items.contains_key(path) {
            out.push(change(
                Kind::RustItemAdded,
                false,
                path,
                format!("`{path}` added{}", with_methods(path)),
            ));
        }
    }
    Ok(out)
}

fn compare_type(
    out: &mut Vec<Change>,
    path: &str,
    old: &TypeInfo,
    new: &TypeInfo,
    renames: &BTreeMap<String, String>,
) {
    let mut push = |kind, breaking, pointer: String, message: String| {
        out.push(Change {
            kind,
            layer: Layer::Rust,
            breaking,
            pointer,
            message,
        });
    };
    if old.kind != new.kind {
        push(
            Kind::RustTypeKindChanged,
            true,
            path.to_owned(),
            format!("`{path}` changed from a {} to a {}", old.kind, new.kind),
        );
        return;
    }
    for d in old.derives.difference(&new.derives) {
        push(
            Kind::RustDeriveRemoved,
            true,
            path.to_owned(),
            format!("`{path}` no longer implements `{d}`: code relying on it stops compiling"),
        );
    }
    for d in new.derives.difference(&old.derives) {
        push(
            Kind::RustDeriveAdded,
            false,
            path.to_owned(),
            format!("`{path}` now implements `{d}`"),
        );
    }
    let is_enum = old.kind == "enum";
    for (name, ty) in &old.members {
        let at = format!("{path}::{name}");
        match new.members.get(name) {
            None if is_enum => push(
                Kind::RustVariantRemoved,
                true,
                at.clone(),
                format!("variant `{at}` removed: code that names it stops compiling"),
            ),
            None => push(
                Kind::RustFieldRemoved,
                true,
                at.clone(),
                format!("field `{at}` removed: code that reads or sets it stops compiling"),
            ),
            Some(now) if rename_in(ty, renames) != *now => {
                if is_enum {
                    push(
                        Kind::RustVariantChanged,
                        true,
                        at.clone(),
                        format!("payload of variant `{at}` changed from `{ty}` to `{now}`"),
                    );
                } else {
                    push(
                        Kind::RustFieldTypeChanged,
                        true,
                        at.clone(),
                        format!("type of field `{at}` changed from `{ty}` to `{now}`"),
                    );
                }
            }
            Some(_) => {}
        }
    }
    for (name, ty) in &new.members {
        if old.members.contains_key(name) {
            continue;
        }
        let at = format!("{path}::{name}");
        if is_enum {
            let (breaking, why) = if new.non_exhaustive {
                (false, "the enum is #[non_exhaustive]")
            } else {
                (true, "exhaustive `match`es on the enum stop compiling")
            };
            push(
                Kind::RustVariantAdded,
                breaking,
                at.clone(),
                format!("variant `{at}` added: {why}"),
            );
        } else {
            push(
                Kind::RustFieldAdded,
                false,
                at.clone(),
                format!(
                    "field `{at}: {ty}` added: builders and `..Default::default()` keep compiling"
                ),
            );
        }
    }
}
