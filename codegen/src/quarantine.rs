//! Quarantine: a construct progenitor or typify cannot generate costs that
//! construct, not the spec.
//!
//! Normalization rewrites what is known to trip the generator before it
//! runs. What it does not foresee shows up only while generating: a panic
//! or an error inside progenitor or typify, or output that cannot compile
//! (two items of `types` with one name). When such a failure can be pinned
//! on one construct, that construct is degraded one step on the typed
//! document, a located warning says so, and generation runs again:
//!
//! - a type name two items share: the component typify names so is
//!   renamed (`X` → `X2`, every reference following); a name typify
//!   derives from a component's (`XInner`, `XItem`, `X<Property>`) makes
//!   that component any JSON value;
//! - a component schema: first without its `default`s (typify's
//!   `unreachable!` on some defaults), then any JSON value;
//! - an operation: left out of the client;
//! - an operation's typed mock: left out of the mocks;
//! - a failure no construct alone shows (the constructs only fail
//!   together): every `default` of the document left out, the commonest
//!   cause (typify shares one type between inline schemas of one name).
//!
//! Each construct takes each step at most once, so the loop ends; a
//! failure with nothing left to degrade is the error it always was.

use std::collections::{HashMap, HashSet};

use openapiv3::OpenAPI;
use serde_json::{Map, Value};

use crate::document::pointer::escape_token;
use crate::naming::{Case, sanitize};

/// What a generation failure is pinned on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Culprit {
    /// Two items of `mod types` have this name.
    TypeName(String),
    /// A component schema, by its key.
    Schema(String),
    /// An operation, by path and lower-case method.
    Operation { path: String, method: String },
    /// An operation's typed mock (the client has the operation).
    Mock { path: String, method: String },
    /// Nothing alone: the failure needs several constructs together (typify
    /// shares a type between two inline schemas of one name, and a
    /// `default` of one does not fit the other).
    Document,
}

/// One degradation, located in the typed (normalized) document.
#[derive(Clone, Debug)]
pub(crate) struct Note {
    pub pointer: String,
    pub message: String,
    pub help: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Step {
    Renamed,
    NoDefaults,
    Any,
    LeftOut,
    NoDefaultsAnywhere,
}

/// The degradations made so far.
#[derive(Default)]
pub(crate) struct Quarantine {
    done: HashSet<(String, Step)>,
    pub(crate) notes: Vec<Note>,
}

const HELP: &str = "the generator cannot handle this construct; it is degraded so that the rest of the spec generates";

impl Quarantine {
    /// Degrades `culprit` in `api` one step further; `false` when nothing
    /// is left to degrade (the failure stands).
    pub(crate) fn apply(&mut self, api: &mut OpenAPI, culprit: &Culprit, why: &str) -> bool {
        let Ok(mut root) = serde_json::to_value(&*api) else {
            return false;
        };
        let why = first_line(why);
        let why = why.as_str();
        let applied = match culprit {
            Culprit::TypeName(name) => self.type_name(&mut root, name),
            Culprit::Schema(key) => self.schema(&mut root, key, why),
            Culprit::Operation { path, method } => {
                self.operation(&mut root, path, method, why, "it is left out of the client")
            }
            Culprit::Document => self.no_defaults_anywhere(&mut root, why),
            Culprit::Mock { path, method } => self.operation(
                &mut root,
                path,
                method,
                why,
                "its typed mock is left out (the client has the operation)",
            ),
        };
        if !applied {
            return false;
        }
        match serde_json::from_value(root) {
            Ok(degraded) => {
                *api = degraded;
                true
            }
            Err(_) => false,
        }
    }

    fn first(&mut self, key: &str, step: Step) -> bool {
        self.done.insert((key.to_owned(), step))
    }

    fn type_name(&mut self, root: &mut Value, name: &str) -> bool {
        let keys: Vec<String> = schemas(root)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        let owner = keys
            .iter()
            .find(|k| {
                sanitize(k, Case::Pascal) == name
                    && !self.done.contains(&((*k).clone(), Step::Renamed))
            })
            .cloned();
        if let Some(old) = owner {
            let mut taken: HashSet<String> =
                keys.iter().map(|k| sanitize(k, Case::Pascal)).collect();
            let new = crate::naming::fresh_type_name(&old, &mut taken);
            let Some(map) = schemas_mut(root) else {
                return false;
            };
            let Some(schema) = map.remove(&old) else {
                return false;
            };
            map.insert(new.clone(), schema);
            let targets = HashMap::from([(
                format!("#/components/schemas/{}", escape_token(&old)),
                format!("#/components/schemas/{}", escape_token(&new)),
            )]);
            crate::document::refs::retarget(root, &targets);
            // The new name is the generator's own: it is not renamed again.
            self.done.insert((new.clone(), Step::Renamed));
            self.notes.push(Note {
                pointer: schema_pointer(&old),
                message: format!(
                    "schema `{old}`: another generated type is named `{name}` too; it is generated as `{}`",
                    sanitize(&new, Case::Pascal)
                ),
                help: Some("a schema named like a type the generator derives from another one (`<Schema><Property>`, `<Schema>Inner`, `<Schema>Item`) is renamed"),
            });
            return true;
        }
        // A renamed component that still declares the name twice (both of
        // its items carry it), or the component a derived name comes from
        // (the longest component name it starts with): any JSON value.
        let parent = keys
            .iter()
            .filter(|k| {
                let rust = sanitize(k, Case::Pascal);
                name.starts_with(&rust) && !self.done.contains(&((*k).clone(), Step::Any))
            })
            .max_by_key(|k| sanitize(k, Case::Pascal).len())
            .cloned();
        match parent {
            Some(parent) => self.any(
                root,
                &parent,
                &format!("it would declare a second type named `{name}`"),
            ),
            None => false,
        }
    }

    fn no_defaults_anywhere(&mut self, root: &mut Value, why: &str) -> bool {
        if !has_default(root) || !self.first("", Step::NoDefaultsAnywhere) {
            return false;
        }
        strip_defaults(root);
        self.notes.push(Note {
            pointer: String::new(),
            message: format!(
                "progenitor failed on this spec, on no construct alone ({why}); every `default` is left out"
            ),
            help: Some(HELP),
        });
        true
    }

    fn schema(&mut self, root: &mut Value, key: &str, why: &str) -> bool {
        let Some(schema) = schemas_mut(root).and_then(|m| m.get_mut(key)) else {
            return false;
        };
        if has_default(schema) && self.first(key, Step::NoDefaults) {
            strip_defaults(schema);
            self.notes.push(Note {
                pointer: schema_pointer(key),
                message: format!(
                    "progenitor failed on schema `{key}` ({why}); its `default`s are left out"
                ),
                help: Some(HELP),
            });
            return true;
        }
        self.any(root, key, why)
    }

    fn any(&mut self, root: &mut Value, key: &str, why: &str) -> bool {
        if !self.first(key, Step::Any) {
            return false;
        }
        let Some(schema) = schemas_mut(root).and_then(|m| m.get_mut(key)) else {
            return false;
        };
        let mut any = Map::new();
        if let Some(description) = schema.get("description") {
            any.insert("description".to_owned(), description.clone());
        }
        *schema = Value::Object(any);
        self.notes.push(Note {
            pointer: schema_pointer(key),
            message: format!(
                "the generator failed on schema `{key}` ({why}); it is typed as any JSON value"
            ),
            help: Some(HELP),
        });
        true
    }

    fn operation(
        &mut self,
        root: &mut Value,
        path: &str,
        method: &str,
        why: &str,
        outcome: &str,
    ) -> bool {
        let pointer = format!("/paths/{}/{method}", escape_token(path));
        if !self.first(&pointer, Step::LeftOut) {
            return false;
        }
        let Some(Value::Object(item)) = root.get_mut("paths").and_then(|p| p.get_mut(path)) else {
            return false;
        };
        if item.remove(method).is_none() {
            return false;
        }
        self.notes.push(Note {
            pointer,
            message: format!(
                "progenitor failed on operation {} {path} ({why}); {outcome}",
                method.to_uppercase()
            ),
            help: Some(HELP),
        });
        true
    }
}

/// A panic message's first line, shortened: typify's `todo!`s print whole
/// schemas.
fn first_line(why: &str) -> String {
    let line = why
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches(['(', ' ', ':']);
    match line.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

fn schema_pointer(key: &str) -> String {
    format!("/components/schemas/{}", escape_token(key))
}

fn schemas(root: &Value) -> Option<&Map<String, Value>> {
    root.get("components")?.get("schemas")?.as_object()
}

fn schemas_mut(root: &mut Value) -> Option<&mut Map<String, Value>> {
    root.get_mut("components")?
        .get_mut("schemas")?
        .as_object_mut()
}

/// Keys under which a schema holds data rather than schemas.
const DATA: [&str; 4] = ["example", "examples", "enum", "const"];

fn has_default(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            map.contains_key("default")
                || map
                    .iter()
                    .any(|(k, v)| !DATA.contains(&k.as_str()) && has_default(v))
        }
        Value::Array(items) => items.iter().any(has_default),
        _ => false,
    }
}

fn strip_defaults(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.remove("default");
            for (k, v) in map.iter_mut() {
                if !DATA.contains(&k.as_str()) {
                    strip_defaults(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_defaults),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api(value: Value) -> OpenAPI {
        serde_json::from_value(value).unwrap()
    }

    fn doc() -> Value {
        json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AStop"}}}}}},
                "post": {"responses": {"200": {"description": "ok"}}},
            }},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"stop": {"type": "object", "properties": {"x": {"type": "string", "default": "d"}}}}},
                "AStop": {"type": "object", "description": "kept", "properties": {"y": {"type": "integer", "default": 1, "example": {"default": 2}}}},
            }}
        })
    }

    #[test]
    fn a_shared_type_name_renames_the_component_of_that_name_once() {
        let mut api = api(doc());
        let mut q = Quarantine::default();
        assert!(q.apply(&mut api, &Culprit::TypeName("AStop".into()), "dup"));
        let schemas = &api.components.as_ref().unwrap().schemas;
        assert!(schemas.contains_key("AStop2") && !schemas.contains_key("AStop"));
        let text = serde_json::to_string(&api.paths).unwrap();
        assert!(text.contains("#/components/schemas/AStop2"), "{text}");
        assert_eq!(q.notes[0].pointer, "/components/schemas/AStop");
        assert!(
            q.notes[0].message.contains("generated as `AStop2`"),
            "{}",
            q.notes[0].message
        );
        // The same name again: no component is named so any more, and the
        // derived name's owner `A` becomes any JSON value.
        assert!(q.apply(&mut api, &Culprit::TypeName("AStop".into()), "dup"));
        let a = serde_json::to_value(&api.components.as_ref().unwrap().schemas["A"]).unwrap();
        assert_eq!(a, json!({}));
        assert!(q.notes[1].message.contains("any JSON value"));
        // Nothing left to degrade.
        assert!(!q.apply(&mut api, &Culprit::TypeName("AStop".into()), "dup"));
    }

    #[test]
    fn a_failing_schema_loses_its_defaults_then_its_type() {
        let mut api = api(doc());
        let mut q = Quarantine::default();
        let culprit = Culprit::Schema("AStop".into());
        assert!(q.apply(&mut api, &culprit, "boom"));
        let schema =
            serde_json::to_value(&api.components.as_ref().unwrap().schemas["AStop"]).unwrap();
        assert_eq!(schema["properties"]["y"].get("default"), None);
        // Examples are data: their `default` key stays.
        assert_eq!(schema["properties"]["y"]["example"], json!({"default": 2}));
        assert!(q.apply(&mut api, &culprit, "boom"));
        let schema =
            serde_json::to_value(&api.components.as_ref().unwrap().schemas["AStop"]).unwrap();
        assert_eq!(schema, json!({"description": "kept"}));
        assert!(!q.apply(&mut api, &culprit, "boom"));
        assert_eq!(q.notes.len(), 2);
    }

    #[test]
    fn a_failing_operation_is_left_out_once() {
        let mut api = api(doc());
        let mut q = Quarantine::default();
        let culprit = Culprit::Operation {
            path: "/a".into(),
            method: "post".into(),
        };
        assert!(q.apply(&mut api, &culprit, "boom"));
        let item = api.paths.paths["/a"].as_item().unwrap();
        assert!(item.post.is_none() && item.get.is_some());
        assert_eq!(q.notes[0].pointer, "/paths/~1a/post");
        assert!(!q.apply(&mut api, &culprit, "boom"));
    }

    #[test]
    fn a_failure_of_no_construct_alone_drops_every_default_once() {
        let mut api = api(doc());
        let mut q = Quarantine::default();
        assert!(q.apply(&mut api, &Culprit::Document, "boom"));
        let text = serde_json::to_string(&api).unwrap();
        assert!(!text.contains("\"default\":\"d\""), "{text}");
        assert!(!text.contains("\"default\":1"), "{text}");
        assert!(
            text.contains("{\"default\":2}"),
            "examples are data: {text}"
        );
        assert_eq!(q.notes[0].pointer, "");
        assert!(!q.apply(&mut api, &Culprit::Document, "boom"));
    }
}
