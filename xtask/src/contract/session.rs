//! The calls made one at a time against Prism, which may not survive them.
//!
//! Prism dies on some requests (an uncaught exception ends node), answers
//! others with an exception it caught (HTTP 500, a JavaScript error's name
//! as the problem's `type`), and could loop or grow without end on a
//! recursive schema. Without care every later call then fails as
//! `connection failed` and nobody can tell the mock died. So the harness
//! makes one call per order ([`super::child`]); after each, Prism is looked
//! at, and when it crashed the call's line says so with Prism's last words
//! from its log ([`last_words`]), a new Prism is started, and the next call
//! goes to it. Every operation is bounded in time, and Prism's heap by
//! `NODE_OPTIONS=--max-old-space-size` ([`super::prism`]).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::child::{Harness, Heard};
use super::prism::Prism;
use crate::Failure;

/// How Prism is started, again after each crash.
pub(super) struct Mock<'a> {
    pub(super) bin: &'a Path,
    pub(super) spec: &'a Path,
    pub(super) seed: u64,
    pub(super) log: &'a Path,
    pub(super) memory_mib: u64,
}

impl Mock<'_> {
    fn start(&self, interrupted: &dyn Fn() -> bool) -> Result<Prism, Failure> {
        let prism = Prism::start(
            self.bin,
            self.spec,
            self.seed,
            self.log,
            self.memory_mib,
            interrupted,
        )?;
        eprintln!(
            "prism {} listening on {} (pid {}), log in {}",
            super::prism::VERSION,
            prism.base_url(),
            prism.pid(),
            self.log.display()
        );
        Ok(prism)
    }
}

/// What the calls gave: one line per call, one per round trip, and how
/// many times Prism was started again.
pub(super) struct Outcome {
    pub(super) calls: Vec<Value>,
    pub(super) round_trips: Vec<String>,
    pub(super) restarts: usize,
}

/// How long the harness may take beyond an operation's bound before it is
/// stopped (its own timeout should have answered by then).
const GRACE: Duration = Duration::from_secs(5);

/// Makes every call of `calls` (`{"operation", "case", "args", "answer"}`,
/// an operation's calls next to each other) through the harness `binary`,
/// each operation within `per_operation`.
///
/// A crash costs a restart, and Prism re-reads the spec on each (tens of
/// seconds for the largest), so the run stays bounded by restarting at
/// most once for what cannot change on a retry:
/// - Prism accepted the request, then its generator ran out of heap or
///   time making the answer: the same call is made again at once asking
///   for the static answer (`Prefer: dynamic=false`), and so is every later
///   call whose answer has the same schema (`answer`), generated again it
///   would crash again;
/// - any other run out of heap or time, or a static answer that crashes
///   too: the operation's remaining calls are not made, each line saying
///   why.
pub(super) fn run(
    mock: &Mock<'_>,
    binary: &Path,
    cases: &Path,
    calls: &[Value],
    per_operation: Duration,
    interrupted: &dyn Fn() -> bool,
) -> Result<Outcome, Failure> {
    let mut session = Session {
        prism: Some(mock.start(interrupted)?),
        harness: Harness::start(binary, cases)?,
        mock,
        binary,
        cases,
        per_operation,
        restarts: 0,
    };
    let mut lines = Vec::with_capacity(calls.len());
    // Schemas (`answer`) Prism's generator gave out on, and where first.
    let mut given_out: HashMap<&str, &str> = HashMap::new();
    // Operations not called again, with the line of the crash that ended them.
    let mut ended: HashMap<&str, Value> = HashMap::new();
    let mut operation: Option<(&str, Instant)> = None;
    for (i, call) in calls.iter().enumerate() {
        let id = call["operation"].as_str().unwrap_or_default();
        let answer = call["answer"].as_str().filter(|a| !a.is_empty());
        let mut deadline = match operation {
            Some((current, deadline)) if current == id => deadline,
            _ => Instant::now() + per_operation,
        };
        if let Some(end) = ended.get(id) {
            lines.push(not_called(call, end));
            continue;
        }
        let statically = answer.and_then(|a| given_out.get(a)).copied();
        let mut line = session.call(i, call, deadline, statically.is_some(), interrupted)?;
        if let Some(first) = statically {
            line["static_since"] = json!(first);
        }
        if line["kind"] == "crashed" && ran_out(&line) {
            if statically.is_none() && line["after_validation"] == true {
                if let Some(a) = answer {
                    given_out.insert(a, id);
                }
                // The generator is what failed: the same request, asking
                // for the static answer, within a bound of its own.
                deadline = Instant::now() + per_operation;
                let mut again = session.call(i, call, deadline, true, interrupted)?;
                again["generator_crash"] =
                    json!({"crash": line["crash"], "last_words": line["last_words"]});
                line = again;
            }
            if line["kind"] == "crashed" {
                ended.insert(id, line.clone());
            }
        }
        operation = Some((id, deadline));
        lines.push(line);
    }
    let Session {
        prism,
        harness,
        restarts,
        ..
    } = session;
    drop(prism);
    let round_trips = harness.round_trips(interrupted)?;
    Ok(Outcome {
        calls: lines,
        round_trips,
        restarts,
    })
}

/// The mock and harness of a run, each started again when it died.
struct Session<'a> {
    /// `None` only between stopping a crashed Prism and starting the next.
    prism: Option<Prism>,
    harness: Harness,
    mock: &'a Mock<'a>,
    binary: &'a Path,
    cases: &'a Path,
    per_operation: Duration,
    restarts: usize,
}

impl Session<'_> {
    /// Call `i`'s result line; a Prism that crashed on it is started
    /// again, the line saying how it crashed (`kind: crashed`), with its
    /// last words and whether it had accepted the request.
    fn call(
        &mut self,
        i: usize,
        call: &Value,
        deadline: Instant,
        statically: bool,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Value, Failure> {
        let Some(prism) = self.prism.as_mut() else {
            return Err(Failure::new("error: Prism is not running"));
        };
        let from = prism.log_len();
        let left = deadline.saturating_duration_since(Instant::now());
        let order = json!({"call": i, "base": prism.base_url(), "static": statically,
            "timeout_ms": u64::try_from(left.as_millis()).unwrap_or(u64::MAX).max(1)});
        let heard = if self.harness.order(&order) {
            wait(&self.harness, deadline + GRACE, interrupted)?
        } else {
            Heard::Gone
        };
        let mut line = match heard {
            Heard::Line(text) => serde_json::from_str::<Value>(&text).unwrap_or_else(
                |_| json!({"kind": "error", "message": format!("the harness said: {text}")}),
            ),
            Heard::Gone => {
                // The harness itself died (its stderr is above): a new one
                // makes the remaining calls.
                self.harness = Harness::start(self.binary, self.cases)?;
                json!({"kind": "error", "message": "the harness exited during the call (its output is above)"})
            }
            Heard::Nothing => {
                self.harness = Harness::start(self.binary, self.cases)?;
                json!({"kind": "timeout", "message": format!(
                    "no answer within {} s", self.per_operation.as_secs_f64())})
            }
        };
        line["operation"] = call["operation"].clone();
        line["case"] = call["case"].clone();
        if let Some(crash) = crashed(prism, &line, self.per_operation) {
            let log = prism.log_since(from);
            // The old Prism is stopped (all of it) before the new one
            // starts.
            drop(self.prism.take());
            self.prism = Some(self.mock.start(interrupted)?);
            line["crash"] = json!(crash);
            line["last_words"] = json!(last_words(&log));
            line["after_validation"] = json!(accepted(&log));
            line["kind_before"] = line["kind"].clone();
            line["kind"] = json!("crashed");
            self.restarts += 1;
        }
        Ok(line)
    }
}

/// Whether a crash is one a retry of the same generated answer would
/// repeat: node out of heap, or no answer within the bound.
fn ran_out(line: &Value) -> bool {
    let crash = line["crash"].as_str().unwrap_or_default();
    let words = line["last_words"].as_str().unwrap_or_default();
    super::prism_limits::out_of_memory(words) || crash.contains("did not answer within")
}

/// Whether Prism's log of a call says it accepted the request: what it
/// did next was making the answer (prism-http 5.16
/// dist/mocker/index.js:147 logs this before it generates a body).
fn accepted(log: &str) -> bool {
    strip_ansi(log).contains("The request passed the validation rules")
}

/// The line of a call not made, as its operation's earlier call `end`
/// ended it.
fn not_called(call: &Value, end: &Value) -> Value {
    json!({
        "operation": call["operation"],
        "case": call["case"],
        "kind": "crashed",
        "message": "not called",
        "crash": format!("not called: {} on an earlier call of this operation", end["crash"].as_str().unwrap_or("Prism crashed")),
        "last_words": end["last_words"],
        "after_validation": end["after_validation"],
    })
}

/// The harness's answer to the order in flight, or why there is none.
fn wait(
    harness: &Harness,
    until: Instant,
    interrupted: &dyn Fn() -> bool,
) -> Result<Heard, Failure> {
    loop {
        match harness.listen(Duration::from_millis(50)) {
            Heard::Nothing => {}
            heard => return Ok(heard),
        }
        if interrupted() {
            return Err(Failure::new("interrupted"));
        }
        if Instant::now() > until {
            return Ok(Heard::Nothing);
        }
    }
}

/// How Prism failed the call of `line`, if it did: it exited, it answered
/// with its own internal error, it stopped answering or taking connections.
fn crashed(prism: &mut Prism, line: &Value, bound: Duration) -> Option<String> {
    if let Some(status) = prism.exited() {
        return Some(format!("Prism exited ({status})"));
    }
    let kinds: Vec<&str> = [&line["kind"], &line["retry"]["kind"]]
        .into_iter()
        .filter_map(Value::as_str)
        .collect();
    if let Some(message) = [line, &line["retry"]]
        .into_iter()
        .find(|r| r["kind"] == "mock_error")
        .and_then(|r| r["message"].as_str())
    {
        return Some(format!(
            "Prism answered with its own internal error ({message})"
        ));
    }
    if kinds.contains(&"timeout") {
        return Some(format!(
            "Prism did not answer within the operation's {} s",
            bound.as_secs_f64()
        ));
    }
    if kinds.contains(&"connection") {
        // node resets the connection a moment before it is gone.
        if let Some(status) = prism.exits_within(Duration::from_secs(2)) {
            return Some(format!("Prism exited ({status})"));
        }
        if !prism.accepts() {
            return Some("Prism no longer takes connections".to_owned());
        }
    }
    None
}

/// What Prism said last of a crash, from its log since the call began: the
/// last error's own line (a JavaScript exception, node's out-of-memory
/// message, the exception it caught and answered with) and the first frame
/// of its stack, paths from `node_modules/` on; else its last line. The
/// last, not the first: an operation's earlier calls may have had errors
/// Prism caught and answered (plex's `editMetadataItem`: a `text/html`
/// answer it could not make, then the crash on `/library/metadata/tide,orbit`).
pub(super) fn last_words(log: &str) -> String {
    let plain = strip_ansi(log);
    let lines: Vec<&str> = plain
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let error = lines.iter().rposition(|l| {
        l.contains("FATAL ERROR")
            || l.contains("Request terminated with error")
            || l.split(':').next().is_some_and(|head| {
                let name = head.trim();
                name.ends_with("Error") && !name.contains(' ')
            })
    });
    let Some(at) = error else {
        return lines.last().map(|l| short(l)).unwrap_or_default();
    };
    let mut words = short(lines[at]);
    if let Some(frame) = lines[at + 1..].iter().find(|l| l.starts_with("at ")) {
        words.push(' ');
        words.push_str(&short(frame));
    }
    words
}

/// A log line without its absolute paths (`…/node_modules/` dropped) and
/// cut to 400 characters.
fn short(line: &str) -> String {
    let mut text = line.to_owned();
    while let Some(at) = text.find("/node_modules/") {
        let start = text[..at].rfind(['(', ' ']).map_or(0, |s| s + 1);
        text.replace_range(start..at + "/node_modules/".len(), "");
    }
    match text.char_indices().nth(400) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Prism colours its log on a terminal; a file may hold the escapes too.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prism 5.16.0's log when a GET left out the optional array header
    /// `X-Trace` (recorded from realworld_parameter_names.yaml).
    const SPLIT: &str = "\
[6:36:39 AM] \u{203a} [CLI] \u{25b6}  start     Prism is listening on http://127.0.0.1:40167
[6:36:40 AM] \u{203a} [HTTP SERVER] get /accounts/orbit/keys/orbit/kind=quartz \u{2139}  info      Request received

/work/t/prism/5.16.0/node_modules/@stoplight/prism-http/dist/validator/deserializers/style/simple.js:20
    return value === '' ? [] : value.split(',');
                                     ^
TypeError: Cannot read properties of undefined (reading 'split')
    at deserializeArray (/work/t/prism/5.16.0/node_modules/@stoplight/prism-http/dist/validator/deserializers/style/simple.js:20:38)
    at deserializeSimpleStyle (/work/t/prism/5.16.0/node_modules/@stoplight/prism-http/dist/validator/deserializers/style/simple.js:9:16)
";

    #[test]
    fn last_words_are_the_exception_and_where_it_was_thrown() {
        assert_eq!(
            last_words(SPLIT),
            "TypeError: Cannot read properties of undefined (reading 'split') \
             at deserializeArray (@stoplight/prism-http/dist/validator/deserializers/style/simple.js:20:38)"
        );
        let oom = "<--- Last few GCs --->\n\u{1b}[31m\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb7 node::Abort()\n";
        assert_eq!(
            last_words(oom),
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
        );
        let caught = "[1:00:00 PM] \u{203a} [HTTP SERVER] post /trees \u{2716}  \u{1b}[31merror\u{1b}[39m     Request terminated with error: RangeError: Maximum call stack size exceeded\n";
        assert!(
            last_words(caught).ends_with(
                "Request terminated with error: RangeError: Maximum call stack size exceeded"
            ),
            "{}",
            last_words(caught)
        );
        // An error Prism caught and answered before the crash is not the
        // crash's.
        let earlier = "[6:36:39 AM] \u{203a} [HTTP SERVER] put /a/b \u{2716}  error     Request terminated with error: Error: Tried to force a dynamic response for: text/html but schema is not defined.\n";
        assert_eq!(last_words(&format!("{earlier}{SPLIT}")), last_words(SPLIT));
        assert_eq!(last_words("one\ntwo\n\n"), "two");
        assert_eq!(last_words(""), "");
    }
}
