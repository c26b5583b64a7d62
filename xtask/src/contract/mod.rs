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

mod harness;
mod prism;
mod schema;
mod values;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::{Failure, scratch, workspace};
use harness::Harness;
use schema::Validators;
use values::{Fill, Synth};

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
    /// any run of characters; without `*`, a substring).
    #[arg(long, value_name = "PATTERN")]
    operations: Option<String>,
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
    let doc = serde_json::to_value(&prepared.api)
        .map_err(|e| Failure::new(format!("error: cannot read the normalized spec: {e}")))?;
    let settings = codegen::Settings {
        spec_label: Some(workspace::label(&args.spec)),
        runtime: scratch::RUNTIME.to_owned(),
        ..Default::default()
    };
    let code = codegen::generate(&spec, &settings)?.code;
    let client = harness::read(&code)?;
    let mut validators = Validators::new(&doc);

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
        match cases(&doc, &path, op, generated, args.seed, &mut validators) {
            Ok(cs) => {
                for (case, arguments) in cs {
                    calls.push(json!({"operation": id, "case": case, "args": arguments}));
                }
                called.push(id);
            }
            Err(why) => lines.push((id, Verdict::Failed(why))),
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
    let server = prism::Prism::start(&bin, &spec_path, args.seed, &log, interrupted)?;
    eprintln!(
        "prism {} listening on {} (pid {}), log in {}",
        prism::VERSION,
        server.base_url(),
        server.pid(),
        log.display()
    );
    let output = run_harness(&binary, &server.base_url(), &cases_file, interrupted)?;
    drop(server);

    let mut by_op: Vec<(String, Vec<Value>)> = Vec::new();
    let mut encoded: Vec<Value> = Vec::new();
    for line in output.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(id) = v["operation"].as_str() {
            match by_op.iter_mut().find(|(o, _)| o == id) {
                Some((_, list)) => list.push(v),
                None => by_op.push((id.to_owned(), vec![v])),
            }
        } else {
            encoded.push(v);
        }
    }
    for id in called {
        let results = by_op
            .iter()
            .find(|(o, _)| *o == id)
            .map(|(_, r)| r.as_slice())
            .unwrap_or(&[]);
        let success = operations(&doc)
            .into_iter()
            .find(|(_, _, op)| op["operationId"] == id.as_str())
            .and_then(|(_, _, op)| success_schema(&doc, op));
        lines.push((id, verdict(results, success.as_ref(), &mut validators)));
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
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    if failed > 0 {
        return Err(Failure::new(format!(
            "error: {failed} failed; Prism's findings are in {}",
            log.display()
        )));
    }
    Ok(())
}

/// `(METHOD, path, operation)` of the document, in its order.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m.to_ascii_uppercase(), path.clone(), op));
            }
        }
    }
    out
}

fn matches(pattern: Option<&str>, id: &str) -> bool {
    let Some(pattern) = pattern else { return true };
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

fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(t) => v = t,
                None => return &Value::Null,
            },
            None => break,
        }
    }
    v
}

/// One call of an operation: `(case, {setter: value})`.
type Case = (&'static str, Map<String, Value>);

/// The two calls of an operation.
fn cases(
    doc: &Value,
    path: &str,
    op: &Value,
    generated: &harness::Operation,
    seed: u64,
    validators: &mut Validators,
) -> Result<Vec<Case>, String> {
    let id = op["operationId"].as_str().unwrap_or_default();
    let mut parameters: Vec<&Value> = Vec::new();
    let shared = doc["paths"][path]["parameters"]
        .as_array()
        .into_iter()
        .flatten();
    for p in shared.chain(op["parameters"].as_array().into_iter().flatten()) {
        let p = resolve(doc, p);
        // An operation's parameter overrides the path item's of the same name and place.
        parameters.retain(|q| !(q["name"] == p["name"] && q["in"] == p["in"]));
        parameters.push(p);
    }
    let mut out = Vec::new();
    for (case, fill) in [("required", Fill::Required), ("all", Fill::All)] {
        let mut synth = Synth::new(doc, seed, &format!("{id}/{case}"), true);
        let mut args = Map::new();
        for p in &parameters {
            let required = p["required"].as_bool() == Some(true);
            if fill == Fill::Required && !required {
                continue;
            }
            let name = p["name"].as_str().unwrap_or_default();
            let Some(setter) = setter_for(generated, name) else {
                // Normalization drops optional cookies; a parameter the
                // client has no setter for is sent by nobody.
                if required {
                    return Err(format!(
                        "the builder has no setter for the required parameter `{name}`"
                    ));
                }
                continue;
            };
            let schema = p
                .get("schema")
                .or_else(|| first_media(p.get("content")).and_then(|m| m.get("schema")));
            let schema = schema.cloned().unwrap_or(json!({}));
            let mut examples: Vec<&Value> = p.get("example").into_iter().collect();
            examples.extend(
                p["examples"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(_, e)| resolve(doc, e).get("value")),
            );
            let value = synth.spec_or_synth(&schema, &examples, fill, validators);
            args.insert(setter, value);
        }
        let body = resolve(doc, &op["requestBody"]);
        // Sent in both cases, with only its required fields in the first:
        // the generated builders require every body (progenitor's rule),
        // including the ones the spec makes optional.
        if body.is_object() {
            let (media_type, media) =
                first_media_named(body.get("content")).unwrap_or(("", &Value::Null));
            let schema = media.get("schema").cloned().unwrap_or(json!({}));
            let mut examples: Vec<&Value> = media.get("example").into_iter().collect();
            examples.extend(
                media["examples"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(_, e)| resolve(doc, e).get("value")),
            );
            let mut value = synth.spec_or_synth(&schema, &examples, fill, validators);
            if !is_json_media(media_type) && !value.is_string() {
                value = Value::String(value.to_string());
            }
            if generated.setters.iter().any(|s| s.name == "body") {
                args.insert("body".to_owned(), value);
            } else {
                return Err("the builder has no `body` setter for the request body".to_owned());
            }
        }
        out.push((case, args));
    }
    Ok(out)
}

/// The request body's media type when the client sends XML (of a schema
/// that is not a string in the spec as written: normalization made it
/// text).
fn xml_body(doc: &Value, op: &Value, written: &Value, written_op: &Value) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    let (name, _) = first_media_named(body.get("content"))?;
    let real = body["x-codegen-content-type"].as_str().unwrap_or(name);
    let essence = real.split(';').next().unwrap_or_default().trim();
    let is_xml = essence.ends_with("/xml") || essence.ends_with("+xml");
    let written_body = resolve(written, &written_op["requestBody"]);
    let schema = resolve(written, &written_body["content"][real]["schema"]);
    (is_xml && values::type_of(schema) != "string").then(|| essence.to_owned())
}

/// The object and array fields of a typed multipart body (normalization
/// presents it as JSON and says so in `x-codegen-body`), comma-separated.
fn multipart_structured(doc: &Value, op: &Value) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    if body["x-codegen-body"]["kind"].as_str() != Some("multipart") {
        return None;
    }
    let schema = resolve(doc, &first_media(body.get("content"))?["schema"]);
    let fields: Vec<&str> = schema["properties"]
        .as_object()?
        .iter()
        .filter(|(_, p)| matches!(values::type_of(resolve(doc, p)), "object" | "array"))
        .map(|(name, _)| name.as_str())
        .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}

/// The array fields of a form body that are sent exploded (one pair per
/// item: the default, or `explode: true`), comma-separated.
fn form_exploded_arrays(doc: &Value, op: &Value) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    let ext = &body["x-codegen-body"];
    if ext["kind"].as_str() != Some("form") {
        return None;
    }
    let schema = resolve(doc, &first_media(body.get("content"))?["schema"]);
    let fields: Vec<&str> = schema["properties"]
        .as_object()?
        .iter()
        .filter(|(name, p)| {
            let encoding = &ext["encoding"][name.as_str()];
            values::type_of(resolve(doc, p)) == "array"
                && encoding["explode"].as_bool().unwrap_or(true)
                && encoding["style"].as_str() != Some("deepObject")
        })
        .map(|(name, _)| name.as_str())
        .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}

fn is_json_media(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json"
        || essence.ends_with("+json")
        || essence.is_empty()
        || essence == "application/x-www-form-urlencoded"
}

fn first_media(content: Option<&Value>) -> Option<&Value> {
    first_media_named(content).map(|(_, m)| m)
}

fn first_media_named(content: Option<&Value>) -> Option<(&str, &Value)> {
    content?
        .as_object()?
        .iter()
        .next()
        .map(|(k, v)| (k.as_str(), v))
}

/// The setter progenitor made of a parameter name: its snake case, with
/// `_` after a keyword.
fn setter_for(op: &harness::Operation, name: &str) -> Option<String> {
    let snake = snake_case(name);
    [snake.clone(), format!("{snake}_"), format!("_{snake}")]
        .into_iter()
        .find(|c| op.setters.iter().any(|s| s.name == *c))
}

/// The names the generator gives: its own rules, not a copy of them.
fn snake_case(name: &str) -> String {
    codegen::naming::sanitize(name, codegen::naming::Case::Snake)
}

fn pascal_case(name: &str) -> String {
    codegen::naming::sanitize(name, codegen::naming::Case::Pascal)
}

/// Round-trip cases, `(schema, type)` pairs, verdicts already known.
type RoundTrips = (Vec<Value>, Vec<(String, String)>, Vec<(String, Verdict)>);

/// Instances of every component schema that has a generated type, each
/// one the validator accepts; `(cases, (schema, type) list, verdicts of
/// schemas that could not be tried)`.
fn round_trip_cases(
    doc: &Value,
    own: &[String],
    client: &harness::Client,
    seed: u64,
    validators: &mut Validators,
) -> RoundTrips {
    let mut cases = Vec::new();
    let mut schemas = Vec::new();
    let mut verdicts = Vec::new();
    for (name, schema) in doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !own.contains(name) {
            continue;
        }
        let ty = pascal_case(name);
        if !client.types.contains(&ty) {
            verdicts.push((
                name.clone(),
                Verdict::Failed(format!("no generated type `{ty}`")),
            ));
            continue;
        }
        let reference = json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
        let mut accepted = 0;
        let mut last_errors = Vec::new();
        for (i, fill) in [Fill::Required, Fill::All, Fill::Required, Fill::All]
            .into_iter()
            .enumerate()
        {
            let mut synth = Synth::new(doc, seed.wrapping_add(i as u64), name, false);
            let examples: Vec<&Value> = if i == 1 {
                schema.get("example").into_iter().collect()
            } else {
                Vec::new()
            };
            let value = synth.spec_or_synth(&reference, &examples, fill, validators);
            match validators.errors(&reference, &value) {
                Some(errors) if errors.is_empty() => {
                    accepted += 1;
                    cases.push(json!({"schema": name, "value": value}));
                }
                Some(errors) => last_errors = errors,
                None => last_errors = vec!["the schema does not compile as JSON Schema".to_owned()],
            }
        }
        if accepted == 0 {
            verdicts.push((
                name.clone(),
                Verdict::Failed(format!(
                    "no synthesized instance validates: {}",
                    last_errors.join("; ")
                )),
            ));
        }
        schemas.push((name.clone(), ty));
    }
    (cases, schemas, verdicts)
}

/// Per schema: every instance decoded, encoded back and still valid.
fn schema_verdicts(
    doc: &Value,
    cases: &[Value],
    results: &[Value],
    validators: &mut Validators,
) -> Vec<(String, Verdict)> {
    let mut out: Vec<(String, Verdict)> = Vec::new();
    for (case, result) in cases.iter().zip(results) {
        let name = case["schema"].as_str().unwrap_or_default().to_owned();
        let reference = json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
        let verdict = match (result.get("encoded"), result["message"].as_str()) {
            (Some(encoded), _) => match validators.errors(&reference, encoded) {
                Some(errors) if !errors.is_empty() => Verdict::Failed(format!(
                    "{} encodes back to {} which does not validate: {}",
                    case["value"],
                    encoded,
                    errors.join("; ")
                )),
                _ => Verdict::Ok,
            },
            (None, Some(message)) => Verdict::Failed(format!("{}: {message}", case["value"])),
            (None, None) => Verdict::Failed("the harness gave no result".to_owned()),
        };
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) if *v == Verdict::Ok => *v = verdict,
            Some(_) => {}
            None => out.push((name, verdict)),
        }
    }
    let _ = doc;
    out
}

/// The JSON schema of an operation's first success response.
fn success_schema(doc: &Value, op: &Value) -> Option<Value> {
    let responses = op["responses"].as_object()?;
    let (_, response) = responses.iter().find(|(code, _)| code.starts_with('2'))?;
    let response = resolve(doc, response);
    response["content"]["application/json"]
        .get("schema")
        .cloned()
}

/// An operation's verdict from its calls' results. A response that does
/// not decode fails only when the spec allows it: a body Prism made that
/// breaks the response schema is Prism's problem, and said so.
fn verdict(results: &[Value], success: Option<&Value>, validators: &mut Validators) -> Verdict {
    if results.is_empty() {
        return Verdict::Failed(
            "the harness gave no result (did it crash? see its output above)".to_owned(),
        );
    }
    let mut skipped = None;
    for r in results {
        let case = r["case"].as_str().unwrap_or_default();
        let message = r["message"].as_str().unwrap_or_default();
        let text = match r["kind"].as_str().unwrap_or_default() {
            "ok" => continue,
            "skipped" => {
                skipped.get_or_insert_with(|| format!("{message} ({case})"));
                continue;
            }
            "rejected" => format!("request rejected by the mock: {message} ({case})"),
            "undecoded" => {
                let body = r["body"]
                    .as_str()
                    .and_then(|b| serde_json::from_str::<Value>(b).ok());
                let errors = match (success, &body) {
                    (Some(schema), Some(body)) => {
                        validators.errors(schema, body).unwrap_or_default()
                    }
                    _ => Vec::new(),
                };
                if !errors.is_empty() {
                    skipped.get_or_insert_with(|| {
                        format!(
                            "Prism answered with a body the spec does not allow: {} ({case})",
                            errors.join("; ")
                        )
                    });
                    continue;
                }
                format!("response not decoded: {message} ({case})")
            }
            "unbuilt" => format!("request not built: {message} ({case})"),
            _ => format!("call failed: {message} ({case})"),
        };
        return Verdict::Failed(text);
    }
    skipped.map_or(Verdict::Ok, Verdict::Skipped)
}

/// Runs the harness binary, bounded in time; stops it when interrupted.
fn run_harness(
    binary: &Path,
    base_url: &str,
    cases: &Path,
    interrupted: &dyn Fn() -> bool,
) -> Result<String, Failure> {
    let mut child = Command::new(binary)
        .arg(base_url)
        .arg(cases)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Failure::new(format!("error: cannot run {}: {e}", binary.display())))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(out) = stdout.as_mut() {
            // Bounded: a line per call and per round trip.
            let _ = out.take(256 << 20).read_to_string(&mut text);
        }
        text
    });
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if interrupted() || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Failure::new(
                "error: the harness was stopped (interrupted or out of time)",
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(reader.join().unwrap_or_default())
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
    }

    #[test]
    fn names_as_the_generator_makes_them() {
        assert_eq!(snake_case("X-Request-Id"), "x_request_id");
        assert_eq!(snake_case("petId"), "pet_id");
        assert_eq!(pascal_case("pet-store"), "PetStore");
        assert_eq!(pascal_case("2fa"), "X2fa");
    }
}
