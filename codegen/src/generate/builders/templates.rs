//! The per-parameter syntax of a builder (its field and its setters),
//! parsed once per run and specialised for each parameter by cloning.
//!
//! A large spec has thousands of parameters; quoting each field and
//! setter and parsing the tokens again was most of the time spent writing
//! the builders. A clone of a parsed template with the placeholder
//! identifier and type replaced is the same syntax, for a fraction of it.

use proc_macro2::Span;
use syn::visit_mut::VisitMut;
use syn::{Field, ImplItem, ImplItemFn, Type};

use super::operation_templates::OperationTemplates;
use super::positional::{Param, Slot};

/// The identifier and type the templates are written with.
const IDENT: &str = "__codegen_param";
const TYPE: &str = "__CodegenType";

pub(super) struct Templates {
    /// `__codegen_param: ::std::option::Option<__CodegenType>`.
    optional_field: Field,
    /// `__codegen_param: __CodegenType`.
    plain_field: Field,
    /// The setter of a parameter held in an `Option`.
    setter: ImplItemFn,
    /// The setter and `body_map` of a body that starts as its `Default`.
    default_body: [ImplItemFn; 2],
    /// The per-operation items.
    pub(super) operation: OperationTemplates,
}

impl Templates {
    pub(super) fn new() -> Templates {
        let param = syn::Ident::new(IDENT, Span::call_site());
        let ty = syn::Ident::new(TYPE, Span::call_site());
        let fields: syn::FieldsNamed = syn::parse_quote!({
            #param: ::std::option::Option<#ty>,
            #param: #ty,
        });
        let mut fields = fields.named.into_iter();
        let (Some(optional_field), Some(plain_field)) = (fields.next(), fields.next()) else {
            unreachable!("two fields were quoted")
        };
        Templates {
            optional_field,
            plain_field,
            setter: syn::parse_quote! {
                pub fn #param(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#param = Some(value.into());
                    self
                }
            },
            default_body: [
                syn::parse_quote! {
                    pub fn #param(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                        self.#param = value.into();
                        self
                    }
                },
                syn::parse_quote! {
                    /// Changes the body in place (it starts as its `Default`).
                    pub fn body_map(mut self, f: impl ::std::ops::FnOnce(#ty) -> #ty) -> Self {
                        self.#param = f(self.#param);
                        self
                    }
                },
            ],
            operation: OperationTemplates::new(),
        }
    }

    /// The builder's field for `p`.
    pub(super) fn field(&self, p: &Param) -> Field {
        let template = match p.slot {
            Slot::DefaultBody => &self.plain_field,
            Slot::Required | Slot::Optional => &self.optional_field,
        };
        let mut field = template.clone();
        Substitute(p).visit_field_mut(&mut field);
        field
    }

    /// The setters for `p`, its description (if any) on the first.
    pub(super) fn setters(&self, p: &Param, out: &mut Vec<ImplItem>) {
        let templates = match p.slot {
            Slot::DefaultBody => &self.default_body[..],
            Slot::Required | Slot::Optional => std::slice::from_ref(&self.setter),
        };
        for (i, template) in templates.iter().enumerate() {
            let mut f = template.clone();
            Substitute(p).visit_impl_item_fn_mut(&mut f);
            if i == 0
                && let Some(doc) = &p.doc
            {
                f.attrs.insert(0, self.operation.doc(doc));
            }
            out.push(ImplItem::Fn(f));
        }
    }
}

/// The placeholders → the parameter's identifier and type.
struct Substitute<'a>(&'a Param);

impl VisitMut for Substitute<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(TYPE)) {
            *ty = self.0.ty.clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if ident == IDENT {
            *ident = self.0.ident.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::{format_ident, quote};

    use super::*;

    fn param(name: &str, slot: Slot, doc: Option<&str>) -> Param {
        Param {
            ident: format_ident!("{}", name),
            ty: syn::parse_quote!(types::Cursor<u8>),
            slot,
            doc: doc.map(str::to_owned),
        }
    }

    fn text(t: impl quote::ToTokens) -> String {
        t.to_token_stream().to_string()
    }

    #[test]
    fn a_parameter_in_an_option_gets_its_field_and_one_setter() {
        let t = Templates::new();
        let p = param("r#type", Slot::Optional, Some(" The cursor."));
        assert_eq!(
            text(t.field(&p)),
            text(quote!(r#type: ::std::option::Option<types::Cursor<u8> >))
        );
        let mut setters = Vec::new();
        t.setters(&p, &mut setters);
        let expected: ImplItem = syn::parse_quote! {
            #[doc = " The cursor."]
            pub fn r#type(mut self, value: impl ::std::convert::Into<types::Cursor<u8> >) -> Self {
                self.r#type = Some(value.into());
                self
            }
        };
        assert_eq!(setters.len(), 1);
        assert_eq!(text(&setters[0]), text(expected));
    }

    #[test]
    fn a_default_body_starts_as_it_and_gets_body_map() {
        let t = Templates::new();
        let p = param("body", Slot::DefaultBody, None);
        assert_eq!(text(t.field(&p)), text(quote!(body: types::Cursor<u8>)));
        let mut setters = Vec::new();
        t.setters(&p, &mut setters);
        let names: Vec<String> = setters
            .iter()
            .map(|i| match i {
                ImplItem::Fn(f) => f.sig.ident.to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(names, ["body", "body_map"]);
        let expected: ImplItem = syn::parse_quote! {
            /// Changes the body in place (it starts as its `Default`).
            pub fn body_map(mut self, f: impl ::std::ops::FnOnce(types::Cursor<u8>) -> types::Cursor<u8>) -> Self {
                self.body = f(self.body);
                self
            }
        };
        assert_eq!(text(&setters[1]), text(expected));
    }
}
