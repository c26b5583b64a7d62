//! The public surface of a generated client, read with syn: its types,
//! methods and items, each printed as people write it.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::{Fields, FnArg, ImplItem, Item, Visibility};

use crate::diff::change::DiffError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TypeInfo {
    /// `struct`, `tuple struct`, `enum` or `type alias`.
    pub kind: &'static str,
    pub derives: BTreeSet<String>,
    /// Fields (name → type) or variants (name → payload).
    pub members: BTreeMap<String, String>,
    pub non_exhaustive: bool,
}

#[derive(Default)]
pub(super) struct Surface {
    /// `types::Name` → info.
    pub types: BTreeMap<String, TypeInfo>,
    /// `Client::method` or `builder::Op::method` → signature.
    pub methods: BTreeMap<String, String>,
    /// `builder::Op`, `operations::NAME`, top-level consts → declaration.
    pub items: BTreeMap<String, String>,
}

pub(super) fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

pub(super) fn surface(code: &str, side: &'static str) -> Result<Surface, DiffError> {
    let file = syn::parse_file(code).map_err(|e| DiffError::Unparsable {
        side,
        message: e.to_string(),
    })?;
    let mut s = Surface::default();
    for item in &file.items {
        match item {
            Item::Mod(m) if m.ident == "types" => {
                let items: Vec<&Item> = m.content.iter().flat_map(|(_, items)| items).collect();
                for item in &items {
                    if let Some((name, info)) = type_info(item) {
                        s.types.insert(format!("types::{name}"), info);
                    }
                }
                // Inherent methods of the types: constructors and helpers
                // (`new`, `builder`, `as_str`). Setters named after a field
                // mirror it and are not listed: the field's change is.
                for item in &items {
                    if let Item::Impl(imp) = item
                        && imp.trait_.is_none()
                        && imp.generics.params.is_empty()
                        && let Some(name) = self_name(imp)
                    {
                        let owner = format!("types::{name}");
                        let fields = s
                            .types
                            .get(&owner)
                            .filter(|t| t.kind == "struct")
                            .map(|t| t.members.keys().cloned().collect::<BTreeSet<_>>())
                            .unwrap_or_default();
                        for i in &imp.items {
                            let ImplItem::Fn(f) = i else { continue };
                            let method = f.sig.ident.to_string();
                            if is_pub(&f.vis) && !fields.contains(&method) {
                                s.methods
                                    .insert(format!("{owner}::{method}"), signature(&f.sig));
                            }
                        }
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    match item {
                        Item::Struct(st) if is_pub(&st.vis) => {
                            let generics = tidy(&st.generics.to_token_stream().to_string());
                            s.items.insert(
                                format!("builder::{}", st.ident),
                                format!("struct {}{generics}", st.ident),
                            );
                        }
                        Item::Impl(imp) if imp.trait_.is_none() => {
                            if let Some(name) = self_name(imp) {
                                methods(&mut s, &format!("builder::{name}"), imp);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Item::Mod(m) if m.ident == "operations" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    if let Item::Static(st) = item
                        && is_pub(&st.vis)
                    {
                        let ty = tidy(&st.ty.to_token_stream().to_string());
                        s.items.insert(
                            format!("operations::{}", st.ident),
                            format!("static {}: {ty}", st.ident),
                        );
                    }
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                if let Some(name) = self_name(imp) {
                    methods(&mut s, &name, imp);
                }
            }
            Item::Const(c) if is_pub(&c.vis) => {
                let ty = tidy(&c.ty.to_token_stream().to_string());
                s.items
                    .insert(c.ident.to_string(), format!("const {}: {ty}", c.ident));
            }
            _ => {}
        }
    }
    Ok(s)
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn self_name(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn methods(s: &mut Surface, owner: &str, imp: &syn::ItemImpl) {
    for item in &imp.items {
        let ImplItem::Fn(f) = item else { continue };
        if !is_pub(&f.vis) {
            continue;
        }
        s.methods
            .insert(format!("{owner}::{}", f.sig.ident), signature(&f.sig));
    }
}

/// A signature without parameter names (they are not part of the API).
fn signature(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            FnArg::Receiver(r) => match &r.reference {
                Some((_, lifetime)) => {
                    let lt = lifetime
                        .as_ref()
                        .map(|l| format!("{l} "))
                        .unwrap_or_default();
                    let m = if r.mutability.is_some() { "mut " } else { "" };
                    format!("&{lt}{m}self")
                }
                None => "self".to_owned(),
            },
            FnArg::Typed(t) => tidy(&t.ty.to_token_stream().to_string()),
        })
        .collect();
    let asyncness = if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    };
    let generics = tidy(&sig.generics.to_token_stream().to_string());
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", tidy(&ty.to_token_stream().to_string())),
    };
    let bounds = sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| {
            let w = tidy(&w.to_token_stream().to_string());
            format!(" {}", w.trim_end_matches(','))
        })
        .unwrap_or_default();
    format!(
        "{asyncness}fn {}{generics}({}){output}{bounds}",
        sig.ident,
        inputs.join(", ")
    )
}

fn type_info(item: &Item) -> Option<(String, TypeInfo)> {
    let (name, kind, attrs, members) = match item {
        Item::Struct(st) if is_pub(&st.vis) => {
            let (kind, members) = match &st.fields {
                Fields::Named(named) => (
                    "struct",
                    named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), ty(&f.ty))))
                        .collect(),
                ),
                Fields::Unnamed(unnamed) => (
                    "tuple struct",
                    unnamed
                        .unnamed
                        .iter()
                        .enumerate()
                        .map(|(i, f)| {
                            // A private inner value (a constrained newtype)
                            // is still what `Deref`/`From` hand out.
                            (i.to_string(), ty(&f.ty))
                        })
                        .collect(),
                ),
                Fields::Unit => ("struct", BTreeMap::new()),
            };
            (st.ident.to_string(), kind, &st.attrs, members)
        }
        Item::Enum(en) if is_pub(&en.vis) => {
            let members = en
                .variants
                .iter()
                .map(|v| {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        Fields::Unnamed(u) => format!(
                            "({})",
                            u.unnamed
                                .iter()
                                .map(|f| ty(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Fields::Named(n) => format!(
                            "{{ {} }}",
                            n.named
                                .iter()
                                .map(|f| format!(
                                    "{}: {}",
                                    f.ident
                                        .as_ref()
                                        .map(ToString::to_string)
                                        .unwrap_or_default(),
                                    ty(&f.ty)
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    (v.ident.to_string(), payload)
                })
                .collect();
            (en.ident.to_string(), "enum", &en.attrs, members)
        }
        Item::Type(t) if is_pub(&t.vis) => {
            let members = BTreeMap::from([("=".to_owned(), ty(&t.ty))]);
            (t.ident.to_string(), "type alias", &t.attrs, members)
        }
        _ => return None,
    };
    let mut derives = BTreeSet::new();
    let mut non_exhaustive = false;
    for attr in attrs {
        if attr.path().is_ident("non_exhaustive") {
            non_exhaustive = true;
        }
        if attr.path().is_ident("derive") {
            // Derive lists are paths separated by commas; anything else is
            // not a derive and is skipped.
            let _ = attr.parse_nested_meta(|meta| {
                let path = meta.path.to_token_stream().to_string();
                derives.insert(last_segment(&tidy(&path)).to_owned());
                Ok(())
            });
        }
    }
    Some((
        name,
        TypeInfo {
            kind,
            derives,
            members,
            non_exhaustive,
        },
    ))
}

fn ty(t: &syn::Type) -> String {
    tidy(&t.to_token_stream().to_string())
}

/// Token text as people write it: no spaces inside paths and generics,
/// absolute paths relative, and the standard prelude's paths dropped.
fn tidy(tokens: &str) -> String {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(tokens.len());
    for piece in tokens.split_whitespace() {
        let prev = out.chars().last();
        if piece == "::" && !prev.is_some_and(ident) {
            continue;
        }
        let spaced = match (prev, piece.chars().next()) {
            (Some(p), Some(n)) => {
                (ident(p) && ident(n)) || p == ',' || (p == ':' && !out.ends_with("::") && n != ':')
            }
            _ => false,
        };
        if spaced || piece == "->" || piece == "=" || piece == "where" {
            out.push(' ');
        }
        out.push_str(piece);
        if piece == "->" || piece == "=" {
            out.push(' ');
        }
    }
    for prefix in [
        "std::option::",
        "std::string::",
        "std::vec::",
        "std::collections::",
        "std::convert::",
        "std::result::",
        "std::boxed::",
        "std::ops::",
        "std::borrow::",
    ] {
        out = out.replace(prefix, "");
    }
    out.trim().replace("  ", " ")
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn tidy_types() {
        assert_eq!(
            tidy(":: std :: option :: Option < :: std :: string :: String >"),
            "Option<String>"
        );
        assert_eq!(
            tidy("Result < ResponseValue < types :: Character > , Error >"),
            "Result<ResponseValue<types::Character>, Error>"
        );
        assert_eq!(
            tidy("where V : std :: convert :: TryInto < :: uuid :: Uuid > ,"),
            "where V: TryInto<uuid::Uuid>,"
        );
        assert_eq!(tidy("& 'a super :: Client"), "&'a super::Client");
    }
}
