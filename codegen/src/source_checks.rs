//! Stage 2, check the source: what must hold of the document as written
//! before it can be rewritten or typed — an OpenAPI 3.0 or 3.1 version,
//! and `$ref`s that resolve (in this document, to a component, with no
//! chain of references that never ends).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::document::is_openapi31;
use crate::document::pointer::percent_decode;
use crate::document::refs::references;
use crate::load::kind_of;
use crate::problems::Problems;

/// Runs the checks of the source. Returns whether the document can be
/// read further: not when it is no OpenAPI 3.0 or 3.1 document at all (its
/// other problems would only be noise). Reference problems are reported and
/// the later stages still run, so that their problems are reported too.
pub(crate) fn check(p: &mut Problems) -> bool {
    check_version(p);
    if !p.is_empty() {
        return false;
    }
    check_refs(p);
    true
}

fn check_version(p: &mut Problems) {
    let root = p.spec().value();
    if let Some(v) = root.get("swagger") {
        let version = v
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string());
        p.error(
            "/swagger",
            format!("Swagger {version} documents are not supported"),
            Some("convert the document to OpenAPI 3.0 first (for example with swagger2openapi)"),
        );
        return;
    }
    match root.get("openapi") {
        None => p.error(
            "",
            "missing `openapi` version field",
            Some("an OpenAPI 3.0 document starts with `openapi: 3.0.3`"),
        ),
        Some(Value::String(v)) if v.trim().starts_with("3.0.") || is_openapi31(root) => {}
        Some(Value::String(v)) => p.error(
            "/openapi",
            format!("unsupported OpenAPI version `{v}`"),
            Some("OpenAPI 3.0.x and 3.1.x documents are supported"),
        ),
        Some(other) => p.error(
            "/openapi",
            format!(
                "`openapi` must be a version string like \"3.0.3\", found {}",
                kind_of(other)
            ),
            Some("quote the version: `openapi: \"3.0.3\"`"),
        ),
    }
}

/// Every `$ref` must point at an existing node of this document, and
/// chains of references must end somewhere. References to nodes that are
/// no components were rewritten on load where their kind is known; the
/// rest are reported.
fn check_refs(p: &mut Problems) {
    let root = p.spec().value();
    for (at, target) in references(root) {
        let ptr = format!("{at}/$ref");
        let Some(fragment) = target.strip_prefix('#') else {
            p.error(
                &ptr,
                format!("external reference `{target}` is not supported"),
                Some("bundle the spec into one file (for example with `redocly bundle`)"),
            );
            continue;
        };
        let fragment = percent_decode(fragment);
        let Some(node) = root.pointer(&fragment) else {
            p.error(
                &ptr,
                format!("dangling reference `{target}`: nothing is defined there"),
                None,
            );
            continue;
        };
        // Follow a chain of pure references to detect a cycle.
        let mut seen = BTreeSet::from([fragment.clone()]);
        let mut node = node;
        let mut cyclic = false;
        while let Some(Value::String(next)) = node.get("$ref") {
            let next = percent_decode(next.trim_start_matches('#'));
            if !seen.insert(next.clone()) {
                p.error(
                    &ptr,
                    format!("cyclic reference `{target}`: the chain of `$ref`s never reaches a definition"),
                    None,
                );
                cyclic = true;
                break;
            }
            match root.pointer(&next) {
                Some(n) => node = n,
                None => break, // reported where that reference is written
            }
        }
        // Load rewrote every other reference it could tell the kind of
        // into one to a component (see `document::ref_targets`).
        let parts: Vec<&str> = fragment.split('/').collect();
        if !cyclic && (parts.len() != 4 || parts[1] != "components") {
            p.error(
                &ptr,
                format!("reference `{target}` does not name a component"),
                Some("point references at `#/components/<section>/<name>`"),
            );
        }
    }
}
