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

mod render;
mod rust;
mod schema;
mod verdict;
mod wire;

use serde::Serialize;

pub use render::Report;
pub use verdict::{Bump, Verdict};

use crate::{Error, Prepared, Settings, Spec};

/// Which contract a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// The HTTP contract: what goes over the wire.
    Wire,
    /// The public Rust API of the generated client.
    Rust,
}

impl Layer {
    /// `wire` or `rust`.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Wire => "wire",
            Layer::Rust => "rust",
        }
    }
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What kind of change a [`Change`] is; serialized as the kebab-case
        /// string given with each variant. New kinds may be added.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($(#[$doc])* $variant,)*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The stable name used in reports.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }
        }
    };
}

kinds! {
    /// `operation-added`: a new method on a path.
    OperationAdded = "operation-added",
    /// `operation-removed`: a path or a method removed.
    OperationRemoved = "operation-removed",
    /// `operation-id-changed`: same wire, new `operationId` (the generated
    /// method's name changes; see the rust changes).
    OperationIdChanged = "operation-id-changed",
    /// `operation-deprecated`: marked `deprecated: true`.
    OperationDeprecated = "operation-deprecated",
    /// `path-parameter-renamed`: a `{variable}` of the path template renamed.
    PathParameterRenamed = "path-parameter-renamed",
    /// `parameter-added`.
    ParameterAdded = "parameter-added",
    /// `parameter-removed`.
    ParameterRemoved = "parameter-removed",
    /// `parameter-became-required`.
    ParameterBecameRequired = "parameter-became-required",
    /// `parameter-became-optional`.
    ParameterBecameOptional = "parameter-became-optional",
    /// `request-body-added`.
    RequestBodyAdded = "request-body-added",
    /// `request-body-removed`.
    RequestBodyRemoved = "request-body-removed",
    /// `request-body-became-required`.
    RequestBodyBecameRequired = "request-body-became-required",
    /// `request-body-became-optional`.
    RequestBodyBecameOptional = "request-body-became-optional",
    /// `media-type-changed`: a request or response content type changed.
    MediaTypeChanged = "media-type-changed",
    /// `response-added`: a new status code.
    ResponseAdded = "response-added",
    /// `response-removed`: a status code removed.
    ResponseRemoved = "response-removed",
    /// `response-body-added`: a response that had no body now has one.
    ResponseBodyAdded = "response-body-added",
    /// `response-body-removed`: a response that had a body has none.
    ResponseBodyRemoved = "response-body-removed",
    /// `security-changed`: the API keys an operation needs or accepts.
    SecurityChanged = "security-changed",
    /// `type-changed`: a schema's type (or composition) changed.
    TypeChanged = "type-changed",
    /// `format-changed`: a schema's `format` changed.
    FormatChanged = "format-changed",
    /// `became-nullable`.
    BecameNullable = "became-nullable",
    /// `became-non-nullable`.
    BecameNonNullable = "became-non-nullable",
    /// `enum-value-added`.
    EnumValueAdded = "enum-value-added",
    /// `enum-value-removed`.
    EnumValueRemoved = "enum-value-removed",
    /// `property-added`.
    PropertyAdded = "property-added",
    /// `property-removed`.
    PropertyRemoved = "property-removed",
    /// `property-became-required`.
    PropertyBecameRequired = "property-became-required",
    /// `property-became-optional`.
    PropertyBecameOptional = "property-became-optional",
    /// `constraint-changed`: `maxLength`, `minimum`, `pattern`, an `enum`
    /// introduced or dropped, …
    ConstraintChanged = "constraint-changed",
    /// `additional-properties-changed`: an object opened or closed.
    AdditionalPropertiesChanged = "additional-properties-changed",
    /// `alternative-added`: a `oneOf`/`anyOf` member added.
    AlternativeAdded = "alternative-added",
    /// `alternative-removed`: a `oneOf`/`anyOf` member removed.
    AlternativeRemoved = "alternative-removed",
    /// `schema-changed`: a schema changed in a way no finer kind describes.
    SchemaChanged = "schema-changed",
    /// `default-changed`: the value used when a field is omitted.
    DefaultChanged = "default-changed",
    /// `rust-type-added`.
    RustTypeAdded = "rust-type-added",
    /// `rust-type-removed`.
    RustTypeRemoved = "rust-type-removed",
    /// `rust-type-renamed`: same shape under a new name.
    RustTypeRenamed = "rust-type-renamed",
    /// `rust-type-kind-changed`: e.g. a struct became an enum.
    RustTypeKindChanged = "rust-type-kind-changed",
    /// `rust-derive-added`.
    RustDeriveAdded = "rust-derive-added",
    /// `rust-derive-removed`.
    RustDeriveRemoved = "rust-derive-removed",
    /// `rust-field-added`.
    RustFieldAdded = "rust-field-added",
    /// `rust-field-removed`.
    RustFieldRemoved = "rust-field-removed",
    /// `rust-field-type-changed`.
    RustFieldTypeChanged = "rust-field-type-changed",
    /// `rust-variant-added`.
    RustVariantAdded = "rust-variant-added",
    /// `rust-variant-removed`.
    RustVariantRemoved = "rust-variant-removed",
    /// `rust-variant-changed`: a variant's payload changed.
    RustVariantChanged = "rust-variant-changed",
    /// `rust-method-added`.
    RustMethodAdded = "rust-method-added",
    /// `rust-method-removed`.
    RustMethodRemoved = "rust-method-removed",
    /// `rust-method-signature-changed`.
    RustMethodSignatureChanged = "rust-method-signature-changed",
    /// `rust-item-added`: a builder struct or a static.
    RustItemAdded = "rust-item-added",
    /// `rust-item-removed`.
    RustItemRemoved = "rust-item-removed",
    /// `rust-item-changed`: e.g. a builder's generics.
    RustItemChanged = "rust-item-changed",
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change between two specs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: Kind,
    /// Which contract it is about.
    pub layer: Layer,
    /// Whether it can break clients or code built on the old spec.
    pub breaking: bool,
    /// Where: a JSON pointer into the new spec (the old one for removals)
    /// for wire changes; the item's path in the crate for rust changes.
    pub pointer: String,
    /// One line for people, with the reason for the classification.
    pub message: String,
}

/// The changes between two specs, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Sorted by layer, pointer, kind and message.
    pub changes: Vec<Change>,
    /// What could not be compared (e.g. a side that cannot be generated).
    pub notes: Vec<String>,
}

impl Changes {
    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether any change is breaking.
    pub fn breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// How many changes are breaking.
    pub fn breaking_count(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// How many changes are additive.
    pub fn additive_count(&self) -> usize {
        self.changes.len() - self.breaking_count()
    }

    /// Adds `other`'s changes and notes, keeping the order stable.
    pub fn merge(&mut self, other: Changes) {
        self.changes.extend(other.changes);
        self.notes.extend(other.notes);
        self.finish();
    }

    fn finish(&mut self) {
        self.changes.sort_by(|a, b| {
            (a.layer, &a.pointer, a.kind, &a.message)
                .cmp(&(b.layer, &b.pointer, b.kind, &b.message))
        });
        self.changes.dedup();
    }
}

/// Why generated code could not be compared or a version computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// Generated code that is not Rust (a hand-edited or conflicted file).
    #[error("the {side} generated code does not parse as Rust: {message}")]
    Unparsable {
        /// `old` or `new`.
        side: &'static str,
        /// The parser's message.
        message: String,
    },
    /// A crate version that is not `MAJOR.MINOR.PATCH`.
    #[error("`{0}` is not a semantic version (MAJOR.MINOR.PATCH)")]
    Version(String),
    /// A version with a pre-release or build tag: which release comes next
    /// is a human decision.
    #[error("version `{0}` has a pre-release or build tag; choose the next version by hand")]
    PreRelease(String),
}

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
