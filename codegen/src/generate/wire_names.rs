//! Keys normalization renamed for Rust, back to their wire names.
//!
//! `normalize/field_names.rs` gives a property whose field name another
//! property already has a key that carries its wire name and a number
//! (`Guid\u{1}2`): typify names the field after it (`guid_2`) and writes
//! the key wherever the JSON names the property — `#[serde(rename)]`, a
//! multipart part's name, a doc. Every string literal holding such a key
//! gets the wire name back; nothing but these keys contains the mark.

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

use crate::naming::MARK;

/// Rewrites every marked key in `file`.
pub(crate) fn restore(file: &mut syn::File) {
    Restore.visit_file_mut(file);
}

struct Restore;

impl VisitMut for Restore {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let value = lit.value();
        if value.contains(MARK) {
            *lit = syn::LitStr::new(&unmark(&value), lit.span());
        }
    }

    // Attribute arguments (`serde(rename = "..")`) and macro input are
    // tokens syn does not parse into literals.
    fn visit_meta_list_mut(&mut self, list: &mut syn::MetaList) {
        list.tokens = tokens(std::mem::take(&mut list.tokens));
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = tokens(std::mem::take(&mut mac.tokens));
    }
}

/// Each marked key of `text` (a literal's value: a key, or a doc quoting
/// one) as its wire name.
fn unmark(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let digits = rest[at + MARK.len_utf8()..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        out.push_str(&rest[..at]);
        if digits == 0 {
            out.push(MARK);
        }
        rest = &rest[at + MARK.len_utf8() + digits..];
    }
    out.push_str(rest);
    out
}

fn tokens(stream: TokenStream) -> TokenStream {
    stream
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) => {
                let mut new = Group::new(g.delimiter(), tokens(g.stream()));
                new.set_span(g.span());
                TokenTree::Group(new)
            }
            TokenTree::Literal(lit) => {
                // A control character is printed escaped: `\u{1}`.
                if !lit.to_string().contains("\\u{1}") {
                    return TokenTree::Literal(lit);
                }
                match syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into()) {
                    Ok(s) => {
                        let mut new = Literal::string(&unmark(&s.value()));
                        new.set_span(lit.span());
                        TokenTree::Literal(new)
                    }
                    Err(_) => TokenTree::Literal(lit),
                }
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::marked;

    #[test]
    fn marked_keys_become_wire_names_in_attributes_and_code() {
        let key = marked("Guid", 2);
        let mut file: syn::File = syn::parse_quote! {
            pub struct Media {
                #[serde(rename = #key, default)]
                pub guid_2: Option<String>,
            }
            fn part() -> &'static str { #key }
            #[doc = #key]
            fn documented() {}
        };
        restore(&mut file);
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("\\u{1}"), "{text}");
        assert!(text.contains(r#"rename = "Guid""#), "{text}");
        assert!(text.contains(r#"{ "Guid" }"#), "{text}");
        assert!(text.contains(r#"doc = "Guid""#), "{text}");
    }

    #[test]
    fn unmark_drops_the_mark_and_its_number_only() {
        assert_eq!(
            unmark(&format!("`{}` on the wire", marked("a.b", 12))),
            "`a.b` on the wire"
        );
        assert_eq!(unmark("plain"), "plain");
        assert_eq!(unmark("a\u{1}b"), "a\u{1}b");
    }
}
