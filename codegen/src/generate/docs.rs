//! Documentation for every public item, for crates built with
//! `missing_docs` on (alakazam-client is).
//!
//! typify documents a type or field only when the spec has a
//! `description`, progenitor's httpmock extensions document almost
//! nothing, and the passes before this one add setters and variants.
//! With `x-codegen-document-all: true` at the root of the spec, this last
//! pass gives each public item still undocumented a line that says what it
//! is on the wire (setters and open-enum variants get theirs where they are
//! made, in `models` and `enums`). It never replaces a description the
//! spec wrote. Off by default: the line says little a reader of the spec
//! would miss, and costs about 8 % more lines on a large spec.

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, TraitItem, Visibility};

#[cfg(test)]
use super::syntax::types_items;
use super::syntax::{add_doc, has_doc, wire_name};

/// The root extension that asks for every public item to be documented.
pub(crate) const DOCUMENT_ALL_EXTENSION: &str = "x-codegen-document-all";

/// Whether the spec asks for every public item to be documented.
pub(crate) fn wanted(api: &openapiv3::OpenAPI) -> bool {
    api.extensions
        .get(DOCUMENT_ALL_EXTENSION)
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// Documents what `mod types` of the client still leaves undocumented
/// (the generator runs [`document_item`] inside its one walk instead).
#[cfg(test)]
pub(crate) fn document_types(file: &mut syn::File) {
    if let Some(items) = types_items(file) {
        items.iter_mut().for_each(document_item);
    }
}

/// Documents one item of `mod types`, where it is still undocumented.
pub(crate) fn document_item(item: &mut Item) {
    match item {
        Item::Struct(s) if is_pub(&s.vis) => {
            if !has_doc(&s.attrs) {
                add_doc(
                    &mut s.attrs,
                    &format!("The `{}` type of the spec.", s.ident),
                );
            }
            if let Fields::Named(named) = &mut s.fields {
                for f in named.named.iter_mut().filter(|f| is_pub(&f.vis)) {
                    document_field(f);
                }
            }
        }
        Item::Enum(e) if is_pub(&e.vis) => {
            if !has_doc(&e.attrs) {
                add_doc(
                    &mut e.attrs,
                    &format!("The `{}` type of the spec.", e.ident),
                );
            }
            for v in &mut e.variants {
                if let Fields::Named(named) = &mut v.fields {
                    for f in &mut named.named {
                        document_field(f);
                    }
                }
                if has_doc(&v.attrs) {
                    continue;
                }
                let text = match v.fields {
                    Fields::Unit => format!("`{}` on the wire.", wire_name(&v.ident, &v.attrs)),
                    _ => format!("The `{}` alternative.", v.ident),
                };
                add_doc(&mut v.attrs, &text);
            }
        }
        Item::Type(t) if is_pub(&t.vis) && !has_doc(&t.attrs) => {
            let target = t.ty.to_token_stream().to_string().replace(' ', "");
            add_doc(&mut t.attrs, &format!("The same type as `{target}`."));
        }
        _ => {}
    }
}

fn document_field(f: &mut syn::Field) {
    if has_doc(&f.attrs) {
        return;
    }
    if let Some(ident) = &f.ident {
        let text = format!("`{}` in the JSON.", wire_name(ident, &f.attrs));
        add_doc(&mut f.attrs, &text);
    }
}

/// Documents progenitor's httpmock extensions: the `When`/`Then` wrapper
/// of each operation, their methods, and `MockServerExt`.
pub(crate) fn document_httpmock(file: &mut syn::File) {
    for item in &mut file.items {
        match item {
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    for item in items {
                        document_mock_item(item);
                    }
                }
            }
            Item::Trait(t) => {
                if !has_doc(&t.attrs) {
                    add_doc(&mut t.attrs, "Typed mocks: one method per operation.");
                }
                for ti in &mut t.items {
                    if let TraitItem::Fn(f) = ti
                        && !has_doc(&f.attrs)
                    {
                        let text = format!(
                            "Mocks `{}`: `config_fn` gets its typed request matchers and \
                             response setters.",
                            f.sig.ident
                        );
                        add_doc(&mut f.attrs, &text);
                    }
                }
            }
            _ => {}
        }
    }
}

fn document_mock_item(item: &mut Item) {
    match item {
        Item::Struct(s) if !has_doc(&s.attrs) => {
            let name = s.ident.to_string();
            let text = if let Some(op) = name.strip_suffix("When") {
                format!("What a request to `{op}` must match: httpmock's `When`, typed.")
            } else if let Some(op) = name.strip_suffix("Then") {
                format!("How the mock answers `{op}`: httpmock's `Then`, typed.")
            } else {
                format!("`{name}`.")
            };
            add_doc(&mut s.attrs, &text);
        }
        Item::Impl(imp) => {
            let side = if imp.self_ty.to_token_stream().to_string().ends_with("Then") {
                "Then"
            } else {
                "When"
            };
            for ii in &mut imp.items {
                if let ImplItem::Fn(f) = ii
                    && is_pub(&f.vis)
                    && !has_doc(&f.attrs)
                {
                    let text = mock_method_doc(side, &f.sig.ident.to_string(), f);
                    add_doc(&mut f.attrs, &text);
                }
            }
        }
        _ => {}
    }
}

/// What a `When`/`Then` method does, read from the call it makes.
fn mock_method_doc(side: &str, name: &str, f: &syn::ImplItemFn) -> String {
    match name {
        "new" if side == "When" => {
            return "Wraps httpmock's `When`, matching the operation's method and path.".into();
        }
        "new" => return "Wraps httpmock's `Then`.".into(),
        "into_inner" => {
            return format!("httpmock's `{side}`, to go beyond what the spec allows.");
        }
        _ => {}
    }
    let body = f.block.to_token_stream().to_string();
    let optional = !f.sig.generics.params.is_empty();
    let absent = if optional {
        " (`None`: it must be absent)"
    } else {
        ""
    };
    if side == "Then" {
        let with_body = if body.contains("json_body") {
            " and `value` as the JSON body"
        } else {
            ""
        };
        return match status_literal(&body) {
            Some(status) => format!("Responds with status {status}{with_body}."),
            None => format!("Responds with `status`{with_body}."),
        };
    }
    if let Some(param) = first_string_after(&body, "query_param") {
        format!("Matches the query parameter `{param}`{absent}.")
    } else if let Some(param) = first_string_after(&body, "header") {
        format!("Matches the header `{param}`{absent}.")
    } else if body.contains("path_matches") {
        format!("Matches the path parameter `{name}`.")
    } else if body.contains("json_body") {
        "Matches a JSON body equal to `value`.".into()
    } else {
        "Matches a body equal to `value`.".into()
    }
}

/// `200` in `. status (200u16)`.
fn status_literal(body: &str) -> Option<u16> {
    let rest = &body[body.find("status (")? + "status (".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `name` in `. query_param ("name" , …)`.
fn first_string_after(body: &str, call: &str) -> Option<String> {
    let rest = &body[body.find(&format!(". {call} (\""))? + call.len() + 5..];
    Some(rest[..rest.find('"')?].to_owned())
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_and_parameter_names_from_the_body() {
        assert_eq!(
            status_literal(". status (201u16) . json_body_obj (value)"),
            Some(201)
        );
        assert_eq!(status_literal(". status (status)"), None);
        assert_eq!(
            first_string_after(
                "Self (self . 0 . query_param (\"limit\" , value . to_string ()))",
                "query_param"
            )
            .as_deref(),
            Some("limit")
        );
    }

    #[test]
    fn keeps_what_the_spec_documented() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                /// Written by the spec.
                pub struct A {
                    /// Also written.
                    pub x: u8,
                    #[serde(rename = "yValue")]
                    pub y: u8,
                }
                pub enum E {
                    #[serde(rename = "a-b")]
                    AB,
                    C(String),
                }
            }
        };
        document_types(&mut file);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("\" Written by the spec.\""));
        assert!(!text.contains("The `A` type"));
        assert!(text.contains("\" Also written.\""));
        assert!(text.contains("\" `yValue` in the JSON.\""));
        assert!(text.contains("\" The `E` type of the spec.\""));
        assert!(text.contains("\" `a-b` on the wire.\""));
        assert!(text.contains("\" The `C` alternative.\""));
    }
}
