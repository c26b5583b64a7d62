//! Renamed schemas that keep their old Rust name.
//!
//! Renaming a component schema renames its Rust type, and every crate that
//! names the old type stops compiling, although nothing changed on the
//! wire. `x-codegen-former-names: [Stance]` on the renamed schema keeps
//! each former name as a deprecated alias of the new type, so the rename
//! reaches users as a deprecation warning instead of a build failure (and
//! `cargo xtask diff` calls it additive). A former name that is taken by
//! another type, or that is the current name, is skipped.

use std::collections::HashSet;

use openapiv3::{OpenAPI, ReferenceOr};
use quote::format_ident;

use super::syntax::{item_name, types_items};
use crate::naming::{Case, sanitize};

/// The schema extension listing a schema's former names.
pub(crate) const FORMER_NAMES_EXTENSION: &str = "x-codegen-former-names";

/// Adds `#[deprecated] pub type Former = Current;` to `mod types` for every
/// former name the spec lists.
pub(crate) fn add_aliases(file: &mut syn::File, api: &OpenAPI) {
    let Some(components) = &api.components else {
        return;
    };
    let mut wanted = Vec::new();
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let Some(formers) = schema
            .schema_data
            .extensions
            .get(FORMER_NAMES_EXTENSION)
            .and_then(serde_json::Value::as_array)
        else {
            continue;
        };
        let current = sanitize(name, Case::Pascal);
        for former in formers.iter().filter_map(serde_json::Value::as_str) {
            wanted.push((
                former.to_owned(),
                sanitize(former, Case::Pascal),
                current.clone(),
            ));
        }
    }
    if wanted.is_empty() {
        return;
    }
    let Some(items) = types_items(file) else {
        return;
    };
    let mut taken: HashSet<String> = items.iter().filter_map(item_name).collect();
    for (spelled, former, current) in wanted {
        if former == current || !taken.contains(&current) || !taken.insert(former.clone()) {
            continue;
        }
        let (alias, target) = (format_ident!("{}", former), format_ident!("{}", current));
        let doc = format!(
            " The former name of [`{current}`] (schema `{spelled}`), kept so that code naming it still compiles."
        );
        let note = format!("renamed to `{current}`");
        items.push(syn::parse_quote! {
            #[doc = #doc]
            #[deprecated(note = #note)]
            pub type #alias = #target;
        });
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn aliases_only_free_names() {
        let api: openapiv3::OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "CharacterStance": {"type": "object", "x-codegen-former-names": ["Stance", "Mood", "CharacterStance", 7]},
                "Mood": {"type": "string"}
            }}
        }))
        .unwrap();
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct CharacterStance {}
                pub struct Mood(String);
            }
        };
        super::add_aliases(&mut file, &api);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("pub type Stance = CharacterStance ;"),
            "{text}"
        );
        assert!(
            text.contains("deprecated (note = \"renamed to `CharacterStance`\")"),
            "{text}"
        );
        // `Mood` is another type; the current name and non-strings are skipped.
        assert_eq!(text.matches("pub type").count(), 1, "{text}");
    }
}
