//! The `send()` rewrites: a multipart body from the model's fields, a
//! form body through `form_body`.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Expr, Fields, ImplItem, Item, Type};

use super::{Body, Part, Plan, form_encoding};
use crate::generate::syntax::{is_flattened, method_and_path, types_items, wire_name};

/// The runtime type of a file field.
const FILE_PART: &str = "FilePart";

/// One field of a model, as the body builder reads it.
struct Field {
    ident: syn::Ident,
    wire: String,
    /// `FilePart` itself (`Some(false)`), in an `Option` or `Vec`
    /// (`Some(true)`), or no file (`None`).
    file: Option<bool>,
    flattened: bool,
}

/// The structs of `mod types` by name, aliases followed.
struct Models {
    structs: HashMap<String, Vec<Field>>,
    aliases: HashMap<String, String>,
}

impl Models {
    fn read(items: &[Item]) -> Models {
        let mut structs = HashMap::new();
        let mut aliases = HashMap::new();
        for item in items {
            match item {
                Item::Struct(s) => {
                    let Fields::Named(named) = &s.fields else {
                        continue;
                    };
                    let fields = named
                        .named
                        .iter()
                        .filter_map(|f| {
                            let ident = f.ident.clone()?;
                            Some(Field {
                                wire: wire_name(&ident, &f.attrs),
                                file: file_slot(&f.ty),
                                flattened: is_flattened(&f.attrs),
                                ident,
                            })
                        })
                        .collect();
                    structs.insert(s.ident.to_string(), fields);
                }
                Item::Type(t) => {
                    if let Some(target) = last_ident(&t.ty) {
                        aliases.insert(t.ident.to_string(), target);
                    }
                }
                _ => {}
            }
        }
        Models { structs, aliases }
    }

    fn get(&self, name: &str) -> Option<&[Field]> {
        let mut name = name;
        for _ in 0..8 {
            if let Some(fields) = self.structs.get(name) {
                return Some(fields);
            }
            name = self.aliases.get(name)?;
        }
        None
    }
}

fn last_ident(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    p.path.segments.last().map(|s| s.ident.to_string())
}

/// Whether `ty` names `FilePart` (directly, or as the one argument of an
/// `Option` or `Vec`).
fn file_slot(ty: &Type) -> Option<bool> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident == FILE_PART {
        return Some(false);
    }
    if last.ident != "Option" && last.ident != "Vec" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if file_slot(inner) == Some(false) => Some(true),
        _ => None,
    }
}

/// Rewrites the `send()` of every planned operation.
pub(crate) fn rewrite(file: &mut syn::File, plan: &Plan, runtime: &syn::Path) {
    if plan.is_empty() {
        return;
    }
    let models = Models::read(types_items(file).map(|i| &i[..]).unwrap_or_default());
    let Some(builder) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, i)| i),
        _ => None,
    }) else {
        return;
    };
    // Builder struct → the model its `body` holds.
    let mut body_types: HashMap<String, String> = HashMap::new();
    for item in builder.iter() {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(named) = &s.fields else {
            continue;
        };
        let body = named
            .named
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"));
        if let Some(ty) = body
            .map(|f| crate::generate::syntax::option_inner(&f.ty).unwrap_or_else(|| f.ty.clone()))
            && let Some(name) = last_ident(&ty)
        {
            body_types.insert(s.ident.to_string(), name);
        }
    }
    for item in builder.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let Some(builder_name) = last_ident(&imp.self_ty) else {
            continue;
        };
        for i in &mut imp.items {
            let ImplItem::Fn(f) = i else { continue };
            // `send()` and the calls beside it (`send_events()`,
            // `send_bytes()`) each build the request: all send this body.
            if !is_send(&f.sig.ident) {
                continue;
            }
            let Some(planned) = method_and_path(f).and_then(|k| plan.get(&k)) else {
                continue;
            };
            let fields = body_types.get(&builder_name).and_then(|t| models.get(t));
            let mut v = BuildBody {
                runtime,
                body: &planned.body,
                fields,
            };
            v.visit_block_mut(&mut f.block);
            if matches!(planned.body, Body::Multipart(_)) {
                document_retries(&mut f.attrs);
            }
        }
    }
}

fn is_send(name: &syn::Ident) -> bool {
    name == "send" || name.to_string().starts_with("send_")
}

fn document_retries(attrs: &mut Vec<syn::Attribute>) {
    let at = attrs
        .iter()
        .rposition(|a| a.path().is_ident("doc"))
        .map_or(0, |i| i + 1);
    let lines = [
        "",
        " The `multipart/form-data` body is built again for every attempt:",
        " file parts made from bytes are sent again on a retry; a streamed",
        " part (`FilePart::stream`, `FilePart::file`) is sent once, and a",
        " request with one is not retried (the first failure is returned).",
    ];
    for (n, line) in lines.into_iter().enumerate() {
        attrs.insert(at + n, syn::parse_quote!(#[doc = #line]));
    }
}

/// The visitor that swaps progenitor's body for the one planned.
struct BuildBody<'a> {
    runtime: &'a syn::Path,
    body: &'a Body,
    fields: Option<&'a [Field]>,
}

impl VisitMut for BuildBody<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let runtime = self.runtime;
        match self.body {
            Body::Multipart(parts) => {
                let Expr::MethodCall(call) = expr else { return };
                if call.method != "json" || call.args.len() != 1 {
                    return;
                }
                let value = referent(&call.args[0]);
                let form = multipart_form(runtime, &value, parts, self.fields);
                call.method = syn::Ident::new("multipart", call.method.span());
                call.args = syn::parse_quote!(#form);
            }
            Body::Form(fields) => {
                // `<RequestBuilder as RequestBuilderExt<()>>::form_urlencoded(r, &body)?`
                let Expr::Try(t) = expr else { return };
                let Expr::Call(c) = t.expr.as_ref() else {
                    return;
                };
                let is_form = matches!(c.func.as_ref(), Expr::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "form_urlencoded"));
                if !is_form || c.args.len() != 2 {
                    return;
                }
                let (request, value) = (&c.args[0], &c.args[1]);
                let encoding = form_encoding(runtime, fields);
                *expr = syn::parse_quote! {
                    #request
                        .header(
                            ::reqwest::header::CONTENT_TYPE,
                            ::reqwest::header::HeaderValue::from_static(#runtime::FORM_CONTENT_TYPE),
                        )
                        .body(#runtime::form_body(#value, #encoding)?)
                };
            }
        }
    }
}

/// What the model's fields are read from: `x` of `&x`; a binding as it is
/// (an optional body is bound by reference, `Some(body) => ..json(body)`,
/// and field access derefs it).
fn referent(arg: &Expr) -> Expr {
    match arg {
        Expr::Reference(r) => (*r.expr).clone(),
        Expr::Path(_) => arg.clone(),
        other => syn::parse_quote!((*#other)),
    }
}

/// `Multipart::new()` with one call per field of the model, in its order.
fn multipart_form(
    runtime: &syn::Path,
    value: &Expr,
    parts: &[(String, Part, Option<String>)],
    fields: Option<&[Field]>,
) -> TokenStream {
    let Some(fields) = fields else {
        // No struct to read (should not happen: normalization typed an
        // object): every field of the value as text or JSON.
        return quote!(#runtime::Multipart::new().object(&#value)?.into_form());
    };
    let calls = fields.iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.wire;
        if f.flattened {
            return quote!(.object(&#value.#ident)?);
        }
        let planned = parts.iter().find(|(n, ..)| n == wire);
        let (kind, content_type) =
            planned.map_or((Part::Text, None), |(_, k, c)| (*k, c.as_deref()));
        match (kind, f.file, content_type) {
            (Part::File, Some(false), None) => quote!(.file(#wire, &#value.#ident)?),
            (Part::File, Some(false), Some(ct)) => {
                quote!(.files_of_type(#wire, ::std::iter::once(&#value.#ident), #ct)?)
            }
            (Part::File, Some(true), None) => quote!(.files(#wire, &#value.#ident)?),
            (Part::File, Some(true), Some(ct)) => {
                quote!(.files_of_type(#wire, &#value.#ident, #ct)?)
            }
            (Part::Json, _, Some(ct)) => quote!(.json(#wire, &#value.#ident, Some(#ct))?),
            (Part::Json, _, None) => quote!(.json(#wire, &#value.#ident, None)?),
            _ => quote!(.text(#wire, &#value.#ident)?),
        }
    });
    quote!(#runtime::Multipart::new() #(#calls)* .into_form())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_fields_are_found_in_their_wrappers() {
        let t = |s: &str| file_slot(&syn::parse_str::<Type>(s).unwrap());
        assert_eq!(t("crate::runtime::FilePart"), Some(false));
        assert_eq!(t("Option<crate::runtime::FilePart>"), Some(true));
        assert_eq!(t("::std::vec::Vec<crate::runtime::FilePart>"), Some(true));
        assert_eq!(t("Option<String>"), None);
    }
}
