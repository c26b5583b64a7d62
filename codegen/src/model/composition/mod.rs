//! Schemas that typify would expand forever.
//!
//! typify resolves a `$ref` inside an `allOf` by merging the schema it
//! names into the others (`typify_impl::merge::try_merge_schema`), with no
//! guard against meeting the same reference again. A schema that leads
//! back to itself there makes it recurse until the stack overflows, and a
//! stack overflow aborts the process: no `catch_unwind` sees it. So these
//! shapes are found here, before the generator runs, and each is broken
//! at the reference that closes it, which becomes any JSON value (a
//! located warning; an error when warnings are denied): the spec loses
//! that reference's type, not the client:
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
//! 4. **A merge that multiplies**: merged with anything, an `anyOf` or
//!    `oneOf` becomes one alternative per member, each merged with the
//!    negation of the others; an `allOf` whose members hold alternatives
//!    and extend one another multiplies them again at every level. typify
//!    remembers no merge it made, so three such schemas already keep it
//!    busy for minutes and all the memory it can take. The same simulation
//!    counts its steps per schema; past [`merge::SITE_STEPS`] the schema
//!    is typed as any JSON value (a located warning).
//!
//! The second check mirrors `typify-impl` 0.8's `merge.rs`: which pairs it
//! merges, that two references to the same schema merge without being
//! resolved, and that a merge equal to the referenced schema stays the
//! reference. Leaving out the narrowing constraints only errs on the safe
//! side: typify stops early on a merge they make unsatisfiable, the
//! skeleton does not.

mod merge;
mod self_made;
mod skeleton;

use std::collections::HashSet;

use serde_json::Value;

use crate::document::pointer::percent_decode;
use crate::problems::Problems;

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
    /// typify's merge of the schema at this pointer multiplies its
    /// members' alternatives past what it can finish.
    MultipliedMerge { site: String },
}

impl Cycle {
    pub(crate) fn chain(&self) -> String {
        self.names.join(" → ")
    }
}

/// Every schema of the three kinds in `root` (a normalized 3.0 document).
pub(crate) fn cycles(root: &Value) -> Vec<Cycle> {
    let mut found = self_made::self_made(root);
    let members: HashSet<String> = found.iter().flat_map(|c| c.names.iter().cloned()).collect();
    found.extend(merge::endless_merges(root, &members));
    found
}

/// The last token of a `#/components/schemas/<name>` pointer: the name.
pub(super) fn name_of(target: &str) -> String {
    let last = target.rsplit('/').next().unwrap_or(target);
    last.replace("~1", "/").replace("~0", "~")
}

/// The JSON pointer a local `$ref` names; `None` for an external one.
pub(super) fn target_of(reference: &str) -> Option<String> {
    reference.strip_prefix('#').map(percent_decode)
}

/// Rounds of breaking cycles at most: a reference typed as any JSON value
/// can leave another cycle through the same schemas to break.
const MAX_ROUNDS: usize = 32;

/// Breaks every schema typify would expand until the stack overflows
/// (which aborts the process, see the module doc): the reference that
/// closes the cycle becomes any JSON value, a located warning, so that the
/// rest of the spec generates. `true` when `value` changed. A cycle with
/// no reference to break stays an error.
pub(crate) fn degrade(p: &mut Problems, value: &mut Value) -> bool {
    let mut broken: HashSet<String> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let found = cycles(value);
        if found.is_empty() {
            break;
        }
        let mut progress = false;
        for cycle in found {
            let (message, help) = describe(p, &cycle);
            let reference = cycle.at.strip_suffix("/$ref");
            let node = reference.and_then(|r| value.pointer_mut(r));
            match node {
                Some(Value::Object(node))
                    if node.contains_key("$ref") && broken.insert(cycle.at.clone()) =>
                {
                    // What describes the value stays; what typed it goes.
                    node.retain(|k, _| k == "description");
                    p.warn(
                        &cycle.at,
                        format!("{message}; this reference is typed as any JSON value"),
                        Some(&help),
                    );
                    progress = true;
                }
                _ => {
                    // No reference to break: the schema that expands is
                    // typed as any JSON value instead.
                    let site = match &cycle.kind {
                        Kind::EndlessMerge { site }
                        | Kind::EndlessExpansion { site, .. }
                        | Kind::MultipliedMerge { site } => Some(site.clone()),
                        Kind::SelfMade(_) => None,
                    };
                    match site
                        .as_deref()
                        .and_then(|s| Some((s, value.pointer_mut(s)?)))
                    {
                        Some((site, Value::Object(node))) if broken.insert(site.to_owned()) => {
                            node.retain(|k, _| k == "description");
                            p.warn(
                                site,
                                format!("{message}; this schema is typed as any JSON value"),
                                Some(&help),
                            );
                            progress = true;
                        }
                        _ => {
                            p.error(&cycle.at, message, Some(&help));
                            return !broken.is_empty();
                        }
                    }
                }
            }
        }
        if !progress {
            break;
        }
    }
    !broken.is_empty()
}

/// How a message names the schema at `site`.
fn whose(p: &Problems, site: &str) -> String {
    let tokens: Vec<&str> = site.split('/').collect();
    match tokens.as_slice() {
        ["", "components", "schemas", name] => {
            format!("of `{}`", name.replace("~1", "/").replace("~0", "~"))
        }
        _ => format!("at #{}", p.source(site)),
    }
}

/// A cycle's message and help.
fn describe(p: &Problems, cycle: &Cycle) -> (String, String) {
    let chain = cycle.chain();
    match &cycle.kind {
        Kind::SelfMade(keywords) => {
            let through: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
            // The polymorphism idiom: a base lists its subtypes in
            // `oneOf`, and each subtype extends the base with `allOf`.
            let help = if keywords.contains(&"allOf") && keywords.len() > 1 {
                "a base schema that lists its subtypes in `oneOf`/`anyOf` while they \
                 extend it with `allOf` is made of itself; move the shared properties into \
                 a schema of their own that the subtypes extend and the base does not list"
            } else {
                "a schema cannot be composed (`allOf`, `oneOf`, `anyOf`) of itself; \
                 refer to it from a property or from `items` to make a recursive type"
            };
            (
                format!(
                    "schema `{}` is made of itself through {}: {chain}",
                    cycle.names[0],
                    through.join(" and ")
                ),
                help.to_owned(),
            )
        }
        Kind::MultipliedMerge { site } => (
            format!(
                "the `allOf` {} cannot be merged in reasonable time: its members' `anyOf`/`oneOf` alternatives multiply as they are merged",
                whose(p, site)
            ),
            "every alternative of one member is merged with every alternative of the others; \
             list the combinations the API accepts as one `oneOf` of whole objects, or state the \
             alternatives once, on the schema that is sent"
                .to_owned(),
        ),
        Kind::EndlessMerge { site } => {
            let whose = whose(p, site);
            (
                format!("the `allOf` {whose} cannot be merged: the merge never ends ({chain})"),
                "the generator merges `allOf` members property by property, and here a \
                 property several members define leads back to a schema being merged; \
                 give that property the same schema in each member, or define it in one"
                    .to_owned(),
            )
        }
        Kind::EndlessExpansion { site, keywords } => {
            let site = p.source(site);
            let names: Vec<String> = cycle.names.iter().map(|n| format!("`{n}`")).collect();
            let keywords: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
            let (names, keywords) = (names.join(", "), keywords.join(", "));
            (
                format!(
                    "the schema at #{site} expands forever: merged with {names}, it becomes a copy of {names} that contains it again"
                ),
                format!(
                    "the generator copies a referenced schema when keywords beside the reference change it ({keywords} here); \
                     move them into the referenced schema, or drop them"
                ),
            )
        }
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

    /// Each level extends the ones below and adds an `anyOf` of its own.
    fn alternatives(levels: usize) -> Value {
        let mut schemas = serde_json::Map::new();
        for level in 0..levels {
            let mut members: Vec<Value> = (0..level).map(|l| r(&format!("S{l}"))).collect();
            members.push(json!({"anyOf": [
                {"type": "object", "properties": {format!("p{level}"): {"type": "string"}}},
                {"type": "object", "properties": {"z": {"type": "string"}}},
            ]}));
            schemas.insert(format!("S{level}"), json!({"allOf": members}));
        }
        Value::Object(schemas)
    }

    #[test]
    fn a_merge_whose_alternatives_multiply_is_found_where_it_starts() {
        assert!(cycles(&doc(alternatives(2))).is_empty());
        let c = cycles(&doc(alternatives(3)));
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0].kind,
            Kind::MultipliedMerge {
                site: "/components/schemas/S2".to_owned()
            }
        );
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

    /// progenitor hands typify a nullable composition as `oneOf: [null,
    /// the schema]`; merged that way, this one never ends (specfuzz seed 8
    /// aborted on it: typify overflowed its stack).
    #[test]
    fn nullable_compositions_merge_as_progenitor_gives_them() {
        let schemas = json!({
            "A": {"nullable": true, "properties": {"s": {"properties": {
                "a": {"allOf": [r("A")], "nullable": true}}}}},
            "Site": {"allOf": [{"allOf": [r("A")]}, {"allOf": [r("A")], "nullable": true}]},
        });
        let c = cycles(&doc(schemas.clone()));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0].kind,
            Kind::EndlessMerge {
                site: "/components/schemas/Site".to_owned()
            }
        );
        // Without `nullable` beside the reference, no wrapper: it ends.
        let mut plain = schemas;
        plain["A"]["properties"]["s"]["properties"]["a"]
            .as_object_mut()
            .unwrap()
            .remove("nullable");
        assert!(found(plain).is_empty());
    }
}
