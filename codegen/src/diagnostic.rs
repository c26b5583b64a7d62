//! Problems found in a spec, located and rendered the way rustc renders its own.
//!
//! ```text
//! error: duplicate operationId `updateCharacter`
//!   --> spec/alakazam.yaml:14:20
//!    |
//! 14 |       operationId: updateCharacter
//!    |                    ^
//!    = note: at #/paths/~1v1~1characters~1{id}/get/operationId
//!    = help: operationIds name the generated methods and must be unique
//! ```

use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was normalized away; generation goes on.
    Warning,
    /// Generation cannot go on.
    Error,
}

/// A 1-based line and column in the spec's source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// One located problem in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// The spec's name as the user gave it (a path, usually).
    pub file: String,
    /// JSON pointer of the offending node, when the problem has one.
    pub pointer: Option<String>,
    /// Where the node (or the parse error) is in the source text.
    pub location: Option<Location>,
    /// The source line at `location`, for the caret display.
    pub source_line: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn new(severity: Severity, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: file.to_owned(),
            pointer: None,
            location: None,
            source_line: None,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Places the diagnostic at `location`, copying the line out of `source`.
    /// A parser at the end of the text (`unexpected end of stream`) points
    /// past its last line: that is shown at the end of the last line, where
    /// the document stops.
    /// At `location`, whose line `line` is already at hand.
    pub(crate) fn at_line(mut self, location: Location, line: &str) -> Self {
        self.source_line = Some(line.trim_end_matches('\r').to_owned());
        self.location = Some(location);
        self
    }

    pub(crate) fn at(mut self, location: Location, source: &str) -> Self {
        let (location, line) = match source.lines().nth(location.line.saturating_sub(1)) {
            Some(line) => (location, line),
            None => {
                let last = source.lines().last().unwrap_or_default();
                let end = Location {
                    line: source.lines().count().max(1),
                    column: last.trim_end_matches('\r').chars().count() + 1,
                };
                (end, last)
            }
        };
        self.source_line = Some(line.trim_end_matches('\r').to_owned());
        self.location = Some(location);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let gutter = self.location.map(|l| l.line.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter);
        match self.location {
            Some(loc) => writeln!(f, "{pad}--> {}:{}:{}", self.file, loc.line, loc.column)?,
            None => writeln!(f, "{pad}--> {}", self.file)?,
        }
        if let (Some(loc), Some(line)) = (self.location, &self.source_line) {
            // Tabs would shift the caret; show them as single spaces.
            let shown: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let caret_pad = " ".repeat(loc.column.saturating_sub(1));
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {shown}", loc.line)?;
            writeln!(f, "{pad} | {caret_pad}^")?;
        }
        if let Some(pointer) = &self.pointer {
            writeln!(f, "{pad} = note: at #{pointer}")?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let d = Diagnostic::new(Severity::Error, "spec/a.yaml", "duplicate operationId `x`")
            .at(
                Location {
                    line: 2,
                    column: 18,
                },
                "a: 1\n    operationId: x\n",
            )
            .with_help("rename one of them");
        let d = Diagnostic {
            pointer: Some("/paths/~1a/get/operationId".into()),
            ..d
        };
        assert_eq!(
            d.to_string(),
            "error: duplicate operationId `x`\n \
             --> spec/a.yaml:2:18\n  \
             |\n\
             2 |     operationId: x\n  \
             |                  ^\n  \
             = note: at #/paths/~1a/get/operationId\n  \
             = help: rename one of them\n"
        );
    }

    #[test]
    fn a_position_past_the_end_is_shown() {
        let shown = |line, column, source: &str| {
            Diagnostic::new(Severity::Error, "s.yaml", "invalid YAML: end of stream")
                .at(Location { line, column }, source)
                .to_string()
        };
        let at_the_end = [
            "error: invalid YAML: end of stream",
            " --> s.yaml:2:5",
            "  |",
            "2 | b: [",
            "  |     ^",
            "",
        ]
        .join("\n");
        // The line after the final newline, and further.
        assert_eq!(shown(3, 1, "a: 1\nb: [\n"), at_the_end);
        assert_eq!(shown(3, 1, "a: 1\nb: ["), at_the_end);
        assert_eq!(shown(7, 2, "a: 1\r\nb: [\r\n"), at_the_end);
    }
}
