//! One snapshot per normalization pass: `fixtures/normalize_<pass>.yaml`
//! through [`codegen::prepare`], shown as the warnings (rendered like
//! rustc, located in the fixture) followed by the normalized document that
//! the generator (and `cargo xtask diff`) sees. The generated code of the
//! same fixtures is snapshotted by `snapshots.rs`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn normalized(pass: &str) -> String {
    let relative = format!("codegen/tests/fixtures/normalize_{pass}.yaml");
    let bytes = std::fs::read(root().join(&relative)).unwrap();
    let spec = codegen::Spec::from_bytes(relative.as_str(), &bytes).unwrap();
    let prepared = codegen::prepare(&spec).unwrap_or_else(|e| panic!("{relative}:\n{e}"));
    let mut out = String::new();
    for w in &prepared.warnings {
        assert!(!w.is_error(), "{w}");
        out.push_str(&w.to_string());
        out.push('\n');
    }
    out.push_str("---- normalized document\n");
    out.push_str(&serde_yaml::to_string(&prepared.api).unwrap());
    out
}

#[test]
fn openapi31() {
    insta::assert_snapshot!("openapi31", normalized("openapi31"));
}

#[test]
fn unions() {
    insta::assert_snapshot!("unions", normalized("unions"));
}

#[test]
fn values() {
    insta::assert_snapshot!("values", normalized("values"));
}

#[test]
fn operation_ids() {
    insta::assert_snapshot!("operation_ids", normalized("operation_ids"));
}

#[test]
fn parameters() {
    insta::assert_snapshot!("parameters", normalized("parameters"));
}

#[test]
fn media_types() {
    insta::assert_snapshot!("media_types", normalized("media_types"));
}

#[test]
fn responses() {
    insta::assert_snapshot!("responses", normalized("responses"));
}

#[test]
fn hoist() {
    insta::assert_snapshot!("hoist", normalized("hoist"));
}

#[test]
fn security() {
    insta::assert_snapshot!("security", normalized("security"));
}

/// A spec that needs no normalization comes out unchanged (as the typed
/// model sees it) and without warnings.
#[test]
fn a_clean_spec_is_left_alone() {
    let bytes = std::fs::read(root().join("spec/alakazam.yaml")).unwrap();
    let spec = codegen::Spec::from_bytes("spec/alakazam.yaml", &bytes).unwrap();
    let prepared = codegen::prepare(&spec).unwrap();
    assert!(prepared.warnings.is_empty(), "{:?}", prepared.warnings);
    let direct: openapiv3::OpenAPI = serde_json::from_value(spec.value().clone()).unwrap();
    assert_eq!(prepared.api, direct);
}

#[test]
fn field_names() {
    insta::assert_snapshot!("field_names", normalized("field_names"));
}

#[test]
fn servers() {
    insta::assert_snapshot!("servers", normalized("servers"));
}
