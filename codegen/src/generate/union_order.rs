//! Untagged unions try their most demanding object member first.
//!
//! serde decodes an untagged enum by trying its variants in order and
//! keeping the first that accepts the value; typify writes them in the
//! order of the spec's `oneOf`/`anyOf`, which says nothing about order.
//! A member whose fields are all optional accepts every object (unknown
//! fields are kept, not refused), so written first it takes the values
//! meant for every member after it: GitHub's `BasicError` before
//! `ValidationError` turned each 422's validation errors into unknown
//! fields of a `BasicError`; 133 of the 210 untagged unions of GitHub's
//! client had such a member ahead of one that demands a field (records).
//!
//! So the variants that hold an object (a struct of `mod types`, through
//! aliases, or an inline struct variant) are reordered among the places
//! they hold: most required fields first, a struct that refuses unknown
//! fields before one that keeps them, the members that accept any object
//! last; the order of the spec otherwise (a stable sort). Variants of
//! other kinds (strings, numbers, arrays, maps, nested unions) keep their
//! places, as no object reaches them before an object member. Names,
//! payloads and the encoding are unchanged: only which member a value that
//! several accept decodes into.
//!
//! Two kinds of member take more than their share wherever they stand: a
//! map of any JSON values (`additionalProperties: true` and nothing else)
//! accepts every object, so it sorts with the members that accept any
//! object; and a member typed as any JSON value (a `{}` member, or one
//! generation degraded to `serde_json::Value`) accepts every value at all,
//! so it goes after every other variant. Written first, either decoded
//! every value as itself and left the typed members unreachable.

use std::collections::HashMap;

use syn::{Attribute, Fields, Item, Type};

use super::syntax::serde_says;

/// How much of an object a struct demands.
#[derive(Clone, Copy)]
struct Demand {
    required: usize,
    closed: bool,
}

impl Demand {
    /// Sort key: smaller is tried first.
    fn key(self) -> (bool, std::cmp::Reverse<usize>, bool) {
        let accepts_any = self.required == 0 && !self.closed;
        (accepts_any, std::cmp::Reverse(self.required), !self.closed)
    }
}

/// Reorders the variants of the untagged enums of `mod types`.
pub(crate) fn order_untagged(file: &mut syn::File) {
    let Some(types) = super::syntax::types_items(file) else {
        return;
    };
    let mut structs: HashMap<String, Demand> = HashMap::new();
    let mut aliases: HashMap<String, String> = HashMap::new();
    for item in types.iter() {
        match item {
            Item::Struct(s) => {
                if let Fields::Named(named) = &s.fields {
                    structs.insert(
                        s.ident.to_string(),
                        Demand {
                            required: required_fields(named.named.iter()),
                            closed: denies_unknown_fields(&s.attrs),
                        },
                    );
                }
            }
            Item::Type(t) => {
                if let Some(target) = local_name(&t.ty) {
                    aliases.insert(t.ident.to_string(), target);
                }
            }
            _ => {}
        }
    }
    // Newtypes of any JSON value, or of a map of any JSON values.
    let mut wrapping: HashMap<String, Accepts> = HashMap::new();
    for item in types.iter() {
        if let Item::Struct(s) = item
            && let Fields::Unnamed(f) = &s.fields
            && f.unnamed.len() == 1
            && let Some(accepts) = accepts_all(&f.unnamed[0].ty)
        {
            wrapping.insert(s.ident.to_string(), accepts);
        }
    }
    let resolve = |ty: &Type| -> Option<String> {
        let mut name = local_name(ty)?;
        // Aliases chain at most as long as there are aliases.
        for _ in 0..=aliases.len() {
            match aliases.get(&name) {
                Some(target) => name = target.clone(),
                None => break,
            }
        }
        Some(name)
    };
    let any_object = Demand {
        required: 0,
        closed: false,
    };
    let demand_of = |ty: &Type| -> Option<Demand> {
        if accepts_all(ty) == Some(Accepts::AnyObject) {
            return Some(any_object);
        }
        let name = resolve(ty)?;
        match wrapping.get(&name) {
            Some(Accepts::AnyObject) => Some(any_object),
            Some(Accepts::AnyValue) => None,
            None => structs.get(&name).copied(),
        }
    };
    let takes_any_value = |ty: &Type| {
        accepts_all(ty) == Some(Accepts::AnyValue)
            || resolve(ty).and_then(|n| wrapping.get(&n).copied()) == Some(Accepts::AnyValue)
    };
    for item in types.iter_mut() {
        let Item::Enum(e) = item else { continue };
        if !is_untagged(&e.attrs) {
            continue;
        }
        let demands: Vec<Option<Demand>> = e
            .variants
            .iter()
            .map(|v| match &v.fields {
                Fields::Unnamed(f) if f.unnamed.len() == 1 => demand_of(&f.unnamed[0].ty),
                Fields::Named(f) => Some(Demand {
                    required: required_fields(f.named.iter()),
                    closed: denies_unknown_fields(&e.attrs),
                }),
                _ => None,
            })
            .collect();
        let slots: Vec<usize> = (0..demands.len())
            .filter(|&i| demands[i].is_some())
            .collect();
        let mut order: Vec<usize> = (0..demands.len()).collect();
        let mut sorted = slots.clone();
        sorted.sort_by_key(|&i| demands[i].map(Demand::key));
        for (slot, i) in slots.iter().zip(sorted) {
            order[*slot] = i;
        }
        // Any JSON value last (a stable partition).
        let catch_all: Vec<bool> = e
            .variants
            .iter()
            .map(|v| matches!(&v.fields, Fields::Unnamed(f) if f.unnamed.len() == 1 && takes_any_value(&f.unnamed[0].ty)))
            .collect();
        order.sort_by_key(|&i| catch_all[i]);
        if order.iter().copied().eq(0..demands.len()) {
            continue;
        }
        let mut variants: Vec<Option<syn::Variant>> = std::mem::take(&mut e.variants)
            .into_iter()
            .map(Some)
            .collect();
        e.variants = order.iter().filter_map(|&i| variants[i].take()).collect();
    }
}

/// What a type accepts when it accepts more than a shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Accepts {
    /// Every JSON value: `serde_json::Value`.
    AnyValue,
    /// Every JSON object: a map of `serde_json::Value`s.
    AnyObject,
}

/// Whether `ty` is `serde_json::Value` or a map from strings to it
/// (`serde_json::Map`, `HashMap`, `BTreeMap`), as typify writes them.
fn accepts_all(ty: &Type) -> Option<Accepts> {
    let Type::Path(p) = ty else { return None };
    let segments = idents(&p.path);
    let last = p.path.segments.last()?;
    // Only the qualified path: a schema may be a type named `Value`.
    let is_value =
        |segments: &[String]| matches!(segments, [.., m, v] if m == "serde_json" && v == "Value");
    if is_value(&segments) && last.arguments.is_empty() {
        return Some(Accepts::AnyValue);
    }
    if !matches!(
        last.ident.to_string().as_str(),
        "Map" | "HashMap" | "BTreeMap"
    ) {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let types: Vec<&Type> = args
        .args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect();
    match types.as_slice() {
        [_, Type::Path(v)] => {
            let segments = idents(&v.path);
            is_value(&segments).then_some(Accepts::AnyObject)
        }
        _ => None,
    }
}

/// Fields a value must have: neither `Option`, nor defaulted, nor
/// flattened.
fn required_fields<'a>(fields: impl Iterator<Item = &'a syn::Field>) -> usize {
    fields
        .filter(|f| {
            let optional = matches!(&f.ty, Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
            !optional && !serde_says(&f.attrs, &["default", "flatten"])
        })
        .count()
}

fn denies_unknown_fields(attrs: &[Attribute]) -> bool {
    serde_says(attrs, &["deny_unknown_fields"])
}

fn is_untagged(attrs: &[Attribute]) -> bool {
    serde_says(attrs, &["untagged"])
}

/// The identifiers of `path`'s segments, in order.
fn idents(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// `X` of a type `X` or `types::X` (or `super::types::X`), without generics.
fn local_name(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let segments = idents(&p.path);
    let last = p.path.segments.last()?;
    if !last.arguments.is_empty() {
        return None;
    }
    match segments.as_slice() {
        [name] => Some(name.clone()),
        [.., module, name] if module == "types" => Some(name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn variants(file: &syn::File, name: &str) -> Vec<String> {
        let Item::Mod(m) = &file.items[0] else {
            panic!()
        };
        m.content
            .as_ref()
            .unwrap()
            .1
            .iter()
            .find_map(|i| match i {
                Item::Enum(e) if e.ident == name => {
                    Some(e.variants.iter().map(|v| v.ident.to_string()).collect())
                }
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn a_member_that_accepts_any_object_is_tried_after_the_demanding_ones() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct BasicError { pub message: Option<String>, #[serde(flatten, default)] pub extra_fields: Map }
                pub struct ValidationError { pub message: String, pub errors: Vec<String> }
                pub struct Named { pub name: String }
                #[serde(deny_unknown_fields)]
                pub struct Strict { pub name: String }
                pub type Alias = BasicError;
                #[serde(untagged)]
                pub enum Failure {
                    Basic(BasicError),
                    Text(String),
                    Named(types::Named),
                    Validation(ValidationError),
                    Strict(Strict),
                    Inline { code: i64, #[serde(default)] detail: String },
                }
                #[serde(untagged)]
                pub enum ByAlias { First(Alias), Second(Named) }
                pub enum Tagged { A(BasicError), B(ValidationError) }
            }
        };
        order_untagged(&mut file);
        assert_eq!(
            variants(&file, "Failure"),
            ["Validation", "Text", "Strict", "Named", "Inline", "Basic"]
        );
        assert_eq!(variants(&file, "ByAlias"), ["Second", "First"]);
        assert_eq!(variants(&file, "Tagged"), ["A", "B"]);
        // Still valid syntax.
        let _ = file.to_token_stream();
    }

    /// A member of any JSON value (directly, or a newtype of it through
    /// an alias) is tried last; a map of any JSON values with the members
    /// that accept any object; a map of strings keeps its place, and a
    /// schema type named `Value` is a struct like any other.
    #[test]
    fn a_member_that_accepts_any_value_is_tried_last() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Anything(pub ::serde_json::Value);
                pub type AnythingAlias = Anything;
                pub struct Named { pub name: String }
                pub struct Value { pub value: String, pub unit: String }
                pub struct Loose { pub note: Option<String> }
                #[serde(untagged)]
                pub enum Direct {
                    Any(::serde_json::Value),
                    Text(String),
                    Named(Named),
                }
                #[serde(untagged)]
                pub enum Wrapped {
                    Any(AnythingAlias),
                    Object(::serde_json::Map<String, ::serde_json::Value>),
                    Strings(::std::collections::HashMap<String, String>),
                    Loose(Loose),
                    Named(Named),
                    Measured(Value),
                }
            }
        };
        order_untagged(&mut file);
        assert_eq!(variants(&file, "Direct"), ["Text", "Named", "Any"]);
        assert_eq!(
            variants(&file, "Wrapped"),
            ["Measured", "Strings", "Named", "Object", "Loose", "Any"]
        );
    }

    /// A member of a random union: required and optional field names out
    /// of a small vocabulary (so that members overlap), open or closed.
    #[derive(Clone, Debug)]
    struct Member {
        required: std::collections::BTreeSet<u8>,
        optional: std::collections::BTreeSet<u8>,
        closed: bool,
        /// 0: a struct of these fields; 1: a newtype of any JSON value;
        /// 2: a newtype of a map of any JSON values (both accept every
        /// object and require nothing).
        shape: u8,
    }

    impl Member {
        /// serde's verdict on an object with these keys: every required
        /// field present and, when closed, no key it does not declare.
        fn accepts(&self, keys: &std::collections::BTreeSet<u8>) -> bool {
            if self.shape != 0 {
                return true;
            }
            self.required.is_subset(keys)
                && (!self.closed
                    || keys
                        .iter()
                        .all(|k| self.required.contains(k) || self.optional.contains(k)))
        }

        fn item(&self, name: &str) -> Item {
            let ident = quote::format_ident!("{}", name);
            match self.shape {
                1 => return syn::parse_quote!(pub struct #ident(pub ::serde_json::Value);),
                2 => {
                    return syn::parse_quote!(pub struct #ident(pub ::serde_json::Map<String, ::serde_json::Value>););
                }
                _ => {}
            }
            let fields = self
                .required
                .iter()
                .map(|k| {
                    let f = quote::format_ident!("f{}", k);
                    quote::quote!(pub #f: String)
                })
                .chain(
                    self.optional
                        .iter()
                        .filter(|k| !self.required.contains(k))
                        .map(|k| {
                            let f = quote::format_ident!("f{}", k);
                            quote::quote!(pub #f: Option<String>)
                        }),
                );
            let closed = self
                .closed
                .then(|| quote::quote!(#[serde(deny_unknown_fields)]));
            syn::parse_quote!(#closed pub struct #ident { #(#fields),* })
        }
    }

    fn member() -> impl proptest::strategy::Strategy<Value = Member> {
        use proptest::prelude::*;
        (
            proptest::collection::btree_set(0u8..6, 0..4),
            proptest::collection::btree_set(0u8..6, 0..4),
            any::<bool>(),
            prop_oneof![4 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        )
            .prop_map(|(required, optional, closed, shape)| Member {
                // What a member of any value demands: nothing.
                required: if shape == 0 {
                    required
                } else {
                    Default::default()
                },
                optional,
                closed: closed && shape == 0,
                shape,
            })
    }

    proptest::proptest! {
        /// A value written for one member (its required fields and some of
        /// its optional ones) never decodes, after reordering, into a
        /// member that demands strictly less of it: one whose required
        /// fields are a strict subset of the target's (an all-optional
        /// member is one), the class of GitHub's `BasicError` before
        /// `ValidationError`.
        #[test]
        fn a_value_decodes_into_no_member_that_demands_less_than_its_own(
            members in proptest::collection::vec(member(), 2..6),
            target in 0usize..6,
            extra in proptest::collection::btree_set(0u8..6, 0..3),
        ) {
            let target = target % members.len();
            let t = &members[target];
            proptest::prop_assume!(t.shape == 0);
            let keys: std::collections::BTreeSet<u8> = t
                .required
                .iter()
                .chain(extra.iter().filter(|k| t.optional.contains(k)))
                .copied()
                .collect();
            let mut items: Vec<Item> = members
                .iter()
                .enumerate()
                .map(|(i, m)| m.item(&format!("M{i}")))
                .collect();
            let variants = (0..members.len()).map(|i| {
                let v = quote::format_ident!("V{}", i);
                let m = quote::format_ident!("M{}", i);
                quote::quote!(#v(#m))
            });
            items.push(syn::parse_quote! {
                #[serde(untagged)]
                pub enum U { #(#variants),* }
            });
            let mut file: syn::File = syn::parse_quote!(pub mod types { #(#items)* });
            order_untagged(&mut file);
            let order: Vec<usize> = variants_of(&file, "U")
                .iter()
                .map(|v| v[1..].parse().unwrap())
                .collect();
            // serde tries the variants in order; the target accepts `keys`.
            let chosen = order.iter().copied().find(|&i| members[i].accepts(&keys)).unwrap();
            let c = &members[chosen];
            proptest::prop_assert!(
                !(c.required.is_subset(&t.required) && c.required.len() < t.required.len()),
                "decoded into M{chosen} {c:?} rather than M{target} {t:?} (order {order:?})"
            );
        }
    }

    fn variants_of(file: &syn::File, name: &str) -> Vec<String> {
        variants(file, name)
    }

    #[test]
    fn serde_words_are_found_beside_values_and_lists() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[serde(rename = "x", default = "f")]),
            syn::parse_quote!(#[doc = "untagged"]),
        ];
        assert!(serde_says(&attrs, &["default"]));
        assert!(!serde_says(&attrs, &["untagged"]));
        assert!(!serde_says(&attrs, &["flatten"]));
    }
}
