//! What the checks of the source and of the typed model collect: every
//! problem of a spec, located in the source, so that one run reports all
//! of them.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Origins;
use crate::error::{Error, Report};
use crate::load::Spec;
use crate::quarantine::Note;

/// One thing normalization reports: something normalized away (a warning)
/// or something it cannot normalize (an error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub severity: Severity,
    /// JSON pointer of the node in the source (normalization maps the
    /// pointers of moved nodes back through its [`Origins`] as it reports).
    pub pointer: String,
    pub message: String,
    pub help: Option<String>,
}

/// The errors found so far, and how to locate the nodes of the document
/// being checked in the source.
pub(crate) struct Problems<'a> {
    spec: &'a Spec,
    errors: Vec<Diagnostic>,
    /// What the typed model left out or loosened, not yet located.
    warnings: Vec<Finding>,
    /// Where nodes of the normalized document were in the source: empty
    /// while the source itself is checked.
    origins: Origins,
}

impl<'a> Problems<'a> {
    pub(crate) fn new(spec: &'a Spec) -> Self {
        Problems {
            spec,
            errors: Vec::new(),
            warnings: Vec::new(),
            origins: Origins::default(),
        }
    }

    /// The spec being checked.
    pub(crate) fn spec(&self) -> &'a Spec {
        self.spec
    }

    /// An error at `ptr` of the document being checked (mapped to the source).
    pub(crate) fn error(&mut self, ptr: &str, message: impl Into<String>, help: Option<&str>) {
        let ptr = self.origins.source(ptr);
        let mut d = self.spec.diagnostic(Severity::Error, &ptr, message);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.errors.push(d);
    }

    /// A warning at `ptr` of the document being checked (mapped to the
    /// source): a node the typed model could not read, degraded.
    pub(crate) fn warn(&mut self, ptr: &str, message: impl Into<String>, help: Option<&str>) {
        self.warnings.push(Finding {
            severity: Severity::Warning,
            pointer: self.origins.source(ptr),
            message: message.into(),
            help: help.map(str::to_owned),
        });
    }

    /// Nodes of the document being checked moved, all at once (`(new,
    /// old)`): an array's elements after one left out.
    pub(crate) fn moved(&mut self, moves: &[(String, String)]) {
        self.origins.record_all(moves);
    }

    /// The warnings of the checks, taken to join normalization's.
    pub(crate) fn take_warnings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.warnings)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The source pointer of a node at `ptr` in the document being checked.
    pub(crate) fn source(&self, ptr: &str) -> String {
        self.origins.source(ptr)
    }

    /// Takes normalization's findings (its errors join these, located now;
    /// its warnings are returned, still to be located) and its moves, so
    /// that the checks that follow locate the normalized document's nodes
    /// in the source.
    pub(crate) fn after_normalization(
        &mut self,
        findings: Vec<Finding>,
        origins: Origins,
    ) -> Unlocated {
        let (errors, warnings): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| f.severity == Severity::Error);
        self.errors
            .extend(errors.into_iter().map(|f| locate(self.spec, f)));
        self.origins = origins;
        Unlocated {
            findings: warnings,
            origins: Origins::default(),
        }
    }

    /// Where the nodes of the normalized document were in the source.
    pub(crate) fn into_origins(self) -> Origins {
        self.origins
    }

    /// The report: the errors, then the warnings (what normalization
    /// changed still says where the spec needs care).
    pub(crate) fn into_error(mut self, warnings: Vec<Diagnostic>) -> Error {
        self.errors.extend(warnings);
        Error::Spec(Report {
            diagnostics: self.errors,
        })
    }
}

/// The warnings of a spec, known but not yet located in the source.
/// Locating them means indexing the whole source text (a quarter of a
/// second for a spec of megabytes), which `generate` does on a second
/// thread while the client is written.
pub(crate) struct Unlocated {
    /// Normalization's warnings (after the rewritten references').
    findings: Vec<Finding>,
    /// Where the normalized document's nodes were in the source, for what
    /// generation reports later.
    origins: Origins,
}

impl Unlocated {
    /// Adds warnings found after normalization's.
    pub(crate) fn extend(&mut self, findings: Vec<Finding>) {
        self.findings.extend(findings);
    }

    /// Whether there is no warning, without locating any.
    pub(crate) fn is_empty(&self, spec: &Spec) -> bool {
        self.findings.is_empty() && !spec.rewrote_references()
    }

    /// The warnings, located: the rewritten references, then
    /// normalization's.
    pub(crate) fn locate(&self, spec: &Spec) -> Vec<Diagnostic> {
        let mut warnings = spec.reference_warnings();
        warnings.extend(self.findings.iter().cloned().map(|f| locate(spec, f)));
        warnings
    }
}

impl Unlocated {
    /// Keeps normalization's moves, to locate what generation reports.
    pub(crate) fn keep_origins(&mut self, origins: Origins) {
        self.origins = origins;
    }

    /// Quarantine's notes (pointers into the normalized document), located.
    pub(crate) fn locate_notes(&self, spec: &Spec, notes: &[Note]) -> Vec<Diagnostic> {
        notes
            .iter()
            .map(|n| {
                let d = spec.diagnostic(
                    Severity::Warning,
                    &self.origins.source(&n.pointer),
                    n.message.clone(),
                );
                match n.help {
                    Some(help) => d.with_help(help),
                    None => d,
                }
            })
            .collect()
    }
}

fn locate(spec: &Spec, f: Finding) -> Diagnostic {
    let d = spec.diagnostic(f.severity, &f.pointer, f.message);
    match f.help {
        Some(help) => d.with_help(help),
        None => d,
    }
}
