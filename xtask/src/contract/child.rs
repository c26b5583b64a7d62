//! Running the harness binary.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Failure;

/// Runs the harness binary, bounded in time; stops it when interrupted.
pub(super) fn run_harness(
    binary: &Path,
    base_url: &str,
    cases: &Path,
    interrupted: &dyn Fn() -> bool,
) -> Result<String, Failure> {
    let mut child = Command::new(binary)
        .arg(base_url)
        .arg(cases)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Failure::new(format!("error: cannot run {}: {e}", binary.display())))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(out) = stdout.as_mut() {
            // Bounded: a line per call and per round trip.
            let _ = out.take(256 << 20).read_to_string(&mut text);
        }
        text
    });
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if interrupted() || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Failure::new(
                "error: the harness was stopped (interrupted or out of time)",
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(reader.join().unwrap_or_default())
}
