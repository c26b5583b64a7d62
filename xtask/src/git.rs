//! Reading a file as of a git revision.

use std::path::Path;
use std::process::Command;

use crate::{Failure, workspace};

/// The file at `path` as of git revision `rev` (`git show REV:./FILE`,
/// run in the file's directory so any path inside a repository works).
pub(crate) fn show(rev: &str, path: &Path) -> Result<Vec<u8>, Failure> {
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
