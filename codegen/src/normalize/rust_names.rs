//! Pass 6: one Rust name per schema.
//!
//! typify names a component schema's type after the component, and emits
//! two items of one name — which does not compile — in two cases public
//! specs hit:
//!
//! - Two components whose names differ but convert to the same Rust name
//!   (`metadata` and `_metadata` are both `Metadata`): the later one in key
//!   order is renamed (`Metadata2`), every `$ref` to it follows, and a warning says
//!   so at the component.
//! - A `nullable` component made of an `allOf` of several members: typify
//!   names both the `Option` newtype and the merged struct after the
//!   component. The members move into a component of their own,
//!   `<Name>Inner` (the name typify gives inner types), and the component
//!   becomes a nullable reference to it; the Rust type keeps its name.
//! - A component `enum` that lists `null` but is not `nullable` (the same
//!   two items): it is made nullable, as its values say.
//! - An inline property schema that typify names `<Parent><Property>`
//!   when a component has that name: it becomes a component of a fresh
//!   name.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::doc::{Doc, fresh_name, rust_type_name};
use crate::document::pointer::{Lookup, escape_token, percent_decode};

pub(crate) fn run(doc: &mut Doc) {
    rename_collisions(doc);
    split_nullable_merges(doc);
    nullable_null_enums(doc);
    hoist_shadowing_properties(doc);
}

/// Whether typify makes a type of its own of this inline schema.
fn makes_a_type(schema: &Value) -> bool {
    let Value::Object(m) = schema else {
        return false;
    };
    !m.contains_key("$ref")
        && (m.contains_key("properties")
            || m.contains_key("enum")
            || m.contains_key("oneOf")
            || m.contains_key("anyOf")
            || m.contains_key("allOf"))
}

/// typify names the type of an inline property schema `<Parent><Property>`
/// without looking at the components: `SignRequestSignerInput.validation`
/// beside a component `SignRequestSignerInputValidation` gives two items
/// of one name. Such a property schema becomes a component of a fresh name.
fn hoist_shadowing_properties(doc: &mut Doc) {
    let names = doc.component_names("schemas");
    let mut taken: HashSet<String> = names.iter().map(|n| rust_type_name(n)).collect();
    let mut found: Vec<(String, String)> = Vec::new(); // (pointer of the property schema, parent-property)
    for name in &names {
        let base = format!("/components/schemas/{}", escape_token(name));
        let Some(schema) = doc.root.at(&base) else {
            continue;
        };
        let mut holders = vec![base.clone()];
        if let Some(Value::Array(members)) = schema.get("allOf") {
            holders.extend((0..members.len()).map(|i| format!("{base}/allOf/{i}")));
        }
        for holder in holders {
            let Some(Value::Object(props)) = doc.root.at(&format!("{holder}/properties")) else {
                continue;
            };
            for (prop, value) in props {
                let typify_name = rust_type_name(&format!("{name}-{prop}"));
                if makes_a_type(value) && taken.contains(&typify_name) {
                    found.push((
                        format!("{holder}/properties/{}", escape_token(prop)),
                        format!("{name}-{prop}"),
                    ));
                }
            }
        }
    }
    for (ptr, base) in found {
        let fresh = fresh_name(&rust_type_name(&base), &mut taken);
        let Some(slot) = doc.root.at_mut(&ptr) else {
            continue;
        };
        let schema = std::mem::replace(
            slot,
            json!({"$ref": format!("#/components/schemas/{}", escape_token(&fresh))}),
        );
        if let Some(Value::Object(schemas)) = doc.root.at_mut("/components/schemas") {
            schemas.insert(fresh.clone(), schema);
        }
        doc.origins.record(
            &format!("/components/schemas/{}", escape_token(&fresh)),
            &ptr,
        );
        doc.warn(
            &ptr,
            format!("the inline type of this property would be named like the component `{}`; it is generated as `{fresh}`", rust_type_name(&base)),
            None,
        );
    }
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

fn rename_collisions(doc: &mut Doc) {
    let names = doc.component_names("schemas");
    let mut taken: HashSet<String> = names.iter().map(|n| rust_type_name(n)).collect();
    let mut first: HashMap<String, String> = HashMap::new(); // Rust name → component
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
    rewrite_refs(&mut doc.root, &targets);
    for (old, new, other) in renames {
        let at = format!("/components/schemas/{}", escape_token(&new));
        doc.origins
            .record(&at, &format!("/components/schemas/{}", escape_token(&old)));
        doc.warn(
            &at,
            format!(
                "schema `{old}` has the Rust name of `{other}` (`{}`); it is generated as `{}`",
                rust_type_name(&old),
                rust_type_name(&new)
            ),
            Some("give the two schemas names that differ in more than case and punctuation"),
        );
    }
}

/// Every `$ref` whose target (percent-decoded) is a key of `targets`, rewritten.
fn rewrite_refs(value: &mut Value, targets: &HashMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(new) = targets.get(&percent_decode(r))
            {
                *r = new.clone();
            }
            for (key, child) in map.iter_mut() {
                // Data, not schemas: examples may hold a `$ref` key.
                if key != "example" && key != "examples" && key != "default" && key != "enum" {
                    rewrite_refs(child, targets);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, targets)),
        _ => {}
    }
}

fn split_nullable_merges(doc: &mut Doc) {
    let names = doc.component_names("schemas");
    let mut taken: HashSet<String> = names.iter().map(|n| rust_type_name(n)).collect();
    let mut moves: Vec<(String, String)> = Vec::new();
    // Not `section_mut`: a document without schemas stays without them.
    let Some(Value::Object(schemas)) = doc.root.at_mut("/components/schemas") else {
        return;
    };
    for name in &names {
        let Some(Value::Object(schema)) = schemas.get(name) else {
            continue;
        };
        let merges = schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|members| members.len() > 1);
        if !merges || schema.get("nullable") != Some(&Value::Bool(true)) {
            continue;
        }
        let inner_name = fresh_name(&format!("{name}Inner"), &mut taken);
        let Some(Value::Object(schema)) = schemas.get_mut(name) else {
            continue;
        };
        // What describes the value moves; the docs stay on the outer type.
        let mut inner = Map::new();
        for (key, value) in std::mem::take(schema) {
            match key.as_str() {
                "nullable" | "description" | "title" | "deprecated" | "example"
                | "externalDocs" => {
                    schema.insert(key, value);
                }
                _ => {
                    inner.insert(key, value);
                }
            }
        }
        schema.insert(
            "allOf".to_owned(),
            json!([{"$ref": format!("#/components/schemas/{}", escape_token(&inner_name))}]),
        );
        schemas.insert(inner_name.clone(), Value::Object(inner));
        moves.push((name.clone(), inner_name));
    }
    for (name, inner) in moves {
        doc.origins.record(
            &format!("/components/schemas/{}/allOf", escape_token(&inner)),
            &format!("/components/schemas/{}/allOf", escape_token(&name)),
        );
        doc.warn(
            &format!("/components/schemas/{}", escape_token(&name)),
            format!("the members of nullable `{name}`'s `allOf` are generated as `{inner}`, and `{name}` as an optional `{inner}`"),
            Some("typify would give the merged type the name of the nullable one"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn inline_property_types_named_like_a_component_move() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Input": {"allOf": [{"type": "object"}, {"properties": {"validation": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}]},
            "InputValidation": {"type": "object"},
            "Other": {"properties": {"validation": {"type": "string"}}},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(
            schemas["Input"]["allOf"][1]["properties"]["validation"],
            json!({"$ref": "#/components/schemas/InputValidation2"})
        );
        assert_eq!(
            schemas["InputValidation2"]["oneOf"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(
            doc.findings[0].pointer,
            "/components/schemas/Input/allOf/1/properties/validation"
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

    #[test]
    fn nullable_merges_get_an_inner_component() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Access": {"type": "object"},
            "AccessNullable": {"nullable": true, "description": "d", "allOf": [{"$ref": "#/components/schemas/Access"}, {"type": "object"}]},
            "Single": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Access"}]},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(
            schemas["AccessNullable"],
            json!({"nullable": true, "description": "d", "allOf": [{"$ref": "#/components/schemas/AccessNullableInner"}]})
        );
        assert_eq!(
            schemas["AccessNullableInner"],
            json!({"allOf": [{"$ref": "#/components/schemas/Access"}, {"type": "object"}]})
        );
        assert_eq!(
            schemas["Single"]["allOf"].as_array().unwrap().len(),
            1,
            "one member: untouched"
        );
        assert_eq!(
            doc.origins
                .source("/components/schemas/AccessNullableInner/allOf/1"),
            "/components/schemas/AccessNullable/allOf/1"
        );
    }
}
