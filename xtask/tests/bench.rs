//! `cargo xtask synth` and `cargo xtask bench --skip-build` as a maintainer
//! (or CI) runs them: output, exit codes, the JSON report.

mod support;

use support::{text, xtask};

#[test]
fn synth_writes_a_deterministic_spec() {
    let out = xtask(&["synth", "--operations", "7"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let spec = text(&out.stdout);
    assert!(spec.starts_with("openapi: 3.0.3\n"));
    assert_eq!(spec.matches("operationId: ").count(), 7);
    assert_eq!(spec, codegen::synth::spec(7));

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.yaml");
    let path_arg = path.to_string_lossy().into_owned();
    let out = xtask(&["synth", "--operations", "7", "--out", &path_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&path).ok(), Some(spec));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["synth"][..],
        &["synth", "--operations", "many"],
        &["bench", "--sizes", "10,x"],
        &["bench", "--repetitions", "0"],
        &["bench", "--peer-jar", "x.jar"],
    ] {
        let out = xtask(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn bench_without_builds_reports_size_time_and_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("bench.json");
    let json_arg = json.to_string_lossy().into_owned();
    let out = xtask(&[
        "bench",
        "--sizes",
        "2,6",
        "--repetitions",
        "2",
        "--skip-build",
        "--json",
        &json_arg,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("generator"), "{table}");
    assert_eq!(table.lines().count(), 3, "{table}");

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report written"))
            .expect("report is JSON");
    assert_eq!(report["schema"], "alakazam-client/bench/v1");
    assert_eq!(report["repetitions"], 2);
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    for (row, n) in rows.iter().zip([2, 6]) {
        assert_eq!(row["generator"], "codegen");
        assert_eq!(row["operations"], n);
        assert_eq!(
            row["generate_ms"]["samples"].as_array().map(Vec::len),
            Some(2)
        );
        assert!(row["lines"].as_u64() > Some(100), "{row}");
        assert!(row["build"].is_null());
        if cfg!(target_os = "linux") {
            assert!(row["peak_rss_kib"].as_u64() > Some(0), "{row}");
        }
    }
    assert!(rows[1]["bytes"].as_u64() > rows[0]["bytes"].as_u64());
}
