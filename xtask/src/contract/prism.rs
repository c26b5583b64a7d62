//! Prism (`@stoplight/prism-cli`), the independent mock server: installed
//! with npm into `target/prism/<version>/` on first use, started on a free
//! loopback port, and stopped with its whole process group.
//!
//! Prism runs in a process group of its own, so that stopping it reaches
//! every process it started, and with `PR_SET_PDEATHSIG`, so that it dies
//! with us even when we are killed without a chance to clean up. Ctrl-C
//! goes to the terminal's foreground group, which Prism has left: the
//! caller watches for the signal ([`super::interrupt`]) and drops the
//! [`Prism`], which stops it.

use std::fs::File;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Failure, workspace};

/// The Prism release the contract is pinned to.
pub(crate) const VERSION: &str = "5.16.0";

/// How long Prism may take to answer after it was started: it reads and
/// resolves the whole spec first, about 50 s for xero-accounting's on 2
/// shared cores, and a start again after a crash that took longer than the
/// bound ended the whole run. A Prism that exits is seen at once; the
/// bound is for one that never listens.
const STARTUP: Duration = Duration::from_secs(300);

/// The heap Prism may use by default, in MiB (`--max-old-space-size`):
/// the largest specs of the corpus need a few hundred; a generator that
/// runs away on one operation reaches the bound and Prism exits with
/// node's out-of-memory message instead of taking the machine with it.
pub(crate) const DEFAULT_MEMORY_MIB: u64 = 2048;

/// A running Prism; stopped when dropped.
pub(crate) struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

/// Fails when a tool Prism needs is missing: node to run it, npm to
/// install it (when it is not installed yet).
pub(crate) fn check_tools() -> Result<(), Failure> {
    let installed = bin().exists();
    for tool in ["node", "npm"] {
        if tool == "npm" && installed {
            continue;
        }
        if which(tool).is_none() {
            return Err(Failure::new(format!(
                "error: `{tool}` is not on PATH; the contract check runs Prism \
                 (@stoplight/prism-cli {VERSION}), which needs Node.js 18 or newer \
                 and npm (Debian/Ubuntu: `apt-get install nodejs npm`)"
            )));
        }
    }
    Ok(())
}

/// Names a stand-in for Prism, run with Prism's arguments: the tests' fake
/// mock that crashes on cue.
const STAND_IN: &str = "XTASK_CONTRACT_PRISM";

fn bin() -> PathBuf {
    if let Some(stand_in) = std::env::var_os(STAND_IN) {
        return PathBuf::from(stand_in);
    }
    workspace::root()
        .join("target/prism")
        .join(VERSION)
        .join("node_modules/.bin/prism")
}

/// The Prism executable, installed first when it is not there yet.
pub(crate) fn install() -> Result<PathBuf, Failure> {
    check_tools()?;
    let dir = workspace::root().join("target/prism").join(VERSION);
    let bin = bin();
    if bin.exists() {
        return Ok(bin);
    }
    crate::scratch::create_dir(&dir)?;
    eprintln!(
        "installing @stoplight/prism-cli@{VERSION} into {}",
        workspace::label(&dir)
    );
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--no-save"])
        .args(["--loglevel", "error", "--prefix"])
        .arg(&dir)
        .arg(format!("@stoplight/prism-cli@{VERSION}"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Failure::new(format!("error: cannot run npm: {e}")))?;
    if !output.status.success() || !bin.exists() {
        return Err(Failure::new(format!(
            "error: `npm install @stoplight/prism-cli@{VERSION}` failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(bin)
}

fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}

/// A port nobody listens on right now (the OS's pick). Another process may
/// take it before Prism does; Prism then fails to start, which is reported.
fn free_port() -> Result<u16, Failure> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Failure::new(format!("error: cannot find a free port: {e}")))
}

impl Prism {
    /// Starts `prism mock --dynamic` on `spec`, its output appended to
    /// `log` (a Prism started again after a crash adds to what the one
    /// before said), its heap bounded to `memory_mib`, and waits until it
    /// accepts connections. `interrupted` is polled while waiting.
    pub(crate) fn start(
        bin: &Path,
        spec: &Path,
        seed: u64,
        log: &Path,
        memory_mib: u64,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Prism, Failure> {
        let port = free_port()?;
        let out = File::options()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| Failure::new(format!("error: cannot write {}: {e}", log.display())))?;
        let err = out
            .try_clone()
            .map_err(|e| Failure::new(format!("error: cannot write {}: {e}", log.display())))?;
        let mut command = Command::new(bin);
        command
            .arg("mock")
            .arg("--dynamic")
            .args(["--seed", &seed.to_string()])
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(spec)
            // Node reads its options from here for every process it
            // starts; Prism's own are left as they are.
            .env("NODE_OPTIONS", format!("--max-old-space-size={memory_mib}"))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        // SAFETY: prctl is async-signal-safe and touches no memory of ours.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .map_err(|e| Failure::new(format!("error: cannot start {}: {e}", bin.display())))?;
        let mut prism = Prism {
            child,
            port,
            log: log.to_path_buf(),
        };
        prism.wait_until_listening(interrupted)?;
        Ok(prism)
    }

    fn wait_until_listening(&mut self, interrupted: &dyn Fn() -> bool) -> Result<(), Failure> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Failure::new(format!(
                    "error: Prism exited ({status}) before it answered; its output:\n{}",
                    self.log_tail()
                )));
            }
            if interrupted() {
                return Err(Failure::new("interrupted"));
            }
            if started.elapsed() > STARTUP {
                return Err(Failure::new(format!(
                    "error: Prism did not answer on {address} within {} s; its output:\n{}",
                    STARTUP.as_secs(),
                    self.log_tail()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The last lines Prism wrote (bounded), for an error message.
    pub(crate) fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(f) = File::open(&self.log) {
            let _ = f.take(1 << 20).read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// How Prism ended, once it has.
    pub(crate) fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Whether Prism ends within `grace`: a crash resets the connection a
    /// moment before node is gone.
    pub(crate) fn exits_within(&mut self, grace: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + grace;
        loop {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether Prism still takes connections (the kernel takes them for a
    /// node that is alive, busy or not).
    pub(crate) fn accepts(&self) -> bool {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_ok()
    }

    /// How long the log is now: where what Prism says next starts.
    pub(crate) fn log_len(&self) -> u64 {
        std::fs::metadata(&self.log).map_or(0, |m| m.len())
    }

    /// What Prism wrote from `offset` on (the last 64 KiB of it at most).
    pub(crate) fn log_since(&self, offset: u64) -> String {
        use std::io::{Seek, SeekFrom};
        let Ok(mut f) = File::open(&self.log) else {
            return String::new();
        };
        let start = offset.max(self.log_len().saturating_sub(64 << 10));
        if f.seek(SeekFrom::Start(start)).is_err() {
            return String::new();
        }
        let mut bytes = Vec::new();
        let _ = f.take(64 << 10).read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The process id of Prism (the leader of its process group).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the process group: SIGTERM, then SIGKILL after a grace period.
    fn stop(&mut self) {
        let Ok(group) = i32::try_from(self.child.id()) else {
            let _ = self.child.kill();
            return;
        };
        // SAFETY: signals our own child's process group only.
        unsafe { libc::kill(-group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // The leader may be gone while others of its group are not.
        // SAFETY: as above.
        unsafe { libc::kill(-group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_bindable() {
        let port = free_port().unwrap_or(0);
        assert_ne!(port, 0);
        assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok());
    }

    #[test]
    fn which_finds_sh_and_not_nonsense() {
        assert!(which("sh").is_some());
        assert!(which("no-such-tool-xtask-contract").is_none());
    }
}
