//! Redirects followed by the runtime, for the calls whose credentials
//! reqwest's own follower would carry to another origin.
//!
//! On a hop to another origin (scheme, host or port) reqwest removes
//! `Authorization`, `Cookie`, `Proxy-Authorization` and `WWW-Authenticate`,
//! but keeps every other header, an `apiKey` header such as `X-Api-Key`
//! included, and sets `Referer` to the previous URL, which holds a query
//! key. Its policy belongs to the `Client`, and a `redirect::Policy::custom`
//! sees only URLs: it could stop at such a hop, handing the caller a 3xx
//! its operation does not document, but not drop the header and go on.
//! So these calls go through the client that does not follow
//! ([`Unfollowed`](super::Unfollowed)) and this loop follows as reqwest
//! would (at most [`MAX_HOPS`], the same method changes), without the
//! credentials once the origin changed and without `Referer`: the call
//! lands where it would have, only the secret stays home.

use std::time::Instant;

use reqwest::header::{
    AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderName, LOCATION,
    PROXY_AUTHORIZATION, TRANSFER_ENCODING, WWW_AUTHENTICATE,
};
use reqwest::{Method, Request, Response, StatusCode, Url};

/// reqwest's default limit, so that following does not change with who
/// follows.
pub(super) const MAX_HOPS: usize = 10;

/// Why following stopped without a response.
pub(super) enum Failure {
    /// reqwest's error, and how many redirects had been followed: after
    /// one, the server has answered the request.
    Transport(reqwest::Error, usize),
    /// More than [`MAX_HOPS`] redirects (a loop, most likely).
    TooManyRedirects,
}

/// Sends `request` with `http` (which must not follow redirects itself)
/// and follows the redirects it meets. A hop to another origin drops
/// `credential_headers` and what reqwest drops, for that hop and every
/// later one. With `deadline`, every hop is sent with the time left, so
/// that the client's timeout covers the whole chain as reqwest's does;
/// without, each hop keeps the timeout of the first (an event stream's).
pub(super) async fn send(
    http: &reqwest::Client,
    mut request: Request,
    credential_headers: &[HeaderName],
    deadline: Option<Instant>,
) -> Result<Response, Failure> {
    let mut hops = 0;
    loop {
        // Kept to build the next hop: a request is consumed by sending it.
        // `None` is a streamed body, which cannot be sent twice.
        // (`Body::try_clone` is private; the request's copies the bytes'
        // handle, not the bytes.)
        let body = request.try_clone().map(|mut copy| copy.body_mut().take());
        let (method, url) = (request.method().clone(), request.url().clone());
        let (mut headers, version) = (request.headers().clone(), request.version());
        let timeout = request.timeout().copied();
        let response = http
            .execute(request)
            .await
            .map_err(|e| Failure::Transport(e, hops))?;
        let keeps_body = match response.status() {
            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND => method != Method::POST,
            StatusCode::SEE_OTHER => false,
            StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => true,
            _ => return Ok(response),
        };
        let Some(next_url) = location(&response, &url) else {
            // Nowhere to go: the redirect is what the server answered.
            return Ok(response);
        };
        let body = if keeps_body {
            match body {
                Some(body) => body,
                // 307/308 need the body again: like reqwest, the redirect
                // is the answer.
                None => return Ok(response),
            }
        } else {
            for payload in [
                CONTENT_TYPE,
                CONTENT_LENGTH,
                CONTENT_ENCODING,
                TRANSFER_ENCODING,
            ] {
                headers.remove(payload);
            }
            None
        };
        hops += 1;
        if hops > MAX_HOPS {
            return Err(Failure::TooManyRedirects);
        }
        if !same_origin(&url, &next_url) {
            for name in credential_headers.iter().chain(&ALWAYS_DROPPED) {
                headers.remove(name);
            }
            headers.remove("cookie2");
        }
        let method = match (keeps_body, &method) {
            (true, _) => method,
            (false, &Method::HEAD) => Method::HEAD,
            (false, _) => Method::GET,
        };
        request = Request::new(method, next_url);
        *request.headers_mut() = headers;
        *request.version_mut() = version;
        *request.body_mut() = body;
        *request.timeout_mut() = match deadline {
            Some(deadline) => Some(deadline.saturating_duration_since(Instant::now())),
            None => timeout,
        };
    }
}

/// What reqwest removes on a hop to another origin.
const ALWAYS_DROPPED: [HeaderName; 4] =
    [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, WWW_AUTHENTICATE];

/// The `Location` of a redirect, resolved against the URL that answered;
/// `None` without one, or for one that is not HTTP(S).
fn location(response: &Response, url: &Url) -> Option<Url> {
    let value = response.headers().get(LOCATION)?.to_str().ok()?;
    let next = url.join(value).ok()?;
    matches!(next.scheme(), "http" | "https").then_some(next)
}

/// The comparison reqwest makes: scheme, host and port (the scheme's
/// default when none is written).
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use httpmock::MockServer;
    use reqwest::Body;
    use reqwest::header::HeaderValue;

    use super::*;

    const KEY: HeaderName = HeaderName::from_static("x-api-key");

    fn unfollowing() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A POST with a body and a key, to `url`.
    fn post(url: String, body: Body) -> Request {
        let mut request = Request::new(Method::POST, url.parse().unwrap());
        let headers = request.headers_mut();
        headers.insert(KEY, HeaderValue::from_static("S3CR3T"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        *request.body_mut() = Some(body);
        request
    }

    /// A server that answers `status` with a `Location` of `to`.
    async fn redirecting(status: u16, to: String) -> MockServer {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.path("/from");
                then.status(status).header("location", to);
            })
            .await;
        server
    }

    async fn sent(request: Request, deadline: Option<Instant>) -> Result<Response, Failure> {
        send(&unfollowing(), request, &[KEY], deadline).await
    }

    #[tokio::test]
    async fn a_307_sends_the_method_and_body_again_without_the_key() {
        let other = MockServer::start_async().await;
        let landed = other
            .mock_async(|when, then| {
                when.method("POST")
                    .path("/to")
                    .body("payload")
                    .header("content-type", "text/plain")
                    .header_missing("x-api-key");
                then.status(201);
            })
            .await;
        let first = redirecting(307, other.url("/to")).await;
        let request = post(first.url("/from"), Body::from("payload"));
        let Ok(response) = sent(request, None).await else {
            panic!("not followed");
        };
        assert_eq!(response.status(), 201);
        landed.assert_async().await;
    }

    #[tokio::test]
    async fn a_303_is_a_get_without_the_body_or_its_headers() {
        let server = MockServer::start_async().await;
        let landed = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path("/to")
                    .header_missing("content-type")
                    .header_missing("content-length")
                    // The same origin: the key is still needed there.
                    .header("x-api-key", "S3CR3T")
                    .is_true(|req| req.body_ref().is_empty());
                then.status(200);
            })
            .await;
        server
            .mock_async(|when, then| {
                when.path("/from");
                then.status(303).header("location", "/to");
            })
            .await;
        let request = post(server.url("/from"), Body::from("payload"));
        let Ok(response) = sent(request, None).await else {
            panic!("not followed");
        };
        assert_eq!(response.status(), 200);
        landed.assert_async().await;
    }

    #[tokio::test]
    async fn a_307_of_a_streamed_body_is_the_answer() {
        let other = MockServer::start_async().await;
        let landed = other
            .mock_async(|when, then| {
                when.path("/to");
                then.status(201);
            })
            .await;
        let first = redirecting(307, other.url("/to")).await;
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>("payload")]);
        let request = post(first.url("/from"), Body::wrap_stream(chunks));
        let Ok(response) = sent(request, None).await else {
            panic!("the redirect is not returned");
        };
        assert_eq!(response.status(), 307);
        landed.assert_calls_async(0).await;
    }

    #[tokio::test]
    async fn the_deadline_covers_every_hop() {
        let other = MockServer::start_async().await;
        other
            .mock_async(|when, then| {
                when.path("/to");
                then.status(200).delay(Duration::from_millis(400));
            })
            .await;
        let first = redirecting(302, other.url("/to")).await;
        let request = Request::new(Method::GET, first.url("/from").parse().unwrap());
        let deadline = Instant::now() + Duration::from_millis(150);
        match sent(request, Some(deadline)).await {
            Err(Failure::Transport(e, hops)) => {
                assert!(e.is_timeout(), "{e}");
                assert_eq!(hops, 1);
            }
            Err(Failure::TooManyRedirects) => panic!("not a loop"),
            Ok(response) => panic!("answered {} after the deadline", response.status()),
        }
    }

    fn url(s: &str) -> Url {
        s.parse().unwrap()
    }

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        assert!(same_origin(
            &url("http://a.test/x"),
            &url("http://a.test:80/y?q")
        ));
        assert!(!same_origin(
            &url("http://a.test/"),
            &url("https://a.test/")
        ));
        assert!(!same_origin(&url("http://a.test/"), &url("http://b.test/")));
        assert!(!same_origin(
            &url("http://a.test:8080/"),
            &url("http://a.test:8081/")
        ));
    }
}
