//! `cargo xtask diff OLD NEW` and `cargo xtask diff --git REV [--spec PATH]`:
//! what changed between two specs, what it breaks, and the next version of
//! alakazam-client. Also the summary `regen` prints after writing.
//!
//! Both sides go through `codegen`'s loader and validation (YAML or JSON,
//! the same normalizations as regen); the comparison itself is
//! `codegen::diff` (see its docs for the classification rules and the JSON
//! schema).

use std::path::{Path, PathBuf};

use codegen::diff::{Report, Verdict};

use crate::manifest::Manifest;
use crate::report::{Format, render};
use crate::{Failure, changelog, git, workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FailOn {
    /// Always exit 0 once the report is printed.
    Never,
    /// Exit 1 when any change is breaking.
    Breaking,
    /// Exit 1 when anything changed.
    Any,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The old spec (YAML or JSON).
    #[arg(
        value_name = "OLD",
        required_unless_present = "git",
        conflicts_with = "git"
    )]
    old: Option<PathBuf>,
    /// The new spec (YAML or JSON).
    #[arg(
        value_name = "NEW",
        required_unless_present = "git",
        conflicts_with = "git"
    )]
    new: Option<PathBuf>,
    /// Compare the spec at this git revision with the working tree.
    #[arg(long, value_name = "REV")]
    git: Option<String>,
    /// The spec compared by --git [default: spec/alakazam.yaml].
    #[arg(long, value_name = "PATH", requires = "git")]
    spec: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when changes of this kind are found (for CI).
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = FailOn::Never)]
    fail_on: FailOn,
    /// Write the next version into the crate's Cargo.toml (and Cargo.lock),
    /// and move the changelog's Unreleased entries under it.
    #[arg(long)]
    bump: bool,
    /// The crate manifest the verdict is relative to [default:
    /// generated-client/Cargo.toml].
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let (old, new) = sides(args)?;
    let changes = codegen::diff::compare(&old, &new, &codegen::Settings::default())?;
    let manifest = workspace::path_or(args.manifest.as_deref(), workspace::DEFAULT_MANIFEST);
    let version = Manifest::read(&manifest)?;
    let verdict = match Verdict::new(&version.name, &changes, &version.version) {
        Ok(v) => Some(v),
        Err(e) if args.bump => return Err(Failure::new(format!("error: {e}"))),
        Err(e) => {
            eprintln!("note: no version verdict: {e}");
            None
        }
    };
    let report = Report {
        old: old.name(),
        new: new.name(),
        changes: &changes,
        verdict: verdict.as_ref(),
    };
    print!("{}", render(&report, args.format));

    if args.bump
        && let Some(v) = &verdict
    {
        if v.next == v.current {
            eprintln!("diff: no API change; {} stays at {}", v.krate, v.current);
        } else {
            let log = changelog::beside(&manifest);
            let current = std::fs::read_to_string(&log).ok();
            let released = changelog::release(
                current.as_deref(),
                &v.next,
                &changelog::today(),
                &changes,
                version.repository.as_deref(),
            );
            let mut files = version.bumped(&v.next)?;
            // The version and its changelog entry land together, or neither.
            files.push((log.clone(), released));
            workspace::write_all(&files)?;
            eprintln!(
                "diff: bumped {} from {} to {} in {}; changes recorded in {}",
                v.krate,
                v.current,
                v.next,
                workspace::label(&manifest),
                workspace::label(&log)
            );
        }
    }
    let hit = match args.fail_on {
        FailOn::Never => false,
        FailOn::Breaking => changes.breaking(),
        FailOn::Any => !changes.is_empty(),
    };
    if hit {
        let what = match args.fail_on {
            FailOn::Any => "API changes",
            _ => "breaking API changes",
        };
        return Err(Failure::new(format!(
            "error: {what} found (--fail-on {})",
            match args.fail_on {
                FailOn::Any => "any",
                _ => "breaking",
            }
        )));
    }
    Ok(())
}

fn sides(args: &Args) -> Result<(codegen::Spec, codegen::Spec), Failure> {
    if let Some(rev) = &args.git {
        let path = workspace::path_or(args.spec.as_deref(), workspace::DEFAULT_SPEC);
        let bytes = git::show(rev, &path)?;
        let label = workspace::label(&path);
        let old = codegen::Spec::from_bytes(format!("{label}@{rev}"), &bytes)?;
        let new = load(&path)?;
        return Ok((old, new));
    }
    match (&args.old, &args.new) {
        (Some(old), Some(new)) => Ok((load(old)?, load(new)?)),
        // clap requires both unless --git is given.
        _ => Err(Failure {
            message: "error: give OLD and NEW, or --git REV".to_owned(),
            code: 2,
        }),
    }
}

/// Loads a spec, naming it as `regen` would (relative to the workspace).
fn load(path: &Path) -> Result<codegen::Spec, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", path.display())))?;
    Ok(codegen::Spec::from_bytes(workspace::label(path), &bytes)?)
}
