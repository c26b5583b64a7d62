//! codegen: the pipeline that turns an OpenAPI 3.0 or 3.1 spec into the
//! checked-in Rust client of `alakazam-client`.
//!
//! ```text
//! load ─▶ check the source ─▶ normalize ─▶ typed model ─▶ generate ──────────▶ format
//! YAML/   version,            3.1 → 3.0,   openapiv3 +    progenitor +         prettyplease
//! JSON    $refs               rewrites as  the checks     syntax-tree passes   + banner
//!                             warnings     progenitor     + quote
//!                                          needs
//! ```
//!
//! Each stage is one module, called once, from here ([`prepare`] and
//! [`generate`]), in that order; a stage does not call another. They share
//! [`document`] (the JSON tree, pointers, `$ref`s, schema walks, where moved
//! nodes came from), which imports none of them. Errors are values: a bad
//! spec yields [`Error::Spec`] with every problem found, each located by
//! file, line, column and JSON pointer; a panic inside progenitor becomes an
//! error too. What normalization rewrote comes back as warnings
//! ([`Generated::warnings`], [`Prepared::warnings`]).

// The stages, in pipeline order.
mod format;
mod generate;
mod load;
mod model;
mod normalize;
mod source_checks;

// What the stages share.
mod diagnostic;
mod document;
mod error;
mod guard;
pub mod naming;
mod problems;
mod quarantine;
mod source_map;
mod yaml;

// Tools built on the pipeline.
mod coverage;
pub mod diff;
pub mod synth;

pub use coverage::Coverage;
pub use diagnostic::{Diagnostic, Location, Severity};
pub use document::extensions::{ANY_OF_EXTENSION, PRESENCE_EXTENSION};
pub use error::{Error, Report};
pub use format::banner;
pub use load::{Spec, SpecFile, Syntax, detect};

use problems::{Problems, Unlocated};
use quarantine::Quarantine;

/// How to generate.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How the banner names the spec (e.g. `spec/alakazam.yaml`); defaults
    /// to the spec's own name.
    pub spec_label: Option<String>,
    /// Rust path of the runtime module the generated code calls into
    /// (`Operation`, `KeyKind`, `ClientState`, `Error`, `send_json`, …).
    pub runtime: String,
    /// When set, also generate typed httpmock extensions
    /// ([`Generated::httpmock`]) for the client at this Rust path (the path
    /// under which its `types` module is reachable, e.g. `crate`).
    pub httpmock: Option<String>,
    /// Fail when normalization changed anything (every warning becomes an
    /// error): `--deny-warnings`.
    pub deny_warnings: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            spec_label: None,
            runtime: "crate::runtime".to_owned(),
            httpmock: None,
            deny_warnings: false,
        }
    }
}

/// The output of a successful run.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The formatted client, banner first.
    pub code: String,
    /// The formatted httpmock extensions, when [`Settings::httpmock`] asked
    /// for them: `MockServerExt` with one typed method per operation.
    pub httpmock: Option<String>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// How much of the spec the client types, and what it does not.
    pub coverage: Coverage,
}

/// A spec after validation (and normalization): what the generator sees.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The typed document.
    pub api: openapiv3::OpenAPI,
    /// Problems that did not stop preparation.
    pub warnings: Vec<Diagnostic>,
}

/// Runs the stages before generation: check the source, normalize, and
/// convert to the checked typed model. Tools that compare or inspect specs (`cargo xtask diff`) use
/// this so that they see exactly what `regen` sees.
pub fn prepare(spec: &Spec) -> Result<Prepared, Error> {
    let (api, warnings) = check(spec)?;
    Ok(Prepared {
        api,
        warnings: warnings.locate(spec),
    })
}

/// [`prepare`] with its warnings not yet located.
fn check(spec: &Spec) -> Result<(openapiv3::OpenAPI, Unlocated), Error> {
    let mut problems = Problems::new(spec);
    if !source_checks::check(&mut problems) {
        return Err(problems.into_error(Vec::new()));
    }
    let normalized = normalize::normalize(spec.value());
    let mut warnings = problems.after_normalization(normalized.findings, normalized.origins);
    let typed = model::convert(&mut problems, normalized.value);
    warnings.extend(problems.take_warnings());
    match typed {
        Some(api) if problems.is_empty() => {
            warnings.keep_origins(problems.into_origins());
            Ok((api, warnings))
        }
        _ => Err(problems.into_error(warnings.locate(spec))),
    }
}

/// Writes every property key and `required` name of a normalized
/// document (`serde_json::to_value(&prepared.api)`) as the JSON spells it:
/// normalization renames properties whose Rust field names collide, and
/// a tool that reads the document as a description of the wire (values,
/// validators) wants the wire names.
pub fn restore_wire_names(document: &mut serde_json::Value) {
    normalize::field_names::restore_wire_names(document);
}

/// Puts back, in the normalized document as JSON, the unions of `required`
/// lists that normalization took out of the types
/// ([`PRESENCE_EXTENSION`]): for validators and value synthesizers, which
/// must judge by the spec's constraints, not by the types'.
pub fn restore_presence(document: &mut serde_json::Value) {
    normalize::unions::restore_presence(document);
}

/// Runs only the normalization passes on a copy of the spec's document
/// and returns how many findings they made: for the benchmarks, which
/// weigh the passes against the whole pipeline.
#[doc(hidden)]
pub fn normalize_only(spec: &Spec) -> usize {
    normalize::normalize(spec.value()).findings.len()
}

/// Runs validate → generate → format on a loaded spec. The warnings are
/// located in the source on a second thread meanwhile: the result is the
/// same as one thread's, sooner.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<Generated, Error> {
    let (api, warnings) = check(spec)?;
    if settings.deny_warnings && !warnings.is_empty(spec) {
        return Err(Error::denied(warnings.locate(spec)));
    }
    std::thread::scope(|scope| {
        let locate = || guard::catch(|| warnings.locate(spec));
        // Without a second thread, the same work on this one.
        let (written, located) = match std::thread::Builder::new().spawn_scoped(scope, locate) {
            Ok(handle) => {
                let written = write_client(spec, &api, settings);
                let located = handle
                    .join()
                    .unwrap_or_else(|_| Err("unknown panic".to_owned()));
                (written, located)
            }
            Err(_) => (write_client(spec, &api, settings), locate()),
        };
        let (degraded, file, code, httpmock) = written?;
        let mut warnings_located = located.map_err(|panic| Error::Internal {
            file: spec.name().to_owned(),
            message: format!("locating the warnings failed: {panic}"),
        })?;
        warnings_located.extend(warnings.locate_notes(spec, &degraded.notes));
        if settings.deny_warnings && !degraded.notes.is_empty() {
            return Err(Error::denied(warnings_located));
        }
        let coverage = coverage::measure(&api, &file, &warnings_located);
        Ok(Generated {
            code,
            httpmock,
            warnings: warnings_located,
            coverage,
        })
    })
}

/// What generation degraded on the way (quarantine's notes, in the typed
/// document's pointers).
struct Degraded {
    notes: Vec<quarantine::Note>,
}

/// The client's syntax tree, its text and the httpmock extensions' text,
/// generated from `api` with whatever quarantine had to degrade.
///
/// The mocks are generated from what the client was, less the operations
/// whose mock fails. Nearly always the client degrades nothing, so the
/// mocks start at once on a second thread from `api` as given (syn's trees
/// stay on that thread; only text crosses back), while this one generates
/// the client. Should the client have degraded something after all, that
/// guess is discarded and the mocks are generated again from the degraded
/// document, as one thread would: the result is the same either way.
fn write_client(
    spec: &Spec,
    api: &openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<(Degraded, syn::File, String, Option<String>), Error> {
    let label = settings.spec_label.as_deref().unwrap_or(spec.name());
    // progenitor's input for `api` as given, which the client and the mocks
    // share; a degraded document gets its own.
    let shared = generate::Input::new(api);
    let input_for = |degraded: &openapiv3::OpenAPI| {
        if std::ptr::eq(degraded, api) {
            std::borrow::Cow::Borrowed(&shared)
        } else {
            std::borrow::Cow::Owned(generate::Input::new(degraded))
        }
    };
    let mocks = |api: &openapiv3::OpenAPI, client_path: &str, quarantine: &mut Quarantine| {
        let mut mocked = std::borrow::Cow::Borrowed(api);
        let mock = degrading(spec, quarantine, &mut mocked, |api| {
            generate::httpmock(spec, &input_for(api), client_path, &settings.runtime)
        })?;
        format_guarded(spec, &mock, label)
    };
    std::thread::scope(|scope| {
        let guess = settings.httpmock.as_deref().and_then(|client_path| {
            let on_api = move || {
                let mut quarantine = Quarantine::default();
                mocks(api, client_path, &mut quarantine).map(|text| (text, quarantine.notes))
            };
            // Without a second thread, the mocks wait for the client.
            std::thread::Builder::new().spawn_scoped(scope, on_api).ok()
        });
        let mut api = std::borrow::Cow::Borrowed(api);
        let mut quarantine = Quarantine::default();
        let file = degrading(spec, &mut quarantine, &mut api, |api| {
            generate::generate(spec, api, &input_for(api), settings)
        })?;
        let code = format_guarded(spec, &file, label)?;
        let guessed = guess.map(|handle| {
            handle.join().unwrap_or_else(|_| {
                Err(Error::Internal {
                    file: spec.name().to_owned(),
                    message: "generating the typed mocks panicked".to_owned(),
                })
            })
        });
        let httpmock = match (&settings.httpmock, guessed) {
            (_, Some(result)) if matches!(api, std::borrow::Cow::Borrowed(_)) => {
                let (text, notes) = result?;
                quarantine.notes.extend(notes);
                Some(text)
            }
            (Some(client_path), _) => Some(mocks(&api, client_path, &mut quarantine)?),
            (None, _) => None,
        };
        let degraded = Degraded {
            notes: quarantine.notes,
        };
        Ok((degraded, file, code, httpmock))
    })
}

/// Runs `attempt` until it succeeds, degrading in `api` what each failure
/// is pinned on; the failure stands when nothing is left to degrade.
fn degrading<T>(
    spec: &Spec,
    quarantine: &mut quarantine::Quarantine,
    api: &mut std::borrow::Cow<'_, openapiv3::OpenAPI>,
    mut attempt: impl FnMut(&openapiv3::OpenAPI) -> Result<T, generate::Failed>,
) -> Result<T, Error> {
    loop {
        match attempt(api) {
            Ok(done) => return Ok(done),
            Err(generate::Failed::On(culprit, why)) => {
                if quarantine.apply(api.to_mut(), &culprit, &why) {
                    continue;
                }
                if culprit == quarantine::Culprit::Document {
                    return Err(Error::spec(
                        spec.diagnostic(
                            Severity::Error,
                            "",
                            format!("progenitor cannot generate a client for this spec: {why}"),
                        )
                        .with_help("this construct is not supported yet; simplify it or report it"),
                    ));
                }
                return Err(Error::Internal {
                    file: spec.name().to_owned(),
                    message: format!("{why}; nothing is left to degrade ({culprit:?})"),
                });
            }
            Err(generate::Failed::Error(e)) => return Err(e),
        }
    }
}

/// Formats `file`; a panic inside prettyplease (a syntax tree a rewrite
/// left malformed) becomes an error instead of ending the process.
fn format_guarded(spec: &Spec, file: &syn::File, label: &str) -> Result<String, Error> {
    guard::catch(|| format::format(file, label, spec.sha256())).map_err(|panic| Error::Internal {
        file: spec.name().to_owned(),
        message: format!("formatting the generated code failed: {panic}"),
    })
}
