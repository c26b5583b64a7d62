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
    /// The source line at `location`, for the caret display: a window of
    /// it around the column when it is long (a minified JSON spec is one
    /// line), cuts marked `…`.
    pub source_line: Option<String>,
    /// Characters of `source_line` before the one the caret points at.
    pub source_caret: usize,
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
            source_caret: 0,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// At `location`, whose line `line` is already at hand.
    pub(crate) fn at_line(mut self, location: Location, line: &str) -> Self {
        self.show(location, line);
        self
    }

    /// Places the diagnostic at `location`, copying the line out of `source`.
    /// A parser at the end of the text (`unexpected end of stream`) points
    /// past its last line: that is shown at the end of the last line, where
    /// the document stops.
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
        self.show(location, line);
        self
    }

    /// Keeps what the caret display shows of `line`: all of it, or
    /// [`EXCERPT`] characters around the column.
    fn show(&mut self, location: Location, line: &str) {
        let line = line.trim_end_matches('\r');
        let column = location.column.saturating_sub(1);
        let total = line.chars().count();
        let (shown, caret) = if total <= EXCERPT {
            (line.to_owned(), column)
        } else {
            let start = column.saturating_sub(EXCERPT / 2).min(total - EXCERPT);
            let end = start + EXCERPT;
            let mut shown = String::new();
            if start > 0 {
                shown.push('…');
            }
            shown.extend(line.chars().skip(start).take(EXCERPT));
            if end < total {
                shown.push('…');
            }
            (shown, column - start + usize::from(start > 0))
        };
        self.source_line = Some(shown);
        self.source_caret = caret;
        self.location = Some(location);
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The characters of a long source line that a diagnostic shows.
const EXCERPT: usize = 120;

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
            let caret_pad = " ".repeat(self.source_caret);
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

    /// A minified JSON spec is one line: a diagnostic shows a window of
    /// it, the caret still under the column it names.
    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = format!("{}\"bad\"{}", "x".repeat(5000), "y".repeat(5000));
        let d = Diagnostic::new(Severity::Error, "s.json", "bad").at(
            Location {
                line: 1,
                column: 5001,
            },
            &line,
        );
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[3].strip_prefix("1 | ").unwrap();
        let caret = lines[4].strip_prefix("  | ").unwrap();
        assert_eq!(shown.chars().count(), EXCERPT + 2, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(caret.trim_start(), "^");
        let under: String = shown.chars().skip(caret.len() - 1).take(5).collect();
        assert_eq!(under, "\"bad\"");
        // At either end, one cut only.
        let start = Diagnostic::new(Severity::Error, "s.json", "bad")
            .at(Location { line: 1, column: 3 }, &line);
        assert!(!start.source_line.as_deref().unwrap().starts_with('…'));
        assert_eq!(start.source_caret, 2);
        let end = Diagnostic::new(Severity::Error, "s.json", "bad").at(
            Location {
                line: 1,
                column: 10_005,
            },
            &line,
        );
        let end_line = end.source_line.as_deref().unwrap();
        assert!(end_line.starts_with('…') && end_line.ends_with('y'));
        assert_eq!(end_line.chars().nth(end.source_caret), Some('y'));
    }
}
