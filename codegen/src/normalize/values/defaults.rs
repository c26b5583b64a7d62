//! Whether typify can write a `default` as a Rust value, and the value it
//! should write.
//!
//! typify renders a default as a Rust expression of the type it generates
//! (`typify_impl::value`), and checks it beforehand with a looser test of
//! its own (`typify_impl::defaults`). Where the two disagree the output
//! does not compile, or typify panics: a property the value leaves out
//! becomes `Default::default()` even when its type has no `Default` (a
//! struct with required fields, a `Box` of one); an untagged union takes
//! the first member whose rendering does not fail, and a newtype's never
//! fails (`Next()` with no argument); an integer is written with the
//! suffix of its type whatever its range. So a default is kept only when
//! it is a value of its schema in the sense typify renders, judged here
//! member by member:
//!
//! - scalars by JSON type, `enum`, plain `format`s and the range of the
//!   integer type typify picks (format, `minimum`, `maximum`);
//! - arrays item by item; objects property by property, every `required`
//!   one present and no key its schema does not declare (typify's structs
//!   have no place for it), through `$ref`s and `allOf`s of objects;
//! - a `oneOf`/`anyOf` only when one member alone can take the value and
//!   no member before it is a named or constrained type (a newtype, which
//!   typify would pick instead).
//!
//! A property a default leaves out that has a default of its own is
//! written in (completed): that is the value serde gives the field, and
//! typify would write `Default::default()` instead. A default that needs
//! itself to be completed (`next` of a `Node` defaulting to a `Node` whose
//! `next` is left out) has no finite value and is not representable.

use serde_json::{Map, Value};

use super::{article, fits, satisfies_format, shown};
use crate::document::pointer::escape_token;
use crate::document::refs::resolve;
use crate::document::schemas::visit_all_schemas;
use crate::normalize::doc::Doc;

/// Rounds at most: a default left out makes its property optional, which
/// can make another default that left the property out representable.
const MAX_ROUNDS: usize = 16;

/// Leaves out every `default` that is no value of its schema or that
/// typify cannot write, each with a warning, and writes the defaults of
/// the properties the others leave out into them.
pub(super) fn run(doc: &mut Doc) {
    for _ in 0..MAX_ROUNDS {
        let mut sites = Vec::new();
        visit_all_schemas(&doc.root, &mut |schema, ptr| {
            if schema.get("default").is_some_and(|d| !d.is_null()) {
                sites.push(ptr.to_owned());
            }
        });
        let mut written = Vec::new();
        let mut dropped = Vec::new();
        let mut judge = Judge::new(&doc.root);
        for ptr in sites {
            let Some(schema) = doc.root.pointer(&ptr) else {
                continue;
            };
            let Some(default) = schema.get("default") else {
                continue;
            };
            match judge.judge(schema, &ptr, default) {
                Ok(value) if value != *default => written.push((ptr, value)),
                Ok(_) => {}
                Err(why) => dropped.push((ptr, why)),
            }
        }
        // What fails of itself goes first; a default that failed only
        // because of another one is judged again without it.
        if dropped
            .iter()
            .any(|(_, why)| !matches!(why, Why::Inherited(_)))
        {
            dropped.retain(|(_, why)| !matches!(why, Why::Inherited(_)));
        }
        if dropped.is_empty() {
            for (ptr, value) in written {
                if let Some(Value::Object(schema)) = doc.root.pointer_mut(&ptr) {
                    schema.insert("default".to_owned(), value);
                }
            }
            return;
        }
        for (ptr, why) in dropped {
            if let Some(Value::Object(schema)) = doc.root.pointer_mut(&ptr) {
                schema.remove("default");
            }
            let (message, help) = match why.innermost() {
                (false, reason) => (
                    format!("`default` does not match the schema: {reason}; it is left out"),
                    "a default must be a value of the schema (quote it for a string)",
                ),
                (true, reason) => (
                    format!(
                        "`default` cannot be written as a value of the generated type: {reason}; it is left out"
                    ),
                    "the generator writes a default as a Rust value of the type it generates, \
                     and this one it cannot write; simplify the default or its schema",
                ),
            };
            doc.warn(&format!("{ptr}/default"), message, Some(help));
        }
    }
}

/// How deep a default is followed into its schema; deeper ones are not
/// judged representable (typify recurses as deep, on the stack).
const MAX_DEPTH: usize = 24;

/// Why a default is left out.
#[derive(Debug)]
pub(super) enum Why {
    /// It is no value of its schema.
    Mismatch(String),
    /// It is one, but typify cannot write it as a Rust value.
    Unrepresentable(String),
    /// A property's own default, written into this one, fails: once that
    /// is left out, this one may be fine.
    Inherited(Box<Why>),
}

pub(super) struct Judge<'a> {
    root: &'a Value,
    /// The pointers of the property schemas whose defaults are being
    /// written into an enclosing default.
    completing: Vec<String>,
    /// The schema whose default is judged.
    site: String,
}

impl<'a> Judge<'a> {
    pub(super) fn new(root: &'a Value) -> Self {
        Judge {
            root,
            completing: Vec::new(),
            site: String::new(),
        }
    }

    /// `value` as typify should write it for `schema` (at `ptr`): the
    /// same value with the defaults of the properties it leaves out
    /// written in; or why typify cannot.
    pub(super) fn judge(&mut self, schema: &Value, ptr: &str, value: &Value) -> Result<Value, Why> {
        ptr.clone_into(&mut self.site);
        self.value(schema, ptr, value, 0)
    }

    fn value(
        &mut self,
        schema: &Value,
        ptr: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Value, Why> {
        if depth > MAX_DEPTH {
            return Err(Why::Unrepresentable(
                "it nests deeper than the generator follows".to_owned(),
            ));
        }
        let Some((schema, at)) = resolve(self.root, schema) else {
            return Err(Why::Unrepresentable(
                "a `$ref` of its schema does not resolve".to_owned(),
            ));
        };
        let ptr = at.as_deref().unwrap_or(ptr).to_owned();
        let Value::Object(map) = schema else {
            return Ok(value.clone());
        };
        if value.is_null() {
            return if nullable(map) || is_any(map) {
                Ok(Value::Null)
            } else {
                Err(Why::Mismatch(
                    "null is not allowed (the schema is not `nullable`)".to_owned(),
                ))
            };
        }
        if let Some(t) = type_of_map(map)
            && !fits(t, value)
        {
            return Err(Why::Mismatch(format!(
                "{} is not {}",
                shown(value),
                article(t)
            )));
        }
        if let Some(Value::Array(allowed)) = map.get("enum")
            && !allowed.contains(value)
        {
            return Err(Why::Mismatch(format!(
                "{} is not one of the `enum` values",
                shown(value)
            )));
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            if members.len() == 1 && !has_own_shape(map) {
                return self.value(&members[0], &format!("{ptr}/allOf/0"), value, depth + 1);
            }
            return self.all_of(map, &ptr, value, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(key) {
                return self.union(members, &format!("{ptr}/{key}"), value, depth);
            }
        }
        self.own(map, &ptr, value, depth)
    }

    /// `value` against the keywords of `map` itself (no composition).
    fn own(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Value, Why> {
        let t = type_of_map(map).or_else(|| is_object_like(map).then_some("object"));
        let Some(t) = t else {
            return Ok(value.clone());
        };
        if !fits(t, value) {
            return Err(Why::Mismatch(format!(
                "{} is not {}",
                shown(value),
                article(t)
            )));
        }
        match (t, value) {
            ("string", Value::String(text)) => match map.get("format").and_then(Value::as_str) {
                Some(format) if !satisfies_format(format, text) => Err(Why::Mismatch(format!(
                    "{} is not of `format: {format}`",
                    shown(value)
                ))),
                _ => Ok(value.clone()),
            },
            ("integer", _) => integer(map, value),
            ("array", Value::Array(items)) => {
                let item_schema = map
                    .get("items")
                    .cloned()
                    .unwrap_or(Value::Object(Map::new()));
                let item_ptr = format!("{ptr}/items");
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let item = self
                        .value(&item_schema, &item_ptr, item, depth + 1)
                        .map_err(|why| within(why, &format!("item {i}")))?;
                    out.push(item);
                }
                Ok(Value::Array(out))
            }
            ("object", Value::Object(fields)) => {
                let object = Object::of(map, ptr);
                self.object(&object, fields, depth)
            }
            _ => Ok(value.clone()),
        }
    }

    /// An `allOf` of several members: typify merges them into one type,
    /// which a default fits when it fits every member (objects: their
    /// properties merged).
    fn all_of(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Value, Why> {
        let mut parts: Vec<(Map<String, Value>, String)> = Vec::new();
        self.flatten(map, ptr, &mut parts, depth)?;
        if parts
            .iter()
            .any(|(p, _)| p.contains_key("oneOf") || p.contains_key("anyOf"))
        {
            return Err(Why::Unrepresentable(
                "it is a default of an `allOf` with a `oneOf`/`anyOf` member, which the generator cannot write".to_owned(),
            ));
        }
        let objects = parts.iter().filter(|(p, _)| is_object_like(p)).count();
        if objects == 0 {
            for (part, part_ptr) in &parts {
                self.own(part, part_ptr, value, depth + 1)?;
            }
            return Ok(value.clone());
        }
        if objects
            != parts
                .iter()
                .filter(|(p, _)| type_of_map(p).is_some() || is_object_like(p))
                .count()
        {
            return Err(Why::Unrepresentable(
                "it is a default of an `allOf` of objects and other types, which the generator cannot write".to_owned(),
            ));
        }
        let Value::Object(fields) = value else {
            return Err(Why::Mismatch(format!("{} is not an object", shown(value))));
        };
        let mut merged = Object::default();
        for (part, part_ptr) in parts.iter().filter(|(p, _)| is_object_like(p)) {
            merged.merge(Object::of(part, part_ptr));
        }
        if merged.properties.is_empty() && !matches!(merged.additional, Additional::Schema(..)) {
            merged.additional = Additional::Any;
        }
        self.object(&merged, fields, depth)
    }

    /// The members of an `allOf`, references followed and nested `allOf`s
    /// flattened, the schema's own keywords first.
    fn flatten(
        &self,
        map: &Map<String, Value>,
        ptr: &str,
        parts: &mut Vec<(Map<String, Value>, String)>,
        depth: usize,
    ) -> Result<(), Why> {
        if depth > MAX_DEPTH {
            return Err(Why::Unrepresentable(
                "it nests deeper than the generator follows".to_owned(),
            ));
        }
        let mut own = map.clone();
        let members = own.remove("allOf");
        if has_own_shape(&own) || own.contains_key("enum") {
            parts.push((own, ptr.to_owned()));
        }
        let Some(Value::Array(members)) = members else {
            return Ok(());
        };
        for (i, member) in members.iter().enumerate() {
            let Some((resolved, at)) = resolve(self.root, member) else {
                return Err(Why::Unrepresentable(
                    "a `$ref` of its schema does not resolve".to_owned(),
                ));
            };
            let member_ptr = at.unwrap_or_else(|| format!("{ptr}/allOf/{i}"));
            if let Value::Object(m) = resolved {
                self.flatten(m, &member_ptr, parts, depth + 1)?;
            }
        }
        Ok(())
    }

    /// A `oneOf`/`anyOf`: typify's untagged enum writes a value as the
    /// first member whose rendering does not fail, so the one member that
    /// can take it must be that one.
    fn union(
        &mut self,
        members: &[Value],
        ptr: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Value, Why> {
        let takers: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| self.could_take(m, value, 0))
            .map(|(i, _)| i)
            .collect();
        let [only] = takers[..] else {
            return Err(Why::Unrepresentable(if takers.is_empty() {
                format!("{} matches none of the alternatives", shown(value))
            } else {
                format!(
                    "{} could be a value of several alternatives, and the generator cannot tell which",
                    shown(value)
                )
            }));
        };
        if members[..only].iter().any(|m| self.newtype(m)) {
            return Err(Why::Unrepresentable(format!(
                "{} is a value of alternative {only}, and the generator would write it as an earlier one",
                shown(value)
            )));
        }
        self.value(&members[only], &format!("{ptr}/{only}"), value, depth + 1)
            .map_err(|why| within(why, &format!("alternative {only}")))
    }

    /// Whether typify's rendering of `value` as `schema` could succeed:
    /// the JSON type, as loosely as typify checks it.
    fn could_take(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        let Some((Value::Object(map), _)) = resolve(self.root, schema) else {
            return true;
        };
        if depth > MAX_DEPTH {
            return true;
        }
        if value.is_null() {
            return nullable(map) || is_any(map);
        }
        if let Some(Value::Array(allowed)) = map.get("enum") {
            return allowed.contains(value);
        }
        if let Some(Value::Array(members)) = map.get("allOf")
            && members.len() == 1
            && !has_own_shape(map)
        {
            return self.could_take(&members[0], value, depth + 1);
        }
        if ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| map.contains_key(*k))
        {
            return true;
        }
        match type_of_map(map).or_else(|| is_object_like(map).then_some("object")) {
            Some("integer" | "number") => value.is_number(),
            Some(t) => fits(t, value),
            None => true,
        }
    }

    /// Whether typify may make `schema` a newtype, whose rendering never
    /// fails: a named schema that is no object, or a constrained string.
    fn newtype(&self, schema: &Value) -> bool {
        let Some((Value::Object(map), at)) = resolve(self.root, schema) else {
            return true;
        };
        if at.is_some() {
            return !(is_object_like(map) || map.contains_key("enum"));
        }
        // An enum of other values than strings is a newtype checked by
        // `TryFrom` (an enum of strings is a Rust enum).
        if let Some(Value::Array(values)) = map.get("enum")
            && !values.iter().all(Value::is_string)
        {
            return true;
        }
        [
            "maxLength",
            "minLength",
            "pattern",
            "allOf",
            "oneOf",
            "anyOf",
        ]
        .iter()
        .any(|k| map.contains_key(*k))
    }

    fn object(
        &mut self,
        object: &Object,
        fields: &Map<String, Value>,
        depth: usize,
    ) -> Result<Value, Why> {
        if let Some(missing) = object.required.iter().find(|r| !fields.contains_key(*r)) {
            return Err(Why::Mismatch(format!(
                "required property `{}` is missing",
                escape_token(missing)
            )));
        }
        let mut out = Map::new();
        for (name, field) in fields {
            let field = match object.properties.iter().find(|(n, _, _)| n == name) {
                Some((_, schema, ptr)) => self.value(schema, ptr, field, depth + 1),
                None => match &object.additional {
                    Additional::Schema(schema, ptr) => self.value(schema, ptr, field, depth + 1),
                    Additional::Any => Ok(field.clone()),
                    Additional::None => Err(Why::Unrepresentable(
                        "it is not one of the schema's `properties`, and the generated type has no place for it"
                            .to_owned(),
                    )),
                },
            }
            .map_err(|why| within(why, &format!("property `{}`", escape_token(name))))?;
            out.insert(name.clone(), field);
        }
        for (name, schema, ptr) in &object.properties {
            if fields.contains_key(name) {
                continue;
            }
            let Some(default) = schema.get("default").filter(|d| !d.is_null()) else {
                continue;
            };
            if self.completing.contains(ptr) {
                return Err(Why::Unrepresentable(format!(
                    "property `{}` is left out, and its own default leaves it out again: the value never ends",
                    escape_token(name)
                )));
            }
            self.completing.push(ptr.clone());
            let written = self.value(schema, ptr, default, depth + 1);
            self.completing.pop();
            let written = written.map_err(|why| {
                let why = within(
                    why,
                    &format!("the default of property `{}`", escape_token(name)),
                );
                match why {
                    Why::Inherited(_) => why,
                    _ if *ptr != self.site => Why::Inherited(Box::new(why)),
                    _ => why,
                }
            })?;
            out.insert(name.clone(), written);
        }
        Ok(Value::Object(out))
    }
}

/// An object schema's properties, `required` and additional properties,
/// merged over the members of an `allOf`.
#[derive(Default)]
struct Object {
    /// (name, schema, pointer of the schema)
    properties: Vec<(String, Value, String)>,
    required: Vec<String>,
    additional: Additional,
}

#[derive(Default)]
enum Additional {
    /// Not declared (or `true`, `false`) beside `properties`: typify's
    /// struct keeps no other key.
    #[default]
    None,
    /// `{}`: any value.
    Any,
    Schema(Value, String),
}

impl Object {
    fn of(map: &Map<String, Value>, ptr: &str) -> Self {
        let properties = match map.get("properties") {
            Some(Value::Object(props)) => props
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.clone(),
                        format!("{ptr}/properties/{}", escape_token(k)),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let required = match map.get("required") {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let additional = match map.get("additionalProperties") {
            Some(Value::Object(s)) if s.is_empty() => Additional::Any,
            Some(schema @ Value::Object(_)) => {
                Additional::Schema(schema.clone(), format!("{ptr}/additionalProperties"))
            }
            Some(Value::Bool(false)) => Additional::None,
            // typify makes an object without `properties` a map.
            _ if properties.is_empty() => Additional::Any,
            _ => Additional::None,
        };
        Object {
            properties,
            required,
            additional,
        }
    }

    fn merge(&mut self, other: Object) {
        for p in other.properties {
            if !self.properties.iter().any(|(n, _, _)| *n == p.0) {
                self.properties.push(p);
            }
        }
        for r in other.required {
            if !self.required.contains(&r) {
                self.required.push(r);
            }
        }
        if let Additional::Schema(..) = other.additional
            && !matches!(self.additional, Additional::Schema(..))
        {
            self.additional = other.additional;
        }
    }
}

impl Why {
    /// Whether the value is one of its schema that typify cannot write,
    /// and why.
    fn innermost(self) -> (bool, String) {
        match self {
            Why::Mismatch(reason) => (false, reason),
            Why::Unrepresentable(reason) => (true, reason),
            Why::Inherited(why) => why.innermost(),
        }
    }
}

/// The reason, said of a part of the value.
fn within(why: Why, part: &str) -> Why {
    match why {
        Why::Mismatch(reason) => Why::Mismatch(format!("{part}: {reason}")),
        Why::Unrepresentable(reason) => Why::Unrepresentable(format!("{part}: {reason}")),
        Why::Inherited(why) => Why::Inherited(Box::new(within(*why, part))),
    }
}

/// An integer in the range of the type typify picks for it (its format,
/// `minimum`, `maximum`), written as that integer: typify writes the
/// number's text with the type's suffix, and reads `-0` as neither
/// signed nor unsigned.
fn integer(map: &Map<String, Value>, value: &Value) -> Result<Value, Why> {
    let n = value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from));
    let Some(n) = n else {
        return Err(Why::Mismatch(format!("{} is not an integer", shown(value))));
    };
    let (mut lo, mut hi) = match map.get("format").and_then(Value::as_str) {
        Some("int8") => (i128::from(i8::MIN), i128::from(i8::MAX)),
        Some("uint8") => (0, i128::from(u8::MAX)),
        Some("int16") => (i128::from(i16::MIN), i128::from(i16::MAX)),
        Some("uint16") => (0, i128::from(u16::MAX)),
        Some("int" | "int32") => (i128::from(i32::MIN), i128::from(i32::MAX)),
        Some("uint" | "uint32") => (0, i128::from(u32::MAX)),
        Some("uint64") => (0, i128::from(u64::MAX)),
        _ => (i128::from(i64::MIN), i128::from(i64::MAX)),
    };
    let bound = |key: &str| map.get(key).and_then(Value::as_f64);
    if let Some(min) = bound("minimum") {
        lo = lo.max(min.ceil() as i128);
    }
    if let Some(max) = bound("maximum") {
        hi = hi.min(max.floor() as i128);
    }
    if n < lo || n > hi {
        return Err(Why::Mismatch(format!(
            "{} is out of the range of its integer type ({lo} to {hi})",
            shown(value)
        )));
    }
    Ok(match i64::try_from(n) {
        Ok(small) => Value::from(small),
        Err(_) => value.clone(),
    })
}

fn nullable(map: &Map<String, Value>) -> bool {
    map.get("nullable") == Some(&Value::Bool(true))
}

/// A schema that allows any value: typify's `serde_json::Value`.
fn is_any(map: &Map<String, Value>) -> bool {
    !has_own_shape(map)
        && !["allOf", "enum", "$ref"]
            .iter()
            .any(|k| map.contains_key(*k))
}

/// Keywords that give a schema a type of its own.
fn has_own_shape(map: &Map<String, Value>) -> bool {
    [
        "type",
        "properties",
        "additionalProperties",
        "items",
        "oneOf",
        "anyOf",
        "required",
    ]
    .iter()
    .any(|k| map.contains_key(*k))
}

fn is_object_like(map: &Map<String, Value>) -> bool {
    match map.get("type").and_then(Value::as_str) {
        Some("object") => true,
        Some(_) => false,
        None => ["properties", "additionalProperties", "required"]
            .iter()
            .any(|k| map.contains_key(*k)),
    }
}

fn type_of_map(map: &Map<String, Value>) -> Option<&'static str> {
    let t = map.get("type")?.as_str()?;
    ["string", "number", "integer", "boolean", "array", "object"]
        .into_iter()
        .find(|known| *known == t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_on(schemas: Value) -> Doc {
        let mut doc = Doc::new(json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": schemas},
        }));
        run(&mut doc);
        doc
    }

    fn messages(doc: &Doc) -> Vec<(&str, &str)> {
        doc.findings
            .iter()
            .map(|f| (f.pointer.as_str(), f.message.as_str()))
            .collect()
    }

    #[test]
    fn a_left_out_property_with_a_default_is_written_in() {
        let doc = run_on(json!({
            "Page": {"type": "object", "required": ["size"], "properties": {
                "size": {"type": "integer"},
                "order": {"type": "string", "enum": ["asc", "desc"], "default": "asc"},
                "range": {"$ref": "#/components/schemas/Range"},
            }, "default": {"size": 10}},
            "Range": {"type": "object", "properties": {"end": {"type": "integer", "default": 5}}},
            "Holder": {"type": "object", "properties": {
                "range": {"allOf": [{"$ref": "#/components/schemas/Range"}], "default": {}},
            }},
        }));
        assert!(doc.findings.is_empty(), "{:?}", messages(&doc));
        let schemas = &doc.root["components"]["schemas"];
        // `range` has no default of its own: typify's `Option` is `None`.
        assert_eq!(
            schemas["Page"]["default"],
            json!({"size": 10, "order": "asc"})
        );
        assert_eq!(
            schemas["Holder"]["properties"]["range"]["default"],
            json!({"end": 5})
        );
    }

    #[test]
    fn a_default_that_contains_itself_without_end_is_left_out() {
        // `next` defaults to a node whose `next` is left out: that is
        // `next`'s default again, without end. Once it is left out,
        // `next` is optional and the node's own default is fine.
        let doc = run_on(json!({
            "Node": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "next": {"allOf": [{"$ref": "#/components/schemas/Node"}], "default": {"name": "tail"}},
            }, "default": {"name": "head"}},
        }));
        assert_eq!(
            messages(&doc),
            [(
                "/components/schemas/Node/properties/next/default",
                "`default` cannot be written as a value of the generated type: the default of property `next`: property `next` is left out, and its own default leaves it out again: the value never ends; it is left out"
            )]
        );
        let node = &doc.root["components"]["schemas"]["Node"];
        assert_eq!(node["default"], json!({"name": "head"}));
        assert_eq!(node["properties"]["next"].get("default"), None);
    }

    #[test]
    fn a_union_default_is_kept_only_when_one_member_takes_it_first() {
        let doc = run_on(json!({
            "Names": {"type": "array", "nullable": true, "items": {"type": "string"}},
            // `true` is a boolean: only the last member takes it, but the
            // named array before it is a newtype typify would pick.
            "Behind": {"anyOf": [{"$ref": "#/components/schemas/Names"}, {"type": "boolean"}], "default": true},
            // `[false]` is no list of names, and no other member takes it.
            "Wrong": {"anyOf": [{"$ref": "#/components/schemas/Names"}, {"type": "boolean"}], "default": [false]},
            // Two members take a string.
            "Either": {"oneOf": [{"type": "string"}, {"type": "string", "format": "date"}], "default": "x"},
            "Plain": {"oneOf": [{"type": "integer"}, {"type": "string"}], "default": "x"},
            // An inline enum of integers is a newtype too (specfuzz seed
            // 13 #17: typify wrote `Variant0(NewType())`).
            "Minus": {"anyOf": [{"type": "integer", "enum": [-1]}, {"type": "object"}], "default": {}},
        }));
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(schemas["Plain"]["default"], json!("x"));
        for left_out in ["Behind", "Wrong", "Either", "Minus"] {
            assert_eq!(schemas[left_out].get("default"), None, "{left_out}");
        }
        assert_eq!(
            messages(&doc),
            [
                (
                    "/components/schemas/Behind/default",
                    "`default` cannot be written as a value of the generated type: true is a value of alternative 1, and the generator would write it as an earlier one; it is left out"
                ),
                (
                    "/components/schemas/Either/default",
                    "`default` cannot be written as a value of the generated type: \"x\" could be a value of several alternatives, and the generator cannot tell which; it is left out"
                ),
                (
                    "/components/schemas/Minus/default",
                    "`default` cannot be written as a value of the generated type: {} is a value of alternative 1, and the generator would write it as an earlier one; it is left out"
                ),
                (
                    "/components/schemas/Wrong/default",
                    "`default` does not match the schema: alternative 0: item 0: false is not a string; it is left out"
                ),
            ]
        );
    }

    #[test]
    fn integers_fit_the_type_typify_picks() {
        let doc = run_on(json!({
            "Small": {"type": "integer", "format": "int32", "default": 4_000_000_000_u64},
            "Bounded": {"type": "integer", "minimum": 1, "default": 0},
            "Huge": {"type": "integer", "default": 18_446_744_073_709_551_615_u64},
            "Wide": {"type": "integer", "format": "uint64", "default": 18_446_744_073_709_551_615_u64},
            "Nested": {"type": "object", "properties": {"n": {"type": "integer", "format": "int16"}}, "default": {"n": 70000}},
        }));
        let schemas = &doc.root["components"]["schemas"];
        assert!(schemas["Wide"].get("default").is_some());
        for left_out in ["Small", "Bounded", "Huge", "Nested"] {
            assert_eq!(schemas[left_out].get("default"), None, "{left_out}");
        }
        assert!(
            messages(&doc).iter().any(|(_, m)| m
                .contains("70000 is out of the range of its integer type (-32768 to 32767)")),
            "{:?}",
            messages(&doc)
        );
    }

    #[test]
    fn nested_nulls_need_a_nullable_schema() {
        let doc = run_on(json!({
            "L": {"type": "array", "items": {"type": "string"}, "default": [null]},
            "M": {"type": "array", "items": {"type": "string", "nullable": true}, "default": [null]},
            "Any": {"type": "array", "items": {}, "default": [null, 1]},
        }));
        let schemas = &doc.root["components"]["schemas"];
        assert_eq!(schemas["L"].get("default"), None);
        assert_eq!(schemas["M"]["default"], json!([null]));
        assert_eq!(schemas["Any"]["default"], json!([null, 1]));
    }
}
