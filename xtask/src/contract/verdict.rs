//! An operation's verdict from the harness's results.

use serde_json::Value;

use super::Verdict;
use super::schema::Validators;

/// An operation's verdict from its calls' results. A response that does
/// not decode fails only when the spec allows it: a body Prism made that
/// breaks the response schema is Prism's problem, and said so; so is an
/// error answered to an operation that documents no success.
pub(super) fn verdict(
    results: &[Value],
    success: Option<&Value>,
    documents_success: bool,
    validators: &mut Validators,
) -> Verdict {
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
            // Prism answers an operation without a success response with
            // one of its documented errors: there is no success to decode.
            "answered" if !documents_success => {
                skipped.get_or_insert_with(|| {
                    format!("the spec documents no success response; Prism accepted the request and answered with another documented status, {message} ({case})")
                });
                continue;
            }
            "answered" => format!(
                "the mock answered an error without listing a violation: {message} ({case})"
            ),
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
                    let static_too = if retry.is_object() {
                        ", and so does its static answer"
                    } else {
                        ""
                    };
                    skipped.get_or_insert_with(|| {
                        format!(
                            "Prism answered with a body the spec does not allow{static_too}: {} ({case})",
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
    use super::*;
    use serde_json::json;

    #[test]
    fn an_error_answered_without_violations_fails_only_beside_a_success() {
        let mut v = Validators::new(&json!({}));
        let answered = [json!({"case": "required", "kind": "answered", "message": "HTTP 400: []"})];
        assert!(matches!(
            verdict(&answered, None, false, &mut v),
            Verdict::Skipped(why) if why.contains("no success response")
        ));
        assert!(matches!(
            verdict(&answered, None, true, &mut v),
            Verdict::Failed(_)
        ));
        // A generated body that breaks the schema: the static retry judges.
        let doc = json!({"components": {"schemas": {"P": {"type": "object", "required": ["id"],
            "properties": {"id": {"type": "string"}}}}}});
        let mut v = Validators::new(&doc);
        let schema = json!({"$ref": "#/components/schemas/P"});
        let broken = |retry: Value| {
            [
                json!({"case": "required", "kind": "undecoded", "message": "m",
            "body": "{}", "retry": retry}),
            ]
        };
        let ok = broken(json!({"kind": "ok"}));
        assert_eq!(verdict(&ok, Some(&schema), true, &mut v), Verdict::Ok);
        let valid =
            broken(json!({"kind": "undecoded", "message": "at `/id`", "body": "{\"id\": \"x\"}"}));
        assert!(matches!(
            verdict(&valid, Some(&schema), true, &mut v),
            Verdict::Failed(_)
        ));
        let invalid = broken(json!({"kind": "undecoded", "message": "m", "body": "{}"}));
        assert!(matches!(
            verdict(&invalid, Some(&schema), true, &mut v),
            Verdict::Skipped(_)
        ));
        let rejected = [json!({"case": "all", "kind": "rejected", "message": "HTTP 422: x"})];
        assert!(matches!(
            verdict(&rejected, None, false, &mut v),
            Verdict::Failed(_)
        ));
    }
}
