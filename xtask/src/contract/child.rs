//! The harness binary, run as a child that takes one order at a time on
//! stdin and answers each with a JSON line on stdout.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::Failure;

/// What the harness said, or did, while xtask waited.
pub(super) enum Heard {
    /// One line of its output.
    Line(String),
    /// Its output ended: it exited (or closed stdout).
    Gone,
    /// Nothing yet.
    Nothing,
}

/// A running harness; killed when dropped.
pub(super) struct Harness {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    binary: PathBuf,
}

impl Harness {
    /// Starts `binary CASES`.
    pub(super) fn start(binary: &Path, cases: &Path) -> Result<Harness, Failure> {
        let mut child = Command::new(binary)
            .arg(cases)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| Failure::new(format!("error: cannot run {}: {e}", binary.display())))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            let Some(out) = stdout else { return };
            // Bounded: a line per call and per round trip, bodies capped
            // by the runtime.
            for line in BufReader::new(out.take(256 << 20))
                .lines()
                .map_while(Result::ok)
            {
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        Ok(Harness {
            child,
            stdin,
            lines,
            binary: binary.to_path_buf(),
        })
    }

    /// Sends one order; false when the harness no longer reads them.
    pub(super) fn order(&mut self, order: &Value) -> bool {
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        writeln!(stdin, "{order}")
            .and_then(|()| stdin.flush())
            .is_ok()
    }

    /// Waits up to `wait` for its next line.
    pub(super) fn listen(&self, wait: Duration) -> Heard {
        match self.lines.recv_timeout(wait) {
            Ok(line) => Heard::Line(line),
            Err(RecvTimeoutError::Timeout) => Heard::Nothing,
            Err(RecvTimeoutError::Disconnected) => Heard::Gone,
        }
    }

    /// The round trips' lines (they need no mock), then the harness ends.
    pub(super) fn round_trips(
        mut self,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Vec<String>, Failure> {
        if !self.order(&serde_json::json!({"roundtrips": true})) {
            return Err(Failure::new(format!(
                "error: the harness {} ended before the round trips (its output is above)",
                self.binary.display()
            )));
        }
        // No more orders: the harness ends when it has answered.
        self.stdin = None;
        let deadline = Instant::now() + Duration::from_secs(10 * 60);
        let mut out = Vec::new();
        loop {
            match self.listen(Duration::from_millis(50)) {
                Heard::Line(l) if l.contains(r#""done":"roundtrips""#) => return Ok(out),
                Heard::Line(l) => out.push(l),
                Heard::Gone => return Ok(out),
                Heard::Nothing => {}
            }
            if interrupted() || Instant::now() > deadline {
                return Err(Failure::new(
                    "error: the harness was stopped (interrupted or out of time)",
                ));
            }
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
