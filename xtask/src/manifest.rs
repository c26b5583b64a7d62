//! A crate manifest's name and version: read, and bumped together with
//! the lock file.

use std::path::{Path, PathBuf};

use crate::{Failure, workspace};

/// The `[package]` name and version of a crate manifest.
pub(crate) struct Manifest {
    path: PathBuf,
    doc: toml_edit::DocumentMut,
    pub name: String,
    pub version: String,
    /// `package.repository`, where the changelog's compare links point.
    pub repository: Option<String>,
}

impl Manifest {
    pub(crate) fn read(path: &Path) -> Result<Manifest, Failure> {
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
            repository: field("repository").map(str::to_owned),
            doc,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The manifest with only the version string rewritten, keeping the
    /// rest of the file byte for byte (comments and spacing around the
    /// value included), and the lock file's entry for the crate likewise,
    /// to be written together.
    pub(crate) fn bumped(mut self, next: &str) -> Result<Vec<(PathBuf, String)>, Failure> {
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
        Ok(files)
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

/// The manifest of the crate a generated file belongs to: the nearest
/// `Cargo.toml` above it that has a literal package version.
pub(crate) fn manifest_for(out: &Path) -> Option<Manifest> {
    let absolute = std::path::absolute(out).ok()?;
    let dir = absolute
        .ancestors()
        .skip(1)
        .find(|d| d.join("Cargo.toml").is_file())?;
    Manifest::read(&dir.join("Cargo.toml")).ok()
}
