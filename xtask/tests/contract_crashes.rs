//! `cargo xtask contract` against a mock that dies, throws or hangs: each
//! failure named with its last words, and a new mock for the rest.
//!
//! A test binary of its own: its bounds are one or two seconds per
//! operation, and the harness builds of `contract.rs`'s tests, running
//! beside it in one binary, could take those seconds from it.

mod support;

use std::process::Command;

use support::{root, text};

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
}

/// One `cargo xtask contract` of a spec against the fake mock.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The mock's log (`--prism-log`), in `_dir`.
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Run {
    /// `None` (and a note) where node, which the fake mock runs on, is missing.
    /// `name` names the spec file, and so the harness crate: one per test.
    fn of(name: &str, spec_text: &str, extra: &[&str]) -> Option<Run> {
        if !on_path("node") {
            eprintln!("skipped: node is not on PATH (the fake mock runs on it)");
            return None;
        }
        let dir = tempfile::tempdir().expect("a temp dir");
        let spec = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&spec, spec_text).expect("the spec is written");
        let log = dir.path().join("mock.log");
        let fake = root().join("xtask/tests/support/fake_prism.js");
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["contract", &spec.to_string_lossy()])
            .args(extra)
            .arg("--prism-log")
            .arg(&log)
            .env("XTASK_CONTRACT_PRISM", &fake)
            .env("NO_COLOR", "1")
            .output()
            .expect("xtask runs");
        Some(Run {
            code: out.status.code(),
            stdout: text(&out.stdout),
            stderr: text(&out.stderr),
            log,
            _dir: dir,
        })
    }

    /// The line of operation `id`.
    fn line(&self, id: &str) -> String {
        self.stdout
            .lines()
            .find(|l| l.contains(&format!("operation  {id} ")))
            .unwrap_or_else(|| panic!("no line for {id}: {}", self.stdout))
            .to_owned()
    }
}

/// A spec whose operations the fake mock (tests/support/fake_prism.js)
/// fails on cue, by path, with one it answers between and after them.
const CRASHING: &str = r#"openapi: 3.0.3
info: {title: Crashing mock, version: "1"}
paths:
  /die:
    get:
      operationId: dies
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /ok:
    get:
      operationId: survives
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /internal:
    get:
      operationId: throws
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /hang:
    get:
      operationId: hangs
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /after:
    get:
      operationId: after
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
"#;

#[test]
fn a_mock_that_dies_throws_or_hangs_is_named_and_started_again() {
    let Some(run) = Run::of("crashing_mock", CRASHING, &["--operation-timeout", "2"]) else {
        return;
    };
    let (stdout, stderr, log) = (&run.stdout, &run.stderr, &run.log);
    assert_eq!(run.code, Some(1), "{stdout}{stderr}");
    let line = |id: &str| run.line(id);
    // Each failure says what the mock did, with its last words.
    let dies = line("dies");
    assert!(
        dies.starts_with("FAIL")
            && dies.contains("Prism exited (exit status: 1)")
            && dies.contains(
                "TypeError: fake crash (reading 'split') at deserializeArray (fake/simple.js:20:38)"
            ),
        "{dies}"
    );
    let throws = line("throws");
    assert!(
        throws.starts_with("FAIL")
            && throws.contains(
                "its own internal error (HTTP 500: RangeError: Maximum call stack size exceeded)"
            )
            && throws.contains("last words: ")
            && throws.contains("Request terminated with error: RangeError"),
        "{throws}"
    );
    let hangs = line("hangs");
    assert!(
        hangs.starts_with("FAIL") && hangs.contains("did not answer within the operation's 2 s"),
        "{hangs}"
    );
    // The operations after each crash reach a mock started again.
    for id in ["survives", "after"] {
        assert!(line(id).starts_with("ok"), "{stdout}");
    }
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l == "2 passed, 3 failed, 0 skipped"),
        "{stdout}"
    );
    assert!(stderr.contains("was started again"), "{stderr}");
    // One log for every mock of the run: the first one's last words stay.
    let written = std::fs::read_to_string(log).unwrap_or_default();
    assert!(
        written.contains("fake crash") && written.matches("fake prism listening").count() > 2,
        "{written}"
    );
}

/// Two operations answering one schema the fake mock's generator runs out
/// of heap on (`/heap…`), the first with an optional parameter (so two
/// calls), and one of another schema that it answers as generated.
const EXHAUSTING: &str = r##"openapi: 3.0.3
info: {title: Exhausting mock, version: "1"}
paths:
  /heap:
    get:
      operationId: exhausts
      parameters:
        - {name: deep, in: query, schema: {type: boolean}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Things"}}}}
  /heap-too:
    get:
      operationId: exhaustsToo
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Things"}}}}
  /ok:
    get:
      operationId: survives
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
components:
  schemas:
    Things: {type: array, items: {type: string}}
"##;

/// Prism out of heap making an answer costs one restart for the run, not
/// one per call: the call is made again asking for the static answer, and
/// so is every later call answered by the same schema.
#[test]
fn an_answer_the_generator_runs_out_on_is_asked_for_statically_after() {
    let Some(run) = Run::of("exhausting_mock", EXHAUSTING, &[]) else {
        return;
    };
    let (stdout, stderr) = (&run.stdout, &run.stderr);
    assert_eq!(run.code, Some(0), "{stdout}{stderr}");
    let line = |id: &str| run.line(id);
    let exhausts = line("exhausts");
    assert!(
        exhausts.starts_with("skip")
            && exhausts.contains("Prism accepted the request, then ran out making the answer")
            && exhausts.contains("JavaScript heap out of memory"),
        "{exhausts}"
    );
    let too = line("exhaustsToo");
    assert!(
        too.starts_with("skip") && too.contains("when `exhausts` was called"),
        "{too}"
    );
    assert!(line("survives").starts_with("ok"), "{stdout}");
    assert!(stderr.contains("Prism crashed 1 time(s)"), "{stderr}");
}
