//! When to retry and how long to wait: pure functions, tested without a
//! clock.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Statuses worth another attempt: 408, 409, 429, 500, 502, 503, 504.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500 | 502 | 503 | 504)
}

/// Whether a failed attempt may be sent again, and for which operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Another attempt would fail the same way.
    No,
    /// Transient, but the server may have received the request and acted
    /// on it (a timeout, a 5xx): only an operation that is safe to repeat
    /// is sent again.
    IfIdempotent,
    /// The server provably did not act on the request: the connection was
    /// never made, or it refused the request and said when to come back
    /// (429 or 503 with `Retry-After`). Every operation is sent again.
    Unprocessed,
}

/// How a failed status is retried; `headers` are the response's.
pub(crate) fn status_retry(status: StatusCode, headers: &HeaderMap) -> Retry {
    if !is_retryable_status(status) {
        return Retry::No;
    }
    // A 429 or 503 that names a time to come back is a refusal, not a
    // failure half-way through: RFC 9110 §15.6.4 and RFC 6585 §4 describe
    // both as the server declining to handle the request.
    // Only whether a valid value is there matters, so any `now` will do.
    let refused = matches!(status.as_u16(), 429 | 503)
        && retry_after(headers, SystemTime::UNIX_EPOCH).is_some();
    if refused {
        Retry::Unprocessed
    } else {
        Retry::IfIdempotent
    }
}

/// Backoff between attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// Delay before the first retry.
    pub initial: Duration,
    /// Cap on the exponential delay.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(8),
        }
    }
}

/// The longest server-requested wait the client honours; a server asking
/// for more ends the retries with its error.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// What to do after a retryable failure.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    /// Sleep this long, then try again.
    Retry(Duration),
    /// The server asked for longer than [`MAX_RETRY_AFTER`]: give up.
    TooLong(Duration),
}

impl Backoff {
    /// The delay before retry number `retry` (1 for the first), with
    /// `jitter` in `[0, 1)` taking off up to 25 %.
    pub(crate) fn delay(&self, retry: u32, jitter: f64) -> Duration {
        let exp = retry.saturating_sub(1).min(30);
        let base = self.initial.saturating_mul(1u32 << exp).min(self.max);
        base.mul_f64(1.0 - 0.25 * jitter.clamp(0.0, 1.0))
    }

    /// The wait before retry number `retry`, honouring the server's
    /// `retry-after-ms` or `Retry-After` (seconds or HTTP date) headers.
    pub(crate) fn wait(&self, retry: u32, headers: Option<&HeaderMap>, now: SystemTime) -> Wait {
        match headers.and_then(|h| retry_after(h, now)) {
            Some(d) if d > MAX_RETRY_AFTER => Wait::TooLong(d),
            Some(d) => Wait::Retry(d),
            None => Wait::Retry(self.delay(retry, jitter())),
        }
    }
}

/// The server-requested delay, if any header states one validly.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    // A server may send anything: out-of-range numbers must not panic, so
    // values are clamped to a billion seconds (far past MAX_RETRY_AFTER).
    let seconds = |secs: f64| Duration::try_from_secs_f64(secs.min(1e9)).ok();
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return seconds(ms / 1000.0);
    }
    let value = header("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| seconds(secs))
            .flatten();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A number in `[0, 1)`, different on every call; good enough for jitter.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn exponential_from_half_a_second_capped_at_eight() {
        let b = Backoff::default();
        let delays: Vec<Duration> = (1..=7).map(|r| b.delay(r, 0.0)).collect();
        assert_eq!(
            delays,
            [
                ms(500),
                ms(1000),
                ms(2000),
                ms(4000),
                ms(8000),
                ms(8000),
                ms(8000)
            ]
        );
        assert_eq!(b.delay(1000, 0.0), ms(8000));
    }

    #[test]
    fn jitter_takes_off_at_most_a_quarter() {
        let b = Backoff::default();
        assert_eq!(b.delay(2, 1.0), ms(750));
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
            let d = b.delay(3, j);
            assert!(d > ms(1500) && d <= ms(2000), "{d:?}");
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn honours_retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "50")]), now),
            Some(ms(50))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "2")]), now),
            Some(ms(2000))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "0.5")]), now),
            Some(ms(500))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(
            retry_after(&headers(&[("retry-after", &date)]), now),
            Some(ms(7000))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(
            retry_after(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
        // retry-after-ms wins over Retry-After; garbage is ignored.
        assert_eq!(
            retry_after(
                &headers(&[("retry-after-ms", "10"), ("retry-after", "3")]),
                now
            ),
            Some(ms(10))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "-1")]), now), None);
        // Absurd values are clamped, never a panic.
        let huge = Some(Duration::from_secs(1_000_000_000));
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "1e300")]), now),
            huge
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "1e300")]), now),
            huge
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "NaN")]), now),
            None
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "inf")]), now), None);
    }

    #[test]
    fn gives_up_when_asked_to_wait_over_a_minute() {
        let b = Backoff::default();
        let now = SystemTime::now();
        assert_eq!(
            b.wait(1, Some(&headers(&[("retry-after", "61")])), now),
            Wait::TooLong(Duration::from_secs(61))
        );
        assert_eq!(
            b.wait(1, Some(&headers(&[("retry-after", "60")])), now),
            Wait::Retry(Duration::from_secs(60))
        );
        assert!(matches!(b.wait(1, None, now), Wait::Retry(d) if d <= ms(500) && d > ms(374)));
    }

    #[test]
    fn only_a_refusal_with_retry_after_is_unprocessed() {
        let none = HeaderMap::new();
        let after = headers(&[("retry-after", "1")]);
        let after_ms = headers(&[("retry-after-ms", "20")]);
        let date = headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]);
        let garbage = headers(&[("retry-after", "soon")]);
        let status = |s: u16| StatusCode::from_u16(s).unwrap();
        for s in [429, 503] {
            for h in [&after, &after_ms, &date] {
                assert_eq!(status_retry(status(s), h), Retry::Unprocessed, "{s}");
            }
            for h in [&none, &garbage] {
                assert_eq!(status_retry(status(s), h), Retry::IfIdempotent, "{s}");
            }
        }
        for s in [408, 409, 500, 502, 504] {
            assert_eq!(status_retry(status(s), &after), Retry::IfIdempotent, "{s}");
        }
        for s in [400, 404, 422, 501] {
            assert_eq!(status_retry(status(s), &after), Retry::No, "{s}");
        }
    }

    #[test]
    fn retryable_statuses() {
        let retryable: Vec<u16> = (100..600)
            .filter(|s| is_retryable_status(StatusCode::from_u16(*s).unwrap()))
            .collect();
        assert_eq!(retryable, [408, 409, 429, 500, 502, 503, 504]);
    }
}
