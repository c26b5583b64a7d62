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

use serde_json::{Map, Value, json};

use super::doc::Doc;
use crate::document::operations::operations;
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
    add_missing_responses(doc);
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

/// `responses` is optional in 3.1 and required in 3.0: an operation
/// without it answers with something undocumented, which the client
/// accepts and does not decode.
fn add_missing_responses(doc: &mut Doc) {
    let mut added = Vec::new();
    for (ptr, _, _) in operations(&doc.root) {
        if let Some(Value::Object(op)) = doc.root.pointer_mut(&ptr)
            && !op.contains_key("responses")
        {
            op.insert(
                "responses".to_owned(),
                json!({"default": {"description": "not documented"}}),
            );
            added.push(ptr);
        }
    }
    for ptr in added {
        doc.warn(
            &ptr,
            "operation has no `responses` (optional in OpenAPI 3.1); any answer is accepted and not decoded",
            Some("document the responses to get a typed result"),
        );
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
            // A client never receives a value the server may not send: the
            // closest 3.0 shape that still decodes whatever it meets.
            *schema = json!({});
            findings.push((
                false,
                ptr.to_owned(),
                "a `false` schema (no value allowed) has no OpenAPI 3.0 spelling; generated as any JSON value".to_owned(),
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
    degrade(map, ptr, findings);
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

/// What has no 3.0 spelling, rewritten into the closest 3.0 shape that
/// still decodes every value the 3.1 schema allows (each a warning): a
/// client loses a constraint, never a message.
fn degrade(map: &mut Map<String, Value>, ptr: &str, findings: &mut Vec<(bool, String, String)>) {
    let mut warn = |key: &str, message: &str| {
        findings.push((
            false,
            format!("{ptr}/{}", escape_token(key)),
            message.to_owned(),
        ));
    };
    for key in ["if", "then", "else"] {
        if map.remove(key).is_some() {
            warn(
                key,
                "conditional schemas (`if`/`then`/`else`) have no OpenAPI 3.0 spelling; \
                 the generated type is the schema without the condition",
            );
        }
    }
    if map.remove("dependentSchemas").is_some() {
        warn(
            "dependentSchemas",
            "`dependentSchemas` has no OpenAPI 3.0 spelling; the generated type is the schema without it",
        );
    }
    if map.remove("prefixItems").is_some() {
        map.entry("items").or_insert_with(|| json!({}));
        warn(
            "prefixItems",
            "tuple schemas (`prefixItems`) have no OpenAPI 3.0 spelling; generated as an array \
             whose items are any JSON value (or `items`, when given)",
        );
    }
    if let Some(patterns) = map.remove("patternProperties") {
        let schemas: Vec<&Value> = patterns
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .collect();
        let one = |of: &[&Value]| match of {
            [first, rest @ ..] if rest.iter().all(|s| s == first) => (*first).clone(),
            _ => json!({}),
        };
        // Keys that match a pattern hold the pattern's schema, the others
        // `additionalProperties`'. Closed (`false`), a value holds only the
        // patterns' keys: the map of their schema decodes every one. Open,
        // the typed map the pattern describes. Beside a schema of its own,
        // one schema when both agree, any JSON value when they do not.
        let value = match map.get("additionalProperties") {
            None | Some(Value::Bool(_)) => one(&schemas),
            Some(other) => {
                let mut all = schemas.clone();
                all.push(other);
                one(&all)
            }
        };
        map.insert("additionalProperties".to_owned(), value);
        warn(
            "patternProperties",
            "`patternProperties` has no OpenAPI 3.0 spelling; generated as a map of the \
             pattern's schema (`additionalProperties`; any JSON value for several patterns)",
        );
    }
    // `$recursiveRef: "#"` and `$dynamicRef` to the resource's own anchor name
    // the schema they sit in: in a component, that component.
    let component = component_of(ptr);
    for key in ["$recursiveRef", "$dynamicRef"] {
        if map.remove(key).is_none() {
            continue;
        }
        match &component {
            Some(target) if !map.contains_key("$ref") => {
                map.insert("$ref".to_owned(), Value::String(target.clone()));
                warn(
                    key,
                    &format!(
                        "`{key}` has no OpenAPI 3.0 spelling; read as `$ref: '{target}'`, the component it sits in"
                    ),
                );
            }
            _ => warn(
                key,
                &format!(
                    "`{key}` has no OpenAPI 3.0 spelling outside a component schema; generated as any JSON value"
                ),
            ),
        }
    }
}

/// `#/components/schemas/<name>` when `ptr` is inside that component.
fn component_of(ptr: &str) -> Option<String> {
    let rest = ptr.strip_prefix("/components/schemas/")?;
    let name = rest.split('/').next()?;
    Some(format!("#/components/schemas/{name}"))
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
            // 3.0 has no null type; `nullable` alone is a schema without a
            // type, which decodes `null` (as any JSON value).
            findings.push((
                false,
                format!("{ptr}/type"),
                "a schema that only allows `null` has no OpenAPI 3.0 spelling; generated as any JSON value".to_owned(),
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
        let (v, f) = lowered(json!({"type": "null"}));
        assert_eq!(v, json!({"nullable": true}));
        assert!(!f[0].0 && f[0].2.contains("only allows `null`"), "{f:?}");
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
        let (v, f) = lowered(json!({"type": "array", "prefixItems": [{"type": "string"}]}));
        assert_eq!(v, json!({"type": "array", "items": {}}));
        assert_eq!(f[0].1, "/s/prefixItems");
        assert!(!f[0].0, "a warning: the tuple degrades to an array");
    }

    #[test]
    fn what_has_no_3_0_spelling_degrades() {
        let (v, f) = lowered(json!({
            "type": "object",
            "patternProperties": {"^x-": {"type": "string"}},
            "if": {"required": ["a"]}, "then": {"required": ["b"]},
            "dependentSchemas": {"a": {"required": ["b"]}},
        }));
        assert_eq!(
            v,
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(f.len(), 4, "{f:?}");
        assert!(f.iter().all(|(error, ..)| !error));
        let (v, _) = lowered(
            json!({"patternProperties": {"a": {"type": "string"}, "b": {"type": "integer"}}}),
        );
        assert_eq!(v, json!({"additionalProperties": {}}));
        // Closed: the patterns' keys are all a value may hold (SendGrid's
        // results keyed by e-mail address).
        let (v, _) = lowered(json!({"additionalProperties": false,
            "patternProperties": {"@": {"type": "object"}}}));
        assert_eq!(v, json!({"additionalProperties": {"type": "object"}}));
        let (v, _) = lowered(json!({"additionalProperties": {"type": "integer"},
            "patternProperties": {"a": {"type": "string"}}}));
        assert_eq!(v, json!({"additionalProperties": {}}));
        let (v, _) = lowered(json!(false));
        assert_eq!(v, json!({}));
        // A recursive reference names the component it sits in.
        let mut tree = json!({"type": "object", "properties": {"kids": {"type": "array", "items": {"$dynamicRef": "#node"}}, "up": {"$recursiveRef": "#"}}});
        let mut findings = Vec::new();
        let mut ptr = String::from("/components/schemas/Tree");
        walk_schema(&mut tree, &mut ptr, &mut |s, p| lower(s, p, &mut findings));
        assert_eq!(
            tree["properties"]["kids"]["items"],
            json!({"$ref": "#/components/schemas/Tree"})
        );
        assert_eq!(
            tree["properties"]["up"],
            json!({"$ref": "#/components/schemas/Tree"})
        );
        let (v, _) = lowered(json!({"$dynamicRef": "#node"}));
        assert_eq!(v, json!({}), "outside a component: any JSON value");
    }
}
