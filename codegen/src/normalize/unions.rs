//! A normalization pass (their order: `normalize/mod.rs`): an `anyOf` with a member that is not an object becomes a `oneOf`.
//!
//! typify types `anyOf` as a struct with one `#[serde(flatten)]` optional
//! field per member. Flattening only works on maps, so such a struct
//! cannot decode (nor encode) a string, a number, an array or `null`:
//! `anyOf: [{type: string}, {nullable: true}]` (SendGrid) or a string enum
//! beside a null-only string (Box) fails on every value the spec allows.
//! A `oneOf` is typed as an untagged enum, which decodes a value into the
//! first member that accepts it: every value an `anyOf` allows matches at
//! least one member, so it decodes, and encodes back as that member.
//! An `anyOf` whose members are all objects is left alone (its struct
//! holds a value matching several members at once). The schema is marked
//! with [`ANY_OF_EXTENSION`], for validators of the normalized document.

use serde_json::Value;

use super::doc::Doc;
use crate::document::extensions::ANY_OF_EXTENSION;
use crate::document::refs::resolve;
use crate::document::schemas::visit_all_schemas;

pub(crate) fn run(doc: &mut Doc) {
    let mut found: Vec<String> = Vec::new();
    let root = &doc.root;
    visit_all_schemas(root, &mut |schema, ptr| {
        let Some(Value::Array(members)) = schema.get("anyOf") else {
            return;
        };
        // Beside `type: object` or properties, members only constrain the
        // object (GitHub's `anyOf: [{required: [a]}, {required: [b]}]`).
        let object_here = is_object(root, &without_any_of(schema), 0);
        if schema.get("oneOf").is_none()
            && !object_here
            && !members.iter().all(|m| is_object(root, m, 0))
        {
            found.push(ptr.to_owned());
        }
    });
    // Innermost first: renaming an outer `anyOf` moves the inner pointers.
    for ptr in found.into_iter().rev() {
        let Some(Value::Object(schema)) = doc.root.pointer_mut(&ptr) else {
            continue;
        };
        let Some(members) = schema.remove("anyOf") else {
            continue;
        };
        schema.insert("oneOf".to_owned(), members);
        schema.insert(ANY_OF_EXTENSION.to_owned(), Value::Bool(true));
        doc.origins
            .record(&format!("{ptr}/oneOf"), &format!("{ptr}/anyOf"));
        doc.warn(
            &format!("{ptr}/anyOf"),
            "`anyOf` with a member that is not an object is typed as `oneOf`: a value decodes into the first member that accepts it",
            Some("an `anyOf` of objects keeps every member's fields; other members cannot be merged into one value"),
        );
    }
}

fn without_any_of(schema: &Value) -> Value {
    let mut rest = schema.clone();
    if let Value::Object(o) = &mut rest {
        o.remove("anyOf");
    }
    rest
}

/// Whether every value `schema` allows is a JSON object (as far as the
/// schema says: `{}` allows anything, so it is not).
fn is_object(root: &Value, schema: &Value, depth: usize) -> bool {
    let Some((schema, _)) = resolve(root, schema) else {
        return false;
    };
    if depth > 16 {
        return false;
    }
    if let Some(t) = schema.get("type") {
        return t == "object";
    }
    if ["properties", "additionalProperties", "patternProperties"]
        .iter()
        .any(|k| schema.get(*k).is_some())
    {
        return true;
    }
    if let Some(Value::Array(parts)) = schema.get("allOf")
        && parts.iter().any(|p| is_object(root, p, depth + 1))
    {
        return true;
    }
    ["oneOf", "anyOf"].iter().any(|k| {
        matches!(schema.get(*k), Some(Value::Array(members))
            if !members.is_empty() && members.iter().all(|m| is_object(root, m, depth + 1)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_are_told_from_other_members() {
        let root = json!({"components": {"schemas": {
            "Pet": {"type": "object"},
            "Named": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"description": "x"}]},
            "Name": {"type": "string"}}}});
        let yes = |s: Value| is_object(&root, &s, 0);
        assert!(yes(json!({"$ref": "#/components/schemas/Pet"})));
        assert!(yes(json!({"$ref": "#/components/schemas/Named"})));
        assert!(yes(json!({"properties": {"a": {}}})));
        assert!(!yes(json!({"$ref": "#/components/schemas/Name"})));
        assert!(!yes(json!({"nullable": true})));
        assert!(!yes(json!({})));
        assert!(!yes(json!({"$ref": "#/components/schemas/Missing"})));
    }
}
