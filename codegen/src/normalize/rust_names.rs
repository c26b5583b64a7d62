//! A normalization pass (their order: `normalize/mod.rs`): one Rust name per schema.
//!
//! typify names a component schema's type after the component, and emits
//! two items of one name — which does not compile — in two cases public
//! specs hit:
//!
//! - Two components whose names differ but convert to the same Rust name
//!   (`metadata` and `_metadata` are both `Metadata`): the later one in key
//!   order is renamed (`Metadata2`), every `$ref` to it follows, and a warning says
//!   so at the component.
//! - A component named like a prelude value the generated code calls
//!   (`Ok`, `Err`, `Some`, `None`): renamed the same way; a newtype of
//!   that name would shadow the constructor.
//! - A component `enum` that lists `null` but is not `nullable` (the same
//!   two items): it is made nullable, as its values say.
//!
//! The names typify derives inside a component (inline schemas, the
//! member of a nullable composition) are claimed later, by
//! [`super::type_names`], once every component exists.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::doc::{Doc, fresh_name, rust_type_name};
use crate::document::pointer::{Lookup, escape_token};

pub(crate) fn run(doc: &mut Doc) {
    rename_collisions(doc);
    nullable_null_enums(doc);
}

/// A component `enum` that lists `null` without `nullable: true`: typify
/// names the `Option` newtype and the enum alike. The value list says
/// `null` is allowed, so the schema is marked nullable (then typify names
/// the enum `<Name>Inner`).
fn nullable_null_enums(doc: &mut Doc) {
    let Some(Value::Object(schemas)) = doc.root.at_mut("/components/schemas") else {
        return;
    };
    let mut marked = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let Value::Object(schema) = schema else {
            continue;
        };
        let lists_null = schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null));
        if lists_null && schema.get("nullable") != Some(&Value::Bool(true)) {
            schema.insert("nullable".to_owned(), Value::Bool(true));
            marked.push(name.clone());
        }
    }
    for name in marked {
        doc.warn(
            &format!("/components/schemas/{}/enum", escape_token(&name)),
            format!("`enum` of `{name}` lists `null` but the schema is not `nullable`; it is made nullable"),
            Some("add `nullable: true`, or take `null` out of the values"),
        );
    }
}

/// Prelude names the code of `mod types` calls unqualified (`Ok(..)`,
/// `Err("invalid value".into())`, `Some`, `None`, `Default::default()`): a
/// type of one of these names shadows the prelude's in its module.
pub(crate) const PRELUDE_VALUES: [&str; 5] = ["Ok", "Err", "Some", "None", "Default"];

pub(crate) fn rename_collisions(doc: &mut Doc) {
    let names = doc.component_names("schemas");
    let mut taken: HashSet<String> = names.iter().map(|n| rust_type_name(n)).collect();
    taken.extend(PRELUDE_VALUES.map(str::to_owned));
    // Rust name → component (a prelude name → itself, quoted).
    let mut first: HashMap<String, String> = PRELUDE_VALUES
        .iter()
        .map(|n| ((*n).to_owned(), format!("the prelude's `{n}`")))
        .collect();
    let mut renames: Vec<(String, String, String)> = Vec::new(); // (old, new, clashes with)
    for name in &names {
        let rust = rust_type_name(name);
        match first.get(&rust) {
            None => {
                first.insert(rust, name.clone());
            }
            Some(other) => {
                let new = fresh_name(name, &mut taken);
                renames.push((name.clone(), new, other.clone()));
            }
        }
    }
    if renames.is_empty() {
        return;
    }
    let Some(schemas) = doc.section_mut("schemas") else {
        return;
    };
    // Rebuild the map in order, the renamed ones under their new name.
    let old = std::mem::take(schemas);
    for (name, schema) in old {
        match renames.iter().find(|(o, ..)| *o == name) {
            Some((_, new, _)) => schemas.insert(new.clone(), schema),
            None => schemas.insert(name, schema),
        };
    }
    let targets: HashMap<String, String> = renames
        .iter()
        .map(|(o, n, _)| {
            (
                format!("#/components/schemas/{}", escape_token(o)),
                format!("#/components/schemas/{}", escape_token(n)),
            )
        })
        .collect();
    crate::document::refs::retarget(&mut doc.root, &targets);
    for (old, new, other) in renames {
        let at = format!("/components/schemas/{}", escape_token(&new));
        doc.origins
            .record(&at, &format!("/components/schemas/{}", escape_token(&old)));
        let (message, help) = if PRELUDE_VALUES.contains(&rust_type_name(&old).as_str()) {
            (
                format!(
                    "schema `{old}` has the Rust name `{}` of {other}, which the generated code calls; it is generated as `{}`",
                    rust_type_name(&old),
                    rust_type_name(&new)
                ),
                "rename the schema to keep its name in the client",
            )
        } else {
            (
                format!(
                    "schema `{old}` has the Rust name of `{other}` (`{}`); it is generated as `{}`",
                    rust_type_name(&old),
                    rust_type_name(&new)
                ),
                "give the two schemas names that differ in more than case and punctuation",
            )
        };
        doc.warn(&at, message, Some(help));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_schema_named_like_a_prelude_value_is_renamed() {
        let mut doc = Doc::new(json!({
            "paths": {},
            "components": {"schemas": {
                "err": {"type": "array", "items": {"type": "integer"}},
                "Ok2": {"type": "string"},
                "Ok": {"type": "object", "properties": {"e": {"$ref": "#/components/schemas/err"}}},
            }}
        }));
        run(&mut doc);
        let schemas = doc.root["components"]["schemas"].as_object().unwrap();
        let keys: Vec<&String> = schemas.keys().collect();
        assert_eq!(keys, ["Ok2", "Ok3", "err2"]);
        assert_eq!(
            schemas["Ok3"]["properties"]["e"]["$ref"],
            "#/components/schemas/err2"
        );
        let messages: Vec<&str> = doc.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "schema `Ok` has the Rust name `Ok` of the prelude's `Ok`, which the generated code calls; it is generated as `Ok3`",
                "schema `err` has the Rust name `Err` of the prelude's `Err`, which the generated code calls; it is generated as `Err2`",
            ]
        );
    }

    #[test]
    fn colliding_names_are_renamed_with_their_references() {
        let mut doc = Doc::new(json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/_metadata"}}}}}}}},
            "components": {"schemas": {
                "metadata": {"type": "object"},
                "_metadata": {"type": "object", "properties": {"up": {"$ref": "#/components/schemas/_metadata"}}},
            }}
        }));
        run(&mut doc);
        let schemas = doc.root["components"]["schemas"].as_object().unwrap();
        let keys: Vec<&String> = schemas.keys().collect();
        // Components are visited in key order: `_metadata` keeps the name.
        assert_eq!(keys, ["_metadata", "metadata2"]);
        assert_eq!(
            schemas["_metadata"]["properties"]["up"]["$ref"],
            "#/components/schemas/_metadata"
        );
        assert_eq!(
            doc.root
                .pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref")
                .unwrap(),
            "#/components/schemas/_metadata"
        );
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].pointer, "/components/schemas/metadata");
        assert_eq!(
            doc.origins.source("/components/schemas/metadata2/type"),
            "/components/schemas/metadata/type"
        );
        assert_eq!(
            doc.findings[0].message,
            "schema `metadata` has the Rust name of `_metadata` (`Metadata`); it is generated as `Metadata2`"
        );
        // A reference to the renamed one follows it.
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "a_b": {"type": "string"}, "aB": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/a_b"}}},
        }}}));
        run(&mut doc);
        assert_eq!(
            doc.root["components"]["schemas"]["aB"]["properties"]["x"]["$ref"],
            "#/components/schemas/a_b2"
        );
    }

    #[test]
    fn enums_listing_null_become_nullable() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Freq": {"type": "string", "enum": ["monthly", null]},
            "Plain": {"type": "string", "enum": ["a"]},
        }}}));
        run(&mut doc);
        assert_eq!(doc.root["components"]["schemas"]["Freq"]["nullable"], true);
        assert!(
            doc.root["components"]["schemas"]["Plain"]
                .get("nullable")
                .is_none()
        );
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].pointer, "/components/schemas/Freq/enum");
    }
}
