//! A normalization pass (their order: `normalize/mod.rs`): an `allOf`
//! hierarchy too costly for typify to merge is flattened, each schema's
//! members replaced by its ancestors' own members, each ancestor once.
//!
//! typify merges an `allOf` by resolving each `$ref` member and merging
//! what it finds, the `allOf` inside it included, with no memory of what
//! it merged before (`typify_impl::merge::try_merge_schema`). Where
//! schemas extend several others that extend others in turn (`Dog: allOf:
//! [Pet, Named, Tagged]`, `Pet: allOf: [Animal, Named]`…), an ancestor is
//! merged once per path that leads to it, and the paths multiply with
//! depth: a spec of 100 such schemas took 22 s to generate, one of 200 did
//! not finish in two minutes. `allOf` is associative and idempotent —
//! `allOf: [{allOf: [A, B]}, C]` allows exactly what `allOf: [A, B, C]`
//! does, and a member met twice adds nothing — so the flattened list types
//! the same values, and typify's work becomes the number of ancestors.
//!
//! Only schemas whose merge would resolve more than [`MERGE_BUDGET`]
//! references are flattened: typify types a few shapes differently once
//! flat (a member that adds nothing to a referenced schema keeps the
//! reference; flat, the schema is a struct of its own), so an ordinary
//! hierarchy is left as written and generates as before. An ancestor
//! with keywords beyond an object's properties (a `discriminator`,
//! `nullable`, `additionalProperties`, a composition other than `allOf`)
//! stays a reference: merging its parts separately could change what
//! it means.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::doc::Doc;
use crate::document::pointer::Lookup;
use crate::document::refs::resolve;
use crate::document::schemas::visit_all_schemas;

/// The references typify may resolve merging one schema before its
/// hierarchy is flattened. Deep single inheritance stays well below it;
/// multiple inheritance whose paths multiply goes past it within a few
/// levels.
pub(crate) const MERGE_BUDGET: u64 = 256;

/// Keys an ancestor may have beside `allOf` and still be merged as its
/// parts: what an object's properties are, and what only documents.
fn mergeable(key: &str) -> bool {
    matches!(key, "allOf" | "type" | "properties" | "required") || DOCUMENTING.contains(&key)
}

/// Keys that only document a schema: typify drops them from a merge, so
/// they are left out of an ancestor's parts.
const DOCUMENTING: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
];

pub(crate) fn run(doc: &mut Doc) {
    flatten(doc, MERGE_BUDGET);
}

/// Flattens each `allOf` whose merge would resolve more than `budget`
/// references.
pub(crate) fn flatten(doc: &mut Doc, budget: u64) {
    let root = &doc.root;
    let mut costs = Costs {
        root,
        memo: HashMap::new(),
        visiting: HashSet::new(),
    };
    let mut costly: Vec<(String, Vec<Value>)> = Vec::new();
    visit_all_schemas(root, &mut |schema, ptr| {
        if schema.get("allOf").is_none_or(|a| !a.is_array()) {
            return;
        }
        // A schema inside one already flattened is flattened with it.
        if costly
            .iter()
            .any(|(outer, _)| ptr.starts_with(&format!("{outer}/allOf/")))
        {
            return;
        }
        if costs.of(schema) > budget {
            let mut flat = Flattener {
                root,
                seen: HashSet::new(),
                // A member that leads back to the schema itself adds nothing.
                visiting: HashSet::from([ptr.to_owned()]),
                members: Vec::new(),
            };
            flat.members_of(schema);
            costly.push((ptr.to_owned(), flat.members));
        }
    });
    for (ptr, members) in costly {
        if let Some(Value::Object(schema)) = doc.root.at_mut(&ptr) {
            schema.insert("allOf".to_owned(), Value::Array(members));
        }
    }
}

/// The references typify resolves merging a schema's `allOf`, memoized
/// per referenced schema (the count, not the work, is shared).
struct Costs<'a> {
    root: &'a Value,
    memo: HashMap<String, u64>,
    /// References being counted: a cycle adds nothing (typify's own
    /// recursion through one is `model/composition`'s to break).
    visiting: HashSet<String>,
}

impl Costs<'_> {
    fn of(&mut self, schema: &Value) -> u64 {
        let Some(Value::Array(members)) = schema.get("allOf") else {
            return 0;
        };
        let mut total: u64 = 0;
        for member in members {
            let cost = match resolve(self.root, member) {
                Some((target, Some(at))) => 1u64.saturating_add(self.of_target(target, at)),
                Some((inline, None)) => self.of(inline),
                None => 0,
            };
            total = total.saturating_add(cost);
        }
        total
    }

    fn of_target(&mut self, target: &Value, at: String) -> u64 {
        if let Some(&cost) = self.memo.get(&at) {
            return cost;
        }
        if !self.visiting.insert(at.clone()) {
            return 0;
        }
        let cost = self.of(target);
        self.visiting.remove(&at);
        self.memo.insert(at, cost);
        cost
    }
}

/// A schema's `allOf` members with every mergeable ancestor replaced by
/// its parts: the keywords beside its `allOf` first (typify merges a
/// schema's own keywords before its members), then its members, each
/// referenced schema once.
struct Flattener<'a> {
    root: &'a Value,
    /// Referenced schemas already in the list, by pointer.
    seen: HashSet<String>,
    visiting: HashSet<String>,
    members: Vec<Value>,
}

impl Flattener<'_> {
    fn members_of(&mut self, schema: &Value) {
        let Some(Value::Array(members)) = schema.get("allOf") else {
            return;
        };
        for member in members {
            self.member(member);
        }
    }

    fn member(&mut self, member: &Value) {
        match resolve(self.root, member) {
            Some((target, Some(at))) => {
                if self.seen.contains(&at) || self.visiting.contains(&at) {
                    return;
                }
                match parts(target) {
                    Some(own) => {
                        self.visiting.insert(at.clone());
                        if let Some(own) = own {
                            self.members.push(own);
                        }
                        self.members_of(target);
                        self.visiting.remove(&at);
                    }
                    None => self.members.push(member.clone()),
                }
                self.seen.insert(at);
            }
            Some((inline, None)) => match parts(inline) {
                Some(own) => {
                    if let Some(own) = own {
                        self.members.push(own);
                    }
                    self.members_of(inline);
                }
                None => self.members.push(member.clone()),
            },
            None => self.members.push(member.clone()),
        }
    }
}

/// A schema that can be merged as its parts: `Some` of the keywords beside
/// its `allOf` that constrain (`None` when there are none); `None` for a
/// schema to merge whole (no `allOf`, or keywords whose meaning could
/// change when merged apart).
fn parts(schema: &Value) -> Option<Option<Value>> {
    let Value::Object(map) = schema else {
        return None;
    };
    if !map.contains_key("allOf") {
        return None;
    }
    if map.keys().any(|k| !mergeable(k) && !k.starts_with("x-")) {
        return None;
    }
    if map.get("type").is_some_and(|t| t != "object") {
        return None;
    }
    let own: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| {
            *k != "allOf" && !DOCUMENTING.contains(&k.as_str()) && !k.starts_with("x-")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some((!own.is_empty()).then_some(Value::Object(own)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schemas(doc: &Doc) -> &Value {
        &doc.root["components"]["schemas"]
    }

    fn reference(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    /// A hierarchy where each level extends both schemas of the level
    /// below: typify's merge of the top resolves 2^depth references.
    fn diamonds(depth: usize) -> Value {
        let mut schemas = Map::new();
        schemas.insert(
            "L0a".into(),
            json!({"type": "object", "properties": {"a0": {"type": "string"}}}),
        );
        schemas.insert(
            "L0b".into(),
            json!({"type": "object", "properties": {"b0": {"type": "string"}}}),
        );
        for level in 1..=depth {
            for side in ["a", "b"] {
                schemas.insert(
                    format!("L{level}{side}"),
                    json!({"allOf": [
                        reference(&format!("L{}a", level - 1)),
                        reference(&format!("L{}b", level - 1)),
                        {"type": "object", "properties": {format!("{side}{level}"): {"type": "integer"}}},
                    ]}),
                );
            }
        }
        json!({"components": {"schemas": schemas}})
    }

    #[test]
    fn a_hierarchy_within_budget_is_left_as_written() {
        let before = diamonds(6);
        let mut doc = Doc::new(before.clone());
        run(&mut doc);
        assert_eq!(doc.root, before);
        assert!(doc.findings.is_empty());
    }

    #[test]
    fn a_costly_hierarchy_lists_each_ancestor_once() {
        let depth = 12;
        let mut doc = Doc::new(diamonds(depth));
        run(&mut doc);
        let top = &schemas(&doc)[format!("L{depth}a")]["allOf"];
        let members = top.as_array().unwrap();
        // Every level's own properties once, and the two leaves by reference.
        let refs: Vec<&Value> = members.iter().filter(|m| m.get("$ref").is_some()).collect();
        assert_eq!(refs, [&reference("L0a"), &reference("L0b")]);
        let mut own: Vec<String> = members
            .iter()
            .filter_map(|m| m.get("properties")?.as_object())
            .flat_map(|p| p.keys().cloned())
            .collect();
        own.sort();
        let mut expected: Vec<String> = (1..depth)
            .flat_map(|l| [format!("a{l}"), format!("b{l}")])
            .chain([format!("a{depth}")])
            .collect();
        expected.sort();
        assert_eq!(own, expected);
        // The cheap levels below are left as written.
        assert_eq!(
            schemas(&doc)["L1a"],
            diamonds(depth)["components"]["schemas"]["L1a"]
        );
    }

    #[test]
    fn an_ancestor_that_says_more_than_its_properties_stays_a_reference() {
        let mut doc = Doc::new(diamonds(12));
        let odd = json!({"allOf": [reference("L10a"), reference("L10b")], "discriminator": {"propertyName": "kind"}});
        doc.root["components"]["schemas"]["L11b"] = odd;
        run(&mut doc);
        let top = schemas(&doc)["L12a"]["allOf"].as_array().unwrap();
        assert!(top.contains(&reference("L11b")));
        assert!(!top.contains(&reference("L11a")));
    }

    /// A random hierarchy: each schema extends up to three of those
    /// before it and declares a property of its own beside properties
    /// from a small shared pool (so members overlap), some required;
    /// some schemas also declare properties beside their `allOf`.
    fn hierarchy() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let schema = (
            proptest::collection::vec(any::<proptest::sample::Index>(), 0..4),
            proptest::collection::btree_set(0u8..5, 0..3),
            proptest::collection::btree_set(0u8..5, 0..2),
            any::<bool>(),
        );
        proptest::collection::vec(schema, 2..8).prop_map(|specs| {
            let mut schemas = Map::new();
            for (i, (parents, shared, required, beside)) in specs.into_iter().enumerate() {
                let mut properties = Map::new();
                properties.insert(format!("own{i}"), json!({"type": "string"}));
                for p in &shared {
                    properties.insert(format!("shared{p}"), json!({"type": "integer"}));
                }
                let required: Vec<String> = required
                    .iter()
                    .filter(|r| shared.contains(r))
                    .map(|r| format!("shared{r}"))
                    .collect();
                let mut own = json!({"type": "object", "properties": properties});
                if !required.is_empty() {
                    own["required"] = json!(required);
                }
                let mut parents: Vec<usize> = parents
                    .iter()
                    .filter(|_| i > 0)
                    .map(|p| p.index(i))
                    .collect();
                parents.dedup();
                let schema = if parents.is_empty() {
                    own
                } else {
                    let mut members: Vec<Value> = parents
                        .iter()
                        .map(|p| reference(&format!("S{p}")))
                        .collect();
                    if beside {
                        let mut schema = own;
                        schema["allOf"] = json!(members);
                        schema["description"] = json!(format!("schema {i}"));
                        schema
                    } else {
                        members.push(own);
                        json!({"allOf": members})
                    }
                };
                schemas.insert(format!("S{i}"), schema);
            }
            json!({
                "openapi": "3.0.3",
                "info": {"title": "hierarchy", "version": "1"},
                "paths": {},
                "components": {"schemas": schemas},
            })
        })
    }

    /// Each struct of the generated types module: its name and its fields
    /// (attributes, name and type, as tokens), sorted.
    fn structs(spec: &Value) -> std::collections::BTreeMap<String, Vec<String>> {
        let text = serde_json::to_string(spec).unwrap();
        let spec = crate::Spec::from_bytes("hierarchy.json", text.as_bytes()).unwrap();
        let generated = crate::generate(&spec, &crate::Settings::default()).unwrap();
        let file = syn::parse_file(&generated.code).unwrap();
        let mut out = std::collections::BTreeMap::new();
        let mut items: Vec<&syn::Item> = file.items.iter().collect();
        while let Some(item) = items.pop() {
            match item {
                syn::Item::Mod(m) => items.extend(m.content.iter().flat_map(|(_, i)| i)),
                syn::Item::Struct(s) => {
                    let mut fields: Vec<String> = s
                        .fields
                        .iter()
                        .map(|f| {
                            let mut f = f.clone();
                            f.attrs.retain(|a| !a.path().is_ident("doc"));
                            quote::quote!(#f).to_string()
                        })
                        .collect();
                    fields.sort();
                    out.insert(s.ident.to_string(), fields);
                }
                _ => {}
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Flattened or merged by typify as written, every schema of a
        /// hierarchy is the same struct: the flattening changes how typify
        /// gets to the merge, never what it types.
        #[test]
        fn a_flattened_hierarchy_types_the_same_structs(spec in hierarchy()) {
            let mut doc = Doc::new(spec.clone());
            flatten(&mut doc, 0);
            proptest::prop_assert_eq!(structs(&doc.root), structs(&spec));
        }
    }

    #[test]
    fn a_cycle_ends_the_expansion() {
        let mut doc = diamonds(12);
        doc["components"]["schemas"]["L0a"] = json!({"allOf": [reference("L12a")]});
        let mut doc = Doc::new(doc);
        run(&mut doc);
        let top = schemas(&doc)["L12a"]["allOf"].as_array().unwrap();
        assert!(!top.contains(&reference("L12a")));
        assert!(top.contains(&reference("L0b")));
        let own = top
            .iter()
            .filter(|m| m.pointer("/properties/a12").is_some())
            .count();
        assert_eq!(own, 1);
    }
}
