//! Written by `cargo xtask contract` (xtask/src/contract/harness_support.rs):
//! the fixed part of the harness.
//!
//! `harness CASES_FILE` reads the cases (`{"calls": [{"operation", "case",
//! "args"}], "roundtrips": [{"schema", "value"}]}`), then takes its orders
//! from stdin, one JSON line each: `{"call": N, "base": URL, "timeout_ms":
//! T, "static": B}` makes call N against URL (asking for Prism's static
//! answer when B) and prints one JSON line of its result;
//! `{"roundtrips": true}` prints one line per round trip. One call at a
//! time, on order: xtask knows which call was in flight when the mock died,
//! and sends the next one to the mock it started again.

use alakazam_client::runtime::{KeyKind, SchemeKind};
use alakazam_client::{ApiKey, ClientBuilder, Credential, ErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Why a call failed: `rejected` (the mock refused the request, saying
/// why), `answered` (it answered with an error status, listing no
/// violation),
/// `undecoded` (the response does not decode), `unbuilt` (an argument does
/// not fit its Rust type), `mock_error` (Prism answered with its own
/// internal error: a JavaScript exception it caught), `timeout` (no answer
/// in time), `connection` (the connection failed or broke) or `error`
/// (anything else). xtask looks at Prism after the last three.
pub struct Failure {
    pub kind: &'static str,
    pub message: String,
    /// The response body that did not decode, or of an error the mock
    /// answered (capped by the runtime).
    pub body: Option<String>,
    /// The status of an error answer and the violations Prism listed
    /// (`[{"message", "location"}]`), for the verdict to judge; `null`
    /// without an answer.
    pub answer: Value,
    /// Whether `body` is only the start the client kept of a longer one
    /// (`ErrorBody::LIMIT`): the whole of it is taken from the tap.
    pub truncated: bool,
}

impl Failure {
    pub fn unbuilt(message: String) -> Self {
        Failure { kind: "unbuilt", message, body: None, answer: Value::Null, truncated: false }
    }
}

/// An argument decoded into its setter's type.
pub fn arg<T: DeserializeOwned>(v: &Value, name: &str) -> Result<T, Failure> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        Failure::unbuilt(format!(
            "the value for `{name}` does not decode into its Rust type: {} (at `{}`): {v}",
            e.inner(),
            e.path()
        ))
    })
}

/// A raw body: a JSON string as its text, anything else as JSON.
pub fn raw(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// serde's message for a body that did not decode, with its path.
pub fn explain<T: DeserializeOwned>(body: &str) -> String {
    let mut de = serde_json::Deserializer::from_str(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => "it decodes on its own (the runtime read something else)".to_owned(),
        Err(e) => format!("at `{}`: {}", pointer(e.path()), e.inner()),
    }
}

pub fn no_explain(_: &str) -> String {
    String::new()
}

/// Reads an event stream to its end: an item that fails (a broken
/// connection, data not of the documented type) fails the call.
pub async fn drain_events<T: DeserializeOwned>(
    mut events: alakazam_client::runtime::EventStream<T>,
) -> Result<(), Failure> {
    while let Some(item) = next(&mut events).await {
        if let Err(e) = item {
            let kind = if e.kind() == ErrorKind::InvalidResponse { "undecoded" } else { "error" };
            return Err(Failure { kind, message: format!("an event: {e}"), body: None, answer: Value::Null, truncated: false });
        }
    }
    Ok(())
}

/// Reads a byte stream to its end.
pub async fn drain_bytes(bytes: alakazam_client::runtime::ByteStream) -> Result<(), Failure> {
    let mut bytes = bytes.into_inner();
    while let Some(chunk) = next(&mut bytes).await {
        if let Err(e) = chunk {
            return Err(Failure { kind: "error", message: format!("the body broke off: {e}"), body: None, answer: Value::Null, truncated: false });
        }
    }
    Ok(())
}

async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

/// serde_path_to_error's `a.b[0]` as a JSON pointer `/a/b/0`.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    if out.is_empty() { "/".to_owned() } else { out }
}

/// Whether Prism answered that no path of the spec matches: on a next
/// page, the URL Prism invented for the `next` link of the page before (a
/// random string, or a URL of no operation), not one the runtime made up.
pub fn invented_route(e: &alakazam_client::Error) -> bool {
    e.status().is_some_and(|s| s.as_u16() == 404)
        && e.body_text().is_some_and(|b| b.contains("NO_PATH_MATCHED_ERROR"))
}

/// An error answer whose body does not decode as the schema documented
/// for its status (`errors::<Name>`, by `Error::typed_body`).
pub fn error_undecoded(e: &alakazam_client::Error, status: u16, errors: &str, why: &serde_json::Error) -> Failure {
    let (body, truncated) = whole(e);
    Failure {
        kind: "error_undecoded",
        message: format!("the HTTP {status} body does not decode as errors::{errors}: {why}"),
        body,
        answer: json!({"status": status}),
        truncated,
    }
}

/// The body of `e`'s response: whole from the tap when the client kept
/// only its start (`ErrorBody::LIMIT`), and whether it is still cut.
fn whole(e: &alakazam_client::Error) -> (Option<String>, bool) {
    let kept = e.body();
    if kept.is_some_and(|b| b.truncated)
        && let Some(bytes) = crate::tap::last_body()
    {
        return (Some(String::from_utf8_lossy(&bytes).into_owned()), false);
    }
    (kept.map(|b| b.text.clone()), kept.is_some_and(|b| b.truncated))
}

pub fn classify(e: &alakazam_client::Error, explain: fn(&str) -> String) -> Failure {
    if e.kind() == ErrorKind::InvalidResponse {
        let (body, truncated) = whole(e);
        let body = body.unwrap_or_default();
        let why = explain(&body);
        let shown: String = body.chars().take(300).collect();
        return Failure { kind: "undecoded", message: format!("{why}; body: {shown}"), body: Some(body), answer: Value::Null, truncated };
    }
    if let Some(status) = e.status() {
        if let Some(thrown) = internal_error(e, status.as_u16()) {
            return Failure { kind: "mock_error", message: thrown, body: e.body_text().map(str::to_owned), answer: Value::Null, truncated: false };
        }
        if let Some(limit) = prism_limit(e) {
            return Failure { kind: "skipped", message: limit, body: None, answer: Value::Null, truncated: false };
        }
        let (message, listed) = violations(e, status.as_u16());
        // Prism's own errors (`UNAUTHORIZED`: the security requirement is
        // not met) refuse the request as surely as a list does.
        let own = e.body_json().and_then(|b| b["type"].as_str().map(str::to_owned));
        let found = !listed.is_empty() || own.is_some_and(|t| t.starts_with("https://stoplight.io/prism/errors#"));
        // Prism lists what it refused; an error it answers without a list
        // is one of the spec's own responses, to a request it accepted.
        let kind = if found { "rejected" } else { "answered" };
        let body = e.body_text().map(str::to_owned);
        let answer = json!({"status": status.as_u16(), "violations": listed});
        return Failure { kind, message, body, answer, truncated: false };
    }
    let kind = match e.kind() {
        ErrorKind::Timeout => "timeout",
        ErrorKind::Connection => "connection",
        _ => "error",
    };
    Failure { kind, message: e.to_string(), body: None, answer: Value::Null, truncated: false }
}

/// Prism's answer to an exception it caught while serving (prism-http's
/// `ProblemJsonError.toProblemJson`: the error's `name` as `type`, its
/// message as `title`, status 500): `RangeError: Maximum call stack size
/// exceeded`. Its own refusals have a URL as `type`; a spec's documented
/// 500 is not `application/problem+json` with a JavaScript error's name.
fn internal_error(e: &alakazam_client::Error, status: u16) -> Option<String> {
    if status != 500 {
        return None;
    }
    let body = e.body_json()?;
    let name = body["type"].as_str()?;
    let javascript = name.ends_with("Error")
        && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if !javascript {
        return None;
    }
    let title = body["title"].as_str().unwrap_or_default();
    Some(format!("HTTP 500: {name}: {}", title.lines().next().unwrap_or_default()))
}

/// What Prism answers when it cannot serve a request the spec allows (a
/// response it fails to generate), as opposed to a request it refuses.
fn prism_limit(e: &alakazam_client::Error) -> Option<String> {
    let body = e.body_json()?;
    let kind = body["type"].as_str()?.strip_prefix("https://stoplight.io/prism/errors#")?;
    let title = body["title"].as_str().unwrap_or_default();
    let title = title.lines().next().unwrap_or_default();
    match kind {
        "UNKNOWN" => Some(format!("Prism fails to generate the response: {title}")),
        "NO_COMPLEX_OBJECT_TEXT" => Some(format!("Prism cannot serve a generated object as a non-JSON media type ({title})")),
        "NO_RESPONSE_RESPONSE_DEFINED" => Some(format!("the spec defines no response, so Prism has none to serve ({title})")),
        _ => None,
    }
}

/// Prism's findings: the `validation` list of its own 422, else the
/// `sl-violations` header it adds to a response of the spec's; as text,
/// and as `[{"message", "location"}]` (`location` dotted:
/// `request.query.ids.0`).
fn violations(e: &alakazam_client::Error, status: u16) -> (String, Vec<Value>) {
    let mut found: Vec<String> = Vec::new();
    let mut listed: Vec<Value> = Vec::new();
    let from_body = e.body_json().and_then(|b| b.get("validation")).cloned();
    let from_header = e
        .headers()
        .and_then(|h| h.get("sl-violations"))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| serde_json::from_str::<Value>(v).ok());
    for list in [from_body, from_header].into_iter().flatten() {
        for v in list.as_array().into_iter().flatten() {
            let location: Vec<String> = v["location"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| l.as_str().map_or_else(|| l.to_string(), str::to_owned))
                .collect();
            let message = v["message"].as_str().unwrap_or("?");
            found.push(format!("{message} ({})", location.join(".")));
            listed.push(json!({"message": message, "location": location.join(".")}));
        }
    }
    if found.is_empty() {
        let body: String = e.body_text().unwrap_or_default().chars().take(300).collect();
        (format!("HTTP {status}: {body}"), listed)
    } else {
        (format!("HTTP {status}: {}", found.join("; ")), listed)
    }
}

fn outcome_json(outcome: Result<(), Failure>) -> Value {
    match outcome {
        Ok(()) => json!({"kind": "ok"}),
        Err(f) => {
            let mut line = json!({"kind": f.kind, "message": f.message, "body": f.body, "answer": f.answer});
            if f.truncated {
                line["truncated"] = json!(true);
            }
            line
        }
    }
}

/// A value decoded into `T`, encoded back.
pub fn encode_decode<T: DeserializeOwned + Serialize>(v: &Value) -> Result<Value, String> {
    let decoded: T = serde_path_to_error::deserialize(v)
        .map_err(|e| format!("does not decode: at `{}`: {}", pointer(e.path()), e.inner()))?;
    serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))
}

/// A client of the generated API; `examples`: asks Prism to answer with
/// the spec's examples instead of generating a response (`Prefer:
/// dynamic=false`), for responses that have examples but no schema.
fn client(base: &str, key: &str, examples: bool, timeout: std::time::Duration) -> Result<crate::generated::Client, String> {
    let mut headers = reqwest::header::HeaderMap::new();
    if examples {
        headers.insert("prefer", reqwest::header::HeaderValue::from_static("dynamic=false"));
    }
    // A redirect Prism answers points where the spec's example or its
    // generator says (GitHub's downloads: a host on the internet): only
    // one back to this machine is followed, so no request leaves it.
    let loopback = reqwest::redirect::Policy::custom(|attempt| {
        let local = attempt.url().host_str().is_some_and(|h| {
            h == "localhost" || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        });
        if local && attempt.previous().len() < 10 { attempt.follow() } else { attempt.stop() }
    });
    let http = reqwest::Client::builder()
        .redirect(loopback)
        .default_headers(headers.clone())
        .timeout(timeout)
        .build()
        .map_err(|e| e.to_string())?;
    // The operations whose documented answer is a redirect get it back,
    // as with alakazam-client's own client: a caller's client needs one
    // beside it that does not follow.
    let unfollowing = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .timeout(timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let real = alakazam_client::Client::builder()
        .http_client(http)
        .http_client_without_redirects(unfollowing)
        .base_url(base)
        .api_key(ApiKey::new(key).map_err(|e| e.to_string())?)
        .max_retries(0)
        .timeout(timeout);
    credentials(real)
        .map_err(|e| e.to_string())?
        .build_for::<crate::generated::Client>()
        .map_err(|e| e.to_string())
}

/// A credential for every scheme the API key does not meet (Prism checks
/// that each is present, not what it holds); the bearer-like ones take the
/// key, of the kind the operation accepts.
fn credentials(mut builder: ClientBuilder) -> Result<ClientBuilder, alakazam_client::Error> {
    for scheme in crate::generated::security::ALL {
        let credential = match scheme.kind {
            SchemeKind::Bearer => continue,
            SchemeKind::Basic => Credential::basic("contract", "contract-password")?,
            _ => Credential::new("contract-credential")?,
        };
        builder = builder.credential(scheme.name, credential);
    }
    Ok(builder)
}

/// The key kinds an operation accepts, from the generated table.
fn keys(id: &str) -> &'static [KeyKind] {
    crate::generated::operations::ALL
        .iter()
        .find(|o| o.id == id)
        .map_or(&[], |o| o.keys)
}

/// The four clients of one base URL and timeout: by key kind (secret,
/// publishable), each generating its answers and asking for the static ones.
struct Clients {
    base: String,
    timeout_ms: u64,
    list: Vec<crate::generated::Client>,
}

fn clients_for(base: &str, timeout_ms: u64) -> Result<Clients, String> {
    let timeout = std::time::Duration::from_millis(timeout_ms.max(1));
    // Through a relay that keeps Prism's answers whole.
    let tap = crate::tap::Tap::start(base).map_err(|e| format!("cannot start the relay to {base}: {e}"))?;
    let relayed = tap.base();
    let list = ["sk_test_contract", "pk_test_contract"]
        .iter()
        .flat_map(|key| [client(relayed, key, false, timeout), client(relayed, key, true, timeout)])
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Clients { base: base.to_owned(), timeout_ms, list })
}

/// One call's result line; `statically`: asking for Prism's static answer
/// from the start (its generator gave out on this answer before).
fn call(runtime: &tokio::runtime::Runtime, clients: &[crate::generated::Client], call: &Value, statically: bool) -> Value {
    let empty = serde_json::Map::new();
    let id = call["operation"].as_str().unwrap_or_default();
    let first = if keys(id).contains(&KeyKind::Secret) || keys(id).is_empty() { 0 } else { 2 };
    let args = call["args"].as_object().unwrap_or(&empty);
    let first = first + usize::from(statically);
    // What the tap keeps is the answers to this dispatch alone.
    let send = |client: &crate::generated::Client| {
        crate::tap::clear();
        runtime.block_on(crate::calls::dispatch(id, client, args))
    };
    let mut outcome = send(&clients[first]);
    // Prism failed to generate an answer: its static one is asked for,
    // and the verdict says why.
    let mut generated = None;
    if let Err(f) = &outcome
        && f.kind == "skipped"
        && !statically
    {
        generated = Some(f.message.clone());
        outcome = send(&clients[first + 1]);
    }
    // A generated body that does not decode may break the schema
    // (Prism's generator drops required fields of deep allOfs): the
    // same call answered from Prism's static examples is the retry
    // the verdict reads when it does.
    let retry = match &outcome {
        Err(f) if f.kind == "undecoded" && !statically => {
            Some(send(&clients[first + 1]))
        }
        _ => None,
    };
    let mut line = outcome_json(outcome);
    line["operation"] = json!(id);
    line["case"] = call["case"].clone();
    if let Some(retry) = retry {
        line["retry"] = outcome_json(retry);
    }
    if let Some(generated) = generated {
        line["generated"] = json!(generated);
    }
    line
}

pub fn main() -> std::process::ExitCode {
    use std::io::BufRead as _;
    let args: Vec<String> = std::env::args().collect();
    let Some(cases) = args.get(1) else {
        eprintln!("usage: harness CASES_FILE (orders on stdin)");
        return std::process::ExitCode::from(2);
    };
    let cases: Value = match std::fs::read_to_string(cases).map(|t| serde_json::from_str(&t)) {
        Ok(Ok(v)) => v,
        _ => {
            eprintln!("cannot read the cases file {cases}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start tokio: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut clients: Option<Clients> = None;
    for order in std::io::stdin().lock().lines() {
        let Ok(order) = order else { break };
        let Ok(order) = serde_json::from_str::<Value>(&order) else {
            eprintln!("not an order: {order}");
            continue;
        };
        if order["roundtrips"] == json!(true) {
            for rt in cases["roundtrips"].as_array().into_iter().flatten() {
                let schema = rt["schema"].as_str().unwrap_or_default();
                let line = match crate::calls::round_trip(schema, &rt["value"]) {
                    Ok(encoded) => json!({"schema": schema, "encoded": encoded}),
                    Err(message) => json!({"schema": schema, "message": message}),
                };
                println!("{line}");
            }
            println!("{}", json!({"done": "roundtrips"}));
            continue;
        }
        let Some(c) = order["call"].as_u64().and_then(|i| cases["calls"].get(usize::try_from(i).ok()?)) else {
            eprintln!("no such call: {order}");
            continue;
        };
        let base = order["base"].as_str().unwrap_or_default();
        let timeout_ms = order["timeout_ms"].as_u64().unwrap_or(20_000);
        // Prism started again listens on another port.
        if clients.as_ref().is_none_or(|c| c.base != base || c.timeout_ms != timeout_ms) {
            clients = match clients_for(base, timeout_ms) {
                Ok(c) => Some(c),
                Err(e) => {
                    let line = json!({"operation": c["operation"], "case": c["case"], "kind": "error",
                        "message": format!("cannot build the client: {e}")});
                    println!("{line}");
                    continue;
                }
            };
        }
        let Some(list) = clients.as_ref().map(|c| c.list.as_slice()) else { continue };
        println!("{}", call(&runtime, list, c, order["static"] == json!(true)));
    }
    std::process::ExitCode::SUCCESS
}
