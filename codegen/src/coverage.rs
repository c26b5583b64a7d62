//! Typed coverage: how much of a spec the generated client types, and
//! what it does not, with why — printed by `regen` and `corpus` and
//! written by `corpus --report`.
//!
//! Measured on what was generated, not predicted: a component schema is
//! untyped when its Rust type in `types` is (a newtype or an alias of)
//! `serde_json::Value`. That is either what the spec says (`{}` allows any
//! value) or a degradation (a construct with no typed shape, warned where
//! it is written); only the second counts against coverage.

use openapiv3::OpenAPI;
use serde::Serialize;
use syn::{Fields, Item, Type};

use crate::diagnostic::Diagnostic;
use crate::document::pointer::escape_token;
use crate::naming::{Case, sanitize};

/// How much of a spec is typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Operations in the generated client.
    pub operations: usize,
    /// Operations generated with a raw body or an undecoded response
    /// instead of a typed one: `(operation pointer, why)`.
    pub operations_degraded: Vec<(String, String)>,
    /// Component schemas (after normalization: hoisted bodies included).
    pub schemas: usize,
    /// Schemas the spec itself leaves untyped (any JSON value).
    pub schemas_any_by_spec: Vec<String>,
    /// Schemas that became `serde_json::Value` although the spec gives them
    /// a shape: `(name, why)`.
    pub schemas_degraded: Vec<(String, String)>,
    /// Names the generator had to give instead of the spec's, because two
    /// things would have had one Rust name (types, fields, setters).
    pub renamed: usize,
    /// What generation degraded after progenitor or typify failed on it
    /// (quarantine): `(pointer, what happened)`.
    pub quarantined: Vec<(String, String)>,
    /// List operations whose builder pages (`pages()`, `stream()`):
    /// `(operation pointer, how: the extension or `inferred`, and the kind)`.
    pub paginated: Vec<(String, String)>,
    /// Operations that look like lists but return one page:
    /// `(operation pointer, why)`.
    pub single_page: Vec<(String, String)>,
    /// Types written as an enum without variants: no value decodes into
    /// them (typify read their schema as admitting none). A spec that
    /// means something is never right to type so; the corpus check fails
    /// on it.
    pub uninhabited: Vec<String>,
}

impl Coverage {
    /// Share of the schemas that are typed as the spec means them, in percent.
    pub fn schemas_typed_percent(&self) -> f64 {
        if self.schemas == 0 {
            return 100.0;
        }
        let typed = self.schemas - self.schemas_degraded.len();
        100.0 * typed as f64 / self.schemas as f64
    }

    /// One line: `12/12 operations typed, 40/41 schemas (97.6 %), 2 any by the spec`,
    /// then what was renamed or quarantined, when anything was.
    pub fn summary(&self) -> String {
        let typed_ops = self.operations - self.operations_degraded.len();
        let mut line = format!(
            "{typed_ops}/{} operations typed, {}/{} schemas typed ({:.1} %), {} any by the spec",
            self.operations,
            self.schemas - self.schemas_degraded.len(),
            self.schemas,
            self.schemas_typed_percent(),
            self.schemas_any_by_spec.len()
        );
        if self.renamed > 0 {
            line.push_str(&format!(", {} renamed", self.renamed));
        }
        if !self.quarantined.is_empty() {
            line.push_str(&format!(", {} quarantined", self.quarantined.len()));
        }
        if !self.uninhabited.is_empty() {
            line.push_str(&format!(
                ", {} types no value inhabits ({})",
                self.uninhabited.len(),
                self.uninhabited.join(", ")
            ));
        }
        if !self.paginated.is_empty() || !self.single_page.is_empty() {
            line.push_str(&format!(
                ", {} list operations paged ({} inferred), {} single-page",
                self.paginated.len(),
                self.paginated
                    .iter()
                    .filter(|(_, how)| how.starts_with("inferred"))
                    .count(),
                self.single_page.len()
            ));
        }
        line
    }
}

/// What a warning says of a name the generator gave instead of the spec's.
const RENAMED: [&str; 3] = ["; it is generated as", "; its field is", "; its setter is"];

/// What a warning of quarantine says (`quarantine.rs`).
const QUARANTINED: [&str; 2] = ["progenitor failed on ", "the generator failed on "];

/// What a warning says of an operation that makes it degraded.
const OPERATION_DEGRADED: [&str; 3] = ["not decoded", "raw body", "left out of the client"];

pub(crate) fn measure(api: &OpenAPI, file: &syn::File, warnings: &[Diagnostic]) -> Coverage {
    let mut coverage = Coverage::default();
    let paged = paged_operations(file);
    for w in warnings {
        if RENAMED.iter().any(|m| w.message.contains(m)) {
            coverage.renamed += 1;
        }
        if QUARANTINED.iter().any(|m| w.message.starts_with(m)) {
            coverage
                .quarantined
                .push((w.pointer.clone().unwrap_or_default(), w.message.clone()));
        }
    }
    for (path, item) in &api.paths.paths {
        let Some(item) = item.as_item() else {
            continue;
        };
        for (method, op) in crate::document::operations::typed_operations(item) {
            coverage.operations += 1;
            let ptr = format!("/paths/{}/{method}", escape_token(path));
            pagination(&mut coverage, &ptr, op, &paged, method, path);
            let why = warnings.iter().find(|w| {
                w.pointer.as_deref().is_some_and(|p| p.starts_with(&ptr))
                    && OPERATION_DEGRADED.iter().any(|m| w.message.contains(m))
            });
            if let Some(w) = why {
                coverage.operations_degraded.push((ptr, w.message.clone()));
            }
        }
    }
    coverage.uninhabited = uninhabited(file);
    let untyped = value_types(file);
    if let Some(components) = &api.components {
        for (name, schema) in &components.schemas {
            coverage.schemas += 1;
            if !untyped.contains(&sanitize(name, Case::Pascal)) {
                continue;
            }
            let ptr = format!("/components/schemas/{}", escape_token(name));
            let degraded = warnings.iter().find(|w| {
                w.pointer.as_deref().is_some_and(|p| p.starts_with(&ptr))
                    && w.message.contains("any JSON value")
            });
            match degraded {
                Some(w) => coverage
                    .schemas_degraded
                    .push((name.clone(), w.message.clone())),
                None if is_any(schema) => coverage.schemas_any_by_spec.push(name.clone()),
                None => coverage.schemas_degraded.push((
                    name.clone(),
                    "the generator gives it no type of its own".to_owned(),
                )),
            }
        }
    }
    coverage
}

/// Whether the spec allows any JSON value here (a schema with no type,
/// properties, items or composition).
fn is_any(schema: &openapiv3::ReferenceOr<openapiv3::Schema>) -> bool {
    match schema {
        openapiv3::ReferenceOr::Reference { .. } => false,
        openapiv3::ReferenceOr::Item(s) => matches!(
            &s.schema_kind,
            openapiv3::SchemaKind::Any(any)
                if any.typ.is_none()
                    && any.properties.is_empty()
                    && any.items.is_none()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
                    && any.one_of.is_empty()
                    && any.enumeration.is_empty()
        ),
    }
}

/// Names of the items of `mod types` that are `serde_json::Value` under
/// another name.
/// The enums of `mod types` without a variant.
fn uninhabited(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .filter_map(|item| match item {
            Item::Enum(e) if e.variants.is_empty() => Some(e.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn value_types(file: &syn::File) -> Vec<String> {
    let mut out = Vec::new();
    for item in &file.items {
        let Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            match item {
                Item::Struct(s) => {
                    if let Fields::Unnamed(f) = &s.fields
                        && f.unnamed.len() == 1
                        && is_value(&f.unnamed[0].ty)
                    {
                        out.push(s.ident.to_string());
                    }
                }
                Item::Type(t) if is_value(&t.ty) => out.push(t.ident.to_string()),
                _ => {}
            }
        }
    }
    out
}

fn is_value(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let names: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    names.ends_with(&["serde_json".to_owned(), "Value".to_owned()])
}

/// `METHOD path` of the entries of the generated `pagination` table, read
/// off their doc lines (`` `GET /notes`: how ``).
fn paged_operations(file: &syn::File) -> Vec<String> {
    let Some(items) = file.items.iter().find_map(|i| match i {
        Item::Mod(m) if m.ident == "pagination" => m.content.as_ref().map(|(_, c)| c),
        _ => None,
    }) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Item::Static(s) = item else { return None };
            s.attrs.iter().find_map(|a| {
                let syn::Meta::NameValue(nv) = &a.meta else {
                    return None;
                };
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(doc),
                    ..
                }) = &nv.value
                else {
                    return None;
                };
                let doc = doc.value();
                let quoted = doc.trim().strip_prefix('`')?;
                Some(quoted[..quoted.find('`')?].to_owned())
            })
        })
        .collect()
}

/// Where `op` stands among the list operations: paged (as the plan says,
/// when the generated table has it), or single-page and why.
fn pagination(
    coverage: &mut Coverage,
    ptr: &str,
    op: &openapiv3::Operation,
    paged: &[String],
    method: &str,
    path: &str,
) {
    use crate::document::extensions::{PAGINATION_EXTENSION, SINGLE_PAGE_EXTENSION};
    if let Some(plan) = op.extensions.get(PAGINATION_EXTENSION) {
        let how = plan
            .get("how")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if paged.contains(&format!("{} {path}", method.to_uppercase())) {
            coverage.paginated.push((ptr.to_owned(), how));
        } else {
            coverage.single_page.push((
                ptr.to_owned(),
                format!("{how}, but its success body is not JSON the builder decodes"),
            ));
        }
    } else if let Some(why) = op
        .extensions
        .get(SINGLE_PAGE_EXTENSION)
        .and_then(serde_json::Value::as_str)
    {
        coverage.single_page.push((ptr.to_owned(), why.to_owned()));
    }
}
