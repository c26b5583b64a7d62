//! `codegen::diff` on pairs of fixture specs, one per kind of change:
//! `tests/diff/<case>/old.yaml` and `new.yaml` (or `new.json`). Each
//! case's human and JSON reports are guarded by insta; the classification
//! and the semver verdict (relative to 0.1.0) are asserted here too, so a
//! snapshot accepted by mistake cannot flip them silently.

use std::path::{Path, PathBuf};

use codegen::diff::{self, Bump, Changes, Layer, Report, Verdict};

/// What a case must yield.
struct Expect {
    case: &'static str,
    /// Any breaking change, either layer.
    breaking: bool,
    /// The verdict for a crate at 0.1.0.
    bump: Bump,
    /// Whether the wire layer alone sees no change.
    wire_unchanged: bool,
}

const fn case(case: &'static str, breaking: bool, bump: Bump, wire_unchanged: bool) -> Expect {
    Expect {
        case,
        breaking,
        bump,
        wire_unchanged,
    }
}

const CASES: &[Expect] = &[
    // No change at all: structure is what is compared.
    case("rename-ref-target", false, Bump::None, true),
    case("reorder-keys", false, Bump::None, true),
    case("json-syntax", false, Bump::None, true),
    case("docs-only", false, Bump::None, true),
    // Operations.
    case("operation-added", false, Bump::Patch, false),
    case("operation-removed", true, Bump::Minor, false),
    case("operation-id-changed", true, Bump::Minor, false),
    // Parameters.
    case("parameter-added-required", true, Bump::Minor, false),
    case("parameter-added-optional", false, Bump::Patch, false),
    case("parameter-became-required", true, Bump::Minor, false),
    case("path-parameter-format-dropped", true, Bump::Minor, false),
    // Request bodies.
    case("request-property-required", true, Bump::Minor, false),
    case("request-property-added", false, Bump::Patch, false),
    case("request-constraint-tightened", true, Bump::Minor, false),
    case("request-enum-value-added", true, Bump::Minor, false),
    // Responses.
    case("response-property-removed", true, Bump::Minor, false),
    case("response-property-type-changed", true, Bump::Minor, false),
    case("response-property-nullable", true, Bump::Minor, false),
    case("response-property-added", false, Bump::Patch, false),
    case("response-enum-value-added", true, Bump::Minor, false),
    case("response-enum-value-added-closed", true, Bump::Minor, false),
    case("enum-value-removed", true, Bump::Minor, false),
    // Security.
    case("security-now-secret-key", true, Bump::Minor, false),
    // The wire is unchanged, the Rust type is renamed.
    case("rename-schema-component", true, Bump::Minor, true),
    // The same, with the old name kept as a deprecated alias.
    case("rename-schema-component-kept", false, Bump::Patch, true),
    // Cyclic schemas terminate, and a change inside them is found.
    case("recursive-schema", true, Bump::Minor, false),
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

fn load(case: &str, side: &str) -> codegen::Spec {
    let base = dir().join(case);
    let path = ["yaml", "json"]
        .iter()
        .map(|ext| base.join(format!("{side}.{ext}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{case}: no {side}.yaml or {side}.json"));
    codegen::Spec::load(&path).unwrap_or_else(|e| panic!("{case}/{side}: {e}"))
}

fn compare(case: &str) -> Changes {
    diff::compare(
        &load(case, "old"),
        &load(case, "new"),
        &codegen::Settings::default(),
    )
    .unwrap_or_else(|e| panic!("{case}: {e}"))
}

fn verdict(changes: &Changes) -> Verdict {
    Verdict::new("alakazam-client", changes, "0.1.0").unwrap()
}

#[test]
fn every_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.case.to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    assert!(CASES.len() >= 15);
}

#[test]
fn fixtures() {
    for expect in CASES {
        let case = expect.case;
        let changes = compare(case);
        let verdict = verdict(&changes);
        assert_eq!(changes.breaking(), expect.breaking, "{case}: breaking");
        assert_eq!(verdict.bump, expect.bump, "{case}: bump");
        let wire = changes.changes.iter().filter(|c| c.layer == Layer::Wire);
        assert_eq!(
            wire.count() == 0,
            expect.wire_unchanged,
            "{case}: wire changes"
        );
        assert!(changes.notes.is_empty(), "{case}: {:?}", changes.notes);
        let old = format!("{case}/old");
        let new = format!("{case}/new");
        let report = Report {
            old: &old,
            new: &new,
            changes: &changes,
            verdict: Some(&verdict),
        };
        let text = format!("{}\n---- JSON ----\n{}", report.human(false), report.json());
        insta::assert_snapshot!(format!("diff_{case}"), text);
    }
}

/// A new value of a response enum: old clients decode it into `Unknown`
/// (additive on the wire) unless the spec generates closed enums; the new
/// variant breaks exhaustive matches either way.
#[test]
fn a_new_response_enum_value_breaks_the_wire_only_for_closed_enums() {
    for (case, wire_breaking) in [
        ("response-enum-value-added", false),
        ("response-enum-value-added-closed", true),
    ] {
        let changes = compare(case);
        let wire: Vec<_> = changes
            .changes
            .iter()
            .filter(|c| c.layer == Layer::Wire)
            .collect();
        assert_eq!(wire.len(), 1, "{case}: {wire:#?}");
        assert_eq!(wire[0].kind, diff::Kind::EnumValueAdded);
        assert_eq!(
            wire[0].breaking, wire_breaking,
            "{case}: {}",
            wire[0].message
        );
        assert!(
            changes
                .changes
                .iter()
                .any(|c| c.layer == Layer::Rust && c.breaking),
            "{case}: the new variant breaks exhaustive matches"
        );
    }
}

#[test]
fn no_change_means_an_empty_report() {
    for case in [
        "rename-ref-target",
        "reorder-keys",
        "json-syntax",
        "docs-only",
    ] {
        let changes = compare(case);
        assert!(changes.is_empty(), "{case}: {:#?}", changes.changes);
    }
}

#[test]
fn wire_diff_of_prepared_specs() {
    // The wire layer alone, through the public prepare() stage.
    let prepare = |case, side| codegen::prepare(&load(case, side)).unwrap();
    let old = prepare("response-property-removed", "old");
    let new = prepare("response-property-removed", "new");
    let changes = diff::diff(&old, &new);
    assert_eq!(changes.changes.len(), 1);
    let c = &changes.changes[0];
    assert_eq!(c.kind, diff::Kind::PropertyRemoved);
    assert!(c.breaking);
    assert_eq!(c.pointer, "/components/schemas/Character/properties/slug");
    // Diffing a spec with itself finds nothing.
    assert!(diff::diff(&old, &old).is_empty());
}

#[test]
fn markdown_report() {
    let changes = compare("security-now-secret-key");
    let verdict = verdict(&changes);
    let report = Report {
        old: "old.yaml",
        new: "new.yaml",
        changes: &changes,
        verdict: Some(&verdict),
    };
    insta::assert_snapshot!("diff_markdown", report.markdown());
}

#[test]
fn colour_only_when_asked() {
    let changes = compare("operation-removed");
    let report = Report {
        old: "a",
        new: "b",
        changes: &changes,
        verdict: None,
    };
    assert!(!report.human(false).contains('\x1b'));
    assert!(report.human(true).contains("\x1b[31m"));
}

#[test]
fn generated_code_that_is_not_rust_is_an_error() {
    let err = diff::diff_generated("pub mod types {", "").unwrap_err();
    assert!(matches!(
        err,
        diff::DiffError::Unparsable { side: "old", .. }
    ));
}
