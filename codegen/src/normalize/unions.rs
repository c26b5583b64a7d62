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
use crate::document::extensions::{ANY_OF_EXTENSION, PRESENCE_EXTENSION};
use crate::document::refs::resolve;
use crate::document::schemas::visit_all_schemas;

pub(crate) fn run(doc: &mut Doc) {
    presence(doc);
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
    beside_into_members(doc);
}

/// What an object schema says beside its `oneOf`, moved into each member.
///
/// typify merges such a schema into each member and "subtracts" the other
/// members from it (`typify_impl::merge::try_merge_schema_object_not`)
/// property by property: a value of member A must break *every* property
/// of member B, where breaking any one would do. When two members both
/// require a property whose values overlap (intercom's reply to a ticket:
/// a contact's reply and an admin's both say `message_type: comment`),
/// the subtraction leaves the member no value, and the variant is an enum
/// without variants: the spec's own example does not decode. `P ∧
/// oneOf[A, B]` is `oneOf[A ∧ P, B ∧ P]`; typify types the second form
/// member by member, without subtracting. Left alone: a `discriminator`
/// (it names members by their `$ref`), `additionalProperties` beside (the
/// `all_of` pass reads it against the members' properties), and unions of
/// `required` lists ([`presence`]).
fn beside_into_members(doc: &mut Doc) {
    const BESIDE: [&str; 5] = [
        "properties",
        "required",
        "minProperties",
        "maxProperties",
        "patternProperties",
    ];
    let mut found: Vec<String> = Vec::new();
    visit_all_schemas(&doc.root, &mut |schema, ptr| {
        let Some(Value::Array(members)) = schema.get("oneOf") else {
            return;
        };
        let moves = schema.get("properties").is_some()
            && schema.get("discriminator").is_none()
            && schema.get("additionalProperties").is_none()
            && !members.is_empty()
            && !members.iter().all(|m| required_list(m).is_some());
        if moves {
            found.push(ptr.to_owned());
        }
    });
    // Innermost first: wrapping an outer member moves the inner pointers.
    for ptr in found.into_iter().rev() {
        let Some(Value::Object(schema)) = doc.root.pointer_mut(&ptr) else {
            continue;
        };
        let mut part = serde_json::Map::new();
        for key in BESIDE {
            if let Some(v) = schema.remove(key) {
                part.insert(key.to_owned(), v);
            }
        }
        if let Some(t) = schema.get("type") {
            part.insert("type".to_owned(), t.clone());
        }
        let Some(Value::Array(members)) = schema.get_mut("oneOf") else {
            continue;
        };
        let count = members.len();
        for member in members.iter_mut() {
            let own = std::mem::take(member);
            *member = serde_json::json!({"allOf": [own, Value::Object(part.clone())]});
        }
        for i in 0..count {
            doc.origins.record(
                &format!("{ptr}/oneOf/{i}/allOf/0"),
                &format!("{ptr}/oneOf/{i}"),
            );
        }
        doc.warn(
            &format!("{ptr}/oneOf"),
            "the properties beside this `oneOf` are moved into each of its members: typify would type each member as refusing the others property by property, which can leave a member no value",
            None,
        );
    }
}

/// Unions of `required` lists beside an object's properties (intercom's
/// data event: `anyOf: [{required: [event_name, created_at, id]},
/// {required: [event_name, created_at, email]}, …]`; clerk's SAML
/// connection: `anyOf: [{required: [domain]}, {required: [domains]}]`)
/// say which properties must be present, not what a value is. typify types
/// each member as a variant that also refuses the fields the other members
/// require: where two lists share a name that leaves variants no value
/// inhabits (`enum CreateDataEventRequestVariant0 {}`: no value of the
/// spec decodes), and a value of an `anyOf` that has the fields of two
/// members decodes into the first and loses the other's.
///
/// So the names every member requires are required by the object itself,
/// which means the same; then a `oneOf` whose remaining lists are disjoint
/// and not empty is kept (typify's variants are exact for it), and any
/// other such union is taken out of the type into [`PRESENCE_EXTENSION`]:
/// the struct holds every value the spec allows, and the client no longer
/// checks which of the properties are present (the server does).
fn presence(doc: &mut Doc) {
    let mut found: Vec<(String, &'static str)> = Vec::new();
    visit_all_schemas(&doc.root, &mut |schema, ptr| {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = schema.get(key) else {
                continue;
            };
            let mut rest = schema.clone();
            if let Value::Object(o) = &mut rest {
                o.remove(key);
            }
            if !members.is_empty()
                && members.iter().all(|m| required_list(m).is_some())
                && is_object(&doc.root, &rest, 0)
            {
                found.push((ptr.to_owned(), key));
            }
        }
    });
    for (ptr, key) in found {
        let Some(Value::Object(schema)) = doc.root.pointer_mut(&ptr) else {
            continue;
        };
        let Some(Value::Array(members)) = schema.get(key).cloned() else {
            continue;
        };
        let lists: Vec<Vec<Value>> = members
            .iter()
            .map(|m| required_list(m).unwrap_or_default())
            .collect();
        let common: Vec<Value> = lists[0]
            .iter()
            .filter(|n| lists.iter().all(|l| l.contains(n)))
            .cloned()
            .collect();
        if !common.is_empty() {
            let required = schema
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(required) = required {
                for name in &common {
                    if !required.contains(name) {
                        required.push(name.clone());
                    }
                }
            }
        }
        let rest: Vec<Vec<Value>> = lists
            .iter()
            .map(|l| l.iter().filter(|n| !common.contains(n)).cloned().collect())
            .collect();
        let disjoint = rest.iter().enumerate().all(|(i, l)| {
            !l.is_empty()
                && rest[i + 1..]
                    .iter()
                    .all(|o| l.iter().all(|n| !o.contains(n)))
        });
        if key == "oneOf" && disjoint {
            let narrowed: Vec<Value> = members
                .iter()
                .zip(&rest)
                .map(|(member, names)| {
                    let mut member = member.clone();
                    if let Value::Object(m) = &mut member {
                        m.insert("required".to_owned(), Value::Array(names.clone()));
                    }
                    member
                })
                .collect();
            schema.insert(key.to_owned(), Value::Array(narrowed));
            if !common.is_empty() {
                doc.warn(
                    &format!("{ptr}/{key}"),
                    "the names every member of this `oneOf` of `required` lists requires are required by the object itself",
                    None,
                );
            }
            continue;
        }
        schema.remove(key);
        // An optional array field is a `Vec` that encodes empty as absent;
        // an array the union names must keep `[]` (clerk's `domains: []`
        // is what satisfies `required: [domains]`), so it is typed as an
        // `Option<Vec<_>>` through `nullable`, which the marker undoes for
        // validators.
        if let Some(Value::Object(properties)) = schema.get_mut("properties") {
            for names in &rest {
                for name in names.iter().filter_map(Value::as_str) {
                    if let Some(Value::Object(p)) = properties.get_mut(name)
                        && p.get("type").and_then(Value::as_str) == Some("array")
                        && p.get("nullable").is_none()
                    {
                        p.insert("nullable".to_owned(), Value::Bool(true));
                        p.insert(PRESENCE_EXTENSION.to_owned(), Value::Bool(true));
                    }
                }
            }
        }
        let mut union = serde_json::Map::new();
        union.insert(key.to_owned(), Value::Array(members));
        schema.insert(PRESENCE_EXTENSION.to_owned(), Value::Object(union));
        doc.warn(
            &format!("{ptr}/{key}"),
            format!("`{key}` of `required` lists is left out of the type: the struct holds every value, and the client does not check which of these properties are present"),
            Some("typify would type each member as a variant that refuses the other members' fields (none at all where two lists share a name)"),
        );
    }
}

/// The names a union member requires, when requiring them is all it does
/// (`title` and `description` beside them say nothing of the value).
fn required_list(member: &Value) -> Option<Vec<Value>> {
    let Value::Object(m) = member else {
        return None;
    };
    let only = m
        .keys()
        .all(|k| matches!(k.as_str(), "required" | "title" | "description") || k.starts_with("x-"));
    let names = m.get("required")?.as_array()?;
    (only && names.iter().all(Value::is_string)).then(|| names.clone())
}

/// Puts each union [`presence`] took out of a type back in its schema, and
/// takes back the `nullable` it gave the arrays the union names.
pub(crate) fn restore_presence(value: &mut Value) {
    match value {
        Value::Object(o) => {
            match o.remove(PRESENCE_EXTENSION) {
                Some(Value::Object(union)) => {
                    for (key, members) in union {
                        o.insert(key, members);
                    }
                }
                Some(Value::Bool(true)) => {
                    o.remove("nullable");
                }
                _ => {}
            }
            o.values_mut().for_each(restore_presence);
        }
        Value::Array(items) => items.iter_mut().for_each(restore_presence),
        _ => {}
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

    /// intercom's data event, clerk's SAML connection: unions of
    /// `required` lists beside properties.
    #[test]
    fn unions_of_required_lists_leave_the_type() {
        let props = json!({"event_name": {"type": "string"}, "id": {"type": "string"},
            "email": {"type": "string"}});
        let mut doc = Doc::new(json!({"components": {"schemas": {
            "Shared": {"type": "object", "properties": props, "anyOf": [
                {"title": "id", "required": ["event_name", "id"]},
                {"required": ["event_name", "email"]}]},
            "Disjoint": {"type": "object", "properties": {"domain": {"type": "string"},
                "domains": {"type": "array", "items": {"type": "string"}}}, "anyOf": [
                {"required": ["domain"]}, {"required": ["domains"]}]},
            "Exclusive": {"type": "object", "properties": props, "oneOf": [
                {"required": ["event_name", "id"]}, {"required": ["event_name", "email"]}]},
            "Overlapping": {"type": "object", "properties": props, "oneOf": [
                {"required": ["id", "email"]}, {"required": ["email"]}]},
            "Members": {"type": "object", "properties": props, "anyOf": [
                {"required": ["id"]}, {"type": "object", "required": ["email"]}]}}}}));
        run(&mut doc);
        let schemas = doc.root["components"]["schemas"].clone();
        let shared = &schemas["Shared"];
        assert_eq!(shared["required"], json!(["event_name"]));
        assert!(shared.get("anyOf").is_none());
        assert_eq!(
            shared[PRESENCE_EXTENSION]["anyOf"][0]["required"],
            json!(["event_name", "id"])
        );
        assert!(schemas["Disjoint"].get("anyOf").is_none());
        // An array the union names keeps `[]`: an `Option<Vec<_>>`.
        assert_eq!(
            schemas["Disjoint"]["properties"]["domains"]["nullable"],
            json!(true)
        );
        // A `oneOf` whose lists, less the shared names, are disjoint: exact
        // as typify types it.
        let exclusive = &schemas["Exclusive"];
        assert_eq!(exclusive["required"], json!(["event_name"]));
        assert_eq!(exclusive["oneOf"][1]["required"], json!(["email"]));
        assert!(schemas["Overlapping"].get("oneOf").is_none());
        // A member that says more than which names are present is a type.
        assert!(schemas["Members"].get("anyOf").is_some());
        // Put back, the spec's constraints are whole again.
        let mut restored = doc.root.clone();
        restore_presence(&mut restored);
        assert_eq!(
            restored["components"]["schemas"]["Shared"]["anyOf"][1]["required"],
            json!(["event_name", "email"])
        );
        assert!(
            restored["components"]["schemas"]["Shared"]
                .get(PRESENCE_EXTENSION)
                .is_none()
        );
        assert_eq!(
            restored["components"]["schemas"]["Disjoint"]["properties"]["domains"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(doc.findings.len(), 4);
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
