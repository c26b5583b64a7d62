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
