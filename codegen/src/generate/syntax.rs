//! Small questions the syntax-tree passes ask of progenitor's output.

use syn::{GenericArgument, Item, PathArguments, Type};

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
    attrs.iter().any(|a| {
        let mut flatten = false;
        if a.path().is_ident("serde") {
            let _ = a.parse_nested_meta(|meta| {
                flatten |= meta.path.is_ident("flatten");
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
        }
        flatten
    })
}
