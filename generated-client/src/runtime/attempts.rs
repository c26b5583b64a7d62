//! One call: the credentials chosen, then the attempt loop (timeouts, retries with
//! backoff, classification of failures, the tracing span).

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use super::credentials::{Plan, authorize};
use super::follow::{self, Failure, MAX_HOPS};
use super::operation::Operation;
use super::options::RequestOptions;
use super::read::{ReadError, read_bounded, read_capped};
use super::source::RequestSource;
use super::state::{ClientState, Settings};
use super::unfollowed::Unfollowed;
use crate::error::{Error, ErrorKind};
use crate::retry::{Retry, Wait, status_retry};

/// A successful response: its body read (when asked) or the response kept
/// for streaming.
pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<Bytes>,
    pub(super) response: Option<Response>,
    pub(super) attempts: u32,
}

/// What one attempt came to.
enum Attempt {
    Done(Reply),
    /// A failure, and whether another attempt may succeed (and for which
    /// operations); `headers` of a response may carry `Retry-After`.
    Failed {
        error: Error,
        retry: Retry,
        headers: Option<HeaderMap>,
    },
}

/// What an attempt does with a success response.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Reads the body, under the limit.
    Read,
    /// Hands the response back unread; the timeout covers the body too.
    Unread,
    /// Hands the response back unread; the timeout covers the wait for
    /// the headers only (an event stream lasts as long as the server
    /// sends, and bounds the silence between chunks itself).
    Events,
}

/// The credentials chosen (or the call refused), then the attempt loop.
pub(super) async fn execute(
    http: &reqwest::Client,
    state: &ClientState,
    op: &Operation,
    options: &RequestOptions,
    source: impl RequestSource,
    read_body: bool,
) -> Result<Reply, Error> {
    let mode = if read_body { Mode::Read } else { Mode::Unread };
    run(http, state, op, options, source, mode).await
}

/// Like [`execute`] for an event stream: the response unread, the
/// client's timeout applied until its headers arrive.
pub(super) async fn execute_events(
    http: &reqwest::Client,
    state: &ClientState,
    op: &Operation,
    options: &RequestOptions,
    source: impl RequestSource,
) -> Result<Reply, Error> {
    run(http, state, op, options, source, Mode::Events).await
}

async fn run(
    http: &reqwest::Client,
    state: &ClientState,
    op: &Operation,
    options: &RequestOptions,
    source: impl RequestSource,
    mode: Mode,
) -> Result<Reply, Error> {
    let settings = &state.0;
    let credentials = authorize(settings, op)?;
    // Before anything is sent: an extra header or query parameter never
    // replaces (or repeats, to be printed) a credential.
    let (credential_headers, credential_query) = credentials.names();
    options
        .check(&credential_headers, &credential_query)
        .map_err(|e| e.with_operation(op.id))?;
    // A per-call timeout is set on each request: it replaces the timeout
    // our own reqwest::Client was built with (reqwest lets a request's win).
    let timeout = options.timeout_override().unwrap_or(settings.timeout);
    // Whether the runtime sees every redirect of a call: not when the
    // caller's client serves the redirect-answering operations by its own
    // policy.
    let sees_redirects = !matches!(settings.unfollowed, Unfollowed::Shared);
    // Credentials reqwest's follower would carry to another origin: the
    // runtime follows instead (see follow.rs). It also follows for an
    // operation that is not idempotent, to tell a connection refused by
    // the server (nothing sent: retried) from one refused by a redirect's
    // target (the server acted: not retried); reqwest's error names the
    // first URL either way.
    let follow = (!op.returns_redirect
        && (credentials.unsafe_to_redirect() || (!op.idempotent && sees_redirects)))
        .then(|| credentials.custom_headers());
    // Every transport failure is of the first hop's request, or says
    // after how many hops it came.
    let hops_known = sees_redirects && (op.returns_redirect || follow.is_some());
    let timeout_per_request = settings.timeout_per_request || options.timeout_override().is_some();
    let (http, timeout_per_request) = if op.returns_redirect || follow.is_some() {
        settings
            .unfollowed
            .client(http, timeout_per_request)
            .map_err(|e| e.with_operation(op.id))?
    } else {
        (http, timeout_per_request)
    };
    // One key per call, made before the first attempt and sent with every
    // retry: the server recognises the repeat only if the key is the same.
    let idempotency_key = op.idempotency_key.and_then(|name| {
        let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
        let value = HeaderValue::try_from(uuid::Uuid::new_v4().to_string()).ok()?;
        Some((name, value))
    });
    let span = tracing::debug_span!(
        "alakazam.request",
        operation = op.id,
        method = op.method,
        path = op.path,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let call = Call {
        http,
        settings,
        op,
        options,
        credentials,
        follow,
        hops_known,
        timeout,
        max_retries: options
            .max_retries_override()
            .unwrap_or(settings.max_retries),
        idempotency_key,
        timeout_per_request,
        mode,
    };
    // Without a subscriber the span is disabled: skip entering it on every
    // poll (measurable on a loopback round trip).
    if span.is_disabled() {
        call.attempts(source, &span).await
    } else {
        let fields = span.clone();
        call.attempts(source, &fields).instrument(span).await
    }
}

/// What every attempt of one call shares.
struct Call<'a> {
    http: &'a reqwest::Client,
    settings: &'a Settings,
    op: &'a Operation,
    options: &'a RequestOptions,
    credentials: Plan<'a>,
    /// When the runtime follows redirects: the credential headers a hop to
    /// another origin drops.
    follow: Option<Vec<HeaderName>>,
    /// Whether a transport failure says if a redirect came before it.
    hops_known: bool,
    /// The time allowed for each attempt: the call's own, or the client's.
    timeout: Duration,
    /// Retries after the first attempt: the call's own, or the client's.
    max_retries: u32,
    /// The operation's idempotency header and the key generated for this
    /// call, sent when the caller set none.
    idempotency_key: Option<(HeaderName, HeaderValue)>,
    /// Whether the timeout must be set on each request: a caller's own
    /// `reqwest::Client` does not have ours configured, and a per-call
    /// timeout replaces the one ours was built with.
    timeout_per_request: bool,
    mode: Mode,
}

impl Call<'_> {
    /// Adds the call's options and what the runtime owns to a request:
    /// extra headers and query, the idempotency key, credentials, user
    /// agent, timeout.
    fn prepare(&self, request: &mut Request) {
        // First: what the runtime adds after them wins (`check` refused
        // the names it would have replaced anyway).
        self.options.apply(request);
        if let Some((name, key)) = &self.idempotency_key {
            let set = request.headers().get(name).is_some_and(|v| !v.is_empty());
            if !set {
                request.headers_mut().insert(name.clone(), key.clone());
            }
        }
        self.credentials.apply(request);
        request
            .headers_mut()
            .insert(USER_AGENT, self.settings.user_agent.clone());
        if self.timeout_per_request {
            // A caller's own reqwest::Client does not have our timeout,
            // and ours has the client's, which a per-call one replaces.
            *request.timeout_mut() = Some(self.timeout);
        }
        if self.mode == Mode::Events {
            // No total timeout: `attempt` bounds the wait for the headers.
            *request.timeout_mut() = Some(Duration::MAX);
        }
    }

    /// The attempt loop: retries, backoff, and what the span records.
    async fn attempts(
        &self,
        mut source: impl RequestSource,
        span: &tracing::Span,
    ) -> Result<Reply, Error> {
        let (settings, op) = (self.settings, self.op);
        let mut attempts = 0u32;
        let mut last_error: Option<Error> = None;
        loop {
            attempts += 1;
            let more = attempts <= self.max_retries;
            let mut current = match source.next_request(more) {
                Some(Ok(request)) => request,
                Some(Err(e)) => {
                    return Err(e.with_operation(op.id).with_attempts(attempts - 1));
                }
                // A body that cannot be sent again: the previous failure stands.
                None => {
                    return Err(last_error.unwrap_or_else(|| {
                        Error::new(
                            ErrorKind::InvalidRequest,
                            "the request cannot be sent again",
                        )
                        .with_operation(op.id)
                    }));
                }
            };
            self.prepare(&mut current);
            // Read before the request is consumed: an idempotency key makes
            // a POST as safe to repeat as a PUT.
            let repeatable = op.repeatable(&current);
            let started = Instant::now();
            record(span, "attempt", u64::from(attempts));
            // The client's timeout covers every hop of an attempt, as
            // reqwest's does when it follows.
            let deadline = (self.mode != Mode::Events).then(|| started + self.timeout);
            let follow = self.follow.as_deref().map(|headers| (headers, deadline));
            let outcome = attempt(
                self.http,
                current,
                op.returns_redirect,
                follow,
                self.hops_known,
                self.mode,
                settings.max_response_bytes,
                self.timeout,
            )
            .await;
            record(span, "latency_ms", started.elapsed().as_millis() as u64);
            match outcome {
                Attempt::Done(mut reply) => {
                    record(span, "status", u64::from(reply.status.as_u16()));
                    tracing::debug!("succeeded");
                    reply.attempts = attempts;
                    return Ok(reply);
                }
                Attempt::Failed {
                    error,
                    retry,
                    headers,
                } => {
                    if let Some(status) = error.status() {
                        record(span, "status", u64::from(status.as_u16()));
                    }
                    // Before anything logs it: the response may repeat the key.
                    let error = error
                        .redact(settings.secrets())
                        .with_operation(op.id)
                        .with_request_id_header(op.request_id_header)
                        .with_attempts(attempts);
                    let retryable = match retry {
                        Retry::No => false,
                        Retry::IfIdempotent => repeatable,
                        Retry::Unprocessed => true,
                    };
                    if !retryable || !more {
                        tracing::debug!(error = %error, "failed");
                        return Err(error);
                    }
                    match settings
                        .backoff
                        .wait(attempts, headers.as_ref(), SystemTime::now())
                    {
                        Wait::Retry(delay) => {
                            tracing::debug!(error = %error, delay_ms = delay.as_millis() as u64, "retrying");
                            last_error = Some(error);
                            tokio::time::sleep(delay).await;
                        }
                        Wait::TooLong(delay) => {
                            tracing::debug!(error = %error, retry_after_s = delay.as_secs(), "server asks to wait too long; giving up");
                            return Err(error);
                        }
                    }
                }
            }
        }
    }
}

/// Records a field of the call's span, when it is enabled.
fn record(span: &tracing::Span, field: &str, value: u64) {
    if !span.is_disabled() {
        span.record(field, value);
    }
}

/// Sends one request; reads a success body (when asked) and an error body,
/// both at most `limit` bytes. With `redirect_answers`, a 3xx (which that
/// operation's client did not follow) is the answer, never retried. With
/// `follow`, the runtime follows redirects (`http` does not), dropping
/// those credential headers on a hop to another origin, by that deadline.
/// With `hops_known`, a transport failure of no redirect is of `request`
/// itself (else reqwest may have followed some).
#[allow(clippy::too_many_arguments)]
async fn attempt(
    http: &reqwest::Client,
    request: Request,
    redirect_answers: bool,
    follow: Option<(&[HeaderName], Option<Instant>)>,
    hops_known: bool,
    mode: Mode,
    limit: u64,
    timeout: Duration,
) -> Attempt {
    let send = async {
        match follow {
            Some((headers, deadline)) => follow::send(http, request, headers, deadline).await,
            None => http
                .execute(request)
                .await
                .map_err(|e| Failure::Transport(e, 0)),
        }
    };
    let sent = if mode == Mode::Events {
        match tokio::time::timeout(timeout, send).await {
            Ok(sent) => sent,
            Err(_) => {
                return Attempt::Failed {
                    error: Error::new(ErrorKind::Timeout, "the request timed out"),
                    retry: Retry::IfIdempotent,
                    headers: None,
                };
            }
        }
    } else {
        send.await
    };
    let mut response = match sent {
        Ok(r) => r,
        Err(Failure::Transport(e, hops)) => {
            return transport_failure(e, hops_known && hops == 0);
        }
        Err(Failure::TooManyRedirects) => return endless_redirects(None),
    };
    let status = response.status();
    let answered = status.is_success()
        || status == StatusCode::SWITCHING_PROTOCOLS
        || (redirect_answers && status.is_redirection());
    if answered {
        if mode != Mode::Read {
            return Attempt::Done(Reply {
                status,
                headers: HeaderMap::new(),
                body: None,
                response: Some(response),
                attempts: 0,
            });
        }
        // Read before taking the headers: a body that breaks off is a
        // transport failure, retried like one.
        return match read_bounded(&mut response, limit).await {
            Ok(body) => Attempt::Done(Reply {
                status,
                headers: std::mem::take(response.headers_mut()),
                body: Some(body),
                response: None,
                attempts: 0,
            }),
            // The server answered: it had the request.
            Err(ReadError::Transport(e)) => transport_failure(e, false),
            Err(ReadError::TooLarge { declared }) => {
                let headers = std::mem::take(response.headers_mut());
                // Dropped unread: the connection closes instead of
                // downloading the rest.
                drop(response);
                too_large(status, headers, declared, limit)
            }
        };
    }
    let headers = std::mem::take(response.headers_mut());
    let body = read_capped(response, limit).await;
    let error = Error::new(ErrorKind::from_status(status), String::new()).with_response(
        status,
        headers.clone(),
        body,
    );
    Attempt::Failed {
        error,
        retry: status_retry(status, &headers),
        headers: Some(headers),
    }
}

/// A success body over the limit: not retried, the same request would get
/// the same body.
fn too_large(status: StatusCode, headers: HeaderMap, declared: Option<u64>, limit: u64) -> Attempt {
    let message = match declared {
        Some(length) => format!(
            "the body is {length} bytes (Content-Length), over the client's \
             max_response_bytes of {limit}; none of it was read"
        ),
        None => format!(
            "the body is longer than the client's max_response_bytes of {limit}; \
             reading stopped there"
        ),
    };
    Attempt::Failed {
        error: Error::new(ErrorKind::ResponseTooLarge, message)
            .with_response(status, headers, None),
        retry: Retry::No,
        headers: None,
    }
}

/// A loop, or more hops than are followed: the same request would meet the
/// same redirects, so it is not retried.
fn endless_redirects(source: Option<reqwest::Error>) -> Attempt {
    let error = Error::new(
        ErrorKind::UnexpectedStatus,
        format!("the redirects did not end (at most {MAX_HOPS} are followed)"),
    );
    Attempt::Failed {
        error: match source {
            Some(e) => error.with_source(e),
            None => error,
        },
        retry: Retry::No,
        headers: None,
    }
}

/// A failure of reqwest's; `first_hop` when it is known to be of the
/// request itself, no response having arrived (not of a redirect's).
fn transport_failure(e: reqwest::Error, first_hop: bool) -> Attempt {
    if e.is_redirect() && !e.is_timeout() {
        return endless_redirects(Some(e));
    }
    // A connection never made (refused, DNS, TLS, a connect timeout)
    // carried no request; a redirect's target's would come after the
    // server acted on it.
    let unprocessed = e.is_connect() && first_hop;
    let retry = if unprocessed {
        Retry::Unprocessed
    } else {
        Retry::IfIdempotent
    };
    let (kind, message) = if e.is_timeout() {
        (ErrorKind::Timeout, "the request timed out")
    } else if e.is_builder() {
        (ErrorKind::InvalidRequest, "the request could not be built")
    } else {
        (ErrorKind::Connection, "the connection failed")
    };
    Attempt::Failed {
        retry: if kind == ErrorKind::InvalidRequest {
            Retry::No
        } else {
            retry
        },
        error: Error::new(kind, message).with_source(e),
        headers: None,
    }
}
