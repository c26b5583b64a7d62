//! Multi-file specs: the files a root document refers to (`models.yaml`,
//! `dir/x.yml#/droplet`, `../shared/x.json#/components/schemas/X`), read
//! relative to the file that refers to them, any depth, cycles included.
//!
//! Each file is embedded whole under `#/x-codegen-files/<key>` of the root
//! document and every reference to it is rewritten into one to that place;
//! `document::ref_targets` then turns the targets into components like any
//! other reference to a node that is no component, and the embedded files
//! are dropped. Builds never fetch: an `http(s)://` reference is an error.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::pointer::{escape_token, percent_decode};
use crate::document::ref_targets::EMBEDDED;
use crate::document::refs::references;
use crate::error::Error;
use crate::source_map::SourceMap;

/// One file of a spec besides the root.
#[derive(Debug)]
pub(crate) struct Embedded {
    /// Its key under `#/x-codegen-files`.
    pub key: String,
    /// Its path, as the root's path was given joined with the references.
    pub name: String,
    pub source: String,
    pub sha256: String,
    pub map: OnceLock<SourceMap>,
}

struct Pending {
    key: String,
    name: String,
    path: PathBuf,
    source: String,
    sha256: String,
    value: Value,
}

/// Follows the external references of `root` (read from `root_path`) and
/// embeds the files they name. Returns the files, or every problem found
/// (each located at the reference, or in the file that failed to parse).
pub(crate) fn embed(
    root_path: &Path,
    root_source: &str,
    root: &mut Value,
) -> Result<Vec<Embedded>, Error> {
    let mut loader = Loader {
        by_path: HashMap::from([(identity(root_path), 0)]),
        files: Vec::new(),
        problems: Vec::new(),
        keys: HashMap::new(),
    };
    let root_name = root_path.display().to_string();
    loader.rewrite(root, 0, root_path, &root_name, root_source);
    let mut i = 0;
    while i < loader.files.len() {
        let mut value = std::mem::take(&mut loader.files[i].value);
        let (path, name, source) = {
            let f = &loader.files[i];
            (f.path.clone(), f.name.clone(), f.source.clone())
        };
        loader.rewrite(&mut value, i + 1, &path, &name, &source);
        loader.files[i].value = value;
        i += 1;
    }
    if !loader.problems.is_empty() {
        return Err(Error::Spec(crate::error::Report {
            diagnostics: loader.problems,
        }));
    }
    if loader.files.is_empty() {
        return Ok(Vec::new());
    }
    let mut embedded = serde_json::Map::new();
    let mut out = Vec::new();
    for f in loader.files {
        embedded.insert(f.key.clone(), f.value);
        out.push(Embedded {
            key: f.key,
            name: f.name,
            source: f.source,
            sha256: f.sha256,
            map: OnceLock::new(),
        });
    }
    if let Some(doc) = root.as_object_mut() {
        doc.insert(EMBEDDED.to_owned(), Value::Object(embedded));
    }
    Ok(out)
}

struct Loader {
    /// File identity → 0 for the root, i + 1 for `files[i]`.
    by_path: HashMap<PathBuf, usize>,
    files: Vec<Pending>,
    problems: Vec<Diagnostic>,
    /// Keys given so far, by file stem, to keep them apart.
    keys: HashMap<String, usize>,
}

impl Loader {
    /// Rewrites the references of file `index` (the root is 0) into
    /// references into the root document, loading the files they name.
    fn rewrite(&mut self, value: &mut Value, index: usize, path: &Path, name: &str, source: &str) {
        let base = path.parent().unwrap_or(Path::new(""));
        for (at, target) in references(value) {
            let (file_part, fragment) = match target.split_once('#') {
                Some((f, frag)) => (f, frag),
                None => (target.as_str(), ""),
            };
            let pointer = percent_decode(fragment);
            let located = |message: String, help: Option<&str>| {
                let ptr = format!("{at}/$ref");
                let mut d = Diagnostic::new(Severity::Error, name, message);
                if let Some(loc) = SourceMap::build(source).locate(source, &ptr) {
                    d = d.at(loc, source);
                }
                d.pointer = Some(ptr);
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                d
            };
            let target_index = if file_part.is_empty() {
                if index == 0 {
                    continue;
                }
                index
            } else if file_part.contains("://") || file_part.starts_with("//") {
                self.problems.push(located(
                    format!("remote reference `{target}` is not supported: builds do not fetch"),
                    Some("download the file beside the spec and refer to it by a relative path"),
                ));
                continue;
            } else {
                let file = base.join(percent_decode(file_part));
                match self.open(&file, &located, &target) {
                    Some(i) => i,
                    None => continue,
                }
            };
            let exists = match target_index {
                0 => true, // the root's own references are checked later
                i if i == index => value.pointer(&pointer).is_some(),
                i => self.files[i - 1].value.pointer(&pointer).is_some(),
            };
            if !exists {
                let file = match target_index {
                    i if i == index => name.to_owned(),
                    i => self.files[i - 1].name.clone(),
                };
                self.problems.push(located(
                    format!(
                        "dangling reference `{target}`: nothing is defined at `{pointer}` in {file}"
                    ),
                    None,
                ));
                continue;
            }
            let new = match target_index {
                0 => format!("#{fragment}"),
                i => format!(
                    "#/{EMBEDDED}/{}{fragment}",
                    escape_token(&self.files[i - 1].key)
                ),
            };
            if let Some(Value::Object(holder)) = value.pointer_mut(&at) {
                holder.insert("$ref".to_owned(), Value::String(new));
            }
        }
    }

    /// The index of the file at `path`, read and parsed on first use.
    fn open(
        &mut self,
        path: &Path,
        located: &dyn Fn(String, Option<&str>) -> Diagnostic,
        target: &str,
    ) -> Option<usize> {
        let path = lexical(path);
        let id = identity(&path);
        if let Some(&i) = self.by_path.get(&id) {
            return Some(i);
        }
        let name = path.display().to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                self.problems.push(located(
                    format!("cannot read `{name}` (referenced as `{target}`): {e}"),
                    None,
                ));
                return None;
            }
        };
        let parsed = super::text(&name, &bytes).and_then(|source| {
            let (value, sha256) = super::parse_and_digest(&name, &bytes, &source);
            Ok((value?, source, sha256))
        });
        let (value, source, sha256) = match parsed {
            Ok(p) => p,
            Err(e) => {
                self.problems.extend(e.diagnostics().iter().cloned());
                return None;
            }
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        let n = self.keys.entry(stem.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { stem } else { format!("{stem}-{n}") };
        self.files.push(Pending {
            key,
            name,
            path,
            source,
            sha256,
            value,
        });
        let index = self.files.len();
        self.by_path.insert(id, index);
        Some(index)
    }
}

/// The same file however it is reached (`a/../b.yaml` and `b.yaml`).
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| lexical(path))
}

/// `path` without `.` and with `dir/..` folded, as messages show it.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
