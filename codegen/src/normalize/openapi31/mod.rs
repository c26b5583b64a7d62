//! A normalization pass (their order: `normalize/mod.rs`): OpenAPI 3.1 → 3.0.
//!
//! progenitor reads OpenAPI 3.0 only (its #1268), and `openapiv3` cannot
//! even deserialize most 3.1 schemas. The common subset of 3.1 has an
//! exact 3.0 spelling, so a 3.1 document is rewritten before anything
//! else looks at it:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [T, U]` | `oneOf` of one schema per type (type-specific keywords go with their type) |
//! | `oneOf`/`anyOf` with a `{type: "null"}` member | the other members, `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, …]` (in a schema) | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n`, `exclusiveMinimum: true` (same for the maximum) |
//! | `$ref` with annotation siblings (`description`, …) | the `$ref` alone |
//! | `$ref` with other siblings | `allOf: [{$ref}]` beside the siblings |
//! | `contentEncoding: base64` / `contentMediaType: application/octet-stream` | `format: byte` / `format: binary` |
//! | a `true` schema | `{}` |
//! | `$schema`, `$id`, `$anchor`, `$comment`, `jsonSchemaDialect` | removed |
//! | no `paths` | `paths: {}` |
//!
//! Path items given by `$ref` to `components/pathItems` are inlined.
//! Dropped with a warning (they constrain values, not shapes, or describe
//! what a client never calls): `webhooks`, `components/pathItems`,
//! `$defs`, `dependentRequired`, `unevaluatedProperties`,
//! `unevaluatedItems`, `contains`, `minContains`, `maxContains`,
//! `propertyNames`. What has no 3.0 spelling degrades to the closest 3.0
//! shape that still decodes every value the 3.1 schema allows, with a
//! warning at its node (a client loses a constraint, never a message):
//!
//! | 3.1 | generated as |
//! |---|---|
//! | `if`/`then`/`else`, `dependentSchemas` | the schema without them |
//! | `prefixItems` | an array of `items` (any JSON value when absent) |
//! | `patternProperties` | `additionalProperties`: the pattern's schema, also beside `additionalProperties: false` (any JSON value for several different ones, or beside an `additionalProperties` schema that differs) |
//! | `$recursiveRef`, `$dynamicRef` | `$ref` to the component schema they sit in (any JSON value outside one) |
//! | a `false` schema, a schema that only allows `null` | any JSON value |
//! | an operation without `responses` (optional in 3.1) | `responses: {default: {description}}`: a call with no typed answer |
//!
//! This module rewrites the document and orders the rewrites of each
//! schema; each concept has a module: [`document`] (outside schemas: path
//! items by reference, missing `responses`), [`keywords`] (keywords with a
//! 3.0 spelling, and those dropped), [`types`] (`type` lists, `null`,
//! boolean schemas), [`refs`] (`$ref` siblings, recursive references),
//! [`degrade`] (what has no 3.0 spelling).

mod degrade;
mod document;
mod keywords;
mod refs;
#[cfg(test)]
mod tests;
mod types;

use serde_json::{Value, json};

use super::doc::Doc;
use crate::document::pointer::escape_token;
use crate::document::schemas::walk_all_schemas;

/// Warnings (`false`) and errors (`true`) at their pointers, collected
/// while the schemas are walked mutably.
type Findings = Vec<(bool, String, String)>;

pub(crate) fn run(doc: &mut Doc) {
    if !crate::document::is_openapi31(&doc.root) {
        return;
    }
    let Some(root) = doc.root.as_object_mut() else {
        return;
    };
    let version = root
        .insert("openapi".to_owned(), Value::String("3.0.3".to_owned()))
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    root.remove("jsonSchemaDialect");
    root.entry("paths").or_insert_with(|| json!({}));
    let webhooks = root.remove("webhooks").is_some();
    let path_items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"));
    let inlined = document::inline_path_items(root, path_items.as_ref());
    for (path, name) in inlined {
        doc.origins.record(
            &format!("/paths/{}", escape_token(&path)),
            &format!("/components/pathItems/{}", escape_token(&name)),
        );
    }
    let path_items = path_items.is_some();
    doc.warn(
        "/openapi",
        format!("OpenAPI {version} document lowered to OpenAPI 3.0"),
        Some("progenitor reads OpenAPI 3.0; the 3.1 constructs with a 3.0 spelling were rewritten"),
    );
    if webhooks {
        doc.warn(
            "/webhooks",
            "`webhooks` are ignored: a client does not receive them",
            None,
        );
    }
    if path_items {
        doc.warn(
            "/components/pathItems",
            "`components/pathItems` are inlined where `paths` refer to them, and dropped",
            None,
        );
    }
    document::add_missing_responses(doc);
    let mut findings: Findings = Vec::new();
    walk_all_schemas(&mut doc.root, &mut |schema, ptr| {
        lower(schema, ptr, &mut findings);
    });
    for (error, ptr, message) in findings {
        if error {
            doc.error(
                &ptr,
                message,
                Some("this OpenAPI 3.1 construct has no OpenAPI 3.0 equivalent; rewrite it"),
            );
        } else {
            doc.warn(&ptr, message, None);
        }
    }
}

/// Lowers one schema node; its children are visited afterwards. The
/// order matters: degrading may write `items` or `additionalProperties`,
/// and a `type` list splits keywords already spelled for 3.0.
fn lower(schema: &mut Value, ptr: &str, findings: &mut Findings) {
    if types::boolean_schema(schema, ptr, findings) {
        return;
    }
    let Value::Object(map) = schema else {
        return;
    };
    keywords::drop_keywords(map, ptr, findings);
    degrade::degrade(map, ptr, findings);
    refs::recursive_refs(map, ptr, findings);
    keywords::spell_keywords(map);
    keywords::content_keywords(map);
    if let Some(types) = map.get("type").cloned() {
        types::lower_type_list(map, types, ptr, findings);
    }
    for union in ["oneOf", "anyOf"] {
        types::lower_null_member(map, union);
    }
    refs::lower_ref_siblings(map);
}
