//! The skeleton of a schema: what typify's merge recurses into
//! (references, properties, items, additional properties, subschemas), and
//! where typify's conversion merges.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use serde_json::Value;

use super::target_of;
use crate::document::pointer::escape_token;

/// A schema as typify's merge sees it: what it recurses into.
#[derive(Clone, Debug)]
pub(super) enum Sk {
    Ref(Rc<RefTo>),
    Obj(Rc<Obj>),
}

#[derive(Debug)]
pub(super) struct RefTo {
    /// The pointer the reference names.
    pub(super) target: String,
    /// Where it is written (not part of its identity).
    pub(super) at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct Obj {
    pub(super) properties: BTreeMap<String, Sk>,
    pub(super) items: Option<Sk>,
    pub(super) additional: Option<Sk>,
    pub(super) all_of: Vec<Sk>,
    pub(super) any_of: Vec<Sk>,
    pub(super) one_of: Vec<Sk>,
    pub(super) not: Option<Sk>,
    /// The other keywords that shape the type (`type`, `enum`, `required`,
    /// …) as `(keyword, JSON)`: a merge that adds one is no longer the
    /// referenced schema but a copy of it.
    pub(super) constraints: BTreeSet<(String, String)>,
    /// Where the schema is written, when it is in the document.
    pub(super) at: Place,
}

/// A place that is not part of a schema's identity.
#[derive(Clone, Debug, Default)]
pub(super) struct Place(pub(super) Option<Rc<str>>);

impl PartialEq for Place {
    fn eq(&self, _: &Place) -> bool {
        true
    }
}

impl Eq for Place {}

impl Hash for Place {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl PartialEq for Sk {
    fn eq(&self, other: &Sk) -> bool {
        match (self, other) {
            (Sk::Ref(a), Sk::Ref(b)) => a.target == b.target,
            (Sk::Obj(a), Sk::Obj(b)) => Rc::ptr_eq(a, b) || a == b,
            _ => false,
        }
    }
}

impl Eq for Sk {}

impl Hash for Sk {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Sk::Ref(r) => {
                0u8.hash(state);
                r.target.hash(state);
            }
            Sk::Obj(o) => {
                1u8.hash(state);
                o.hash(state);
            }
        }
    }
}

impl Obj {
    pub(super) fn body(&self) -> Obj {
        Obj {
            properties: self.properties.clone(),
            items: self.items.clone(),
            additional: self.additional.clone(),
            constraints: self.constraints.clone(),
            at: self.at.clone(),
            ..Obj::default()
        }
    }

    /// The keywords of [`BODY`] the schema has, in that order.
    pub(super) fn body_keywords(&self) -> Vec<String> {
        BODY.iter()
            .filter(|k| match **k {
                "properties" => !self.properties.is_empty(),
                "items" => self.items.is_some(),
                "additionalProperties" => self.additional.is_some(),
                k => self.constraints.iter().any(|(c, _)| c == k),
            })
            .map(|k| (*k).to_owned())
            .collect()
    }

    /// Whether typify sees validation beside the subschemas.
    pub(super) fn has_body(&self) -> bool {
        !self.properties.is_empty()
            || self.items.is_some()
            || self.additional.is_some()
            || self
                .constraints
                .iter()
                .any(|(k, _)| BODY.contains(&k.as_str()))
    }

    pub(super) fn has_subschemas(&self) -> bool {
        !self.all_of.is_empty()
            || !self.any_of.is_empty()
            || !self.one_of.is_empty()
            || self.not.is_some()
    }
}

pub(super) fn obj(o: Obj) -> Sk {
    Sk::Obj(Rc::new(o))
}

/// The skeleton of the schema `value` written at `ptr`.
pub(super) fn skeleton(value: &Value, ptr: &str) -> Sk {
    let Value::Object(map) = value else {
        return obj(Obj::default());
    };
    if let Some(Value::String(reference)) = map.get("$ref") {
        return match target_of(reference) {
            Some(target) => Sk::Ref(Rc::new(RefTo {
                target,
                at: format!("{ptr}/$ref"),
            })),
            None => obj(Obj::default()),
        };
    }
    let one = |key: &str| {
        map.get(key)
            .filter(|v| v.is_object())
            .map(|v| skeleton(v, &format!("{ptr}/{key}")))
    };
    let list = |key: &str| -> Vec<Sk> {
        match map.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| skeleton(v, &format!("{ptr}/{key}/{i}")))
                .collect(),
            _ => Vec::new(),
        }
    };
    let properties = match map.get("properties") {
        Some(Value::Object(props)) => props
            .iter()
            .map(|(k, v)| {
                let at = format!("{ptr}/properties/{}", escape_token(k));
                (k.clone(), skeleton(v, &at))
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    if nullable_wrapped(map) {
        // What progenitor hands typify: `oneOf: [{type: null}, <the rest>]`.
        let mut inner = map.clone();
        inner.remove("nullable");
        let null = obj(Obj {
            constraints: std::iter::once(("type".to_owned(), "\"null\"".to_owned())).collect(),
            ..Obj::default()
        });
        return obj(Obj {
            one_of: vec![null, skeleton(&Value::Object(inner), ptr)],
            at: Place(Some(Rc::from(ptr))),
            ..Obj::default()
        });
    }
    let constraints = map
        .iter()
        .filter(|(k, _)| {
            matches!(k.as_str(), "type" | "nullable")
                || (BODY.contains(&k.as_str()) && !MODELLED.contains(&k.as_str()))
        })
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    obj(Obj {
        properties,
        items: one("items"),
        additional: one("additionalProperties"),
        all_of: list("allOf"),
        any_of: list("anyOf"),
        one_of: list("oneOf"),
        not: one("not"),
        constraints,
        at: Place(Some(Rc::from(ptr))),
    })
}

/// Whether progenitor gives typify this `nullable` schema as a `oneOf` of
/// `null` and the schema (`to_schema.rs`, `oneof_nullable_wrapper`): a
/// composition with no `type` and no keyword that implies one (those make
/// `null` one more instance type instead).
fn nullable_wrapped(map: &serde_json::Map<String, Value>) -> bool {
    const IMPLY_A_TYPE: [&str; 17] = [
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "multipleOf",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "pattern",
        "minLength",
        "maxLength",
    ];
    map.get("nullable") == Some(&Value::Bool(true))
        && !map.contains_key("type")
        && ["allOf", "anyOf", "oneOf", "not"]
            .iter()
            .any(|k| map.get(*k).is_some_and(|v| !v.is_null()))
        && !IMPLY_A_TYPE.iter().any(|k| map.contains_key(*k))
}

/// The keywords of [`BODY`] the skeleton models itself.
pub(super) const MODELLED: [&str; 3] = ["properties", "additionalProperties", "items"];

/// Keywords that typify merges with the subschemas beside them
/// (progenitor turns them into validation of the schema object).
pub(super) const BODY: [&str; 19] = [
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "multipleOf",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// How typify converts a schema, when that merges: an `allOf` of several
/// members alone (`merge_all`), or subschemas beside other validation or
/// beside other subschemas (`try_merge_with_subschemas`).
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Site {
    MergeAll,
    WithSubschemas,
}

pub(super) fn site_of(map: &serde_json::Map<String, Value>) -> Option<Site> {
    if map.contains_key("$ref") {
        return None;
    }
    let kinds = ["allOf", "anyOf", "oneOf", "not"]
        .iter()
        .filter(|k| map.get(**k).is_some_and(|v| !v.is_null()))
        .count();
    let body = BODY.iter().any(|k| map.contains_key(*k));
    let all_of = map
        .get("allOf")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    match (kinds, body) {
        (0, _) => None,
        (1, false) if all_of >= 2 => Some(Site::MergeAll),
        (1, false) => None,
        _ => Some(Site::WithSubschemas),
    }
}

pub(super) fn site_of_skeleton(o: &Obj) -> Option<Site> {
    let body = o.has_body();
    let kinds = [
        !o.all_of.is_empty(),
        !o.any_of.is_empty(),
        !o.one_of.is_empty(),
        o.not.is_some(),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    match (kinds, body) {
        (0, _) => None,
        (1, false) if o.all_of.len() >= 2 => Some(Site::MergeAll),
        (1, false) => None,
        _ => Some(Site::WithSubschemas),
    }
}
