//! How API-change reports are printed: for a person (coloured at a
//! terminal), for tools, or for a pull request.

use std::io::IsTerminal;

use codegen::diff::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Grouped by breaking/additive, coloured on a terminal.
    Human,
    /// One JSON object (format 1, documented in `codegen::diff`).
    Json,
    /// For a pull-request description.
    Markdown,
}

pub(crate) fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Human => report.human(use_colour()),
        Format::Json => report.json(),
        Format::Markdown => report.markdown(),
    }
}

/// Colour only for a person at a terminal, and never under `NO_COLOR`.
pub(crate) fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
