//! What the last `cargo xtask regen` generated from, so that the next one
//! can say what changed in the API.
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

use std::path::{Path, PathBuf};

use codegen::diff::{Changes, Report, Verdict};

use crate::manifest::manifest_for;
use crate::report::use_colour;
use crate::{changelog, git, workspace};

/// Where regen keeps the spec a generated file was generated from.
pub(crate) fn snapshot_path(out: &Path) -> PathBuf {
    out.with_extension("spec.yaml")
}

/// The text regen keeps as the snapshot: the spec's bytes as read (so its
/// SHA-256 is the banner's), or its decoded text if the file changed.
pub(crate) fn snapshot_text(spec_path: &Path, spec: &codegen::Spec) -> String {
    match std::fs::read_to_string(spec_path) {
        // The digest of the bytes says they are what was loaded: no need
        // to parse them again (for a spec of several files the banner's
        // digest covers them all, and the root's text alone never matches).
        // Text equal to what was loaded needs no digest: either branch
        // would keep that text.
        Ok(text) if text == spec.source() || sha256_hex(text.as_bytes()) == spec.sha256() => text,
        _ => spec.source().to_owned(),
    }
}

/// Lower-case hex SHA-256, as `codegen::Spec::sha256` spells it.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What regen is about to replace: the spec the current generated file
/// came from (when known) and that file.
pub(crate) struct Before {
    spec: Option<Source>,
    code: Option<String>,
    note: Option<String>,
}

/// The bytes of the spec the current generated file came from, checked
/// against the banner's digest but parsed only if a summary needs them.
struct Source {
    name: String,
    bytes: Vec<u8>,
    sha256: String,
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
        let matching = |name: String, bytes: Vec<u8>| {
            let sha256 = sha256_hex(&bytes);
            (sha256 == digest).then_some(Source {
                name,
                bytes,
                sha256,
            })
        };
        let from_snapshot = std::fs::read(&snapshot)
            .ok()
            .and_then(|b| matching(format!("{label} (last regen)"), b));
        let spec = from_snapshot.or_else(|| {
            git::show("HEAD", spec_path)
                .ok()
                .and_then(|b| matching(format!("{label}@HEAD"), b))
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

    /// The API changes from the previous generation to `spec` and `code`,
    /// with their report for a person; `Err` with a note when nothing is
    /// known to compare with.
    pub(crate) fn summary(
        self,
        spec: &codegen::Spec,
        code: &str,
        out: &Path,
    ) -> Result<Summary, String> {
        if let Some(note) = self.note {
            return Err(note);
        }
        let (Some(old_spec), Some(old_code)) = (self.spec, self.code) else {
            return Err("regen: nothing to compare".to_owned());
        };
        let mut changes = Changes::default();
        // The same bytes give the same wire: only the generator changed, and
        // the Rust half below says how. Else both specs are prepared and
        // compared.
        if old_spec.sha256 != spec.sha256() {
            let old = codegen::Spec::from_bytes(old_spec.name.clone(), &old_spec.bytes)
                .map_err(|e| e.to_string());
            match old.and_then(|o| codegen::prepare(&o).map_err(|e| e.to_string())) {
                Ok(o) => match codegen::prepare(spec) {
                    Ok(n) => changes.merge(codegen::diff::diff(&o, &n)),
                    Err(e) => changes.notes.push(not_compared(&e.to_string())),
                },
                Err(e) => changes.notes.push(not_compared(&e)),
            }
        }
        match codegen::diff::diff_generated(&old_code, code) {
            Ok(rust) => changes.merge(rust),
            Err(e) => changes
                .notes
                .push(format!("the Rust API was not compared: {e}")),
        }
        if changes.is_empty() && changes.notes.is_empty() {
            return Ok(Summary {
                text: "regen: no API changes\n".to_owned(),
                changes,
            });
        }
        let verdict =
            manifest_for(out).and_then(|m| Verdict::new(&m.name, &changes, &m.version).ok());
        let report = Report {
            old: &old_spec.name,
            new: spec.name(),
            changes: &changes,
            verdict: verdict.as_ref(),
        };
        let text = report.human(use_colour());
        Ok(Summary { text, changes })
    }
}

/// The note when the wire could not be compared: the error's first line.
fn not_compared(error: &str) -> String {
    format!(
        "the wire was not compared: {}",
        error.lines().next().unwrap_or_default()
    )
}

/// What changed in the API since the last regen.
pub(crate) struct Summary {
    /// The report for a person.
    pub text: String,
    pub changes: Changes,
}

/// The crate's changelog with `changes` recorded under Unreleased: the
/// `CHANGELOG.md` beside the manifest of the crate `out` belongs to;
/// `None` when `out` is in no crate or nothing new is to be recorded.
pub(crate) fn changelog_update(out: &Path, changes: &Changes) -> Option<(PathBuf, String)> {
    if changes.is_empty() {
        return None;
    }
    let manifest = manifest_for(out)?;
    let path = changelog::beside(manifest.path());
    let current = std::fs::read_to_string(&path).ok();
    let text = changelog::record(current.as_deref(), changes, manifest.repository.as_deref())?;
    Some((path, text))
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
