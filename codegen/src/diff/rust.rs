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

use quote::ToTokens;
use syn::{Fields, FnArg, ImplItem, Item, Visibility};

use super::{Change, DiffError, Kind, Layer};

#[derive(Clone, Debug, PartialEq, Eq)]
struct TypeInfo {
    /// `struct`, `tuple struct`, `enum` or `type alias`.
    kind: &'static str,
    derives: BTreeSet<String>,
    /// Fields (name → type) or variants (name → payload).
    members: BTreeMap<String, String>,
    non_exhaustive: bool,
}

#[derive(Default)]
struct Surface {
    /// `types::Name` → info.
    types: BTreeMap<String, TypeInfo>,
    /// `Client::method` or `builder::Op::method` → signature.
    methods: BTreeMap<String, String>,
    /// `builder::Op`, `operations::NAME`, top-level consts → declaration.
    items: BTreeMap<String, String>,
}

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

/// Old types that are aliases in the new client (`pub type Old = New;`)
/// of a new type of the same shape: renamed, with the old name kept.
fn kept_as_alias(
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
fn renames(old: &Surface, new: &Surface) -> BTreeMap<String, String> {
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
fn rename_in(ty: &str, renames: &BTreeMap<String, String>) -> String {
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

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

fn surface(code: &str, side: &'static str) -> Result<Surface, DiffError> {
    let file = syn::parse_file(code).map_err(|e| DiffError::Unparsable {
        side,
        message: e.to_string(),
    })?;
    let mut s = Surface::default();
    for item in &file.items {
        match item {
            Item::Mod(m) if m.ident == "types" => {
                let items: Vec<&Item> = m.content.iter().flat_map(|(_, items)| items).collect();
                for item in &items {
                    if let Some((name, info)) = type_info(item) {
                        s.types.insert(format!("types::{name}"), info);
                    }
                }
                // Inherent methods of the types: constructors and helpers
                // (`new`, `builder`, `as_str`). Setters named after a field
                // mirror it and are not listed: the field's change is.
                for item in &items {
                    if let Item::Impl(imp) = item
                        && imp.trait_.is_none()
                        && imp.generics.params.is_empty()
                        && let Some(name) = self_name(imp)
                    {
                        let owner = format!("types::{name}");
                        let fields = s
                            .types
                            .get(&owner)
                            .filter(|t| t.kind == "struct")
                            .map(|t| t.members.keys().cloned().collect::<BTreeSet<_>>())
                            .unwrap_or_default();
                        for i in &imp.items {
                            let ImplItem::Fn(f) = i else { continue };
                            let method = f.sig.ident.to_string();
                            if is_pub(&f.vis) && !fields.contains(&method) {
                                s.methods
                                    .insert(format!("{owner}::{method}"), signature(&f.sig));
                            }
                        }
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    match item {
                        Item::Struct(st) if is_pub(&st.vis) => {
                            let generics = tidy(&st.generics.to_token_stream().to_string());
                            s.items.insert(
                                format!("builder::{}", st.ident),
                                format!("struct {}{generics}", st.ident),
                            );
                        }
                        Item::Impl(imp) if imp.trait_.is_none() => {
                            if let Some(name) = self_name(imp) {
                                methods(&mut s, &format!("builder::{name}"), imp);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Item::Mod(m) if m.ident == "operations" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    if let Item::Static(st) = item
                        && is_pub(&st.vis)
                    {
                        let ty = tidy(&st.ty.to_token_stream().to_string());
                        s.items.insert(
                            format!("operations::{}", st.ident),
                            format!("static {}: {ty}", st.ident),
                        );
                    }
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                if let Some(name) = self_name(imp) {
                    methods(&mut s, &name, imp);
                }
            }
            Item::Const(c) if is_pub(&c.vis) => {
                let ty = tidy(&c.ty.to_token_stream().to_string());
                s.items
                    .insert(c.ident.to_string(), format!("const {}: {ty}", c.ident));
            }
            _ => {}
        }
    }
    Ok(s)
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn self_name(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn methods(s: &mut Surface, owner: &str, imp: &syn::ItemImpl) {
    for item in &imp.items {
        let ImplItem::Fn(f) = item else { continue };
        if !is_pub(&f.vis) {
            continue;
        }
        s.methods
            .insert(format!("{owner}::{}", f.sig.ident), signature(&f.sig));
    }
}

/// A signature without parameter names (they are not part of the API).
fn signature(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            FnArg::Receiver(r) => match &r.reference {
                Some((_, lifetime)) => {
                    let lt = lifetime
                        .as_ref()
                        .map(|l| format!("{l} "))
                        .unwrap_or_default();
                    let m = if r.mutability.is_some() { "mut " } else { "" };
                    format!("&{lt}{m}self")
                }
                None => "self".to_owned(),
            },
            FnArg::Typed(t) => tidy(&t.ty.to_token_stream().to_string()),
        })
        .collect();
    let asyncness = if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    };
    let generics = tidy(&sig.generics.to_token_stream().to_string());
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", tidy(&ty.to_token_stream().to_string())),
    };
    let bounds = sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| {
            let w = tidy(&w.to_token_stream().to_string());
            format!(" {}", w.trim_end_matches(','))
        })
        .unwrap_or_default();
    format!(
        "{asyncness}fn {}{generics}({}){output}{bounds}",
        sig.ident,
        inputs.join(", ")
    )
}

fn type_info(item: &Item) -> Option<(String, TypeInfo)> {
    let (name, kind, attrs, members) = match item {
        Item::Struct(st) if is_pub(&st.vis) => {
            let (kind, members) = match &st.fields {
                Fields::Named(named) => (
                    "struct",
                    named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), ty(&f.ty))))
                        .collect(),
                ),
                Fields::Unnamed(unnamed) => (
                    "tuple struct",
                    unnamed
                        .unnamed
                        .iter()
                        .enumerate()
                        .map(|(i, f)| {
                            // A private inner value (a constrained newtype)
                            // is still what `Deref`/`From` hand out.
                            (i.to_string(), ty(&f.ty))
                        })
                        .collect(),
                ),
                Fields::Unit => ("struct", BTreeMap::new()),
            };
            (st.ident.to_string(), kind, &st.attrs, members)
        }
        Item::Enum(en) if is_pub(&en.vis) => {
            let members = en
                .variants
                .iter()
                .map(|v| {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        Fields::Unnamed(u) => format!(
                            "({})",
                            u.unnamed
                                .iter()
                                .map(|f| ty(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Fields::Named(n) => format!(
                            "{{ {} }}",
                            n.named
                                .iter()
                                .map(|f| format!(
                                    "{}: {}",
                                    f.ident
                                        .as_ref()
                                        .map(ToString::to_string)
                                        .unwrap_or_default(),
                                    ty(&f.ty)
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    (v.ident.to_string(), payload)
                })
                .collect();
            (en.ident.to_string(), "enum", &en.attrs, members)
        }
        Item::Type(t) if is_pub(&t.vis) => {
            let members = BTreeMap::from([("=".to_owned(), ty(&t.ty))]);
            (t.ident.to_string(), "type alias", &t.attrs, members)
        }
        _ => return None,
    };
    let mut derives = BTreeSet::new();
    let mut non_exhaustive = false;
    for attr in attrs {
        if attr.path().is_ident("non_exhaustive") {
            non_exhaustive = true;
        }
        if attr.path().is_ident("derive") {
            // Derive lists are paths separated by commas; anything else is
            // not a derive and is skipped.
            let _ = attr.parse_nested_meta(|meta| {
                let path = meta.path.to_token_stream().to_string();
                derives.insert(last_segment(&tidy(&path)).to_owned());
                Ok(())
            });
        }
    }
    Some((
        name,
        TypeInfo {
            kind,
            derives,
            members,
            non_exhaustive,
        },
    ))
}

fn ty(t: &syn::Type) -> String {
    tidy(&t.to_token_stream().to_string())
}

/// Token text as people write it: no spaces inside paths and generics,
/// absolute paths relative, and the standard prelude's paths dropped.
fn tidy(tokens: &str) -> String {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(tokens.len());
    for piece in tokens.split_whitespace() {
        let prev = out.chars().last();
        if piece == "::" && !prev.is_some_and(ident) {
            continue;
        }
        let spaced = match (prev, piece.chars().next()) {
            (Some(p), Some(n)) => {
                (ident(p) && ident(n)) || p == ',' || (p == ':' && !out.ends_with("::") && n != ':')
            }
            _ => false,
        };
        if spaced || piece == "->" || piece == "=" || piece == "where" {
            out.push(' ');
        }
        out.push_str(piece);
        if piece == "->" || piece == "=" {
            out.push(' ');
        }
    }
    for prefix in [
        "std::option::",
        "std::string::",
        "std::vec::",
        "std::collections::",
        "std::convert::",
        "std::result::",
        "std::boxed::",
        "std::ops::",
        "std::borrow::",
    ] {
        out = out.replace(prefix, "");
    }
    out.trim().replace("  ", " ")
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn tidy_types() {
        assert_eq!(
            tidy(":: std :: option :: Option < :: std :: string :: String >"),
            "Option<String>"
        );
        assert_eq!(
            tidy("Result < ResponseValue < types :: Character > , Error >"),
            "Result<ResponseValue<types::Character>, Error>"
        );
        assert_eq!(
            tidy("where V : std :: convert :: TryInto < :: uuid :: Uuid > ,"),
            "where V: TryInto<uuid::Uuid>,"
        );
        assert_eq!(tidy("& 'a super :: Client"), "&'a super::Client");
    }
}
