//! A normalization pass (their order: `normalize/mod.rs`): an `allOf` member's `additionalProperties: false` does not
//! refuse its siblings' properties.
//!
//! Read strictly, `allOf: [{properties: {a}}, {properties: {b},
//! additionalProperties: false}]` allows no object with `a`: the second
//! member forbids every property but `b`. Specs write it meaning "these
//! properties and those, nothing else" (manticore's `highlight`), and
//! typify merges it into a struct that refuses `a`, so the client cannot
//! decode, nor send, what the API sends. The tolerant reading: inside an
//! `allOf` whose members declare properties of their own, a member's
//! `additionalProperties: false` is left out (a referenced member is
//! copied in without it; the component itself keeps it), with a warning.
//! Likewise a schema's own `additionalProperties: false` beside an `allOf`,
//! `oneOf` or `anyOf` whose members declare properties it does not
//! (strictly it refuses them: assemblyai's `TranscriptParams` and
//! `TranscriptWebhookNotification` allowed only `{}`).

use serde_json::Value;

use super::doc::Doc;
use crate::document::pointer::Lookup;
use crate::document::refs::resolve;
use crate::document::schemas::visit_all_schemas;

pub(crate) fn run(doc: &mut Doc) {
    // (pointer of the member, its schema without the keyword, whether it was a `$ref`)
    let mut found: Vec<(String, Value, bool)> = Vec::new();
    // Schemas closed beside a composition whose members declare what they do not.
    let mut closed_parents: Vec<String> = Vec::new();
    let root = &doc.root;
    visit_all_schemas(root, &mut |schema, ptr| {
        if closes_its_members(root, schema) {
            closed_parents.push(ptr.to_owned());
        }
        let Some(Value::Array(members)) = schema.get("allOf") else {
            return;
        };
        let resolved: Vec<Option<&Value>> = members
            .iter()
            .map(|m| resolve(root, m).map(|(s, _)| s))
            .collect();
        let declaring = resolved
            .iter()
            .flatten()
            .filter(|m| declares_properties(root, m, 0))
            .count();
        if declaring < 2 {
            return;
        }
        for (i, member) in resolved.iter().enumerate() {
            let Some(Value::Object(m)) = member else {
                continue;
            };
            if m.get("additionalProperties") != Some(&Value::Bool(false)) {
                continue;
            }
            let mut open = m.clone();
            open.remove("additionalProperties");
            found.push((
                format!("{ptr}/allOf/{i}"),
                Value::Object(open),
                members[i].get("$ref").is_some(),
            ));
        }
    });
    // Innermost first: a copied member may hold the pointers of others.
    for (ptr, open, referenced) in found.into_iter().rev() {
        let Some(slot) = doc.root.at_mut(&ptr) else {
            continue;
        };
        *slot = open;
        let message = if referenced {
            "this `allOf` member refers to a schema with `additionalProperties: false`, which would refuse the other members' properties; it is merged as a copy without it"
        } else {
            "`additionalProperties: false` on an `allOf` member would refuse the other members' properties; it is left out of the merge"
        };
        doc.warn(
            &ptr,
            message,
            Some("put `additionalProperties: false` on the schema that holds the `allOf`, if nothing else is allowed"),
        );
    }
    for ptr in closed_parents {
        if let Some(Value::Object(schema)) = doc.root.at_mut(&ptr) {
            schema.remove("additionalProperties");
        }
        doc.warn(
            &format!("{ptr}/additionalProperties"),
            "`additionalProperties: false` beside `allOf`, `oneOf` or `anyOf` refuses every property the schema does not declare itself, the members' included; it is read as \"nothing beyond the members' properties\" and left out",
            Some("declare the allowed properties on the schema itself, or close the members instead"),
        );
    }
}

/// Whether `schema` declares properties: its own, or its members' through
/// `allOf`, `oneOf` or `anyOf` (growthbook's `FeatureRuleV2` extends
/// `FeatureRuleV1`, a `oneOf` of rules, with a closed object: read
/// strictly, no rule fits, and typify typed it as an enum with no variant).
fn declares_properties(root: &Value, schema: &Value, depth: usize) -> bool {
    if schema
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
    {
        return true;
    }
    depth < 8
        && ["allOf", "oneOf", "anyOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Value::as_array))
            .flatten()
            .filter_map(|m| resolve(root, m).map(|(s, _)| s))
            .any(|m| declares_properties(root, m, depth + 1))
}

/// Whether `schema` says `additionalProperties: false` beside an `allOf`,
/// `oneOf` or `anyOf` whose members declare properties it does not
/// declare itself: read strictly, it refuses them all.
fn closes_its_members(root: &Value, schema: &Value) -> bool {
    if schema.get("additionalProperties") != Some(&Value::Bool(false)) {
        return false;
    }
    let own = schema.get("properties").and_then(Value::as_object);
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|m| resolve(root, m).map(|(s, _)| s))
        .filter_map(|m| m.get("properties").and_then(Value::as_object))
        .flat_map(|p| p.keys())
        .any(|k| own.is_none_or(|own| !own.contains_key(k)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// assemblyai's `TranscriptParams`: `type: object,
    /// additionalProperties: false, allOf: [...]` with no `properties` of
    /// its own allowed only `{}`.
    #[test]
    fn a_closed_parent_no_longer_refuses_its_members() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Params": {"type": "object", "additionalProperties": false, "allOf": [
                {"type": "object", "properties": {"url": {"type": "string"}}},
                {"$ref": "#/components/schemas/Options"},
            ]},
            "Options": {"type": "object", "properties": {"limit": {"type": "integer"}}},
            "Declares": {"type": "object", "additionalProperties": false,
                "properties": {"url": {}}, "allOf": [{"properties": {"url": {}}}]},
            "Either": {"type": "object", "additionalProperties": false,
                "oneOf": [{"$ref": "#/components/schemas/Options"}, {"properties": {"x": {}}}]},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        assert!(schemas["Params"].get("additionalProperties").is_none());
        assert!(schemas["Either"].get("additionalProperties").is_none());
        // Every member property is declared by the schema itself: kept.
        assert_eq!(schemas["Declares"]["additionalProperties"], false);
        let pointers: Vec<&str> = doc.findings.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/Either/additionalProperties",
                "/components/schemas/Params/additionalProperties"
            ]
        );
    }

    #[test]
    fn a_closed_member_no_longer_refuses_its_siblings() {
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Highlight": {"allOf": [
                {"type": "object", "properties": {"after": {"type": "string"}}},
                {"$ref": "#/components/schemas/Options"},
            ]},
            "Options": {"type": "object", "properties": {"limit": {"type": "integer"}}, "additionalProperties": false},
            "Inline": {"allOf": [
                {"properties": {"a": {}}, "additionalProperties": false},
                {"properties": {"b": {}}},
            ]},
            "Alone": {"allOf": [{"properties": {"a": {}}, "additionalProperties": false}, {"required": ["a"]}]},
            "Rule": {"oneOf": [
                {"type": "object", "properties": {"force": {}}},
                {"type": "object", "properties": {"rollout": {}}},
            ]},
            "RuleV2": {"allOf": [
                {"$ref": "#/components/schemas/Rule"},
                {"type": "object", "properties": {"all": {"type": "boolean"}}, "additionalProperties": false},
            ]},
        }}}));
        run(&mut doc);
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(
            schemas["Highlight"]["allOf"][1],
            json!({"type": "object", "properties": {"limit": {"type": "integer"}}})
        );
        // The component keeps its own reading where it is used alone.
        assert_eq!(schemas["Options"]["additionalProperties"], false);
        assert!(
            schemas["Inline"]["allOf"][0]
                .get("additionalProperties")
                .is_none()
        );
        // One member declares properties: nothing is refused.
        assert_eq!(schemas["Alone"]["allOf"][0]["additionalProperties"], false);
        // A member's properties through its `oneOf` count too.
        assert!(
            schemas["RuleV2"]["allOf"][1]
                .get("additionalProperties")
                .is_none()
        );
        let pointers: Vec<&str> = doc.findings.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/RuleV2/allOf/1",
                "/components/schemas/Inline/allOf/0",
                "/components/schemas/Highlight/allOf/1"
            ]
        );
    }
}
