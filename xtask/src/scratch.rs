//! Scratch crates: generated code compiled as a crate of its own, outside
//! the workspace, so that `bench` (and `corpus`) can check or build it.
//!
//! ```ignore
//! let settings = codegen::Settings {
//!     runtime: scratch::RUNTIME.to_owned(),
//!     ..Default::default()
//! };
//! let code = codegen::generate(&spec, &settings)?.code;
//! let krate = ScratchCrate::new("petstore");
//! let outcome = krate.write(&code)?.check()?;
//! if !outcome.success {
//!     eprintln!("{}", outcome.stderr);
//! }
//! ```
//!
//! A scratch crate lives in `target/scratch/<name>/` and depends on
//! `alakazam-client` (whose public `runtime` the generated code calls) by
//! absolute path. Every scratch crate shares one target directory
//! (`target/scratch/target`), so dependencies compile once for all of
//! them. The workspace's `Cargo.lock` is copied in, so they resolve to the
//! exact versions the workspace uses, and its `[profile.*]` tables are
//! copied too, so build times compare with the workspace's own.
//!
//! Builds run with `CARGO_INCREMENTAL=0`: a rebuild after [`touch`]
//! compiles the crate from scratch, which is what a user who adds the
//! generated client (or regenerates it) pays; an incremental rebuild of an
//! unchanged file would measure nothing.
//!
//! [`touch`]: ScratchCrate::touch

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::{Failure, workspace};

/// The runtime path to generate with (`codegen::Settings::runtime`) for
/// code that goes into a scratch crate.
pub(crate) const RUNTIME: &str = "::alakazam_client::runtime";

/// Dependencies the generated code names (`::serde::…`, `::reqwest::…`,
/// `progenitor_client::…`, …) that must be the workspace's versions: types
/// from them cross into `alakazam_client::runtime`. Their requirement is
/// copied from `[workspace.dependencies]`.
pub(crate) const WORKSPACE_DEPENDENCIES: [&str; 5] = [
    "progenitor-client",
    "reqwest",
    "serde",
    "serde_json",
    "uuid",
];

/// Dependencies generated code may name that the workspace does not use
/// directly: `format: date-time`/`date` → chrono, `pattern` → regress,
/// dropshot websockets (`x-dropshot-websocket`) → base64 and rand.
/// A `[workspace.dependencies]` entry of the same name wins.
pub(crate) const EXTRA_DEPENDENCIES: [(&str, &str); 4] = [
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["std", "serde"] }"#,
    ),
    ("regress", r#""0.12""#),
    ("base64", r#""0.22""#),
    ("rand", r#""0.10""#),
];

/// A crate holding generated code, in its own directory.
#[derive(Clone, Debug)]
pub(crate) struct ScratchCrate {
    name: String,
    dir: PathBuf,
    target_dir: PathBuf,
}

/// What one `cargo check`/`cargo build` came to.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// cargo exited with status 0.
    pub success: bool,
    /// cargo's standard error: progress lines and diagnostics.
    pub stderr: String,
    /// Wall-clock time of the cargo process.
    pub duration: Duration,
}

/// `cargo check` or `cargo build`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cargo {
    /// `cargo check`: type-check only.
    Check,
    /// `cargo build`: dev profile, code generation included.
    Build,
}

impl Cargo {
    fn subcommand(self) -> &'static str {
        match self {
            Cargo::Check => "check",
            Cargo::Build => "build",
        }
    }
}

impl ScratchCrate {
    /// A scratch crate called `name` in `target/scratch/<name>`, sharing
    /// `target/scratch/target`. Characters that a package name cannot hold
    /// become `_` (so distinct names may meet: callers keep them distinct).
    pub(crate) fn new(name: &str) -> Self {
        let name = package_name(name);
        let scratch = scratch_root();
        ScratchCrate {
            dir: scratch.join(&name),
            target_dir: shared_target_dir(),
            name,
        }
    }

    /// The crate's directory (holding `Cargo.toml`).
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the crate: `Cargo.toml`, `Cargo.lock` (the workspace's, when
    /// it has none or the workspace's changed), `src/lib.rs` and the code
    /// as `src/generated.rs`. The code must have been generated with
    /// `runtime` = [`RUNTIME`].
    pub(crate) fn write(&self, code: &str) -> Result<&Self, Failure> {
        let manifest = self.manifest()?;
        create_dir(&self.dir.join("src"))?;
        write_if_changed(&self.dir.join("Cargo.toml"), &manifest)?;
        write_if_changed(&self.dir.join("src/lib.rs"), LIB_RS)?;
        // Always rewritten: a changed mtime is what makes cargo rebuild.
        write(&self.dir.join("src/generated.rs"), code)?;
        sync_lock(&self.dir)?;
        Ok(self)
    }

    /// Writes the crate with one module per `(name, code)` instead of
    /// `generated`, each compiled as `src/generated.rs` is: many
    /// generated clients, one `cargo check`. Module files of an earlier
    /// run that `modules` lacks are removed.
    pub(crate) fn write_modules(&self, modules: &[(String, String)]) -> Result<&Self, Failure> {
        let manifest = self.manifest()?;
        let src = self.dir.join("src");
        create_dir(&src)?;
        write_if_changed(&self.dir.join("Cargo.toml"), &manifest)?;
        let mut lib = String::from(
            "//! Written by `cargo xtask` (xtask/src/scratch.rs): generated code, compiled alone.\n",
        );
        for (name, code) in modules {
            lib.push_str(&format!(
                "#[rustfmt::skip]\n{MODULE_ALLOWS}\npub mod {name};\n"
            ));
            write(&src.join(format!("{name}.rs")), code)?;
        }
        write_if_changed(&src.join("lib.rs"), &lib)?;
        let entries = std::fs::read_dir(&src)
            .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", src.display())))?;
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if stem != "lib" && !modules.iter().any(|(name, _)| name == stem) {
                let _ = std::fs::remove_file(&path);
            }
        }
        sync_lock(&self.dir)?;
        Ok(self)
    }

    /// Marks the crate's sources as changed, so that the next check or
    /// build compiles the crate again (and nothing else).
    pub(crate) fn touch(&self) -> Result<(), Failure> {
        touch(&self.dir.join("src/generated.rs"))
    }

    /// `cargo check` of the crate.
    pub(crate) fn check(&self) -> Result<Outcome, Failure> {
        cargo(&self.dir, &self.target_dir, Cargo::Check, &[])
    }

    /// `cargo build` of the crate (dev profile).
    pub(crate) fn build(&self) -> Result<Outcome, Failure> {
        cargo(&self.dir, &self.target_dir, Cargo::Build, &[])
    }

    fn manifest(&self) -> Result<String, Failure> {
        let root_manifest = read(&workspace::root().join("Cargo.toml"))?;
        let client = workspace::root().join("generated-client");
        let mut out = String::new();
        out.push_str(
            "# Written by `cargo xtask` (xtask/src/scratch.rs); rewritten on every run.\n",
        );
        out.push_str("[package]\n");
        out.push_str(&format!("name = {}\n", toml_string(&self.name)));
        out.push_str("version = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n");
        out.push_str("[dependencies]\n");
        out.push_str(&format!(
            "alakazam-client = {{ path = {} }}\n",
            toml_string(&client.to_string_lossy())
        ));
        for name in WORKSPACE_DEPENDENCIES {
            let requirement = workspace_dependency(&root_manifest, name).ok_or_else(|| {
                Failure::new(format!(
                    "error: `{name}` is missing from [workspace.dependencies] of Cargo.toml; \
                     scratch crates need the workspace's version of it"
                ))
            })?;
            out.push_str(&format!("{name} = {requirement}\n"));
        }
        for (name, fallback) in EXTRA_DEPENDENCIES {
            let requirement =
                workspace_dependency(&root_manifest, name).unwrap_or_else(|| fallback.to_owned());
            out.push_str(&format!("{name} = {requirement}\n"));
        }
        // Not a member of the enclosing workspace (target/ is inside it).
        out.push_str("\n[workspace]\n\n");
        out.push_str(&profiles(&root_manifest));
        Ok(out)
    }
}

const LIB_RS: &str = "\
//! Written by `cargo xtask` (xtask/src/scratch.rs): generated code, compiled alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs, rustdoc::all)]
pub mod generated;
";

/// The lints a module of generated code is allowed, as `LIB_RS` allows them.
pub(crate) const MODULE_ALLOWS: &str = "#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs, rustdoc::all)]";

/// `target/scratch` of the workspace.
pub(crate) fn scratch_root() -> PathBuf {
    workspace::root().join("target/scratch")
}

/// The target directory all scratch crates share.
pub(crate) fn shared_target_dir() -> PathBuf {
    scratch_root().join("target")
}

/// Runs `cargo check`/`build` on the crate in `dir`, non-incrementally,
/// with `extra` arguments (features, say); times the cargo process.
pub(crate) fn cargo(
    dir: &Path,
    target_dir: &Path,
    what: Cargo,
    extra: &[&str],
) -> Result<Outcome, Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg(what.subcommand())
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .args(["--color", "never"])
        .args(extra)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir);
    let started = Instant::now();
    let output = command.output().map_err(|e| {
        Failure::new(format!(
            "error: cannot run cargo {} in {}: {e}",
            what.subcommand(),
            dir.display()
        ))
    })?;
    Ok(Outcome {
        success: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        duration: started.elapsed(),
    })
}

/// Copies the workspace's `Cargo.lock` into `dir` when `dir` has none or
/// the workspace's changed since the last copy (kept as `.workspace.lock`).
/// cargo then keeps every version the workspace pins and only adds what
/// the scratch crate needs beyond it.
pub(crate) fn sync_lock(dir: &Path) -> Result<(), Failure> {
    let root_lock = read(&workspace::root().join("Cargo.lock"))?;
    let copy = dir.join(".workspace.lock");
    let lock = dir.join("Cargo.lock");
    let unchanged = std::fs::read_to_string(&copy).ok().as_deref() == Some(root_lock.as_str());
    if unchanged && lock.exists() {
        return Ok(());
    }
    write(&lock, &root_lock)?;
    write(&copy, &root_lock)
}

/// The `[profile.*]` tables of a manifest, verbatim.
pub(crate) fn profiles(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed.starts_with("[profile.");
            if inside && !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The requirement of `name` in `[workspace.dependencies]` (the text after
/// `name =`), when it is written on one line as the root manifest does.
pub(crate) fn workspace_dependency(manifest: &str, name: &str) -> Option<String> {
    let mut inside = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed == "[workspace.dependencies]";
            continue;
        }
        if !inside {
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        if key.trim().trim_matches('"') == name {
            return Some(value.trim().to_owned());
        }
    }
    None
}

/// A cargo package name from `name`: ASCII alphanumerics, `-` and `_`,
/// not starting with a digit; never empty.
pub(crate) fn package_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "s_");
    }
    out
}

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn create_dir(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::new(format!("error: cannot create {}: {e}", dir.display())))
}

pub(crate) fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", path.display())))
}

pub(crate) fn write(path: &Path, content: &str) -> Result<(), Failure> {
    std::fs::write(path, content)
        .map_err(|e| Failure::new(format!("error: cannot write {}: {e}", path.display())))
}

/// Leaves an unchanged file alone, so that its mtime does not trigger a
/// rebuild.
fn write_if_changed(path: &Path, content: &str) -> Result<(), Failure> {
    if std::fs::read(path).ok().as_deref() == Some(content.as_bytes()) {
        return Ok(());
    }
    write(path, content)
}

/// Sets the mtime of `path` to now.
pub(crate) fn touch(path: &Path) -> Result<(), Failure> {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| Failure::new(format!("error: cannot touch {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
[workspace]
members = ["a"]

[workspace.dependencies]
serde = { version = "1", features = ["derive"] }
"uuid" = "1"
progenitor-client = "0.15.1"

[profile.dev]
# comment kept
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false

[patch.crates-io]
x = { path = "x" }
"#;

    #[test]
    fn reads_workspace_dependencies() {
        assert_eq!(
            workspace_dependency(MANIFEST, "serde").as_deref(),
            Some(r#"{ version = "1", features = ["derive"] }"#)
        );
        assert_eq!(
            workspace_dependency(MANIFEST, "uuid").as_deref(),
            Some("\"1\"")
        );
        assert_eq!(workspace_dependency(MANIFEST, "members"), None);
        assert_eq!(workspace_dependency(MANIFEST, "chrono"), None);
    }

    #[test]
    fn copies_profiles_only() {
        let p = profiles(MANIFEST);
        assert!(p.contains("[profile.dev]\n# comment kept\ndebug = \"line-tables-only\""));
        assert!(p.contains("[profile.dev.package.\"*\"]\ndebug = false"));
        assert!(!p.contains("patch"));
        assert!(!p.contains("members"));
    }

    #[test]
    fn the_real_manifest_has_what_scratch_crates_need() {
        let manifest = read(&workspace::root().join("Cargo.toml")).unwrap_or_default();
        for name in WORKSPACE_DEPENDENCIES {
            assert!(
                workspace_dependency(&manifest, name).is_some(),
                "{name} in [workspace.dependencies]"
            );
        }
        let krate = ScratchCrate::new("unit-test");
        let toml = krate.manifest().map_err(|f| f.message).unwrap_or_default();
        assert!(toml.contains("\n[workspace]\n"), "{toml}");
        assert!(toml.contains("alakazam-client = { path = "), "{toml}");
        assert!(toml.contains("chrono = "), "{toml}");
    }

    #[test]
    fn package_names() {
        assert_eq!(package_name("bench-500"), "bench-500");
        assert_eq!(package_name("Pet Store.v2"), "pet_store_v2");
        assert_eq!(package_name("500"), "s_500");
        assert_eq!(package_name(""), "s_");
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
