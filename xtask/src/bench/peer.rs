//! The peer of the comparison: openapi-generator's Rust client (`-g rust`,
//! its default reqwest library, async) for the same synthetic spec.
//!
//! The generated crate goes to `target/scratch/peer-<n>/` and is never
//! committed. Before building, its `Cargo.toml` gets a `[workspace]`
//! table and the workspace's `[profile.*]` tables, and the workspace's
//! `Cargo.lock` is copied in, so shared dependencies (serde, reqwest, …)
//! are the versions our client compiles against. It builds with
//! `--no-default-features --features rustls`: the default, native-tls,
//! would need OpenSSL headers, and rustls is what our client uses.
//!
//! Generation time includes the JVM's start (a user pays it too); peak
//! memory is not measured.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::{Row, Stats, build_times, tail};
use crate::Failure;
use crate::scratch::{self, Cargo};

/// The report's name for the peer.
pub(crate) const GENERATOR: &str = "openapi-generator";

/// Features the peer crate is built with.
const FEATURES: [&str; 3] = ["--no-default-features", "--features", "rustls"];

/// How to run openapi-generator.
pub(crate) struct Tool {
    program: OsString,
    prefix: Vec<OsString>,
    /// What `version` printed.
    pub version: String,
}

impl Tool {
    /// `java -jar JAR` for `jar` or `$OPENAPI_GENERATOR_JAR`, else
    /// `openapi-generator-cli` on PATH (the PyPI package's launcher, which
    /// runs the jar it bundles).
    pub(crate) fn find(jar: Option<&Path>) -> Result<Tool, Failure> {
        let jar = jar
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("OPENAPI_GENERATOR_JAR").map(PathBuf::from));
        let (program, prefix): (OsString, Vec<OsString>) = match jar {
            Some(jar) => ("java".into(), vec!["-jar".into(), jar.into()]),
            None => ("openapi-generator-cli".into(), Vec::new()),
        };
        let mut tool = Tool {
            program,
            prefix,
            version: String::new(),
        };
        let output = tool
            .command()
            .arg("version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .ok_or_else(|| {
                Failure::new(format!(
                    "error: cannot run openapi-generator ({} {} version)\n\
                     help: install it with `pip install openapi-generator-cli` (needs Java 11+), \
                     or pass --peer-jar / set OPENAPI_GENERATOR_JAR to its jar",
                    tool.program.to_string_lossy(),
                    tool.prefix
                        .iter()
                        .map(|p| p.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(" "),
                ))
            })?;
        tool.version = String::from_utf8_lossy(&output.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .trim()
            .to_owned();
        Ok(tool)
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.prefix);
        c
    }

    /// Generates the Rust client for `spec` into `out` (emptied first).
    fn generate(&self, spec: &Path, out: &Path, package: &str) -> Result<(), Failure> {
        if out.exists() {
            std::fs::remove_dir_all(out)
                .map_err(|e| Failure::new(format!("error: cannot empty {}: {e}", out.display())))?;
        }
        let output = self
            .command()
            .arg("generate")
            .args(["-g", "rust", "-i"])
            .arg(spec)
            .arg("-o")
            .arg(out)
            .arg(format!(
                "--additional-properties=packageName={package},packageVersion=0.0.0"
            ))
            // Rust sources only: docs and tests would not be compiled.
            .arg("--global-property=apiDocs=false,modelDocs=false,apiTests=false,modelTests=false")
            .output()
            .map_err(|e| Failure::new(format!("error: cannot run openapi-generator: {e}")))?;
        if !output.status.success() {
            return Err(Failure::new(format!(
                "error: openapi-generator failed on {}:\n{}{}",
                spec.display(),
                tail(&String::from_utf8_lossy(&output.stdout), 20),
                tail(&String::from_utf8_lossy(&output.stderr), 20),
            )));
        }
        Ok(())
    }
}

/// Where the peer crate for `name` goes, and its spec file.
fn paths(name: &str) -> (PathBuf, PathBuf) {
    let root = scratch::scratch_root();
    (root.join(name), root.join(format!("{name}.yaml")))
}

/// Generates the peer crate `name` for the spec `text`; returns its directory.
fn generate(tool: &Tool, name: &str, text: &str) -> Result<PathBuf, Failure> {
    let (dir, spec) = paths(name);
    scratch::create_dir(scratch::scratch_root().as_path())?;
    scratch::write(&spec, text)?;
    tool.generate(&spec, &dir, &name.replace('-', "_"))?;
    Ok(dir)
}

/// Makes the generated crate a scratch crate: its own workspace, our
/// profiles, our lock file.
fn adopt(dir: &Path) -> Result<(), Failure> {
    let manifest_path = dir.join("Cargo.toml");
    let mut manifest = scratch::read(&manifest_path)?;
    let root_manifest = scratch::read(&crate::workspace::root().join("Cargo.toml"))?;
    manifest.push_str("\n[workspace]\n\n");
    manifest.push_str(&scratch::profiles(&root_manifest));
    scratch::write(&manifest_path, &manifest)?;
    scratch::sync_lock(dir)
}

fn cargo(dir: &Path, what: Cargo) -> Result<scratch::Outcome, Failure> {
    scratch::cargo(dir, &scratch::shared_target_dir(), what, &FEATURES)
}

/// Builds the peer's dependencies once, with a one-operation client.
pub(crate) fn warm_up(tool: &Tool) -> Result<(), Failure> {
    eprintln!("bench: building the dependencies of the peer's crates (minutes the first time)");
    let dir = generate(tool, "peer-warm", &codegen::synth::spec(1))?;
    adopt(&dir)?;
    for what in [Cargo::Build, Cargo::Check] {
        let outcome = cargo(&dir, what)?;
        if !outcome.success {
            return Err(Failure::new(format!(
                "error: openapi-generator's crate in {} does not compile:\n{}",
                dir.display(),
                tail(&outcome.stderr, 40)
            )));
        }
    }
    Ok(())
}

/// Generation time (median of up to 3 runs: each starts a JVM), size, and
/// unless `skip_build` the build and check times of the crate alone.
pub(crate) fn measure(
    tool: &Tool,
    n: usize,
    repetitions: u32,
    skip_build: bool,
) -> Result<Row, Failure> {
    let text = codegen::synth::spec(n);
    let name = format!("peer-{n}");
    let runs = repetitions.min(3);
    eprintln!("bench: openapi-generator, {n} operations, {runs} runs");
    let mut durations = Vec::new();
    let mut dir = PathBuf::new();
    for _ in 0..runs {
        let started = Instant::now();
        dir = generate(tool, &name, &text)?;
        durations.push(started.elapsed());
    }
    let (files, lines, bytes) = rust_sources(&dir.join("src"))?;
    let build = if skip_build {
        None
    } else {
        let what = format!("openapi-generator, {n} operations");
        eprintln!("bench: {what}: cargo build, then cargo check");
        adopt(&dir)?;
        let build = cargo(&dir, Cargo::Build)?;
        scratch::touch(&dir.join("src/lib.rs"))?;
        let check = cargo(&dir, Cargo::Check)?;
        Some(build_times(&what, &build, &check))
    };
    Ok(Row {
        generator: GENERATOR,
        operations: n,
        spec_bytes: text.len(),
        generate_ms: Stats::of(&durations),
        peak_rss_kib: None,
        files,
        lines,
        bytes,
        build,
    })
}

/// Files, lines and bytes of the `.rs` files under `dir`.
fn rust_sources(dir: &Path) -> Result<(usize, usize, usize), Failure> {
    let mut totals = (0, 0, 0);
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| Failure::new(format!("error: cannot list {}: {e}", d.display())))?;
        for entry in entries {
            let path = entry
                .map_err(|e| Failure::new(format!("error: cannot list {}: {e}", d.display())))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = scratch::read(&path)?;
                totals.0 += 1;
                totals.1 += text.lines().count();
                totals.2 += text.len();
            }
        }
    }
    Ok(totals)
}
