//! `cargo xtask bench [--sizes 10,100,500] [--repetitions N] [--skip-build]
//! [--peer [--peer-jar JAR]] [--json PATH]`
//!
//! For each size, a synthetic spec of that many operations
//! (`codegen::synth`), and for it:
//! - the time of codegen in-process (load → validate → generate →
//!   format), median of `--repetitions` runs;
//! - the peak resident memory of one run, in a child process (`cargo xtask
//!   bench-child`, which reports its own `VmHWM`; Linux only, else null);
//! - the lines and bytes of the generated code;
//! - unless `--skip-build`: the time of `cargo build` and `cargo check` of
//!   a scratch crate holding the code (see [`crate::scratch`]), with
//!   dependencies already built: only the generated crate compiles.
//!
//! With `--peer`, the same for openapi-generator's Rust client (see
//! [`peer`]), except memory.
//!
//! Against openapi-to-rust on real specs instead: `--peer-codegen SPEC`
//! compares generation ([`side_by_side`]), `--peer-check SPEC…` compares
//! `cargo check` of the generated code ([`peer_check`]); `--downstream`
//! compares a downstream crate's cold build with bare reqwest
//! ([`downstream`]).
//!
//! Codegen timings are only meaningful from an optimized build: run
//! `cargo run --release -p xtask -- bench` (`optimized` in the report says
//! which it was).
//!
//! The table goes to standard output, progress to standard error, and the
//! report to `target/bench/bench.json` (or `--json PATH`):
//!
//! ```text
//! {
//!   "schema": "alakazam-client/bench/v1",
//!   "optimized": true,            // xtask built with optimizations
//!   "rustc": "rustc 1.95.0 (…)",
//!   "cpus": 2,
//!   "repetitions": 5,
//!   "peer": "7.26.0" | null,      // openapi-generator version
//!   "rows": [{
//!     "generator": "codegen" | "openapi-generator",
//!     "operations": 500,
//!     "spec_bytes": 1650000,
//!     "generate_ms": {"median": 0.0, "min": 0.0, "max": 0.0, "samples": [..]},
//!     "peak_rss_kib": 123456 | null,
//!     "files": 1,                 // Rust files of the generated code
//!     "lines": 0, "bytes": 0,
//!     "build": null | {           // null with --skip-build
//!       "ok": true,
//!       "build_s": 0.0 | null,    // cargo build of the crate alone (dev)
//!       "check_s": 0.0 | null,    // cargo check of the crate alone
//!       "error": null | "last lines of cargo's stderr"
//!     }
//!   }]
//! }
//! ```
//!
//! Exit status 1 when any build fails (the report is written first).

mod downstream;
mod peer;
mod peer_check;
mod side_by_side;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::scratch::{self, Outcome, ScratchCrate};
use crate::{Failure, workspace};

pub(crate) const DEFAULT_JSON: &str = "target/bench/bench.json";

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("openapi_to_rust").args(["peer_codegen", "peer_check"]).multiple(true)))]
pub(crate) struct Args {
    /// Operations of each synthetic spec, comma-separated.
    #[arg(long, value_name = "N,…", value_delimiter = ',', default_values_t = vec![10, 100, 500])]
    sizes: Vec<usize>,
    /// Codegen runs per size (the median is reported).
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..))]
    repetitions: u32,
    /// Do not compile the generated code (codegen time, memory, size only).
    #[arg(long)]
    skip_build: bool,
    /// Also measure openapi-generator's Rust client (needs Java and the
    /// openapi-generator jar: `--peer-jar`, $OPENAPI_GENERATOR_JAR, or
    /// `openapi-generator-cli` on PATH, e.g. from `pip install
    /// openapi-generator-cli`).
    #[arg(long)]
    peer: bool,
    /// The openapi-generator-cli jar to run with `java -jar`.
    #[arg(long, value_name = "JAR", requires = "peer")]
    peer_jar: Option<PathBuf>,
    /// Where to write the JSON report.
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,
    /// Instead of the synthetic specs: run `regen` on this spec, our
    /// client alone and openapi-to-rust, alternating, `--repetitions`
    /// rounds, and print the wall time, CPU time and peak memory of each
    /// with the ratios of the pairs (see [`side_by_side`]).
    #[arg(long, value_name = "SPEC", conflicts_with_all = ["sizes", "peer", "skip_build", "json"])]
    peer_codegen: Option<PathBuf>,
    /// Instead: for each spec, `cargo check` of the client we generate
    /// against openapi-to-rust's, each alone in a scratch crate with its
    /// dependencies checked before, alternating, `--repetitions` rounds;
    /// print the medians and the ratios (see [`peer_check`]).
    #[arg(long, value_name = "SPEC", num_args = 1.., conflicts_with_all = ["sizes", "peer", "skip_build", "json", "peer_codegen"])]
    peer_check: Vec<PathBuf>,
    /// The openapi-to-rust binary (default: on PATH, else in
    /// `$CARGO_HOME/bin`).
    #[arg(long, value_name = "PATH", requires = "openapi_to_rust")]
    peer_bin: Option<PathBuf>,
    /// Instead: cold-build a downstream binary using alakazam-client and one
    /// using bare reqwest + serde + tokio, each with a fresh target
    /// directory, and print the ratio (see [`downstream`]).
    #[arg(long, conflicts_with_all = ["sizes", "peer", "skip_build", "json", "peer_codegen", "peer_check"])]
    downstream: bool,
}

/// `cargo xtask bench-child --operations N`: one codegen run, then the
/// process's peak resident memory on standard output. `bench-child --spec
/// SPEC --out FILE`: one generation of a spec file into FILE (ours in
/// `--peer-codegen`).
#[derive(clap::Args)]
pub(crate) struct ChildArgs {
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "spec",
        conflicts_with = "spec"
    )]
    operations: Option<usize>,
    #[arg(long, value_name = "SPEC", requires = "out")]
    spec: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Serialize)]
struct Report {
    schema: &'static str,
    optimized: bool,
    rustc: String,
    cpus: usize,
    repetitions: u32,
    peer: Option<String>,
    rows: Vec<Row>,
}

/// One generator on one spec.
#[derive(Serialize)]
struct Row {
    generator: &'static str,
    operations: usize,
    spec_bytes: usize,
    generate_ms: Stats,
    peak_rss_kib: Option<u64>,
    files: usize,
    lines: usize,
    bytes: usize,
    build: Option<BuildTimes>,
}

#[derive(Serialize)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
    samples: Vec<f64>,
}

impl Stats {
    fn of(durations: &[Duration]) -> Stats {
        // Microsecond resolution is plenty and keeps the JSON readable.
        Stats::of_values(
            durations
                .iter()
                .map(|d| (d.as_secs_f64() * 1e6).round() / 1e3)
                .collect(),
        )
    }

    fn of_values(samples: Vec<f64>) -> Stats {
        let mut sorted = samples.clone();
        sorted.sort_by(f64::total_cmp);
        let median = match sorted.len() {
            0 => 0.0,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Stats {
            median,
            min: sorted.first().copied().unwrap_or_default(),
            max: sorted.last().copied().unwrap_or_default(),
            samples,
        }
    }
}

#[derive(Serialize)]
struct BuildTimes {
    ok: bool,
    build_s: Option<f64>,
    check_s: Option<f64>,
    error: Option<String>,
}

pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    if args.downstream {
        return downstream::run();
    }
    if !args.peer_check.is_empty() {
        return peer_check::run(&args.peer_check, args.repetitions, args.peer_bin.as_deref());
    }
    if let Some(spec) = &args.peer_codegen {
        return side_by_side::run(spec, args.repetitions, args.peer_bin.as_deref());
    }
    let peer = if args.peer {
        Some(peer::Tool::find(args.peer_jar.as_deref())?)
    } else {
        None
    };
    let mut report = Report {
        schema: "alakazam-client/bench/v1",
        optimized: !cfg!(debug_assertions),
        rustc: rustc_version(),
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        repetitions: args.repetitions,
        peer: peer.as_ref().map(|p| p.version.clone()),
        rows: Vec::new(),
    };
    if !report.optimized {
        eprintln!(
            "bench: note: xtask is not optimized, so codegen times are not representative; \
             use `cargo run --release -p xtask -- bench`"
        );
    }
    if !args.skip_build {
        warm_up()?;
        if let Some(tool) = &peer {
            peer::warm_up(tool)?;
        }
    }
    for &n in &args.sizes {
        report
            .rows
            .push(measure_codegen(n, args.repetitions, args.skip_build)?);
        if let Some(tool) = &peer {
            report
                .rows
                .push(peer::measure(tool, n, args.repetitions, args.skip_build)?);
        }
    }
    print!("{}", table(&report));
    let path = workspace::path_or(args.json.as_deref(), DEFAULT_JSON);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        scratch::create_dir(dir)?;
    }
    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| Failure::new(format!("error: cannot encode the report: {e}")))?;
    workspace::write_all(&[(path.clone(), json + "\n")])?;
    eprintln!("bench: wrote {}", workspace::label(&path));
    let failed = report
        .rows
        .iter()
        .filter(|r| r.build.as_ref().is_some_and(|b| !b.ok))
        .count();
    if failed > 0 {
        return Err(Failure::new(format!(
            "error: {failed} build(s) failed; see `error` in the report"
        )));
    }
    Ok(())
}

/// Settings for code that goes into a scratch crate.
fn settings(n: usize) -> codegen::Settings {
    codegen::Settings {
        spec_label: Some(format!("synthetic spec of {n} operations")),
        runtime: scratch::RUNTIME.to_owned(),
        ..Default::default()
    }
}

fn generate(n: usize, text: &str) -> Result<String, Failure> {
    let spec = codegen::Spec::from_bytes(format!("synth-{n}.yaml"), text.as_bytes())?;
    Ok(codegen::generate(&spec, &settings(n))?.code)
}

/// Builds the dependencies of scratch crates (once; later runs find them
/// built) with a one-operation client, in both check and build mode.
fn warm_up() -> Result<(), Failure> {
    eprintln!("bench: building the dependencies of scratch crates (minutes the first time)");
    let krate = ScratchCrate::new("bench-warm");
    krate.write(&generate(1, &codegen::synth::spec(1))?)?;
    for outcome in [krate.build()?, krate.check()?] {
        if !outcome.success {
            return Err(Failure::new(format!(
                "error: the warm-up crate in {} does not compile:\n{}",
                krate.dir().display(),
                tail(&outcome.stderr, 40)
            )));
        }
    }
    Ok(())
}

fn measure_codegen(n: usize, repetitions: u32, skip_build: bool) -> Result<Row, Failure> {
    let text = codegen::synth::spec(n);
    eprintln!("bench: codegen, {n} operations, {repetitions} runs");
    let mut durations = Vec::new();
    let mut code = String::new();
    for _ in 0..repetitions {
        let started = Instant::now();
        code = generate(n, &text)?;
        durations.push(started.elapsed());
    }
    let peak_rss_kib = child_peak_rss(n);
    let build = if skip_build {
        None
    } else {
        let what = format!("codegen, {n} operations");
        eprintln!("bench: {what}: cargo build, then cargo check");
        let krate = ScratchCrate::new(&format!("bench-{n}"));
        // Writing the code changes its mtime: the build compiles the crate.
        krate.write(&code)?;
        let build = krate.build()?;
        krate.touch()?;
        let check = krate.check()?;
        Some(build_times(&what, &build, &check))
    };
    Ok(Row {
        generator: "codegen",
        operations: n,
        spec_bytes: text.len(),
        generate_ms: Stats::of(&durations),
        peak_rss_kib,
        files: 1,
        lines: code.lines().count(),
        bytes: code.len(),
        build,
    })
}

/// The report's form of a build and a check of the crate alone.
fn build_times(what: &str, build: &Outcome, check: &Outcome) -> BuildTimes {
    let error = [build, check]
        .into_iter()
        .find(|o| !o.success)
        .map(|o| tail(&o.stderr, 40));
    if let Some(e) = &error {
        eprintln!("bench: {what}: compilation failed:\n{e}");
    }
    let seconds = |o: &Outcome| o.success.then_some(o.duration.as_secs_f64());
    BuildTimes {
        ok: error.is_none(),
        build_s: seconds(build),
        check_s: seconds(check),
        error,
    }
}

/// Peak memory of one codegen run of `n` operations, measured in a fresh
/// process so that earlier runs do not count. None when it cannot be
/// measured (not Linux, or the child failed).
fn child_peak_rss(n: usize) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe)
        .args(["bench-child", "--operations", &n.to_string()])
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "bench: note: cannot measure memory: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return None;
    }
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .strip_prefix("peak_rss_kib ")?
        .parse()
        .ok()
}

pub(crate) fn run_child(args: &ChildArgs) -> Result<(), Failure> {
    let (Some(spec), Some(out)) = (&args.spec, &args.out) else {
        return run_child_synthetic(args.operations.unwrap_or(1));
    };
    side_by_side::run_child(spec, out)
}

fn run_child_synthetic(operations: usize) -> Result<(), Failure> {
    let text = codegen::synth::spec(operations);
    let code = generate(operations, &text)?;
    // Keep the result alive until the measurement.
    let len = std::hint::black_box(code).len();
    let peak =
        peak_rss_kib().ok_or_else(|| Failure::new("error: no VmHWM in /proc/self/status"))?;
    println!("peak_rss_kib {peak}");
    eprintln!("bench-child: {len} bytes generated");
    Ok(())
}

/// `VmHWM` of this process, in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()
}

fn rustc_version() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn table(report: &Report) -> String {
    let mut out = format!(
        "{:<18} {:>5} {:>9} {:>9} {:>9} {:>5} {:>8} {:>9} {:>8} {:>8}\n",
        "generator",
        "ops",
        "spec KiB",
        "gen ms",
        "peak MiB",
        "files",
        "lines",
        "KiB",
        "check s",
        "build s"
    );
    let opt = |v: Option<f64>, precision: usize| match v {
        Some(v) => format!("{v:.precision$}"),
        None => "-".to_owned(),
    };
    for r in &report.rows {
        let build = r.build.as_ref();
        out.push_str(&format!(
            "{:<18} {:>5} {:>9.0} {:>9.1} {:>9} {:>5} {:>8} {:>9.0} {:>8} {:>8}\n",
            r.generator,
            r.operations,
            r.spec_bytes as f64 / 1024.0,
            r.generate_ms.median,
            opt(r.peak_rss_kib.map(|k| k as f64 / 1024.0), 1),
            r.files,
            r.lines,
            r.bytes as f64 / 1024.0,
            opt(build.and_then(|b| b.check_s), 1),
            opt(build.and_then(|b| b.build_s), 1),
        ));
    }
    out.push_str(&ratios(report));
    out
}

/// "500 operations: codegen / openapi-generator: lines 1.10×, check
/// 0.52×, build 0.48×" for every size measured with both, in one run.
fn ratios(report: &Report) -> String {
    let mut out = String::new();
    for ours in report.rows.iter().filter(|r| r.generator == "codegen") {
        let Some(peer) = report
            .rows
            .iter()
            .find(|r| r.generator == peer::GENERATOR && r.operations == ours.operations)
        else {
            continue;
        };
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
            _ => "-".to_owned(),
        };
        let times = |r: &Row| {
            let b = r.build.as_ref();
            (b.and_then(|b| b.check_s), b.and_then(|b| b.build_s))
        };
        let ((our_check, our_build), (peer_check, peer_build)) = (times(ours), times(peer));
        out.push_str(&format!(
            "{} operations: codegen / openapi-generator: lines {}, check {}, build {}\n",
            ours.operations,
            ratio(Some(ours.lines as f64), Some(peer.lines as f64)),
            ratio(our_check, peer_check),
            ratio(our_build, peer_build),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{BuildTimes, Report, Row, Stats, tail};

    #[test]
    fn median() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        assert_eq!(Stats::of(&ms(&[5, 1, 3])).median, 3.0);
        assert_eq!(Stats::of(&ms(&[4, 1, 3, 2])).median, 2.5);
        assert_eq!(Stats::of(&ms(&[])).median, 0.0);
        let s = Stats::of(&ms(&[2, 9, 4]));
        assert_eq!((s.min, s.max), (2.0, 9.0));
        assert_eq!(s.samples, vec![2.0, 9.0, 4.0]);
    }

    #[test]
    fn ratios_compare_the_same_size() {
        let row = |generator: &'static str, lines: usize, build_s: f64| Row {
            generator,
            operations: 500,
            spec_bytes: 0,
            generate_ms: Stats::of(&[]),
            peak_rss_kib: None,
            files: 1,
            lines,
            bytes: 0,
            build: Some(BuildTimes {
                ok: true,
                build_s: Some(build_s),
                check_s: None,
                error: None,
            }),
        };
        let report = Report {
            schema: "x",
            optimized: true,
            rustc: String::new(),
            cpus: 2,
            repetitions: 1,
            peer: Some("7".to_owned()),
            rows: vec![
                row("codegen", 50, 10.0),
                row(super::peer::GENERATOR, 100, 40.0),
            ],
        };
        assert_eq!(
            super::ratios(&report),
            "500 operations: codegen / openapi-generator: lines 0.50×, check -, build 0.25×\n"
        );
    }

    #[test]
    fn tails() {
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }
}
