//! `cargo xtask specfuzz [--seed S] [--count N] [--start I] [--keep DIR]
//! [--shrink]`: valid OpenAPI 3.0 documents built to collide, each
//! generated and all `cargo check`ed at once; every failure mapped back to
//! its document and printed, grouped by class.
//!
//! # What the generator covers
//!
//! Documents come from proptest strategies ([`model`]), seeded per
//! document from `(seed, index)`, so `--seed S --start I --count 1`
//! rebuilds document I of a batch alone. Each has a vocabulary of 2–7
//! names shared by every role, so that one name is a component schema, a
//! property, a parameter, an operationId and an enum value at once. Names
//! come from: one two-word name in every spelling (`a_b`, `aB`, `A-B`,
//! `a.b`, `a b`, `a[]`, `a<`, `a>`, `_a_b`, `A_B`, …); Rust keywords
//! (`type`, `self`, `crate`, `Self`, `fn`, `r#type`, …); leading digits;
//! non-ASCII (including a combining accent and an emoji); empty and
//! punctuation-only names (`""`, `_`, `-`, `$ref`, `@type`); and names the
//! generated code or the prelude already uses (`Client`, `Error`, `Option`,
//! `types`, `builder`, `send`, …). The strategies build, a few levels deep:
//! scalars with formats, string and integer enums (values that sanitize
//! alike), `nullable`, `readOnly`/`writeOnly`, `default`s and `example`s
//! that fit the schema or are any JSON value at all (including `u64::MAX`,
//! `1e300`, nested arrays and objects), objects with required and
//! optional properties, maps (`additionalProperties` true, false or a
//! schema), arrays, `allOf`/`oneOf`/`anyOf` (a decorated `$ref` as a
//! one-member `allOf`), and `$ref`s between component schemas, recursive
//! ones included. Operations: every method, with or without an
//! operationId (then derived from paths that collide too), path, query,
//! header and cookie parameters of scalar, array and object type, with
//! the styles their location allows, shared on the path item or per
//! operation, inline or by `$ref`; request bodies of JSON, vendor JSON,
//! form, multipart, text and binary media, inline or by `$ref`; 1–2
//! responses of any status (`default`, `2XX`), inline or by `$ref`, with
//! content and headers.
//!
//! [`render`] fits every name to its role and drops what the
//! specification forbids (see its docs), so every document is valid
//! OpenAPI 3.0.3 — except that a `default` need not fit its schema, which
//! 3.0 says it MUST and which real specs get wrong all the time.
//!
//! `--with` adds, as rewrites of the rendered document ([`extend`]): the
//! 3.1 spellings (`type` lists with `"null"`, `examples`, `const`,
//! numeric exclusive bounds, `$ref` siblings, `webhooks`), string,
//! number, array and object bounds, discriminators (on unions of
//! references and on `allOf` families), security schemes of every kind
//! with per-operation overrides, servers with variables, parameters given
//! by `content`, `not`, callbacks and links, media types beside JSON and
//! form encodings, and `x-` extensions.
//!
//! Not covered: Swagger 2.0 and invalid documents (the mutation fuzzer in
//! `codegen/tests/fuzz.rs` covers those), multi-file documents, patterns
//! other than one fixed one, and any behaviour of the client beyond
//! compiling (`cargo xtask contract` covers that).
//!
//! # How a batch runs
//!
//! Documents are generated with `codegen::generate` (the runtime at
//! `::alakazam_client::runtime`, as `corpus` does); an `Err` or a panic is
//! a failure. The generated clients of up to `--batch` documents become
//! the modules `s<index>` of one scratch crate (`target/scratch/specfuzz`,
//! see [`crate::scratch`]), checked once; each rustc error is mapped to
//! its module by its `-->` line. rustc may stop before reporting every
//! module's errors (a resolution error can hide type errors elsewhere), so
//! the failing modules are taken out and the rest checked again until it
//! passes. A failure's class is its first error with the names taken out.
//! `--shrink` then shrinks the smallest document of each class with
//! proptest's shrinking, keeping each step that still fails in the same
//! class (a step that compiles costs one `cargo check` of one module).

mod extend;
mod model;
mod render;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::Failure;
use crate::scratch::{self, ScratchCrate};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The seed of the batch: the same seed gives the same documents.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many documents.
    #[arg(long, default_value_t = 40)]
    count: u32,
    /// The index of the first document (`--start I --count 1` rebuilds
    /// document I alone).
    #[arg(long, default_value_t = 0)]
    start: u32,
    /// Documents per `cargo check`.
    #[arg(long, default_value_t = 60)]
    batch: u32,
    /// Write every document to DIR (`specfuzz-<seed>-<index>.yaml`, or
    /// `.json` when YAML would not read back the same), with the errors of
    /// each failing one beside it (`….errors.txt`).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Generate only; do not compile the generated code.
    #[arg(long)]
    no_check: bool,
    /// Shrink the smallest failing document of each class.
    #[arg(long)]
    shrink: bool,
    /// The most time spent shrinking one class, in seconds.
    #[arg(long, default_value_t = 300)]
    shrink_seconds: u64,
    /// Leave out what causes a known failure class, so that it hides no
    /// other: `loose-values` (defaults and examples that do not fit their
    /// schema), `path-styles` (`label`, `matrix`), `composite-params`
    /// (path and header parameters of array or object type). The same
    /// seed gives the same documents, less those parts.
    #[arg(long, value_name = "PART", value_delimiter = ',')]
    without: Vec<Part>,
    /// Add constructs of real specs the model does not build: `openapi31`,
    /// `bounds`, `discriminators`, `security`, `servers`,
    /// `content-params`, `not`, `callbacks-links`, `media`, `extensions`
    /// (see `specfuzz/extend.rs`). Without it, a
    /// seed gives the same documents as before these existed.
    #[arg(long, value_name = "CONSTRUCT", value_delimiter = ',')]
    with: Vec<extend::Construct>,
}

/// A part of the documents `--without` can leave out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    LooseValues,
    PathStyles,
    CompositeParams,
}

impl Args {
    fn options(&self) -> render::Options {
        render::Options {
            loose_values: !self.without.contains(&Part::LooseValues),
            path_styles: !self.without.contains(&Part::PathStyles),
            composite_params: !self.without.contains(&Part::CompositeParams),
        }
    }
}

/// One generated document.
struct Case {
    index: u32,
    /// The text codegen reads and the report prints.
    text: String,
    file_name: String,
}

/// Why a document failed.
#[derive(Clone, Debug)]
struct Failed {
    /// Each error with names taken out: what groups failures. A document
    /// is in every class of its errors (one cause often makes several).
    classes: BTreeSet<String>,
    /// Every error, as reported.
    errors: String,
}

pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    if let Some(dir) = &args.keep {
        scratch::create_dir(dir)?;
    }
    let started = Instant::now();
    let mut failures: BTreeMap<u32, (Case, Failed)> = BTreeMap::new();
    let mut passed = 0usize;
    let indices: Vec<u32> = (args.start..args.start.saturating_add(args.count)).collect();
    for chunk in indices.chunks(args.batch.max(1) as usize) {
        let mut generated = Vec::new();
        for &index in chunk {
            let case = case(
                args.seed,
                index,
                &build(args.seed, index),
                args.options(),
                &args.with,
            );
            if let Some(dir) = &args.keep {
                scratch::write(&dir.join(&case.file_name), &case.text)?;
            }
            match generate(&case) {
                Ok(code) => generated.push((case, code)),
                Err(failed) => {
                    failures.insert(index, (case, failed));
                }
            }
        }
        if args.no_check {
            passed += generated.len();
            continue;
        }
        let modules: Vec<(String, String)> = generated
            .iter()
            .map(|(case, code)| (module(case.index), code.clone()))
            .collect();
        let outcome = check_modules("specfuzz", modules)?;
        for (case, _) in generated {
            match outcome.get(&module(case.index)) {
                Some(failed) => {
                    failures.insert(case.index, (case, failed.clone()));
                }
                None => passed += 1,
            }
        }
    }
    for (index, (case, failed)) in &failures {
        let classes: Vec<&str> = failed.classes.iter().map(String::as_str).collect();
        println!("FAIL  #{index}  {}", classes.join(" | "));
        if let Some(dir) = &args.keep {
            let errors = dir.join(format!("{}.errors.txt", stem(&case.file_name)));
            scratch::write(&errors, &failed.errors)?;
        }
    }
    println!(
        "{passed} passed, {} failed ({} documents, seed {}, {:.0} s)",
        failures.len(),
        args.count,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        return Ok(());
    }
    let mut classes: BTreeMap<&str, Vec<&(Case, Failed)>> = BTreeMap::new();
    for f in failures.values() {
        for class in &f.1.classes {
            classes.entry(class.as_str()).or_default().push(f);
        }
    }
    println!("\n{} classes of failure:", classes.len());
    for (class, members) in &classes {
        let indices: Vec<String> = members.iter().map(|(c, _)| c.index.to_string()).collect();
        println!(
            "\n== {class}\n   {} documents: #{}",
            members.len(),
            indices.join(", #")
        );
        let (case, failed) = members
            .iter()
            .min_by_key(|(c, _)| c.text.len())
            .copied()
            .ok_or_else(|| Failure::new("error: a class without documents"))?;
        println!(
            "   smallest: #{} (cargo xtask specfuzz --seed {} --start {} --count 1)",
            case.index, args.seed, case.index
        );
        println!("{}", indent(&first_lines(&failed.errors, 30)));
        println!("{}", indent(&case.text));
        if args.shrink {
            let shrunk = shrink(args, case.index, class)?;
            println!("   shrunk to:\n{}", indent(&shrunk.text));
            if let Some(dir) = &args.keep {
                scratch::write(
                    &dir.join(format!("shrunk-{}", shrunk.file_name)),
                    &shrunk.text,
                )?;
            }
        }
    }
    Err(Failure::new(format!(
        "error: {} of {} documents failed",
        failures.len(),
        args.count
    )))
}

/// The tree of document `index` of a batch: its own RNG, from the seed and
/// the index, so that no document depends on those before it.
fn tree(seed: u64, index: u32) -> Result<Box<dyn ValueTree<Value = model::SpecModel>>, Failure> {
    let mut bytes = [0u8; 32];
    let mut state = seed ^ (u64::from(index) << 32 | u64::from(index));
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix(&mut state).to_le_bytes());
    }
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy: BoxedStrategy<model::SpecModel> = model::spec().boxed();
    strategy
        .new_tree(&mut runner)
        .map_err(|e| Failure::new(format!("error: no document for #{index}: {e}")))
}

fn build(seed: u64, index: u32) -> model::SpecModel {
    // The strategies reject nothing, so a tree is always made.
    tree(seed, index)
        .map(|t| t.current())
        .unwrap_or_else(|f| panic!("{}", f.message))
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The document as text: YAML when codegen reads it back as the same
/// value (easier to read and to turn into a fixture), else JSON.
fn case(
    seed: u64,
    index: u32,
    model: &model::SpecModel,
    options: render::Options,
    with: &[extend::Construct],
) -> Case {
    let mut doc = render::render(model, options);
    extend::apply(&mut doc, with, seed, index, &model.vocab);
    let stem = format!("specfuzz-{seed}-{index}");
    if let Ok(yaml) = serde_yaml::to_string(&doc)
        && codegen::Spec::from_bytes(format!("{stem}.yaml"), yaml.as_bytes())
            .is_ok_and(|s| *s.value() == doc)
    {
        return Case {
            index,
            text: yaml,
            file_name: format!("{stem}.yaml"),
        };
    }
    Case {
        index,
        text: serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n",
        file_name: format!("{stem}.json"),
    }
}

fn stem(file_name: &str) -> &str {
    file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
}

fn module(index: u32) -> String {
    format!("s{index:05}")
}

/// codegen on one document: its code, or why it failed.
fn generate(case: &Case) -> Result<String, Failed> {
    let settings = codegen::Settings {
        spec_label: Some(case.file_name.clone()),
        runtime: scratch::RUNTIME.to_owned(),
        ..Default::default()
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        codegen::Spec::from_bytes(case.file_name.clone(), case.text.as_bytes())
            .and_then(|spec| codegen::generate(&spec, &settings))
    }));
    match result {
        Ok(Ok(generated)) => Ok(generated.code),
        Ok(Err(e)) => {
            let errors: Vec<String> = e
                .diagnostics()
                .iter()
                .filter(|d| d.is_error())
                .map(|d| match d.location {
                    Some(l) => format!("{}:{}:{}: {}", d.file, l.line, l.column, d.message),
                    None => format!("{}: {}", d.file, d.message),
                })
                .collect();
            let first = e
                .diagnostics()
                .iter()
                .find(|d| d.is_error())
                .map_or_else(|| e.to_string(), |d| d.message.clone());
            Err(Failed {
                classes: BTreeSet::from([format!(
                    "generate: {}",
                    anonymize(first.lines().next().unwrap_or(""))
                )]),
                errors: if errors.is_empty() {
                    e.to_string()
                } else {
                    errors.join("\n")
                },
            })
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(Failed {
                classes: BTreeSet::from([format!("panic: {}", anonymize(&message))]),
                errors: message,
            })
        }
    }
}

/// Checks the modules as one crate; the failed ones by name. Modules
/// whose errors rustc did not get to are checked again without the failed
/// ones, until the rest compiles.
fn check_modules(
    krate: &str,
    mut modules: Vec<(String, String)>,
) -> Result<BTreeMap<String, Failed>, Failure> {
    let krate = ScratchCrate::new(krate);
    let mut failed = BTreeMap::new();
    while !modules.is_empty() {
        let outcome = krate.write_modules(&modules)?.check()?;
        if outcome.success {
            break;
        }
        let (by_module, unattributed) = attribute(&outcome.stderr);
        if by_module.is_empty() {
            return Err(Failure::new(format!(
                "error: cargo check of {} failed, and no error names a module:\n{}",
                crate::workspace::label(krate.dir()),
                unattributed.join("\n")
            )));
        }
        modules.retain(|(name, _)| !by_module.contains_key(name));
        failed.extend(by_module);
    }
    Ok(failed)
}

/// Splits cargo's output into error diagnostics, each given to the module
/// (`src/<module>.rs`) its first `-->` line names.
fn attribute(stderr: &str) -> (BTreeMap<String, Failed>, Vec<String>) {
    let mut blocks: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let starts = line.starts_with("error") || line.starts_with("warning");
        if starts {
            blocks.push(String::new());
        }
        if let Some(block) = blocks.last_mut()
            && !line.trim_start().starts_with("Checking ")
            && !line.trim_start().starts_with("Compiling ")
        {
            block.push_str(line);
            block.push('\n');
        }
    }
    let mut by_module: BTreeMap<String, Failed> = BTreeMap::new();
    let mut unattributed = Vec::new();
    for block in blocks.into_iter().filter(|b| b.starts_with("error")) {
        if block.starts_with("error: could not compile") {
            continue;
        }
        let module = block.lines().find_map(|l| {
            let rest = l.trim_start().strip_prefix("--> src/")?;
            let (name, _) = rest.split_once(".rs:")?;
            Some(name.to_owned())
        });
        match module {
            Some(module) => {
                let entry = by_module.entry(module).or_insert_with(|| Failed {
                    classes: BTreeSet::new(),
                    errors: String::new(),
                });
                entry.classes.insert(class_of(&block));
                entry.errors.push_str(&block);
            }
            None => unattributed.push(block),
        }
    }
    (by_module, unattributed)
}

/// `error[E0428]: the name `Foo` is defined multiple times` →
/// `E0428: the name `…` is defined multiple times`.
fn class_of(block: &str) -> String {
    let first = block.lines().next().unwrap_or("");
    let (code, message) = match first.strip_prefix("error[") {
        Some(rest) => match rest.split_once("]: ") {
            Some((code, message)) => (code, message),
            None => ("error", rest),
        },
        None => ("error", first.strip_prefix("error: ").unwrap_or(first)),
    };
    format!("{code}: {}", anonymize(message))
}

/// Names, quoted values and numbers out of a message, so that one class
/// of failure gives one message whatever it was named.
fn anonymize(message: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for c in message.chars() {
        // An apostrophe inside a word (`doesn't`) opens no quote.
        let opens = c != '\'' || !previous.is_alphanumeric();
        previous = c;
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if matches!(c, '`' | '"' | '\'') && opens => {
                out.push(c);
                quote = Some(c);
            }
            None if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            None => out.push(c),
        }
    }
    out
}

fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[..lines.len().min(n)].join("\n");
    if lines.len() > n {
        let _ = write!(out, "\n… ({} more lines)", lines.len() - n);
    }
    out
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("   | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// proptest's shrinking of document `index`, keeping each simpler document
/// that still fails in `class`.
fn shrink(args: &Args, index: u32, class: &str) -> Result<Case, Failure> {
    let mut tree = tree(args.seed, index)?;
    let mut smallest = case(
        args.seed,
        index,
        &tree.current(),
        args.options(),
        &args.with,
    );
    let deadline = Instant::now() + Duration::from_secs(args.shrink_seconds);
    let mut steps = 0;
    let mut kept = 0;
    if !tree.simplify() {
        return Ok(smallest);
    }
    while Instant::now() < deadline {
        steps += 1;
        let candidate = case(
            args.seed,
            index,
            &tree.current(),
            args.options(),
            &args.with,
        );
        let same = fails_in(&candidate, class, args.no_check)?;
        let more = if same {
            kept += 1;
            smallest = candidate;
            tree.simplify()
        } else {
            tree.complicate()
        };
        if !more {
            break;
        }
    }
    println!("   shrinking: {steps} steps, {kept} kept");
    Ok(smallest)
}

fn fails_in(case: &Case, class: &str, no_check: bool) -> Result<bool, Failure> {
    match generate(case) {
        Err(failed) => Ok(failed.classes.contains(class)),
        Ok(_) if no_check || class.starts_with("generate: ") || class.starts_with("panic: ") => {
            Ok(false)
        }
        Ok(code) => {
            let name = module(case.index);
            let failed = check_modules("specfuzz-shrink", vec![(name.clone(), code)])?;
            Ok(failed.values().any(|f| f.classes.contains(class)))
        }
    }
}

#[cfg(test)]
mod tests;
