//! Stage 1, load: bytes → a JSON value, YAML or JSON chosen by content.
//!
//! The spec stays an untyped `serde_json::Value` here; conversion into
//! `openapiv3::OpenAPI` is part of validation, so that a wrong type is
//! reported with its JSON pointer and position like every other problem.

use std::path::Path;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::document::Origins;
use crate::document::ref_targets::{EMBEDDED, Rewritten, componentize};
use crate::error::Error;
use crate::source_map::SourceMap;

mod files;

use files::Embedded;

/// A loaded spec: its source text, its digest and its parsed value.
#[derive(Debug)]
pub struct Spec {
    name: String,
    source: String,
    sha256: String,
    value: serde_json::Value,
    source_map: OnceLock<SourceMap>,
    /// Where the components made for references to other nodes came from.
    origins: Origins,
    /// The references rewritten to point at those components.
    rewritten: Vec<Rewritten>,
    /// The other files of a multi-file spec.
    embedded: Vec<Embedded>,
    files: Vec<SpecFile>,
}

/// One file a spec was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecFile {
    name: String,
    sha256: String,
}

impl SpecFile {
    /// Its path, as the root's was given joined with the references.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Lower-case hex SHA-256 of its bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

/// The two syntaxes a spec can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// The file starts with `{`.
    Json,
    /// Anything else.
    Yaml,
}

impl Spec {
    /// Reads and parses the spec at `path`, with the files its references
    /// name (relative paths, YAML or JSON, any depth). Messages name the
    /// paths as given.
    pub fn load(path: impl AsRef<Path>) -> Result<Spec, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.display().to_string(),
            source,
        })?;
        let name = path.display().to_string();
        let (source, sha256, mut value) = document(&name, &bytes)?;
        let embedded = files::embed(path, &source, &mut value)?;
        Ok(Spec::new(name, source, sha256, value, embedded))
    }

    /// Parses a spec held in memory; `name` is used in messages. It cannot
    /// follow references to other files (they are reported as errors).
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> Result<Spec, Error> {
        let name = name.into();
        let (source, sha256, value) = document(&name, bytes)?;
        Ok(Spec::new(name, source, sha256, value, Vec::new()))
    }

    fn new(
        name: String,
        source: String,
        sha256: String,
        mut value: serde_json::Value,
        embedded: Vec<Embedded>,
    ) -> Spec {
        // The later stages follow only references to components.
        let rewrites = componentize(&mut value);
        if let Some(doc) = value.as_object_mut() {
            doc.remove(EMBEDDED);
        }
        let mut files = vec![SpecFile {
            name: name.clone(),
            sha256: sha256.clone(),
        }];
        files.extend(embedded.iter().map(|e| SpecFile {
            name: e.name.clone(),
            sha256: e.sha256.clone(),
        }));
        // One file: the digest of its bytes. More: the digest of the list
        // of every file's digest and name, so a change in any is seen.
        let sha256 = if files.len() == 1 {
            sha256
        } else {
            let list: String = files
                .iter()
                .map(|f| format!("{}  {}\n", f.sha256, f.name))
                .collect();
            hex(&Sha256::digest(list.as_bytes()))
        };
        Spec {
            name,
            source,
            sha256,
            value,
            source_map: OnceLock::new(),
            origins: rewrites.origins,
            rewritten: rewrites.rewritten,
            embedded,
            files,
        }
    }

    /// Every file the spec was read from, the root first, with the
    /// SHA-256 of each one's bytes.
    pub fn files(&self) -> &[SpecFile] {
        &self.files
    }

    /// The name used in messages (the path, for a loaded file).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Lower-case hex SHA-256 of the file's bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The parsed document, where every reference names a component
    /// (references to other nodes are rewritten, see [`Spec::diagnostic`]).
    pub fn value(&self) -> &serde_json::Value {
        &self.value
    }

    /// Whether any reference was rewritten (each is a warning).
    pub(crate) fn rewrote_references(&self) -> bool {
        !self.rewritten.is_empty()
    }

    /// One warning per reference that was rewritten to point at a
    /// component made for its target, located where it is written.
    pub(crate) fn reference_warnings(&self) -> Vec<Diagnostic> {
        // A reference in a node copied in place (a path item by reference)
        // is rewritten in each copy, but written once.
        let mut seen = std::collections::HashSet::new();
        self.rewritten
            .iter()
            .filter(|r| seen.insert((self.origins.source(&r.at), &r.from)))
            .map(|r| {
                self.diagnostic(
                    Severity::Warning,
                    &format!("{}/$ref", r.at),
                    format!(
                        "reference `{}` does not name a component: rewritten to `{}`",
                        r.from, r.to
                    ),
                )
                .with_help("the generator follows only `#/components/<section>/<name>`; move the target there to choose its name")
            })
            .collect()
    }

    /// A diagnostic about the node at `pointer` of [`Spec::value`], located
    /// in the source (a component made for a reference's target is located
    /// where the target is written).
    pub(crate) fn diagnostic(
        &self,
        severity: Severity,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let pointer = self.origins.source(pointer);
        let (name, source, map, pointer) = match self.embedded_file(&pointer) {
            Some((file, rest)) => (&file.name, &file.source, &file.map, rest.to_owned()),
            None => (&self.name, &self.source, &self.source_map, pointer),
        };
        let mut d = Diagnostic::new(severity, name, message);
        let map = map.get_or_init(|| SourceMap::build(source));
        if let Some(loc) = map.locate(source, &pointer) {
            d = match map.line(source, loc.line) {
                Some(line) => d.at_line(loc, line),
                None => d.at(loc, source),
            };
        }
        d.pointer = Some(pointer);
        d
    }

    /// The file a pointer under `#/x-codegen-files/<key>` is in, and the
    /// pointer in that file.
    fn embedded_file<'p>(&self, pointer: &'p str) -> Option<(&Embedded, &'p str)> {
        let rest = pointer.strip_prefix('/')?.strip_prefix(EMBEDDED)?;
        let rest = rest.strip_prefix('/')?;
        let (key, inner) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        let file = self.embedded.iter().find(|f| f.key == key)?;
        Some((file, inner))
    }
}

/// Decodes and parses a root document: its text, the digest of its bytes
/// and its value (a mapping).
fn document(name: &str, bytes: &[u8]) -> Result<(String, String, serde_json::Value), Error> {
    let source = text(name, bytes)?;
    let (value, sha256) = parse_and_digest(name, bytes, &source);
    let value = value?;
    if !value.is_object() {
        let d = Diagnostic::new(
            Severity::Error,
            name,
            format!(
                "expected an OpenAPI document (a mapping at the top level), found {}",
                kind_of(&value)
            ),
        )
        .at(Location { line: 1, column: 1 }, &source);
        return Err(Error::spec(d));
    }
    Ok((source, sha256, value))
}

/// The text of a file (UTF-8, not empty).
fn text(name: &str, bytes: &[u8]) -> Result<String, Error> {
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s.strip_prefix('\u{feff}').unwrap_or(s).to_owned(),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let text = String::from_utf8_lossy(valid);
            let loc = end_location(&text);
            return Err(Error::spec(
                Diagnostic::new(
                    Severity::Error,
                    name,
                    format!(
                        "the file is not valid UTF-8 (invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                )
                // The whole text for the source line (the bad bytes
                // shown as U+FFFD): the position is on the line the
                // valid prefix ends in.
                .at(loc, &String::from_utf8_lossy(bytes))
                .with_help("OpenAPI documents must be UTF-8 encoded YAML or JSON"),
            ));
        }
    };
    if source.trim().is_empty() {
        return Err(Error::spec(
            Diagnostic::new(Severity::Error, name, "the file is empty")
                .with_help("expected an OpenAPI 3.0 document in YAML or JSON"),
        ));
    }
    Ok(source)
}

/// `source` (the text of `bytes`) parsed, and the digest of `bytes`. For a
/// spec of megabytes the digest takes about as long as the parse, so it is
/// computed on a second thread meanwhile.
fn parse_and_digest(
    name: &str,
    bytes: &[u8],
    source: &str,
) -> (Result<serde_json::Value, Error>, String) {
    let digest = || hex(&Sha256::digest(bytes));
    std::thread::scope(|scope| {
        // Without a second thread, the same work on this one.
        match std::thread::Builder::new().spawn_scoped(scope, digest) {
            Ok(handle) => {
                let value = parse_text(name, source);
                (value, handle.join().unwrap_or_else(|_| digest()))
            }
            Err(_) => (parse_text(name, source), digest()),
        }
    })
}

fn parse_text(name: &str, source: &str) -> Result<serde_json::Value, Error> {
    parse(name, source, detect(source))
}

/// JSON when the first significant character opens an object, else YAML.
pub fn detect(source: &str) -> Syntax {
    match source.trim_start().chars().next() {
        Some('{') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

fn parse(name: &str, source: &str, syntax: Syntax) -> Result<serde_json::Value, Error> {
    match syntax {
        Syntax::Json => serde_json::from_str(source).map_err(|e| {
            let loc = Location {
                line: e.line().max(1),
                column: e.column().max(1),
            };
            Error::spec(
                Diagnostic::new(
                    Severity::Error,
                    name,
                    format!("invalid JSON: {}", strip_position(&e.to_string())),
                )
                .at(loc, source),
            )
        }),
        Syntax::Yaml => {
            let yaml_error = |e: serde_yaml::Error| {
                let mut d = Diagnostic::new(
                    Severity::Error,
                    name,
                    format!("invalid YAML: {}", strip_position(&e.to_string())),
                );
                if let Some(l) = e.location() {
                    d = d.at(
                        Location {
                            line: l.line(),
                            column: l.column(),
                        },
                        source,
                    );
                }
                Error::spec(d)
            };
            let mut value = crate::yaml::from_str(source).map_err(yaml_error)?;
            value.apply_merge().map_err(yaml_error)?;
            serde_json::to_value(value).map_err(|e| {
                Error::spec(Diagnostic::new(
                    Severity::Error,
                    name,
                    format!("the YAML document cannot be represented as JSON: {e}"),
                ))
            })
        }
    }
}

/// serde's messages end in "at line X column Y"; the diagnostic shows that.
fn strip_position(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

fn end_location(text: &str) -> Location {
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location { line, column }
}

pub(crate) fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a sequence",
        serde_json::Value::Object(_) => "a mapping",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(err: Error) -> Diagnostic {
        match err {
            Error::Spec(report) => report.diagnostics[0].clone(),
            other => panic!("expected a spec error, got {other:?}"),
        }
    }

    #[test]
    fn detects_syntax_by_content() {
        assert_eq!(detect("  {\"openapi\": 1}"), Syntax::Json);
        assert_eq!(detect("openapi: 3.0.3"), Syntax::Yaml);
    }

    #[test]
    fn yaml_syntax_error_has_position() {
        let d = first(Spec::from_bytes("s.yaml", b"openapi: 3.0.3\npaths: [\n").unwrap_err());
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(d.location.is_some());
    }

    #[test]
    fn json_syntax_error_has_position() {
        let d = first(Spec::from_bytes("s.json", b"{\n  \"openapi\": \"3.0.3\",\n}").unwrap_err());
        assert!(d.message.starts_with("invalid JSON"), "{}", d.message);
        assert_eq!(d.location, Some(Location { line: 3, column: 1 }));
    }

    #[test]
    fn empty_and_non_utf8_are_errors() {
        assert_eq!(
            first(Spec::from_bytes("e", b"  \n").unwrap_err()).message,
            "the file is empty"
        );
        let d = first(Spec::from_bytes("b", b"openapi: 3\n\xff\xfe").unwrap_err());
        assert!(
            d.message
                .contains("not valid UTF-8 (invalid byte at offset 11)"),
            "{}",
            d.message
        );
        assert_eq!(d.location, Some(Location { line: 2, column: 1 }));
    }

    #[test]
    fn non_mapping_document_is_an_error() {
        let d = first(Spec::from_bytes("l", b"- a\n- b\n").unwrap_err());
        assert!(d.message.contains("found a sequence"), "{}", d.message);
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let spec = Spec::from_bytes("r", b"responses:\n  200:\n    description: ok\n").unwrap();
        assert!(spec.value()["responses"]["200"].is_object());
    }
}
