//! One type per shape among the types typify names itself.
//!
//! Every inline schema becomes a type named after where it sits:
//! `name: {type: string, minLength: 1, maxLength: 200}` in ten request
//! bodies gives ten newtypes (`CharacterCreateName`, `AlbumCreateName`,
//! …), each with its `Deref`, `FromStr`, `Deserialize` and conversions,
//! identical but for the name. The spec gives these schemas no identity
//! (they have no name there), so when two such types are the same token
//! for token (their items and impls, with the name itself and the doc
//! comments that repeat it set aside), the later one becomes an alias of
//! the first:
//!
//! ```ignore
//! /// `CharacterCreateName`: the same type as [`AlbumCreateName`] (same schema).
//! pub type CharacterCreateName = AlbumCreateName;
//! ```
//!
//! Every name still works; only the impls are not repeated. Named
//! component schemas are never merged (two identical enums of the spec
//! may diverge in its next version), nor is a type that an impl of
//! another type names (merging could make two impls overlap).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use openapiv3::OpenAPI;
use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, format_ident};
use syn::Item;
use syn::visit_mut::VisitMut;

use crate::naming::{Case, sanitize};

/// Replaces duplicate inline types of `mod types` by aliases.
pub(crate) fn merge_duplicates(file: &mut syn::File, api: &OpenAPI) {
    let Some(items) = super::syntax::types_items(file) else {
        return;
    };
    let named: HashSet<String> = api
        .components
        .iter()
        .flat_map(|c| c.schemas.keys())
        .map(|n| sanitize(n, Case::Pascal))
        .collect();
    // Candidates: structs, enums and newtypes typify named itself.
    let candidates: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if s.generics.params.is_empty() => Some(s.ident.to_string()),
            Item::Enum(e) if e.generics.params.is_empty() => Some(e.ident.to_string()),
            _ => None,
        })
        .filter(|n| !named.contains(n))
        .collect();
    if candidates.len() < 2 {
        return;
    }
    let defined: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    // Each impl belongs to the candidate it is for (`impl X`, `impl T for
    // X`, or `impl From<X> for String`); a candidate named by an impl it
    // does not own is left alone.
    let mut owner: Vec<Option<String>> = vec![None; items.len()];
    let mut excluded: HashSet<String> = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Struct(s) if candidates.contains(&s.ident.to_string()) => {
                owner[i] = Some(s.ident.to_string());
            }
            Item::Enum(e) if candidates.contains(&e.ident.to_string()) => {
                owner[i] = Some(e.ident.to_string());
            }
            Item::Impl(imp) => {
                let mentioned: Vec<String> = idents(&imp.self_ty.to_token_stream())
                    .into_iter()
                    .chain(
                        imp.trait_
                            .iter()
                            .flat_map(|(_, path, _)| idents(&path.to_token_stream())),
                    )
                    .filter(|n| candidates.contains(n))
                    .collect();
                let self_is = match imp.self_ty.as_ref() {
                    syn::Type::Path(p) if p.path.segments.len() == 1 => {
                        Some(p.path.segments[0].ident.to_string())
                    }
                    _ => None,
                };
                // `impl From<X> for String` is X's; `impl From<X> for Shape`
                // is Shape's, and merging X could make two of them overlap.
                let own = match &self_is {
                    Some(s) if candidates.contains(s) => Some(s.clone()),
                    Some(s) if defined.contains(s) => None,
                    _ if mentioned.len() == 1 => Some(mentioned[0].clone()),
                    _ => None,
                };
                for m in &mentioned {
                    if Some(m) != own.as_ref() {
                        excluded.insert(m.clone());
                    }
                }
                owner[i] = own;
            }
            _ => {}
        }
    }
    // A newtype built or matched by name elsewhere (`X(value)`, in a
    // default) cannot become an alias: an alias is no constructor.
    let newtypes: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if matches!(s.fields, syn::Fields::Unnamed(_)) => {
                Some(s.ident.to_string())
            }
            _ => None,
        })
        .filter(|n| candidates.contains(n))
        .collect();
    for (i, item) in items.iter_mut().enumerate() {
        if matches!(
            item,
            Item::Struct(_) | Item::Enum(_) | Item::Type(_) | Item::Use(_)
        ) {
            continue;
        }
        let mut calls = Constructed {
            names: &newtypes,
            owner: owner[i].as_deref(),
            found: &mut excluded,
        };
        calls.visit_item_mut(item);
    }
    // The shape of each candidate: its items with its name blanked. The
    // first type (in file order) of each shape is kept.
    let mut shapes: HashMap<String, Vec<Item>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(name) = &owner[i] else { continue };
        if excluded.contains(name) {
            continue;
        }
        let mut blanked = item.clone();
        Blank { name }.visit_item_mut(&mut blanked);
        shapes.entry(name.clone()).or_default().push(blanked);
    }
    // Hashing a shape hashes every token of it: sized once, each hashed once.
    let mut first: HashMap<&Vec<Item>, String> = HashMap::with_capacity(shapes.len());
    let mut alias_of: HashMap<String, String> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let name = match item {
            Item::Struct(s) => s.ident.to_string(),
            Item::Enum(e) => e.ident.to_string(),
            _ => continue,
        };
        if owner[i].as_ref() != Some(&name) {
            continue;
        }
        let Some(shape) = shapes.get(&name) else {
            continue;
        };
        match first.entry(shape) {
            Entry::Occupied(kept) => {
                alias_of.insert(name, kept.get().clone());
            }
            Entry::Vacant(slot) => {
                slot.insert(name);
            }
        }
    }
    if alias_of.is_empty() {
        return;
    }
    let old = std::mem::take(items);
    for (i, item) in old.into_iter().enumerate() {
        let Some(name) = &owner[i] else {
            items.push(item);
            continue;
        };
        let Some(kept) = alias_of.get(name) else {
            items.push(item);
            continue;
        };
        // The type itself becomes the alias; its impls go.
        if matches!(item, Item::Struct(_) | Item::Enum(_)) {
            let alias = format_ident!("{}", name);
            let target = format_ident!("{}", kept);
            let doc = format!(" `{name}`: the same type as [`{kept}`] (same schema).");
            items.push(syn::parse_quote! {
                #[doc = #doc]
                pub type #alias = #target;
            });
        }
    }
}

/// Records the `names` called or matched like tuple structs (`X(..)`)
/// in an item other than `owner`'s own.
struct Constructed<'a> {
    names: &'a HashSet<String>,
    owner: Option<&'a str>,
    found: &'a mut HashSet<String>,
}

impl Constructed<'_> {
    fn note(&mut self, path: &syn::Path) {
        if let Some(last) = path.segments.last() {
            let name = last.ident.to_string();
            if self.names.contains(&name) && self.owner != Some(name.as_str()) {
                self.found.insert(name);
            }
        }
    }
}

impl VisitMut for Constructed<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(p) = call.func.as_ref() {
            self.note(&p.path);
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }

    fn visit_pat_tuple_struct_mut(&mut self, pat: &mut syn::PatTupleStruct) {
        self.note(&pat.path);
        syn::visit_mut::visit_pat_tuple_struct_mut(self, pat);
    }

    // typify writes defaults of arrays as `vec![X("a".to_string())]`,
    // whose calls syn leaves as tokens: a name followed by `( … )` there
    // is a call too (an alias cannot be called like its tuple struct).
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        self.note_tokens(mac.tokens.clone());
    }
}

impl Constructed<'_> {
    fn note_tokens(&mut self, tokens: TokenStream) {
        let mut previous: Option<String> = None;
        for token in tokens {
            match token {
                TokenTree::Ident(ident) => previous = Some(ident.to_string()),
                TokenTree::Group(group) => {
                    if group.delimiter() == proc_macro2::Delimiter::Parenthesis
                        && let Some(name) = previous.take()
                        && self.names.contains(&name)
                        && self.owner != Some(name.as_str())
                    {
                        self.found.insert(name);
                    }
                    self.note_tokens(group.stream());
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => previous = None,
            }
        }
    }
}

/// Replaces the identifier `name`, and its mentions in string literals
/// (doc comments), by a placeholder.
struct Blank<'a> {
    name: &'a str,
}

impl VisitMut for Blank<'_> {
    fn visit_ident_mut(&mut self, i: &mut proc_macro2::Ident) {
        if i == self.name {
            *i = format_ident!("__Self");
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let value = lit.value();
        if value.contains(self.name) {
            *lit = syn::LitStr::new(&value.replace(self.name, "__Self"), lit.span());
        }
    }
}

/// Identifiers in `tokens`, at any depth.
fn idents(tokens: &TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for tt in tokens.clone() {
        match tt {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => out.extend(idents(&g.stream())),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(file: &mut syn::File) -> Vec<String> {
        super::super::syntax::types_items(file)
            .unwrap()
            .iter()
            .filter_map(|item| match item {
                Item::Type(t) => Some(t.ident.to_string()),
                _ => None,
            })
            .collect()
    }

    /// typify's default of an array of newtypes calls the newtype inside
    /// `vec![…]` (specfuzz seed 17 #74): an alias could not be called so.
    #[test]
    fn a_newtype_called_inside_a_macro_is_not_merged() {
        let file = |defaults: TokenStream| -> syn::File {
            syn::parse_quote! {
                pub mod types {
                    pub struct AItem(String);
                    pub struct BItem(String);
                    pub mod defaults {
                        #defaults
                    }
                }
            }
        };
        let api: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}
        }))
        .unwrap();
        let mut called = file(quote::quote! {
            pub(super) fn b() -> Vec<super::BItem> { vec![super::BItem("a".to_string())] }
        });
        merge_duplicates(&mut called, &api);
        assert!(aliases(&mut called).is_empty());
        let mut not_called = file(quote::quote! {
            pub(super) fn b() -> Vec<super::BItem> { Vec::new() }
        });
        merge_duplicates(&mut not_called, &api);
        assert_eq!(aliases(&mut not_called), ["BItem"]);
    }
}
