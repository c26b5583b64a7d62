//! Schemas compared by structure, in the direction they travel.
//!
//! Schemas are compared as the JSON the typed model serializes back to:
//! that is uniform across openapiv3's many schema variants (including the
//! catch-all `AnySchema`) and drops what the typed model normalizes away.
//! `$ref`s are followed on both sides, so only the referenced structure
//! matters, never a component's name. A pair of components is walked once
//! per direction, which also ends recursion in cyclic schemas.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use openapiv3::OpenAPI;
use serde_json::Value;

use super::{Change, Kind, Layer};
use crate::document::pointer::{escape_token, percent_decode};
use crate::generate::{OPEN_ENUM_EXTENSION, OPEN_ENUMS_EXTENSION};

/// Which way a schema travels: what clients send or what they decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Dir {
    Request,
    Response,
}

impl Dir {
    fn as_str(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// A classification with its reason.
pub(super) type Verdict = (bool, &'static str);

/// Picks the classification for `dir`.
pub(super) fn by_dir(dir: Dir, request: Verdict, response: Verdict) -> Verdict {
    match dir {
        Dir::Request => request,
        Dir::Response => response,
    }
}

struct Finding {
    kind: Kind,
    pointer: String,
    what: String,
    dirs: BTreeSet<Dir>,
    breaking: bool,
    why: &'static str,
}

/// Wire findings; one schema reached from requests and responses yields
/// one change per (kind, pointer, subject), breaking if either way is.
#[derive(Default)]
pub(super) struct Findings {
    list: Vec<Finding>,
    /// (kind, pointer, subject) → index in `list`, so that merging stays
    /// linear on specs with thousands of changes.
    index: HashMap<(Kind, String, String), usize>,
}

impl Findings {
    pub(super) fn push(
        &mut self,
        kind: Kind,
        pointer: &str,
        what: String,
        dir: Option<Dir>,
        (breaking, why): Verdict,
    ) {
        let key = (kind, pointer.to_owned(), what);
        if let Some(f) = self.index.get(&key).and_then(|&i| self.list.get_mut(i)) {
            f.dirs.extend(dir);
            if breaking && !f.breaking {
                f.breaking = true;
                f.why = why;
            }
            return;
        }
        let (kind, pointer, what) = key.clone();
        self.index.insert(key, self.list.len());
        self.list.push(Finding {
            kind,
            pointer,
            what,
            dirs: dir.into_iter().collect(),
            breaking,
            why,
        });
    }

    pub(super) fn into_changes(self) -> Vec<Change> {
        self.list
            .into_iter()
            .map(|f| {
                let dirs: Vec<&str> = f.dirs.iter().map(|d| d.as_str()).collect();
                let tag = if dirs.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", dirs.join(", "))
                };
                Change {
                    kind: f.kind,
                    layer: Layer::Wire,
                    breaking: f.breaking,
                    pointer: f.pointer,
                    message: format!("{}{tag}: {}", f.what, f.why),
                }
            })
            .collect()
    }
}

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
    fn decodes_unknown_values(&self, node: &Node, values: &[Value]) -> bool {
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
    fn child(&self, segments: &[&str], label: String) -> Site {
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
struct Node<'a> {
    value: &'a Value,
    nullable: bool,
    pointer: String,
    component: Option<&'a str>,
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

const EMPTY: Value = Value::Null;

fn node<'a>(c: &'a Components, value: &'a Value, pointer: &str) -> Node<'a> {
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
struct Object<'a> {
    properties: BTreeMap<&'a str, (&'a Value, String)>,
    required: BTreeSet<&'a str>,
    closed: bool,
    additional: Option<(&'a Value, String)>,
}

fn object<'a>(c: &'a Components, node: &Node<'a>) -> Option<Object<'a>> {
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

fn shape(c: &Components, node: &Node) -> &'static str {
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

fn type_label(shape: &str, v: &Value) -> String {
    match v.get("format").and_then(Value::as_str) {
        Some(f) => format!("{shape} ({f})"),
        None => shape.to_owned(),
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

const REQ_TIGHT: (Verdict, Verdict) = (
    (true, "values the old spec allowed are now rejected"),
    (false, "responses stay within the old bounds"),
);
const REQ_LOOSE: (Verdict, Verdict) = (
    (false, "the server accepts more than before"),
    (
        true,
        "values outside the old bounds may arrive, and constrained generated types reject them",
    ),
);

/// Compares the schemas of both specs.
pub(super) struct Walker<'a> {
    old: &'a Components,
    new: &'a Components,
    visited: HashSet<(String, String, Dir)>,
    pub findings: Findings,
}

impl<'a> Walker<'a> {
    pub(super) fn new(old: &'a Components, new: &'a Components) -> Self {
        Walker {
            old,
            new,
            visited: HashSet::new(),
            findings: Findings::default(),
        }
    }

    fn push(&mut self, kind: Kind, pointer: &str, what: String, dir: Dir, v: Verdict) {
        self.findings.push(kind, pointer, what, Some(dir), v);
    }

    /// Compares two schemas (JSON of `ReferenceOr<Schema>`) found at `site`.
    pub(super) fn walk(&mut self, old: &Value, new: &Value, site: &Site, dir: Dir) {
        self.walk_at(old, new, site, dir, 0);
    }

    fn walk_at(&mut self, old: &Value, new: &Value, site: &Site, dir: Dir, depth: usize) {
        // Inline nesting this deep is not a real API; stop rather than
        // overflow the stack.
        if depth > 96 {
            return;
        }
        let (oc, nc) = (self.old, self.new);
        let o = node(oc, old, &site.old);
        let n = node(nc, new, &site.new);
        if let (Some(on), Some(nn)) = (o.component, n.component)
            && !self.visited.insert((on.to_owned(), nn.to_owned(), dir))
        {
            return;
        }
        let label = n
            .component
            .or(o.component)
            .map(str::to_owned)
            .unwrap_or_else(|| site.label.clone());
        let site = Site {
            old: o.pointer.clone(),
            new: n.pointer.clone(),
            label,
        };
        let l = &site.label;

        match (o.nullable, n.nullable) {
            (false, true) => self.push(
                Kind::BecameNullable,
                &site.new,
                format!("`{l}` became nullable"),
                dir,
                by_dir(
                    dir,
                    (false, "clients may now send null"),
                    (true, "clients that assumed a value may get null"),
                ),
            ),
            (true, false) => self.push(
                Kind::BecameNonNullable,
                &site.new,
                format!("`{l}` is no longer nullable"),
                dir,
                by_dir(
                    dir,
                    (true, "clients built from the old spec may send null"),
                    (false, "null no longer arrives"),
                ),
            ),
            _ => {}
        }

        let (os, ns) = (shape(oc, &o), shape(nc, &n));
        if os != ns {
            self.push(
                Kind::TypeChanged,
                &site.new,
                format!(
                    "type of `{l}` changed from {} to {}",
                    type_label(os, o.value),
                    type_label(ns, n.value)
                ),
                dir,
                (true, "values of the old type no longer fit"),
            );
            return;
        }

        if o.value.get("default") != n.value.get("default") {
            let show_default = |v: Option<&Value>| v.map_or("none".to_owned(), |v| v.to_string());
            self.push(
                Kind::DefaultChanged,
                &site.new,
                format!(
                    "default of `{l}` changed from {} to {}",
                    show_default(o.value.get("default")),
                    show_default(n.value.get("default"))
                ),
                dir,
                (
                    false,
                    "the value used when it is omitted changes; the types do not",
                ),
            );
        }
        if matches!(os, "string" | "integer" | "number") {
            self.format(&o, &n, &site, dir);
        }
        self.enumeration(&o, &n, &site, dir);
        self.constraints(&o, &n, &site, dir);

        match os {
            "object" => self.object(&o, &n, &site, dir, depth),
            "array" => {
                let child = site.child(&["items"], format!("{l}[]"));
                let oi = o.value.get("items").unwrap_or(&EMPTY);
                let ni = n.value.get("items").unwrap_or(&EMPTY);
                self.walk_at(oi, ni, &child, dir, depth + 1);
            }
            "oneOf" | "anyOf" | "allOf" => self.alternatives(os, &o, &n, &site, dir, depth),
            "not" => {
                let (on, nn) = (o.value.get("not"), n.value.get("not"));
                let child = site.child(&["not"], format!("{l}(not)"));
                self.walk_at(
                    on.unwrap_or(&EMPTY),
                    nn.unwrap_or(&EMPTY),
                    &child,
                    dir,
                    depth + 1,
                );
            }
            _ => {}
        }
    }

    fn format(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir) {
        let of = o.value.get("format").and_then(Value::as_str);
        let nf = n.value.get("format").and_then(Value::as_str);
        if of == nf {
            return;
        }
        let l = &site.label;
        let verdict = by_dir(
            dir,
            match nf {
                None => (false, "the server accepts any value of the type"),
                Some(_) => (true, "values the old format allowed may be rejected"),
            },
            (
                true,
                "clients decode by the old format (e.g. into a Uuid) and may fail",
            ),
        );
        self.push(
            Kind::FormatChanged,
            &site.new,
            format!(
                "format of `{l}` changed from {} to {}",
                of.unwrap_or("none"),
                nf.unwrap_or("none")
            ),
            dir,
            verdict,
        );
    }

    fn enumeration(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir) {
        let values = |node: &Node| {
            node.value
                .get("enum")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .cloned()
        };
        let l = &site.label;
        match (values(o), values(n)) {
            (None, None) => {}
            (None, Some(_)) => self.push(
                Kind::ConstraintChanged,
                &site.new,
                format!("`{l}` is now restricted to an enum"),
                dir,
                by_dir(dir, REQ_TIGHT.0, REQ_TIGHT.1),
            ),
            (Some(_), None) => self.push(
                Kind::ConstraintChanged,
                &site.new,
                format!("`{l}` is no longer an enum"),
                dir,
                by_dir(dir, REQ_LOOSE.0, REQ_LOOSE.1),
            ),
            (Some(old), Some(new)) => {
                for v in old.iter().filter(|v| !new.contains(v)) {
                    self.push(
                        Kind::EnumValueRemoved,
                        &format!("{}/enum", site.old),
                        format!("enum value `{}` removed from `{l}`", show(v)),
                        dir,
                        by_dir(
                            dir,
                            (true, "clients built from the old spec may still send it"),
                            (
                                true,
                                "the generated enum loses the variant that code matches on",
                            ),
                        ),
                    );
                }
                let old_client_decodes_it = self.old.decodes_unknown_values(o, &old);
                for v in new.iter().filter(|v| !old.contains(v)) {
                    let response = if old_client_decodes_it {
                        (
                            false,
                            "old clients decode it into the enum's `Unknown` variant",
                        )
                    } else {
                        (
                            true,
                            "old clients cannot decode it: this enum is generated closed (no `Unknown` variant)",
                        )
                    };
                    self.push(
                        Kind::EnumValueAdded,
                        &format!("{}/enum", site.new),
                        format!("enum value `{}` added to `{l}`", show(v)),
                        dir,
                        by_dir(dir, (false, "the server accepts one more value"), response),
                    );
                }
            }
        }
    }

    fn constraints(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir) {
        let num = |node: &Node, k: &str| node.value.get(k).and_then(Value::as_f64);
        let flag = |node: &Node, k: &str| node.value.get(k) == Some(&Value::Bool(true));
        let l = site.label.clone();
        let report = |this: &mut Self, what: String, tightened: Option<bool>| {
            let verdict = match tightened {
                Some(true) => by_dir(dir, REQ_TIGHT.0, REQ_TIGHT.1),
                Some(false) => by_dir(dir, REQ_LOOSE.0, REQ_LOOSE.1),
                None => (true, "the set of valid values changed both ways"),
            };
            this.push(Kind::ConstraintChanged, &site.new, what, dir, verdict);
        };
        let fmt = |v: Option<f64>| v.map_or("none".to_owned(), |v| v.to_string());
        for (key, higher_is_tighter) in [
            ("minLength", true),
            ("minItems", true),
            ("minProperties", true),
            ("minimum", true),
            ("maxLength", false),
            ("maxItems", false),
            ("maxProperties", false),
            ("maximum", false),
        ] {
            let (a, b) = (num(o, key), num(n, key));
            let tightened = match (a, b) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b > a) == higher_is_tighter,
            };
            report(
                self,
                format!("`{l}`: {key} {} → {}", fmt(a), fmt(b)),
                Some(tightened),
            );
        }
        for key in ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"] {
            let (a, b) = (flag(o, key), flag(n, key));
            if a != b {
                report(self, format!("`{l}`: {key} {a} → {b}"), Some(b));
            }
        }
        for key in ["pattern", "multipleOf"] {
            let (a, b) = (o.value.get(key), n.value.get(key));
            let tightened = match (a, b) {
                (a, b) if a == b => continue,
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                _ => None,
            };
            let s = |v: Option<&Value>| v.map_or("none".to_owned(), show);
            report(self, format!("`{l}`: {key} {} → {}", s(a), s(b)), tightened);
        }
    }

    fn object(&mut self, o: &Node, n: &Node, site: &Site, dir: Dir, depth: usize) {
        let (Some(ov), Some(nv)) = (object(self.old, o), object(self.new, n)) else {
            return;
        };
        let l = &site.label;
        for (name, (_, pointer)) in &ov.properties {
            if !nv.properties.contains_key(name) {
                self.push(
                    Kind::PropertyRemoved,
                    pointer,
                    format!("property `{l}.{name}` removed"),
                    dir,
                    by_dir(
                        dir,
                        (true, "the server no longer reads what clients send"),
                        (true, "clients that read it get nothing"),
                    ),
                );
            }
        }
        for (name, (_, pointer)) in &nv.properties {
            if ov.properties.contains_key(name) {
                continue;
            }
            let required = nv.required.contains(name);
            let verdict = by_dir(
                dir,
                if required {
                    (true, "clients built from the old spec do not send it")
                } else {
                    (false, "clients may leave it out")
                },
                if ov.closed {
                    (
                        true,
                        "the object was closed (additionalProperties: false): old clients reject it",
                    )
                } else {
                    (false, "old clients ignore it")
                },
            );
            let what = if required {
                format!("required property `{l}.{name}` added")
            } else {
                format!("property `{l}.{name}` added")
            };
            self.push(Kind::PropertyAdded, pointer, what, dir, verdict);
        }
        for (name, (os, op)) in &ov.properties {
            let Some((ns, np)) = nv.properties.get(name) else {
                continue;
            };
            let (was, is) = (ov.required.contains(name), nv.required.contains(name));
            if !was && is {
                self.push(
                    Kind::PropertyBecameRequired,
                    np,
                    format!("property `{l}.{name}` became required"),
                    dir,
                    by_dir(
                        dir,
                        (true, "clients built from the old spec may leave it out"),
                        (false, "it is now always present"),
                    ),
                );
            } else if was && !is {
                self.push(
                    Kind::PropertyBecameOptional,
                    np,
                    format!("property `{l}.{name}` became optional"),
                    dir,
                    by_dir(
                        dir,
                        (false, "clients may leave it out"),
                        (
                            true,
                            "old clients require it and fail to decode a response without it",
                        ),
                    ),
                );
            }
            let child = Site {
                old: op.clone(),
                new: np.clone(),
                label: format!("{l}.{name}"),
            };
            self.walk_at(os, ns, &child, dir, depth + 1);
        }
        match (ov.closed, nv.closed) {
            (false, true) => self.push(
                Kind::AdditionalPropertiesChanged,
                &site.new,
                format!("`{l}` no longer accepts unknown properties"),
                dir,
                by_dir(
                    dir,
                    (true, "the server may reject what clients send"),
                    (false, "responses carry fewer properties"),
                ),
            ),
            (true, false) => self.push(
                Kind::AdditionalPropertiesChanged,
                &site.new,
                format!("`{l}` now accepts unknown properties"),
                dir,
                by_dir(
                    dir,
                    (false, "the server accepts more"),
                    (true, "old clients reject unknown properties"),
                ),
            ),
            _ => {}
        }
        match (&ov.additional, &nv.additional) {
            (Some((oa, op)), Some((na, np))) => {
                let child = Site {
                    old: op.clone(),
                    new: np.clone(),
                    label: format!("{l}[*]"),
                };
                self.walk_at(oa, na, &child, dir, depth + 1);
            }
            (None, Some(_)) | (Some(_), None) => self.push(
                Kind::AdditionalPropertiesChanged,
                &site.new,
                format!("`{l}` changed between a map and a record"),
                dir,
                (true, "the values it holds are read differently"),
            ),
            (None, None) => {}
        }
    }

    fn alternatives(
        &mut self,
        keyword: &str,
        o: &Node,
        n: &Node,
        site: &Site,
        dir: Dir,
        depth: usize,
    ) {
        let list = |node: &Node| {
            node.value
                .get(keyword)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (old, new) = (list(o), list(n));
        let l = &site.label;
        // Alternatives are matched by position: their order is how
        // progenitor names the variants of the generated enum.
        for (i, (a, b)) in old.iter().zip(&new).enumerate() {
            let child = site.child(&[keyword, &i.to_string()], format!("{l}.{keyword}[{i}]"));
            self.walk_at(a, b, &child, dir, depth + 1);
        }
        let all_of = keyword == "allOf";
        for i in new.len()..old.len() {
            let verdict = if all_of {
                (true, "the combined schema changed")
            } else {
                by_dir(
                    dir,
                    (true, "clients built from the old spec may still send it"),
                    (false, "responses take fewer shapes"),
                )
            };
            self.push(
                if all_of {
                    Kind::SchemaChanged
                } else {
                    Kind::AlternativeRemoved
                },
                &format!("{}/{keyword}/{i}", site.old),
                format!("`{l}`: {keyword} member {i} removed"),
                dir,
                verdict,
            );
        }
        for i in old.len()..new.len() {
            let verdict = if all_of {
                (true, "the combined schema changed")
            } else {
                by_dir(
                    dir,
                    (false, "the server accepts one more shape"),
                    (true, "old clients cannot decode the new shape"),
                )
            };
            self.push(
                if all_of {
                    Kind::SchemaChanged
                } else {
                    Kind::AlternativeAdded
                },
                &format!("{}/{keyword}/{i}", site.new),
                format!("`{l}`: {keyword} member {i} added"),
                dir,
                verdict,
            );
        }
    }
}
