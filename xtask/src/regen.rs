//! `cargo xtask regen [--spec PATH] [--out PATH] [--check] [--deny-warnings]`

use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::{Failure, last_regen, workspace};

pub(crate) const DEFAULT_OUT: &str = "generated-client/src/generated.rs";
/// The file name of the httpmock extensions, written beside `--out`.
pub(crate) const MOCK_FILE: &str = "generated_httpmock.rs";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The spec to generate from.
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// Where to write the generated client.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 with a diff when the output is stale.
    #[arg(long)]
    check: bool,
    /// Fail (exit 1, nothing written) when codegen had to normalize the
    /// spec: every warning becomes an error.
    #[arg(long)]
    deny_warnings: bool,
}

pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let spec_path = workspace::path_or(args.spec.as_deref(), workspace::DEFAULT_SPEC);
    let out = workspace::path_or(args.out.as_deref(), DEFAULT_OUT);
    let spec = codegen::Spec::load(&spec_path)?;
    let settings = codegen::Settings {
        spec_label: Some(workspace::label(&spec_path)),
        // The typed httpmock extensions behind alakazam-client's `mock`
        // feature reach the client's types at the crate root.
        httpmock: Some("crate".to_owned()),
        deny_warnings: args.deny_warnings,
        ..Default::default()
    };
    let generated = codegen::generate(&spec, &settings)?;
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    eprintln!("coverage: {}", generated.coverage.summary());
    // The mock extensions live beside the client: `<out dir>/generated_httpmock.rs`.
    let mock_out = out.with_file_name(MOCK_FILE);
    let mut files = vec![(out, generated.code)];
    if let Some(mock) = generated.httpmock {
        files.push((mock_out, mock));
    }
    // The spec this client comes from, so that the next regen can tell
    // what changed (see last_regen.rs).
    let snapshot = last_regen::snapshot_path(&files[0].0);
    files.push((snapshot, last_regen::snapshot_text(&spec_path, &spec)));
    if args.check {
        return check(&files);
    }
    let before = last_regen::Before::read(&files[0].0, &spec_path);
    let stale = files
        .iter()
        .any(|(path, text)| std::fs::read(path).ok().as_deref() != Some(text.as_bytes()));
    // Compared before writing, so that the changelog entry is written in
    // the same batch as the code it describes.
    let summary = stale.then(|| before.summary(&spec, &files[0].1, &files[0].0));
    let log = match &summary {
        Some(Ok(s)) => last_regen::changelog_update(&files[0].0, &s.changes),
        _ => None,
    };
    let log_path = log.as_ref().map(|(path, _)| path.clone());
    files.extend(log);
    let changed = workspace::write_all(&files)?;
    if changed.is_empty() {
        eprintln!("regen: up to date");
    }
    for path in &changed {
        if Some(path) == log_path.as_ref() {
            eprintln!(
                "regen: recorded the API changes under Unreleased in {}",
                workspace::label(path)
            );
        } else {
            eprintln!("regen: wrote {}", workspace::label(path));
        }
    }
    match summary {
        Some(Ok(s)) => print!("{}", s.text),
        Some(Err(note)) => eprintln!("{note}"),
        None => {}
    }
    Ok(())
}

/// Compares each file with what would be written; prints unified diffs.
fn check(files: &[(PathBuf, String)]) -> Result<(), Failure> {
    let mut report = String::new();
    for (path, expected) in files {
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if &current != expected {
            report.push_str(&diff(path, &current, expected));
        }
    }
    if report.is_empty() {
        eprintln!("regen --check: generated code is up to date");
        Ok(())
    } else {
        print!("{report}");
        Err(Failure::new(
            "error: the generated code is stale; run `cargo xtask regen` and commit the result",
        ))
    }
}

fn diff(path: &Path, current: &str, expected: &str) -> String {
    let label = workspace::label(path);
    TextDiff::from_lines(current, expected)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{label}"), &format!("b/{label}"))
        .to_string()
}
