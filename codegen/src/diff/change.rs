//! The vocabulary of a comparison: a [`Change`], its [`Kind`] and
//! [`Layer`], the sorted [`Changes`] of two specs, and [`DiffError`].

use serde::Serialize;

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

    pub(super) fn finish(&mut self) {
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
