//! Short paths where they cannot be misread.
//!
//! typify and progenitor spell every standard type out in full
//! (`::std::option::Option<::std::string::String>`), because a schema may
//! be called `Option` or `String` and shadow the prelude. Most specs have
//! no such schema, and the long spelling is a third of the tokens of the
//! types and makes prettyplease wrap attributes and signatures over
//! several lines. So in `mod types` and `mod builder` (and the modules
//! inside them), each prelude name is written short unless the module
//! defines or imports an item of that name, or imports with a glob; the
//! same goes for the `skip_serializing_if = "::std::option::Option::is_none"`
//! strings of serde attributes. In `mod builder`, reqwest's header names
//! and `HeaderValue`/`HeaderMap` get a `use` and are written short too,
//! under the same rule.

use std::collections::{BTreeSet, HashSet};

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;
use syn::{Item, ItemMod};

/// `::std::<module>::<Name>` of the prelude names the generators spell out.
const PRELUDE: [(&str, &str); 10] = [
    ("option", "Option"),
    ("string", "String"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("result", "Result"),
    ("default", "Default"),
    ("convert", "From"),
    ("convert", "TryFrom"),
    ("convert", "Into"),
    ("ops", "FnOnce"),
];

/// `::reqwest::header::<Name>` imported into `mod builder`.
const HEADER: [&str; 4] = ["ACCEPT", "CONTENT_TYPE", "HeaderValue", "HeaderMap"];

/// Shortens the paths of `mod types` and `mod builder` (the generator
/// runs [`Shortener`] inside its one walk of those modules instead).
#[cfg(test)]
pub(crate) fn shorten(file: &mut syn::File) {
    for item in &mut file.items {
        if let Item::Mod(m) = item
            && (m.ident == "types" || m.ident == "builder")
        {
            shorten_mod(m, m.ident == "builder");
        }
    }
}

fn shorten_mod(m: &mut ItemMod, headers: bool) {
    let Some((_, items)) = &mut m.content else {
        return;
    };
    let Some(mut short) = Shortener::new(items, headers) else {
        return;
    };
    for item in items.iter_mut() {
        short.item(item);
    }
    short.finish(items);
}

/// Shortens the paths of one module, an item at a time: [`Shortener::new`]
/// on the module's items, [`Shortener::item`] on each, then
/// [`Shortener::finish`].
pub(crate) struct Shortener(Shorten);

impl Shortener {
    /// None when the module imports with a glob (any name may be shadowed:
    /// the module is left alone). `headers`: also shorten reqwest's header
    /// names (in `mod builder`).
    pub(crate) fn new(items: &[Item], headers: bool) -> Option<Shortener> {
        let mut names = HashSet::new();
        for item in items {
            if !item_names(item, &mut names) {
                return None;
            }
        }
        Some(Shortener(Shorten {
            prelude: PRELUDE
                .iter()
                .filter(|(_, name)| !names.contains(*name))
                .copied()
                .collect(),
            headers: if headers {
                HEADER
                    .iter()
                    .filter(|name| !names.contains(**name))
                    .copied()
                    .collect()
            } else {
                Vec::new()
            },
            used: BTreeSet::new(),
        }))
    }

    /// Shortens one item of the module (an inner module by its own rules).
    pub(crate) fn item(&mut self, item: &mut Item) {
        match item {
            Item::Mod(inner) => shorten_mod(inner, false),
            other => self.0.visit_item_mut(other),
        }
    }

    /// Imports the header names written short.
    pub(crate) fn finish(self, items: &mut Vec<Item>) {
        if self.0.used.is_empty() {
            return;
        }
        let used = self.0.used.iter().map(|n| quote::format_ident!("{}", n));
        let at = items
            .iter()
            .position(|i| !matches!(i, Item::Use(_)))
            .unwrap_or(items.len());
        items.insert(at, syn::parse_quote!(use ::reqwest::header::{#(#used),*};));
    }
}

/// Adds the names `item` defines or imports; false for a glob import.
fn item_names(item: &Item, names: &mut HashSet<String>) -> bool {
    let name = match item {
        Item::Struct(s) => &s.ident,
        Item::Enum(e) => &e.ident,
        Item::Type(t) => &t.ident,
        Item::Mod(m) => &m.ident,
        Item::Trait(t) => &t.ident,
        Item::Fn(f) => &f.sig.ident,
        Item::Const(c) => &c.ident,
        Item::Static(s) => &s.ident,
        Item::Union(u) => &u.ident,
        Item::Macro(m) => match &m.ident {
            Some(i) => i,
            None => return true,
        },
        Item::Use(u) => return use_names(&u.tree, names),
        _ => return true,
    };
    names.insert(name.to_string());
    true
}

fn use_names(tree: &syn::UseTree, names: &mut HashSet<String>) -> bool {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, names),
        syn::UseTree::Name(n) => {
            names.insert(n.ident.to_string());
            true
        }
        syn::UseTree::Rename(r) => {
            names.insert(r.rename.to_string());
            true
        }
        syn::UseTree::Glob(_) => false,
        syn::UseTree::Group(g) => g.items.iter().all(|t| use_names(t, names)),
    }
}

struct Shorten {
    prelude: Vec<(&'static str, &'static str)>,
    headers: Vec<&'static str>,
    /// Header names written short (to import).
    used: BTreeSet<&'static str>,
}

impl Shorten {
    /// How many leading segments of `::a::b::c…` to drop, if any.
    fn cut(&mut self, segments: &[String]) -> Option<usize> {
        match segments {
            [std, module, name, ..] if std == "std" => self
                .prelude
                .iter()
                .any(|(m, n)| m == module && n == name)
                .then_some(2),
            [reqwest, header, name, ..] if reqwest == "reqwest" && header == "header" => {
                let found = self.headers.iter().find(|h| **h == name)?;
                self.used.insert(found);
                Some(2)
            }
            _ => None,
        }
    }
}

impl VisitMut for Shorten {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_some() && path.segments.len() >= 3 {
            let plain = path
                .segments
                .iter()
                .take(2)
                .all(|s| matches!(s.arguments, syn::PathArguments::None));
            let idents: Vec<String> = path
                .segments
                .iter()
                .take(3)
                .map(|s| s.ident.to_string())
                .collect();
            if plain && let Some(n) = self.cut(&idents) {
                let rest: Vec<syn::PathSegment> = path.segments.iter().skip(n).cloned().collect();
                path.leading_colon = None;
                path.segments = rest.into_iter().collect();
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    /// `<T as ::std::convert::TryFrom<u64>>::Error`: the `as` trait's
    /// segments are counted by `qself.position`, which must follow a cut.
    fn visit_type_path_mut(&mut self, t: &mut syn::TypePath) {
        let before = t.path.segments.len();
        syn::visit_mut::visit_type_path_mut(self, t);
        if let Some(q) = &mut t.qself {
            q.position -= before - t.path.segments.len();
        }
    }

    fn visit_expr_path_mut(&mut self, e: &mut syn::ExprPath) {
        let before = e.path.segments.len();
        syn::visit_mut::visit_expr_path_mut(self, e);
        if let Some(q) = &mut e.qself {
            q.position -= before - e.path.segments.len();
        }
    }

    /// `#[serde(skip_serializing_if = "::std::option::Option::is_none")]`.
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if attr.path().is_ident("serde")
            && let syn::Meta::List(list) = &mut attr.meta
        {
            list.tokens = self.strings(std::mem::take(&mut list.tokens));
        }
    }
}

impl Shorten {
    fn strings(&mut self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tt| match tt {
                TokenTree::Literal(lit) => TokenTree::Literal(self.string(lit)),
                TokenTree::Group(g) => {
                    let mut new = Group::new(g.delimiter(), self.strings(g.stream()));
                    new.set_span(g.span());
                    TokenTree::Group(new)
                }
                other => other,
            })
            .collect()
    }

    fn string(&mut self, lit: Literal) -> Literal {
        let Ok(s) = syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into()) else {
            return lit;
        };
        let value = s.value();
        let Some(rest) = value.strip_prefix("::") else {
            return lit;
        };
        let segments: Vec<String> = rest.split("::").map(str::to_owned).collect();
        // Only the standard prelude: a path in a string is not an import.
        if segments.first().map(String::as_str) != Some("std") {
            return lit;
        }
        match self.cut(&segments) {
            Some(n) => {
                let mut short = Literal::string(&segments[n..].join("::"));
                short.set_span(lit.span());
                short
            }
            None => lit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str) -> String {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        shorten(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn shortens_unless_shadowed() {
        let out = run(r#"pub mod types {
                pub struct A { #[serde(skip_serializing_if = "::std::option::Option::is_none")] pub x: ::std::option::Option<::std::string::String> }
            }"#);
        assert!(
            out.contains("#[serde(skip_serializing_if = \"Option::is_none\")]"),
            "{out}"
        );
        assert!(out.contains("pub x: Option<String>"), "{out}");
        let out = run(
            "pub mod types { pub struct String; pub struct A { pub x: ::std::option::Option<::std::string::String> } }",
        );
        assert!(
            out.contains("pub x: Option<::std::string::String>"),
            "{out}"
        );
        let out = run(
            "pub mod types { use super::*; pub struct A { pub x: ::std::option::Option<u8> } }",
        );
        assert!(out.contains("::std::option::Option<u8>"), "{out}");
    }

    #[test]
    fn qualified_paths_keep_their_trait() {
        let out = run(
            "pub mod types { pub(super) fn f<T>() -> T where T: ::std::convert::TryFrom<u64>, <T as ::std::convert::TryFrom<u64>>::Error: ::std::fmt::Debug { todo!() } pub fn g() -> u8 { <u8 as ::std::default::Default>::default() } }",
        );
        assert!(
            out.contains("<T as TryFrom<u64>>::Error: ::std::fmt::Debug"),
            "{out}"
        );
        assert!(out.contains("<u8 as Default>::default()"), "{out}");
    }

    #[test]
    fn imports_header_names_into_builder() {
        let out = run(
            "pub mod builder { use super::types; fn f() { let _ = ::reqwest::header::HeaderValue::from_static(\"x\"); } }",
        );
        assert!(
            out.contains("use ::reqwest::header::{HeaderValue};")
                || out.contains("use ::reqwest::header::HeaderValue;"),
            "{out}"
        );
        assert!(out.contains("let _ = HeaderValue::from_static"), "{out}");
    }
}
