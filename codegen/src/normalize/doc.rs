//! The working state of normalization: the document the passes rewrite,
//! what they report, and the moves they record.
//!
//! Every finding carries the JSON pointer of the node in the *source*: a
//! pass that moves a node (hoisting a schema, inlining a shared response)
//! records the move in [`Origins`], through which later findings and the
//! checks of the typed model are mapped back.

use serde_json::{Map, Value, json};

use crate::diagnostic::Severity;
use crate::document::Origins;
use crate::document::pointer::{Lookup, escape_token};
use crate::problems::Finding;

/// The document being normalized.
pub(crate) struct Doc {
    pub root: Value,
    pub findings: Vec<Finding>,
    pub origins: Origins,
}

impl Doc {
    pub(crate) fn new(root: Value) -> Doc {
        Doc {
            root,
            findings: Vec::new(),
            origins: Origins::default(),
        }
    }

    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>, help: Option<&str>) {
        self.push(Severity::Warning, pointer, message.into(), help);
    }

    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>, help: Option<&str>) {
        self.push(Severity::Error, pointer, message.into(), help);
    }

    fn push(&mut self, severity: Severity, pointer: &str, message: String, help: Option<&str>) {
        self.findings.push(Finding {
            severity,
            pointer: self.origins.source(pointer),
            message,
            help: help.map(str::to_owned),
        });
    }

    /// Names of `#/components/<section>`, for choosing fresh names.
    pub(crate) fn component_names(&self, section: &str) -> Vec<String> {
        self.root
            .get("components")
            .and_then(|c| c.get(section))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// `#/components/<section>` as a mutable map, created when missing.
    /// `None` when `components` or the section is not a mapping.
    pub(crate) fn section_mut(&mut self, section: &str) -> Option<&mut Map<String, Value>> {
        let root = self.root.as_object_mut()?;
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()?;
        components
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
    }

    /// Moves the schema at `ptr` to `#/components/schemas/<name>`, leaving
    /// a `$ref` in its place, and records the move.
    pub(crate) fn hoist_schema(&mut self, ptr: &str, name: &str) {
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        let Some(slot) = self.root.at_mut(ptr) else {
            return;
        };
        let schema = std::mem::replace(slot, reference);
        if let Some(schemas) = self.section_mut("schemas") {
            schemas.insert(name.to_owned(), schema);
        }
        self.origins
            .record(&format!("/components/schemas/{}", escape_token(name)), ptr);
    }
}

/// A name not in `taken` (compared as typify compares type names: after
/// conversion to PascalCase), starting from `base`, then `base2`, `base3`…
pub(crate) fn fresh_name(base: &str, taken: &mut std::collections::HashSet<String>) -> String {
    crate::naming::fresh_type_name(base, taken)
}

/// The Rust type name typify gives a schema called `name`.
pub(crate) fn rust_type_name(name: &str) -> String {
    crate::naming::sanitize(name, crate::naming::Case::Pascal)
}
