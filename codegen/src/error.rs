//! The one error type of the pipeline.

use std::fmt;

use crate::diagnostic::Diagnostic;

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("error: cannot read {path}: {source}")]
    Read {
        /// The path as given.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The spec has problems; every one found is listed.
    #[error("{0}")]
    Spec(Report),
    /// A bug in codegen (or in progenitor/typify): the spec was accepted but
    /// could not be turned into code.
    #[error("error: internal error while generating code from {file}: {message}")]
    Internal {
        /// The spec's name.
        file: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn spec(diagnostic: Diagnostic) -> Error {
        Error::Spec(Report {
            diagnostics: vec![diagnostic],
        })
    }

    /// Warnings turned into errors (`--deny-warnings`).
    pub(crate) fn denied(warnings: Vec<Diagnostic>) -> Error {
        let diagnostics = warnings
            .into_iter()
            .map(|mut d| {
                d.severity = crate::Severity::Error;
                let denied = "warnings are denied (`--deny-warnings`)";
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h}; {denied}"),
                    None => denied.to_owned(),
                });
                d
            })
            .collect();
        Error::Spec(Report { diagnostics })
    }

    /// The located problems, when the error is about the spec.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(report) => &report.diagnostics,
            _ => &[],
        }
    }
}

/// All problems found in one spec, errors first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The problems, in the order found (errors, then warnings).
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 1 {
            write!(f, "\nerror: {errors} problems found in the spec")?;
        }
        Ok(())
    }
}
