//! PATCH tri-state: an optional, nullable property of a request body can
//! be left out, sent as `null`, or sent with a value.
//!
//! typify makes such a property an `Option<T>` that skips `None`, so a
//! client can never send `null` (to clear a field). For every object
//! schema reachable from a request body, each property that is optional
//! and `nullable` becomes a `Patch<T>` field:
//!
//! ```ignore
//! #[serde(default, skip_serializing_if = "Patch::is_absent")]
//! pub body: Patch<String>,        // Absent → left out, Null → null, Value(v) → v
//! ```
//!
//! `Patch<T>` is generated into `mod types` (only when some field uses
//! it), so generated code needs nothing from the runtime for it. It
//! converts from `T` (`.body(String::from("x"))` in the builder sends a
//! value, `.body(Patch::Null)` sends `null`) and deserializes `null` as
//! `Null` and a missing field as `Absent`, so a schema shared with
//! responses still decodes. The type's setter (see `models`) takes any
//! `Into<Patch<T>>` for these fields. Properties that are only reachable from
//! responses, required properties (always sent) and properties whose
//! nullability comes through a `$ref` keep their `Option`. Inline objects
//! inside a body are covered too (by typify's `<Type><Property>` names).

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use quote::format_ident;
use syn::{Fields, Item};

use super::syntax::{item_name, option_inner, types_items};
use crate::document::extensions::PRESENCE_EXTENSION;
use crate::naming::{Case, sanitize};

/// Per Rust type name, the wire names of the properties to rewrite.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    fields: HashMap<String, BTreeSet<String>>,
}

pub(crate) fn plan(api: &OpenAPI) -> Plan {
    let mut plan = Plan::default();
    let Some(components) = api.components.as_ref() else {
        return plan;
    };
    let component = |reference: &str| -> Option<String> {
        reference
            .strip_prefix("#/components/schemas/")
            .map(|n| n.replace("~1", "/").replace("~0", "~"))
    };
    // Component schemas used by request bodies, then everything they use.
    let mut queue: VecDeque<String> = VecDeque::new();
    let bodies = api
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter().map(|(_, op)| op))
        .filter_map(|op| op.request_body.as_ref())
        .chain(components.request_bodies.values());
    for body in bodies {
        let body = match body {
            ReferenceOr::Item(b) => Some(b),
            ReferenceOr::Reference { reference } => reference
                .rsplit('/')
                .next()
                .and_then(|n| components.request_bodies.get(n))
                .and_then(ReferenceOr::as_item),
        };
        for mt in body.into_iter().flat_map(|b| b.content.values()) {
            if let Some(schema) = &mt.schema {
                let value = serde_json::to_value(schema).unwrap_or_default();
                let mut refs = Vec::new();
                collect_refs(&value, &mut refs);
                queue.extend(refs.iter().filter_map(|r| component(r)));
            }
        }
    }
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(ReferenceOr::Item(schema)) = components.schemas.get(&name) else {
            continue;
        };
        let value = serde_json::to_value(schema).unwrap_or_default();
        let mut refs = Vec::new();
        collect_refs(&value, &mut refs);
        queue.extend(refs.iter().filter_map(|r| component(r)));
        object_fields(schema, &sanitize(&name, Case::Pascal), &mut plan, 0);
    }
    plan
}

/// The tri-state properties of an object schema named `type_name`, and of
/// the inline objects inside it, which typify names `<Type><Property>`
/// (`…Item` for array items). A wrong guess of a name only means that no
/// struct is found and nothing is rewritten.
fn object_fields(schema: &Schema, type_name: &str, plan: &mut Plan, depth: usize) {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return;
    };
    if depth > 8 {
        return;
    }
    let mut nullable = BTreeSet::new();
    for (prop, s) in &object.properties {
        let ReferenceOr::Item(s) = s else { continue };
        // An array made `nullable` only to keep `[]` (a union of
        // `required` lists names it: `normalize/unions.rs`) stays an
        // `Option`: the spec does not allow `null` there.
        let kept_empty = s.schema_data.extensions.contains_key(PRESENCE_EXTENSION);
        if !object.required.contains(prop)
            && s.schema_data.nullable
            && s.schema_data.default.is_none()
            && !kept_empty
        {
            nullable.insert(prop.clone());
        }
        let nested = format!("{type_name}{}", sanitize(prop, Case::Pascal));
        object_fields(s, &nested, plan, depth + 1);
        if let SchemaKind::Type(Type::Array(array)) = &s.schema_kind
            && let Some(ReferenceOr::Item(items)) = &array.items
        {
            object_fields(items, &format!("{nested}Item"), plan, depth + 1);
        }
    }
    if !nullable.is_empty() {
        plan.fields.insert(type_name.to_owned(), nullable);
    }
}

fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Rewrites the planned fields; adds `Patch` to `mod types` when used.
pub(crate) fn rewrite(file: &mut syn::File, plan: &Plan) {
    if plan.fields.is_empty() {
        return;
    }
    let Some(items) = types_items(file) else {
        return;
    };
    let taken: HashSet<String> = items.iter().filter_map(item_name).collect();
    let patch = ["Patch", "PatchField", "TriState"]
        .into_iter()
        .find(|n| !taken.contains(*n))
        .map(|n| format_ident!("{}", n))
        .unwrap_or_else(|| format_ident!("CodegenPatch"));
    // Type name → rewritten field idents.
    let mut done: HashMap<String, HashSet<String>> = HashMap::new();
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let Some(wanted) = plan.fields.get(&s.ident.to_string()) else {
            continue;
        };
        let Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            let Some(ident) = &field.ident else { continue };
            let (rename, keys) = serde_keys(&field.attrs);
            let wire = rename
                .clone()
                .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
            if !wanted.contains(&wire) || !keys.iter().any(|k| k == "skip_serializing_if") {
                continue;
            }
            let Some(inner) = option_inner(&field.ty) else {
                continue;
            };
            field.ty = syn::parse_quote!(#patch<#inner>);
            field.attrs.retain(|a| !a.path().is_ident("serde"));
            let skip = format!("{patch}::is_absent");
            field.attrs.push(match &rename {
                Some(r) => {
                    syn::parse_quote!(#[serde(default, rename = #r, skip_serializing_if = #skip)])
                }
                None => syn::parse_quote!(#[serde(default, skip_serializing_if = #skip)]),
            });
            done.entry(s.ident.to_string())
                .or_default()
                .insert(ident.to_string());
        }
    }
    if done.is_empty() {
        return;
    }
    let defs = patch_type(&patch);
    items.splice(0..0, defs);
}

/// The `rename` of a `#[serde(…)]` attribute list, and every key in it.
fn serde_keys(attrs: &[syn::Attribute]) -> (Option<String>, Vec<String>) {
    let mut rename = None;
    let mut keys = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if meta.input.peek(syn::Token![=]) {
                let value: syn::Expr = meta.value()?.parse()?;
                if key == "rename"
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = value
                {
                    rename = Some(s.value());
                }
            }
            keys.push(key);
            Ok(())
        });
    }
    (rename, keys)
}

fn patch_type(patch: &syn::Ident) -> Vec<Item> {
    let file: syn::File = syn::parse_quote! {
        /// A field of a partial update (PATCH): left out of the request,
        /// sent as `null` (to clear it), or sent with a value.
        ///
        /// `Patch::from(value)` (and so any builder setter given a value)
        /// is `Value`; the default is `Absent`. When decoding, a missing
        /// field is `Absent` and `null` is `Null`.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #patch<T> {
            /// Not sent: the server leaves the field unchanged.
            Absent,
            /// Sent as `null`: the server clears the field.
            Null,
            /// Sent with this value.
            Value(T),
        }
        impl<T> #patch<T> {
                /// Whether the field is left out.
                pub fn is_absent(&self) -> bool {
                    matches!(self, Self::Absent)
                }
                /// Whether the field is sent as `null`.
                pub fn is_null(&self) -> bool {
                    matches!(self, Self::Null)
                }
                /// The value, when there is one.
                pub fn as_value(&self) -> ::std::option::Option<&T> {
                    match self {
                        Self::Value(v) => Some(v),
                        _ => None,
                    }
                }
                /// The value, when there is one (`Absent` and `Null` are `None`).
                pub fn into_value(self) -> ::std::option::Option<T> {
                    match self {
                        Self::Value(v) => Some(v),
                        _ => None,
                    }
                }
                /// `Some(v)` → `Value(v)`, `None` → `Null`.
                pub fn from_nullable(value: ::std::option::Option<T>) -> Self {
                    match value {
                        Some(v) => Self::Value(v),
                        None => Self::Null,
                    }
                }
            }
            impl<T> ::std::default::Default for #patch<T> {
                fn default() -> Self {
                    Self::Absent
                }
            }
            impl<T> ::std::convert::From<T> for #patch<T> {
                fn from(value: T) -> Self {
                    Self::Value(value)
                }
            }
            impl<T: ::serde::Serialize> ::serde::Serialize for #patch<T> {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    match self {
                        Self::Value(v) => serializer.serialize_some(v),
                        // `Absent` is skipped by the field attribute; alone it is `null`.
                        Self::Absent | Self::Null => serializer.serialize_none(),
                    }
                }
            }
            impl<'de, T: ::serde::Deserialize<'de>> ::serde::Deserialize<'de> for #patch<T> {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value: ::std::option::Option<T> = ::serde::Deserialize::deserialize(deserializer)?;
                    Ok(Self::from_nullable(value))
                }
            }
    };
    file.items
}
