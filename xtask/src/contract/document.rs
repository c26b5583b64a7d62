//! Reading the normalized document: its operations, `$ref`s and success
//! responses.

use serde_json::Value;

/// `(METHOD, path, operation)` of the document, in its order.
pub(super) fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
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

pub(super) fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
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

/// The JSON schema of an operation's first success response.
pub(super) fn success_schema(doc: &Value, op: &Value) -> Option<Value> {
    let responses = op["responses"].as_object()?;
    let (_, response) = responses.iter().find(|(code, _)| code.starts_with('2'))?;
    let response = resolve(doc, response);
    response["content"]["application/json"]
        .get("schema")
        .cloned()
}

/// Whether an operation documents a success response (2xx, `2XX`).
pub(super) fn documents_success(op: &Value) -> bool {
    op["responses"]
        .as_object()
        .is_some_and(|r| r.keys().any(|code| code.starts_with('2')))
}

/// The response an operation documents for `status` (its code, else its
/// `NXX` range, else `default`): `None` when it documents none, else the
/// JSON schema of its body, if it has one.
pub(super) fn answer_schema(doc: &Value, op: &Value, status: u16) -> Option<Option<Value>> {
    let responses = op["responses"].as_object()?;
    let code = status.to_string();
    let range = format!("{}XX", status / 100);
    let response = responses
        .get(&code)
        .or_else(|| responses.get(&range))
        .or_else(|| responses.get(&range.to_ascii_lowercase()))
        .or_else(|| responses.get("default"))?;
    let response = resolve(doc, response);
    Some(
        response["content"]["application/json"]
            .get("schema")
            .cloned(),
    )
}
