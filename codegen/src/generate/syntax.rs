//! Small questions the syntax-tree passes ask of progenitor's output.

use std::collections::HashSet;

use syn::{Expr, GenericArgument, Item, PathArguments, Type};

/// `T` of `Option<T>` (any path ending in `Option`).
pub(super) fn option_inner(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) if args.args.len() == 1 => Some(t.clone()),
        _ => None,
    }
}

/// A type of the standard library or a crate, not one typify generated
/// (`types::Uuid`, `types::I32`, `types::String` are schemas' names).
fn is_foreign(p: &syn::TypePath) -> bool {
    p.qself.is_none() && p.path.segments.first().is_some_and(|s| s.ident != "types")
}

/// Whether every value of `ty` prints as URL-safe text (no character a
/// path segment must escape): UUIDs, integers and booleans.
pub(super) fn is_url_safe(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last().filter(|_| is_foreign(p)) else {
        return false;
    };
    let name = last.ident.to_string();
    let name = name.strip_prefix("NonZero").unwrap_or(&name);
    matches!(
        name.to_ascii_lowercase().as_str(),
        "uuid"
            | "bool"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
    )
}

/// Whether `Display` writes every value of `ty` (behind references) as
/// serde does, the text the runtime's parameter styles start from:
/// strings and [`is_url_safe`] scalars. Any other type — a struct, an
/// enum of integers, a newtype, `()`, `Option`, a date, a float (`1` for
/// JSON's `1.0`) — may have no `Display`, or one that writes other text,
/// so its path and header values go through the runtime.
pub(super) fn displays_as_serialized(ty: &Type) -> bool {
    let ty = match ty {
        Type::Reference(r) => r.elem.as_ref(),
        ty => ty,
    };
    let Type::Path(p) = ty else { return false };
    let is_string = is_foreign(p)
        && p.path
            .segments
            .last()
            .is_some_and(|s| (s.ident == "str" || s.ident == "String") && s.arguments.is_none())
        && matches!(p.path.segments.len(), 1 | 3);
    is_string || is_url_safe(ty)
}

/// The name an item takes in its module's type namespace, for the passes
/// that add items and must not collide with what is there.
pub(super) fn item_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Mod(m) => Some(m.ident.to_string()),
        Item::Trait(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// The `#[serde(rename = "…")]` of a field or variant: its name on the wire.
pub(super) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let s: syn::LitStr = meta.value()?.parse()?;
                found = Some(s.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// Whether the attributes carry documentation.
pub(super) fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

/// Adds a doc line in front of the other attributes. `text` is written
/// as the line reads (a leading space is added, as `///` would).
pub(super) fn add_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    let text = format!(" {text}");
    attrs.insert(0, syn::parse_quote!(#[doc = #text]));
}

/// A field's or variant's name on the wire: its serde rename, else its
/// identifier without the raw prefix.
pub(super) fn wire_name(ident: &syn::Ident, attrs: &[syn::Attribute]) -> String {
    serde_rename(attrs).unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned())
}

/// Whether a field is `#[serde(flatten)]` (the map of unknown fields).
pub(super) fn is_flattened(attrs: &[syn::Attribute]) -> bool {
    serde_says(attrs, &["flatten"])
}

/// Whether a `#[serde(..)]` attribute names one of `words` (alone or as
/// `word = ..`).
pub(super) fn serde_says(attrs: &[syn::Attribute], words: &[&str]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                found |= words.iter().any(|w| meta.path.is_ident(w));
                // Skip a value (`= "..."`) or a list, whatever it holds.
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                } else if meta.input.peek(syn::token::Paren) {
                    let _content;
                    syn::parenthesized!(_content in meta.input);
                }
                Ok(())
            });
            found
        })
}

/// The text of `#[doc = ".."]` attributes, joined by newlines.
pub(super) fn doc_string(attrs: &[syn::Attribute]) -> String {
    let mut out = Vec::new();
    for a in attrs {
        if let syn::Meta::NameValue(nv) = &a.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            out.push(s.value());
        }
    }
    out.join("\n")
}

/// `(METHOD, /path)` from progenitor's "Sends a `PATCH` request to
/// `/v1/characters/{id}`" line (the last one: a description could hold
/// such a line too, progenitor's own comes after it).
pub(super) fn sends_line(doc: &str) -> Option<(String, String)> {
    doc.lines().rev().find_map(|line| {
        let rest = line.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once('`')?;
        let path = rest.strip_prefix(" request to `")?.strip_suffix('`')?;
        Some((method.to_owned(), path.to_owned()))
    })
}

/// The `(METHOD, /path)` of a send fn, from its doc comment
/// "Sends a `PATCH` request to `/v1/characters/{id}`".
pub(super) fn method_and_path(f: &syn::ImplItemFn) -> Option<(String, String)> {
    f.attrs.iter().find_map(|a| {
        let syn::Meta::NameValue(nv) = &a.meta else {
            return None;
        };
        let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
        else {
            return None;
        };
        let doc = s.value();
        let rest = doc.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once('`')?;
        let path = rest.strip_prefix(" request to `")?.strip_suffix('`')?;
        Some((method.to_owned(), path.to_owned()))
    })
}

/// Names of the items among `items` that have a `Default` (derived or
/// written).
pub(super) fn with_default(items: &[Item]) -> HashSet<String> {
    let mut out = HashSet::new();
    for item in items {
        match item {
            Item::Struct(s) if derives(&s.attrs, "Default") => {
                out.insert(s.ident.to_string());
            }
            Item::Enum(e) if derives(&e.attrs, "Default") => {
                out.insert(e.ident.to_string());
            }
            Item::Impl(imp) => {
                let is_default = imp.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Default")
                });
                if is_default
                    && let Type::Path(p) = imp.self_ty.as_ref()
                    && let Some(last) = p.path.segments.last()
                {
                    out.insert(last.ident.to_string());
                }
            }
            _ => {}
        }
    }
    // An alias of a type with a `Default` has one too.
    for item in items {
        if let Item::Type(t) = item
            && let Type::Path(p) = t.ty.as_ref()
            && p.path
                .segments
                .last()
                .is_some_and(|s| out.contains(&s.ident.to_string()))
        {
            out.insert(t.ident.to_string());
        }
    }
    out
}

/// Whether `attrs` hold a `#[derive(..)]` naming `name` (by its last segment).
pub(super) fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.segments.last().is_some_and(|s| s.ident == name) {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

/// The `impl` blocks of the modules of a file (the typed mocks' `mod
/// operations`), each with the name of the type it implements
/// (`<Operation>When`, `<Operation>Then`): what the mock passes rewrite.
pub(super) fn module_impls(
    file: &mut syn::File,
) -> impl Iterator<Item = (String, &mut syn::ItemImpl)> {
    file.items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Mod(m) => m.content.as_mut(),
            _ => None,
        })
        .flat_map(|(_, items)| items.iter_mut())
        .filter_map(|item| {
            let Item::Impl(imp) = item else { return None };
            let Type::Path(p) = imp.self_ty.as_ref() else {
                return None;
            };
            let name = p.path.get_ident()?.to_string();
            Some((name, imp))
        })
}

/// The items of `pub mod types { … }`, to read.
pub(super) fn types_items_ref(file: &syn::File) -> Option<&Vec<Item>> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// The items of `pub mod types { … }`.
pub(super) fn types_items(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::displays_as_serialized;

    #[test]
    fn only_strings_and_url_safe_scalars_display_as_they_serialize() {
        let displays = |t: &str| displays_as_serialized(&syn::parse_str(t).unwrap());
        for yes in [
            "&str",
            "String",
            "::std::string::String",
            "i64",
            "&'a u8",
            "bool",
            "::uuid::Uuid",
            "std::num::NonZeroU64",
        ] {
            assert!(displays(yes), "{yes}");
        }
        // A schema may be called `String`, `Uuid` or `I32`: typify's types
        // are under `types`, whatever their names.
        for no in [
            "types::String",
            "types::Uuid",
            "types::I32",
            "&types::Level",
            "()",
            "f64",
            "Option<String>",
            "::std::vec::Vec<String>",
            "::chrono::DateTime<::chrono::offset::Utc>",
        ] {
            assert!(!displays(no), "{no}");
        }
    }
}
