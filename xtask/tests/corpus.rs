//! `cargo xtask corpus DIR`: one line per spec, the summary, exit codes.
//! `--no-check` keeps these tests fast; CI runs the compiling variant on
//! the fixtures.

mod support;

use support::{root, text, xtask};

use std::process::Output;

fn corpus(args: &[&str]) -> Output {
    let mut all = vec!["corpus"];
    all.extend_from_slice(args);
    xtask(&all)
}

#[test]
fn one_line_per_spec_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("spec/alakazam.yaml"),
        dir.path().join("a-good.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("codegen/tests/fixtures/normalize_operation_ids.yaml"),
        dir.path().join("b-warnings.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("c-swagger.json"),
        r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a spec").unwrap();
    let d = dir.path().to_str().unwrap();

    let reports = tempfile::tempdir().unwrap();
    let report = reports.path().join("report.json");
    let out = corpus(&[d, "--no-check", "--report", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // The coverage line of each spec that generated follows its line.
    let coverage: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("coverage: "))
        .collect();
    assert_eq!(coverage.len(), 2, "{stdout}");
    assert!(
        coverage[0].ends_with(
            "coverage: 1/1 operations typed, 4/4 schemas typed (100.0 %), 0 any by the spec"
        ),
        "{stdout}"
    );
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.trim_start().starts_with("coverage: "))
        .collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[0].starts_with("ok    a-good.yaml"), "{stdout}");
    assert!(lines[0].contains("0 warnings"), "{stdout}");
    assert!(lines[1].starts_with("ok    b-warnings.yaml"), "{stdout}");
    assert!(lines[1].contains("5 warnings"), "{stdout}");
    assert!(lines[2].starts_with("FAIL  c-swagger.json"), "{stdout}");
    // The report: one entry per spec, machine-readable.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let entries = report.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["spec"], "a-good.yaml");
    assert_eq!(entries[0]["coverage"]["schemas"], 4);
    assert_eq!(entries[2]["ok"], false);
    assert!(entries[2]["coverage"].is_null());
    assert!(
        lines[2].contains("c-swagger.json:1:13: Swagger 2.0 documents are not supported"),
        "{stdout}"
    );
    assert_eq!(lines[3], "2 passed, 1 failed");
    assert!(text(&out.stderr).contains("1 of 3 specs failed"));

    // Warnings denied: the normalized spec fails too.
    std::fs::remove_file(dir.path().join("c-swagger.json")).unwrap();
    let out = corpus(&[d, "--no-check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("FAIL  b-warnings.yaml  5 warnings denied; first: "),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 passed, 1 failed\n"), "{stdout}");

    std::fs::remove_file(dir.path().join("b-warnings.yaml")).unwrap();
    let out = corpus(&[d, "--no-check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn usage_and_missing_directories() {
    assert_eq!(corpus(&[]).status.code(), Some(2));
    let out = corpus(&["/nonexistent/specs"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: cannot read /nonexistent/specs"));
    let empty = tempfile::tempdir().unwrap();
    let out = corpus(&[empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no .yaml, .yml or .json file"));
}
