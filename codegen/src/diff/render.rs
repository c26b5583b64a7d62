//! Reports for people (human, markdown) and for tools (JSON, see the
//! schema in the module docs of [`crate::diff`]).

use std::fmt::Write as _;

use serde::Serialize;

use super::change::{Change, Changes, Layer};
use super::verdict::{Bump, Verdict};

/// What a report shows: the two sides' names, the changes and, when the
/// crate's version is known, the verdict.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// How the old side is named (e.g. `spec/alakazam.yaml@HEAD`).
    pub old: &'a str,
    /// How the new side is named.
    pub new: &'a str,
    /// The changes.
    pub changes: &'a Changes,
    /// The version the changes call for.
    pub verdict: Option<&'a Verdict>,
}

#[derive(Serialize)]
struct Json<'a> {
    format: u32,
    old: &'a str,
    new: &'a str,
    breaking: bool,
    counts: Counts,
    verdict: Option<&'a Verdict>,
    changes: &'a [Change],
    notes: &'a [String],
}

#[derive(Serialize)]
struct Counts {
    breaking: usize,
    additive: usize,
}

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

impl Report<'_> {
    /// Grouped into breaking and additive changes, wire before rust; ANSI
    /// colours when `color` (the caller decides, e.g. stdout is a tty).
    pub fn human(&self, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("{code}{text}{RESET}")
            } else {
                text.to_owned()
            }
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}",
            paint(BOLD, &format!("API changes: {} → {}", self.old, self.new))
        );
        if self.changes.is_empty() {
            let _ = writeln!(out, "no API changes");
        }
        for (breaking, title, code) in [(true, "Breaking", RED), (false, "Additive", GREEN)] {
            let group: Vec<&Change> = self
                .changes
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}",
                paint(code, &format!("{title} ({})", group.len()))
            );
            for layer in [Layer::Wire, Layer::Rust] {
                for c in group.iter().filter(|c| c.layer == layer) {
                    let _ = writeln!(
                        out,
                        "  {} {} {}",
                        paint(DIM, &format!("{:<4}", c.layer.as_str())),
                        paint(code, &format!("{:<30}", c.kind.as_str())),
                        c.message
                    );
                    let at = match c.layer {
                        Layer::Wire => format!("#{}", c.pointer),
                        Layer::Rust => c.pointer.clone(),
                    };
                    let _ = writeln!(
                        out,
                        "  {:<4} {:<30} {}",
                        "",
                        "",
                        paint(DIM, &format!("at {at}"))
                    );
                }
            }
        }
        for note in &self.changes.notes {
            let _ = writeln!(out);
            let _ = writeln!(out, "{} {note}", paint(YELLOW, "note:"));
        }
        if let Some(v) = self.verdict {
            let _ = writeln!(out);
            let line = match v.bump {
                Bump::None => {
                    format!("Verdict: {} stays at {} ({})", v.krate, v.current, v.reason)
                }
                bump => format!(
                    "Verdict: {} bump for {}: {} → {} ({})",
                    bump.as_str(),
                    v.krate,
                    v.current,
                    v.next,
                    v.reason
                ),
            };
            let code = if self.changes.breaking() { RED } else { GREEN };
            let _ = writeln!(out, "{}", paint(code, &line));
        }
        out
    }

    /// The JSON report (format 1), pretty-printed, with a final newline.
    pub fn json(&self) -> String {
        let doc = Json {
            format: 1,
            old: self.old,
            new: self.new,
            breaking: self.changes.breaking(),
            counts: Counts {
                breaking: self.changes.breaking_count(),
                additive: self.changes.additive_count(),
            },
            verdict: self.verdict,
            changes: &self.changes.changes,
            notes: &self.changes.notes,
        };
        // Plain structs of strings, bools and numbers always serialize.
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Markdown for a pull-request description.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "### API changes: `{}` → `{}`", self.old, self.new);
        let _ = writeln!(out);
        if let Some(v) = self.verdict {
            let line = match v.bump {
                Bump::None => {
                    format!("**{}** stays at `{}`: {}.", v.krate, v.current, v.reason)
                }
                bump => format!(
                    "**{} bump** for `{}`: `{}` → **`{}`** ({}).",
                    bump.as_str(),
                    v.krate,
                    v.current,
                    v.next,
                    v.reason
                ),
            };
            let _ = writeln!(out, "{line}");
            let _ = writeln!(out);
        }
        if self.changes.is_empty() {
            let _ = writeln!(out, "No API changes.");
        }
        for (breaking, title) in [(true, "Breaking"), (false, "Additive")] {
            let group: Vec<&Change> = self
                .changes
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "#### {title} ({})", group.len());
            let _ = writeln!(out);
            let _ = writeln!(out, "| layer | kind | change | where |");
            let _ = writeln!(out, "|---|---|---|---|");
            for c in group {
                let at = match c.layer {
                    Layer::Wire => format!("#{}", c.pointer),
                    Layer::Rust => c.pointer.clone(),
                };
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | `{}` |",
                    c.layer.as_str(),
                    c.kind.as_str(),
                    cell(&c.message),
                    at.replace('|', "\\|")
                );
            }
            let _ = writeln!(out);
        }
        for note in &self.changes.notes {
            let _ = writeln!(out, "> **Note:** {}", cell(note));
        }
        out
    }
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
