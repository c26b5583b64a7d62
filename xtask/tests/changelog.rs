//! The crate's CHANGELOG.md as the tools keep it: `regen` records the API
//! changes under Unreleased, `diff --bump` moves them under the version.

mod support;

use std::process::{Command, Output};

use support::{root, text};

fn fixture(case: &str, side: &str) -> std::path::PathBuf {
    root()
        .join("codegen/tests/diff")
        .join(case)
        .join(format!("{side}.yaml"))
}

/// `cargo xtask ARGS` on a fixed day (2026-12-01, UTC).
fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .output()
        .expect("xtask runs")
}

#[test]
fn regen_records_changes_and_bump_releases_them() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("Cargo.toml");
    std::fs::write(
        &manifest,
        "[package]\nname = \"demo\"\nversion = \"1.2.3\"\nrepository = \"https://example.com/demo\"\n",
    )
    .unwrap();
    let log = dir.path().join("CHANGELOG.md");
    let spec = dir.path().join("spec.yaml");
    let case = "response-property-removed";
    std::fs::copy(fixture(case, "old"), &spec).unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let out = dir.path().join("src/generated.rs");
    let (s, o) = (spec.display().to_string(), out.display().to_string());
    let regen = || {
        let r = xtask(&["regen", "--spec", &s, "--out", &o]);
        assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
        r
    };

    // The first generation has nothing to compare with: no changelog.
    regen();
    assert!(!log.exists());

    std::fs::copy(fixture(case, "new"), &spec).unwrap();
    let second = regen();
    assert!(
        text(&second.stderr).contains("recorded the API changes under Unreleased"),
        "{}",
        text(&second.stderr)
    );
    let recorded = std::fs::read_to_string(&log).unwrap();
    assert!(recorded.starts_with("# Changelog\n"), "{recorded}");
    assert!(recorded.contains("[Keep a Changelog]"), "{recorded}");
    let unreleased = recorded
        .split_once("## [Unreleased]\n\n### Removed\n\n")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no Removed group under Unreleased:\n{recorded}"));
    assert!(
        unreleased.contains(
            "- **Breaking:** property `Character.slug` removed [response]: clients that read it get nothing (wire, `#/"
        ),
        "{recorded}"
    );
    assert!(unreleased.contains("(rust, `types::"), "{recorded}");
    assert!(!recorded.contains("### Added"), "{recorded}");
    // No release yet: no tag to compare Unreleased with.
    assert!(!recorded.contains("]: https://example.com"), "{recorded}");

    // Nothing new: the changelog is left alone, even when the code changes.
    let edited = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("summary: List characters", "summary: List all characters");
    std::fs::write(&spec, edited).unwrap();
    let third = regen();
    assert_eq!(text(&third.stdout), "regen: no API changes\n");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), recorded);

    // A hand-written entry beside the tool's survives the release.
    let with_fix = format!("{recorded}\n### Fixed\n\n- a retry bug\n");
    std::fs::write(&log, &with_fix).unwrap();
    let (old, new) = (fixture(case, "old"), fixture(case, "new"));
    let m = manifest.display().to_string();
    let bump = xtask(&[
        "diff",
        &old.display().to_string(),
        &new.display().to_string(),
        "--manifest",
        &m,
        "--bump",
    ]);
    assert_eq!(bump.status.code(), Some(0), "{}", text(&bump.stderr));
    assert!(
        text(&bump.stderr).contains("changes recorded in"),
        "{}",
        text(&bump.stderr)
    );
    assert!(
        std::fs::read_to_string(&manifest)
            .unwrap()
            .contains("version = \"2.0.0\"")
    );
    let released = std::fs::read_to_string(&log).unwrap();
    let (head, section) = released
        .split_once("## [Unreleased]\n\n## [2.0.0] - 2026-12-01\n\n")
        .unwrap_or_else(|| panic!("no empty Unreleased then 2.0.0:\n{released}"));
    assert!(head.starts_with("# Changelog\n"));
    assert!(
        section.starts_with("### Removed\n\n- **Breaking:** "),
        "{released}"
    );
    assert!(
        released.ends_with(
            "\n\n[Unreleased]: https://example.com/demo/compare/v2.0.0...HEAD\n[2.0.0]: https://example.com/demo/releases/tag/v2.0.0\n"
        ),
        "{released}"
    );
    assert!(
        section.contains("### Fixed\n\n- a retry bug\n"),
        "{released}"
    );
    assert_eq!(
        section.matches("\n- ").count(),
        with_fix.matches("\n- ").count(),
        "every entry moved once:\n{released}"
    );
}
