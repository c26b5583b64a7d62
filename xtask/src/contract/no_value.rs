//! Schemas that admit no value, proven from their keywords alone: bounds
//! that cross (getstream's `latitude`, `minimum` 18446744073709552000
//! above `maximum` 90), a format whose every text breaks the length
//! bounds beside it (intercom's `format: uuid` of exactly 24 characters),
//! a required property that admits none, an `enum` none of whose values
//! is of the schema's type. A call or round trip that needs such a value
//! cannot be made by anyone, so it is skipped with the reason; the
//! synthesizer leaves such a part out where it may ([`super::values`]).
//!
//! One more proof is about the generated types rather than the schema
//! alone: a `oneOf` each of whose members accepts every object of another
//! member's declared properties (datadog's `WildcardWidgetRequest`, four
//! open request objects that share their fields; bigcommerce's
//! conditions) is satisfied only by objects that carry properties no
//! member declares, and the member's struct keeps only its declared ones:
//! no value a client can hold, send or get back satisfies it.
//!
//! Only what is certain counts: anything not understood (`not`,
//! `pattern`, how `allOf` parts meet) is taken to admit a value, so a
//! skip never hides a value the synthesizer merely failed to find.

use serde_json::{Map, Value};

/// How deep a proof follows properties, items and members.
const MAX_DEPTH: usize = 24;

/// Why a part admits no value, and of what kind the proof is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NoValue {
    /// The reason, naming the JSON pointer of the part that admits none.
    pub(crate) why: String,
    /// The schema admits values, but none the generated types can hold.
    pub(crate) types_only: bool,
}

impl NoValue {
    /// The verdict's words: which values there are none of.
    pub(crate) fn admits(&self) -> &'static str {
        if self.types_only {
            "no value the generated types can hold satisfies the spec's schema"
        } else {
            "the spec's schema admits no value"
        }
    }
}

/// Why no value satisfies `schema` (an OpenAPI schema of the normalized
/// document `doc`), naming the JSON pointer of the part that admits none.
#[cfg(test)]
pub(crate) fn no_value(doc: &Value, schema: &Value) -> Option<String> {
    let mut seen = Vec::new();
    why(doc, schema, "#", &mut seen, 0, false).map(|found| found.why)
}

/// [`no_value`], or why no value the generated types can hold satisfies
/// `schema` (a `oneOf` whose members accept each other's objects).
pub(crate) fn no_typed_value(doc: &Value, schema: &Value) -> Option<NoValue> {
    let mut seen = Vec::new();
    why(doc, schema, "#", &mut seen, 0, false).or_else(|| {
        seen.clear();
        why(doc, schema, "#", &mut seen, 0, true)
    })
}

fn why(
    doc: &Value,
    schema: &Value,
    at: &str,
    seen: &mut Vec<String>,
    depth: usize,
    typed: bool,
) -> Option<NoValue> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema_says = |why: String| {
        Some(NoValue {
            why,
            types_only: false,
        })
    };
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        // A schema that contains itself: a proof through it would be
        // circular, so it is taken to admit a value.
        if seen.iter().any(|s| s == reference) {
            return None;
        }
        let target = doc.pointer(reference.strip_prefix('#')?)?;
        seen.push(reference.to_owned());
        let found = why(doc, target, reference, seen, depth + 1, typed);
        seen.pop();
        return found;
    }
    let Value::Object(o) = schema else {
        // `false` admits nothing; `true` and anything else, everything.
        return if schema == &Value::Bool(false) {
            schema_says(format!("`{at}` is `false`"))
        } else {
            None
        };
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
        return schema_says(format!(
            "none of the values of `{at}`'s `enum` satisfies its own type and bounds"
        ));
    }
    if let Some(found) = bounds(schema, &types, at) {
        return schema_says(found);
    }
    if let Some(Value::Array(parts)) = o.get("allOf") {
        for (i, part) in parts.iter().enumerate() {
            let found = why(
                doc,
                part,
                &format!("{at}/allOf/{i}"),
                seen,
                depth + 1,
                typed,
            );
            if found.is_some() {
                return found;
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = o.get(key)
            && !members.is_empty()
        {
            let reasons: Option<Vec<NoValue>> = members
                .iter()
                .enumerate()
                .map(|(i, member)| {
                    why(
                        doc,
                        member,
                        &format!("{at}/{key}/{i}"),
                        seen,
                        depth + 1,
                        typed,
                    )
                })
                .collect();
            if let Some(reasons) = reasons {
                let listed: Vec<&str> = reasons.iter().map(|r| r.why.as_str()).collect();
                return Some(NoValue {
                    why: format!(
                        "no member of `{at}`'s `{key}` admits a value ({})",
                        listed.join("; ")
                    ),
                    types_only: reasons.iter().any(|r| r.types_only),
                });
            }
            if typed
                && key == "oneOf"
                && let Some(found) = indistinct(doc, members, at)
            {
                return Some(NoValue {
                    why: found,
                    types_only: true,
                });
            }
        }
    }
    if types.contains(&"object")
        && let Some(found) = object(doc, schema, at, seen, depth, types.len() == 1, typed)
    {
        return Some(found);
    }
    if types == ["array"]
        && o.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0
        && let Some(items) = o.get("items")
    {
        return why(doc, items, &format!("{at}/items"), seen, depth + 1, typed).map(|found| {
            NoValue {
                why: format!("`{at}` needs at least one item, and {}", found.why),
                types_only: found.types_only,
            }
        });
    }
    None
}

/// Why no object the members' types hold satisfies a `oneOf` of
/// `members`: each member accepts every object of another member's
/// declared properties ([`covers`]), so an object of one member's fields
/// always matches two. `None` when that is not proven for every member.
fn indistinct(doc: &Value, members: &[Value], at: &str) -> Option<String> {
    if members.len() < 2 {
        return None;
    }
    let name = |i: usize| -> String {
        members[i]
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .map_or_else(|| format!("member {i}"), |n| format!("`{n}`"))
    };
    let mut pairs = Vec::new();
    for (i, narrow) in members.iter().enumerate() {
        let wide = (0..members.len()).find(|j| *j != i && covers(doc, &members[*j], narrow, 0))?;
        pairs.push(format!("{} takes every {}", name(wide), name(i)));
    }
    Some(format!(
        "each member of `{at}`'s `oneOf` accepts every object of another member's declared properties ({}), so only properties no member declares tell them apart, and a member's generated type keeps none",
        pairs.join(", ")
    ))
}

/// Keywords that say nothing of which values a schema accepts.
const ANNOTATIONS: [&str; 10] = [
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "externalDocs",
    "xml",
];

/// A schema's keywords that constrain values (`$ref`s followed).
fn constraints<'a>(doc: &'a Value, mut schema: &'a Value) -> Option<&'a Map<String, Value>> {
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => schema = doc.pointer(r.strip_prefix('#')?)?,
            None => return schema.as_object(),
        }
    }
    None
}

fn constraining(o: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    o.iter()
        .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
}

/// The type a schema's keywords say, `properties` meaning an object.
fn kind(o: &Map<String, Value>) -> Option<&str> {
    match o.get("type").and_then(Value::as_str) {
        Some(t) => Some(t),
        None if o.contains_key("properties") => Some("object"),
        None => None,
    }
}

/// Whether every value of `narrow` that its generated type can hold (its
/// declared properties only, recursively) is accepted by `wide`. Proven
/// only for what is plainly so; anything else is `false`.
fn covers(doc: &Value, wide: &Value, narrow: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    if let (Some(a), Some(b)) = (
        wide.get("$ref").and_then(Value::as_str),
        narrow.get("$ref").and_then(Value::as_str),
    ) && a == b
    {
        return true;
    }
    let (Some(w), Some(n)) = (constraints(doc, wide), constraints(doc, narrow)) else {
        return false;
    };
    // `nullable` is the one keyword that widens.
    let nullable = |o: &Map<String, Value>| o.get("nullable") == Some(&Value::Bool(true));
    if nullable(n) && !nullable(w) {
        return false;
    }
    // Every constraint of `wide` is one of `narrow`'s, word for word.
    if constraining(w).all(|(k, v)| n.get(k) == Some(v)) {
        return true;
    }
    let keys = |o: &Map<String, Value>, allowed: &[&str]| {
        constraining(o).all(|(k, _)| allowed.contains(&k.as_str()))
    };
    // An `enum` within a wider one of the same type.
    if let (Some(Value::Array(wv)), Some(Value::Array(nv))) = (w.get("enum"), n.get("enum")) {
        return keys(w, &["type", "enum"])
            && w.get("type") == n.get("type")
            && nv.iter().all(|v| wv.contains(v));
    }
    match (kind(w), kind(n)) {
        (Some("object"), Some("object")) => {
            let fields = ["type", "properties", "required", "additionalProperties"];
            // A map beside the fields (`additionalProperties: {…}`) is
            // held too, and not judged here.
            let closed_or_open = |o: &Map<String, Value>| {
                matches!(o.get("additionalProperties"), None | Some(Value::Bool(_)))
            };
            if !keys(w, &fields) || !keys(n, &fields) || !closed_or_open(w) || !closed_or_open(n) {
                return false;
            }
            let empty = Map::new();
            let props = |o: &'_ Map<String, Value>| -> Map<String, Value> {
                o.get("properties")
                    .and_then(Value::as_object)
                    .unwrap_or(&empty)
                    .clone()
            };
            let required = |o: &Map<String, Value>| -> Vec<Value> {
                o.get("required")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let (wp, np) = (props(w), props(n));
            let closed = w.get("additionalProperties") == Some(&Value::Bool(false));
            let (wr, nr) = (required(w), required(n));
            wr.iter().all(|r| nr.contains(r))
                && np.iter().all(|(name, narrow)| match wp.get(name) {
                    Some(wide) => covers(doc, wide, narrow, depth + 1),
                    None => !closed,
                })
        }
        (Some("array"), Some("array")) => {
            keys(w, &["type", "items"])
                && match (w.get("items"), n.get("items")) {
                    (None, _) => true,
                    (Some(wi), Some(ni)) => covers(doc, wi, ni, depth + 1),
                    (Some(_), None) => false,
                }
        }
        _ => false,
    }
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
/// `maxProperties` of them. `objects_only`: the schema allows objects only
/// (an untyped schema is satisfied by a string whatever its properties
/// say); `typed`: values the generated types hold (see [`no_typed_value`]).
fn object(
    doc: &Value,
    schema: &Value,
    at: &str,
    seen: &mut Vec<String>,
    depth: usize,
    objects_only: bool,
    typed: bool,
) -> Option<NoValue> {
    if !objects_only {
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
            return Some(NoValue {
                why: format!(
                    "`{at}` requires {} properties and allows at most {max}",
                    distinct.len()
                ),
                types_only: false,
            });
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    for name in required {
        let pointer = format!(
            "{at}/properties/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        match properties.and_then(|p| p.get(name)) {
            Some(property) => {
                if let Some(found) = why(doc, property, &pointer, seen, depth + 1, typed) {
                    return Some(found);
                }
            }
            None if schema.get("additionalProperties") == Some(&Value::Bool(false))
                && schema.get("patternProperties").is_none() =>
            {
                return Some(NoValue {
                    why: format!(
                        "`{at}` requires `{name}`, which its `additionalProperties: false` forbids"
                    ),
                    types_only: false,
                });
            }
            None => {}
        }
    }
    None
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

    fn typed(doc: &Value, name: &str) -> Option<NoValue> {
        no_typed_value(
            doc,
            &json!({"$ref": format!("#/components/schemas/{name}")}),
        )
    }

    /// datadog's `WildcardWidgetRequest`: open members that share their
    /// fields (a style whose fields are a subset of the other's, an enum
    /// within a wider one) take each other's objects; a member that
    /// requires a field the others may lack, a tag that differs, a field
    /// typed differently or a `nullable` one tell the members apart.
    #[test]
    fn a_one_of_whose_members_take_each_others_objects_admits_no_typed_value() {
        let doc = json!({"components": {"schemas": {
            "Format": {"type": "string", "enum": ["timeseries", "scalar", "event_list"]},
            "Style": {"type": "object", "properties": {"palette": {"type": "string"}}},
            "LineStyle": {"type": "object", "properties": {
                "palette": {"type": "string", "description": "the palette"},
                "line_width": {"type": "string"}}},
            "TreeMap": {"type": "object", "properties": {
                "q": {"type": "string", "deprecated": true},
                "response_format": {"$ref": "#/components/schemas/Format"},
                "style": {"$ref": "#/components/schemas/LineStyle"}}},
            "Timeseries": {"type": "object", "properties": {
                "q": {"type": "string"},
                "display_type": {"type": "string"},
                "response_format": {"$ref": "#/components/schemas/Format",
                    "description": "beside the reference"},
                "style": {"$ref": "#/components/schemas/Style"}}},
            "ListStream": {"type": "object", "required": ["response_format"], "properties": {
                "response_format": {"type": "string", "enum": ["event_list"]}}},
            "Request": {"oneOf": [{"$ref": "#/components/schemas/TreeMap"},
                {"$ref": "#/components/schemas/Timeseries"},
                {"$ref": "#/components/schemas/ListStream"}]},
            "Holder": {"type": "object", "required": ["requests"], "properties": {
                "requests": {"type": "array", "minItems": 1,
                    "items": {"$ref": "#/components/schemas/Request"}}}},
            "Optional": {"type": "object", "properties": {
                "requests": {"type": "array", "items": {"$ref": "#/components/schemas/Request"}}}},
            "Required": {"oneOf": [{"$ref": "#/components/schemas/Timeseries"},
                {"type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}}]},
            "Tagged": {"oneOf": [
                {"type": "object", "properties": {"kind": {"type": "string", "enum": ["a"]}}},
                {"type": "object", "properties": {"kind": {"type": "string", "enum": ["b"]}}}]},
            "Typed": {"oneOf": [
                {"type": "object", "properties": {"n": {"type": "string"}}},
                {"type": "object", "properties": {"n": {"type": "integer"}}}]},
            "Nullable": {"oneOf": [
                {"type": "object", "properties": {"n": {"type": "string"}}},
                {"type": "object", "properties": {"n": {"type": "string", "nullable": true}}}]}}}});
        let found = typed(&doc, "Request").expect("indistinct members");
        assert!(found.types_only, "{found:?}");
        assert!(
            found
                .why
                .contains("`#/components/schemas/Request`'s `oneOf`")
                && found.why.contains("`Timeseries` takes every `TreeMap`")
                && found.why.contains("`TreeMap` takes every `ListStream`"),
            "{}",
            found.why
        );
        // The schema alone admits values (with fields no member declares).
        assert_eq!(reason(&doc, "Request"), None);
        let found = typed(&doc, "Holder").expect("a required item");
        assert!(
            found
                .why
                .contains("/Holder/properties/requests` needs at least one item"),
            "{}",
            found.why
        );
        for name in ["Optional", "Required", "Tagged", "Typed", "Nullable"] {
            assert_eq!(typed(&doc, name), None, "{name}");
        }
        // A proof about the schema alone says so.
        let doc = json!({"components": {"schemas": {"Crossed": {"type": "object",
            "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 2, "maximum": 1}}}}}});
        assert!(typed(&doc, "Crossed").is_some_and(|f| !f.types_only));
    }
}
