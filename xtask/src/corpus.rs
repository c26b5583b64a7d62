//! `cargo xtask corpus DIR [--no-check] [--report FILE.json]`: every spec
//! of a directory through codegen and the compiler, with its typed
//! coverage.
//!
//! For each `.yaml`/`.yml`/`.json` file of DIR (not recursive, by name):
//! generate (with the runtime at `::alakazam_client::runtime`), write the
//! code into a scratch crate of its own (`target/scratch/corpus-<name>`,
//! see [`crate::scratch`]) and `cargo check` it. One line per spec, then
//! `N passed, M failed`; exit 1 when any failed. The scratch crates share
//! one target directory, so dependencies are checked once.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::scratch::{self, ScratchCrate};
use crate::{Failure, workspace};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The directory of specs.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Generate only; do not compile the generated code.
    #[arg(long)]
    no_check: bool,
    /// Treat warnings (what codegen normalized) as failures.
    #[arg(long)]
    deny_warnings: bool,
    /// Also write the results as JSON to FILE: per spec, whether it passed,
    /// the line printed, and its typed coverage (what is not typed, and why).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

/// What happened to one spec.
#[derive(serde::Serialize)]
struct Line {
    #[serde(rename = "spec")]
    name: String,
    ok: bool,
    text: String,
    /// `None` when the spec did not generate.
    coverage: Option<codegen::Coverage>,
}

pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let specs = list(&args.dir)?;
    if specs.is_empty() {
        return Err(Failure::new(format!(
            "error: no .yaml, .yml or .json file in {}",
            args.dir.display()
        )));
    }
    let width = specs
        .iter()
        .map(|p| file_name(p).chars().count())
        .max()
        .unwrap_or(0);
    let mut passed = 0;
    let mut failed = 0;
    let mut lines = Vec::new();
    for path in &specs {
        let line = one(path, args);
        if line.ok {
            passed += 1;
        } else {
            failed += 1;
        }
        println!(
            "{:<4}  {:<width$}  {}",
            if line.ok { "ok" } else { "FAIL" },
            line.name,
            line.text
        );
        if let Some(coverage) = &line.coverage {
            println!(
                "{:<4}  {:<width$}  coverage: {}",
                "",
                "",
                coverage.summary()
            );
        }
        lines.push(line);
    }
    println!("{passed} passed, {failed} failed");
    if let Some(report) = &args.report {
        let json = serde_json::to_string_pretty(&lines)
            .map_err(|e| Failure::new(format!("error: cannot write the report: {e}")))?;
        std::fs::write(report, json + "\n")
            .map_err(|e| Failure::new(format!("error: cannot write {}: {e}", report.display())))?;
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "error: {failed} of {} specs failed",
            passed + failed
        )));
    }
    Ok(())
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", dir.display())))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        })
        .collect();
    specs.sort();
    Ok(specs)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn one(path: &Path, args: &Args) -> Line {
    let name = file_name(path);
    let fail = |text: String| Line {
        name: name.clone(),
        ok: false,
        text,
        coverage: None,
    };
    let started = Instant::now();
    let settings = codegen::Settings {
        spec_label: Some(workspace::label(path)),
        runtime: scratch::RUNTIME.to_owned(),
        ..Default::default()
    };
    let generated = codegen::Spec::load(path).and_then(|spec| codegen::generate(&spec, &settings));
    let generate_time = started.elapsed();
    let generated = match generated {
        Ok(g) => g,
        Err(e) => return fail(format!("generate failed: {}", first_problem(&e))),
    };
    let warnings = generated.warnings.len();
    if args.deny_warnings && warnings > 0 {
        let first = &generated.warnings[0];
        return fail(format!(
            "{warnings} warnings denied; first: {}",
            headline(first)
        ));
    }
    if !generated.coverage.uninhabited.is_empty() {
        return fail(format!(
            "generated types no value inhabits (enums without variants): {}",
            generated.coverage.uninhabited.join(", ")
        ));
    }
    let coverage = Some(generated.coverage.clone());
    let lines = generated.code.lines().count();
    let mut text = format!(
        "generated in {} ({lines} lines, {warnings} warning{})",
        secs(generate_time),
        if warnings == 1 { "" } else { "s" }
    );
    if args.no_check {
        return Line {
            name,
            ok: true,
            text,
            coverage,
        };
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let krate = ScratchCrate::new(&format!("corpus-{stem}"));
    let outcome = match krate.write(&generated.code).and_then(ScratchCrate::check) {
        Ok(o) => o,
        Err(f) => return fail(format!("{text}; {}", f.message)),
    };
    if !outcome.success {
        let first = outcome
            .stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("cargo check failed");
        return Line {
            coverage,
            ..fail(format!(
                "{text}; cargo check failed in {}: {first} (crate in {})",
                secs(outcome.duration),
                workspace::label(krate.dir())
            ))
        };
    }
    text.push_str(&format!(", checked in {}", secs(outcome.duration)));
    Line {
        name,
        ok: true,
        text,
        coverage,
    }
}

/// `file:line:col: message` of a diagnostic.
fn headline(d: &codegen::Diagnostic) -> String {
    match d.location {
        Some(l) => format!("{}:{}:{}: {}", d.file, l.line, l.column, d.message),
        None => format!("{}: {}", d.file, d.message),
    }
}

fn first_problem(e: &codegen::Error) -> String {
    let errors: Vec<&codegen::Diagnostic> =
        e.diagnostics().iter().filter(|d| d.is_error()).collect();
    match errors.first() {
        Some(d) if errors.len() > 1 => format!("{} (and {} more)", headline(d), errors.len() - 1),
        Some(d) => headline(d),
        None => e.to_string().lines().next().unwrap_or_default().to_owned(),
    }
}
