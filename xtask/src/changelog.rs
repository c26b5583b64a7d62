//! The crate's `CHANGELOG.md` ([Keep a Changelog] 1.1.0), kept by the tools:
//! `regen` adds the API changes it reports under `## [Unreleased]`, in
//! Keep a Changelog's groups (`### Added`, `### Changed`, `### Deprecated`,
//! `### Removed`), each entry that can break a caller flagged
//! `**Breaking:**`; `diff --bump` moves what is under Unreleased (or, when
//! nothing is, the changes it found) into a new `## [VERSION] - YYYY-MM-DD`
//! section. When the crate's manifest names its `repository`, the file
//! ends with compare links, one per section (tags are `vVERSION`).
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

/// Keep a Changelog's groups, in its order; a group written by hand with
/// another heading keeps its place.
const GROUPS: [&str; 6] = [
    "### Added",
    "### Changed",
    "### Deprecated",
    "### Removed",
    "### Fixed",
    "### Security",
];

/// What starts an entry that can break code or callers built on the old
/// spec.
const BREAKING: &str = "**Breaking:** ";

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
pub(crate) fn record(
    text: Option<&str>,
    changes: &Changes,
    repository: Option<&str>,
) -> Option<String> {
    let text = text.unwrap_or(PREAMBLE);
    let mut doc = Doc::parse(&without_section_links(text, repository));
    let mut added = false;
    for (heading, entries) in grouped(changes) {
        added |= doc.unreleased.add(heading, entries);
    }
    added.then(|| with_section_links(doc.render(), repository))
}

/// `text` (or a new changelog) with a `## [version] - date` section that
/// holds what was under Unreleased, or `changes` when nothing was; the
/// Unreleased section is left empty.
pub(crate) fn release(
    text: Option<&str>,
    version: &str,
    date: &str,
    changes: &Changes,
    repository: Option<&str>,
) -> String {
    let text = text.unwrap_or(PREAMBLE);
    let mut doc = Doc::parse(&without_section_links(text, repository));
    let mut section = std::mem::take(&mut doc.unreleased);
    if !section.has_entries() {
        section = Section::default();
        for (heading, entries) in grouped(changes) {
            section.add(heading, entries);
        }
    }
    doc.released
        .insert(0, section.render(&format!("## [{version}] - {date}")));
    with_section_links(doc.render(), repository)
}

/// The label of a section heading: `0.2.0` of `## [0.2.0] - 2026-12-02`.
fn section_label(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("## [")?;
    rest.split_once(']').map(|(label, _)| label)
}

/// `text` without the link definitions of its section headings (the
/// ones [`with_section_links`] writes), when they are to be rewritten.
fn without_section_links(text: &str, repository: Option<&str>) -> String {
    if repository.is_none() {
        return text.to_owned();
    }
    let labels: Vec<String> = text
        .lines()
        .filter_map(section_label)
        .map(str::to_ascii_lowercase)
        .collect();
    let is_section_link = |line: &str| {
        line.strip_prefix('[')
            .and_then(|rest| rest.split_once("]: "))
            .is_some_and(|(label, _)| labels.contains(&label.to_ascii_lowercase()))
    };
    let mut out: String = text
        .lines()
        .filter(|l| !is_section_link(l))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// `text` ending with a link per section: Unreleased compares the newest
/// tag with `HEAD`, each release its tag with the one before, the first
/// release is its tag. Nothing without a repository, nor for Unreleased
/// before the first release (there is no tag to compare with).
fn with_section_links(text: String, repository: Option<&str>) -> String {
    let Some(repository) = repository.map(|r| r.trim_end_matches('/')) else {
        return text;
    };
    let labels: Vec<&str> = text.lines().filter_map(section_label).collect();
    let versions: Vec<&str> = labels
        .iter()
        .copied()
        .filter(|l| !l.eq_ignore_ascii_case("unreleased"))
        .collect();
    let mut links = Vec::new();
    if let (Some(unreleased), Some(newest)) = (
        labels.iter().find(|l| l.eq_ignore_ascii_case("unreleased")),
        versions.first(),
    ) {
        links.push(format!(
            "[{unreleased}]: {repository}/compare/v{newest}...HEAD"
        ));
    }
    for (i, version) in versions.iter().enumerate() {
        links.push(match versions.get(i + 1) {
            Some(previous) => format!("[{version}]: {repository}/compare/v{previous}...v{version}"),
            None => format!("[{version}]: {repository}/releases/tag/v{version}"),
        });
    }
    if links.is_empty() {
        return text;
    }
    let mut out = text.trim_end().to_owned();
    out.push_str("\n\n");
    out.push_str(&links.join("\n"));
    out.push('\n');
    out
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

/// The changes as entry lines under Keep a Changelog's headings, by what
/// they did (a kind `…-added` is Added, …); in each group the breaking
/// entries first.
fn grouped(changes: &Changes) -> Vec<(&'static str, Vec<String>)> {
    let mut groups: Vec<(&'static str, Vec<String>)> = Vec::new();
    for breaking in [true, false] {
        for c in changes.changes.iter().filter(|c| c.breaking == breaking) {
            let heading = group_of(c);
            let line = entry(c);
            match groups.iter_mut().find(|(h, _)| *h == heading) {
                Some((_, lines)) => lines.push(line),
                None => groups.push((heading, vec![line])),
            }
        }
    }
    groups.sort_by_key(|(h, _)| rank(h));
    groups
}

fn group_of(c: &Change) -> &'static str {
    let kind = c.kind.as_str();
    if kind.ends_with("-added") {
        GROUPS[0]
    } else if kind.ends_with("-deprecated") {
        GROUPS[2]
    } else if kind.ends_with("-removed") {
        GROUPS[3]
    } else {
        GROUPS[1]
    }
}

/// Where a group goes among Keep a Changelog's (another heading: after).
fn rank(heading: &str) -> usize {
    GROUPS
        .iter()
        .position(|g| *g == heading)
        .unwrap_or(GROUPS.len())
}

fn entry(c: &Change) -> String {
    let at = match c.layer {
        Layer::Wire => format!("#{}", c.pointer),
        Layer::Rust => c.pointer.clone(),
    };
    let message = c.message.replace('\n', " ");
    let flag = if c.breaking { BREAKING } else { "" };
    format!("- {flag}{message} ({}, `{at}`)", c.layer.as_str())
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

    /// Appends the entries not listed yet to the group `heading` (a new
    /// group goes before the first of a later rank); whether any was.
    fn add(&mut self, heading: &str, entries: Vec<String>) -> bool {
        let index = match self.groups.iter().position(|(h, _)| h == heading) {
            Some(i) => i,
            None => {
                let at = self
                    .groups
                    .iter()
                    .position(|(h, _)| rank(h) > rank(heading))
                    .unwrap_or(self.groups.len());
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
        let once = record(
            Some(text),
            &changes(&[(true, "gone"), (false, "new")]),
            None,
        )
        .unwrap();
        assert_eq!(
            once,
            "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- new (wire, `#/components/schemas/Character`)\n\n### Removed\n\n- **Breaking:** gone (wire, `#/components/schemas/Character`)\n\n### Fixed\n\n- a typo\n\n## [0.1.0] - 2026-01-02\n\n### Added\n\n- everything\n"
        );
        assert_eq!(record(Some(&once), &changes(&[(true, "gone")]), None), None);
        let twice = record(Some(&once), &changes(&[(false, "newer")]), None).unwrap();
        assert!(twice.contains("- new (wire, `#/components/schemas/Character`)\n- newer (wire"));
    }

    #[test]
    fn kinds_go_to_their_groups_breaking_first() {
        let mut all = changes(&[(false, "added"), (true, "removed")]);
        all.changes.push(Change {
            kind: Kind::OperationDeprecated,
            breaking: false,
            ..change(false, "deprecated")
        });
        all.changes.push(Change {
            kind: Kind::TypeChanged,
            breaking: false,
            ..change(false, "widened")
        });
        all.changes.push(Change {
            kind: Kind::TypeChanged,
            breaking: true,
            ..change(true, "narrowed")
        });
        let text = record(None, &all, None).unwrap();
        let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("### ")).collect();
        assert_eq!(
            headings,
            ["### Added", "### Changed", "### Deprecated", "### Removed"]
        );
        let changed = text.split("### Changed").nth(1).unwrap();
        assert!(
            changed.trim_start().starts_with("- **Breaking:** narrowed")
                && changed.contains("\n- widened"),
            "{text}"
        );
    }

    #[test]
    fn release_moves_unreleased_under_the_version() {
        let start = record(None, &changes(&[(false, "new")]), None).unwrap();
        assert!(start.starts_with(PREAMBLE));
        let released = release(
            Some(&start),
            "0.1.1",
            "2026-12-01",
            &Changes::default(),
            None,
        );
        let tail = released.strip_prefix(PREAMBLE).unwrap();
        assert_eq!(
            tail,
            "\n## [Unreleased]\n\n## [0.1.1] - 2026-12-01\n\n### Added\n\n- new (wire, `#/components/schemas/Character`)\n"
        );
        // Nothing under Unreleased: the changes given are the release's.
        let next = release(
            Some(&released),
            "0.2.0",
            "2026-12-02",
            &changes(&[(true, "gone")]),
            None,
        );
        let tail = next.strip_prefix(PREAMBLE).unwrap();
        assert!(
            tail.starts_with(
                "\n## [Unreleased]\n\n## [0.2.0] - 2026-12-02\n\n### Removed\n\n- **Breaking:** gone"
            ),
            "{tail}"
        );
        assert!(tail.contains("\n\n## [0.1.1] - 2026-12-01\n"), "{tail}");
    }

    #[test]
    fn compare_links_follow_the_sections() {
        let repo = Some("https://example.com/o/r/");
        let start = record(None, &changes(&[(false, "new")]), repo).unwrap();
        // No release yet: no tag to compare with, no link.
        assert!(!start.contains("]: https://"), "{start}");
        let first = release(
            Some(&start),
            "0.1.0",
            "2026-12-01",
            &Changes::default(),
            repo,
        );
        assert!(
            first.ends_with(
                "\n\n[Unreleased]: https://example.com/o/r/compare/v0.1.0...HEAD\n[0.1.0]: https://example.com/o/r/releases/tag/v0.1.0\n"
            ),
            "{first}"
        );
        let more = record(Some(&first), &changes(&[(false, "newer")]), repo).unwrap();
        let second = release(
            Some(&more),
            "0.1.1",
            "2026-12-02",
            &Changes::default(),
            repo,
        );
        assert!(
            second.ends_with(
                "\n\n[Unreleased]: https://example.com/o/r/compare/v0.1.1...HEAD\n[0.1.1]: https://example.com/o/r/compare/v0.1.0...v0.1.1\n[0.1.0]: https://example.com/o/r/releases/tag/v0.1.0\n"
            ),
            "{second}"
        );
        // The links are rewritten, never repeated, and entries stay put.
        assert_eq!(second.matches("[0.1.0]: ").count(), 1);
        assert!(second.contains("## [0.1.1] - 2026-12-02\n\n### Added\n\n- newer"));
        let third = record(Some(&second), &changes(&[(false, "newest")]), repo).unwrap();
        assert_eq!(third.matches("[Unreleased]: ").count(), 1, "{third}");
        assert_eq!(
            record(Some(&third), &changes(&[(false, "newest")]), repo),
            None
        );
    }
}
