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
//! holds a value matching several members at once), unless a property
//! tells every member apart (a `const` or `enum` of its own in each): then
//! no value matches two members, and the `anyOf` is a `oneOf` too. The schema is marked
//! with [`ANY_OF_EXTENSION`], for validators of the normalized document.

use serde_json::Value;

use super::doc::Doc;
use crate::document::extensions::ANY_OF_EXTENSION;
use crate::document::refs::resolve;
use crate::document::schemas::visit_all_schemas;

pub(crate) fn run(doc: &mut Doc) {
    let mut found: Vec<(String, Why)> = Vec::new();
    let root = &doc.root;
    visit_all_schemas(root, &mut |schema, ptr| {
        let Some(Value::Array(members)) = schema.get("anyOf") else {
            return;
        };
        // Beside `type: object` or properties, members only constrain the
        // object (GitHub's `anyOf: [{required: [a]}, {required: [b]}]`).
        let object_here = is_object(root, &without_any_of(schema), 0);
        if schema.get("oneOf").is_some() || object_here {
            return;
        }
        if !members.iter().all(|m| only_objects(root, m)) {
            found.push((ptr.to_owned(), Why::NotAnObject));
        } else if let Some(tag) = exclusive_by_tag(root, members) {
            found.push((ptr.to_owned(), Why::Tagged(tag)));
        }
    });
    // Innermost first: renaming an outer `anyOf` moves the inner pointers.
    for (ptr, why) in found.into_iter().rev() {
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
        match why {
            Why::NotAnObject => doc.warn(
                &format!("{ptr}/anyOf"),
                "`anyOf` with a member that is not an object is typed as `oneOf`: a value decodes into the first member that accepts it",
                Some("an `anyOf` of objects keeps every member's fields; other members cannot be merged into one value"),
            ),
            Why::Tagged(tag) => doc.warn(
                &format!("{ptr}/anyOf"),
                format!("`anyOf` of objects that property `{tag}` tells apart (each member allows other values of it) is typed as `oneOf`: a value decodes into the one member it can match"),
                Some("write `oneOf` (with a `discriminator` on the property) to silence this"),
            ),
        }
    }
}

/// Why an `anyOf` becomes a `oneOf`.
enum Why {
    NotAnObject,
    /// Its members are told apart by this property.
    Tagged(String),
}

/// A property every member declares with a `const` or an `enum`, no value
/// of which two members share: a value carrying it matches at most one
/// member, so `anyOf` means `oneOf` (Mistral's entries, by `type`). typify
/// would make such an `anyOf` a struct of every member flattened, which
/// decodes an entry into none of them, or several.
fn exclusive_by_tag(root: &Value, members: &[Value]) -> Option<String> {
    if members.len() < 2 {
        return None;
    }
    let resolved: Vec<&Value> = members
        .iter()
        .map(|m| resolve(root, m).map(|(m, _)| m))
        .collect::<Option<_>>()?;
    let first = resolved[0].get("properties")?.as_object()?;
    first
        .keys()
        .find(|name| {
            let mut seen: Vec<&Value> = Vec::new();
            resolved.iter().all(|member| {
                let Some(values) = member
                    .get("properties")
                    .and_then(|p| p.get(name.as_str()))
                    .and_then(|p| resolve(root, p))
                    .and_then(|(p, _)| allowed_values(p))
                else {
                    return false;
                };
                if values.iter().any(|v| seen.contains(v)) {
                    return false;
                }
                seen.extend(values);
                true
            })
        })
        .cloned()
}

/// The values a `const` or `enum` allows.
fn allowed_values(schema: &Value) -> Option<Vec<&Value>> {
    if let Some(c) = schema.get("const") {
        return Some(vec![c]);
    }
    let values = schema.get("enum")?.as_array()?;
    (!values.is_empty()).then(|| values.iter().collect())
}

/// Whether every value a member allows is an object: not when it also
/// allows `null` (Sentry's `{type: object, nullable: true}` beside three
/// objects told apart by `status`: as a struct of flattened members, the
/// `null` the spec allows did not decode).
fn only_objects(root: &Value, member: &Value) -> bool {
    let nullable =
        resolve(root, member).is_some_and(|(m, _)| m.get("nullable") == Some(&Value::Bool(true)));
    !nullable && is_object(root, member, 0)
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
    fn objects_told_apart_by_a_property_are_exclusive() {
        let root = json!({"components": {"schemas": {
            "In": {"type": "object", "properties": {"type": {"type": "string", "enum": ["in"]}, "a": {}}},
            "Out": {"type": "object", "properties": {"type": {"const": "out"}, "b": {}}},
            "Both": {"type": "object", "properties": {"type": {"enum": ["in", "both"]}}},
            "Untagged": {"type": "object", "properties": {"a": {}}}}}});
        let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        assert_eq!(
            exclusive_by_tag(&root, &[r("In"), r("Out")]).as_deref(),
            Some("type")
        );
        assert_eq!(exclusive_by_tag(&root, &[r("In"), r("Both")]), None);
        assert_eq!(exclusive_by_tag(&root, &[r("In"), r("Untagged")]), None);
        assert_eq!(exclusive_by_tag(&root, &[r("In")]), None);
    }

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

    #[test]
    fn a_member_that_allows_null_is_not_only_objects() {
        let root = json!({"components": {"schemas": {
            "Maybe": {"type": "object", "nullable": true}}}});
        assert!(!only_objects(
            &root,
            &json!({"type": "object", "nullable": true})
        ));
        assert!(!only_objects(
            &root,
            &json!({"$ref": "#/components/schemas/Maybe"})
        ));
        assert!(only_objects(&root, &json!({"type": "object"})));
    }
}
