//! String enums: forward compatible, and always nameable.
//!
//! **Open enums.** typify's string enums fail to decode a value they do
//! not list, so a server that adds a `visibility` breaks every deployed
//! client. Each simple string enum of `mod types` is rewritten to keep
//! such a value instead:
//!
//! ```ignore
//! pub enum Visibility { Private, Unlisted, Public, Unknown(String) }
//! ```
//!
//! with hand-made `Serialize`/`Deserialize` (an unknown string decodes to
//! `Unknown(raw)` and encodes back unchanged), `as_str()`, `Display` and a
//! strict `FromStr` (a typo in code is still an error; build
//! `Unknown(..)` explicitly to send a value this client does not know).
//! `Copy` goes (a `String` is inside). On by default; a spec turns it off
//! with `x-codegen-open-enums: false` at the root, or for one component
//! schema with `x-codegen-open-enum: false` on it. An enum of a single
//! value stays closed: it is a tag (a discriminator, a `const`), and
//! typify's untagged unions tell their variants apart by it.
//!
//! **Variant names.** typify panics ("Failed to make unique variant
//! names") when two values give one Rust name: `.` and `X` both become
//! `X`, `add` and `Add` both `Add`. Before progenitor runs, the values of
//! such a component enum that collide are replaced by unique
//! placeholders that spell the value (`Dot`) or number it (`Add2`), and
//! the rewrite puts the real values back into the wire strings.

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use quote::format_ident;
use syn::{Fields, Item, ItemEnum};

use super::enum_impls::Impls;
use super::syntax::{add_doc, has_doc, serde_rename, types_items};
use crate::naming::{Case, sanitize};

/// The root extension that switches open enums off (`false`).
pub(crate) const OPEN_ENUMS_EXTENSION: &str = "x-codegen-open-enums";
/// The schema extension that switches one enum off (`false`).
pub(crate) const OPEN_ENUM_EXTENSION: &str = "x-codegen-open-enum";

/// What the rewrite needs to know, per Rust type name.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    open_by_default: bool,
    /// Document each variant with its wire value (see `docs`).
    pub(crate) document: bool,
    /// Types whose schema opted out.
    closed: HashSet<String>,
    /// Placeholder → real value, for enums whose values collide.
    placeholders: HashMap<String, HashMap<String, String>>,
}

/// Reads the switches and replaces colliding values by placeholders in
/// `api` (a copy that only progenitor sees).
pub(crate) fn plan(api: &mut OpenAPI) -> Plan {
    let mut plan = Plan {
        open_by_default: api
            .extensions
            .get(OPEN_ENUMS_EXTENSION)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true),
        ..Plan::default()
    };
    let Some(components) = api.components.as_mut() else {
        return plan;
    };
    for (name, schema) in components.schemas.iter_mut() {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let type_name = sanitize(name, Case::Pascal);
        if schema.schema_data.extensions.get(OPEN_ENUM_EXTENSION)
            == Some(&serde_json::Value::Bool(false))
        {
            plan.closed.insert(type_name.clone());
        }
        let SchemaKind::Type(Type::String(string)) = &mut schema.schema_kind else {
            continue;
        };
        let values: Vec<Option<String>> = string.enumeration.clone();
        let real: Vec<&String> = values.iter().flatten().collect();
        let Some(replaced) = unique_names(&real) else {
            continue;
        };
        let mut map = HashMap::new();
        for v in string.enumeration.iter_mut().flatten() {
            if let Some(p) = replaced.get(v.as_str()) {
                map.insert(p.clone(), v.clone());
                *v = p.clone();
            }
        }
        if let Some(serde_json::Value::String(d)) = &schema.schema_data.default
            && let Some(p) = replaced.get(d.as_str())
        {
            schema.schema_data.default = Some(serde_json::Value::String(p.clone()));
        }
        plan.placeholders.insert(type_name, map);
    }
    plan
}

/// For values whose typify variant names collide: value → placeholder
/// (itself a valid, unique variant name). `None` when all are unique.
fn unique_names(values: &[&String]) -> Option<BTreeMap<String, String>> {
    let names: Vec<String> = values.iter().map(|v| sanitize(v, Case::Pascal)).collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for n in &names {
        *count.entry(n.as_str()).or_default() += 1;
    }
    if count.values().all(|c| *c == 1) {
        return None;
    }
    // Values made of identifier characters keep their name; the others
    // (and later duplicates) get a new one. A placeholder is compared by
    // the name typify makes of it, against every name kept, so that it
    // cannot meet the name of a value that did not collide (`add`, `Add`
    // and `add_2`: `Add2` is `add_2`'s).
    let natural = |v: &str| v.chars().any(|c| c.is_alphanumeric());
    let mut used: HashSet<String> = names
        .iter()
        .filter(|n| count[n.as_str()] == 1)
        .cloned()
        .collect();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by_key(|i| !natural(values[*i]));
    let mut out = BTreeMap::new();
    for i in order {
        let v = values[i];
        let name = &names[i];
        if count[name.as_str()] == 1 || (natural(v) && used.insert(name.clone())) {
            continue;
        }
        // The value's own words, then a number: `a_b` → `AB2`.
        let base = if natural(v) { v.clone() } else { spell(v) };
        let mut candidate = base.clone();
        let mut n = 2;
        while used.contains(&sanitize(&candidate, Case::Pascal))
            || values.iter().any(|x| x.as_str() == candidate)
        {
            candidate = format!("{base} {n}");
            n += 1;
        }
        used.insert(sanitize(&candidate, Case::Pascal));
        out.insert(v.clone(), candidate);
    }
    Some(out)
}

/// `.` → `Dot`, `+-` → `PlusMinus`: a name for a value without letters.
fn spell(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        out.push_str(&match c {
            '.' => "Dot".to_owned(),
            ',' => "Comma".to_owned(),
            '-' => "Minus".to_owned(),
            '+' => "Plus".to_owned(),
            '*' => "Star".to_owned(),
            '/' => "Slash".to_owned(),
            '\\' => "Backslash".to_owned(),
            '_' => "Underscore".to_owned(),
            ' ' => "Space".to_owned(),
            ':' => "Colon".to_owned(),
            '=' => "Equals".to_owned(),
            '<' => "Less".to_owned(),
            '>' => "Greater".to_owned(),
            '!' => "Bang".to_owned(),
            '?' => "Question".to_owned(),
            '#' => "Hash".to_owned(),
            '@' => "At".to_owned(),
            '&' => "And".to_owned(),
            '|' => "Pipe".to_owned(),
            '%' => "Percent".to_owned(),
            '$' => "Dollar".to_owned(),
            '~' => "Tilde".to_owned(),
            '^' => "Caret".to_owned(),
            '(' | ')' | '[' | ']' | '{' | '}' => "Bracket".to_owned(),
            c if c.is_numeric() => format!("N{c}"),
            c => format!("U{:X}", c as u32),
        });
    }
    if out.is_empty() {
        "Empty".to_owned()
    } else {
        out
    }
}

/// The `(variant, wire string)` pairs of a simple string enum made by
/// typify: unit variants only, serde derives, no container serde options.
fn simple_variants(e: &ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    let derives = derive_paths(&e.attrs);
    let has = |name: &str| {
        derives
            .iter()
            .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
    };
    if !has("Serialize")
        || !has("Deserialize")
        || e.attrs.iter().any(|a| a.path().is_ident("serde"))
    {
        return None;
    }
    e.variants
        .iter()
        .map(|v| {
            if !matches!(v.fields, Fields::Unit) {
                return None;
            }
            let wire = serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string());
            Some((v.ident.clone(), wire))
        })
        .collect()
}

fn derive_paths(attrs: &[syn::Attribute]) -> Vec<syn::Path> {
    let mut out = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        if let Ok(list) = a.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) {
            out.extend(list);
        }
    }
    out
}

/// Rewrites the enums of `mod types` as planned. New impls follow their
/// enum; typify's `Display`/`FromStr` for a rewritten enum go.
pub(crate) fn rewrite(file: &mut syn::File, plan: &Plan) {
    let Some(items) = types_items(file) else {
        return;
    };
    let rewritten: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if planned(e, plan) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    if rewritten.is_empty() {
        return;
    }
    let impls = Impls::new();
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for mut item in std::mem::take(items) {
        if is_replaced_impl(&item, &rewritten) {
            continue;
        }
        let mut extra: Vec<Item> = Vec::new();
        if let Item::Enum(e) = &mut item
            && rewritten.contains(&e.ident.to_string())
        {
            rewrite_enum(e, plan, &impls, &mut extra);
        }
        out.push(item);
        out.extend(extra);
    }
    *items = out;
}

/// An enum of one value is a tag (a discriminator, a `const`): typify's
/// untagged unions tell their variants apart by it, so it must keep
/// rejecting other values.
fn is_open(name: &str, plan: &Plan, e: &ItemEnum) -> bool {
    plan.open_by_default && !plan.closed.contains(name) && e.variants.len() > 1
}

/// Whether the plan rewrites this enum.
fn planned(e: &ItemEnum, plan: &Plan) -> bool {
    let name = e.ident.to_string();
    (is_open(&name, plan, e) || plan.placeholders.contains_key(&name))
        && simple_variants(e).is_some()
}

fn rewrite_enum(e: &mut ItemEnum, plan: &Plan, impls: &Impls, extra: &mut Vec<Item>) {
    let Some(mut variants) = simple_variants(e) else {
        return;
    };
    let name = e.ident.to_string();
    if let Some(map) = plan.placeholders.get(&name) {
        for (_, wire) in variants.iter_mut() {
            if let Some(real) = map.get(wire) {
                *wire = real.clone();
            }
        }
    }
    if is_open(&name, plan, e) {
        open_enum(e, &variants, plan.document, impls, extra);
    } else {
        // Closed, but with placeholders: put the real values back.
        for (v, (_, wire)) in e.variants.iter_mut().zip(&variants) {
            v.attrs.retain(|a| !a.path().is_ident("serde"));
            v.attrs.push(syn::parse_quote!(#[serde(rename = #wire)]));
        }
        extra.extend(impls.display_and_from_str(&e.ident, &variants, None));
    }
}

/// typify's `Display` or `FromStr` impl for a rewritten enum.
fn is_replaced_impl(item: &Item, rewritten: &HashSet<String>) -> bool {
    let Item::Impl(imp) = item else { return false };
    let Some((_, trait_path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(last) = trait_path.segments.last() else {
        return false;
    };
    if last.ident != "Display" && last.ident != "FromStr" {
        return false;
    }
    match imp.self_ty.as_ref() {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| rewritten.contains(&s.ident.to_string())),
        _ => false,
    }
}

fn open_enum(
    e: &mut ItemEnum,
    variants: &[(syn::Ident, String)],
    document: bool,
    impls: &Impls,
    extra: &mut Vec<Item>,
) {
    // The derives lose serde (hand-written below) and Copy (a String is inside).
    for a in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let kept: Vec<syn::Path> = derive_paths(std::slice::from_ref(a))
            .into_iter()
            .filter(|p| {
                !p.segments.last().is_some_and(|s| {
                    s.ident == "Serialize" || s.ident == "Deserialize" || s.ident == "Copy"
                })
            })
            .collect();
        *a = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    for (v, (_, wire)) in e.variants.iter_mut().zip(variants) {
        v.attrs.retain(|a| !a.path().is_ident("serde"));
        if document && !has_doc(&v.attrs) {
            add_doc(&mut v.attrs, &format!("`{wire}` on the wire."));
        }
    }
    let taken: HashSet<String> = variants.iter().map(|(v, _)| v.to_string()).collect();
    let mut unknown = format_ident!("Unknown");
    let mut n = 1usize;
    while taken.contains(&unknown.to_string()) {
        unknown = if n == 1 {
            format_ident!("UnknownValue")
        } else {
            format_ident!("UnknownValue{}", n)
        };
        n += 1;
    }
    e.variants.push(impls.unknown_variant(&unknown));
    extra.extend(impls.open(&e.ident, variants, &unknown));
    extra.extend(impls.display_and_from_str(&e.ident, variants, Some(&unknown)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn colliding_values_get_placeholders() {
        let v = strings(&[".", "X", "O"]);
        let refs: Vec<&String> = v.iter().collect();
        let m = unique_names(&refs).unwrap();
        assert_eq!(m.get(".").map(String::as_str), Some("Dot"));
        assert_eq!(m.len(), 1);
        let v = strings(&["add", "Add", "remove", "Remove"]);
        let refs: Vec<&String> = v.iter().collect();
        let m = unique_names(&refs).unwrap();
        assert_eq!(m.get("Add").map(String::as_str), Some("Add 2"));
        assert_eq!(m.get("Remove").map(String::as_str), Some("Remove 2"));
        // A placeholder's name is not one a value has: `add_2` is `Add2`.
        let v = strings(&["add", "Add", "add_2", "a-b", "a_b", "A B"]);
        let refs: Vec<&String> = v.iter().collect();
        let m = unique_names(&refs).unwrap();
        let mut names: Vec<String> = v
            .iter()
            .map(|x| sanitize(m.get(x).unwrap_or(x), Case::Pascal))
            .collect();
        assert_eq!(names, ["Add", "Add3", "Add2", "AB", "AB2", "AB3"]);
        names.sort();
        names.dedup();
        assert_eq!(names.len(), v.len());
        let v = strings(&["a", "b"]);
        let refs: Vec<&String> = v.iter().collect();
        assert!(unique_names(&refs).is_none());
    }
}
