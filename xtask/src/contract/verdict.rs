//! An operation's verdict from the harness's results.

use serde_json::Value;

use super::Verdict;
use super::schema::Validators;

/// An operation's verdict from its calls' results. A response that does
/// not decode fails only when the spec allows it: a body Prism made that
/// breaks the response schema is Prism's problem, and said so.
pub(super) fn verdict(
    results: &[Value],
    success: Option<&Value>,
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
