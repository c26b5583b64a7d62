//! Stage 4, the typed model: the normalized document → `openapiv3::OpenAPI`,
//! plus every check that keeps progenitor from panicking and that
//! normalization could not fix (a path parameter missing from its path, a
//! `type` that is none of OpenAPI 3.0's six, a schema typify would expand
//! until the stack overflows, duplicate operationIds, …).
//!
//! The checks read the normalized document, and report in the source:
//! [`Problems`] maps each pointer back through normalization's moves.

mod bodies;
mod composition;
mod degrade;
mod lenient;
mod operations;
mod parameters;
mod responses;
mod shape;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::problems::Problems;

/// Checks the normalized document `value` and converts it to the typed
/// model, a part that does not convert degraded ([`degrade`]); `None`
/// when what does not convert is no part that degrades (each type error
/// is reported, located). Every check runs either way, so that one part of
/// the wrong type hides no other problem.
pub(crate) fn convert(p: &mut Problems, value: Value) -> Option<OpenAPI> {
    let (mut typed, mut value) = degrade::convert(p, value);
    // Schemas are checked as normalized: lowering 3.1 rewrites `type`s and
    // wraps references in `allOf`. A cycle broken changes the document,
    // which is converted again (nothing is left to degrade in it).
    if composition::degrade(p, &mut value) && typed.is_some() {
        (typed, value) = degrade::convert(p, value);
    }
    // Also when the document does not convert as a whole: each part that
    // converts is checked.
    operations::check(p, &value);
    typed
}
