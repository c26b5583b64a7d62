//! `cargo xtask bench --peer-check SPEC… [--repetitions N]`: how long
//! `cargo check` of the generated code takes, ours against
//! openapi-to-rust's, for the same spec.
//!
//! For each spec, two scratch crates sharing one target directory
//! (`target/scratch/target`, see [`crate::scratch`]):
//! - **ours**: the client `bench-child --spec` writes (generated in this
//!   process with the same settings: the client alone, no typed mocks,
//!   which sit behind a feature a user's build does not enable) as
//!   `src/generated.rs` of a crate depending on `alakazam-client`;
//! - **the peer's**: the `.rs` files `openapi-to-rust generate SPEC
//!   --output-dir DIR --quiet` writes, as a module `api` of a crate whose
//!   dependencies are the ones its `REQUIRED_DEPS.toml` names.
//!
//! Both modules carry the same `#[allow(…)]` attributes (no lint output
//! to render), both crates the workspace's lock file and profiles. Each
//! crate is checked once, untimed, which checks its dependencies; then
//! `--repetitions` rounds alternate the two (ours first in even rounds,
//! the peer's first in odd ones). Before each timed run the crate's
//! sources are touched, and checks run with `CARGO_INCREMENTAL=0`: each
//! timed `cargo check` type-checks the generated crate from scratch, and
//! only it (a run whose cargo output does not say `Checking` that crate is
//! an error). What is timed is the wall time of the `cargo check` process.
//!
//! Printed per spec: the median of each side, the median of the rounds'
//! ratios (ours / peer's), the lines of each side's generated code, and
//! the 1-minute load average read before each round (median); then the
//! shape of both outputs (derives, untagged enums, impls, type aliases),
//! to see what makes a slow one slow. Run xtask optimized only for the
//! generation; the checks do not depend on it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Stats, side_by_side, tail};
use crate::scratch::{self, Cargo, Outcome, ScratchCrate};
use crate::{Failure, workspace};

/// Package names of the two crates (reused for every spec).
const OURS: &str = "peer-check-ours";
const PEERS: &str = "peer-check-peer";

/// What one spec came to.
struct Measured {
    spec: String,
    ours: Vec<f64>,
    peer: Vec<f64>,
    load: Vec<f64>,
    our_shape: Shape,
    peer_shape: Shape,
}

/// Counts in generated code that drive the cost of checking it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Shape {
    lines: usize,
    /// Types with a `#[derive(…)]`.
    derives: usize,
    /// Serde derive macros among them (each expands to a trait impl).
    serde_derives: usize,
    untagged: usize,
    /// `impl` blocks written out (not derived).
    impls: usize,
    /// `pub type X = …;`
    aliases: usize,
    structs: usize,
    enums: usize,
}

impl Shape {
    fn add(&mut self, text: &str) {
        for line in text.lines() {
            let l = line.trim_start();
            self.lines += 1;
            if l.starts_with("#[derive(") {
                self.derives += 1;
                self.serde_derives +=
                    l.matches("Serialize").count() + l.matches("Deserialize").count();
            }
            if l.starts_with("#[serde(untagged") {
                self.untagged += 1;
            }
            if l.starts_with("impl ") || l.starts_with("impl<") {
                self.impls += 1;
            }
            if l.starts_with("pub type ") {
                self.aliases += 1;
            }
            if l.starts_with("pub struct ") {
                self.structs += 1;
            }
            if l.starts_with("pub enum ") {
                self.enums += 1;
            }
        }
    }
}

pub(crate) fn run(
    specs: &[PathBuf],
    repetitions: u32,
    peer_bin: Option<&Path>,
) -> Result<(), Failure> {
    let peer_bin = side_by_side::find_peer(peer_bin)?;
    let version = side_by_side::peer_version(&peer_bin)?;
    let (mut rows, mut failed) = (Vec::new(), Vec::new());
    for spec in specs {
        // One spec failing (to generate or to compile) does not lose the
        // others' figures: it is listed at the end.
        match measure(spec, repetitions, &peer_bin) {
            Ok(row) => {
                // Each spec's result as soon as it is known: a run takes long.
                eprint!("{}", table(std::slice::from_ref(&row), &version));
                rows.push(row);
            }
            Err(f) => {
                eprintln!("{}", f.message.trim_end());
                failed.push(workspace::label(spec));
            }
        }
    }
    print!("{}", table(&rows, &version));
    print!("{}", shapes(&rows));
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "error: not measured (see above): {}",
            failed.join(", ")
        )))
    }
}

fn measure(spec: &Path, repetitions: u32, peer_bin: &Path) -> Result<Measured, Failure> {
    let label = workspace::label(spec);
    eprintln!("bench: {label}: generating both clients");
    let loaded = codegen::Spec::load(spec)?;
    let code = codegen::generate(&loaded, &side_by_side::child_settings())?.code;
    let ours = ScratchCrate::new(OURS);
    ours.write(&code)?;
    let mut our_shape = Shape::default();
    our_shape.add(&code);

    let peer_dir = scratch::scratch_root().join(PEERS);
    let peer_shape = write_peer_crate(spec, peer_bin, &peer_dir)?;

    let target = scratch::shared_target_dir();
    let check_ours = || -> Result<Outcome, Failure> {
        ours.touch()?;
        checked(ours.check()?, OURS, ours.dir())
    };
    let check_peer = || -> Result<Outcome, Failure> {
        scratch::touch(&peer_dir.join("src/lib.rs"))?;
        checked(
            scratch::cargo(&peer_dir, &target, Cargo::Check, &[])?,
            PEERS,
            &peer_dir,
        )
    };
    eprintln!(
        "bench: {label}: one untimed check of each crate (and its dependencies), then \
         {repetitions} alternating rounds"
    );
    check_ours()?;
    check_peer()?;
    let mut measured = Measured {
        spec: label,
        ours: Vec::new(),
        peer: Vec::new(),
        load: Vec::new(),
        our_shape,
        peer_shape,
    };
    for round in 0..repetitions {
        measured.load.extend(load_average());
        let (a, b) = if round % 2 == 0 {
            let a = check_ours()?;
            (a, check_peer()?)
        } else {
            let b = check_peer()?;
            (check_ours()?, b)
        };
        let (a, b) = (a.duration.as_secs_f64(), b.duration.as_secs_f64());
        eprintln!(
            "bench: {}: round {}: ours {a:.1} s, peer's {b:.1} s",
            measured.spec,
            round + 1
        );
        measured.ours.push(a);
        measured.peer.push(b);
    }
    Ok(measured)
}

/// `outcome` if cargo succeeded and compiled the crate `name`, else an
/// error with the end of cargo's output.
fn checked(outcome: Outcome, name: &str, dir: &Path) -> Result<Outcome, Failure> {
    if !outcome.success {
        return Err(Failure::new(format!(
            "error: `cargo check` of {} failed:\n{}",
            dir.display(),
            tail(&outcome.stderr, 40)
        )));
    }
    if !compiled(&outcome.stderr, name) {
        return Err(Failure::new(format!(
            "error: `cargo check` of {} did not check `{name}` again (touching its sources \
             should have made it):\n{}",
            dir.display(),
            tail(&outcome.stderr, 10)
        )));
    }
    Ok(outcome)
}

/// Whether cargo's progress in `stderr` says it checked the package `name`.
fn compiled(stderr: &str, name: &str) -> bool {
    stderr.lines().any(|l| {
        let mut words = l.split_whitespace();
        words.next() == Some("Checking") && words.next() == Some(name)
    })
}

/// Runs the peer on `spec` into `dir/src/api` and writes the crate around
/// it; returns the shape of what it generated.
fn write_peer_crate(spec: &Path, peer_bin: &Path, dir: &Path) -> Result<Shape, Failure> {
    let api = dir.join("src/api");
    if api.exists() {
        std::fs::remove_dir_all(&api)
            .map_err(|e| Failure::new(format!("error: cannot empty {}: {e}", api.display())))?;
    }
    scratch::create_dir(&api)?;
    let output = Command::new(peer_bin)
        .arg("generate")
        .arg(spec)
        .arg("--output-dir")
        .arg(&api)
        .arg("--quiet")
        .output()
        .map_err(|e| Failure::new(format!("error: cannot run {}: {e}", peer_bin.display())))?;
    if !output.status.success() {
        return Err(Failure::new(format!(
            "error: openapi-to-rust failed on {}:\n{}",
            spec.display(),
            tail(&String::from_utf8_lossy(&output.stderr), 20)
        )));
    }
    let required = scratch::read(&api.join("REQUIRED_DEPS.toml"))?;
    let mut modules = Vec::new();
    let mut shape = Shape::default();
    let entries = std::fs::read_dir(&api)
        .map_err(|e| Failure::new(format!("error: cannot list {}: {e}", api.display())))?;
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.extension().is_some_and(|e| e == "rs") {
            shape.add(&scratch::read(&path)?);
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                modules.push(stem.to_owned());
            }
        }
    }
    modules.sort();
    if !modules.iter().any(|m| m == "mod") {
        let declared: String = modules.iter().map(|m| format!("pub mod {m};\n")).collect();
        scratch::write(&api.join("mod.rs"), &declared)?;
    }
    let root_manifest = scratch::read(&workspace::root().join("Cargo.toml"))?;
    scratch::write(
        &dir.join("Cargo.toml"),
        &peer_manifest(&required, &root_manifest),
    )?;
    scratch::write(&dir.join("src/lib.rs"), &peer_lib())?;
    scratch::sync_lock(dir)?;
    Ok(shape)
}

/// The peer crate's `lib.rs`: its code as `mod api`, with the lints our
/// scratch crates allow.
fn peer_lib() -> String {
    format!(
        "//! Written by `cargo xtask bench --peer-check`: openapi-to-rust's output, compiled \
         alone.\n#[rustfmt::skip]\n{}\npub mod api;\n",
        scratch::MODULE_ALLOWS
    )
}

/// The peer crate's manifest: the dependency tables of its
/// `REQUIRED_DEPS.toml` (everything from the first `[…dependencies]`
/// header on, comments included), our profiles, a workspace of its own.
fn peer_manifest(required: &str, root_manifest: &str) -> String {
    let mut out = format!(
        "# Written by `cargo xtask bench --peer-check`; rewritten on every run.\n\
         [package]\nname = \"{PEERS}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n"
    );
    let mut inside = false;
    for line in required.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed.ends_with("dependencies]");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\n[workspace]\n\n");
    out.push_str(&scratch::profiles(root_manifest));
    out
}

/// The 1-minute load average (Linux), or nothing.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The median over rounds of ours / peer's.
fn median_ratio(ours: &[f64], peer: &[f64]) -> f64 {
    let ratios = ours.iter().zip(peer).filter(|(_, b)| **b > 0.0);
    Stats::of_values(ratios.map(|(a, b)| a / b).collect()).median
}

fn table(rows: &[Measured], version: &str) -> String {
    let mut out = format!(
        "`cargo check` of the generated crate alone, seconds (median of rounds), \
         ours / openapi-to-rust {version}:\n{:<44} {:>7} {:>7} {:>7} {:>8} {:>8} {:>6} {:>5}\n",
        "spec", "ours", "peer's", "ratio", "lines", "peer's", "rounds", "load"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<44} {:>7.1} {:>7.1} {:>6.2}× {:>8} {:>8} {:>6} {:>5.1}\n",
            r.spec,
            Stats::of_values(r.ours.clone()).median,
            Stats::of_values(r.peer.clone()).median,
            median_ratio(&r.ours, &r.peer),
            r.our_shape.lines,
            r.peer_shape.lines,
            r.ours.len(),
            Stats::of_values(r.load.clone()).median,
        ));
    }
    out
}

fn shapes(rows: &[Measured]) -> String {
    let mut out = format!(
        "shape of the generated code, ours | peer's:\n{:<44} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13}\n",
        "spec", "derives", "serde derives", "untagged", "impls", "structs", "enums", "aliases"
    );
    for r in rows {
        let (a, b) = (&r.our_shape, &r.peer_shape);
        let pair = |x: usize, y: usize| format!("{x}|{y}");
        out.push_str(&format!(
            "{:<44} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13}\n",
            r.spec,
            pair(a.derives, b.derives),
            pair(a.serde_derives, b.serde_derives),
            pair(a.untagged, b.untagged),
            pair(a.impls, b.impls),
            pair(a.structs, b.structs),
            pair(a.enums, b.enums),
            pair(a.aliases, b.aliases),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_the_median_of_the_rounds_ratios() {
        // Rounds: 0.5, 0.8, 0.6 → 0.6, not the ratio of the medians (10/20).
        assert!((median_ratio(&[10.0, 8.0, 12.0], &[20.0, 10.0, 20.0]) - 0.6).abs() < 1e-9);
        assert!((median_ratio(&[1.0, 3.0], &[2.0, 4.0]) - 0.625).abs() < 1e-9);
        // A zero time (never measured as such) is left out, not divided by.
        assert!((median_ratio(&[1.0, 1.0], &[0.0, 2.0]) - 0.5).abs() < 1e-9);
        assert_eq!(median_ratio(&[], &[]), 0.0);
    }

    #[test]
    fn recognizes_the_crate_being_checked() {
        let stderr = "    Checking serde v1.0.0\n    Checking peer-check-peer v0.0.0 (/x)\n    Finished `dev` profile";
        assert!(compiled(stderr, PEERS));
        assert!(!compiled(stderr, OURS));
        assert!(!compiled("    Finished `dev` profile", OURS));
    }

    #[test]
    fn peer_manifest_takes_the_dependency_tables() {
        let required = "# Add these to your Cargo.toml\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n\n[dev-dependencies]\ntokio = \"1\"\n";
        let root = "[workspace]\nmembers = []\n\n[profile.dev]\ndebug = 0\n";
        let manifest = peer_manifest(required, root);
        assert!(
            manifest.contains("name = \"peer-check-peer\""),
            "{manifest}"
        );
        assert!(
            manifest
                .contains("[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n"),
            "{manifest}"
        );
        assert!(
            manifest.contains("[dev-dependencies]\ntokio = \"1\"\n"),
            "{manifest}"
        );
        assert!(!manifest.contains("Add these"), "{manifest}");
        assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
        assert!(
            manifest.contains("[profile.dev]\ndebug = 0\n"),
            "{manifest}"
        );
        assert!(!manifest.contains("members"), "{manifest}");
    }

    #[test]
    fn counts_the_shape() {
        let mut shape = Shape::default();
        shape.add(
            "#[derive(Clone, Debug, Deserialize, Serialize)]\n#[serde(untagged)]\npub enum A { B(u8) }\nimpl From<u8> for A {}\n  impl<T> X for T {}\npub type C = A;\npub struct D;\n",
        );
        assert_eq!(
            shape,
            Shape {
                lines: 7,
                derives: 1,
                serde_derives: 2,
                untagged: 1,
                impls: 2,
                aliases: 1,
                structs: 1,
                enums: 1,
            }
        );
    }
}
