//! Schemas that admit no value, proven from their keywords alone: bounds
//! that cross (getstream's `latitude`, `minimum` 18446744073709552000
//! above `maximum` 90), a format whose every text breaks the length
//! bounds beside it (intercom's `format: uuid` of exactly 24 characters),
//! a required property that admits none, an `enum` none of whose values
//! is of the schema's type, a name an `allOf` part requires beside the
//! schema's own `additionalProperties: false` that does not declare it
//! (assemblyai's `TranscriptParams` as written). A call or round trip
//! that needs such a value cannot be made by anyone, so it is skipped
//! with the reason; the synthesizer leaves such a part out where it may
//! ([`super::values`]).
//!
//! Only what is certain counts: anything not understood (`not`,
//! `pattern`, how `allOf` parts' bounds meet) is taken to admit a value, so a
//! skip never hides a value the synthesizer merely failed to find.

use serde_json::Value;

/// How deep a proof follows properties, items and members.
const MAX_DEPTH: usize = 24;

/// Why no value satisfies `schema` (an OpenAPI schema of the normalized
/// document `doc`), naming the JSON pointer of the part that admits none.
pub(crate) fn no_value(doc: &Value, schema: &Value) -> Option<String> {
    let mut seen = Vec::new();
    why(doc, schema, "#", &mut seen, 0)
}

fn why(
    doc: &Value,
    schema: &Value,
    at: &str,
    seen: &mut Vec<String>,
    depth: usize,
) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        // A schema that contains itself: a proof through it would be
        // circular, so it is taken to admit a value.
        if seen.iter().any(|s| s == reference) {
            return None;
        }
        let target = doc.pointer(reference.strip_prefix('#')?)?;
        seen.push(reference.to_owned());
        let found = why(doc, target, reference, seen, depth + 1);
        seen.pop();
        return found;
    }
    let Value::Object(o) = schema else {
        // `false` admits nothing; `true` and anything else, everything.
        return (schema == &Value::Bool(false)).then(|| format!("`{at}` is `false`"));
    };
    if o.get("nullable").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let types = types(schema);
    if types.contains(&"null") {
        return None;
    }
    if let Some(Value::Array(listed)) = o.get("enum")
        && !listed.iter().any(|v| fits(v, schema))
    {
        return Some(format!(
            "none of the values of `{at}`'s `enum` satisfies its own type and bounds"
        ));
    }
    if let Some(found) = bounds(schema, &types, at) {
        return Some(found);
    }
    if let Some(Value::Array(parts)) = o.get("allOf") {
        for (i, part) in parts.iter().enumerate() {
            if let Some(found) = why(doc, part, &format!("{at}/allOf/{i}"), seen, depth + 1) {
                return Some(found);
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = o.get(key)
            && !members.is_empty()
        {
            let reasons: Option<Vec<String>> = members
                .iter()
                .enumerate()
                .map(|(i, member)| why(doc, member, &format!("{at}/{key}/{i}"), seen, depth + 1))
                .collect();
            if let Some(reasons) = reasons {
                return Some(format!(
                    "no member of `{at}`'s `{key}` admits a value ({})",
                    reasons.join("; ")
                ));
            }
        }
    }
    if types.contains(&"object")
        && let Some(found) = object(doc, schema, at, seen, depth, types.len() == 1)
    {
        return Some(found);
    }
    if types == ["array"]
        && o.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0
        && let Some(items) = o.get("items")
    {
        return why(doc, items, &format!("{at}/items"), seen, depth + 1)
            .map(|found| format!("`{at}` needs at least one item, and {found}"));
    }
    None
}

/// The schema's types: `type` as a word or a list, empty when it has none.
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Bounds of one kind of value that no value of that kind meets, when that
/// kind is the only one the schema allows (`minimum` says nothing of a
/// string).
fn bounds(schema: &Value, types: &[&str], at: &str) -> Option<String> {
    let only = |kinds: &[&str]| !types.is_empty() && types.iter().all(|t| kinds.contains(t));
    if only(&["integer", "number"]) {
        let (low, high) = (number(schema, "minimum"), number(schema, "maximum"));
        if let (Some(low), Some(high)) = (low, high) {
            let open =
                exclusive(schema, "exclusiveMinimum") || exclusive(schema, "exclusiveMaximum");
            let whole = only(&["integer"]) && low.ceil() > high.floor();
            if low > high || (low == high && open) || whole {
                return Some(format!(
                    "`{at}` has a `minimum` of {} above its `maximum` of {}",
                    shown(schema, "minimum"),
                    shown(schema, "maximum")
                ));
            }
        }
    }
    if only(&["string"]) {
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        let max = schema.get("maxLength").and_then(Value::as_u64);
        if let Some(max) = max
            && min > max
        {
            return Some(format!(
                "`{at}` has a `minLength` of {min} above its `maxLength` of {max}"
            ));
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        if let Some(lengths) = format_lengths(format)
            && !lengths
                .iter()
                .any(|n| *n >= min && max.is_none_or(|m| *n <= m))
        {
            let lengths: Vec<String> = lengths.iter().map(u64::to_string).collect();
            return Some(format!(
                "`{at}` is `format: {format}`, {} characters long, and its length bounds are {min} to {}",
                lengths.join(" or "),
                max.map_or("any".to_owned(), |m| m.to_string())
            ));
        }
    }
    if only(&["array"]) {
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && min > max
        {
            return Some(format!(
                "`{at}` has a `minItems` of {min} above its `maxItems` of {max}"
            ));
        }
    }
    None
}

/// The lengths every text of a format has, where it has fixed ones: a
/// UUID is 36 characters, or 45 with ajv-formats' `urn:uuid:` prefix
/// (Prism's reading); a full date, 10.
fn format_lengths(format: &str) -> Option<&'static [u64]> {
    match format {
        "uuid" => Some(&[36, 45]),
        "date" => Some(&[10]),
        _ => None,
    }
}

fn number(schema: &Value, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

/// A bound as the normalized document holds it (a bound beyond `i64`
/// is a float there: `1.8446744073709552e+19`).
fn shown(schema: &Value, key: &str) -> String {
    schema.get(key).map(Value::to_string).unwrap_or_default()
}

fn exclusive(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool) == Some(true)
}

/// An object schema's required properties: one that admits no value, or a
/// name `additionalProperties: false` forbids, or more than
/// `maxProperties` of them. `typed`: the schema allows objects only (an
/// untyped schema is satisfied by a string whatever its properties say).
fn object(
    doc: &Value,
    schema: &Value,
    at: &str,
    seen: &mut Vec<String>,
    depth: usize,
    typed: bool,
) -> Option<String> {
    if !typed {
        return None;
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64) {
        let mut distinct = required.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() as u64 > max {
            return Some(format!(
                "`{at}` requires {} properties and allows at most {max}",
                distinct.len()
            ));
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    let closed = schema.get("additionalProperties") == Some(&Value::Bool(false))
        && schema.get("patternProperties").is_none();
    // Names an `allOf` part requires hold of every value too; beside the
    // schema's own `additionalProperties: false`, one it does not declare
    // is refused (assemblyai's `TranscriptParams` as written: its parts
    // require `audio_url`, its own `properties` are none).
    if closed {
        let mut inherited = Vec::new();
        required_by_parts(doc, schema, "", &mut inherited, &mut Vec::new(), depth);
        for (name, part) in inherited {
            if !properties.is_some_and(|p| p.contains_key(&name)) {
                return Some(format!(
                    "`{at}` requires `{name}` through `{at}{part}`, which its own \
                     `additionalProperties: false` forbids"
                ));
            }
        }
    }
    for name in required {
        let pointer = format!(
            "{at}/properties/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        match properties.and_then(|p| p.get(name)) {
            Some(property) => {
                if let Some(found) = why(doc, property, &pointer, seen, depth + 1) {
                    return Some(found);
                }
            }
            None if closed => {
                return Some(format!(
                    "`{at}` requires `{name}`, which its `additionalProperties: false` forbids"
                ));
            }
            None => {}
        }
    }
    None
}

/// The names `schema`'s `allOf` parts require, through `$ref`s and nested
/// `allOf`s, each with where it is required below the schema
/// (`/allOf/0`, `/allOf/1/allOf/0`); `at` is that place for `schema`
/// itself, whose own `required` counts only below the top.
fn required_by_parts(
    doc: &Value,
    schema: &Value,
    at: &str,
    out: &mut Vec<(String, String)>,
    seen: &mut Vec<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        // A part that contains itself says nothing more the second time.
        if seen.iter().any(|s| s == reference) {
            return;
        }
        if let Some(target) = reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
            seen.push(reference.to_owned());
            required_by_parts(doc, target, at, out, seen, depth + 1);
            seen.pop();
        }
        return;
    }
    if !at.is_empty() {
        let names = schema.get("required").and_then(Value::as_array);
        for name in names.into_iter().flatten().filter_map(Value::as_str) {
            out.push((name.to_owned(), at.to_owned()));
        }
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for (i, part) in parts.iter().enumerate() {
            let here = format!("{at}/allOf/{i}");
            required_by_parts(doc, part, &here, out, seen, depth + 1);
        }
    }
}

/// Whether an `enum` value is of the schema's type and within its bounds.
fn fits(value: &Value, schema: &Value) -> bool {
    let types = types(schema);
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n)
            if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) =>
        {
            "integer"
        }
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let typed = types.is_empty()
        || types.contains(&kind)
        || (kind == "integer" && types.contains(&"number"));
    if !typed {
        return false;
    }
    if let Some(n) = value.as_f64() {
        let low = number(schema, "minimum");
        let high = number(schema, "maximum");
        let below = low.is_some_and(|l| n < l || (n == l && exclusive(schema, "exclusiveMinimum")));
        let above =
            high.is_some_and(|h| n > h || (n == h && exclusive(schema, "exclusiveMaximum")));
        return !below && !above;
    }
    if let Some(s) = value.as_str() {
        let len = s.chars().count() as u64;
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        let max = schema.get("maxLength").and_then(Value::as_u64);
        return len >= min && max.is_none_or(|m| len <= m);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reason(doc: &Value, name: &str) -> Option<String> {
        no_value(
            doc,
            &json!({"$ref": format!("#/components/schemas/{name}")}),
        )
    }

    /// getstream-chat's `SharedLocation`, intercom's contact `id`.
    #[test]
    fn crossed_bounds_and_formats_too_long_for_their_lengths() {
        let doc = json!({"components": {"schemas": {
            "SharedLocation": {"type": "object", "required": ["latitude"], "properties": {
                "latitude": {"type": "number", "format": "double",
                    "minimum": 18446744073709552000.0_f64, "maximum": 90}}},
            "Contact": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid", "minLength": 24, "maxLength": 24}}},
            "Uuid": {"type": "string", "format": "uuid", "minLength": 36},
            "Open": {"type": "object", "properties": {
                "latitude": {"type": "number", "minimum": 91, "maximum": 90}}}}}});
        let found = reason(&doc, "SharedLocation").unwrap_or_default();
        assert!(
            found.contains("#/components/schemas/SharedLocation/properties/latitude")
                && found.contains("above its `maximum` of 90"),
            "{found}"
        );
        let found = reason(&doc, "Contact").unwrap_or_default();
        assert!(
            found.contains("/Contact/properties/id") && found.contains("format: uuid"),
            "{found}"
        );
        // A UUID fits; an optional property that admits nothing is left
        // out, and the object is still a value.
        assert_eq!(reason(&doc, "Uuid"), None);
        assert_eq!(reason(&doc, "Open"), None);
    }

    #[test]
    fn null_members_and_untyped_schemas_admit_values() {
        let doc = json!({"components": {"schemas": {
            "Nullable": {"type": "number", "minimum": 2, "maximum": 1, "nullable": true},
            "Listed": {"type": ["integer", "null"], "minimum": 2, "maximum": 1},
            "Untyped": {"minimum": 2, "maximum": 1},
            "Either": {"oneOf": [{"type": "integer", "minimum": 2, "maximum": 1},
                                  {"type": "string"}]},
            "Neither": {"anyOf": [{"type": "integer", "minimum": 2, "maximum": 1},
                                   {"type": "string", "minLength": 3, "maxLength": 2}]},
            "Cycle": {"type": "object", "required": ["next"],
                "properties": {"next": {"$ref": "#/components/schemas/Cycle"}}}}}});
        for name in ["Nullable", "Listed", "Untyped", "Either", "Cycle"] {
            assert_eq!(reason(&doc, name), None, "{name}");
        }
        let found = reason(&doc, "Neither").unwrap_or_default();
        assert!(
            found.contains("`anyOf`") && found.contains("/Neither/anyOf/1"),
            "{found}"
        );
    }

    /// assemblyai's `TranscriptParams` as written: its parts require
    /// `audio_url`, its own `additionalProperties: false` forbids it.
    #[test]
    fn names_the_parts_require_beside_a_closed_schema() {
        let doc = json!({"components": {"schemas": {
            "Url": {"type": "object", "required": ["audio_url"],
                "properties": {"audio_url": {"type": "string"}}},
            "Params": {"type": "object", "additionalProperties": false,
                "allOf": [{"type": "object", "properties": {"punctuate": {"type": "boolean"}}},
                          {"allOf": [{"$ref": "#/components/schemas/Url"}]}]},
            "Declared": {"type": "object", "additionalProperties": false,
                "properties": {"audio_url": {"type": "string"}},
                "allOf": [{"$ref": "#/components/schemas/Url"}]},
            "Open": {"type": "object",
                "allOf": [{"$ref": "#/components/schemas/Url"}]},
            "Patterned": {"type": "object", "additionalProperties": false,
                "patternProperties": {"^a": {}},
                "allOf": [{"$ref": "#/components/schemas/Url"}]},
            "Loop": {"type": "object", "additionalProperties": false,
                "properties": {"x": {}},
                "allOf": [{"$ref": "#/components/schemas/Loop"}]}}}});
        let found = reason(&doc, "Params").unwrap_or_default();
        assert!(
            found.contains(
                "requires `audio_url` through `#/components/schemas/Params/allOf/1/allOf/0`"
            ),
            "{found}"
        );
        for name in ["Declared", "Open", "Patterned", "Loop"] {
            assert_eq!(reason(&doc, name), None, "{name}");
        }
    }

    #[test]
    fn required_names_enums_and_items() {
        let doc = json!({"components": {"schemas": {
            "Closed": {"type": "object", "required": ["a"], "additionalProperties": false,
                "properties": {"b": {"type": "string"}}},
            "Enum": {"type": "integer", "enum": ["a", 0], "minimum": 1},
            "Items": {"type": "array", "minItems": 1,
                "items": {"type": "integer", "minimum": 1, "maximum": 0}},
            "Empty": {"type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": 0}},
            "Whole": {"type": "integer", "minimum": 0.2, "maximum": 0.8},
            "Fraction": {"type": "number", "minimum": 0.2, "maximum": 0.8}}}});
        assert!(reason(&doc, "Closed").is_some_and(|r| r.contains("requires `a`")));
        assert!(reason(&doc, "Enum").is_some_and(|r| r.contains("`enum`")));
        assert!(reason(&doc, "Items").is_some_and(|r| r.contains("/Items/items")));
        assert!(reason(&doc, "Whole").is_some());
        // An empty array, a fraction: values.
        assert_eq!(reason(&doc, "Empty"), None);
        assert_eq!(reason(&doc, "Fraction"), None);
    }
}
