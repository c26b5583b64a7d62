//! Writing an [`Operation`] as its `Client` method and its builder: the
//! struct, the setters and a `send()` around the moved request building.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Stmt};

use super::positional::{Operation, Slot};
use super::templates::Templates;

impl Operation {
    pub(super) fn client_method(&self) -> TokenStream {
        let Operation {
            method,
            builder,
            doc,
            ..
        } = self;
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> builder::#builder<'_> {
                builder::#builder::new(self)
            }
        }
    }

    /// The builder struct and its impl. Standard names are spelled out
    /// (`paths` shortens them where nothing shadows them). The moved
    /// request building is spliced into the parsed `send()` as syntax:
    /// printing it into the tokens would only have it parsed again.
    pub(super) fn into_builder_items(
        self,
        runtime: &syn::Path,
        templates: &Templates,
    ) -> Result<Vec<Item>, String> {
        let Operation {
            method,
            builder,
            client,
            params,
            success,
            decode,
            entry,
            request,
            send_doc,
            ..
        } = &self;
        let result = quote!(::std::result::Result);
        let struct_doc = format!(" Builder for [`Client::{method}`](super::Client::{method}).");
        let derive = if self.cloneable {
            quote!(#[derive(Debug, Clone)])
        } else {
            quote!(#[derive(Debug)])
        };
        let idents: Vec<&syn::Ident> = params.iter().map(|p| &p.ident).collect();
        let inits = params.iter().map(|p| match p.slot {
            Slot::DefaultBody => quote!(::std::default::Default::default()),
            Slot::Required | Slot::Optional => quote!(None),
        });
        let required = params
            .iter()
            .filter(|p| matches!(p.slot, Slot::Required))
            .count();
        let checks = params
            .iter()
            .filter(|p| matches!(p.slot, Slot::Required))
            .map(|p| {
                let ident = &p.ident;
                let name = ident.to_string();
                let name = name.trim_start_matches("r#");
                quote!(let #ident = #runtime::required(#ident, #name)?;)
            });
        // A request that can be built again is built by a closure, once per
        // attempt: nothing is copied when the first attempt succeeds. The
        // closure borrows the parameters (progenitor's request building was
        // written for borrowed parameters anyway). A raw body (a stream)
        // cannot be rebuilt: that request is built once and copied for
        // retries where it can be.
        let rebuild = self.cloneable
            && (decode == "send_json" || decode == "send_empty")
            && !self.body.iter().any(sets_raw_body);
        let names: HashSet<String> = idents.iter().map(|i| i.to_string()).collect();
        let call = if rebuild {
            let decode_with = format_ident!("{}_with", decode);
            quote! {
                #runtime::#decode_with(#client, &super::operations::#entry, || {
                    #result::Ok(#request)
                })
                .await
            }
        } else {
            quote!(#runtime::#decode(#client, &super::operations::#entry, #request).await)
        };
        let tokens = quote! {
            #[doc = #struct_doc]
            #derive
            pub struct #builder<'a> {
                #client: &'a super::Client,
            }
            impl<'a> #builder<'a> {
                /// A builder with no parameter set.
                pub fn new(#client: &'a super::Client) -> Self {
                    Self {
                        #client,
                        #(#idents: #inits,)*
                    }
                }
                #[doc = #send_doc]
                pub async fn send(self) -> #result<ResponseValue<#success>, Error> {
                    let Self { #client, #(#idents),* } = self;
                    #(#checks)*
                    #call
                }
            }
        };
        let mut file: syn::File = syn::parse2(tokens)
            .map_err(|e| format!("the builder of `{method}` does not parse: {e}"))?;
        // The fields after the client's, the setters between `new` and `send`.
        for item in &mut file.items {
            match item {
                Item::Struct(s) => {
                    if let syn::Fields::Named(named) = &mut s.fields {
                        for p in params {
                            named.named.push(templates.field(p));
                            named.named.push_punct(Default::default());
                        }
                    }
                }
                Item::Impl(imp) => {
                    let mut setters = Vec::new();
                    for p in params {
                        templates.setters(p, &mut setters);
                    }
                    let at = 1.min(imp.items.len());
                    imp.items.splice(at..at, setters);
                }
                _ => {}
            }
        }
        let send = file.items.iter_mut().find_map(|item| match item {
            Item::Impl(imp) => imp.items.iter_mut().find_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
                _ => None,
            }),
            _ => None,
        });
        let Some(send) = send else {
            return Err(format!("the builder of `{method}` has no send()"));
        };
        if rebuild {
            // Into the closure, before its `Ok(request)`.
            let closure = send.block.stmts.last_mut().and_then(find_closure_block);
            let Some(block) = closure else {
                return Err(format!("the send() of `{method}` has no request closure"));
            };
            // The closure borrows what it uses: progenitor's request
            // building only moves an optional header's value out of its
            // `Option` (`if let Some(value) = x_trace_id`); borrow it.
            let mut body = self.body;
            let mut borrow = BorrowMatched(names);
            for stmt in &mut body {
                borrow.visit_stmt_mut(stmt);
            }
            block.stmts.splice(0..0, body);
        } else {
            // After the destructuring and the checks, before the runtime call.
            let at = 1 + required;
            send.block.stmts.splice(at..at, self.body);
        }
        Ok(file.items)
    }
}

/// `if let Some(v) = param` → `if let Some(v) = &param`, for the
/// parameters named.
struct BorrowMatched(HashSet<String>);

impl VisitMut for BorrowMatched {
    fn visit_expr_let_mut(&mut self, e: &mut syn::ExprLet) {
        syn::visit_mut::visit_expr_let_mut(self, e);
        let named = matches!(e.expr.as_ref(),
            Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.0.contains(&i.to_string())));
        if named {
            let scrutinee = &e.expr;
            *e.expr = syn::parse_quote!(&#scrutinee);
        }
    }
}

/// Whether a statement hands a value to `.body(..)` (a raw or text body,
/// which takes its value by move: that request is not rebuilt).
fn sets_raw_body(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            self.0 |= call.method == "body";
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut f = Finder(false);
    f.visit_stmt_mut(&mut stmt.clone());
    f.0
}

/// The block of the request-building closure passed to the runtime in
/// `stmt` (`runtime::send_json_with(.., || { .. }).await`).
fn find_closure_block(stmt: &mut Stmt) -> Option<&mut syn::Block> {
    let expr = match stmt {
        Stmt::Expr(e, _) => e,
        _ => return None,
    };
    let Expr::Await(awaited) = expr else {
        return None;
    };
    let Expr::Call(call) = awaited.base.as_mut() else {
        return None;
    };
    call.args.iter_mut().find_map(|arg| match arg {
        Expr::Closure(c) => match c.body.as_mut() {
            Expr::Block(b) => Some(&mut b.block),
            _ => None,
        },
        _ => None,
    })
}
