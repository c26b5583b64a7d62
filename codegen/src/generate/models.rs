//! Setters on the models that requests carry, instead of a second
//! builder type per schema.
//!
//! typify's struct builders (`types::builder::X`, one per schema, with a
//! `Result<_, String>` slot and a generic `TryInto` setter per field and
//! conversions both ways) were half of the generated lines. What users
//! need from them is a short way to write a request body, so every
//! struct reachable from an operation's parameters (a body, and the
//! types inside it) gets, on itself:
//!
//! ```ignore
//! impl CharacterUpdate {
//!     /// all fields optional (the type has a `Default`): an empty value
//!     pub fn builder() -> Self { .. }
//!     pub fn name(mut self, value: impl Into<Option<String>>) -> Self { .. }
//! }
//! impl CharacterCreate {
//!     /// required fields: taken by `new`, the others start empty
//!     pub fn new(name: CharacterCreateName) -> Self { .. }
//!     pub fn description(mut self, value: impl Into<Option<String>>) -> Self { .. }
//! }
//! ```
//!
//! so that `CharacterUpdate::builder().name(String::from("Nova"))` is
//! the body itself (no conversion, nothing to fail at `send()`). A setter
//! takes what converts into the field's type (`T` or `None` for an
//! `Option<T>`, `T` or `Patch::Null` for a `Patch<T>`). Types only ever
//! received get no setters (they would cost compile time for every user
//! and help few), but still a way to write one, for a typed mock's answer
//! or a test: their `Default` when every field is optional, else `new` of
//! the required fields, the others public to set. Every model compares
//! with `PartialEq` (floats and JSON values included: not `Eq`).
//! A field whose name would shadow a method of a common trait (`clone`,
//! `into`, …) or the constructor gets no setter; it stays a public field.

use std::collections::{BTreeMap, HashSet, VecDeque};

use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Fields, Item, Type};

use super::syntax::{derives, is_flattened, item_name, wire_name, with_default};

/// Method names a setter must not take: the constructors, and methods of
/// traits the models implement or users call on them (an inherent method
/// of the same name would win at every `value.clone()`).
const RESERVED: [&str; 22] = [
    "builder",
    "new",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "hash",
    "cmp",
    "partial_cmp",
    "default",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "to_string",
    "serialize",
    "deserialize",
    "as_ref",
    "borrow",
    "type_id",
];

/// Adds constructors and setters to the structs of `mod types` that
/// operation parameters reach, and a constructor (or `Default`) to the
/// others.
pub(crate) fn add_setters(file: &mut syn::File, document: bool) {
    let roots = builder_field_types(file);
    let Some(items) = super::syntax::types_items(file) else {
        return;
    };
    let reachable = reachable(items, roots);
    let taken: HashSet<String> = items.iter().filter_map(item_name).collect();
    let with_default = with_default(items);
    let setter = Setter::new(taken.contains("Into"));
    let mut out = Vec::with_capacity(items.len() + reachable.len());
    for item in std::mem::take(items) {
        let extra = match &item {
            Item::Struct(s) => setters(
                s,
                with_default.contains(&s.ident.to_string()),
                reachable.contains(&s.ident.to_string()).then_some(&setter),
                document,
            ),
            _ => None,
        };
        out.push(item);
        out.extend(extra.into_iter().flatten());
    }
    *items = out;
}

/// The identifier and type a setter template is written with.
const IDENT: &str = "__codegen_field";
const TYPE: &str = "__CodegenType";

/// A setter, parsed once per run and specialised for each field by
/// cloning: quoting each of the thousands of setters of a large spec and
/// parsing the tokens again took most of this pass's time.
struct Setter {
    template: syn::ImplItemFn,
    doc: syn::Attribute,
}

impl Setter {
    /// `Into` spelled out when `mod types` has a type of that name.
    fn new(into_taken: bool) -> Setter {
        let field = syn::Ident::new(IDENT, proc_macro2::Span::call_site());
        let ty = syn::Ident::new(TYPE, proc_macro2::Span::call_site());
        let into = if into_taken {
            quote!(::std::convert::Into)
        } else {
            quote!(Into)
        };
        Setter {
            template: syn::parse_quote! {
                pub fn #field(mut self, value: impl #into<#ty>) -> Self {
                    self.#field = value.into();
                    self
                }
            },
            doc: syn::parse_quote!(#[doc = ""]),
        }
    }

    /// The setter of `ident: ty`, with `doc` if any.
    fn of(&self, ident: &syn::Ident, ty: &Type, doc: Option<&str>) -> syn::ImplItem {
        let mut f = self.template.clone();
        Substitute { ident, ty }.visit_impl_item_fn_mut(&mut f);
        if let Some(doc) = doc {
            let mut attr = self.doc.clone();
            if let syn::Meta::NameValue(nv) = &mut attr.meta {
                nv.value = syn::Expr::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: syn::Lit::Str(syn::LitStr::new(doc, proc_macro2::Span::call_site())),
                });
            }
            f.attrs.insert(0, attr);
        }
        syn::ImplItem::Fn(f)
    }
}

/// The template's placeholders → a field's identifier and type.
struct Substitute<'a> {
    ident: &'a syn::Ident,
    ty: &'a Type,
}

impl VisitMut for Substitute<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(TYPE)) {
            *ty = self.ty.clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if ident == IDENT {
            *ident = self.ident.clone();
        }
    }
}

fn self_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.path.segments.len() == 1 => Some(p.path.segments[0].ident.to_string()),
        _ => None,
    }
}

/// Every identifier in the field types of `mod builder`'s structs: the
/// types operation parameters hold.
fn builder_field_types(file: &syn::File) -> Vec<String> {
    let mut out = Vec::new();
    for item in &file.items {
        let Item::Mod(m) = item else { continue };
        if m.ident != "builder" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            if let Item::Struct(s) = item {
                for f in &s.fields {
                    idents(&f.ty, &mut out);
                }
            }
        }
    }
    out
}

/// The identifiers of every path segment in `ty`.
fn idents(ty: &Type, out: &mut Vec<String>) {
    struct Collect<'a>(&'a mut Vec<String>);
    impl VisitMut for Collect<'_> {
        fn visit_path_segment_mut(&mut self, seg: &mut syn::PathSegment) {
            self.0.push(seg.ident.to_string());
            syn::visit_mut::visit_path_segment_mut(self, seg);
        }
    }
    // syn's read-only visitor is not enabled; types are small.
    Collect(out).visit_type_mut(&mut ty.clone());
}

/// Names of the `mod types` structs reachable from `roots` through field,
/// variant and alias types.
fn reachable(items: &[Item], roots: Vec<String>) -> HashSet<String> {
    let by_name: BTreeMap<String, &Item> = items
        .iter()
        .filter_map(|item| item_name(item).map(|n| (n, item)))
        .collect();
    let mut seen = HashSet::new();
    let mut queue: VecDeque<String> = roots.into();
    while let Some(name) = queue.pop_front() {
        let Some(item) = by_name.get(&name) else {
            continue;
        };
        if !seen.insert(name) {
            continue;
        }
        let mut found = Vec::new();
        match item {
            Item::Struct(s) => s.fields.iter().for_each(|f| idents(&f.ty, &mut found)),
            Item::Enum(e) => e
                .variants
                .iter()
                .flat_map(|v| v.fields.iter())
                .for_each(|f| idents(&f.ty, &mut found)),
            Item::Type(t) => idents(&t.ty, &mut found),
            _ => {}
        }
        queue.extend(found);
    }
    seen.retain(|n| matches!(by_name.get(n), Some(Item::Struct(_))));
    seen
}

/// How a field starts in `new`.
enum Start {
    /// A parameter of `new`.
    Required,
    /// `Default::default()`, or serde's `default = "path"` function.
    Default(Option<syn::ExprPath>),
}

/// The field's start value, read from its type and serde attributes:
/// what serde fills in when the field is missing starts empty, the rest
/// is required.
fn start(field: &syn::Field) -> Start {
    let mut default = None;
    let mut flatten = false;
    for a in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                let path = if meta.input.peek(syn::Token![=]) {
                    let s: syn::LitStr = meta.value()?.parse()?;
                    s.parse::<syn::ExprPath>().ok()
                } else {
                    None
                };
                default = Some(path);
            } else if meta.path.is_ident("flatten") {
                flatten = true;
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    // The standard `Option` and the maps take generic arguments; a type
    // typify generated never does, whatever its name (a schema may be
    // called `Option` or `Map`).
    let last = match &field.ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .filter(|s| matches!(s.arguments, syn::PathArguments::AngleBracketed(_)))
            .map(|s| s.ident.to_string()),
        _ => None,
    };
    match (default, last.as_deref()) {
        (Some(path), _) => Start::Default(path),
        (None, Some("Option")) => Start::Default(None),
        (None, Some("Map" | "HashMap" | "BTreeMap")) if flatten => Start::Default(None),
        _ => Start::Required,
    }
}

/// The parameter of `new` for the field `ident`: the field's name, unless
/// that could be a variant of the field's enum type (rustc rejects such a
/// binding, E0170; see `naming::may_name_a_variant`); it is bound as
/// `日本語_value`, which no variant is. (A builder's `send()` keeps the
/// name and allows the lint instead: its request code names the binding
/// inside macros, where a rename cannot follow.)
fn binding(ident: &syn::Ident, fields: &HashSet<String>) -> syn::Ident {
    let name = ident.to_string();
    if !crate::naming::may_name_a_variant(&name) {
        return ident.clone();
    }
    let mut bound = format!("{}_value", name.trim_start_matches("r#"));
    while fields.contains(&bound) {
        bound.push('_');
    }
    syn::Ident::new(&bound, ident.span())
}

/// The `impl` with the constructor and setters of `s` (setters only
/// with `setter`: a type requests carry); `None` when it has no named
/// public fields, or needs nothing (a `Default` and no setters).
fn setters(
    s: &syn::ItemStruct,
    has_default: bool,
    setter: Option<&Setter>,
    document: bool,
) -> Option<Vec<Item>> {
    let Fields::Named(named) = &s.fields else {
        return None;
    };
    if named.named.is_empty()
        || named
            .named
            .iter()
            .any(|f| !matches!(f.vis, syn::Visibility::Public(_)))
    {
        return None;
    }
    let name = &s.ident;
    if has_default && setter.is_none() {
        return None;
    }
    // Built as syntax from the fields' own types: printing them to tokens
    // and parsing them again cost more than the rest of the pass.
    let constructor: syn::ImplItem = if has_default {
        let doc = format!(" An empty `{name}` (its `Default`): chain the setters to fill it in.");
        syn::parse_quote! {
            #[doc = #doc]
            pub fn builder() -> Self {
                ::std::default::Default::default()
            }
        }
    } else {
        let mut params: Vec<syn::FnArg> = Vec::new();
        let mut inits = Vec::new();
        let fields: HashSet<String> = named
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
            .collect();
        for f in &named.named {
            let ident = f.ident.as_ref()?;
            match start(f) {
                Start::Required => {
                    let binding = binding(ident, &fields);
                    params.push(syn::FnArg::Typed(syn::PatType {
                        attrs: Vec::new(),
                        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
                            attrs: Vec::new(),
                            by_ref: None,
                            mutability: None,
                            ident: binding.clone(),
                            subpat: None,
                        })),
                        colon_token: Default::default(),
                        ty: Box::new(f.ty.clone()),
                    }));
                    inits.push(field_value(ident, path_expr(binding)));
                }
                Start::Default(Some(path)) => inits.push(field_value(
                    ident,
                    syn::Expr::Call(syn::ExprCall {
                        attrs: Vec::new(),
                        func: Box::new(syn::Expr::Path(path)),
                        paren_token: Default::default(),
                        args: Default::default(),
                    }),
                )),
                Start::Default(None) => inits.push(field_value(
                    ident,
                    syn::parse_quote!(::std::default::Default::default()),
                )),
            }
        }
        if params.is_empty() {
            // Every field is optional, and typify wrote no `Default` (a
            // field's serde default is a function): this one starts each
            // field as serde would, and is the constructor.
            return default_impl(name, inits, setter, named, document);
        }
        let doc = if setter.is_some() {
            format!(
                " A `{name}` of its required fields; the others start empty (chain the setters)."
            )
        } else {
            format!(" A `{name}` of its required fields; the others start empty.")
        };
        let mut new: syn::ImplItemFn = syn::parse_quote! {
            #[doc = #doc]
            pub fn new() -> Self {
                Self {}
            }
        };
        new.sig.inputs.extend(params);
        *struct_fields(&mut new.block)? = inits.into_iter().collect();
        syn::ImplItem::Fn(new)
    };
    let mut imp: syn::ItemImpl = syn::parse_quote! {
        impl #name {}
    };
    imp.items.push(constructor);
    if let Some(setter) = setter {
        imp.items.extend(field_setters(named, setter, document));
    }
    Some(vec![Item::Impl(imp)])
}

/// `ident: value`, written `ident` when the value is the binding of that
/// name (as `Self { a, b: c }` parses).
fn field_value(ident: &syn::Ident, value: syn::Expr) -> syn::FieldValue {
    let shorthand = matches!(&value, syn::Expr::Path(p) if p.path.is_ident(ident));
    syn::FieldValue {
        attrs: Vec::new(),
        member: syn::Member::Named(ident.clone()),
        colon_token: (!shorthand).then(Default::default),
        expr: value,
    }
}

fn path_expr(ident: syn::Ident) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: ident.into(),
    })
}

/// The fields of the `Self { .. }` a template's block ends with.
fn struct_fields(
    block: &mut syn::Block,
) -> Option<&mut syn::punctuated::Punctuated<syn::FieldValue, syn::Token![,]>> {
    match block.stmts.last_mut()? {
        syn::Stmt::Expr(syn::Expr::Struct(s), None) => Some(&mut s.fields),
        _ => None,
    }
}

/// `impl Default` from the fields' start values, and, for a type requests
/// carry, `builder()` and the setters beside it.
fn default_impl(
    name: &syn::Ident,
    inits: Vec<syn::FieldValue>,
    setter: Option<&Setter>,
    named: &syn::FieldsNamed,
    document: bool,
) -> Option<Vec<Item>> {
    let mut default: syn::ItemImpl = syn::parse_quote! {
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self {}
            }
        }
    };
    let Some(syn::ImplItem::Fn(f)) = default.items.first_mut() else {
        return None;
    };
    *struct_fields(&mut f.block)? = inits.into_iter().collect();
    let mut items = vec![Item::Impl(default)];
    if let Some(setter) = setter {
        let doc = format!(" An empty `{name}` (its `Default`): chain the setters to fill it in.");
        let mut builder: syn::ItemImpl = syn::parse_quote! {
            impl #name {
                #[doc = #doc]
                pub fn builder() -> Self {
                    ::std::default::Default::default()
                }
            }
        };
        builder.items.extend(field_setters(named, setter, document));
        items.push(Item::Impl(builder));
    }
    Some(items)
}

/// One setter per public field whose name is not reserved.
fn field_setters<'a>(
    named: &'a syn::FieldsNamed,
    setter: &'a Setter,
    document: bool,
) -> impl Iterator<Item = syn::ImplItem> + 'a {
    named.named.iter().filter_map(move |f| {
        let ident = f.ident.as_ref()?;
        let plain = ident.to_string();
        if RESERVED.contains(&plain.trim_start_matches("r#")) {
            return None;
        }
        let ty = &f.ty;
        let doc = document.then(|| {
            if is_flattened(&f.attrs) {
                " Sets the fields the spec does not define, sent beside the others.".to_owned()
            } else {
                format!(" Sets `{}`.", wire_name(ident, &f.attrs))
            }
        });
        Some(setter.of(ident, ty, doc.as_deref()))
    })
}

/// Adds `PartialEq` to the derives of every model of `mod types` (what
/// serde encodes or decodes) that lacks it: a test compares a decoded
/// answer with the value it expects, and a typed mock's body with a
/// request's. Not `Eq`: a model may hold a float or a JSON value.
pub(crate) fn derive_partial_eq(file: &mut syn::File) {
    let Some(items) = super::syntax::types_items(file) else {
        return;
    };
    let written: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) if trait_name(imp).as_deref() == Some("PartialEq") => {
                self_name(&imp.self_ty)
            }
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        let (attrs, name) = match item {
            Item::Struct(s) => (&mut s.attrs, s.ident.to_string()),
            Item::Enum(e) => (&mut e.attrs, e.ident.to_string()),
            _ => continue,
        };
        let model = derives(attrs, "Serialize") || derives(attrs, "Deserialize");
        if !model || derives(attrs, "PartialEq") || written.contains(&name) {
            continue;
        }
        if let Some(derive) = attrs.iter_mut().find(|a| a.path().is_ident("derive"))
            && let syn::Meta::List(list) = &mut derive.meta
        {
            let tokens = std::mem::take(&mut list.tokens);
            list.tokens = quote!(#tokens, PartialEq);
        }
    }
}

/// Drops typify's `TryFrom<&str>`, `TryFrom<&String>` and
/// `TryFrom<String>` impls whose whole body is `value.parse()`: they
/// repeat the type's `FromStr` (`"draft".parse::<Status>()`), and each is
/// one more impl for coherence checking to weigh, per enum and per
/// constrained string.
pub(crate) fn drop_duplicate_conversions(file: &mut syn::File) {
    let Some(items) = super::syntax::types_items(file) else {
        return;
    };
    let parsed: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) if trait_name(imp).as_deref() == Some("FromStr") => {
                self_name(&imp.self_ty)
            }
            _ => None,
        })
        .collect();
    items.retain(|item| {
        let Item::Impl(imp) = item else { return true };
        !(trait_name(imp).as_deref() == Some("TryFrom")
            && self_name(&imp.self_ty).is_some_and(|n| parsed.contains(&n))
            && from_string(imp)
            && body_is_parse(imp))
    });
}

fn trait_name(imp: &syn::ItemImpl) -> Option<String> {
    imp.trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .map(|s| s.ident.to_string())
}

/// `TryFrom<&str>`, `TryFrom<&String>` or `TryFrom<String>`.
fn from_string(imp: &syn::ItemImpl) -> bool {
    let Some((_, path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(syn::PathArguments::AngleBracketed(args)) = path.segments.last().map(|s| &s.arguments)
    else {
        return false;
    };
    let Some(syn::GenericArgument::Type(ty)) = args.args.first() else {
        return false;
    };
    let ty = match ty {
        Type::Reference(r) => r.elem.as_ref(),
        other => other,
    };
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "str" || s.ident == "String"))
}

fn body_is_parse(imp: &syn::ItemImpl) -> bool {
    imp.items.iter().all(|i| match i {
        syn::ImplItem::Type(_) => true,
        syn::ImplItem::Fn(f) => matches!(
            f.block.stmts.as_slice(),
            [syn::Stmt::Expr(syn::Expr::MethodCall(call), None)]
                if call.method == "parse"
                    && call.args.is_empty()
                    && matches!(call.receiver.as_ref(), syn::Expr::Path(p) if p.path.is_ident("value"))
        ),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(code: &str) -> syn::Field {
        let s: syn::ItemStruct = syn::parse_str(&format!("struct S {{ {code} }}")).unwrap();
        s.fields.into_iter().next().unwrap()
    }

    #[test]
    fn what_new_takes() {
        let required = |code: &str| matches!(start(&field(code)), Start::Required);
        assert!(required("pub name: String"));
        assert!(required("#[serde(rename = \"x\")] pub x: Thing"));
        assert!(!required("pub note: ::std::option::Option<String>"));
        assert!(!required("#[serde(default)] pub tags: Vec<String>"));
        assert!(!required(
            "#[serde(flatten, default)] pub extra: ::serde_json::Map<String, Value>"
        ));
        assert!(required("#[serde(flatten)] pub inner: Other"));
        // Schemas called `Option` or `Map` are generated types: required.
        assert!(required("#[serde(rename = \"\")] pub x: Option"));
        assert!(required("#[serde(flatten)] pub m: Map"));
        assert!(!required("pub o: Option<Option>"));
        match start(&field(
            "#[serde(default = \"defaults::default_u64::<i64, 3>\")] pub n: i64",
        )) {
            Start::Default(Some(path)) => {
                assert_eq!(
                    quote!(#path).to_string().replace(' ', ""),
                    "defaults::default_u64::<i64,3>"
                );
            }
            _ => panic!("a serde default function"),
        }
    }

    #[test]
    fn duplicate_conversions_go_only_where_from_str_exists() {
        let mut file: syn::File = syn::parse_str(
            r#"pub mod types {
                pub enum A { X }
                impl ::std::str::FromStr for A { type Err = E; fn from_str(value: &str) -> Result<Self, E> { todo!() } }
                impl ::std::convert::TryFrom<&str> for A { type Error = E; fn try_from(value: &str) -> Result<Self, E> { value.parse() } }
                pub struct B;
                impl ::std::convert::TryFrom<&str> for B { type Error = E; fn try_from(value: &str) -> Result<Self, E> { value.parse() } }
            }"#,
        )
        .unwrap();
        drop_duplicate_conversions(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(!out.contains("TryFrom<&str> for A"), "{out}");
        assert!(out.contains("TryFrom<&str> for B"), "{out}");
    }
}
