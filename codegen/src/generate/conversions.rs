//! `From` a plain value on the untagged unions of `mod types`, so that a
//! string-or-number field takes `"Bug".into()` instead of
//! `Title::String("Bug".into())`.
//!
//! typify writes `From<T>` for some members and not others (none for a
//! `String` one); this pass adds what is missing for the members of the
//! five kinds a literal has: `String` (`From<String>` and `From<&str>`),
//! `i64`, `f64` and `bool`. Only where the union has exactly one member of
//! that kind, and never beside an impl of the same source type already
//! there: two members of one kind (`Name(String)`, `Id(String)`) leave the
//! choice to the caller, and a second impl would not compile. Only the
//! standard types themselves: a constrained string newtype
//! (`TagsString`) checks its value, which `From` could not report.

use std::collections::{BTreeMap, HashSet};

use quote::{ToTokens, quote};
use syn::{Fields, Item, Type};

use super::syntax::{item_name, types_items};

/// The source types of the impls a member of this kind gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    String,
    I64,
    F64,
    Bool,
}

impl Kind {
    fn sources(self) -> &'static [&'static str] {
        match self {
            Kind::String => &["String", "&str"],
            Kind::I64 => &["i64"],
            Kind::F64 => &["f64"],
            Kind::Bool => &["bool"],
        }
    }
}

/// Adds the missing `From` impls (see the module doc).
pub(crate) fn add_scalar_froms(file: &mut syn::File) {
    let Some(items) = types_items(file) else {
        return;
    };
    drop_conflicting_impls(items);
    // A type of `mod types` named `String` would be what a bare `String`
    // means there.
    let string_shadowed = items
        .iter()
        .any(|item| item_name(item).as_deref() == Some("String"));
    let existing: HashSet<(String, String)> = items.iter().filter_map(from_impl).collect();
    let mut out = Vec::with_capacity(items.len());
    for item in std::mem::take(items) {
        let added = match &item {
            Item::Enum(e) => froms(e, string_shadowed, &existing),
            _ => Vec::new(),
        };
        // Right after the union, where a reader of its type looks.
        out.push(item);
        out.extend(
            added
                .into_iter()
                .filter_map(|tokens| syn::parse2::<Item>(tokens).ok()),
        );
    }
    *items = out;
}

/// The impls `e` lacks.
fn froms(
    e: &syn::ItemEnum,
    string_shadowed: bool,
    existing: &HashSet<(String, String)>,
) -> Vec<proc_macro2::TokenStream> {
    let mut added = Vec::new();
    if !untagged(&e.attrs) || !e.generics.params.is_empty() {
        return added;
    }
    let mut by_kind: BTreeMap<Kind, Vec<&syn::Ident>> = BTreeMap::new();
    for variant in &e.variants {
        let Fields::Unnamed(fields) = &variant.fields else {
            continue;
        };
        let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        if let Some(kind) = kind(&field.ty, string_shadowed) {
            by_kind.entry(kind).or_default().push(&variant.ident);
        }
    }
    let name = &e.ident;
    for (kind, variants) in by_kind {
        let [variant] = variants[..] else { continue };
        for &source in kind.sources() {
            if existing.contains(&(name.to_string(), source.to_owned())) {
                continue;
            }
            added.push(match source {
                "&str" => quote! {
                    impl ::std::convert::From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#variant(value.to_owned())
                        }
                    }
                },
                "String" => quote! {
                    impl ::std::convert::From<::std::string::String> for #name {
                        fn from(value: ::std::string::String) -> Self {
                            Self::#variant(value)
                        }
                    }
                },
                primitive => {
                    let ty = syn::Ident::new(primitive, proc_macro2::Span::call_site());
                    quote! {
                        impl ::std::convert::From<#ty> for #name {
                            fn from(value: #ty) -> Self {
                                Self::#variant(value)
                            }
                        }
                    }
                }
            });
        }
    }
    added
}

fn untagged(attrs: &[syn::Attribute]) -> bool {
    super::syntax::serde_says(attrs, &["untagged"])
}

/// The kind of a member's type, when it is one of the standard ones.
fn kind(ty: &Type, string_shadowed: bool) -> Option<Kind> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let spelled = p.path.to_token_stream().to_string().replace(' ', "");
    match spelled.as_str() {
        "::std::string::String" | "std::string::String" => Some(Kind::String),
        "String" if !string_shadowed => Some(Kind::String),
        "i64" => Some(Kind::I64),
        "f64" => Some(Kind::F64),
        "bool" => Some(Kind::Bool),
        _ => None,
    }
}

/// `(type, source)` of an `impl From<source> for type`, the source
/// spelled as [`Kind::sources`] spells it.
/// typify writes `From<T>` for each member of an untagged union whose
/// type it takes for unique, and two members can still be one Rust type
/// (`Variant0(Option<String>)` and `Variant2(Option<String>)` from two
/// schemas): two impls of one trait for one type do not compile (E0119).
/// Both go: which member a value is meant for is the caller's to say.
fn drop_conflicting_impls(items: &mut Vec<Item>) {
    let key = |item: &Item| -> Option<String> {
        let Item::Impl(imp) = item else { return None };
        let (_, path, _) = imp.trait_.as_ref()?;
        let generics = &imp.generics;
        let ty = &imp.self_ty;
        Some(quote!(impl #generics #path for #ty).to_string())
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for k in items.iter().filter_map(key) {
        *count.entry(k).or_default() += 1;
    }
    if count.values().all(|n| *n < 2) {
        return;
    }
    items.retain(|item| key(item).is_none_or(|k| count[&k] < 2));
}

fn from_impl(item: &Item) -> Option<(String, String)> {
    let Item::Impl(imp) = item else { return None };
    let (_, path, _) = imp.trait_.as_ref()?;
    let last = path.segments.last()?;
    if last.ident != "From" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let Some(syn::GenericArgument::Type(source)) = args.args.first() else {
        return None;
    };
    let source = match source {
        Type::Reference(r) if r.mutability.is_none() => {
            let inner = r.elem.to_token_stream().to_string();
            if inner == "str" {
                "&str".to_owned()
            } else {
                return None;
            }
        }
        Type::Path(p) => match p.path.segments.last() {
            Some(s) if s.ident == "String" => "String".to_owned(),
            _ => p.path.to_token_stream().to_string().replace(' ', ""),
        },
        _ => return None,
    };
    let Type::Path(me) = imp.self_ty.as_ref() else {
        return None;
    };
    Some((me.path.segments.last()?.ident.to_string(), source))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(types: &str) -> String {
        let mut file: syn::File = syn::parse_str(&format!("pub mod types {{ {types} }}")).unwrap();
        add_scalar_froms(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn two_impls_of_one_trait_for_one_type_both_go() {
        let out = run(r#"
            #[serde(untagged)]
            pub enum Either { Variant0(Option<String>), Variant1(f32), Variant2(Option<String>) }
            impl From<Option<String>> for Either { fn from(value: Option<String>) -> Self { Self::Variant0(value) } }
            impl From<f32> for Either { fn from(value: f32) -> Self { Self::Variant1(value) } }
            impl From<Option<String>> for Either { fn from(value: Option<String>) -> Self { Self::Variant2(value) } }
        "#);
        assert!(!out.contains("From<Option<String>>"), "{out}");
        assert!(out.contains("impl From<f32> for Either"), "{out}");
    }

    #[test]
    fn one_member_of_a_kind_gets_its_conversions() {
        let out = run(r#"
            #[derive(Clone)]
            #[serde(untagged)]
            pub enum Title { String(::std::string::String), Integer(i64), Number(f64), Flag(bool) }
        "#);
        for source in ["&str", "::std::string::String", "i64", "f64", "bool"] {
            assert!(
                out.contains(&format!("impl ::std::convert::From<{source}> for Title")),
                "{source}\n{out}"
            );
        }
        assert!(out.contains("Self::String(value.to_owned())"), "{out}");
    }

    #[test]
    fn two_members_of_a_kind_or_an_existing_impl_get_none() {
        let out = run(r#"
            #[serde(untagged)]
            pub enum Either { Name(::std::string::String), Id(::std::string::String), Count(i64) }
            impl ::std::convert::From<i64> for Either { fn from(value: i64) -> Self { Self::Count(value) } }
        "#);
        assert!(!out.contains("From<&str>"), "{out}");
        assert!(!out.contains("From<::std::string::String>"), "{out}");
        assert_eq!(out.matches("From<i64> for Either").count(), 1, "{out}");
    }

    #[test]
    fn tagged_enums_newtypes_and_a_shadowed_string_are_left_alone() {
        let out = run(r#"
            #[serde(tag = "kind")]
            pub enum Tagged { A(::std::string::String) }
            #[serde(untagged)]
            pub enum Constrained { S(TagsString), O(Option<::std::string::String>) }
            pub struct String;
            #[serde(untagged)]
            pub enum Mine { S(String) }
        "#);
        assert!(!out.contains("impl ::std::convert::From"), "{out}");
    }
}
