//! Spec evolution: what changed between two specs, what it breaks for code
//! that depends on `alakazam-client`, and which version comes next.
//!
//! Two layers are compared, and each [`Change`] says which one it is about:
//!
//! - **wire** ([`diff`]): the HTTP contract, read from the typed documents
//!   that [`crate::prepare`] returns, so both sides went through the same
//!   loader and normalizations as `regen`. Operations are matched by method
//!   and path template (variable names ignored), parameters by location and
//!   name (path parameters by position), responses by status code. Every
//!   `$ref` is resolved and compared by structure: renaming a component and
//!   updating its references is no wire change. Recursive schemas are
//!   walked once per pair of components and direction (the cycle guard).
//! - **rust** ([`diff_generated`]): the public API of the generated client,
//!   read from the code itself (`syn`), so that what is reported is exactly
//!   what `progenitor` emits rather than a guess of its naming rules: the
//!   types of `mod types` (fields, variants, derives) and their
//!   constructors (`new`, `builder`), the methods of `Client`, the
//!   operation builders of `mod builder` with their method signatures, and
//!   the statics of `mod operations`. The setters of request types mirror
//!   the fields and are not listed.
//!
//! [`compare`] runs both on two loaded specs.
//!
//! # How changes are classified
//!
//! A change is *breaking* when a client built from the old spec, or code
//! written against the old generated API, can fail once the new spec is in
//! force; everything else is *additive*. Where a schema is used matters:
//! requests are what clients send, responses what they decode.
//!
//! | change | request | response |
//! |---|---|---|
//! | property added | breaking if required, else additive | additive (breaking if the object was `additionalProperties: false`) |
//! | property removed | breaking | breaking |
//! | property becomes required | breaking | additive |
//! | property becomes optional | additive | breaking |
//! | becomes nullable | additive | breaking |
//! | becomes non-nullable | breaking | additive |
//! | type changed | breaking | breaking |
//! | format changed | additive if dropped, else breaking | breaking |
//! | enum value added | additive | additive if the enum is open, else breaking |
//! | enum value removed | breaking | breaking |
//! | constraint tightened (`maxLength`, `minimum`, `pattern`, …) | breaking | additive |
//! | constraint loosened | additive | breaking |
//! | `oneOf`/`anyOf` alternative added | additive | breaking |
//! | `oneOf`/`anyOf` alternative removed | breaking | additive |
//!
//! A new enum value in a response: string enums are generated open (an
//! `Unknown(String)` variant), so an old client decodes it and the wire
//! change is additive; where the spec switched that off
//! (`x-codegen-open-enums: false`, `x-codegen-open-enum: false`) an old
//! client fails to decode it, which is breaking. Either way the generated
//! enum gains a variant, which breaks exhaustive `match`es (the Rust
//! layer reports that). Why a removed enum value is
//! breaking in both directions: clients may still send it, and the
//! generated enum loses the variant that code matches on.
//!
//! Operations: a new operation is additive, a removed one (path or method)
//! breaking. A new required parameter or required request body is breaking,
//! a new optional one additive; a removed parameter is breaking (the server
//! no longer honours what clients send). A removed response status or a
//! changed media type is breaking. Security: an operation that needs a key
//! where it needed none, or that no longer accepts a key kind it accepted
//! (for example "now needs a secret key"), is breaking; accepting more is
//! additive. Descriptions, summaries, examples, tags, servers, response
//! headers, links and callbacks are not compared (progenitor generates
//! nothing typed from them); a changed `default` is reported as additive.
//! `oneOf`/`anyOf` members are matched by position.
//!
//! Generated Rust API: a removed or renamed type, field, variant, method or
//! static, a changed field type or method signature, and a dropped derive
//! (`Default` goes when a field becomes required, `Eq`/`Hash` when a float
//! appears) are breaking. A new variant is breaking too (exhaustive
//! `match`es stop compiling) unless the enum is `#[non_exhaustive]`. A new
//! struct field is additive: the generated structs are built with their
//! constructors and setters (`Type::builder()`, `Type::new(..)`) or
//! `..Default::default()`, and exhaustive
//! struct literals of generated types are outside the crate's compatibility
//! promise. Renaming a schema component renames its Rust type, so it is
//! reported (once, as `rust-type-renamed`) even though the wire is
//! unchanged; renaming a parameter, response or request-body component is
//! no change at all.
//!
//! # JSON report (`--format json`), format 1
//!
//! ```json
//! {
//!   "format": 1,
//!   "old": "spec/alakazam.yaml@HEAD",
//!   "new": "spec/alakazam.yaml",
//!   "breaking": true,
//!   "counts": { "breaking": 1, "additive": 0 },
//!   "verdict": {
//!     "crate": "alakazam-client",
//!     "current": "0.1.0",
//!     "bump": "minor",
//!     "next": "0.2.0",
//!     "reason": "breaking changes before 1.0 bump the minor version"
//!   },
//!   "changes": [
//!     {
//!       "kind": "property-removed",
//!       "layer": "wire",
//!       "breaking": true,
//!       "pointer": "/components/schemas/Character/properties/slug",
//!       "message": "property `Character.slug` removed [response]: clients that read it get nothing"
//!     }
//!   ],
//!   "notes": []
//! }
//! ```
//!
//! - `format`: this schema's version; fields are only ever added within it.
//! - `breaking`: whether any change is breaking (what `--fail-on breaking`
//!   tests); `counts` splits `changes` by classification.
//! - `verdict`: `null` when no crate version was given; `bump` is one of
//!   `none`, `patch`, `minor`, `major` (see [`Bump`]); `next` equals
//!   `current` when `bump` is `none`.
//! - `changes`: sorted by layer, pointer and kind. `kind` is one of the
//!   strings of [`Kind`], `layer` is `wire` or `rust`. For wire changes,
//!   `pointer` is an RFC 6901 JSON pointer into the new spec (into the old
//!   one for removals); for rust changes it is the item's path in the
//!   crate (`types::Character::slug`). `message` is for people and may
//!   change wording between versions.
//! - `notes`: what could not be compared, for people.

mod change;
mod components;
mod findings;
mod render;
mod rust;
mod schema;
mod verdict;
mod wire;

pub use change::{Change, Changes, DiffError, Kind, Layer};
pub use render::Report;
pub use verdict::{Bump, Verdict};

use crate::{Error, Prepared, Settings, Spec};

/// Wire changes between two prepared specs (see the module docs).
pub fn diff(old: &Prepared, new: &Prepared) -> Changes {
    let mut changes = Changes {
        changes: wire::diff(&old.api, &new.api),
        notes: Vec::new(),
    };
    changes.finish();
    changes
}

/// Changes of the public Rust API between two generated clients (the text
/// `codegen::generate` returns, or a checked-in `generated.rs`).
pub fn diff_generated(old_code: &str, new_code: &str) -> Result<Changes, DiffError> {
    let mut changes = Changes {
        changes: rust::diff(old_code, new_code)?,
        notes: Vec::new(),
    };
    changes.finish();
    Ok(changes)
}

/// Both layers for two loaded specs: prepares both (an invalid spec is an
/// error), diffs the wire, then generates both clients and diffs their
/// Rust API. A side that validates but cannot be generated leaves a note
/// instead of the Rust changes.
pub fn compare(old: &Spec, new: &Spec, settings: &Settings) -> Result<Changes, Error> {
    let old_prepared = crate::prepare(old)?;
    let new_prepared = crate::prepare(new)?;
    let mut changes = diff(&old_prepared, &new_prepared);
    let generated = crate::generate(old, settings)
        .map_err(|e| ("old", old.name(), e))
        .and_then(|o| {
            crate::generate(new, settings)
                .map(|n| (o, n))
                .map_err(|e| ("new", new.name(), e))
        });
    match generated {
        Ok((o, n)) => match diff_generated(&o.code, &n.code) {
            Ok(rust) => changes.merge(rust),
            Err(e) => changes
                .notes
                .push(format!("the Rust API was not compared: {e}")),
        },
        Err((side, name, e)) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default();
            changes.notes.push(format!(
                "the Rust API was not compared: the {side} spec ({name}) cannot be generated: {first}"
            ));
        }
    }
    Ok(changes)
}
