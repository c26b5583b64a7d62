//! `lower` on single schemas: each 3.1 construct and its 3.0 spelling.

use serde_json::{Value, json};

use super::{Findings, lower};
use crate::document::schemas::walk_schema;

fn lowered(schema: Value) -> (Value, Findings) {
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
    let (v, _) = lowered(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
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
    let (v, _) =
        lowered(json!({"type": "integer", "exclusiveMinimum": 0, "const": 5, "examples": [5, 6]}));
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
    let (v, _) =
        lowered(json!({"patternProperties": {"a": {"type": "string"}, "b": {"type": "integer"}}}));
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
