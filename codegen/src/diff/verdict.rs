//! The semver verdict: which version of the crate the changes call for,
//! under Cargo's rules (where `^0.y.z` accepts `0.y.*` and `^0.0.z` only
//! `0.0.z`).

use serde::Serialize;

use super::change::{Changes, DiffError};

/// Which position of the version a release must bump.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// No API change: no release is needed for the API's sake.
    None,
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The version the next release of the crate must have.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The crate's name.
    #[serde(rename = "crate")]
    pub krate: String,
    /// The version it has now.
    pub current: String,
    /// Which position to bump.
    pub bump: Bump,
    /// The version to release (equal to `current` for [`Bump::None`]).
    pub next: String,
    /// Why, in words.
    pub reason: String,
}

impl Verdict {
    /// The verdict for `changes` relative to `current` (e.g. `0.1.0`).
    ///
    /// | current | breaking | additive only | nothing |
    /// |---|---|---|---|
    /// | `≥ 1.0.0` | major | minor | none |
    /// | `0.y.z`, y ≥ 1 | minor (`0.y+1.0`) | patch | none |
    /// | `0.0.z` | patch (`0.0.z+1`) | patch | none |
    pub fn new(krate: &str, changes: &Changes, current: &str) -> Result<Verdict, DiffError> {
        let version = semver::Version::parse(current.trim())
            .map_err(|_| DiffError::Version(current.to_owned()))?;
        if !version.pre.is_empty() || !version.build.is_empty() {
            return Err(DiffError::PreRelease(current.to_owned()));
        }
        let (major, minor, patch) = (version.major, version.minor, version.patch);
        let breaking = changes.breaking();
        let any = !changes.is_empty();
        let (bump, reason) = match (major, minor) {
            _ if !any => (Bump::None, "no API change"),
            (1.., _) if breaking => (Bump::Major, "breaking changes bump the major version"),
            (1.., _) => (Bump::Minor, "additive changes bump the minor version"),
            (0, 1..) if breaking => (
                Bump::Minor,
                "breaking changes before 1.0 bump the minor version",
            ),
            (0, 1..) => (
                Bump::Patch,
                "additive changes before 1.0 bump the patch version",
            ),
            (0, 0) => (
                Bump::Patch,
                "every 0.0.z release is incompatible with the others: bump the patch version",
            ),
        };
        let next = match bump {
            Bump::None => format!("{major}.{minor}.{patch}"),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        };
        Ok(Verdict {
            krate: krate.to_owned(),
            current: version.to_string(),
            bump,
            next,
            reason: reason.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::change::{Change, Kind, Layer};

    fn changes(breaking: &[bool]) -> Changes {
        Changes {
            changes: breaking
                .iter()
                .map(|&b| Change {
                    kind: Kind::PropertyAdded,
                    layer: Layer::Wire,
                    breaking: b,
                    pointer: String::new(),
                    message: String::new(),
                })
                .collect(),
            notes: Vec::new(),
        }
    }

    fn next(current: &str, breaking: &[bool]) -> (Bump, String) {
        let v = Verdict::new("c", &changes(breaking), current).unwrap();
        (v.bump, v.next)
    }

    #[test]
    fn cargo_rules() {
        assert_eq!(next("0.1.0", &[true, false]), (Bump::Minor, "0.2.0".into()));
        assert_eq!(next("0.1.3", &[false]), (Bump::Patch, "0.1.4".into()));
        assert_eq!(next("0.1.3", &[]), (Bump::None, "0.1.3".into()));
        assert_eq!(next("0.0.7", &[true]), (Bump::Patch, "0.0.8".into()));
        assert_eq!(next("0.0.7", &[false]), (Bump::Patch, "0.0.8".into()));
        assert_eq!(next("1.4.2", &[true]), (Bump::Major, "2.0.0".into()));
        assert_eq!(next("1.4.2", &[false]), (Bump::Minor, "1.5.0".into()));
        assert_eq!(next("2.0.0", &[]), (Bump::None, "2.0.0".into()));
    }

    #[test]
    fn bad_versions_are_errors() {
        let c = changes(&[true]);
        assert!(matches!(
            Verdict::new("c", &c, "one"),
            Err(DiffError::Version(_))
        ));
        assert!(matches!(
            Verdict::new("c", &c, "1.0.0-rc.1"),
            Err(DiffError::PreRelease(_))
        ));
    }
}
