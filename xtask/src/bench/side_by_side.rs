//! `cargo xtask bench --peer-codegen SPEC [--repetitions N]`: the time to
//! generate a client for one real spec, ours against openapi-to-rust's,
//! side by side in one run.
//!
//! Both run as fresh processes (start, read the spec, generate, write the
//! code), alternating, so that a machine busy with other work slows both
//! alike; the medians and their ratio are printed. Ours is this xtask
//! binary's hidden `bench-child --spec SPEC --out FILE` (so run xtask
//! optimized: `cargo run --release -p xtask -- bench --peer-codegen …`);
//! the peer is `openapi-to-rust generate SPEC --output-dir DIR --quiet`,
//! found as `--peer-bin`, on PATH, or in `$CARGO_HOME/bin` (install it with
//! `cargo install openapi-to-rust --version 0.23.0 --locked`).
//!
//! Then, in this process, how our time divides between the stages before
//! generation (`codegen::prepare`: load's checks, validate, normalize) and
//! the rest (generate, format): medians of the same number of runs.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::Stats;
use crate::scratch;
use crate::{Failure, workspace};

/// Where both generators write their code.
const OUT_DIR: &str = "target/bench/peer-codegen";

/// Runs the comparison on `spec`, `repetitions` times each.
pub(crate) fn run(spec: &Path, repetitions: u32, peer_bin: Option<&Path>) -> Result<(), Failure> {
    let peer = find_peer(peer_bin)?;
    let version = peer_version(&peer)?;
    let ours = std::env::current_exe()
        .map_err(|e| Failure::new(format!("error: cannot find the xtask binary: {e}")))?;
    if cfg!(debug_assertions) {
        eprintln!(
            "bench: note: xtask is not optimized, so our times are not representative; \
             use `cargo run --release -p xtask -- bench --peer-codegen …`"
        );
    }
    let out = workspace::root().join(OUT_DIR);
    let (our_out, peer_out) = (out.join("ours"), out.join("peer"));
    scratch::create_dir(&our_out)?;
    scratch::create_dir(&peer_out)?;
    let our_file = our_out.join("generated.rs");
    let run_ours = || {
        timed(
            Command::new(&ours)
                .arg("bench-child")
                .arg("--spec")
                .arg(spec)
                .arg("--out")
                .arg(&our_file),
            "codegen",
        )
    };
    let run_peer = || {
        timed(
            Command::new(&peer)
                .arg("generate")
                .arg(spec)
                .arg("--output-dir")
                .arg(&peer_out)
                .arg("--quiet"),
            "openapi-to-rust",
        )
    };
    eprintln!(
        "bench: {} with codegen and openapi-to-rust {version}: one warm-up run each, \
         then {repetitions} alternating runs",
        workspace::label(spec)
    );
    run_ours()?;
    run_peer()?;
    let (mut our_times, mut peer_times) = (Vec::new(), Vec::new());
    for _ in 0..repetitions {
        our_times.push(run_ours()?);
        peer_times.push(run_peer()?);
    }
    let (our_stats, peer_stats) = (Stats::of(&our_times), Stats::of(&peer_times));
    println!(
        "{:<24} {:>10} {:>10} {:>10} {:>10}",
        "generator", "median ms", "min ms", "max ms", "KiB out"
    );
    for (name, stats, dir) in [
        ("codegen", &our_stats, &our_out),
        (
            &*format!("openapi-to-rust {version}"),
            &peer_stats,
            &peer_out,
        ),
    ] {
        println!(
            "{:<24} {:>10.0} {:>10.0} {:>10.0} {:>10.0}",
            name,
            stats.median,
            stats.min,
            stats.max,
            rust_bytes(dir) as f64 / 1024.0
        );
    }
    println!(
        "ratio codegen / openapi-to-rust (medians): {:.2}",
        our_stats.median / peer_stats.median
    );
    print!("{}", stages(spec, repetitions)?);
    Ok(())
}

/// Runs `command` to completion and returns its wall time.
fn timed(command: &mut Command, what: &str) -> Result<Duration, Failure> {
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| Failure::new(format!("error: cannot run {what}: {e}")))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(Failure::new(format!(
            "error: {what} failed ({}):\n{}",
            output.status,
            super::tail(&String::from_utf8_lossy(&output.stderr), 20)
        )));
    }
    Ok(elapsed)
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
fn find_peer(explicit: Option<&Path>) -> Result<PathBuf, Failure> {
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

fn peer_version(peer: &Path) -> Result<String, Failure> {
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
