//! Pass 1: OpenAPI 3.1 → 3.0.
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
//! `propertyNames`. What has no 3.0 spelling is an error at its node:
//! `if`/`then`/`else`, `dependentSchemas`, `prefixItems`,
//! `patternProperties`, `$dynamicRef`, `$recursiveRef`, a `false` schema
//! and a schema that only allows `null`.

use serde_json::{Map, Value, json};

use super::doc::Doc;
use crate::document::pointer::escape_token;
use crate::document::schemas::walk_all_schemas;

/// Annotations that may sit beside a `$ref` in 3.1 and mean nothing to
/// the generated code.
const ANNOTATIONS: [&str; 10] = [
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "externalDocs",
];

const DROPPED: [&str; 8] = [
    "$defs",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

const UNSUPPORTED: [(&str, &str); 8] = [
    ("if", "conditional schemas (`if`/`then`/`else`)"),
    ("then", "conditional schemas (`if`/`then`/`else`)"),
    ("else", "conditional schemas (`if`/`then`/`else`)"),
    ("dependentSchemas", "`dependentSchemas`"),
    ("prefixItems", "tuple schemas (`prefixItems`)"),
    ("patternProperties", "`patternProperties`"),
    ("$dynamicRef", "`$dynamicRef`"),
    ("$recursiveRef", "`$recursiveRef`"),
];

/// Keywords that belong to one JSON type, for splitting `type: [T, U]`.
fn keyword_type(keyword: &str, format: Option<&str>) -> Option<&'static str> {
    Some(match keyword {
        "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            "object"
        }
        "format" => match format {
            Some("int32" | "int64" | "float" | "double") => "number",
            _ => "string",
        },
        _ => return None,
    })
}

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
    // Path items by reference (3.1 `components/pathItems`) are inlined.
    let mut inlined = Vec::new();
    if let (Some(Value::Object(items)), Some(Value::Object(paths))) =
        (&path_items, root.get_mut("paths"))
    {
        for (path, item) in paths.iter_mut() {
            let target = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                .map(|name| name.replace("~1", "/").replace("~0", "~"));
            if let Some(found) = target.as_deref().and_then(|name| items.get(name)) {
                *item = found.clone();
                inlined.push((path.clone(), target.unwrap_or_default()));
            }
        }
    }
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
    let mut findings: Vec<(bool, String, String)> = Vec::new();
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

/// Lowers one schema node; its children are visited afterwards.
fn lower(schema: &mut Value, ptr: &str, findings: &mut Vec<(bool, String, String)>) {
    match schema {
        Value::Bool(true) => {
            *schema = json!({});
            return;
        }
        Value::Bool(false) => {
            findings.push((
                true,
                ptr.to_owned(),
                "a `false` schema (no value allowed) cannot be expressed in OpenAPI 3.0".to_owned(),
            ));
            return;
        }
        _ => {}
    }
    let Value::Object(map) = schema else {
        return;
    };
    for key in ["$schema", "$id", "$anchor", "$dynamicAnchor", "$comment"] {
        map.remove(key);
    }
    for key in DROPPED {
        if map.remove(key).is_some() {
            findings.push((
                false,
                format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1")),
                format!("`{key}` is ignored: OpenAPI 3.0 has no equivalent and it does not change the generated types"),
            ));
        }
    }
    for (key, what) in UNSUPPORTED {
        if map.contains_key(key) {
            findings.push((
                true,
                format!("{ptr}/{key}"),
                format!("{what} cannot be lowered to OpenAPI 3.0"),
            ));
        }
    }
    if let Some(c) = map.remove("const") {
        map.entry("enum").or_insert_with(|| Value::Array(vec![c]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples")
        && !map.contains_key("example")
        && !examples.is_empty()
    {
        map.insert("example".to_owned(), examples.swap_remove(0));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            let tighter = match map.get(bound).and_then(Value::as_f64) {
                None => true,
                Some(b) => {
                    let n = n.as_f64().unwrap_or(0.0);
                    if bound == "minimum" { n >= b } else { n <= b }
                }
            };
            if tighter {
                map.insert(bound.to_owned(), Value::Number(n));
                map.insert(exclusive.to_owned(), Value::Bool(true));
            } else {
                map.remove(exclusive);
            }
        }
    }
    content_keywords(map);
    if let Some(types) = map.get("type").cloned() {
        lower_type_list(map, types, ptr, findings);
    }
    for union in ["oneOf", "anyOf"] {
        lower_null_member(map, union);
    }
    lower_ref_siblings(map);
}

fn content_keywords(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
        map.insert("format".to_owned(), json!("byte"));
    } else if media.as_ref().and_then(Value::as_str) == Some("application/octet-stream") {
        map.insert("format".to_owned(), json!("binary"));
    }
}

fn lower_type_list(
    map: &mut Map<String, Value>,
    types: Value,
    ptr: &str,
    findings: &mut Vec<(bool, String, String)>,
) {
    let list: Vec<String> = match types {
        Value::String(t) if t == "null" => vec![t],
        Value::String(_) => return,
        Value::Array(items) => items
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        _ => return, // a type error, reported by validation
    };
    let nullable = list.iter().any(|t| t == "null");
    let mut concrete: Vec<String> = list.into_iter().filter(|t| t != "null").collect();
    concrete.dedup();
    // `integer` is a `number`: keep the narrower one.
    if concrete.iter().any(|t| t == "integer") {
        concrete.retain(|t| t != "number");
    }
    match concrete.len() {
        0 => {
            findings.push((
                true,
                format!("{ptr}/type"),
                "a schema that only allows `null` cannot be expressed in OpenAPI 3.0".to_owned(),
            ));
            map.remove("type");
        }
        1 => {
            map.insert("type".to_owned(), Value::String(concrete.remove(0)));
        }
        _ => {
            map.remove("type");
            let format = map.get("format").and_then(Value::as_str).map(str::to_owned);
            let mut branches: Vec<Map<String, Value>> = concrete
                .iter()
                .map(|t| {
                    let mut m = Map::new();
                    m.insert("type".to_owned(), Value::String(t.clone()));
                    m
                })
                .collect();
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(owner) = keyword_type(&key, format.as_deref()) else {
                    continue;
                };
                let Some(value) = map.remove(&key) else {
                    continue;
                };
                for (t, branch) in concrete.iter().zip(branches.iter_mut()) {
                    let fits = t == owner || (owner == "number" && t == "integer");
                    if fits {
                        branch.insert(key.clone(), value.clone());
                    }
                }
            }
            map.insert(
                "oneOf".to_owned(),
                Value::Array(branches.into_iter().map(Value::Object).collect()),
            );
        }
    }
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
}

fn is_null_schema(v: &Value) -> bool {
    match v.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => false,
    }
}

/// `oneOf: [A, {type: null}]` → `A` made nullable.
fn lower_null_member(map: &mut Map<String, Value>, union: &str) {
    let Some(Value::Array(members)) = map.get_mut(union) else {
        return;
    };
    let before = members.len();
    members.retain(|m| !is_null_schema(m));
    if members.len() == before {
        return;
    }
    map.insert("nullable".to_owned(), Value::Bool(true));
    let Some(Value::Array(members)) = map.get_mut(union) else {
        return;
    };
    match members.len() {
        0 => {
            map.remove(union);
        }
        1 => {
            let only = members.remove(0);
            map.remove(union);
            match only {
                // A reference cannot carry `nullable` in 3.0: wrap it.
                Value::Object(m) if m.contains_key("$ref") => {
                    map.insert("allOf".to_owned(), Value::Array(vec![Value::Object(m)]));
                }
                Value::Object(m) if m.keys().all(|k| !map.contains_key(k)) => {
                    map.extend(m);
                }
                other => {
                    map.insert("allOf".to_owned(), Value::Array(vec![other]));
                }
            }
        }
        _ => {}
    }
}

/// `{$ref, description}` → `{$ref}`; `{$ref, nullable, …}` → `{allOf: [{$ref}], nullable, …}`.
fn lower_ref_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    if map
        .keys()
        .all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str()))
    {
        map.retain(|k, _| k == "$ref");
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let wrapped = json!({ "$ref": reference });
    match map.get_mut("allOf") {
        Some(Value::Array(all)) => all.insert(0, wrapped),
        _ => {
            map.insert("allOf".to_owned(), Value::Array(vec![wrapped]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::schemas::walk_schema;

    fn lowered(schema: Value) -> (Value, Vec<(bool, String, String)>) {
        let mut v = schema;
        let mut findings = Vec::new();
        let mut ptr = String::from("/s");
        walk_schema(&mut v, &mut ptr, &mut |s, p| lower(s, p, &mut findings));
        (v, findings)
    }

    #[test]
    fn type_lists() {
        let (v, _) = lowered(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            v,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        let (v, _) = lowered(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1}));
        assert_eq!(
            v,
            json!({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]})
        );
        let (_, f) = lowered(json!({"type": "null"}));
        assert!(f[0].0 && f[0].2.contains("only allows `null`"), "{f:?}");
    }

    #[test]
    fn nullable_unions_and_refs() {
        let (v, _) =
            lowered(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
        assert_eq!(
            v,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
        let (v, _) = lowered(json!({"$ref": "#/components/schemas/A", "description": "d"}));
        assert_eq!(v, json!({"$ref": "#/components/schemas/A"}));
        let (v, _) = lowered(json!({"$ref": "#/components/schemas/A", "maxLength": 2}));
        assert_eq!(
            v,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "maxLength": 2})
        );
    }

    #[test]
    fn keywords() {
        let (v, _) = lowered(
            json!({"type": "integer", "exclusiveMinimum": 0, "const": 5, "examples": [5, 6]}),
        );
        assert_eq!(
            v,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "enum": [5], "example": 5})
        );
        let (_, f) = lowered(json!({"type": "array", "prefixItems": [{"type": "string"}]}));
        assert_eq!(f[0].1, "/s/prefixItems");
        assert!(f[0].0);
    }
}
