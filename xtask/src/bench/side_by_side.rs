//! `cargo xtask bench --peer-codegen SPEC [--repetitions N]`: the cost of
//! generating a client for one real spec, ours against openapi-to-rust's,
//! side by side in one run.
//!
//! Three programs run as fresh processes, each to completion, alternating
//! in rounds so that a machine busy with other work slows all of them
//! alike:
//! - **regen**: this xtask binary's `regen --spec SPEC --out FILE`, what a
//!   user runs: read the spec, generate the client and the typed mocks,
//!   write both and the spec copy (into an emptied directory, so there is
//!   no previous client and no API diff; the emptying is not timed);
//! - **client alone**: the hidden `bench-child --spec SPEC --out FILE`:
//!   read, generate the client (no mocks), write it;
//! - **the peer**: `openapi-to-rust generate SPEC --output-dir DIR --quiet`
//!   (its directory emptied likewise), found as `--peer-bin`, on PATH, or in
//!   `$CARGO_HOME/bin` (install it with `cargo install openapi-to-rust
//!   --version 0.23.0 --locked`).
//!
//! For each run: wall time (start to exit), CPU time (user + system, of
//! the child and anything it waited for, from `wait4`) and peak resident
//! memory (`ru_maxrss`). Each round runs the peer between our two
//! programs (the order flips every round), so each of ours forms a pair
//! with the peer run beside it; the ratios printed are medians of the
//! pairs' ratios, beside each side's medians. Run xtask optimized: `cargo
//! run --release -p xtask -- bench --peer-codegen …`.
//!
//! Then, in this process, how the client's time divides between the
//! stages before generation (`codegen::prepare`: load's checks, validate,
//! normalize) and the rest (generate, format): medians of the same number
//! of runs.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Stats;
use crate::scratch;
use crate::{Failure, workspace};

/// Where the generators write their code.
const OUT_DIR: &str = "target/bench/peer-codegen";

/// What one process cost.
#[derive(Clone, Copy, Debug)]
struct Cost {
    wall: Duration,
    /// User + system time.
    cpu: Duration,
    /// Peak resident memory, KiB.
    peak_kib: u64,
}

/// One program of the comparison: how to run it and what each run cost.
struct Program {
    name: String,
    /// Emptied before each run, so that each writes everything anew.
    out: PathBuf,
    command: Command,
    costs: Vec<Cost>,
}

impl Program {
    fn new(name: impl Into<String>, out: PathBuf, command: Command) -> Program {
        Program {
            name: name.into(),
            out,
            command,
            costs: Vec::new(),
        }
    }

    /// One run, not recorded (the warm-up).
    fn run(&mut self) -> Result<Cost, Failure> {
        empty_dir(&self.out)?;
        measure(&mut self.command, &self.name)
    }

    fn record(&mut self) -> Result<(), Failure> {
        let cost = self.run()?;
        self.costs.push(cost);
        Ok(())
    }

    fn stats(&self, of: fn(&Cost) -> f64) -> Stats {
        Stats::of_values(self.costs.iter().map(of).collect())
    }
}

/// Runs the comparison on `spec`, `repetitions` rounds.
pub(crate) fn run(spec: &Path, repetitions: u32, peer_bin: Option<&Path>) -> Result<(), Failure> {
    let peer_path = find_peer(peer_bin)?;
    let version = peer_version(&peer_path)?;
    let ours = std::env::current_exe()
        .map_err(|e| Failure::new(format!("error: cannot find the xtask binary: {e}")))?;
    if cfg!(debug_assertions) {
        eprintln!(
            "bench: note: xtask is not optimized, so our times are not representative; \
             use `cargo run --release -p xtask -- bench --peer-codegen …`"
        );
    }
    let out = workspace::root().join(OUT_DIR);
    let regen = {
        let dir = out.join("regen");
        let mut command = Command::new(&ours);
        command
            .arg("regen")
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(dir.join("generated.rs"));
        Program::new("regen", dir, command)
    };
    let client = {
        let dir = out.join("client");
        let mut command = Command::new(&ours);
        command
            .arg("bench-child")
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(dir.join("generated.rs"));
        Program::new("client alone", dir, command)
    };
    let peer = {
        let dir = out.join("peer");
        let mut command = Command::new(&peer_path);
        command
            .arg("generate")
            .arg(spec)
            .arg("--output-dir")
            .arg(&dir)
            .arg("--quiet");
        Program::new(format!("openapi-to-rust {version}"), dir, command)
    };
    let [mut regen, mut client, mut peer] = [regen, client, peer];
    eprintln!(
        "bench: {} with codegen (regen, client alone) and openapi-to-rust {version}: one \
         warm-up run each, then {repetitions} alternating rounds",
        workspace::label(spec)
    );
    for program in [&mut regen, &mut client, &mut peer] {
        program.run()?;
    }
    for round in 0..repetitions {
        // The peer runs between ours, each of ours beside it; the order
        // flips so that neither of ours always follows the peer.
        if round % 2 == 0 {
            regen.record()?;
            peer.record()?;
            client.record()?;
        } else {
            client.record()?;
            peer.record()?;
            regen.record()?;
        }
    }
    print!("{}", table(&[&regen, &client, &peer]));
    print!("{}", ratios(&[&regen, &client], &peer));
    print!("{}", stages(spec, repetitions)?);
    Ok(())
}

fn wall_ms(c: &Cost) -> f64 {
    c.wall.as_secs_f64() * 1e3
}

fn cpu_ms(c: &Cost) -> f64 {
    c.cpu.as_secs_f64() * 1e3
}

fn peak_mib(c: &Cost) -> f64 {
    c.peak_kib as f64 / 1024.0
}

/// Medians (and the spread of wall times) per program.
fn table(programs: &[&Program]) -> String {
    let mut out = format!(
        "{:<24} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
        "median of runs", "wall ms", "min", "max", "CPU ms", "peak MiB", "KiB of .rs"
    );
    for p in programs {
        let wall = p.stats(wall_ms);
        out.push_str(&format!(
            "{:<24} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.1} {:>9.0}\n",
            p.name,
            wall.median,
            wall.min,
            wall.max,
            p.stats(cpu_ms).median,
            p.stats(peak_mib).median,
            rust_bytes(&p.out) as f64 / 1024.0
        ));
    }
    out
}

/// For each of ours, the median over rounds of its cost divided by the
/// peer's in the same round: wall, CPU, peak memory.
fn ratios(ours: &[&Program], peer: &Program) -> String {
    let mut out = String::new();
    for p in ours {
        let ratio = |of: fn(&Cost) -> f64| {
            let pairs = p.costs.iter().zip(&peer.costs);
            Stats::of_values(pairs.map(|(a, b)| of(a) / of(b)).collect()).median
        };
        out.push_str(&format!(
            "{} / {}, median of {} pairs: wall {:.2}×, CPU {:.2}×, peak memory {:.2}×\n",
            p.name,
            peer.name,
            p.costs.len().min(peer.costs.len()),
            ratio(wall_ms),
            ratio(cpu_ms),
            ratio(peak_mib)
        ));
    }
    out
}

/// Runs `command` to completion (its output discarded but for the end of
/// its standard error on failure) and returns what it cost.
fn measure(command: &mut Command, what: &str) -> Result<Cost, Failure> {
    let cannot = |e: std::io::Error| Failure::new(format!("error: cannot run {what}: {e}"));
    // Standard error goes to a file, not a pipe: a pipe nobody reads while
    // the child runs could fill and stall it.
    let log = tempfile_in_target(what)?;
    let stderr = std::fs::File::create(&log).map_err(cannot)?;
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(cannot)?;
    let (status, usage) = wait4(child.id()).map_err(cannot)?;
    let wall = started.elapsed();
    if !status.success() {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(Failure::new(format!(
            "error: {what} failed ({status}):\n{}",
            super::tail(&text, 20)
        )));
    }
    Ok(Cost {
        wall,
        cpu: timeval(usage.ru_utime) + timeval(usage.ru_stime),
        // Linux gives kilobytes.
        peak_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    })
}

/// Removes `dir` with what it holds (if it exists) and creates it empty.
fn empty_dir(dir: &Path) -> Result<(), Failure> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(Failure::new(format!(
                "error: cannot remove {}: {e}",
                dir.display()
            )));
        }
    }
    scratch::create_dir(dir)
}

/// Where a child's standard error goes.
fn tempfile_in_target(what: &str) -> Result<PathBuf, Failure> {
    let dir = workspace::root().join(OUT_DIR);
    scratch::create_dir(&dir)?;
    let name: String = what
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Ok(dir.join(format!("{name}.stderr")))
}

/// Waits for the child `pid` and returns its exit status and resource
/// usage. `Child::wait` would reap the child without the usage, so the
/// child is reaped here instead (the `Child` handle is dropped unwaited,
/// which leaves the process alone).
fn wait4(pid: u32) -> std::io::Result<(std::process::ExitStatus, libc::rusage)> {
    use std::os::unix::process::ExitStatusExt;
    let pid = libc::pid_t::try_from(pid).map_err(std::io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; zeroed is a valid value to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals of the right types.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((std::process::ExitStatus::from_raw(status), usage));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

fn timeval(t: libc::timeval) -> Duration {
    // Never negative for a usage; 0 if it were.
    let whole = Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0));
    whole + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
}

/// How our time divides: the stages before generation against the whole.
fn stages(spec: &Path, repetitions: u32) -> Result<String, Failure> {
    let settings = child_settings();
    let (mut prepare, mut whole) = (Vec::new(), Vec::new());
    for _ in 0..repetitions {
        let started = Instant::now();
        let loaded = codegen::Spec::load(spec)?;
        codegen::prepare(&loaded)?;
        prepare.push(started.elapsed());
        let started = Instant::now();
        let loaded = codegen::Spec::load(spec)?;
        std::hint::black_box(codegen::generate(&loaded, &settings)?);
        whole.push(started.elapsed());
    }
    let (prepare, whole) = (Stats::of(&prepare).median, Stats::of(&whole).median);
    Ok(format!(
        "in-process codegen, median ms: whole {whole:.0}, of which load + validate + normalize \
         {prepare:.0} ({:.0} %), generate + format {:.0} ({:.0} %)\n",
        100.0 * prepare / whole,
        whole - prepare,
        100.0 * (whole - prepare) / whole
    ))
}

/// What `bench-child --spec` generates with: the settings of `cargo
/// xtask corpus` (a client of the published runtime).
pub(crate) fn child_settings() -> codegen::Settings {
    codegen::Settings {
        runtime: "::alakazam_client::runtime".to_owned(),
        ..Default::default()
    }
}

/// `bench-child --spec SPEC --out FILE`: one generation, as a user runs
/// it (read, generate, write).
pub(crate) fn run_child(spec: &Path, out: &Path) -> Result<(), Failure> {
    let loaded = codegen::Spec::load(spec)?;
    let generated = codegen::generate(&loaded, &child_settings())?;
    scratch::write(out, &generated.code)
}

/// `--peer-bin`, else `openapi-to-rust` on PATH, else in `$CARGO_HOME/bin`
/// (`~/.cargo/bin`).
pub(crate) fn find_peer(explicit: Option<&Path>) -> Result<PathBuf, Failure> {
    const NAME: &str = "openapi-to-rust";
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(NAME))
        .find(|p| p.is_file());
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin").join(NAME))
        .filter(|p| p.is_file());
    on_path.or(cargo_home).ok_or_else(|| {
        Failure::new(
            "error: openapi-to-rust not found (on PATH or in $CARGO_HOME/bin); install it with \
             `cargo install openapi-to-rust --version 0.23.0 --locked` or pass --peer-bin",
        )
    })
}

pub(crate) fn peer_version(peer: &Path) -> Result<String, Failure> {
    let output = Command::new(peer)
        .arg("--version")
        .output()
        .map_err(|e| Failure::new(format!("error: cannot run {}: {e}", peer.display())))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "openapi-to-rust 0.23.0"
    Ok(text
        .split_whitespace()
        .last()
        .map_or_else(|| "?".to_owned(), str::to_owned))
}

/// Bytes of the `.rs` files directly in `dir`.
fn rust_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.path().extension() == Some(&OsString::from("rs")))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}
