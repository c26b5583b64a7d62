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
                    format!("the spec documents no success response; Prism accepted the request and answered with a documented error, {message} ({case})")
                });
                continue;
            }
            "answered" => format!(
                "the mock answered an error without listing a violation: {message} ({case})"
            ),
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
        let rejected = [json!({"case": "all", "kind": "rejected", "message": "HTTP 422: x"})];
        assert!(matches!(
            verdict(&rejected, None, false, &mut v),
            Verdict::Failed(_)
        ));
    }
}
