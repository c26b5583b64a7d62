//! Paths and file writes shared by the commands.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Failure;

/// The spec of alakazam-client, under the root.
pub(crate) const DEFAULT_SPEC: &str = "spec/alakazam.yaml";
/// The manifest whose version API verdicts are relative to.
pub(crate) const DEFAULT_MANIFEST: &str = "generated-client/Cargo.toml";

/// The workspace root (the parent of this crate's directory).
pub(crate) fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// `path` as given on the command line, or `default` under the root.
pub(crate) fn path_or(path: Option<&Path>, default: &str) -> PathBuf {
    match path {
        Some(p) => p.to_path_buf(),
        None => root().join(default),
    }
}

/// How generated files name a path: relative to the root (with `/`) when
/// it is inside the workspace, so output does not depend on the cwd.
pub(crate) fn label(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let root = std::path::absolute(root()).unwrap_or_else(|_| root());
    match absolute.strip_prefix(&root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// Writes every file or none: each goes to a temporary sibling first and
/// is renamed over its target only when all were written. Files whose
/// content is unchanged are not touched. Should a rename fail after others
/// succeeded, the files already replaced get their old content back (and
/// new ones are removed), so an error leaves every file as it was.
pub(crate) fn write_all(files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Failure> {
    // (temporary, target, the target's content before, if it existed)
    let mut staged: Vec<(PathBuf, PathBuf, Option<Vec<u8>>)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf, Option<Vec<u8>>)]| {
        for (tmp, _, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (target, content) in files {
        let before = std::fs::read(target).ok();
        if before.as_deref() == Some(content.as_bytes()) {
            continue;
        }
        let tmp = temporary_sibling(target);
        if let Err(e) = write_synced(&tmp, content.as_bytes()) {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(Failure::new(format!(
                "error: cannot write {}: {e}",
                target.display()
            )));
        }
        staged.push((tmp, target.clone(), before));
    }
    let mut changed = Vec::new();
    for (i, (tmp, target, _)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            cleanup(&staged[i..]);
            let restored = restore(&staged[..i]);
            return Err(Failure::new(format!(
                "error: cannot replace {}: {e}{}",
                target.display(),
                match restored {
                    Ok(()) if i == 0 => String::new(),
                    Ok(()) => "; the files already replaced were restored".to_owned(),
                    Err(why) => format!("; restoring the files already replaced failed: {why}"),
                }
            )));
        }
        changed.push(target.clone());
    }
    Ok(changed)
}

/// Puts back what `write_all` replaced: the old content (through a
/// temporary sibling, as it was written) or no file at all.
fn restore(replaced: &[(PathBuf, PathBuf, Option<Vec<u8>>)]) -> Result<(), String> {
    let mut failed = Vec::new();
    for (_, target, before) in replaced {
        let result = match before {
            Some(bytes) => {
                let tmp = temporary_sibling(target);
                write_synced(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, target))
            }
            None => std::fs::remove_file(target),
        };
        if let Err(e) = result {
            failed.push(format!("{}: {e}", target.display()));
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join(", "))
    }
}

fn temporary_sibling(target: &Path) -> PathBuf {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dir.join(format!(".{name}.tmp{}", std::process::id()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_rename_puts_back_what_was_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("a.rs");
        let created = dir.path().join("b.rs");
        std::fs::write(&kept, "old").unwrap();
        // A directory cannot be replaced by a file: the third rename fails.
        let blocker = dir.path().join("c.rs");
        std::fs::create_dir(&blocker).unwrap();
        let files = [
            (kept.clone(), "new".to_owned()),
            (created.clone(), "new".to_owned()),
            (blocker.clone(), "new".to_owned()),
        ];
        let err = write_all(&files).unwrap_err().message;
        assert!(err.contains("cannot replace"), "{err}");
        assert!(err.contains("were restored"), "{err}");
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "old");
        assert!(!created.exists());
        assert!(blocker.is_dir());
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a.rs", "c.rs"], "no temporary file is left behind");
    }
}
