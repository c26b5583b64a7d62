//! The per-operation syntax of a builder (its `Client` method, its
//! struct, `new()` and each `send*()`), parsed once per run and
//! specialised for each operation by cloning.
//!
//! GitHub's spec has about a thousand operations: quoting each item and
//! parsing the tokens again cost as much as the rest of writing the
//! builders. A clone of a parsed template with the placeholders replaced
//! is the same syntax (the same tokens, punctuation included).

use proc_macro2::Span;
use syn::visit_mut::VisitMut;
use syn::{
    Attribute, Expr, FieldPat, FieldValue, ImplItemFn, ItemImpl, ItemStruct, Lit, Pat, Stmt, Type,
};

/// Placeholder identifiers, replaced by [`Fill`].
pub(super) const METHOD: &str = "__codegen_method";
pub(super) const BUILDER: &str = "__CodegenBuilder";
pub(super) const CLIENT: &str = "__codegen_client";
pub(super) const PARAM: &str = "__codegen_param";
pub(super) const NAME: &str = "__codegen_name";
pub(super) const DECODE: &str = "__codegen_decode";
pub(super) const ENTRY: &str = "__CODEGEN_ENTRY";
pub(super) const REQUEST: &str = "__codegen_request";
/// The first segment of a path into the runtime module.
const RUNTIME: &str = "__codegen_runtime";
/// The success type of a call.
const SUCCESS: &str = "__CodegenSuccess";
/// The name a `required()` check reports.
const PARAM_NAME: &str = "__codegen_param_name";

/// The doc of every builder's `options()`.
const OPTIONS_DOC: [&str; 3] = [
    " Options of this call alone: a timeout, a retry count, extra headers",
    " and query parameters ([`RequestOptions`](__codegen_runtime::RequestOptions));",
    " each one set replaces the client's setting for this call.",
];

pub(super) struct OperationTemplates {
    /// `#[doc = ".."]`.
    doc: Attribute,
    /// `pub fn method(&self) -> builder::Builder<'_> { .. }`.
    client_method: ImplItemFn,
    /// The builder struct holding the client, deriving `Clone` or not.
    cloneable_struct: ItemStruct,
    plain_struct: ItemStruct,
    /// `impl<'a> Builder<'a> { pub fn new(..) -> Self { Self { client, options, } } }`.
    new_impl: ItemImpl,
    /// `pub fn options(mut self, options: RequestOptions) -> Self`.
    options_method: ImplItemFn,
    /// `param: None` and `param: ::std::default::Default::default()`.
    unset: FieldValue,
    default_body: FieldValue,
    /// A `send*()` ending in the runtime call, with a request-building
    /// closure or with the request built once.
    send_rebuilt: ImplItemFn,
    send_once: ImplItemFn,
    /// `let param = runtime::required(param, "name")?;`.
    check: Stmt,
    /// The shorthand `param` of a destructuring `Self { .. }`.
    field_pat: FieldPat,
}

impl OperationTemplates {
    pub(super) fn new() -> OperationTemplates {
        let id = |s: &str| syn::Ident::new(s, Span::call_site());
        let (method, builder, client, param) = (id(METHOD), id(BUILDER), id(CLIENT), id(PARAM));
        let (name, decode, entry, request) = (id(NAME), id(DECODE), id(ENTRY), id(REQUEST));
        let (runtime, success) = (id(RUNTIME), id(SUCCESS));
        let fields: syn::ExprStruct = syn::parse_quote! {
            Self { #param: None, #param: ::std::default::Default::default(), }
        };
        let mut fields = fields.fields.into_iter();
        let (Some(unset), Some(default_body)) = (fields.next(), fields.next()) else {
            unreachable!("two field values were quoted")
        };
        let destructure: Stmt = syn::parse_quote!(let Self { #param } = self;);
        let field_pat = match destructure {
            Stmt::Local(syn::Local {
                pat: Pat::Struct(p),
                ..
            }) => p.fields.into_iter().next(),
            _ => None,
        };
        let Some(field_pat) = field_pat else {
            unreachable!("a struct pattern was quoted")
        };
        let structure = |derive: Attribute| -> ItemStruct {
            syn::parse_quote! {
                #[doc = ""]
                #derive
                pub struct #builder<'a> {
                    #client: &'a super::Client,
                    // `options` is no parameter's name: the naming of
                    // parameters (normalize/parameters/names.rs) keeps it free.
                    options: #runtime::RequestOptions,
                }
            }
        };
        let result = quote::quote!(::std::result::Result);
        let send = |call: proc_macro2::TokenStream| -> ImplItemFn {
            syn::parse_quote! {
                #[doc = ""]
                pub async fn #name(self) -> #result<ResponseValue<#success>, Error> {
                    let Self { #client, options, } = self;
                    #call
                }
            }
        };
        OperationTemplates {
            doc: syn::parse_quote!(#[doc = ""]),
            client_method: syn::parse_quote! {
                #[doc = ""]
                pub fn #method(&self) -> builder::#builder<'_> {
                    builder::#builder::new(self)
                }
            },
            cloneable_struct: structure(syn::parse_quote!(#[derive(Debug, Clone)])),
            plain_struct: structure(syn::parse_quote!(#[derive(Debug)])),
            new_impl: syn::parse_quote! {
                impl<'a> #builder<'a> {
                    /// A builder with no parameter set.
                    pub fn new(#client: &'a super::Client) -> Self {
                        Self {
                            #client,
                            options: ::std::default::Default::default(),
                        }
                    }
                }
            },
            options_method: syn::parse_quote! {
                pub fn options(mut self, options: #runtime::RequestOptions) -> Self {
                    self.options = options;
                    self
                }
            },
            unset,
            default_body,
            send_rebuilt: send(quote::quote! {
                // `decode` is filled with the `_with` form.
                #runtime::#decode(#client, &super::operations::#entry, &options, || {
                    #result::Ok(#request)
                })
                .await
            }),
            send_once: send(quote::quote! {
                #runtime::#decode(#client, &super::operations::#entry, &options, #request).await
            }),
            check: syn::parse_quote! {
                let #param = #runtime::required(#param, #PARAM_NAME)?;
            },
            field_pat,
        }
    }

    /// `#[doc = text]`.
    pub(super) fn doc(&self, text: &str) -> Attribute {
        let mut attr = self.doc.clone();
        set_doc(&mut attr, text);
        attr
    }

    pub(super) fn client_method(&self, doc: &str, fill: &Fill) -> ImplItemFn {
        let mut f = self.client_method.clone();
        set_doc(&mut f.attrs[0], doc);
        fill.clone().visit_impl_item_fn_mut(&mut f);
        f
    }

    /// The struct's template has a path into the runtime: `fill` must
    /// carry it.
    pub(super) fn builder_struct(&self, cloneable: bool, doc: &str, fill: &Fill) -> ItemStruct {
        let template = if cloneable {
            &self.cloneable_struct
        } else {
            &self.plain_struct
        };
        let mut s = template.clone();
        set_doc(&mut s.attrs[0], doc);
        fill.clone().visit_item_struct_mut(&mut s);
        s
    }

    /// `options()`, with the runtime's path (in its doc's link too).
    pub(super) fn options_method(&self, runtime: &syn::Path) -> ImplItemFn {
        let mut f = self.options_method.clone();
        Fill::new(&[])
            .runtime(runtime)
            .visit_impl_item_fn_mut(&mut f);
        let path = quote::ToTokens::to_token_stream(runtime)
            .to_string()
            .replace(' ', "");
        f.attrs = OPTIONS_DOC
            .iter()
            .map(|line| self.doc(&line.replace(RUNTIME, &path)))
            .collect();
        f
    }

    /// The impl with `new()`, whose `Self { .. }` the caller extends.
    pub(super) fn new_impl(&self, fill: &Fill) -> ItemImpl {
        let mut imp = self.new_impl.clone();
        fill.clone().visit_item_impl_mut(&mut imp);
        imp
    }

    /// A field of `new()`'s `Self { .. }`: unset, or a body's `Default`.
    pub(super) fn init(&self, default: bool, param: &syn::Ident) -> FieldValue {
        let mut v = if default {
            self.default_body.clone()
        } else {
            self.unset.clone()
        };
        Fill::new(&[(PARAM, param)]).visit_field_value_mut(&mut v);
        v
    }

    /// A `send*()` whose first statement destructures `Self { client, }`
    /// (the caller adds the parameters) and whose last is the runtime call.
    pub(super) fn send(&self, rebuild: bool, fill: &Fill) -> ImplItemFn {
        let mut f = if rebuild {
            self.send_rebuilt.clone()
        } else {
            self.send_once.clone()
        };
        fill.clone().visit_impl_item_fn_mut(&mut f);
        f
    }

    /// `param` in a destructuring `Self { .. }`.
    pub(super) fn field_pat(&self, param: &syn::Ident) -> FieldPat {
        let mut f = self.field_pat.clone();
        Fill::new(&[(PARAM, param)]).visit_field_pat_mut(&mut f);
        f
    }

    /// `let param = runtime::required(param, "name")?;`. A name that may
    /// also be a variant of the parameter's enum (`naming::may_name_a_variant`)
    /// gets `#[allow(bindings_with_variant_name)]`: no variant is in scope
    /// (the builders import none), so the pattern is a binding, and the
    /// request code after it names the binding inside macros (`format!`
    /// of the path), where a rename could not follow.
    pub(super) fn check(&self, param: &syn::Ident, name: &str, runtime: &syn::Path) -> Stmt {
        let mut s = self.check.clone();
        let idents = [(PARAM, param)];
        let mut fill = Fill::new(&idents).runtime(runtime);
        fill.text = Some(name);
        fill.visit_stmt_mut(&mut s);
        if crate::naming::may_name_a_variant(&param.to_string())
            && let Stmt::Local(local) = &mut s
        {
            local
                .attrs
                .push(syn::parse_quote!(#[allow(bindings_with_variant_name)]));
        }
        s
    }
}

/// Sets the text of a `#[doc = ".."]`.
fn set_doc(attr: &mut Attribute, text: &str) {
    if let syn::Meta::NameValue(nv) = &mut attr.meta
        && let Expr::Lit(lit) = &mut nv.value
    {
        lit.lit = Lit::Str(syn::LitStr::new(text, Span::call_site()));
    }
}

/// The placeholders → an operation's identifiers, runtime path, success
/// type and checked name.
#[derive(Clone)]
pub(super) struct Fill<'a> {
    idents: &'a [(&'static str, &'a syn::Ident)],
    runtime: Option<&'a syn::Path>,
    success: Option<&'a Type>,
    text: Option<&'a str>,
}

impl<'a> Fill<'a> {
    pub(super) fn new(idents: &'a [(&'static str, &'a syn::Ident)]) -> Fill<'a> {
        Fill {
            idents,
            runtime: None,
            success: None,
            text: None,
        }
    }

    pub(super) fn runtime(self, runtime: &'a syn::Path) -> Fill<'a> {
        Fill {
            runtime: Some(runtime),
            ..self
        }
    }

    pub(super) fn success(self, success: &'a Type) -> Fill<'a> {
        Fill {
            success: Some(success),
            ..self
        }
    }
}

impl VisitMut for Fill<'_> {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if let Some((_, with)) = self.idents.iter().find(|(p, _)| ident == p) {
            *ident = (*with).clone();
        }
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(runtime) = self.runtime
            && path.leading_colon.is_none()
            && path.segments.first().is_some_and(|s| s.ident == RUNTIME)
        {
            let rest = std::mem::take(&mut path.segments).into_iter().skip(1);
            let mut segments = runtime.segments.clone();
            for segment in rest {
                segments.push(segment);
            }
            path.leading_colon = runtime.leading_colon;
            path.segments = segments;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Some(success) = self.success
            && matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(SUCCESS))
        {
            *ty = success.clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if let Some(text) = self.text
            && lit.value() == PARAM_NAME
        {
            *lit = syn::LitStr::new(text, Span::call_site());
        }
    }
}
