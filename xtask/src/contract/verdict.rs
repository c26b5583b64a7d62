//! An operation's verdict from the harness's results.

use serde_json::Value;

use super::Verdict;
use super::document::answer_schema;
use super::prism_limits::{
    Crash, Excuse, as_faker_reads, faker_reading, generator_gave_out, static_answer_throws,
    undeclared_required, with_undeclared,
};
use super::schema::Validators;

/// What an operation's results are judged by.
pub(super) struct Expected<'a> {
    /// The normalized document and the operation in it.
    pub(super) doc: &'a Value,
    pub(super) op: &'a Value,
    /// The schema of its success body, if JSON.
    pub(super) success: Option<Value>,
    /// Whether it documents a success response at all.
    pub(super) documents_success: bool,
    /// The violations Prism lists of requests the spec allows.
    pub(super) excuses: Vec<Excuse>,
    /// The crashes of Prism's on requests the spec allows.
    pub(super) crashes: Vec<Crash>,
    /// Whether the spec Prism serves is OpenAPI 3.1 (its faker reads some
    /// of it otherwise: [`as_faker_reads`]).
    pub(super) openapi_31: bool,
}

/// An operation's verdict from its calls' results. A response that does
/// not decode fails only when the spec allows it: a body Prism made that
/// breaks the response schema is Prism's problem, and said so. An
/// operation that documents no success passes when Prism accepts the
/// request and answers one of its documented statuses with a body the
/// spec allows.
pub(super) fn verdict(
    results: &[Value],
    expected: &Expected<'_>,
    validators: &mut Validators,
) -> Verdict {
    if results.is_empty() {
        return Verdict::Failed(
            "the harness gave no result (did it crash? see its output above)".to_owned(),
        );
    }
    let success = expected.success.as_ref();
    let mut skipped = None;
    for r in results {
        let case = r["case"].as_str().unwrap_or_default();
        let message = r["message"].as_str().unwrap_or_default();
        let text = match r["kind"].as_str().unwrap_or_default() {
            "ok" => {
                // Decoded, but from the static answer Prism was asked for
                // after its generator gave out: said so.
                if let Some(why) = generator_gave_out(r) {
                    skipped.get_or_insert_with(|| format!("{why} ({case})"));
                }
                continue;
            }
            "skipped" => {
                skipped.get_or_insert_with(|| format!("{message} ({case})"));
                continue;
            }
            // Prism validated the request and then could not make up a
            // response body (its faker gives up on deep or wide schemas:
            // prism-http's `SCHEMA_TOO_COMPLEX`): nothing about our request.
            "rejected" if message.contains("prism/errors#SCHEMA_TOO_COMPLEX") => {
                skipped.get_or_insert_with(|| {
                    format!("Prism cannot generate a response body for this operation's schema (SCHEMA_TOO_COMPLEX, after accepting the request) ({case})")
                });
                continue;
            }
            "rejected" if invented_cursor(r, expected.op) => {
                skipped.get_or_insert_with(|| {
                    format!("the next page asks for the cursor Prism made up in its answer, which breaks the parameter's own schema (Prism: {message}) ({case})")
                });
                continue;
            }
            "rejected" => {
                if let Some(why) = excused(r, &expected.excuses, validators) {
                    skipped.get_or_insert_with(|| format!("{why} (Prism: {message}) ({case})"));
                    continue;
                }
                format!("request rejected by the mock: {message} ({case})")
            }
            // Prism answers an operation without a success response with
            // one of its documented statuses: that answer is what the
            // client has to read.
            "answered" if !expected.documents_success => {
                match documented_answer(r, expected, validators) {
                    Verdict::Ok => continue,
                    Verdict::Skipped(why) => {
                        skipped.get_or_insert_with(|| format!("{why} ({case})"));
                        continue;
                    }
                    Verdict::Failed(why) => format!("{why} ({case})"),
                }
            }
            "answered" => format!(
                "the mock answered an error without listing a violation: {message} ({case})"
            ),
            // An error status asked for (`Prefer: code=…`) whose body did
            // not decode by its status: ours, unless Prism's body breaks the
            // schema the spec documents for that status.
            "error_undecoded" => {
                let status = r["answer"]["status"].as_u64().unwrap_or_default();
                let schema = error_schema(expected.doc, expected.op, status);
                let errors = body_errors(r, schema.as_ref(), validators);
                if schema.is_none() || !errors.is_empty() {
                    continue;
                }
                format!("error body not decoded: {message} ({case})")
            }
            "undecoded" => {
                let errors = body_errors(r, success, validators);
                if !errors.is_empty() {
                    // Prism's static answer to the same call, when its
                    // generated one broke the schema: judged the same way.
                    let retry = &r["retry"];
                    match retry["kind"].as_str() {
                        Some("ok") => continue,
                        Some("undecoded") if body_errors(retry, success, validators).is_empty() => {
                            return Verdict::Failed(format!(
                                "response not decoded: {} ({case}, Prism's static answer)",
                                retry["message"].as_str().unwrap_or_default()
                            ));
                        }
                        _ => {}
                    }
                    let static_too = match r["generated"].as_str() {
                        // The answer judged is the static one already.
                        Some(failed) => format!(
                            " ({failed}; what is judged is its static answer, from the spec's examples where it has them)"
                        ),
                        None if retry.is_object() => ", and so does its static answer".to_owned(),
                        None => String::new(),
                    };
                    let errors = shown(&errors);
                    let copied =
                        success.and_then(|s| faker_made(r, s, expected.openapi_31, validators));
                    let missing =
                        success.map(|s| made_without_undeclared(r, s, expected, validators));
                    let static_broken = if retry.is_object() {
                        " (its static answer breaks the schema too)"
                    } else {
                        ""
                    };
                    // (A path with a `#fragment` is skipped before it is
                    // called: `prism_limits::unroutable_path`.)
                    skipped.get_or_insert_with(|| match (missing.flatten(), copied) {
                        (Some(keys), _) => format!(
                            "Prism's generators leave out required properties the schema does not declare under `properties` ({keys}): with them added, its body fits the schema{static_broken} ({case})"
                        ),
                        (None, Some(why)) => format!(
                            "{why} (Prism's body breaks the schema{static_too}): {errors} ({case})"
                        ),
                        (None, None) => format!(
                            "Prism answered with a body the spec does not allow{static_too}: {errors} ({case})"
                        ),
                    });
                    continue;
                }
                // A body the client kept only the start of, and the
                // relay none of, could not be judged: said so.
                let cut = if r["truncated"] == true {
                    "; only its first 64 KiB were kept, which is no JSON, so it was not judged against the schema"
                } else {
                    ""
                };
                format!("response not decoded: {message}{cut} ({case})")
            }
            // Prism died on the call, or answered with an exception it
            // caught, or hung (the run went on with a new Prism): its own
            // limit when the request is one it is known to break on.
            "crashed" => {
                let crash = r["crash"].as_str().unwrap_or("Prism crashed");
                let words = r["last_words"].as_str().unwrap_or_default();
                let words = if words.is_empty() {
                    "(none in its log)"
                } else {
                    words
                };
                if let Some(why) = generator_gave_out(r) {
                    skipped.get_or_insert_with(|| format!("{why} ({case})"));
                    continue;
                }
                // Prism threw making the static answer asked for after its
                // generated one did not decode: the generated one is
                // judged as it was, without a static one.
                if let Some(why) = static_answer_throws(r) {
                    let mut generated = r.clone();
                    generated["kind"] = r["kind_before"].clone();
                    if let Some(line) = generated.as_object_mut() {
                        line.remove("retry");
                    }
                    match verdict(&[generated], expected, validators) {
                        Verdict::Failed(text) => {
                            return Verdict::Failed(format!("{text}; and {why}"));
                        }
                        Verdict::Skipped(first) => {
                            skipped.get_or_insert_with(|| format!("{first}; and {why}"));
                        }
                        Verdict::Ok => {
                            skipped.get_or_insert_with(|| format!("{why} ({case})"));
                        }
                    }
                    continue;
                }
                if let Some(limit) = expected.crashes.iter().find(|c| c.covers(r)) {
                    skipped
                        .get_or_insert_with(|| format!("{}; {crash}: {words} ({case})", limit.why));
                    continue;
                }
                format!(
                    "{crash} on this call (started again for the rest); its last words: {words} ({case})"
                )
            }
            "unbuilt" => format!("request not built: {message} ({case})"),
            _ => format!("call failed: {message} ({case})"),
        };
        return Verdict::Failed(text);
    }
    skipped.map_or(Verdict::Ok, Verdict::Skipped)
}

/// The required properties the schema never declares, when they are all
/// that keeps the body of an undecoded result from fitting it.
fn made_without_undeclared(
    r: &Value,
    schema: &Value,
    expected: &Expected<'_>,
    validators: &mut Validators,
) -> Option<String> {
    let undeclared = undeclared_required(expected.doc, schema);
    if undeclared.is_empty() {
        return None;
    }
    let body = serde_json::from_str::<Value>(r["body"].as_str()?).ok()?;
    let fits = validators
        .errors(schema, &with_undeclared(&body, &undeclared))
        .is_some_and(|e| e.is_empty());
    let mut listed: Vec<String> = undeclared.iter().map(|u| format!("`{}`", u.key)).collect();
    listed.dedup();
    fits.then(|| listed.join(", "))
}

/// Why the body of an undecoded result breaks `schema`, when it fits the
/// schema as Prism's faker reads it ([`as_faker_reads`]).
fn faker_made(
    r: &Value,
    schema: &Value,
    openapi_31: bool,
    validators: &mut Validators,
) -> Option<String> {
    let body = serde_json::from_str::<Value>(r["body"].as_str()?).ok()?;
    validators
        .errors_read_as(&|s| as_faker_reads(s, openapi_31), schema, &body)?
        .is_empty()
        .then(|| faker_reading(openapi_31))
}

/// Validation errors for a verdict line: each cut to its first 300
/// characters (a `oneOf` error quotes the whole instance).
fn shown(errors: &[String]) -> String {
    let cut: Vec<String> = errors
        .iter()
        .map(|e| match e.char_indices().nth(300) {
            Some((at, _)) => format!("{}…", &e[..at]),
            None => e.clone(),
        })
        .collect();
    cut.join("; ")
}

/// Why every violation Prism listed is its own misreading, when it is:
/// each is excused, and the call's arguments (`args`) show the client sent
/// that part right.
fn excused(r: &Value, excuses: &[Excuse], validators: &mut Validators) -> Option<String> {
    let listed = r["answer"]["violations"]
        .as_array()
        .filter(|l| !l.is_empty())?;
    let mut why: Vec<&str> = Vec::new();
    for violation in listed {
        let excuse = excuses
            .iter()
            .find(|e| e.covers(violation) && e.sent.holds(&r["args"], validators))?;
        if !why.contains(&excuse.why.as_str()) {
            why.push(&excuse.why);
        }
    }
    Some(why.join("; "))
}

/// A rejected next page whose every violation is about the parameter the
/// operation's cursor is copied into from the page before (`cursor` and
/// `last_item` plans: a value of Prism's answer, which Prism makes up
/// without the parameter's bounds, e.g. a negative `nextOffset`).
fn invented_cursor(r: &Value, op: &Value) -> bool {
    let message = r["message"].as_str().unwrap_or_default();
    if !message.starts_with("walking the pages:") {
        return false;
    }
    let next = &op["x-codegen-pagination"]["next"];
    let to = ["cursor", "last_item"]
        .iter()
        .find_map(|kind| next.get(*kind))
        .map(|plan| &plan["to"]);
    let Some(location) = to.and_then(|to| {
        to["query"]
            .as_str()
            .map(|q| format!("query.{q}"))
            .or_else(|| to["body"].as_str().map(|b| format!("body.{b}")))
    }) else {
        return false;
    };
    r["answer"]["violations"]
        .as_array()
        .filter(|l| !l.is_empty())
        .is_some_and(|listed| {
            listed.iter().all(|v| {
                let at = v["location"].as_str().unwrap_or_default();
                let at = at.strip_prefix("request.").unwrap_or(at);
                at == location || at.starts_with(&format!("{location}."))
            })
        })
}

/// An error answer to an operation without a success response: fine when
/// its status is documented and its body, if the spec gives it a schema,
/// fits it.
fn documented_answer(r: &Value, expected: &Expected<'_>, validators: &mut Validators) -> Verdict {
    let message = r["message"].as_str().unwrap_or_default();
    let Some(status) = r["answer"]["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
    else {
        return Verdict::Failed(format!("the mock's answer has no status: {message}"));
    };
    let Some(schema) = answer_schema(expected.doc, expected.op, status) else {
        return Verdict::Failed(format!(
            "the mock answered HTTP {status}, which the operation does not document: {message}"
        ));
    };
    let text = r["body"].as_str().unwrap_or_default();
    // Without a body there is nothing for the client to misread. A body
    // that is not JSON where the spec gives a JSON schema fails: the
    // client cannot read it, and no known limit of Prism's explains it.
    if let Some(schema) = schema
        && !text.trim().is_empty()
    {
        let Ok(body) = serde_json::from_str::<Value>(text) else {
            let shown: String = text.chars().take(300).collect();
            return Verdict::Failed(format!(
                "the mock answered the documented HTTP {status} with a body that is not JSON ({} bytes), though the spec gives it a JSON schema: {shown}",
                text.len()
            ));
        };
        let errors = validators.errors(&schema, &body).unwrap_or_default();
        if !errors.is_empty() {
            return Verdict::Skipped(format!(
                "Prism answered the documented HTTP {status} with a body the spec does not allow: {}",
                shown(&errors)
            ));
        }
    }
    Verdict::Ok
}

/// The JSON schema of the response `op` documents for `status` exactly:
/// the one normalization recorded for the status before the statuses
/// shared one type (`x-codegen-error-bodies`), else the response's.
fn error_schema(doc: &Value, op: &Value, status: u64) -> Option<Value> {
    if let Some(name) = op["x-codegen-error-bodies"][status.to_string()]["schema"].as_str() {
        let token = name.replace('~', "~0").replace('/', "~1");
        return Some(serde_json::json!({"$ref": format!("#/components/schemas/{token}")}));
    }
    let response = super::document::resolve(doc, op.get("responses")?.get(status.to_string())?);
    let content = response.get("content")?.as_object()?;
    content
        .iter()
        .find(|(m, _)| m.starts_with("application/json"))
        .and_then(|(_, mt)| mt.get("schema").cloned())
}

/// What the body of an undecoded result violates of the success schema
/// (empty: nothing, or nothing to judge it by).
fn body_errors(r: &Value, success: Option<&Value>, validators: &mut Validators) -> Vec<String> {
    let body = r["body"]
        .as_str()
        .and_then(|b| serde_json::from_str::<Value>(b).ok());
    match (success, &body) {
        (Some(schema), Some(body)) => validators.errors(schema, body).unwrap_or_default(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::prism_limits::Sent;
    use super::*;
    use serde_json::json;

    fn expected<'a>(doc: &'a Value, op: &'a Value, success: Option<Value>) -> Expected<'a> {
        Expected {
            doc,
            op,
            documents_success: success.is_some(),
            success,
            excuses: Vec::new(),
            crashes: Vec::new(),
            openapi_31: false,
        }
    }

    /// growthbook's `listSegments`: Prism's `nextOffset` was negative.
    #[test]
    fn a_next_page_rejected_for_prisms_own_cursor_is_a_skip() {
        let doc = json!({});
        let mut v = Validators::new(&doc);
        let op = json!({"x-codegen-pagination": {"next": {"cursor": {"from": ["nextOffset"], "to": {"query": "offset"}}}}});
        let e = expected(&doc, &op, Some(json!({})));
        let rejected = |location: &str| {
            [json!({"case": "required", "kind": "rejected",
                "message": "walking the pages: HTTP 422: Request query parameter offset must be >= 0",
                "answer": {"status": 422, "violations": [{"message": "must be >= 0", "location": location}]}})]
        };
        assert!(matches!(
            verdict(&rejected("query.offset"), &e, &mut v),
            Verdict::Skipped(why) if why.contains("Prism made up")
        ));
        assert!(matches!(
            verdict(&rejected("query.limit"), &e, &mut v),
            Verdict::Failed(_)
        ));
    }

    /// An error status asked for by `Prefer: code=422`: a body that fits
    /// the status's schema and does not decode is ours; one that breaks
    /// the schema is Prism's, and judged no further.
    #[test]
    fn an_error_body_that_fits_its_schema_must_decode() {
        let doc = json!({"components": {"schemas": {"ValidationError": {"type": "object",
            "required": ["errors"], "properties": {"errors": {"type": "array"}}}}}});
        let mut v = Validators::new(&doc);
        let op = json!({"x-codegen-error-bodies": {"422": {"schema": "ValidationError"}}});
        let e = expected(&doc, &op, Some(json!({})));
        let result = |body: &str| {
            [
                json!({"case": "required", "kind": "error_undecoded", "message": "m",
                "body": body, "answer": {"status": 422}}),
            ]
        };
        assert!(matches!(
            verdict(&result(r#"{"errors": []}"#), &e, &mut v),
            Verdict::Failed(why) if why.contains("error body not decoded")
        ));
        assert_eq!(verdict(&result("{}"), &e, &mut v), Verdict::Ok);
    }

    /// hashicorp-nomad's `GetVolume`: Prism accepted the request, then
    /// gave up making the response (HTTP 500, its own problem type).
    #[test]
    fn a_response_prism_cannot_generate_is_a_skip() {
        let doc = json!({});
        let mut v = Validators::new(&doc);
        let op = json!({});
        let too_complex = [json!({"case": "required", "kind": "rejected",
            "message": "HTTP 500: {\"type\":\"https://stoplight.io/prism/errors#SCHEMA_TOO_COMPLEX\",\"title\":\"Schema too complex\",\"status\":500}"})];
        assert!(matches!(
            verdict(&too_complex, &expected(&doc, &op, Some(json!({}))), &mut v),
            Verdict::Skipped(why) if why.contains("SCHEMA_TOO_COMPLEX")
        ));
        let other = [json!({"case": "required", "kind": "rejected",
            "message": "HTTP 422: Request body must have required property 'a'"})];
        assert!(matches!(
            verdict(&other, &expected(&doc, &op, Some(json!({}))), &mut v),
            Verdict::Failed(_)
        ));
    }

    #[test]
    fn a_documented_answer_passes_only_where_no_success_is_documented() {
        let doc = json!({"components": {"schemas": {"E": {"type": "object", "required": ["code"],
            "properties": {"code": {"type": "integer"}}}}}});
        let mut v = Validators::new(&doc);
        let op = json!({"responses": {"302": {"description": "moved"},
            "4XX": {"description": "e", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}}}});
        let answered = |status: u16, body: &str| {
            [
                json!({"case": "required", "kind": "answered", "message": format!("HTTP {status}: {body}"),
                "body": body, "answer": {"status": status, "violations": []}}),
            ]
        };
        let none = expected(&doc, &op, None);
        assert_eq!(verdict(&answered(302, ""), &none, &mut v), Verdict::Ok);
        assert_eq!(
            verdict(&answered(404, r#"{"code": 4}"#), &none, &mut v),
            Verdict::Ok
        );
        assert!(matches!(
            verdict(&answered(400, r#"{"code": "x"}"#), &none, &mut v),
            Verdict::Skipped(why) if why.contains("documented HTTP 400")
        ));
        assert!(matches!(
            verdict(&answered(500, ""), &none, &mut v),
            Verdict::Failed(why) if why.contains("does not document")
        ));
        // A body that is not JSON where the spec gives a JSON schema is
        // nothing the client can read.
        assert!(matches!(
            verdict(&answered(404, "<html>not found</html>"), &none, &mut v),
            Verdict::Failed(why) if why.contains("not JSON")
        ));
        assert_eq!(verdict(&answered(404, ""), &none, &mut v), Verdict::Ok);
        // Beside a success, an error without violations is a failure.
        let schema = json!({"$ref": "#/components/schemas/E"});
        assert!(matches!(
            verdict(
                &answered(302, ""),
                &expected(&doc, &op, Some(schema)),
                &mut v
            ),
            Verdict::Failed(_)
        ));
    }

    #[test]
    fn an_undecoded_body_that_breaks_the_schema_is_judged_by_the_static_retry() {
        let doc = json!({"components": {"schemas": {"P": {"type": "object", "required": ["id"],
            "properties": {"id": {"type": "string"}}}}}});
        let mut v = Validators::new(&doc);
        let op = json!({});
        let e = expected(&doc, &op, Some(json!({"$ref": "#/components/schemas/P"})));
        let broken = |retry: Value| {
            [
                json!({"case": "required", "kind": "undecoded", "message": "m",
            "body": "{}", "retry": retry}),
            ]
        };
        let ok = broken(json!({"kind": "ok"}));
        assert_eq!(verdict(&ok, &e, &mut v), Verdict::Ok);
        let valid =
            broken(json!({"kind": "undecoded", "message": "at `/id`", "body": "{\"id\": \"x\"}"}));
        assert!(matches!(verdict(&valid, &e, &mut v), Verdict::Failed(_)));
        let invalid = broken(json!({"kind": "undecoded", "message": "m", "body": "{}"}));
        assert!(matches!(verdict(&invalid, &e, &mut v), Verdict::Skipped(_)));
    }

    /// growthbook's `getFeature`: Prism's answer (16–110 KB, more than the
    /// 64 KiB the client keeps, so the harness's relay gives it whole)
    /// holds the schema of the property `definitions` as its value, and
    /// numbers below an `exclusiveMinimum` written as OpenAPI 3.1 does
    /// (`exclusiveMinimum: 0`, normalized as `minimum: 0` beside
    /// `exclusiveMinimum: true`).
    #[test]
    fn a_body_that_fits_the_schema_as_prisms_faker_reads_it_is_its_limit() {
        let doc = json!({"components": {"schemas": {"Feature": {"type": "object",
            "required": ["id"], "properties": {"id": {"type": "string"},
            "hours": {"anyOf": [{"type": "number", "minimum": 0, "exclusiveMinimum": true},
                {"type": "null"}]},
            "size": {"type": "integer", "minimum": 1},
            "definitions": {"type": "object", "propertyNames": {"type": "string"},
                "additionalProperties": {"type": "string"}}}}}}});
        let op = json!({});
        let success = json!({"type": "object", "properties": {"feature": {"$ref": "#/components/schemas/Feature"}}});
        let mut e = expected(&doc, &op, Some(success));
        e.openapi_31 = true;
        let result = |body: &Value| {
            [json!({"case": "required", "kind": "undecoded",
                "message": "at `/feature/definitions/propertyNames`: invalid type: map, expected a string",
                "body": body.to_string(),
                "retry": {"kind": "undecoded", "message": "m", "body": body.to_string()}})]
        };
        let judged = |e: &Expected<'_>, body: &Value| {
            // Validators of their own: the faker's reading is made once,
            // for the first spec version asked.
            verdict(&result(body), e, &mut Validators::new(&doc))
        };
        let faker = |v: &Verdict| {
            matches!(v, Verdict::Skipped(why) if why.starts_with("Prism's faker made this body")
                && why.contains("dist/main.cjs:2053") && why.contains(":2417"))
        };
        let unknown = |v: &Verdict| {
            matches!(v, Verdict::Skipped(why)
                if why.starts_with("Prism answered with a body the spec does not allow"))
        };
        let copied = json!({"type": "object", "propertyNames": {"type": "string"},
            "additionalProperties": {"type": "string"}});
        for body in [
            json!({"feature": {"id": "f", "definitions": copied}}),
            json!({"feature": {"id": "f", "hours": -49_188_549.3}}),
            json!({"feature": {"id": "f", "hours": -2, "definitions": copied}}),
        ] {
            let v = judged(&e, &body);
            assert!(faker(&v), "{body}: {v:?}");
            assert!(
                matches!(&v, Verdict::Skipped(why) if why.contains(":1790-1795")),
                "{v:?}"
            );
        }
        // Anything else wrong beside it (a bound the faker reads, another
        // type): Prism's body still breaks the schema, for no known reason.
        for body in [
            json!({"feature": {"id": 1, "definitions": copied}}),
            json!({"feature": {"id": "f", "size": 0, "hours": -2}}),
        ] {
            let v = judged(&e, &body);
            assert!(unknown(&v), "{body}: {v:?}");
        }
        // Served as 3.0, the bound is draft 4's, which the faker keeps.
        e.openapi_31 = false;
        let below = json!({"feature": {"id": "f", "hours": -2}});
        let v = judged(&e, &below);
        assert!(unknown(&v), "{v:?}");
        let v = judged(&e, &json!({"feature": {"id": "f", "definitions": copied}}));
        assert!(
            faker(&v) && matches!(&v, Verdict::Skipped(why) if !why.contains("3.1")),
            "{v:?}"
        );
        // A body that fits the schema and does not decode is ours; one the
        // client kept only the start of, and the relay none of, says that
        // it could not be judged.
        let fits = json!({"feature": {"id": "f", "definitions": {"a": "{}"}}});
        assert!(matches!(
            judged(&e, &fits),
            Verdict::Failed(why) if why.starts_with("response not decoded")
        ));
        let cut = [
            json!({"case": "required", "kind": "undecoded", "message": "at `/`: EOF",
            "body": "{\"feature\": {\"id\": \"", "truncated": true}),
        ];
        assert!(matches!(
            verdict(&cut, &e, &mut Validators::new(&doc)),
            Verdict::Failed(why) if why.contains("first 64 KiB were kept")
        ));
    }

    /// plex's `getItemTree`: the generated answer did not decode, and
    /// Prism threw making the static one (its sampler on a recursive
    /// `allOf`): the generated answer is judged alone.
    #[test]
    fn a_static_answer_prism_throws_on_leaves_the_generated_one_judged() {
        let doc = json!({"components": {"schemas": {"Item": {"type": "object",
            "required": ["key"], "properties": {"key": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}}}});
        let op = json!({});
        let e = expected(
            &doc,
            &op,
            Some(json!({"$ref": "#/components/schemas/Item"})),
        );
        let thrown = "HTTP 500: TypeError: Invalid attempt to iterate non-iterable instance.";
        let line = |body: &str, message: &str, accepted: bool| {
            [
                json!({"case": "required", "kind": "crashed", "kind_before": "undecoded",
                "message": "at `/children/0/key`: invalid type", "body": body,
                "retry": {"kind": "mock_error", "message": message},
                "crash": format!("Prism answered with its own internal error ({message})"),
                "last_words": "TypeError", "after_validation": accepted}),
            ]
        };
        let broken = r#"{"key": "a", "children": [{}]}"#;
        let fits = r#"{"key": "a", "children": [{"key": "b"}]}"#;
        let mut v = Validators::new(&doc);
        assert!(matches!(
            verdict(&line(broken, thrown, true), &e, &mut v),
            Verdict::Skipped(why) if why.starts_with("Prism answered with a body the spec does not allow")
                && why.contains("json-schema-sampler.js:294")
        ));
        // A generated body that fits the schema and does not decode is
        // the client's, static answer or not.
        assert!(matches!(
            verdict(&line(fits, thrown, true), &e, &mut v),
            Verdict::Failed(why) if why.starts_with("response not decoded")
                && why.contains("json-schema-sampler.js:294")
        ));
        // Another exception, or one before Prism accepted the request: a
        // crash like any other.
        for (message, accepted) in [
            ("HTTP 500: RangeError: Maximum call stack", true),
            (thrown, false),
        ] {
            assert!(matches!(
                verdict(&line(broken, message, accepted), &e, &mut v),
                Verdict::Failed(why) if why.contains("on this call (started again for the rest)")
            ));
        }
    }

    #[test]
    fn a_body_without_the_properties_no_schema_declares_says_so() {
        let doc = json!({"components": {"schemas": {"Link": {"type": "object",
            "required": ["url", "accessed"], "properties": {"url": {"type": "string"}}}}}});
        let mut v = Validators::new(&doc);
        let op = json!({});
        let e = expected(
            &doc,
            &op,
            Some(json!({"$ref": "#/components/schemas/Link"})),
        );
        let result = |body: &str| {
            [
                json!({"case": "required", "kind": "undecoded", "message": "m", "body": body,
                "retry": {"kind": "undecoded", "message": "m", "body": body}}),
            ]
        };
        assert!(matches!(
            verdict(&result(r#"{"url": "u"}"#), &e, &mut v),
            Verdict::Skipped(why) if why.contains("leave out required properties") && why.contains("`accessed`")
        ));
        // Something else wrong too: the plain reason, with the errors.
        assert!(matches!(
            verdict(&result(r#"{"url": 1}"#), &e, &mut v),
            Verdict::Skipped(why) if why.starts_with("Prism answered with a body the spec does not allow")
        ));
    }

    #[test]
    fn only_violations_prism_is_excused_for_skip_a_call() {
        let doc = json!({});
        let mut v = Validators::new(&doc);
        let op = json!({});
        let mut e = expected(&doc, &op, None);
        e.excuses = vec![
            Excuse {
                location: "query.mdfilters".to_owned(),
                message: None,
                why: "objects in a query array".to_owned(),
                sent: Sent::Fits {
                    setter: "md_filters".to_owned(),
                    schema: json!({"type": "array", "items": {"type": "object"}}),
                },
            },
            Excuse {
                location: "body".to_owned(),
                message: Some("Request body must have required property 'grant_type'".to_owned()),
                why: "an undeclared required key".to_owned(),
                sent: Sent::BodyKey("grant_type".to_owned()),
            },
        ];
        let sent = |args: Value, violations: Value| {
            [
                json!({"case": "all", "kind": "rejected", "message": "HTTP 422: …",
                "answer": {"status": 422, "violations": violations}, "args": args}),
            ]
        };
        let right = json!({"md_filters": [{"scope": "global"}], "body": {"grant_type": "g"}});
        let rejected = |violations: Value| sent(right.clone(), violations);
        // Prism's own 422 says `query.…`, the `sl-violations` of a
        // response of the spec's `request.query.…`.
        let query = rejected(
            json!([{"message": "must be object", "location": "request.query.mdfilters.0"}]),
        );
        assert!(matches!(verdict(&query, &e, &mut v), Verdict::Skipped(_)));
        let query =
            rejected(json!([{"message": "must be object", "location": "query.mdfilters.0"}]));
        assert!(matches!(
            verdict(&query, &e, &mut v),
            Verdict::Skipped(why) if why.starts_with("objects in a query array")
        ));
        let body = rejected(
            json!([{"message": "Request body must have required property 'grant_type'",
            "location": "request.body"}]),
        );
        assert!(matches!(verdict(&body, &e, &mut v), Verdict::Skipped(_)));
        // Any other violation beside them, another message at the same
        // place, or a name that only starts the same, still fails.
        for other in [
            json!([{"message": "must be object", "location": "request.query.mdfilters.0"},
                   {"message": "must be integer", "location": "request.query.limit"}]),
            json!([{"message": "must be string", "location": "request.body.token"}]),
            json!([{"message": "must be object", "location": "request.query.mdfilters2"}]),
            json!([]),
        ] {
            assert!(matches!(
                verdict(&rejected(other), &e, &mut v),
                Verdict::Failed(_)
            ));
        }
        // The same violations of a call that sent the part wrong: the
        // client's mistake, not Prism's misreading.
        let query = json!([{"message": "must be object", "location": "query.mdfilters.0"}]);
        let body = json!([{"message": "Request body must have required property 'grant_type'",
            "location": "request.body"}]);
        for (args, violations) in [
            (
                json!({"md_filters": ["scope"], "body": {"grant_type": "g"}}),
                &query,
            ),
            (json!({"body": {"grant_type": "g"}}), &query),
            (json!({"md_filters": [{}], "body": {"token": "t"}}), &body),
            (json!({"md_filters": [{}]}), &body),
        ] {
            assert!(
                matches!(
                    verdict(&sent(args.clone(), violations.clone()), &e, &mut v),
                    Verdict::Failed(why) if why.starts_with("request rejected by the mock")
                ),
                "{args}"
            );
        }
    }

    #[test]
    fn a_crash_is_prisms_limit_only_on_the_request_it_is_known_to_break_on() {
        use super::super::prism_limits::{When, crashes};
        let doc = json!({});
        let mut v = Validators::new(&doc);
        let op = json!({});
        let params = [
            json!({"name": "X-Trace", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}}),
            json!({"name": "ids", "in": "path", "required": true, "schema": {"type": "array", "items": {"type": "string"}}}),
            json!({"name": "X-Scope", "in": "header", "required": true, "schema": {"type": "object"}}),
            json!({"name": "X-Name", "in": "header", "schema": {"type": "string"}}),
        ];
        let generated = super::super::harness::Operation::for_test(
            "GET",
            "/p/{ids}",
            &["x_trace", "ids", "x_scope", "x_name"],
        );
        let found = crashes(&doc, &params.iter().collect::<Vec<_>>(), &generated);
        // A required header is always sent, a string one never split.
        let whens: Vec<&When> = found.iter().map(|c| &c.when).collect();
        assert_eq!(
            whens,
            [
                &When::Absent("x_trace".to_owned()),
                &When::Commas {
                    setter: "ids".to_owned(),
                    explode: false,
                    simple: true
                }
            ]
        );
        let mut e = expected(&doc, &op, None);
        e.crashes = found;
        // Prism 5.16.0's last words on realworld_parameter_names.yaml.
        let undefined = "TypeError: Cannot read properties of undefined (reading 'split') at deserializeArray (@stoplight/prism-http/dist/validator/deserializers/style/simple.js:20:38)";
        let array = "TypeError: value.split is not a function at deserializeArray (@stoplight/prism-http/dist/validator/deserializers/style/simple.js:20:38)";
        let crashed = |words: &str, args: Value| {
            [
                json!({"case": "required", "kind": "crashed", "message": "connection failed",
                "crash": "Prism exited (exit status: 1)", "last_words": words, "args": args}),
            ]
        };
        assert!(matches!(
            verdict(&crashed(undefined, json!({"ids": ["a"]})), &e, &mut v),
            Verdict::Skipped(why) if why.contains("optional array header `X-Trace`")
                && why.contains("simple.js:20")
                && why.contains("Prism exited (exit status: 1): TypeError")
        ));
        assert!(matches!(
            verdict(&crashed(array, json!({"ids": ["a", "b"], "x_trace": ["t"]})), &e, &mut v),
            Verdict::Skipped(why) if why.contains("path parameter `ids` written with commas")
        ));
        // The same words on a request that did not leave the header out or
        // write the path with commas, or other words: Prism's crash on
        // something else, a failure that says what it did.
        for (words, args) in [
            (undefined, json!({"ids": ["a"], "x_trace": ["t"]})),
            (array, json!({"ids": ["a"], "x_trace": ["t"]})),
            (
                "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                json!({"ids": ["a"]}),
            ),
            ("", json!({"ids": ["a"]})),
        ] {
            assert!(
                matches!(
                    verdict(&crashed(words, args.clone()), &e, &mut v),
                    Verdict::Failed(why) if why.starts_with("Prism exited (exit status: 1) on this call")
                        && why.contains("last words")
                ),
                "{words} {args}"
            );
        }
    }
}
