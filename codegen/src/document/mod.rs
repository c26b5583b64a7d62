//! The document model every stage shares: the spec as a JSON tree
//! (`serde_json::Value`), JSON pointers into it, `$ref` resolution, where
//! its operations and schemas are, and [`Origins`], which maps the nodes
//! normalization moved back to where the author wrote them.
//!
//! It sits at the bottom of the crate: the stages import it, and it imports
//! none of them. The tree stays untyped because OpenAPI 3.1 does not fit
//! `openapiv3`'s types until it is lowered, and because a tree is free to
//! edit; the typed model is only built after normalization.

pub(crate) mod extensions;
pub(crate) mod media;
pub(crate) mod operations;
pub(crate) mod origins;
pub(crate) mod pointer;
pub(crate) mod ref_targets;
pub(crate) mod refs;
pub(crate) mod schemas;
pub(crate) mod security_schemes;

pub(crate) use origins::Origins;

use serde_json::Value;

/// Whether the document declares OpenAPI 3.1 (`openapi: 3.1.x`): the
/// version check accepts it, and normalization lowers it to 3.0.
pub(crate) fn is_openapi31(root: &Value) -> bool {
    root.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.trim().starts_with("3.1."))
}
