//! Unknown fields are kept, not dropped.
//!
//! A server may add a field to an object at any time. serde ignores fields
//! a struct does not declare, so a client would silently lose them. Every
//! generated struct that accepts unknown fields (no `deny_unknown_fields`,
//! no flattened map of its own) gains
//!
//! ```ignore
//! #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
//! pub extra_fields: Map<String, Value>,
//! ```
//!
//! which collects them on decode and sends them back on encode (empty, and
//! therefore absent, unless the caller fills it: a way to send a field the
//! spec does not describe yet). typify's struct literals for these types
//! (`Default` impls) are completed with an empty map.

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;
use syn::{Fields, Item, ItemStruct};

/// Adds `extra_fields` to the eligible structs of `mod types`.
pub(crate) fn keep_unknown_fields(file: &mut syn::File) {
    let Some(types) = module_mut(&mut file.items, "types") else {
        return;
    };
    // struct name -> the name of its extra-fields field
    let mut added: BTreeMap<String, syn::Ident> = BTreeMap::new();
    let mut boxed = false;
    // Cloned for each struct: parsing it once per struct cost more than
    // the rest of the pass.
    let template: syn::Field = syn::parse_quote! {
        /// Fields the spec does not define (yet): kept when decoding, sent when encoding.
        #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
        pub extra_fields: ::serde_json::Map<::std::string::String, ::serde_json::Value>
    };
    for item in types.iter_mut() {
        if let Item::Struct(s) = item {
            boxed |= skip_absent_boxed(s);
            if let Some(field) = add_field(s, &template) {
                added.insert(s.ident.to_string(), field);
            }
        }
    }
    if boxed {
        types.push(syn::parse_quote! {
            /// `skip_serializing_if` of a `Box<Option<T>>` field: absent stays absent.
            fn boxed_is_none<T>(value: &::std::boxed::Box<::std::option::Option<T>>) -> bool {
                value.is_none()
            }
        });
    }
    if added.is_empty() {
        return;
    }
    // Struct literals in `types` and its modules (typify's `defaults`
    // functions build default values of object type, inside `vec![..]`
    // too): `Self { .. }` in impls of a changed struct, or the struct named
    // directly, get an empty map.
    for item in types.iter_mut() {
        let self_name = match item {
            Item::Impl(imp) => type_name(&imp.self_ty),
            _ => None,
        };
        Complete {
            added: &added,
            self_name,
        }
        .visit_item_mut(item);
    }
}

fn module_mut<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.to_string())
        }
        _ => None,
    }
}

fn attr_mentions(attrs: &[syn::Attribute], outer: &str, word: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident(outer) && {
            let tokens = a
                .meta
                .require_list()
                .map(|l| l.tokens.to_string())
                .unwrap_or_default();
            tokens
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == word)
        }
    })
}

/// typify types an optional field that refers back to its own struct as
/// `Box<Option<T>>` with `#[serde(default)]` only, so `None` is sent as
/// `null`, which the schema (an object) does not allow — found by the
/// contract check. Such a field is skipped when `None`, like every other
/// optional field. Returns whether any field was changed.
fn skip_absent_boxed(s: &mut ItemStruct) -> bool {
    let Fields::Named(fields) = &mut s.fields else {
        return false;
    };
    let mut changed = false;
    for field in fields.named.iter_mut() {
        let syn::Type::Path(p) = &field.ty else {
            continue;
        };
        if is_boxed_option(p) && !attr_mentions(&field.attrs, "serde", "skip_serializing_if") {
            field
                .attrs
                .push(syn::parse_quote!(#[serde(skip_serializing_if = "boxed_is_none")]));
            changed = true;
        }
    }
    changed
}

/// Whether `p` reads `Box<Option<..` or `::std::boxed::Box<::std::option::Option<..`
/// (read off the syntax: printing every field's type to compare text cost
/// as much as the rest of the pass).
fn is_boxed_option(p: &syn::TypePath) -> bool {
    let short = |p: &syn::TypePath| p.path.leading_colon.is_none();
    if short(p) {
        boxed(p, &[]).is_some_and(|t| short(t) && angled(t, &[], "Option").is_some())
    } else {
        boxed(p, &["std", "boxed"])
            .is_some_and(|t| !short(t) && angled(t, &["std", "option"], "Option").is_some())
    }
}

/// The path first in `Box<..>`.
fn boxed<'a>(p: &'a syn::TypePath, before: &[&str]) -> Option<&'a syn::TypePath> {
    match angled(p, before, "Box")?.args.first() {
        Some(syn::GenericArgument::Type(syn::Type::Path(inner))) => Some(inner),
        _ => None,
    }
}

/// The first `<..>` of `p` when `p` starts with the bare segments
/// `before`, then `name<`.
fn angled<'a>(
    p: &'a syn::TypePath,
    before: &[&str],
    name: &str,
) -> Option<&'a syn::AngleBracketedGenericArguments> {
    if p.qself.is_some() || p.path.segments.len() <= before.len() {
        return None;
    }
    let mut segments = p.path.segments.iter();
    // `before` first: a zip stops at it without taking a segment.
    for (n, s) in before.iter().zip(segments.by_ref()) {
        if s.ident != n || !s.arguments.is_none() {
            return None;
        }
    }
    let s = segments.next()?;
    match &s.arguments {
        syn::PathArguments::AngleBracketed(args)
            if s.ident == name && args.colon2_token.is_none() =>
        {
            Some(args)
        }
        _ => None,
    }
}

fn add_field(s: &mut ItemStruct, template: &syn::Field) -> Option<syn::Ident> {
    let Fields::Named(fields) = &mut s.fields else {
        return None;
    };
    let derives = |w: &str| attr_mentions(&s.attrs, "derive", w);
    // Map<String, Value> is neither Copy, Hash nor Ord.
    if !derives("Deserialize")
        || ["Copy", "Hash", "Ord", "PartialOrd"]
            .iter()
            .any(|w| derives(w))
        || attr_mentions(&s.attrs, "serde", "deny_unknown_fields")
        || fields
            .named
            .iter()
            .any(|f| attr_mentions(&f.attrs, "serde", "flatten"))
    {
        return None;
    }
    let taken = |name: &str| {
        fields
            .named
            .iter()
            .any(|f| f.ident.as_ref().is_some_and(|i| i == name))
    };
    let mut name = String::from("extra_fields");
    while taken(&name) {
        name.push('_');
    }
    let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
    let mut field = template.clone();
    field.ident = Some(ident.clone());
    fields.named.push(field);
    Some(ident)
}

/// Adds the new field to struct literals (`Self { .. }` of the impl's type,
/// or the type named directly) that list every field.
struct Complete<'a> {
    added: &'a BTreeMap<String, syn::Ident>,
    self_name: Option<String>,
}

impl VisitMut for Complete<'_> {
    /// A macro's arguments are tokens to syn: those that read as
    /// expressions (`vec![a, b]`) are completed like any other.
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        type Args = syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>;
        let Ok(mut args) = m.parse_body_with(Args::parse_terminated) else {
            return;
        };
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        m.tokens = quote::quote!(#args);
    }

    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        syn::visit_mut::visit_expr_struct_mut(self, e);
        if e.rest.is_some() || e.dot2_token.is_some() {
            return;
        }
        let name = match e.path.segments.last() {
            Some(s) if s.ident == "Self" && e.path.segments.len() == 1 => self.self_name.clone(),
            Some(s) => Some(s.ident.to_string()),
            None => None,
        };
        let Some(field) = name.and_then(|n| self.added.get(&n)) else {
            return;
        };
        let present = e
            .fields
            .iter()
            .any(|f| matches!(&f.member, syn::Member::Named(i) if i == field));
        if !present {
            e.fields
                .push(syn::parse_quote!(#field: ::std::default::Default::default()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_boxed_option;

    #[test]
    fn struct_literals_of_default_values_get_the_new_field() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Deserialize)]
                pub struct Range { pub end: i64 }
                impl Default for Range { fn default() -> Self { Self { end: 1 } } }
                pub mod defaults {
                    pub(super) fn ranges() -> Vec<super::Range> {
                        vec![super::Range { end: 31_i64 }, super::Range { end: 6_i64 }]
                    }
                    pub(super) fn range() -> super::Range { super::Range { end: 2 } }
                }
            }
        };
        super::keep_unknown_fields(&mut file);
        let text = quote::quote!(#file).to_string();
        assert_eq!(
            text.matches("extra_fields : :: std :: default :: Default :: default ()")
                .count(),
            4,
            "{text}"
        );
    }

    /// The reading off the syntax agrees with the text it replaced.
    #[test]
    fn boxed_options_are_read_off_the_syntax_as_from_the_text() {
        let types = [
            "Box<Option<Foo>>",
            "Box<Option<(u8, u16)>>",
            "Box<Option<Foo>, A>",
            "::std::boxed::Box<::std::option::Option<Vec<u8>>>",
            "::std::boxed::Box<Option<Foo>>",
            "Box<::std::option::Option<Foo>>",
            "std::boxed::Box<std::option::Option<Foo>>",
            "Box<Foo>",
            "Option<Box<Foo>>",
            "Box::<Option<Foo>>",
            "Box<Option>",
            "::std::boxed::Box<::std::option::Option<Foo>>::Assoc",
        ];
        for text in types {
            let p: syn::TypePath = syn::parse_str(text).unwrap();
            let printed = quote::quote!(#p).to_string().replace(' ', "");
            let by_text = printed.starts_with("Box<Option<")
                || printed.starts_with("::std::boxed::Box<::std::option::Option<");
            assert_eq!(is_boxed_option(&p), by_text, "{text}");
        }
    }
}
