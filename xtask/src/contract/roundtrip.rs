//! Round trips of the component schemas: instances the validator accepts
//! must decode, encode back and still validate.

use serde_json::{Value, json};

use super::Verdict;
use super::calls::pascal_case;
use super::harness;
use super::no_value::no_value;
use super::schema::Validators;
use super::values::{Fill, Synth};

/// Round-trip cases, `(schema, type)` pairs, verdicts already known.
pub(super) type RoundTrips = (Vec<Value>, Vec<(String, String)>, Vec<(String, Verdict)>);

/// Instances of every component schema that has a generated type, each
/// one the validator accepts; `(cases, (schema, type) list, verdicts of
/// schemas that could not be tried)`.
pub(super) fn round_trip_cases(
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
            let verdict = match no_value(doc, &reference) {
                Some(why) => Verdict::Skipped(format!("the spec's schema admits no value: {why}")),
                None => Verdict::Failed(format!(
                    "no synthesized instance validates: {}",
                    last_errors.join("; ")
                )),
            };
            verdicts.push((name.clone(), verdict));
        }
        schemas.push((name.clone(), ty));
    }
    (cases, schemas, verdicts)
}

/// Per schema: every instance decoded, encoded back and still valid.
pub(super) fn schema_verdicts(
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
