//! The parts of the document the operation checks read, each converted to
//! its typed model on its own: one part of the wrong shape (reported by the
//! typed conversion, located by [`super::shape`]) does not hide the
//! problems of the others.

use openapiv3::{Components, ReferenceOr, Response};
use serde_json::Value;

use crate::document::pointer::percent_decode;

pub(super) fn lenient<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The entries of a `#/components/<section>` that convert.
pub(super) fn lenient_section<T: serde::de::DeserializeOwned>(
    root: &Value,
    section: &str,
) -> indexmap::IndexMap<String, ReferenceOr<T>> {
    root.get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, v)| Some((name.clone(), lenient(v)?)))
        .collect()
}

/// `responses`, with only the entries that convert.
pub(super) fn lenient_responses(value: &Value) -> Option<openapiv3::Responses> {
    if let Some(all) = lenient(value) {
        return Some(all);
    }
    let Value::Object(entries) = value else {
        return None;
    };
    let converting: serde_json::Map<String, Value> = entries
        .iter()
        .filter(|(key, v)| key.starts_with("x-") || lenient::<ReferenceOr<Response>>(v).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    lenient(&Value::Object(converting))
}

/// Whether a reference that did not resolve in the converted components
/// names a component of `section` that exists but did not convert: its
/// type error is reported where it is written.
pub(super) fn names_unconverted(root: &Value, value: &Value, section: &str) -> bool {
    crate::document::refs::resolve(root, value)
        .and_then(|(_, at)| at)
        .is_some_and(|at| at.starts_with(&format!("/components/{section}/")))
}

/// Resolves a `#/components/<section>/<name>` reference in a typed section.
pub(super) fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    section: impl Fn(&'a Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    components: Option<&'a Components>,
) -> Option<&'a T> {
    let mut item = item;
    for _ in 0..32 {
        match item {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next()?;
                item = section(components?).get(&percent_decode(name))?;
            }
        }
    }
    None
}
