//! Request bodies the generated `send()` builds itself: `multipart/form-data`
//! from the typed model's fields, and form bodies with nested fields per
//! their `encoding`.
//!
//! Normalization (`normalize/request_bodies.rs`) shows a multipart body to
//! progenitor as a JSON body and writes how each field goes on the wire in
//! `x-codegen-body`; a form body keeps its media type (progenitor writes
//! `.form_urlencoded(&body)`, which serde_urlencoded fails on at the first
//! nested object or array) and gets its `encoding` there. This pass, after
//! every pass that reads or writes the models' fields (their wire names
//! are read from serde's `rename`s), in each such `send()`, replaces
//! `.json(&body)` by `.multipart(Multipart::new().text("name",
//! &body.name)?.file("cover", &body.cover)?….into_form())`, or
//! `.form_urlencoded(&body)` by `.body(form_body(&body, &[FieldEncoding {
//! .. }])?)` with its `Content-Type` (see [`send`]). The model itself stays
//! as typify wrote it, serde derives included: `FilePart` encodes as its
//! bytes (see the runtime), so such a model is a value like any other.
//!
//! The typed mocks of these operations are rewritten to match (see [`mock`]).

pub(crate) mod mock;
mod send;

use std::collections::HashMap;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::document::extensions::BODY_EXTENSION;
use crate::document::operations::{OperationKey, plan_operations, typed_request_body};

pub(crate) use send::rewrite;

/// How one field of a multipart body is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    File,
    Json,
    Text,
}

/// How one operation's body is built.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    /// Wire name → part kind and the `Content-Type` to send it with.
    Multipart(Vec<(String, Part, Option<String>)>),
    /// Wire name, `style`, `explode` of the fields the `encoding` names.
    Form(Vec<(String, String, bool)>),
}

/// One planned operation.
#[derive(Clone, Debug)]
pub(crate) struct Planned {
    pub(crate) operation_id: Option<String>,
    pub(crate) body: Body,
}

/// `(METHOD, path)` → what to build.
pub(crate) type Plan = HashMap<OperationKey, Planned>;

pub(crate) fn plan(api: &OpenAPI) -> Plan {
    plan_operations(api, |_, op| {
        let body = typed_request_body(api, op)?
            .extensions
            .get(BODY_EXTENSION)
            .and_then(read)?;
        Some(Planned {
            operation_id: op.operation_id.clone(),
            body,
        })
    })
}

/// The extension normalization wrote, read back.
fn read(ext: &Value) -> Option<Body> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    match ext.get("kind")?.as_str()? {
        "multipart" => {
            let parts = ext.get("parts")?.as_object()?;
            Some(Body::Multipart(
                parts
                    .iter()
                    .map(|(name, p)| {
                        let kind = match p.get("part").and_then(Value::as_str) {
                            Some("file") => Part::File,
                            Some("json") => Part::Json,
                            _ => Part::Text,
                        };
                        (name.clone(), kind, text(p, "contentType"))
                    })
                    .collect(),
            ))
        }
        "form" => {
            let fields = ext.get("encoding")?.as_object()?;
            Some(Body::Form(
                fields
                    .iter()
                    .map(|(name, e)| {
                        let style = text(e, "style").unwrap_or_else(|| "form".to_owned());
                        let explode = e
                            .get("explode")
                            .and_then(Value::as_bool)
                            .unwrap_or(style == "form");
                        (name.clone(), style, explode)
                    })
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// The runtime's `Style` variant for an OpenAPI `style`.
fn style_variant(style: &str) -> proc_macro2::Ident {
    let name = match style {
        "spaceDelimited" => "SpaceDelimited",
        "pipeDelimited" => "PipeDelimited",
        "deepObject" => "DeepObject",
        _ => "Form",
    };
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// `&[FieldEncoding { .. }, ..]` of a form body.
fn form_encoding(runtime: &syn::Path, fields: &[(String, String, bool)]) -> syn::Expr {
    let entries = fields.iter().map(|(name, style, explode)| {
        let style = style_variant(style);
        quote::quote! {
            #runtime::FieldEncoding { name: #name, style: #runtime::Style::#style, explode: #explode }
        }
    });
    syn::parse_quote!(&[#(#entries),*])
}
