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
                f.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
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
