//! Stage 3, normalize: rewrite what progenitor cannot digest into what it
//! can, keeping as much typing as possible, and say so.
//!
//! The passes run on the untyped document (`serde_json::Value`), after the
//! checks that need the source (version, `$ref`s) and before conversion to
//! the typed model, in this order:
//!
//! | # | pass | why here |
//! |---|---|---|
//! | 1 | [`openapi31`]: OpenAPI 3.1 → 3.0 | everything after it, and `openapiv3`, reads 3.0 |
//! | 2 | [`schema_keywords`]: bounds, counts and formats the typed model cannot hold; 3.1 spellings in 3.0; then [`integer_formats`]: the range of `uint8`…`uint64`, `int8`, `int16` written as bounds | after lowering (which spells 3.1 documents right), before values are judged against the bounds' types |
//! | 3 | [`unions`]: an `anyOf` with a member that is not an object, or of objects a property tells apart → `oneOf`; a union of `required` lists beside properties out of the type; properties beside a `oneOf` into its members | before values are judged against `oneOf` members and schemas are named |
//! | 4 | [`all_of`]: an `allOf` member's `additionalProperties: false` left out where its siblings declare properties | before fields and types are named from the members' properties |
//! | 5 | [`values`]: `default`s and `enum` values that contradict `type` coerced or left out, `enum` values outside the numeric bounds left out; defaults typify cannot write left out, those of left-out properties written in | reads the 3.0 `type`/`enum` that lowering wrote; before schemas are compared, copied or named |
//! | 6 | [`pagination`]: how each list operation pages (`x-pagination`, the vendors' extensions, or inferred), written as `x-codegen-pagination` | reads the wire names: before `field_names` renames keys and `parameters` renames parameters for Rust, whose naming authority keeps `pages` and `stream` free on the operations it marks |
//! | 7 | [`field_names`]: properties whose Rust field names collide get keys that name them apart, wire names kept | before anything names a schema or a part after a property (`hoist`, `media_types`, `type_names`); after `values`, which judges defaults by property name |
//! | 8 | [`rust_names`]: one Rust name per component (names that sanitize alike, enums listing `null`) | before anything refers to a schema by its name or hoists next to it |
//! | 9 | [`operation_ids`]: derive missing operationIds | later passes name things after the operation |
//! | 10 | [`parameters`]: path parameters required and declared, cookies dropped, `content` typed | before anything indexes parameters |
//! | 11 | [`media_types`]: one request media type; `+json` → JSON | the response pass compares JSON schemas |
//! | 12 | [`event_streams`]: `text/event-stream` event schemas named | before `responses` copies shared responses into operations; its schemas' enums pass 14 names |
//! | 13 | [`responses`]: each error status's schema named and recorded (`x-codegen-error-bodies`), then one success and one error type | may hoist `<Op>Response`, `<Op>Error` and `<Op>Error<Status>` schemas, whose enums pass 14 names |
//! | 14 | [`hoist`]: name inline bodies and enums | last of the passes that write schemas, so that it sees every schema the others wrote |
//! | 15 | [`type_names`]: a nullable composition's member named `<Name>Inner`; every type name typify derives for an inline schema claimed once; one that another type holds hoisted under a fresh name | after `hoist`, the last pass that adds components |
//! | 16 | [`security`]: schemes a requirement names but the document does not declare left out | reads and writes only `security` and `components.securitySchemes`, which no other pass touches; after lowering |
//! | 17 | [`servers`]: the first server's variables replaced by their defaults; one that is relative (or otherwise unreachable as written) left out | reads and writes only `servers`, which no other pass touches; after lowering |
//! | 18 | [`all_of_chains`]: an `allOf` hierarchy too costly for typify to merge flattened into its ancestors' members | last: the passes before it name and rewrite schemas as written; what it changes is only how typify gets to the same merge |
//!
//! Each pass reports what it changed as warnings (and what it cannot
//! change as errors), located by the JSON pointer of the node in the
//! user's source: moves are recorded in [`Origins`]. A pass never
//! panics on a document of the wrong shape: it skips what it does not
//! understand, and the checks of the typed model report it.

pub(crate) mod all_of;
pub(crate) mod all_of_chains;
pub(crate) mod doc;
pub(crate) mod event_streams;
pub(crate) mod field_names;
pub(crate) mod hoist;
pub(crate) mod integer_formats;
pub(crate) mod media_types;
pub(crate) mod openapi31;
pub(crate) mod operation_ids;
pub(crate) mod pagination;
pub(crate) mod parameters;
pub(crate) mod request_bodies;
pub(crate) mod responses;
pub(crate) mod rust_names;
pub(crate) mod schema_keywords;
pub(crate) mod security;
pub(crate) mod servers;
pub(crate) mod sites;
pub(crate) mod type_names;
pub(crate) mod unions;
pub(crate) mod values;

use serde_json::Value;

use crate::document::Origins;
use crate::problems::Finding;

/// The result of normalization.
pub(crate) struct Normalized {
    pub value: Value,
    /// Warnings and errors, pointers already mapped to the source.
    pub findings: Vec<Finding>,
    /// Where moved nodes came from, for mapping validation errors.
    pub origins: Origins,
}

/// One pass, by name (for tests that run passes one at a time).
pub(crate) type Pass = fn(&mut doc::Doc);

/// The passes in the order they run.
pub(crate) const PASSES: [(&str, Pass); 18] = [
    ("openapi31", openapi31::run),
    ("schema_keywords", schema_keywords::run),
    ("unions", unions::run),
    ("all_of", all_of::run),
    ("values", values::run),
    ("pagination", pagination::run),
    ("field_names", field_names::run),
    ("rust_names", rust_names::run),
    ("operation_ids", operation_ids::run),
    ("parameters", parameters::run),
    ("media_types", media_types::run),
    ("event_streams", event_streams::run),
    ("responses", responses::run),
    ("hoist", hoist::run),
    ("type_names", type_names::run),
    ("security", security::run),
    ("servers", servers::run),
    ("all_of_chains", all_of_chains::run),
];

/// Runs every pass on a copy of `value`.
pub(crate) fn normalize(value: &Value) -> Normalized {
    run_passes(value, &PASSES)
}

pub(crate) fn run_passes(value: &Value, passes: &[(&str, Pass)]) -> Normalized {
    let mut doc = doc::Doc::new(value.clone());
    for (_, pass) in passes {
        pass(&mut doc);
    }
    Normalized {
        value: doc.root,
        findings: doc.findings,
        origins: doc.origins,
    }
}
