//! Schemas as the JSON the typed model serializes back to, with their
//! references followed: the component schemas of one document
//! ([`Components`]), a schema with `$ref`s and single-member `allOf`s
//! resolved ([`Node`]), its properties gathered through `allOf`
//! ([`Object`]), and the shape it has on the wire.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::document::pointer::{escape_token, percent_decode};
use crate::generate::{OPEN_ENUM_EXTENSION, OPEN_ENUMS_EXTENSION};

/// The component schemas of one document, as JSON.
pub(super) struct Components {
    schemas: BTreeMap<String, Value>,
    /// Whether string enums are generated open (`Unknown(String)`): the
    /// root's `x-codegen-open-enums`, on unless `false`.
    open_enums: bool,
}

impl Components {
    pub(super) fn new(api: &OpenAPI) -> Self {
        let schemas = api
            .components
            .iter()
            .flat_map(|c| &c.schemas)
            .map(|(name, s)| (name.clone(), to_json(s)))
            .collect();
        let open_enums = api.extensions.get(OPEN_ENUMS_EXTENSION) != Some(&Value::Bool(false));
        Components {
            schemas,
            open_enums,
        }
    }

    /// Whether the client generated from this spec decodes a value of
    /// `node`'s enum it does not know (see `generate::enums`: string enums
    /// of two values or more, unless switched off for the spec or schema).
    pub(super) fn decodes_unknown_values(&self, node: &Node, values: &[Value]) -> bool {
        self.open_enums
            && node.value.get(OPEN_ENUM_EXTENSION) != Some(&Value::Bool(false))
            && node.value.get("type").and_then(Value::as_str) == Some("string")
            && values.len() > 1
    }

    /// The component a `#/components/schemas/…` reference names.
    fn lookup(&self, reference: &str) -> Option<(&str, &Value)> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        // RFC 6901 §6: percent escapes first, then the pointer escapes.
        let name = percent_decode(name).replace("~1", "/").replace("~0", "~");
        self.schemas
            .get_key_value(&name)
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// A typed node as JSON. Serializing the typed model cannot fail (no
/// non-string keys, no foreign types); `null` would only hide the node.
pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Where a pair of schemas is: its pointer on each side and a name for
/// people (`Character.stances[].mood`).
#[derive(Clone, Debug)]
pub(super) struct Site {
    pub old: String,
    pub new: String,
    pub label: String,
}

impl Site {
    pub(super) fn child(&self, segments: &[&str], label: String) -> Site {
        let mut old = self.old.clone();
        let mut new = self.new.clone();
        for s in segments {
            let s = escape_token(s);
            old = format!("{old}/{s}");
            new = format!("{new}/{s}");
        }
        Site { old, new, label }
    }
}

/// A schema with its references followed.
pub(super) struct Node<'a> {
    pub value: &'a Value,
    pub nullable: bool,
    pub pointer: String,
    pub component: Option<&'a str>,
}

/// Keywords that give a schema its shape; an `allOf` of one member beside
/// none of them is that member (the idiom for a nullable or described
/// reference).
const SHAPING: [&str; 10] = [
    "type",
    "properties",
    "additionalProperties",
    "items",
    "oneOf",
    "anyOf",
    "not",
    "enum",
    "format",
    "required",
];

pub(super) const EMPTY: Value = Value::Null;

pub(super) fn node<'a>(c: &'a Components, value: &'a Value, pointer: &str) -> Node<'a> {
    let mut node = Node {
        value,
        nullable: false,
        pointer: pointer.to_owned(),
        component: None,
    };
    // Validation rejects cyclic chains of bare references; the bound only
    // keeps this loop finite whatever it is given.
    for _ in 0..64 {
        if let Some(reference) = node.value.get("$ref").and_then(Value::as_str) {
            match c.lookup(reference) {
                Some((name, target)) => {
                    node.value = target;
                    node.component = Some(name);
                    node.pointer = format!("/components/schemas/{}", escape_token(name));
                    continue;
                }
                None => break,
            }
        }
        node.nullable |= node.value.get("nullable") == Some(&Value::Bool(true));
        if let Some([only]) = node
            .value
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            && !SHAPING.iter().any(|k| node.value.get(k).is_some())
        {
            node.value = only;
            node.pointer = format!("{}/allOf/0", node.pointer);
            continue;
        }
        break;
    }
    node
}

/// An object's properties, gathered through `allOf`.
#[derive(Default)]
pub(super) struct Object<'a> {
    pub properties: BTreeMap<&'a str, (&'a Value, String)>,
    pub required: BTreeSet<&'a str>,
    pub closed: bool,
    pub additional: Option<(&'a Value, String)>,
}

pub(super) fn object<'a>(c: &'a Components, node: &Node<'a>) -> Option<Object<'a>> {
    let mut out = Object::default();
    gather(c, node.value, &node.pointer, &mut out, 0).then_some(out)
}

fn gather<'a>(
    c: &'a Components,
    v: &'a Value,
    pointer: &str,
    out: &mut Object<'a>,
    depth: usize,
) -> bool {
    if depth > 32 {
        return false;
    }
    let typ = v.get("type").and_then(Value::as_str);
    if !matches!(typ, None | Some("object"))
        || ["oneOf", "anyOf", "items", "not"]
            .iter()
            .any(|k| v.get(k).is_some())
    {
        return false;
    }
    if let Some(props) = v.get("properties").and_then(Value::as_object) {
        for (name, schema) in props {
            out.properties.entry(name.as_str()).or_insert_with(|| {
                (
                    schema,
                    format!("{pointer}/properties/{}", escape_token(name)),
                )
            });
        }
    }
    if let Some(required) = v.get("required").and_then(Value::as_array) {
        out.required
            .extend(required.iter().filter_map(Value::as_str));
    }
    match v.get("additionalProperties") {
        Some(Value::Bool(false)) => out.closed = true,
        Some(schema @ Value::Object(_)) => {
            out.additional = Some((schema, format!("{pointer}/additionalProperties")));
        }
        _ => {}
    }
    if let Some(members) = v.get("allOf").and_then(Value::as_array) {
        for (i, member) in members.iter().enumerate() {
            let m = node(c, member, &format!("{pointer}/allOf/{i}"));
            if !gather(c, m.value, &m.pointer, out, depth + 1) {
                return false;
            }
        }
    }
    true
}

pub(super) fn shape(c: &Components, node: &Node) -> &'static str {
    let v = node.value;
    for k in ["oneOf", "anyOf", "not"] {
        if v.get(k).is_some() {
            return k;
        }
    }
    if let Some(t) = v.get("type").and_then(Value::as_str) {
        return match t {
            "string" => "string",
            "integer" => "integer",
            "number" => "number",
            "boolean" => "boolean",
            "array" => "array",
            "object" => "object",
            _ => "any",
        };
    }
    if v.get("allOf").is_some() {
        return if object(c, node).is_some() {
            "object"
        } else {
            "allOf"
        };
    }
    if v.get("properties").is_some() || v.get("additionalProperties").is_some() {
        "object"
    } else if v.get("items").is_some() {
        "array"
    } else {
        "any"
    }
}

pub(super) fn type_label(shape: &str, v: &Value) -> String {
    match v.get("format").and_then(Value::as_str) {
        Some(f) => format!("{shape} ({f})"),
        None => shape.to_owned(),
    }
}

pub(super) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
