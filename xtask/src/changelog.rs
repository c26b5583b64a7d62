//! The crate's `CHANGELOG.md` ([Keep a Changelog] 1.1.0), kept by the tools:
//! `regen` adds the API changes it reports under `## [Unreleased]`, in a
//! `### Breaking` and an `### Additive` group; `diff --bump` moves what is
//! under Unreleased (or, when nothing is, the changes it found) into a new
//! `## [VERSION] - YYYY-MM-DD` section.
//!
//! Everything else in the file — its preamble, released sections, and
//! groups written by hand under Unreleased (`### Fixed`) — is kept as it
//! is. An entry already listed is not added twice, so running regen again
//! changes nothing.
//!
//! [Keep a Changelog]: https://keepachangelog.com/en/1.1.0/

use std::path::{Path, PathBuf};

use codegen::diff::{Change, Changes, Layer};

/// The file name, beside the crate's `Cargo.toml`.
pub(crate) const FILE: &str = "CHANGELOG.md";

const UNRELEASED: &str = "## [Unreleased]";
const BREAKING: &str = "### Breaking";
const ADDITIVE: &str = "### Additive";

/// What a new changelog starts with.
const PREAMBLE: &str = "# Changelog

All notable changes to this crate are documented in this file. The API
changes are written by `cargo xtask regen` (under Unreleased) and
`cargo xtask diff --bump` (which moves them under the new version).

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this crate follows [Semantic Versioning](https://semver.org/spec/v2.0.0.html)
as Cargo applies it (before 1.0, a breaking change bumps the minor version).
";

/// The changelog of the crate whose manifest is `manifest`.
pub(crate) fn beside(manifest: &Path) -> PathBuf {
    manifest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(FILE)
}

/// `text` (or a new changelog when `None`) with `changes` added under
/// Unreleased; `None` when every change is already listed there.
pub(crate) fn record(text: Option<&str>, changes: &Changes) -> Option<String> {
    let mut doc = Doc::parse(text.unwrap_or(PREAMBLE));
    let mut added = false;
    for (heading, entries) in grouped(changes) {
        added |= doc.unreleased.add(heading, entries);
    }
    added.then(|| doc.render())
}

/// `text` (or a new changelog) with a `## [version] - date` section that
/// holds what was under Unreleased, or `changes` when nothing was; the
/// Unreleased section is left empty.
pub(crate) fn release(text: Option<&str>, version: &str, date: &str, changes: &Changes) -> String {
    let mut doc = Doc::parse(text.unwrap_or(PREAMBLE));
    let mut section = std::mem::take(&mut doc.unreleased);
    if !section.has_entries() {
        section = Section::default();
        for (heading, entries) in grouped(changes) {
            section.add(heading, entries);
        }
    }
    doc.released
        .insert(0, section.render(&format!("## [{version}] - {date}")));
    doc.render()
}

/// Today's date (UTC), `YYYY-MM-DD`; `SOURCE_DATE_EPOCH` (seconds) fixes
/// it, as for reproducible builds.
pub(crate) fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let (y, m, d) = civil_from_days(seconds / 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, for days ≥ 0).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// The changes as entry lines: breaking first, then additive.
fn grouped(changes: &Changes) -> Vec<(&'static str, Vec<String>)> {
    [(true, BREAKING), (false, ADDITIVE)]
        .into_iter()
        .map(|(breaking, heading)| {
            let entries = changes
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .map(entry)
                .collect::<Vec<_>>();
            (heading, entries)
        })
        .filter(|(_, entries)| !entries.is_empty())
        .collect()
}

fn entry(c: &Change) -> String {
    let at = match c.layer {
        Layer::Wire => format!("#{}", c.pointer),
        Layer::Rust => c.pointer.clone(),
    };
    let message = c.message.replace('\n', " ");
    format!("- {message} ({}, `{at}`)", c.layer.as_str())
}

/// A changelog split around its Unreleased section.
struct Doc {
    /// Everything before `## [Unreleased]`.
    preamble: Vec<String>,
    unreleased: Section,
    /// The released sections, each rendered, newest first.
    released: Vec<String>,
}

impl Doc {
    fn parse(text: &str) -> Doc {
        let lines: Vec<&str> = text.lines().collect();
        let is_section = |l: &str| l.starts_with("## ");
        let unreleased_at = lines.iter().position(|l| is_unreleased(l));
        let (preamble_end, body_start) = match unreleased_at {
            Some(i) => (i, i + 1),
            // No Unreleased section: it goes before the first release.
            None => {
                let first = lines.iter().position(|l| is_section(l));
                let at = first.unwrap_or(lines.len());
                (at, at)
            }
        };
        let body_end = lines[body_start..]
            .iter()
            .position(|l| is_section(l))
            .map_or(lines.len(), |i| body_start + i);
        let unreleased = if unreleased_at.is_some() {
            Section::parse(&lines[body_start..body_end])
        } else {
            Section::default()
        };
        let rest = lines[body_end..].join("\n");
        Doc {
            preamble: lines[..preamble_end]
                .iter()
                .map(|l| l.to_string())
                .collect(),
            unreleased,
            released: if rest.trim().is_empty() {
                Vec::new()
            } else {
                vec![rest]
            },
        }
    }

    fn render(&self) -> String {
        let mut out = trimmed(&self.preamble).join("\n");
        out.push_str("\n\n");
        out.push_str(&self.unreleased.render(UNRELEASED));
        for section in &self.released {
            out.push('\n');
            out.push_str(section.trim_end());
            out.push('\n');
        }
        out
    }
}

fn is_unreleased(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l == "## [unreleased]" || l == "## unreleased"
}

/// The body of a section: free text, then `### ` groups of entries.
#[derive(Default)]
struct Section {
    intro: Vec<String>,
    groups: Vec<(String, Vec<String>)>,
}

impl Section {
    fn parse(lines: &[&str]) -> Section {
        let mut s = Section::default();
        for line in lines {
            if line.starts_with("### ") {
                s.groups.push((line.trim_end().to_owned(), Vec::new()));
            } else if let Some((_, body)) = s.groups.last_mut() {
                body.push((*line).to_owned());
            } else {
                s.intro.push((*line).to_owned());
            }
        }
        s
    }

    fn has_entries(&self) -> bool {
        self.groups
            .iter()
            .any(|(_, body)| body.iter().any(|l| !l.trim().is_empty()))
            || self.intro.iter().any(|l| !l.trim().is_empty())
    }

    /// Appends the entries not listed yet to the group `heading`
    /// (Breaking before the others when it is new); whether any was.
    fn add(&mut self, heading: &str, entries: Vec<String>) -> bool {
        let index = match self.groups.iter().position(|(h, _)| h == heading) {
            Some(i) => i,
            None => {
                let at = if heading == BREAKING {
                    0
                } else {
                    self.groups.len()
                };
                self.groups.insert(at, (heading.to_owned(), Vec::new()));
                at
            }
        };
        let body = &mut self.groups[index].1;
        let mut lines = trimmed(body);
        let before = lines.len();
        for e in entries {
            if !lines.contains(&e) {
                lines.push(e);
            }
        }
        let added = lines.len() > before;
        *body = lines;
        added
    }

    fn render(&self, heading: &str) -> String {
        let mut out = format!("{heading}\n");
        let intro = trimmed(&self.intro);
        if !intro.is_empty() {
            out.push('\n');
            out.push_str(&intro.join("\n"));
            out.push('\n');
        }
        for (group, body) in &self.groups {
            let body = trimmed(body);
            if body.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{group}\n\n{}\n", body.join("\n")));
        }
        out
    }
}

/// `lines` without leading and trailing blank lines.
fn trimmed(lines: &[String]) -> Vec<String> {
    let blank = |l: &&String| l.trim().is_empty();
    let start = lines.iter().position(|l| !blank(&l)).unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !blank(&l))
        .map_or(start, |i| i + 1);
    lines[start..end].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::diff::Kind;

    fn change(breaking: bool, message: &str) -> Change {
        Change {
            kind: if breaking {
                Kind::PropertyRemoved
            } else {
                Kind::PropertyAdded
            },
            layer: Layer::Wire,
            breaking,
            pointer: "/components/schemas/Character".to_owned(),
            message: message.to_owned(),
        }
    }

    fn changes(list: &[(bool, &str)]) -> Changes {
        Changes {
            changes: list.iter().map(|&(b, m)| change(b, m)).collect(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        // 2000-02-29 (a leap day of a century leap year) and 2026-12-01.
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
    }

    #[test]
    fn records_under_unreleased_once_and_keeps_hand_written_text() {
        let text = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Fixed\n\n- a typo\n\n## [0.1.0] - 2026-01-02\n\n### Added\n\n- everything\n";
        let once = record(Some(text), &changes(&[(true, "gone"), (false, "new")])).unwrap();
        assert_eq!(
            once,
            "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Breaking\n\n- gone (wire, `#/components/schemas/Character`)\n\n### Fixed\n\n- a typo\n\n### Additive\n\n- new (wire, `#/components/schemas/Character`)\n\n## [0.1.0] - 2026-01-02\n\n### Added\n\n- everything\n"
        );
        assert_eq!(record(Some(&once), &changes(&[(true, "gone")])), None);
        let twice = record(Some(&once), &changes(&[(false, "newer")])).unwrap();
        assert!(twice.contains("- new (wire, `#/components/schemas/Character`)\n- newer (wire"));
    }

    #[test]
    fn release_moves_unreleased_under_the_version() {
        let start = record(None, &changes(&[(false, "new")])).unwrap();
        assert!(start.starts_with(PREAMBLE));
        let released = release(Some(&start), "0.1.1", "2026-12-01", &Changes::default());
        let tail = released.strip_prefix(PREAMBLE).unwrap();
        assert_eq!(
            tail,
            "\n## [Unreleased]\n\n## [0.1.1] - 2026-12-01\n\n### Additive\n\n- new (wire, `#/components/schemas/Character`)\n"
        );
        // Nothing under Unreleased: the changes given are the release's.
        let next = release(
            Some(&released),
            "0.2.0",
            "2026-12-02",
            &changes(&[(true, "gone")]),
        );
        let tail = next.strip_prefix(PREAMBLE).unwrap();
        assert!(
            tail.starts_with(
                "\n## [Unreleased]\n\n## [0.2.0] - 2026-12-02\n\n### Breaking\n\n- gone"
            ),
            "{tail}"
        );
        assert!(tail.contains("\n\n## [0.1.1] - 2026-12-01\n"), "{tail}");
    }
}
