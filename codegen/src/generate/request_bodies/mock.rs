//! The typed mocks of operations whose body is multipart or a form.
//!
//! progenitor's mock matches every typed body as JSON (`json_body_obj`),
//! which a form body never is and a multipart model (no serde) cannot
//! even be given to. A form body's `body(value)` matches the exact text
//! the client sends (`form_body` with the same encoding), and `field`
//! one field; a multipart body's `body` gives way to `text_part` and
//! `file_part`, which match one part each. Those three call
//! `mock::WhenBodyExt`, the module beside the runtime.

use syn::{ImplItem, Item};

use super::{Body, Plan, form_encoding};
use crate::naming::{Case, sanitize};

/// Rewrites the `When` wrappers of the planned operations.
pub(crate) fn rewrite(file: &mut syn::File, plan: &Plan, runtime: &syn::Path) {
    if plan.is_empty() {
        return;
    }
    let mut mock = runtime.clone();
    if let Some(last) = mock.segments.last_mut() {
        last.ident = syn::Ident::new("mock", last.ident.span());
    }
    let Some(operations) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "operations" => m.content.as_mut().map(|(_, i)| i),
        _ => None,
    }) else {
        return;
    };
    for planned in plan.values() {
        let Some(id) = &planned.operation_id else {
            continue;
        };
        let when = sanitize(&format!("{id}-when"), Case::Pascal);
        let imp = operations.iter_mut().find_map(|item| match item {
            Item::Impl(imp)
                if imp.trait_.is_none()
                    && matches!(imp.self_ty.as_ref(), syn::Type::Path(p)
                        if p.path.is_ident(&when)) =>
            {
                Some(imp)
            }
            _ => None,
        });
        let Some(imp) = imp else { continue };
        let Some(at) = imp
            .items
            .iter()
            .position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "body"))
        else {
            continue;
        };
        match &planned.body {
            Body::Form(fields) => {
                let encoding = form_encoding(runtime, fields);
                if let ImplItem::Fn(f) = &mut imp.items[at] {
                    f.block = syn::parse_quote!({
                        Self(self.0.body(#runtime::form_body(value, #encoding).unwrap_or_default()))
                    });
                    f.attrs.retain(|a| !a.path().is_ident("doc"));
                    f.attrs.insert(
                        0,
                        syn::parse_quote!(#[doc = " Matches a form body equal to `value`, encoded as the client sends it."]),
                    );
                }
                let field: ImplItem = syn::parse_quote! {
                    /// Matches a form body with the field `name` (as its style
                    /// writes it, e.g. `filter[color]`) of this value, decoded.
                    pub fn field(self, name: &str, value: &str) -> Self {
                        Self(#mock::WhenBodyExt::form_field(self.0, name, value))
                    }
                };
                imp.items.insert(at + 1, field);
            }
            Body::Multipart(_) => {
                let text: ImplItem = syn::parse_quote! {
                    /// Matches a multipart body with a text part `name` of this value.
                    pub fn text_part(self, name: &str, value: &str) -> Self {
                        Self(#mock::WhenBodyExt::multipart_text(self.0, name, value))
                    }
                };
                let file: ImplItem = syn::parse_quote! {
                    /// Matches a multipart body with a part `name` of exactly these
                    /// bytes, this filename and this content type (`None`: any).
                    pub fn file_part(
                        self,
                        name: &str,
                        file_name: Option<&str>,
                        content_type: Option<&str>,
                        bytes: &[u8],
                    ) -> Self {
                        Self(#mock::WhenBodyExt::multipart_file(self.0, name, file_name, content_type, bytes))
                    }
                };
                imp.items.splice(at..=at, [text, file]);
            }
        }
    }
}
