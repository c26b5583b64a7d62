//! What the wire layer finds, before it becomes [`Change`]s: the direction
//! a schema travels in and its classification, merged per change so that
//! a schema reached from requests and responses is reported once.

use std::collections::{BTreeSet, HashMap};

use super::change::{Change, Kind, Layer};

/// Which way a schema travels: what clients send or what they decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Dir {
    Request,
    Response,
}

impl Dir {
    fn as_str(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// A classification with its reason.
pub(super) type Verdict = (bool, &'static str);

/// Picks the classification for `dir`.
pub(super) fn by_dir(dir: Dir, request: Verdict, response: Verdict) -> Verdict {
    match dir {
        Dir::Request => request,
        Dir::Response => response,
    }
}

struct Finding {
    kind: Kind,
    pointer: String,
    what: String,
    dirs: BTreeSet<Dir>,
    breaking: bool,
    why: &'static str,
}

/// Wire findings; one schema reached from requests and responses yields
/// one change per (kind, pointer, subject), breaking if either way is.
#[derive(Default)]
pub(super) struct Findings {
    list: Vec<Finding>,
    /// (kind, pointer, subject) → index in `list`, so that merging stays
    /// linear on specs with thousands of changes.
    index: HashMap<(Kind, String, String), usize>,
}

impl Findings {
    pub(super) fn push(
        &mut self,
        kind: Kind,
        pointer: &str,
        what: String,
        dir: Option<Dir>,
        (breaking, why): Verdict,
    ) {
        let key = (kind, pointer.to_owned(), what);
        if let Some(f) = self.index.get(&key).and_then(|&i| self.list.get_mut(i)) {
            f.dirs.extend(dir);
            if breaking && !f.breaking {
                f.breaking = true;
                f.why = why;
            }
            return;
        }
        let (kind, pointer, what) = key.clone();
        self.index.insert(key, self.list.len());
        self.list.push(Finding {
            kind,
            pointer,
            what,
            dirs: dir.into_iter().collect(),
            breaking,
            why,
        });
    }

    pub(super) fn into_changes(self) -> Vec<Change> {
        self.list
            .into_iter()
            .map(|f| {
                let dirs: Vec<&str> = f.dirs.iter().map(|d| d.as_str()).collect();
                let tag = if dirs.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", dirs.join(", "))
                };
                Change {
                    kind: f.kind,
                    layer: Layer::Wire,
                    breaking: f.breaking,
                    pointer: f.pointer,
                    message: format!("{}{tag}: {}", f.what, f.why),
                }
            })
            .collect()
    }
}
