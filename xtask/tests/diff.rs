//! `cargo xtask diff` and regen's API summary as a maintainer (or CI) runs
//! them: exit codes, the JSON report, `--bump`, `--git`.

mod support;

use support::{root, text, xtask};

use std::path::Path;
use std::process::{Command, Output};

fn fixture(case: &str, side: &str) -> String {
    root()
        .join("codegen/tests/diff")
        .join(case)
        .join(format!("{side}.yaml"))
        .display()
        .to_string()
}

fn diff(case: &str, extra: &[&str]) -> Output {
    let (old, new) = (fixture(case, "old"), fixture(case, "new"));
    let mut args = vec!["diff", old.as_str(), new.as_str()];
    args.extend_from_slice(extra);
    xtask(&args)
}

#[test]
fn fail_on_breaking_exits_1_only_for_breaking_changes() {
    let breaking = diff("response-property-removed", &["--fail-on", "breaking"]);
    assert_eq!(
        breaking.status.code(),
        Some(1),
        "{}",
        text(&breaking.stderr)
    );
    assert!(text(&breaking.stdout).contains("property-removed"));
    assert!(text(&breaking.stderr).contains("breaking API changes found"));

    let additive = diff("response-property-added", &["--fail-on", "breaking"]);
    assert_eq!(
        additive.status.code(),
        Some(0),
        "{}",
        text(&additive.stderr)
    );

    let unchanged = diff("reorder-keys", &["--fail-on", "breaking"]);
    assert_eq!(unchanged.status.code(), Some(0));
    assert!(text(&unchanged.stdout).contains("no API changes"));

    // Without --fail-on a breaking change is reported, not a failure.
    assert_eq!(
        diff("response-property-removed", &[]).status.code(),
        Some(0)
    );
    // --fail-on any trips on additive changes too.
    assert_eq!(
        diff("response-property-added", &["--fail-on", "any"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn json_report_has_the_documented_fields() {
    let out = diff("enum-value-removed", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["format"], 1);
    assert_eq!(doc["breaking"], true);
    assert_eq!(doc["verdict"]["crate"], "alakazam-client");
    let changes = doc["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    for c in changes {
        for key in ["kind", "layer", "breaking", "pointer", "message"] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    assert!(changes.iter().any(|c| c["kind"] == "enum-value-removed"
        && c["pointer"] == "/components/schemas/Visibility/enum"));
}

#[test]
fn markdown_report() {
    let out = diff("operation-added", &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let md = text(&out.stdout);
    assert!(md.starts_with("### API changes"), "{md}");
    assert!(md.contains("| wire | `operation-added` |"), "{md}");
}

#[test]
fn bump_rewrites_only_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("Cargo.toml");
    let original = "[package]\nname = \"demo\"\nversion   =   \"0.3.1\"   # keep me\nedition = \"2024\"\n\n[dependencies]\n";
    std::fs::write(&manifest, original).unwrap();
    let m = manifest.display().to_string();
    // The lock file's entry for the crate follows; a registry package of the
    // same name and version does not.
    let lock = dir.path().join("Cargo.lock");
    let lock_text = "version = 4\n\n[[package]]\nname = \"demo\"\nversion = \"0.3.1\"\ndependencies = [\n \"serde\",\n]\n\n[[package]]\nname = \"demo\"\nversion = \"0.3.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    std::fs::write(&lock, lock_text).unwrap();
    let locked = |version: &str| lock_text.replacen("0.3.1", version, 1);

    let out = diff(
        "response-property-removed",
        &["--manifest", m.as_str(), "--bump"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("0.3.1 → 0.4.0"));
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        original.replace("0.3.1", "0.4.0")
    );
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), locked("0.4.0"));

    // An additive change on top: the patch position.
    let out = diff(
        "response-property-added",
        &["--manifest", m.as_str(), "--bump"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        original.replace("0.3.1", "0.4.1")
    );
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), locked("0.4.1"));

    // No change: nothing is written.
    let out = diff("docs-only", &["--manifest", m.as_str(), "--bump"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("stays at 0.4.1"));
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        original.replace("0.3.1", "0.4.1")
    );
}

#[test]
fn bump_refuses_a_version_it_cannot_reason_about() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("Cargo.toml");
    let original = "[package]\nname = \"demo\"\nversion = \"1.0.0-rc.1\"\n";
    std::fs::write(&manifest, original).unwrap();
    let m = manifest.display().to_string();
    let out = diff(
        "response-property-removed",
        &["--manifest", m.as_str(), "--bump"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("pre-release"));
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), original);
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs")
        .status;
    assert!(status.success(), "git {args:?}");
}

#[test]
fn git_compares_a_revision_with_the_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::copy(fixture("security-now-secret-key", "old"), &spec).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "spec.yaml"]);
    git(dir.path(), &["commit", "-q", "-m", "old"]);
    std::fs::copy(fixture("security-now-secret-key", "new"), &spec).unwrap();

    let s = spec.display().to_string();
    let out = xtask(&[
        "diff",
        "--git",
        "HEAD",
        "--spec",
        &s,
        "--format",
        "json",
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["changes"][0]["kind"], "security-changed");
    assert!(doc["old"].as_str().unwrap().ends_with("@HEAD"));

    let missing = xtask(&["diff", "--git", "no-such-rev", "--spec", &s]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("at no-such-rev"));
}

#[test]
fn usage_errors_exit_2_and_bad_specs_exit_1() {
    assert_eq!(xtask(&["diff"]).status.code(), Some(2));
    let old = fixture("docs-only", "old");
    assert_eq!(xtask(&["diff", &old]).status.code(), Some(2));
    assert_eq!(
        xtask(&["diff", &old, "--git", "HEAD"]).status.code(),
        Some(2)
    );
    assert_eq!(
        xtask(&["diff", &old, &old, "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        xtask(&["diff", "--git", "--output=x"]).status.code(),
        Some(2)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo: [\n").unwrap();
    let out = xtask(&["diff", &old, &bad.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("bad.yaml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn regen_prints_what_changed_since_the_last_regen() {
    let dir = tempfile::tempdir().unwrap();
    // A crate around the output, for the verdict.
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"demo\"\nversion = \"1.2.3\"\n",
    )
    .unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::copy(fixture("response-property-removed", "old"), &spec).unwrap();
    let out = dir.path().join("src/generated.rs");
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let (s, o) = (spec.display().to_string(), out.display().to_string());
    let regen = || xtask(&["regen", "--spec", &s, "--out", &o]);

    let first = regen();
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(dir.path().join("src/generated.spec.yaml").exists());

    std::fs::copy(fixture("response-property-removed", "new"), &spec).unwrap();
    let second = regen();
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    let summary = text(&second.stdout);
    assert!(summary.contains("property-removed"), "{summary}");
    assert!(summary.contains("rust-field-removed"), "{summary}");
    assert!(
        summary.contains("major bump for demo: 1.2.3 → 2.0.0"),
        "{summary}"
    );

    // A regen that changes only documentation says so.
    let edited = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("summary: List characters", "summary: List all characters");
    std::fs::write(&spec, edited).unwrap();
    let third = regen();
    assert_eq!(third.status.code(), Some(0));
    assert_eq!(text(&third.stdout), "regen: no API changes\n");

    // The kept copy is checked like the code.
    std::fs::write(dir.path().join("src/generated.spec.yaml"), "stale\n").unwrap();
    let check = xtask(&["regen", "--spec", &s, "--out", &o, "--check"]);
    assert_eq!(check.status.code(), Some(1));
}
