//! Merges that never end (2.) and copies that contain themselves (3.),
//! found by running typify's merge on the skeletons (see the parent module).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::skeleton::*;
use super::{Cycle, Kind, name_of};
use crate::document::pointer::escape_token;
use crate::document::schemas::visit_all_schemas;

/// Why a simulated merge stopped.
pub(super) enum Stop {
    /// A reference resolved again against the same schema: these frames,
    /// the repeated one first, and the reference that repeats it.
    Cycle(Vec<Rc<RefTo>>),
    /// A merged type whose conversion meets this same schema again, to
    /// merge and copy again.
    Expansion(Rc<Obj>),
    /// Out of budget: the merge is not endless, only large; typify's
    /// own work, not ours to judge.
    Budget,
    /// One schema's merge went past [`SITE_STEPS`]: its members'
    /// alternatives multiply, and typify (which remembers no merge it
    /// made) would not finish.
    Multiplies,
}

/// Merges simulated per document: beyond this the check gives up (a spec
/// that large is not a recursion, and typify will take its time anyway).
pub(super) const STEPS: usize = 200_000;
/// Merges simulated for one schema. The specs of the corpora take at most
/// about a hundred; an `allOf` whose members each hold an `anyOf`, one
/// extending the other, takes hundreds of thousands (typify, which
/// remembers no merge, more), as every alternative of one is merged with
/// every alternative of the other and with the negation of the rest.
pub(super) const SITE_STEPS: usize = 10_000;
/// Nested resolutions; typify would be deep into its stack long before.
pub(super) const DEPTH: usize = 120;
/// Levels of merged types converted (and merged) again inside a merge result.
pub(super) const CONVERSIONS: usize = 8;

pub(super) struct Sim<'a> {
    pub(super) root: &'a Value,
    /// Pointer → skeleton of the schema there.
    pub(super) schemas: HashMap<String, Sk>,
    /// References being resolved: (the reference, the schema merged with it).
    pub(super) stack: Vec<(Rc<RefTo>, Sk)>,
    /// Resolutions that finished: (target, other) → result.
    pub(super) done: HashMap<(String, Sk), Sk>,
    /// Schemas of reported cycles: not expanded again.
    pub(super) opaque: HashSet<String>,
    /// The schemas being converted (each merged, then its inline types).
    pub(super) converting: Vec<Rc<Obj>>,
    pub(super) steps: usize,
    /// `steps` when the schema being checked started.
    pub(super) site_start: usize,
}

pub(super) fn endless_merges(root: &Value, self_made: &HashSet<String>) -> Vec<Cycle> {
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
        site_start: 0,
    };
    // Schemas already reported as made of themselves are not merged again.
    if let Some(Value::Object(schemas)) = root.pointer("/components/schemas") {
        for name in schemas.keys() {
            if self_made.contains(name) {
                sim.opaque
                    .insert(format!("/components/schemas/{}", escape_token(name)));
            }
        }
    }
    let mut found = Vec::new();
    let mut reported: HashSet<BTreeSet<String>> = HashSet::new();
    for (ptr, _) in sites {
        let Some(node) = root.pointer(&ptr) else {
            continue;
        };
        let Sk::Obj(o) = skeleton(node, &ptr) else {
            continue;
        };
        // A nullable composition is a `oneOf` of `null` and the schema
        // (see `skeleton`): the schema is where the merge happens.
        let o = match (site_of_skeleton(&o), o.one_of.as_slice()) {
            (None, [_, Sk::Obj(inner)]) => Rc::clone(inner),
            _ => o,
        };
        let Some(site) = site_of_skeleton(&o) else {
            continue;
        };
        sim.stack.clear();
        sim.converting.clear();
        sim.site_start = sim.steps;
        match sim.convert_site(&o, site, 0) {
            Ok(()) => {}
            Err(Stop::Budget) => break,
            Err(Stop::Multiplies) => {
                if reported.insert(std::iter::once(ptr.clone()).collect()) {
                    found.push(Cycle {
                        at: ptr.clone(),
                        names: vec![name_of(&ptr)],
                        kind: Kind::MultipliedMerge { site: ptr },
                    });
                }
            }
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
        if self.steps - self.site_start > SITE_STEPS {
            return Err(Stop::Multiplies);
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
pub(super) fn composed_of(o: &Obj, refs: &mut Vec<Rc<RefTo>>, keywords: &mut Vec<String>) {
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
pub(super) fn beside_additional(property: &Sk, additional: Option<&Sk>) -> Sk {
    match additional {
        Some(extra) => obj(Obj {
            all_of: vec![extra.clone(), property.clone()],
            ..Obj::default()
        }),
        None => property.clone(),
    }
}
