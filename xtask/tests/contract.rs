//! `cargo xtask contract`: its report on a fixture, the error without
//! node, and no Prism left behind when the run is interrupted.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{root, text};

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
}

fn fixture(name: &str) -> String {
    root()
        .join("codegen/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn without_node_it_says_what_to_install() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["contract", &fixture("params.yaml")])
        .env("PATH", "/nonexistent")
        .output()
        .expect("xtask runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("`node` is not on PATH") && stderr.contains("apt-get install nodejs npm"),
        "{stderr}"
    );
}

/// Whether a process of that id is alive and is Prism (ids are reused).
fn prism_alive(pid: u32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).contains("prism"))
        .unwrap_or(false)
}

#[test]
fn reports_every_operation_and_leaves_no_prism_behind() {
    if !on_path("node") || !on_path("npm") {
        eprintln!("skipped: node and npm are not on PATH (Prism needs them)");
        return;
    }
    let log = tempfile::NamedTempFile::new().expect("a temp file");
    let log_path = log.path().to_string_lossy().into_owned();
    let out = support::xtask(&[
        "contract",
        &fixture("params.yaml"),
        "--prism-log",
        &log_path,
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("ok    operation  "), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l.ends_with("passed, 0 failed, 0 skipped")),
        "{stdout}"
    );
    // Prism's own findings, readable by anyone.
    let prism_log = std::fs::read_to_string(log.path()).unwrap_or_default();
    assert!(
        prism_log.contains("The request passed the validation rules"),
        "{prism_log}"
    );
    let pid = pid_in(&text(&out.stderr));
    assert!(
        !prism_alive(pid),
        "Prism {pid} still runs after a normal end"
    );

    // Interrupted while Prism runs: it is stopped all the same.
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "contract",
            &fixture("params.yaml"),
            "--prism-log",
            &log_path,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xtask runs");
    let stderr = child.stderr.take().expect("stderr");
    let mut pid = None;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if line.contains("listening on") {
            pid = Some(pid_in(&line));
            let xtask = i32::try_from(child.id()).expect("a pid");
            // SAFETY: signals the child this test started.
            unsafe { libc::kill(xtask, libc::SIGINT) };
        }
    }
    let status = child.wait().expect("xtask ends");
    let pid = pid.expect("xtask said where Prism listens");
    // 130 when the signal came while the harness ran; 0 when it had finished.
    assert!(matches!(status.code(), Some(130) | Some(0)), "{status}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while prism_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !prism_alive(pid),
        "Prism {pid} still runs after the interrupt"
    );
}

fn pid_in(stderr: &str) -> u32 {
    stderr
        .split("(pid ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no pid in: {stderr}"))
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
    if !on_path("node") {
        eprintln!("skipped: node is not on PATH (the fake mock runs on it)");
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let spec = dir.path().join("crashing_mock.yaml");
    std::fs::write(&spec, CRASHING).expect("the spec is written");
    let log = dir.path().join("mock.log");
    let fake = root().join("xtask/tests/support/fake_prism.js");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "contract",
            &spec.to_string_lossy(),
            "--operation-timeout",
            "1",
        ])
        .arg("--prism-log")
        .arg(&log)
        .env("XTASK_CONTRACT_PRISM", &fake)
        .env("NO_COLOR", "1")
        .output()
        .expect("xtask runs");
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let line = |id: &str| {
        stdout
            .lines()
            .find(|l| l.contains(&format!("operation  {id} ")))
            .unwrap_or_else(|| panic!("no line for {id}: {stdout}"))
            .to_owned()
    };
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
        hangs.starts_with("FAIL") && hangs.contains("did not answer within the operation's 1 s"),
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
    let written = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        written.contains("fake crash") && written.matches("fake prism listening").count() > 2,
        "{written}"
    );
}
