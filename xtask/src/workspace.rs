//! Paths and file writes shared by the commands.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Failure;

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
/// content is unchanged are not touched.
pub(crate) fn write_all(files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Failure> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (target, content) in files {
        if std::fs::read(target).ok().as_deref() == Some(content.as_bytes()) {
            continue;
        }
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(content.as_bytes())?;
            f.sync_all()
        });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(Failure::new(format!(
                "error: cannot write {}: {e}",
                target.display()
            )));
        }
        staged.push((tmp, target.clone()));
    }
    let mut changed = Vec::new();
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            cleanup(&staged[i..]);
            return Err(Failure::new(format!(
                "error: cannot replace {}: {e}",
                target.display()
            )));
        }
        changed.push(target.clone());
    }
    Ok(changed)
}
