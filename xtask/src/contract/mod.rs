//! `cargo xtask contract SPEC [--prism-log FILE] [--seed N] [--operations PATTERN]`:
//! the generated client against an independent mock server.
//!
//! Prism (`prism mock --dynamic`, see [`prism`]) serves SPEC: it checks
//! every request against the spec and answers with a response generated
//! from its schemas. A harness crate ([`harness`]) holding the client
//! generated for SPEC calls every operation twice, once with the required
//! parameters and fields only and once with every optional one too
//! (values from [`values`]), and decodes every response with the
//! generated types. Beside it, every component schema round-trips:
//! instances the `jsonschema` crate accepts ([`schema`]) must decode into
//! the generated type, encode back, and still validate.
//!
//! One line per operation and per schema, then `N passed, M failed, K
//! skipped`; exit 1 on any failure, 130 when interrupted (Prism is
//! stopped in every case).

mod calls;
mod child;
mod document;
mod ecma;
mod harness;
// The harness's relay, compiled here for its tests.
#[cfg(test)]
mod harness_tap;
mod no_value;
mod prism;
mod prism_limits;
mod roundtrip;
mod schema;
mod served;
mod session;
mod shared_keys;
mod values;
mod verdict;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Failure, scratch, workspace};
use calls::{cases, parameters, xml_body};
use document::{documents_success, operations, success_schema};
use harness::Harness;
use prism_limits::{
    crashes, excuses, form_exploded_arrays, misrouted, multipart_structured, unroutable_path,
};
use roundtrip::{round_trip_cases, schema_verdicts};
use schema::Validators;
use verdict::{Expected, verdict};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The OpenAPI spec (YAML or JSON).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// Write Prism's own output (its validation findings) to FILE
    /// (default: prism.log in the harness crate).
    #[arg(long, value_name = "FILE")]
    prism_log: Option<PathBuf>,
    /// Seed of the synthesized values (and of Prism's responses).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only the operations whose operationId matches PATTERN (`*` matches
    /// any run of characters; without `*`, a substring; several patterns
    /// separated by commas: any of them).
    #[arg(long, value_name = "PATTERN")]
    operations: Option<String>,
    /// How long one operation's calls may take, in seconds, before Prism is
    /// taken to hang: it is stopped, started again, and the run goes on.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    operation_timeout: u64,
    /// The heap Prism may use, in MiB (node's `--max-old-space-size`):
    /// beyond it Prism exits, and is started again for the next operation.
    #[arg(long, value_name = "MIB", default_value_t = prism::DEFAULT_MEMORY_MIB)]
    prism_memory: u64,
}

/// The verdict on one operation or schema.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    Ok,
    Failed(String),
    Skipped(String),
}

pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let interrupted = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&interrupted))
            .map_err(|e| Failure::new(format!("error: cannot watch for signals: {e}")))?;
    }
    let stop = || interrupted.load(Ordering::Relaxed);
    let result = contract(args, &stop);
    if stop() {
        return Err(Failure {
            message: "interrupted; Prism stopped".to_owned(),
            code: 130,
        });
    }
    result
}

fn contract(args: &Args, interrupted: &dyn Fn() -> bool) -> Result<(), Failure> {
    let started = Instant::now();
    // Before anything is built: a missing node is the first thing to say.
    prism::check_tools()?;
    let spec = codegen::Spec::load(&args.spec)?;
    let prepared = codegen::prepare(&spec)?;
    let mut doc = serde_json::to_value(&prepared.api)
        .map_err(|e| Failure::new(format!("error: cannot read the normalized spec: {e}")))?;
    // Values and validators describe the JSON: properties renamed for Rust
    // go by their wire names.
    codegen::restore_wire_names(&mut doc);
    // And they judge by the spec's constraints, not by the types': the
    // unions of `required` lists the types leave out count.
    codegen::restore_presence(&mut doc);
    let settings = codegen::Settings {
        spec_label: Some(workspace::label(&args.spec)),
        runtime: scratch::RUNTIME.to_owned(),
        ..Default::default()
    };
    let code = codegen::generate(&spec, &settings)?.code;
    let client = harness::read(&code)?;
    let mut validators = Validators::new(&doc);
    // What Prism serves is the spec as written, which its faker reads
    // otherwise where 3.1 differs from 3.0.
    let openapi_31 = spec.value()["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1"));

    let mut lines: Vec<(String, Verdict)> = Vec::new();
    let mut calls = Vec::new();
    let mut called = Vec::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default().to_owned();
        if !matches(args.operations.as_deref(), &id) {
            continue;
        }
        let Some(generated) = client.find(&method, &path) else {
            lines.push((
                id,
                Verdict::Failed(format!(
                    "no builder for {method} {path} in the generated client"
                )),
            ));
            continue;
        };
        let written = &spec.value()["paths"][&path][method.to_ascii_lowercase()];
        if let Some(xml) = xml_body(&doc, op, spec.value(), written) {
            lines.push((id, Verdict::Skipped(format!(
                "the request body is {xml}: Prism does not parse XML and rejects any XML body against an object schema"
            ))));
            continue;
        }
        if let Some(why) = unroutable_path(&path) {
            lines.push((id, Verdict::Skipped(why)));
            continue;
        }
        if let Some(fields) = form_exploded_arrays(&doc, op) {
            lines.push((id, Verdict::Skipped(format!(
                "the form body has exploded array fields ({fields}): Prism keeps one value per key, so it rejects them"
            ))));
            continue;
        }
        if let Some(fields) = multipart_structured(&doc, op) {
            lines.push((id, Verdict::Skipped(format!(
                "the multipart body has object or array fields ({fields}): Prism reads every part as one string and keeps one part per name, so it rejects them"
            ))));
            continue;
        }
        if generated.response.contains("Upgraded") {
            lines.push((
                id,
                Verdict::Skipped(
                    "a connection upgrade (websocket): Prism serves plain HTTP only".to_owned(),
                ),
            ));
            continue;
        }
        match cases(
            &doc,
            &path,
            op,
            (spec.value(), written),
            generated,
            args.seed,
            &mut validators,
        ) {
            Ok(cs) => {
                // Which answer Prism generates for the call: one its
                // generator gave out on is asked for statically after
                // (`session`).
                let answer = success_schema(&doc, op)
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                for (case, arguments) in cs {
                    calls.push(
                        json!({"operation": id, "case": case, "args": arguments, "answer": answer}),
                    );
                }
                called.push(id);
            }
            Err(verdict) => lines.push((id, verdict)),
        }
    }
    // The spec's own component schemas, not the ones normalization added.
    let own: Vec<String> = spec
        .value()
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let (roundtrips, schemas, mut schema_lines) =
        round_trip_cases(&doc, &own, &client, args.seed, &mut validators);

    let stem = args
        .spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let krate = Harness::new(&stem);
    let ops: Vec<(String, &harness::Operation)> = operations(&doc)
        .into_iter()
        .filter_map(|(m, p, op)| {
            let id = op["operationId"].as_str()?.to_owned();
            called
                .contains(&id)
                .then(|| client.find(&m, &p).map(|g| (id, g)))?
        })
        .collect();
    krate.write(&code, &harness::calls(&ops, &schemas))?;
    let cases_file = krate.dir.join("cases.json");
    let cases_json = json!({"calls": calls, "roundtrips": roundtrips});
    scratch::write(&cases_file, &format!("{cases_json:#}"))?;
    let build_started = Instant::now();
    let binary = krate.build()?;
    let build_time = build_started.elapsed();
    if interrupted() {
        return Err(Failure::new("interrupted"));
    }

    let bin = prism::install()?;
    let log = args
        .prism_log
        .clone()
        .unwrap_or_else(|| krate.dir.join("prism.log"));
    let spec_path = std::path::absolute(&args.spec).unwrap_or_else(|_| args.spec.clone());
    let spec_path = served::spec_for_prism(spec.value(), &spec_path, &krate.dir)?;
    // The run's log starts empty; a Prism started again after a crash
    // appends to it.
    scratch::write(&log, "")?;
    let mock = session::Mock {
        bin: &bin,
        spec: &spec_path,
        seed: args.seed,
        log: &log,
        memory_mib: args.prism_memory,
    };
    let outcome = session::run(
        &mock,
        &binary,
        &cases_file,
        &calls,
        Duration::from_secs(args.operation_timeout.max(1)),
        interrupted,
    )?;

    let mut by_op: Vec<(String, Vec<Value>)> = Vec::new();
    for (mut v, call) in outcome.calls.into_iter().zip(&calls) {
        // A result carries the arguments of its call: an excuse for what
        // Prism misreads holds only when they were right.
        v["args"] = call["args"].clone();
        if let Some(id) = v["operation"].as_str() {
            match by_op.iter_mut().find(|(o, _)| o == id) {
                Some((_, list)) => list.push(v),
                None => by_op.push((id.to_owned(), vec![v])),
            }
        }
    }
    let encoded: Vec<Value> = outcome
        .round_trips
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    for id in called {
        let results = by_op
            .iter()
            .find(|(o, _)| *o == id)
            .map(|(_, r)| r.as_slice())
            .unwrap_or(&[]);
        let Some((method, path, op)) = operations(&doc)
            .into_iter()
            .find(|(_, _, op)| op["operationId"] == id.as_str())
        else {
            lines.push((id, Verdict::Failed("not in the document".to_owned())));
            continue;
        };
        let Some(generated) = client.find(&method, &path) else {
            lines.push((
                id,
                Verdict::Failed("not in the generated client".to_owned()),
            ));
            continue;
        };
        let expected = Expected {
            doc: &doc,
            op,
            success: success_schema(&doc, op),
            documents_success: documents_success(op),
            excuses: [
                excuses(&doc, op, &parameters(&doc, &path, op), generated),
                misrouted(
                    &doc,
                    &method,
                    &path,
                    &parameters(&doc, &path, op),
                    generated,
                ),
            ]
            .concat(),
            crashes: crashes(&doc, &parameters(&doc, &path, op), generated),
            openapi_31,
        };
        lines.push((id, verdict(results, &expected, &mut validators)));
    }
    schema_lines.extend(schema_verdicts(
        &doc,
        &roundtrips,
        &encoded,
        &mut validators,
    ));

    let width = lines
        .iter()
        .chain(&schema_lines)
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (section, list) in [("operation", &lines), ("schema", &schema_lines)] {
        for (name, verdict) in list {
            let (tag, text) = match verdict {
                Verdict::Ok => {
                    passed += 1;
                    ("ok", "ok".to_owned())
                }
                Verdict::Failed(why) => {
                    failed += 1;
                    ("FAIL", why.clone())
                }
                Verdict::Skipped(why) => {
                    skipped += 1;
                    ("skip", format!("skipped: {why}"))
                }
            };
            println!("{tag:<4}  {section:<9}  {name:<width$}  {text}");
        }
    }
    eprintln!(
        "{} in {:.1} s (harness build {:.1} s)",
        workspace::label(&args.spec),
        started.elapsed().as_secs_f64(),
        build_time.as_secs_f64()
    );
    if outcome.restarts > 0 {
        eprintln!(
            "Prism crashed {} time(s) and was started again; its log: {}",
            outcome.restarts,
            log.display()
        );
    }
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    if failed > 0 {
        return Err(Failure::new(format!(
            "error: {failed} failed; Prism's findings are in {}",
            log.display()
        )));
    }
    Ok(())
}

fn matches(pattern: Option<&str>, id: &str) -> bool {
    let Some(pattern) = pattern else { return true };
    if pattern.contains(',') {
        return pattern.split(',').any(|p| matches(Some(p), id));
    }
    if !pattern.contains('*') {
        return id.contains(pattern);
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = id;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_patterns() {
        assert!(matches(None, "getPet"));
        assert!(matches(Some("Pet"), "getPet"));
        assert!(!matches(Some("pet"), "getPet"));
        assert!(matches(Some("get*"), "getPet"));
        assert!(matches(Some("*Pet"), "getPet"));
        assert!(matches(Some("g*P*t"), "getPet"));
        assert!(!matches(Some("get*s"), "getPet"));
        assert!(matches(
            Some("getJournal,get*Number"),
            "getContactByContactNumber"
        ));
        assert!(!matches(Some("getJournal,get*Number"), "getContact"));
    }
}
