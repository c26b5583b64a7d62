//! A normalization pass (their order: `normalize/mod.rs`): every type name typify derives is claimed once.
//!
//! typify names a component's type after its key and an inline schema's
//! after where it sits: `<Parent>_<property>`, `<Parent>Item` for array
//! items, `<Parent>Value` for map values, `<Parent>Variant<i>` for a
//! union's member (`<Parent>Subtype<i>` in the struct it makes of an
//! `anyOf` whose members overlap), or its `title`; the properties of an
//! internally tagged union's variants after the union. It keeps one
//! table of names and, for an inline schema, takes a name already in the
//! table to mean that type: so an inline schema whose derived name is a
//! component's, or another inline schema's of a different shape, either
//! becomes the wrong type silently (the other was converted first) or a
//! second item of that name (it was converted later), which does not
//! compile. Which of the two depends on the order of the components.
//!
//! This pass walks every component as typify will, claiming each derived
//! name: components first (their names are fixed), then inline schemas in
//! order. An inline schema that would take a name claimed by something
//! else becomes a component of a fresh name (`<Name>2`), with a warning;
//! schemas of one shape share a name, as typify makes them share a type.
//! It runs after `hoist`, the last pass that adds components, so that it
//! sees every schema typify will name; a hoisted schema's own inline
//! schemas are claimed in the next round.
//!
//! First, a `nullable` component made of a composition (`allOf`, `oneOf`,
//! `anyOf`, `not`; all but an `allOf` of one `$ref`): typify names both
//! the `Option` newtype and the composed struct or enum after the
//! component. What describes the value moves into a component of its own,
//! `<Name>Inner` (the name typify gives inner types), and the component
//! becomes a nullable reference to it; the Rust type keeps its name.

use std::collections::{HashMap, HashSet};

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::doc::{Doc, fresh_name, rust_type_name};
use crate::document::pointer::{Lookup, escape_token};

/// Rounds of hoisting: a hoisted schema's children are named after it, and
/// claimed in the next round.
const ROUNDS: usize = 8;

pub(crate) fn run(doc: &mut Doc) {
    // Components the passes since `rust_names` added (hoisted bodies,
    // `<Op>Response`s) are held to its rule too: one Rust name each, none
    // the prelude's.
    super::rust_names::rename_collisions(doc);
    // A schema hoisted in one round may be a nullable composition itself.
    for _ in 0..ROUNDS {
        split_nullable_compositions(doc);
        if !round(doc) {
            break;
        }
    }
}

/// Who holds a name.
enum Claim<'a> {
    Component,
    /// A name the generated code uses itself (`Ok`, `None`).
    Reserved,
    Inline(&'a Value),
}

/// One round: claims every name, hoists the inline schemas that lost
/// theirs. Returns whether it hoisted any.
fn round(doc: &mut Doc) -> bool {
    let names = doc.component_names("schemas");
    let mut claims: HashMap<String, Claim> = names
        .iter()
        .map(|n| (rust_type_name(n), Claim::Component))
        .collect();
    for reserved in super::rust_names::PRELUDE_VALUES {
        claims.insert(reserved.to_owned(), Claim::Reserved);
    }
    // (pointer of the inline schema, the name it would take, who has it)
    let mut losers: Vec<(String, String, &'static str)> = Vec::new();
    for name in &names {
        let ptr = format!("/components/schemas/{}", escape_token(name));
        let Some(schema) = doc.root.at(&ptr) else {
            continue;
        };
        children(
            schema,
            &ptr,
            &rust_type_name(name),
            &mut claims,
            &mut losers,
        );
    }
    if losers.is_empty() {
        return false;
    }
    let mut taken: HashSet<String> = claims.into_keys().collect();
    // A schema claimed under two names (an `anyOf` member) moves once.
    let mut moved: HashSet<String> = HashSet::new();
    for (ptr, name, holder) in losers {
        if !moved.insert(ptr.clone()) {
            continue;
        }
        let fresh = fresh_name(&name, &mut taken);
        doc.hoist_schema(&ptr, &fresh);
        doc.warn(
            &ptr,
            format!(
                "the inline type here would be named like {holder} `{name}`; it is generated as `{}`",
                rust_type_name(&fresh)
            ),
            Some("give it a `$ref` to a component of its own to choose its name"),
        );
    }
    true
}

/// Claims the names of the inline schemas typify names inside `schema`,
/// whose own type is (or would be) named `base`.
fn children<'a>(
    schema: &'a Value,
    ptr: &str,
    base: &str,
    claims: &mut HashMap<String, Claim<'a>>,
    losers: &mut Vec<(String, String, &'static str)>,
) {
    let Value::Object(map) = schema else {
        return;
    };
    // typify merges an `allOf` into one struct: its members' properties
    // are named after the struct.
    // (where, the object, the property that is no type of its own)
    let mut holders = vec![(ptr.to_owned(), map, None)];
    if let Some(Value::Array(members)) = map.get("allOf") {
        for (i, member) in members.iter().enumerate() {
            if let Value::Object(m) = member {
                holders.push((format!("{ptr}/allOf/{i}"), m, None));
            }
        }
    }
    // An internally tagged `oneOf` of inline objects is one enum of struct
    // variants: typify names their properties after the enum too, so two
    // variants' different `dataset`s would both be `<Enum>Dataset`. The
    // tag is serde's, no type: each variant's one value of it is not
    // claimed (moved, it would no longer tell the variants apart).
    let tag = map
        .get("oneOf")
        .and_then(Value::as_array)
        .and_then(|members| internal_tag(members));
    if let (Some(tag), Some(Value::Array(members))) = (&tag, map.get("oneOf")) {
        for (i, member) in members.iter().enumerate() {
            if let Value::Object(m) = member {
                holders.push((format!("{ptr}/oneOf/{i}"), m, Some(tag.as_str())));
            }
        }
    }
    // Any other `oneOf` is an untagged enum whose inline members typify
    // names `<Enum>Variant<i>` (unless every member has a name of its
    // own), and what they hold after that: so a tagged union inside one
    // (growthbook's dashboard blocks, an `anyOf` of two tagged unions)
    // names its variants' properties `<Enum>Variant1<Property>`. An
    // `anyOf` is that enum when typify finds its members exclusive, else a
    // struct of flattened `<Name>Subtype<i>`s: both names are claimed.
    for (key, suffixes) in [
        ("oneOf", &["Variant"][..]),
        ("anyOf", &["Variant", "Subtype"][..]),
    ] {
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        if (key == "oneOf" && tag.is_some()) || members.iter().all(is_named) {
            continue;
        }
        for (i, member) in members.iter().enumerate() {
            for suffix in suffixes {
                claim(
                    member,
                    &format!("{ptr}/{key}/{i}"),
                    &format!("{base}_{suffix}{i}"),
                    claims,
                    losers,
                );
            }
        }
    }
    for (at, holder, tag) in holders {
        if let Some(Value::Object(properties)) = holder.get("properties") {
            for (property, child) in properties {
                if tag == Some(property.as_str()) {
                    continue;
                }
                let name = format!("{base}_{}", property.to_snake_case());
                let child_ptr = format!("{at}/properties/{}", escape_token(property));
                claim(child, &child_ptr, &name, claims, losers);
            }
        }
    }
    if let Some(items) = map.get("items") {
        claim(
            items,
            &format!("{ptr}/items"),
            &format!("{base}Item"),
            claims,
            losers,
        );
    }
    if let Some(values @ Value::Object(_)) = map.get("additionalProperties") {
        claim(
            values,
            &format!("{ptr}/additionalProperties"),
            &format!("{base}Value"),
            claims,
            losers,
        );
    }
}

fn claim<'a>(
    schema: &'a Value,
    ptr: &str,
    suggested: &str,
    claims: &mut HashMap<String, Claim<'a>>,
    losers: &mut Vec<(String, String, &'static str)>,
) {
    let Value::Object(map) = schema else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    // A title names the type instead, as it names the types inside it.
    let name = match map.get("title").and_then(Value::as_str) {
        Some(title) => rust_type_name(title),
        None => rust_type_name(suggested),
    };
    if !makes_a_type(map) {
        // An array or a map is no type of its own, but names what it holds.
        children(schema, ptr, &name, claims, losers);
        return;
    }
    match claims.get(&name) {
        None => {
            claims.insert(name.clone(), Claim::Inline(schema));
            children(schema, ptr, &name, claims, losers);
        }
        // One shape, one type: typify shares it, rightly.
        Some(Claim::Inline(other)) if *other == schema => {}
        Some(holder) => {
            let holder = match holder {
                Claim::Component => "the component",
                Claim::Reserved => "the generated code's",
                Claim::Inline(_) => "another inline type",
            };
            losers.push((ptr.to_owned(), name, holder));
        }
    }
}

/// The property by which typify makes an internally tagged enum of a
/// `oneOf`: inline objects (no `$ref`) sharing a property that each
/// allows one string of its own (`type: {enum: [metric]}`,
/// `{const: fact_table}`).
fn internal_tag(members: &[Value]) -> Option<String> {
    if members.len() < 2 || members.iter().any(|m| m.get("$ref").is_some()) {
        return None;
    }
    let tag_of = |member: &Value, name: &str| -> Option<String> {
        let p = member.get("properties")?.get(name)?;
        if let Some(Value::String(c)) = p.get("const") {
            return Some(c.clone());
        }
        match p.get("enum")?.as_array()?.as_slice() {
            [Value::String(only)] => Some(only.clone()),
            _ => None,
        }
    };
    let Some(Value::Object(first)) = members[0].get("properties") else {
        return None;
    };
    first
        .keys()
        .find(|name| {
            let mut seen = HashSet::new();
            members
                .iter()
                .all(|m| tag_of(m, name).is_some_and(|tag| seen.insert(tag)))
        })
        .cloned()
}

/// Whether typify takes a union member's variant name from the member
/// itself: a `$ref`'s target, a `title`, or a plain type (`String`).
fn is_named(member: &Value) -> bool {
    member.get("$ref").is_some()
        || member.get("title").is_some()
        || !member.as_object().is_some_and(makes_a_type)
}

/// Whether typify makes a named type of its own of this inline schema.
fn makes_a_type(schema: &serde_json::Map<String, Value>) -> bool {
    ["properties", "enum", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| schema.contains_key(*k))
}

/// Whether typify would give the type inside a nullable component the
/// component's own name. progenitor wraps every nullable composition
/// (`allOf`, `oneOf`, `anyOf`, `not`) in `oneOf: [null, …]`, and typify
/// hands the required name down to the member: the `Option` newtype and
/// the member's struct or enum are then two items of one name. Only an
/// `allOf` of one `$ref` is safe: it is that reference, and names nothing.
fn names_its_inner_alike(schema: &Map<String, Value>) -> bool {
    let single_ref = |members: &Vec<Value>| {
        members.len() == 1
            && members[0].get("$ref").is_some()
            && members[0].as_object().is_some_and(|m| m.len() == 1)
    };
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|key| match schema.get(*key) {
            Some(Value::Array(members)) => !(*key == "allOf" && single_ref(members)),
            _ => false,
        })
        || schema.contains_key("not")
}

/// A nullable component typify names twice (see [`names_its_inner_alike`]):
/// what describes the value moves into `<Name>Inner`, and the component
/// becomes a nullable reference to it.
fn split_nullable_compositions(doc: &mut Doc) {
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
        if !names_its_inner_alike(schema) || schema.get("nullable") != Some(&Value::Bool(true)) {
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
            format!("the composition of nullable `{name}` is generated as `{inner}`, and `{name}` as an optional `{inner}`"),
            Some("typify would give the merged type the name of the nullable one"),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn inline_types_named_like_a_component_move_whatever_the_order() {
        // `FooBarBaz` sorts before `foo_bar`, whose property `baz` typify
        // names `FooBarBaz` too: converted second, it would silently be the
        // component's type.
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "FooBarBaz": {"type": "object", "properties": {"x": {"type": "integer"}}},
            "foo_bar": {"type": "object", "properties": {"baz": {"type": "object", "properties": {"y": {"type": "string"}}}}},
            "List": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "string"}}}},
            "ListItem": {"type": "object"},
            "Map": {"type": "object", "additionalProperties": {"type": "array", "items": {"enum": ["a"]}}},
            "MapValueItem": {"type": "string"},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(
            schemas["foo_bar"]["properties"]["baz"],
            json!({"$ref": "#/components/schemas/FooBarBaz2"})
        );
        assert_eq!(schemas["FooBarBaz2"]["properties"]["y"]["type"], "string");
        assert_eq!(
            schemas["List"]["items"],
            json!({"$ref": "#/components/schemas/ListItem2"})
        );
        assert_eq!(
            schemas["Map"]["additionalProperties"]["items"],
            json!({"$ref": "#/components/schemas/MapValueItem2"})
        );
        let pointers: Vec<&str> = doc.findings.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/List/items",
                "/components/schemas/Map/additionalProperties/items",
                "/components/schemas/foo_bar/properties/baz",
            ]
        );
        assert_eq!(
            doc.findings[2].message,
            "the inline type here would be named like the component `FooBarBaz`; it is generated as `FooBarBaz2`"
        );
    }

    #[test]
    fn two_inline_types_of_one_name_and_different_shapes_get_two_names() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Foo": {"properties": {"barBaz": {"properties": {"x": {"type": "string"}}}}},
            "FooBar": {"properties": {"baz": {"properties": {"y": {"type": "string"}}}}},
            "Same1": {"properties": {"s": {"title": "Shared", "properties": {"z": {"type": "string"}}}}},
            "Same2": {"properties": {"t": {"title": "Shared", "properties": {"z": {"type": "string"}}}}},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        assert!(
            schemas["Foo"]["properties"]["barBaz"]
                .get("properties")
                .is_some()
        );
        assert_eq!(
            schemas["FooBar"]["properties"]["baz"],
            json!({"$ref": "#/components/schemas/FooBarBaz2"})
        );
        // One shape under one title: one type, nothing moves.
        assert!(
            schemas["Same2"]["properties"]["t"]
                .get("properties")
                .is_some()
        );
        assert_eq!(doc.findings.len(), 1);
        assert!(
            doc.findings[0]
                .message
                .contains("another inline type `FooBarBaz`")
        );
    }

    /// growthbook's exploration configs: a `oneOf` tagged by `type`,
    /// each variant with a `dataset` of its own shape. typify names every
    /// variant's property after the enum: the second and third move.
    #[test]
    fn properties_of_tagged_variants_are_named_after_the_enum() {
        let variant = |tag: &str, field: &str| {
            json!({"type": "object", "properties": {
                "type": {"type": "string", "const": tag},
                "dataset": {"type": "object", "properties": {field: {"type": "string"}}}}})
        };
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Config": {"oneOf": [variant("metric", "metricId"), variant("fact_table", "factTableId")]},
            "Untagged": {"oneOf": [
                {"type": "object", "properties": {"d": {"properties": {"a": {}}}}},
                {"type": "object", "properties": {"d": {"properties": {"b": {}}}}}]},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        assert!(
            schemas["Config"]["oneOf"][0]["properties"]["dataset"]
                .get("properties")
                .is_some()
        );
        assert_eq!(
            schemas["Config"]["oneOf"][1]["properties"]["dataset"],
            json!({"$ref": "#/components/schemas/ConfigDataset2"})
        );
        // Untagged variants are named apart (`UntaggedVariant0`…): nothing moves.
        assert!(
            schemas["Untagged"]["oneOf"][1]["properties"]["d"]
                .get("properties")
                .is_some()
        );
        assert_eq!(
            internal_tag(schemas["Config"]["oneOf"].as_array().unwrap()).as_deref(),
            Some("type")
        );
    }

    /// growthbook's `updateDashboard` body: its blocks are an `anyOf` of two
    /// tagged `oneOf`s, whose variants typify names `<Item>Variant<i>`; the
    /// second's three `config`s, each with a `dataset` of its own shape,
    /// would all be `<Item>Variant1Config`.
    #[test]
    fn tagged_unions_inside_an_untagged_one_are_named_after_its_variant() {
        let block = |tag: &str, field: &str| {
            // The tag as 3.0 writes it: one value each, no type of its own.
            json!({"type": "object", "properties": {
                "type": {"type": "string", "enum": [tag]},
                "config": {"type": "object", "properties": {
                    "dataset": {"type": "object", "properties": {field: {"type": "string"}}}}}}})
        };
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Body": {"type": "object", "properties": {"blocks": {"type": "array", "items": {"anyOf": [
                {"oneOf": [block("markdown", "content"), block("image", "url")]},
                {"oneOf": [block("metric", "metricId"), block("data_source", "table")]}]}}}},
            "Named": {"oneOf": [{"$ref": "#/components/schemas/Body"}, {"type": "string"}]},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        let blocks = &schemas["Body"]["properties"]["blocks"]["items"]["anyOf"];
        assert!(
            blocks[1]["oneOf"][0]["properties"]["config"]
                .get("properties")
                .is_some()
        );
        assert_eq!(
            blocks[1]["oneOf"][1]["properties"]["config"],
            json!({"$ref": "#/components/schemas/BodyBlocksItemVariant1Config2"})
        );
        assert_eq!(
            blocks[0]["oneOf"][1]["properties"]["config"],
            json!({"$ref": "#/components/schemas/BodyBlocksItemVariant0Config2"})
        );
        assert_eq!(
            schemas["BodyBlocksItemVariant1Config2"]["properties"]["dataset"]["properties"]["table"]
                ["type"],
            "string"
        );
        assert_eq!(doc.findings.len(), 2, "{:?}", doc.findings);
    }

    #[test]
    fn names_that_collide_nowhere_stay() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Pet": {"properties": {"owner": {"properties": {"name": {"type": "string"}}}, "tags": {"type": "array", "items": {"properties": {"t": {"type": "string"}}}}}},
            "Owner": {"type": "object"},
        }}}));
        let before = doc.root.clone();
        run(&mut doc);
        assert_eq!(doc.root, before);
        assert!(doc.findings.is_empty());
    }

    #[test]
    fn nullable_merges_get_an_inner_component() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Access": {"type": "object"},
            "AccessNullable": {"nullable": true, "description": "d", "allOf": [{"$ref": "#/components/schemas/Access"}, {"type": "object"}]},
            "Single": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Access"}]},
            "OneInline": {"nullable": true, "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]},
            "Either": {"nullable": true, "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "Loose": {"nullable": true, "anyOf": [{"$ref": "#/components/schemas/Access"}]},
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
            "one reference: untouched"
        );
        for (name, key) in [
            ("OneInline", "allOf"),
            ("Either", "oneOf"),
            ("Loose", "anyOf"),
        ] {
            assert_eq!(
                schemas[name],
                json!({"nullable": true, "allOf": [{"$ref": format!("#/components/schemas/{name}Inner")}]}),
                "{name}"
            );
            assert!(schemas[format!("{name}Inner")].get(key).is_some(), "{name}");
        }
        assert_eq!(
            doc.origins
                .source("/components/schemas/AccessNullableInner/allOf/1"),
            "/components/schemas/AccessNullable/allOf/1"
        );
    }
}
