//! Schemas that typify would expand forever.
//!
//! typify resolves a `$ref` inside an `allOf` by merging the schema it
//! names into the others (`typify_impl::merge::try_merge_schema`), with no
//! guard against meeting the same reference again. A schema that leads
//! back to itself there makes it recurse until the stack overflows, and a
//! stack overflow aborts the process: no `catch_unwind` sees it. So these
//! shapes are found here, before the generator runs:
//!
//! 1. **A schema made of itself**: a cycle of references through the
//!    keywords that constrain one and the same value — `allOf`, `oneOf`,
//!    `anyOf`, also through inline schemas nested in them
//!    (`A: {allOf: [{$ref: B}]}`, `B: {allOf: [{$ref: A}]}`). Such a
//!    definition has no base case: merged, it never ends, and the enum a
//!    `oneOf` of itself would become decodes by trying itself again. A
//!    cycle that passes through `properties`, `items` or
//!    `additionalProperties` is an ordinary recursive type, and fine.
//! 2. **A merge that never ends** although every cycle passes through a
//!    property: typify merges the members of an `allOf` property by
//!    property, resolving the references of a property that two members
//!    both define. `K: {allOf: [{$ref: Base}, {properties: {children:
//!    {items: {$ref: K}}}}]}` beside `Base: {properties: {children: {items:
//!    {$ref: Base}}}}` merges `Base` with `K`, which merges `Base` with `K`…
//!    This is found by running typify's merge on a skeleton of the schemas
//!    (references, properties, items, additional properties and
//!    subschemas; the constraints that only narrow a value are left out)
//!    and watching for a reference that is resolved again, inside its own
//!    resolution, against the same other schema: from there typify repeats
//!    itself.
//! 3. **A copy that contains itself**: keywords beside a reference
//!    (`{allOf: [{$ref: Item}], required: [name]}`, or a 3.1 `$ref` with
//!    siblings) make typify merge the referenced schema into an inline
//!    copy, and convert the copy's properties in turn. When one of them is
//!    that same schema (`Item.parent` above), every copy makes another. The
//!    simulation converts the inline types of each merge result, and a
//!    schema met again inside its own conversion is reported.
//!
//! The second check mirrors `typify-impl` 0.8's `merge.rs`: which pairs it
//! merges, that two references to the same schema merge without being
//! resolved, and that a merge equal to the referenced schema stays the
//! reference. Leaving out the narrowing constraints only errs on the safe
//! side: typify stops early on a merge they make unsatisfiable, the
//! skeleton does not.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use serde_json::Value;

use crate::diagnostic::percent_decode;
use crate::normalize::doc::visit_all_schemas;

/// A schema that expands forever.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cycle {
    /// Pointer (in the checked document) of the `$ref` that closes the cycle.
    pub at: String,
    /// The schemas along the cycle, the first again at the end.
    pub names: Vec<String>,
    pub kind: Kind,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A schema made of itself, through these keywords (`allOf`, …).
    SelfMade(Vec<&'static str>),
    /// typify's merge of the schema at this pointer never ends.
    EndlessMerge { site: String },
    /// The schema at this pointer, merged because of these keywords beside
    /// its references, becomes a copy that contains it again.
    EndlessExpansion { site: String, keywords: Vec<String> },
}

impl Cycle {
    pub(crate) fn chain(&self) -> String {
        self.names.join(" → ")
    }
}

/// Every schema of the three kinds in `root` (a normalized 3.0 document).
pub(crate) fn cycles(root: &Value) -> Vec<Cycle> {
    let mut found = self_made(root);
    let members: HashSet<String> = found.iter().flat_map(|c| c.names.iter().cloned()).collect();
    found.extend(endless_merges(root, &members));
    found
}

/// The last token of a `#/components/schemas/<name>` pointer: the name.
fn name_of(target: &str) -> String {
    let last = target.rsplit('/').next().unwrap_or(target);
    last.replace("~1", "/").replace("~0", "~")
}

/// The JSON pointer a local `$ref` names; `None` for an external one.
fn target_of(reference: &str) -> Option<String> {
    reference.strip_prefix('#').map(percent_decode)
}

// ---------------------------------------------------------------------------
// 1. Schemas made of themselves.

const SAME_VALUE: [&str; 3] = ["allOf", "oneOf", "anyOf"];

struct Edge {
    to: String,
    /// Where the `$ref` is written.
    at: String,
    /// The composition keyword the reference sits under; `None` when the
    /// schema is only that `$ref` (a chain of references, which `check_refs`
    /// follows and reports itself).
    keyword: Option<&'static str>,
}

/// The references that constrain the same value as the schema at `ptr`.
fn same_value_refs(node: &Value, ptr: &str, keyword: Option<&'static str>, out: &mut Vec<Edge>) {
    let Value::Object(map) = node else {
        return;
    };
    if let Some(Value::String(reference)) = map.get("$ref") {
        if let Some(to) = target_of(reference) {
            out.push(Edge {
                to,
                at: format!("{ptr}/$ref"),
                keyword,
            });
        }
        return; // siblings of `$ref` mean nothing in 3.0
    }
    for kw in SAME_VALUE {
        if let Some(Value::Array(members)) = map.get(kw) {
            for (i, member) in members.iter().enumerate() {
                same_value_refs(
                    member,
                    &format!("{ptr}/{kw}/{i}"),
                    Some(keyword.unwrap_or(kw)),
                    out,
                );
            }
        }
    }
}

fn self_made(root: &Value) -> Vec<Cycle> {
    let starts: Vec<String> = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .map(|k| format!("/components/schemas/{}", crate::diagnostic::escape_token(k)))
                .collect()
        })
        .unwrap_or_default();
    let mut edges: HashMap<String, Vec<Edge>> = HashMap::new();
    let edges_of = |edges: &mut HashMap<String, Vec<Edge>>, node: &str| -> usize {
        edges
            .entry(node.to_owned())
            .or_insert_with(|| {
                let mut out = Vec::new();
                if let Some(v) = root.pointer(node) {
                    same_value_refs(v, node, None, &mut out);
                }
                out
            })
            .len()
    };
    // Depth-first, without recursion (chains of references may be long):
    // an edge back to a node on the path closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        OnPath,
        Done,
    }
    let mut color: HashMap<String, Color> = HashMap::new();
    let mut found = Vec::new();
    for start in starts {
        if color.contains_key(&start) {
            continue;
        }
        let mut path: Vec<(String, usize)> = vec![(start.clone(), 0)];
        color.insert(start, Color::OnPath);
        while let Some((node, next)) = path.last().cloned() {
            let count = edges_of(&mut edges, &node);
            if next == count {
                color.insert(node, Color::Done);
                path.pop();
                continue;
            }
            if let Some(last) = path.last_mut() {
                last.1 += 1;
            }
            let edge = &edges[&node][next];
            match color.get(&edge.to) {
                None => {
                    color.insert(edge.to.clone(), Color::OnPath);
                    path.push((edge.to.clone(), 0));
                }
                Some(Color::OnPath) => {
                    let k = path.iter().position(|(n, _)| *n == edge.to).unwrap_or(0);
                    // The edges along the cycle: from each node of the path
                    // the one taken (its index is one less than `next`).
                    let mut keywords: Vec<&'static str> = Vec::new();
                    for (n, taken) in &path[k..path.len() - 1] {
                        if let Some(kw) = edges[n][taken - 1].keyword {
                            keywords.push(kw);
                        }
                    }
                    keywords.extend(edge.keyword);
                    if keywords.is_empty() {
                        continue; // a chain of pure references: check_refs
                    }
                    let mut kinds: Vec<&'static str> = Vec::new();
                    for kw in SAME_VALUE {
                        if keywords.contains(&kw) {
                            kinds.push(kw);
                        }
                    }
                    let mut names: Vec<String> =
                        path[k..].iter().map(|(n, _)| name_of(n)).collect();
                    names.push(name_of(&edge.to));
                    found.push(Cycle {
                        at: edge.at.clone(),
                        names,
                        kind: Kind::SelfMade(kinds),
                    });
                }
                Some(Color::Done) => {}
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------
// 2. Merges that never end.

/// A schema as typify's merge sees it: what it recurses into.
#[derive(Clone, Debug)]
enum Sk {
    Ref(Rc<RefTo>),
    Obj(Rc<Obj>),
}

#[derive(Debug)]
struct RefTo {
    /// The pointer the reference names.
    target: String,
    /// Where it is written (not part of its identity).
    at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Obj {
    properties: BTreeMap<String, Sk>,
    items: Option<Sk>,
    additional: Option<Sk>,
    all_of: Vec<Sk>,
    any_of: Vec<Sk>,
    one_of: Vec<Sk>,
    not: Option<Sk>,
    /// The other keywords that shape the type (`type`, `enum`, `required`,
    /// …) as `(keyword, JSON)`: a merge that adds one is no longer the
    /// referenced schema but a copy of it.
    constraints: BTreeSet<(String, String)>,
    /// Where the schema is written, when it is in the document.
    at: Place,
}

/// A place that is not part of a schema's identity.
#[derive(Clone, Debug, Default)]
struct Place(Option<Rc<str>>);

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
    fn body(&self) -> Obj {
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
    fn body_keywords(&self) -> Vec<String> {
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
    fn has_body(&self) -> bool {
        !self.properties.is_empty()
            || self.items.is_some()
            || self.additional.is_some()
            || self
                .constraints
                .iter()
                .any(|(k, _)| BODY.contains(&k.as_str()))
    }

    fn has_subschemas(&self) -> bool {
        !self.all_of.is_empty()
            || !self.any_of.is_empty()
            || !self.one_of.is_empty()
            || self.not.is_some()
    }
}

fn obj(o: Obj) -> Sk {
    Sk::Obj(Rc::new(o))
}

/// The skeleton of the schema `value` written at `ptr`.
fn skeleton(value: &Value, ptr: &str) -> Sk {
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
                let at = format!("{ptr}/properties/{}", crate::diagnostic::escape_token(k));
                (k.clone(), skeleton(v, &at))
            })
            .collect(),
        _ => BTreeMap::new(),
    };
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

/// The keywords of [`BODY`] the skeleton models itself.
const MODELLED: [&str; 3] = ["properties", "additionalProperties", "items"];

/// Keywords that typify merges with the subschemas beside them
/// (progenitor turns them into validation of the schema object).
const BODY: [&str; 19] = [
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
enum Site {
    MergeAll,
    WithSubschemas,
}

fn site_of(map: &serde_json::Map<String, Value>) -> Option<Site> {
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

fn site_of_skeleton(o: &Obj) -> Option<Site> {
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

/// Why a simulated merge stopped.
enum Stop {
    /// A reference resolved again against the same schema: these frames,
    /// the repeated one first, and the reference that repeats it.
    Cycle(Vec<Rc<RefTo>>),
    /// A merged type whose conversion meets this same schema again, to
    /// merge and copy again.
    Expansion(Rc<Obj>),
    /// Out of budget: the merge is not endless, only large; typify's
    /// own work, not ours to judge.
    Budget,
}

/// Merges simulated per document: beyond this the check gives up (a spec
/// that large is not a recursion, and typify will take its time anyway).
const STEPS: usize = 200_000;
/// Nested resolutions; typify would be deep into its stack long before.
const DEPTH: usize = 120;
/// Levels of merged types converted (and merged) again inside a merge result.
const CONVERSIONS: usize = 8;

struct Sim<'a> {
    root: &'a Value,
    /// Pointer → skeleton of the schema there.
    schemas: HashMap<String, Sk>,
    /// References being resolved: (the reference, the schema merged with it).
    stack: Vec<(Rc<RefTo>, Sk)>,
    /// Resolutions that finished: (target, other) → result.
    done: HashMap<(String, Sk), Sk>,
    /// Schemas of reported cycles: not expanded again.
    opaque: HashSet<String>,
    /// The schemas being converted (each merged, then its inline types).
    converting: Vec<Rc<Obj>>,
    steps: usize,
}

fn endless_merges(root: &Value, self_made: &HashSet<String>) -> Vec<Cycle> {
    let mut sites: Vec<(String, Site)> = Vec::new();
    visit_all_schemas(root, &mut |node, ptr| {
        if let Value::Object(map) = node
            && let Some(site) = site_of(map)
        {
            sites.push((ptr.to_owned(), site));
        }
    });
    if sites.is_empty() {
        return Vec::new();
    }
    let mut sim = Sim {
        root,
        schemas: HashMap::new(),
        stack: Vec::new(),
        done: HashMap::new(),
        opaque: HashSet::new(),
        converting: Vec::new(),
        steps: 0,
    };
    // Schemas already reported as made of themselves are not merged again.
    if let Some(Value::Object(schemas)) = root.pointer("/components/schemas") {
        for name in schemas.keys() {
            if self_made.contains(name) {
                sim.opaque.insert(format!(
                    "/components/schemas/{}",
                    crate::diagnostic::escape_token(name)
                ));
            }
        }
    }
    let mut found = Vec::new();
    let mut reported: HashSet<BTreeSet<String>> = HashSet::new();
    for (ptr, site) in sites {
        let Some(node) = root.pointer(&ptr) else {
            continue;
        };
        let Sk::Obj(o) = skeleton(node, &ptr) else {
            continue;
        };
        sim.stack.clear();
        sim.converting.clear();
        match sim.convert_site(&o, site, 0) {
            Ok(()) => {}
            Err(Stop::Budget) => break,
            Err(Stop::Cycle(frames)) => {
                let mut names: Vec<String> = Vec::new();
                for f in &frames {
                    let name = name_of(&f.target);
                    if names.last() != Some(&name) {
                        names.push(name);
                    }
                }
                if names.len() == 1 {
                    names.push(names[0].clone());
                }
                let members: BTreeSet<String> = names.iter().cloned().collect();
                for f in &frames {
                    sim.opaque.insert(f.target.clone());
                }
                if reported.insert(members) {
                    let at = frames.last().map(|f| f.at.clone()).unwrap_or_default();
                    found.push(Cycle {
                        at,
                        names,
                        kind: Kind::EndlessMerge { site: ptr },
                    });
                }
            }
            Err(Stop::Expansion(again)) => {
                let site = again.at.0.as_deref().unwrap_or(&ptr).to_owned();
                // The references it is merged with (also through the
                // subschemas of its members), the first one's place, and
                // the keywords beside them that make the merge a copy.
                let mut refs: Vec<Rc<RefTo>> = Vec::new();
                let mut keywords: Vec<String> = Vec::new();
                composed_of(&again, &mut refs, &mut keywords);
                for r in &refs {
                    sim.opaque.insert(r.target.clone());
                }
                let mut names: Vec<String> = refs.iter().map(|r| name_of(&r.target)).collect();
                names.dedup();
                let members: BTreeSet<String> = std::iter::once(site.clone()).collect();
                if reported.insert(members) {
                    found.push(Cycle {
                        at: refs.first().map_or_else(|| site.clone(), |r| r.at.clone()),
                        names,
                        kind: Kind::EndlessExpansion { site, keywords },
                    });
                }
            }
        }
    }
    found
}

impl Sim<'_> {
    fn target(&mut self, target: &str) -> Sk {
        if let Some(s) = self.schemas.get(target) {
            return s.clone();
        }
        let s = match self.root.pointer(target) {
            Some(v) => skeleton(v, target),
            None => obj(Obj::default()),
        };
        self.schemas.insert(target.to_owned(), s.clone());
        s
    }

    /// typify's conversion of a schema that merges, then of the merged
    /// types inside the result.
    fn convert_site(&mut self, o: &Rc<Obj>, site: Site, level: usize) -> Result<(), Stop> {
        if self.converting.iter().any(|c| c == o) {
            return Err(Stop::Expansion(Rc::clone(o)));
        }
        self.converting.push(Rc::clone(o));
        let merged = match site {
            Site::MergeAll => self.merge(&o.all_of[0], &o.all_of[1]).and_then(|first| {
                o.all_of[2..]
                    .iter()
                    .try_fold(first, |acc, m| self.merge(&acc, m))
            }),
            Site::WithSubschemas => self.with_subschemas(obj(o.body()), o),
        };
        let result = match merged {
            Ok(merged) if level < CONVERSIONS => self.convert_inside(&merged, level + 1),
            Ok(_) => Ok(()),
            Err(stop) => Err(stop),
        };
        self.converting.pop();
        result
    }

    /// The inline types of a merge result, converted (and so merged) in turn.
    fn convert_inside(&mut self, s: &Sk, level: usize) -> Result<(), Stop> {
        let Sk::Obj(o) = s else {
            return Ok(()); // a named type: converted on its own
        };
        if let Some(site) = site_of_skeleton(o) {
            return self.convert_site(o, site, level);
        }
        let o = Rc::clone(o);
        // Not a merge: an `allOf` of one member is that member, converted.
        for child in o
            .properties
            .values()
            .chain(&o.items)
            .chain(&o.additional)
            .chain(&o.all_of)
            .chain(&o.any_of)
            .chain(&o.one_of)
        {
            self.convert_inside(child, level)?;
        }
        Ok(())
    }

    /// `try_merge_schema`.
    fn merge(&mut self, a: &Sk, b: &Sk) -> Result<Sk, Stop> {
        self.steps += 1;
        if self.steps > STEPS {
            return Err(Stop::Budget);
        }
        match (a, b) {
            (Sk::Ref(x), Sk::Ref(y)) if x.target == y.target => Ok(a.clone()),
            (Sk::Ref(r), other) | (other, Sk::Ref(r)) => self.resolve(r, other),
            (Sk::Obj(x), Sk::Obj(y)) => self.merge_objects(x, y),
        }
    }

    fn resolve(&mut self, r: &Rc<RefTo>, other: &Sk) -> Result<Sk, Stop> {
        if self.opaque.contains(&r.target) {
            return Ok(Sk::Ref(Rc::clone(r)));
        }
        let key = (r.target.clone(), other.clone());
        if let Some(result) = self.done.get(&key) {
            return Ok(result.clone());
        }
        let again = self
            .stack
            .iter()
            .position(|(s, o)| s.target == r.target && o == other);
        let too_deep = self.stack.len() >= DEPTH;
        if let Some(k) = again.or_else(|| {
            // Too deep without repeating exactly: the frames from the first
            // resolution of this same reference.
            too_deep.then(|| self.stack.iter().position(|(s, _)| s.target == r.target))?
        }) {
            let mut frames: Vec<Rc<RefTo>> =
                self.stack[k..].iter().map(|(s, _)| Rc::clone(s)).collect();
            frames.push(Rc::clone(r));
            return Err(Stop::Cycle(frames));
        }
        if too_deep {
            return Err(Stop::Budget);
        }
        let resolved = self.target(&r.target);
        self.stack.push((Rc::clone(r), other.clone()));
        let merged = self.merge(&resolved, other);
        self.stack.pop();
        let merged = merged?;
        // A merge that adds nothing stays the reference.
        let result = if merged == resolved {
            Sk::Ref(Rc::clone(r))
        } else {
            merged
        };
        self.done.insert(key, result.clone());
        Ok(result)
    }

    /// `merge_schema_object`: the bodies, then the subschemas of each side.
    fn merge_objects(&mut self, a: &Rc<Obj>, b: &Rc<Obj>) -> Result<Sk, Stop> {
        let mut properties = BTreeMap::new();
        for (name, pa) in &a.properties {
            let merged = match b.properties.get(name) {
                Some(pb) => self.merge(pa, pb)?,
                None => beside_additional(pa, b.additional.as_ref()),
            };
            properties.insert(name.clone(), merged);
        }
        for (name, pb) in &b.properties {
            if !a.properties.contains_key(name) {
                properties.insert(name.clone(), beside_additional(pb, a.additional.as_ref()));
            }
        }
        let items = match (&a.items, &b.items) {
            (Some(x), Some(y)) => Some(self.merge(x, y)?),
            (x, y) => x.clone().or_else(|| y.clone()),
        };
        let additional = match (&a.additional, &b.additional) {
            (Some(x), Some(y)) => Some(self.merge(x, y)?),
            (x, y) => x.clone().or_else(|| y.clone()),
        };
        let body = obj(Obj {
            properties,
            items,
            additional,
            constraints: a.constraints.union(&b.constraints).cloned().collect(),
            ..Obj::default()
        });
        let merged = self.with_subschemas(body, a)?;
        self.with_subschemas(merged, b)
    }

    /// `try_merge_with_subschemas`: `schema` merged with the subschemas of `of`.
    fn with_subschemas(&mut self, schema: Sk, of: &Obj) -> Result<Sk, Stop> {
        if !of.has_subschemas() {
            return Ok(schema);
        }
        let mut acc = schema;
        for member in &of.all_of {
            acc = self.merge(&acc, member)?;
        }
        if let Some(not) = &of.not {
            acc = self.merge_not(acc, not)?;
        }
        for (alternatives, any) in [(&of.any_of, true), (&of.one_of, false)] {
            if alternatives.is_empty() {
                continue;
            }
            let mut each = Vec::new();
            for (i, alt) in alternatives.iter().enumerate() {
                let merged = self.merge(&acc, alt)?;
                each.push(if merged == acc {
                    acc.clone()
                } else if merged == *alt {
                    alt.clone()
                } else {
                    // Left unmerged, as typify leaves it (merged when converted).
                    let mut joined = vec![acc.clone(), alt.clone()];
                    joined.extend(
                        alternatives
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .map(|(_, other)| {
                                obj(Obj {
                                    not: Some(other.clone()),
                                    ..Obj::default()
                                })
                            }),
                    );
                    obj(Obj {
                        all_of: joined,
                        ..Obj::default()
                    })
                });
            }
            acc = if each.len() == 1 {
                each.remove(0)
            } else if any {
                obj(Obj {
                    any_of: each,
                    ..Obj::default()
                })
            } else {
                obj(Obj {
                    one_of: each,
                    ..Obj::default()
                })
            };
        }
        Ok(acc)
    }

    /// `try_merge_schema_not`: what of a `not` typify merges.
    fn merge_not(&mut self, schema: Sk, not: &Sk) -> Result<Sk, Stop> {
        let Sk::Obj(n) = not else {
            return Ok(schema); // a `not` of a reference subtracts nothing
        };
        let mut schema = schema;
        if let Sk::Obj(s) = &schema
            && !n.properties.is_empty()
            && s.properties.keys().any(|k| n.properties.contains_key(k))
        {
            let mut o = Obj::clone(s);
            for (name, p) in o.properties.iter_mut() {
                if let Some(np) = n.properties.get(name) {
                    *p = self.merge_not(p.clone(), np)?;
                }
            }
            schema = obj(o);
        }
        let kinds = (
            !n.all_of.is_empty(),
            !n.any_of.is_empty(),
            !n.one_of.is_empty(),
            n.not.as_ref(),
        );
        match kinds {
            (false, false, false, Some(inner)) => return self.merge(&schema, inner),
            (true, false, false, None) => {
                let mut acc = n.all_of[0].clone();
                for m in &n.all_of[1..] {
                    acc = self.merge(&acc, m)?;
                }
                return self.merge_not(schema, &acc);
            }
            (false, true, false, None) => {
                let nots = n
                    .any_of
                    .iter()
                    .map(|m| {
                        obj(Obj {
                            not: Some(m.clone()),
                            ..Obj::default()
                        })
                    })
                    .collect();
                let wrapper = obj(Obj {
                    all_of: nots,
                    ..Obj::default()
                });
                return self.merge(&schema, &wrapper);
            }
            // A `not` of a `oneOf` is left alone; other mixes make typify
            // panic (which the generator's guard reports).
            _ => {}
        }
        Ok(schema)
    }
}

/// The references `o` is composed of (through `allOf`, `anyOf` and
/// `oneOf`, also of inline members) and the [`BODY`] keywords of the
/// schemas that hold them.
fn composed_of(o: &Obj, refs: &mut Vec<Rc<RefTo>>, keywords: &mut Vec<String>) {
    let mut holds = false;
    for member in o.all_of.iter().chain(&o.any_of).chain(&o.one_of) {
        match member {
            Sk::Ref(r) => {
                refs.push(Rc::clone(r));
                holds = true;
            }
            Sk::Obj(inner) => composed_of(inner, refs, keywords),
        }
    }
    if holds {
        for k in o.body_keywords() {
            if !keywords.contains(&k) {
                keywords.push(k);
            }
        }
    }
}

/// typify's `filter_prop`: a property only one side defines, checked
/// against the other side's `additionalProperties` schema, is an `allOf`
/// of both (merged when the property's type is converted).
fn beside_additional(property: &Sk, additional: Option<&Sk>) -> Sk {
    match additional {
        Some(extra) => obj(Obj {
            all_of: vec![extra.clone(), property.clone()],
            ..Obj::default()
        }),
        None => property.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}})
    }

    fn r(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    fn found(schemas: Value) -> Vec<(String, String)> {
        cycles(&doc(schemas))
            .into_iter()
            .map(|c| (c.chain(), c.at))
            .collect()
    }

    #[test]
    fn self_made_through_all_of() {
        assert_eq!(
            found(json!({"A": {"allOf": [r("B")]}, "B": {"allOf": [r("A"), {"type": "object"}]}})),
            [(
                "A → B → A".to_owned(),
                "/components/schemas/B/allOf/0/$ref".to_owned()
            )]
        );
        // Through an inline member and a oneOf inside it.
        let c = cycles(&doc(json!({
            "A": {"allOf": [{"oneOf": [r("A"), {"type": "string"}]}]}
        })));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].chain(), "A → A");
        assert_eq!(c[0].at, "/components/schemas/A/allOf/0/oneOf/0/$ref");
        assert_eq!(c[0].kind, Kind::SelfMade(vec!["allOf"]));
    }

    #[test]
    fn recursion_through_properties_is_fine() {
        assert!(
            found(json!({
                "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": r("Tree")}}},
                "Named": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Node": {"allOf": [r("Named"), {"type": "object", "properties": {"next": r("Node"), "tree": r("Tree")}}]},
                "List": {"type": "object", "additionalProperties": r("List")},
            }))
            .is_empty()
        );
    }

    #[test]
    fn chains_of_pure_references_are_left_to_check_refs() {
        assert!(found(json!({"A": r("B"), "B": r("A")})).is_empty());
    }

    #[test]
    fn merges_that_never_end() {
        let c = cycles(&doc(json!({
            "Base": {"type": "object", "properties": {"children": {"type": "array", "items": r("Base")}}},
            "K": {"allOf": [r("Base"), {"type": "object", "properties": {"children": {"type": "array", "items": r("K")}}}]},
        })));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].chain(), "Base → K → Base");
        assert_eq!(c[0].at, "/components/schemas/K/allOf/0/$ref");
        assert_eq!(
            c[0].kind,
            Kind::EndlessMerge {
                site: "/components/schemas/K".to_owned()
            }
        );
        // The same property with the same schema in both: merged at once.
        assert!(
            found(json!({
                "Base": {"type": "object", "properties": {"children": {"type": "array", "items": r("Base")}}},
                "K": {"allOf": [r("Base"), {"type": "object", "properties": {"children": {"type": "array", "items": r("Base")}, "x": r("K")}}]},
            }))
            .is_empty()
        );
    }
}
