//! `cargo xtask diff OLD NEW` and `cargo xtask diff --git REV [--spec PATH]`:
//! what changed between two specs, what it breaks, and the next version of
//! alakazam-client. Also the summary `regen` prints after writing.
//!
//! Both sides go through `codegen`'s loader and validation (YAML or JSON,
//! the same normalizations as regen); the comparison itself is
//! `codegen::diff` (see its docs for the classification rules and the JSON
//! schema).
//!
//! How regen knows what it generated from before: beside the generated
//! file it keeps a byte-for-byte copy of the spec it was generated from
//! (`generated.rs` → `generated.spec.yaml`), written in the same atomic
//! batch as the code and checked by `regen --check` like the code. The
//! copy is trusted only when its SHA-256 equals the one in the generated
//! file's banner; otherwise (first run, hand edits) the spec at git `HEAD`
//! is used if its digest matches, and else the summary is skipped with a
//! note. The Rust-API half of the summary compares the generated file on
//! disk with the new one, so generator changes show up too.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::diff::{Changes, Report, Verdict};

use crate::{Failure, regen, workspace};

/// The manifest whose version the verdict is relative to.
pub(crate) const DEFAULT_MANIFEST: &str = "generated-client/Cargo.toml";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Grouped by breaking/additive, coloured on a terminal.
    Human,
    /// One JSON object (format 1, documented in `codegen::diff`).
    Json,
    /// For a pull-request description.
    Markdown,
}

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
    /// Write the next version into the crate's Cargo.toml.
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
    let manifest = workspace::path_or(args.manifest.as_deref(), DEFAULT_MANIFEST);
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
            version.write(&v.next)?;
            eprintln!(
                "diff: bumped {} from {} to {} in {}",
                v.krate,
                v.current,
                v.next,
                workspace::label(&manifest)
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

fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Human => report.human(use_colour()),
        Format::Json => report.json(),
        Format::Markdown => report.markdown(),
    }
}

/// Colour only for a person at a terminal, and never under `NO_COLOR`.
fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn sides(args: &Args) -> Result<(codegen::Spec, codegen::Spec), Failure> {
    if let Some(rev) = &args.git {
        let path = workspace::path_or(args.spec.as_deref(), regen::DEFAULT_SPEC);
        let bytes = git_show(rev, &path)?;
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

/// The file at `path` as of git revision `rev` (`git show REV:./FILE`,
/// run in the file's directory so any path inside a repository works).
fn git_show(rev: &str, path: &Path) -> Result<Vec<u8>, Failure> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Failure {
            message: format!("error: `{rev}` is not a git revision"),
            code: 2,
        });
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{file}"))
        .output()
        .map_err(|e| Failure::new(format!("error: cannot run git: {e}")))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(Failure::new(format!(
            "error: cannot read {} at {rev}: {}",
            workspace::label(path),
            why.trim()
        )));
    }
    Ok(output.stdout)
}

/// The `[package]` name and version of a crate manifest.
struct Manifest {
    path: PathBuf,
    doc: toml_edit::DocumentMut,
    name: String,
    version: String,
}

impl Manifest {
    fn read(path: &Path) -> Result<Manifest, Failure> {
        let shown = workspace::label(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::new(format!("error: cannot read {shown}: {e}")))?;
        let doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e| Failure::new(format!("error: {shown} is not valid TOML: {e}")))?;
        let package = doc.get("package").and_then(|p| p.as_table_like());
        let field = |key: &str| package.and_then(|p| p.get(key)).and_then(|v| v.as_str());
        let Some(version) = field("version") else {
            return Err(Failure::new(format!(
                "error: {shown} has no literal `package.version` (an inherited version is bumped in the workspace manifest)"
            )));
        };
        Ok(Manifest {
            path: path.to_path_buf(),
            name: field("name").unwrap_or("the crate").to_owned(),
            version: version.to_owned(),
            doc,
        })
    }

    /// Rewrites only the version string, keeping the rest of the file
    /// byte for byte (comments and spacing around the value included).
    fn write(mut self, next: &str) -> Result<(), Failure> {
        let value = self
            .doc
            .get_mut("package")
            .and_then(|p| p.as_table_like_mut())
            .and_then(|p| p.get_mut("version"))
            .and_then(|v| v.as_value_mut());
        let Some(value) = value else {
            return Err(Failure::new("error: `package.version` disappeared"));
        };
        let decor = value.decor().clone();
        *value = toml_edit::Value::from(next);
        *value.decor_mut() = decor;
        let mut files = vec![(self.path.clone(), self.doc.to_string())];
        // The lock file records the crate's version too: left behind, a
        // `--locked` build fails. Written with the manifest, or neither.
        if let Some(lock) = self.lock_with_version(next) {
            files.push(lock);
        }
        workspace::write_all(&files)?;
        Ok(())
    }

    /// The nearest `Cargo.lock` above the manifest, with this crate's entry
    /// (a path package: no `source`) set to `next`; `None` when there is no
    /// lock file or it has no such entry.
    fn lock_with_version(&self, next: &str) -> Option<(PathBuf, String)> {
        let lock = self
            .path
            .parent()?
            .ancestors()
            .map(|dir| dir.join("Cargo.lock"))
            .find(|p| p.is_file())?;
        let mut doc: toml_edit::DocumentMut = std::fs::read_to_string(&lock).ok()?.parse().ok()?;
        let packages = doc.get_mut("package")?.as_array_of_tables_mut()?;
        let entry = packages.iter_mut().find(|p| {
            p.get("name").and_then(|v| v.as_str()) == Some(self.name.as_str())
                && p.get("version").and_then(|v| v.as_str()) == Some(self.version.as_str())
                && p.get("source").is_none()
        })?;
        let value = entry.get_mut("version")?.as_value_mut()?;
        let decor = value.decor().clone();
        *value = toml_edit::Value::from(next);
        *value.decor_mut() = decor;
        Some((lock, doc.to_string()))
    }
}

/// Where regen keeps the spec a generated file was generated from.
pub(crate) fn snapshot_path(out: &Path) -> PathBuf {
    out.with_extension("spec.yaml")
}

/// The text regen keeps as the snapshot: the spec's bytes as read (so its
/// SHA-256 is the banner's), or its decoded text if the file changed.
pub(crate) fn snapshot_text(spec_path: &Path, spec: &codegen::Spec) -> String {
    match std::fs::read_to_string(spec_path) {
        Ok(text)
            if codegen::Spec::from_bytes("", text.as_bytes())
                .is_ok_and(|s| s.sha256() == spec.sha256()) =>
        {
            text
        }
        _ => spec.source().to_owned(),
    }
}

/// What regen is about to replace: the spec the current generated file
/// came from (when known) and that file.
pub(crate) struct Before {
    spec: Option<codegen::Spec>,
    code: Option<String>,
    note: Option<String>,
}

impl Before {
    /// Reads the previous state; must run before the new files are written.
    pub(crate) fn read(out: &Path, spec_path: &Path) -> Before {
        let code = std::fs::read_to_string(out).ok();
        let Some(digest) = code.as_deref().and_then(banner_digest) else {
            return Before {
                spec: None,
                code,
                note: Some(
                    "regen: no previous generated file with a spec digest; nothing to compare"
                        .to_owned(),
                ),
            };
        };
        let label = workspace::label(spec_path);
        let snapshot = snapshot_path(out);
        let from_snapshot = std::fs::read(&snapshot)
            .ok()
            .and_then(|b| codegen::Spec::from_bytes(format!("{label} (last regen)"), &b).ok())
            .filter(|s| s.sha256() == digest);
        let spec = from_snapshot.or_else(|| {
            git_show("HEAD", spec_path)
                .ok()
                .and_then(|b| codegen::Spec::from_bytes(format!("{label}@HEAD"), &b).ok())
                .filter(|s| s.sha256() == digest)
        });
        let note = spec.is_none().then(|| {
            format!(
                "regen: the spec {} was generated from is not known ({} is missing or stale, and git HEAD differs); no API summary this time",
                workspace::label(out),
                workspace::label(&snapshot)
            )
        });
        Before { spec, code, note }
    }

    /// The summary of API changes from the previous generation to `spec`
    /// and `code`, rendered for a person; `None` when nothing is known.
    pub(crate) fn summary(
        self,
        spec: &codegen::Spec,
        code: &str,
        out: &Path,
    ) -> Result<String, String> {
        if let Some(note) = self.note {
            return Err(note);
        }
        let (Some(old_spec), Some(old_code)) = (self.spec, self.code) else {
            return Err("regen: nothing to compare".to_owned());
        };
        let mut changes = Changes::default();
        match (codegen::prepare(&old_spec), codegen::prepare(spec)) {
            (Ok(o), Ok(n)) => changes.merge(codegen::diff::diff(&o, &n)),
            (Err(e), _) | (_, Err(e)) => changes.notes.push(format!(
                "the wire was not compared: {}",
                e.to_string().lines().next().unwrap_or_default()
            )),
        }
        match codegen::diff::diff_generated(&old_code, code) {
            Ok(rust) => changes.merge(rust),
            Err(e) => changes
                .notes
                .push(format!("the Rust API was not compared: {e}")),
        }
        if changes.is_empty() && changes.notes.is_empty() {
            return Ok("regen: no API changes\n".to_owned());
        }
        let verdict =
            manifest_for(out).and_then(|m| Verdict::new(&m.name, &changes, &m.version).ok());
        let report = Report {
            old: old_spec.name(),
            new: spec.name(),
            changes: &changes,
            verdict: verdict.as_ref(),
        };
        Ok(report.human(use_colour()))
    }
}

/// The SHA-256 in a generated file's banner (`(sha256 <64 hex>)`).
fn banner_digest(code: &str) -> Option<&str> {
    let first = code.lines().next()?;
    let start = first.find("(sha256 ")? + "(sha256 ".len();
    let digest = first.get(start..start + 64)?;
    digest
        .bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then_some(digest)
}

/// The manifest of the crate a generated file belongs to: the nearest
/// `Cargo.toml` above it that has a literal package version.
fn manifest_for(out: &Path) -> Option<Manifest> {
    let absolute = std::path::absolute(out).ok()?;
    let dir = absolute
        .ancestors()
        .skip(1)
        .find(|d| d.join("Cargo.toml").is_file())?;
    Manifest::read(&dir.join("Cargo.toml")).ok()
}
