//! Auto-pagination: the pages of a list operation, fetched one at a time
//! as the caller asks for them, and the items of every page.
//!
//! A generated list operation's builder has `pages()` and `stream()`
//! beside `send()`: both build the first page's request as `send()` does,
//! then derive each next request from the previous one and the page it
//! brought (see [`Next`]). Every page is one call of the attempt loop,
//! with the call's options, retries and credentials.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::header::{HeaderMap, LINK};
use reqwest::{Request, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::attempts::execute;
use super::operation::Operation;
use super::options::RequestOptions;
use super::source::Built;
use super::state::ClientState;
use crate::error::{Error, ErrorBody, ErrorKind};

/// How a list operation pages, as the generated `pagination` table
/// describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// The keys that lead from a page's JSON body to its array of items;
    /// empty when the body is the array.
    pub items: &'static [&'static str],
    /// A boolean field of the page (`has_more`, `hasNextPage`): `false`
    /// says it is the last page, whatever else it holds.
    pub has_more: Option<&'static [&'static str]>,
    /// How the next page's request is made.
    pub next: Next,
}

/// How the request of the next page is made from the previous request
/// and its page. Each one also ends the listing on a page that repeats
/// the previous cursor or URL (a server that would loop forever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// A field of the page (`nextPageToken`, `next_page.offset`) sent as
    /// a request parameter: ends when the field is absent, `null` or `""`.
    Cursor {
        /// The keys leading to the cursor in the page's body.
        from: &'static [&'static str],
        /// Where the next request carries it.
        to: Param,
    },
    /// A field of the page's last item (its `id`) sent as a request
    /// parameter (`starting_after`): ends on a page without items.
    LastItem {
        /// The keys leading to the value in the last item.
        field: &'static [&'static str],
        /// Where the next request carries it.
        to: Param,
    },
    /// The parameter `to` counts the items skipped (0 when the first
    /// request does not set it): the next request skips those of this
    /// page too. Ends on a page without items, or with fewer than the
    /// request's `limit`.
    Offset {
        /// The offset parameter.
        to: Param,
        /// The page size parameter, when the operation has one.
        limit: Option<Param>,
    },
    /// The parameter `to` numbers the pages (`start` when the first
    /// request does not set it): the next request asks for the next
    /// number. Ends like [`Offset`](Next::Offset).
    PageNumber {
        /// The page number parameter.
        to: Param,
        /// The page size parameter, when the operation has one.
        limit: Option<Param>,
        /// The number of the first page (usually 1, sometimes 0).
        start: i64,
    },
    /// The response's `Link` header (RFC 8288) names the next page with
    /// `rel="next"` (GitHub): ends when it names none.
    LinkHeader,
    /// A field of the page holds the next page's URL (`next`,
    /// HAL's `_links.next.href`): ends when it is absent, `null` or `""`.
    NextUrl {
        /// The keys leading to the URL in the page's body.
        from: &'static [&'static str],
    },
}

/// A request parameter a page's request sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A query parameter, by its wire name.
    Query(&'static str),
    /// A field of the JSON request body, by the keys that lead to it.
    Body(&'static [&'static str]),
}

/// The pages of a list operation's call, a [`Stream`] of
/// `Result<ResponseValue<T>, Error>` (status and headers kept): made by
/// the generated builder's `pages()`.
///
/// Nothing is sent until the first page is asked for, and each next page
/// only when the caller asks for it; at most one page is held. Each page
/// is one call with the call's options, credentials and retries: a
/// failure that retries cannot cure is the stream's last item. A next
/// page on another origin than the call's (a `Link` or a URL in the body
/// pointing elsewhere) is not requested, with or without the client's
/// credentials: that is an error item of kind
/// [`InvalidResponse`](crate::ErrorKind::InvalidResponse).
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, T> {
    op: &'static Operation,
    state: &'a ClientState,
    pagination: &'static Pagination,
    /// The walk between pages; inside `pending` while a page is fetched,
    /// `None` after the last page or an error.
    walk: Option<Walk<'a>>,
    pending: Option<Pin<Box<dyn Future<Output = Step<'a>> + Send + 'a>>>,
    page: PhantomData<fn() -> T>,
}

/// The items of every page of a list operation's call, a [`Stream`] of
/// `Result<I, Error>`: made by the generated builder's `stream()`, or by
/// [`Pages::items`]. Pages are fetched as the items run out; one page's
/// items are held at a time; errors are items, after which the stream
/// ends.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'a, I> {
    pages: Pages<'a, Value>,
    items: VecDeque<I>,
    done: bool,
}

/// What the walk needs between pages: the call and the next request.
struct Walk<'a> {
    http: &'a reqwest::Client,
    state: &'a ClientState,
    op: &'static Operation,
    pagination: &'static Pagination,
    options: RequestOptions,
    /// The next page's request, or why it cannot be made; `None` at the
    /// end.
    next: Option<Result<Request, Error>>,
    /// The origin of the first request: no page is fetched elsewhere.
    origin: Option<url::Origin>,
    fetched: u32,
    max_pages: Option<u32>,
}

/// One page fetched: the walk, back for the next one, and the page.
type Step<'a> = (Walk<'a>, Option<Result<ResponseValue<Value>, Error>>);

impl<'a, T> Pages<'a, T> {
    /// The pages of the call whose first request is `first` (or why it
    /// could not be built: the stream's only item). Called by generated
    /// builders.
    #[doc(hidden)]
    pub fn new(
        client: &'a impl ClientInfo<ClientState>,
        op: &'static Operation,
        pagination: &'static Pagination,
        options: RequestOptions,
        first: Result<Request, Error>,
    ) -> Pages<'a, T> {
        let origin = first.as_ref().ok().map(|r| r.url().origin());
        Pages {
            op,
            state: client.inner(),
            pagination,
            walk: Some(Walk {
                http: client.client(),
                state: client.inner(),
                op,
                pagination,
                options,
                next: Some(first.map_err(|e| e.with_operation(op.id))),
                origin,
                fetched: 0,
                max_pages: None,
            }),
            pending: None,
            page: PhantomData,
        }
    }

    /// Fetches at most `n` pages (0: none); by default every page.
    pub fn max_pages(mut self, n: u32) -> Pages<'a, T> {
        if let Some(walk) = &mut self.walk {
            walk.max_pages = Some(n);
        }
        self
    }

    /// The items of these pages, of type `I`, one at a time.
    pub fn items<I>(self) -> Items<'a, I> {
        Items {
            pages: Pages {
                op: self.op,
                state: self.state,
                pagination: self.pagination,
                walk: self.walk,
                pending: self.pending,
                page: PhantomData,
            },
            items: VecDeque::new(),
            done: false,
        }
    }

    /// The next page with its body as JSON, fetched when asked for.
    fn poll_raw(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<ResponseValue<Value>, Error>>> {
        if self.pending.is_none() {
            let Some(walk) = self.walk.take() else {
                return Poll::Ready(None);
            };
            self.pending = Some(Box::pin(walk.fetch()));
        }
        let Some(pending) = self.pending.as_mut() else {
            return Poll::Ready(None);
        };
        match pending.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((walk, page)) => {
                self.pending = None;
                // After an error nothing follows: the walk stays taken.
                if matches!(page, Some(Ok(_))) {
                    self.walk = Some(walk);
                }
                Poll::Ready(page)
            }
        }
    }

    /// A page (or its items) that does not decode: the stream's last item.
    fn undecodable(&mut self, page: &RawPage, e: serde_json::Error, what: &str) -> Error {
        self.walk = None;
        let text = page.body.to_string();
        Error::new(
            ErrorKind::InvalidResponse,
            format!("the {what} does not decode: {e}"),
        )
        .with_source(e)
        .with_response(
            page.status,
            page.headers.clone(),
            Some(ErrorBody::capped(text.as_bytes())),
        )
        // serde's message may quote a value of the body.
        .redact(self.state.0.secrets())
        .with_operation(self.op.id)
        .with_request_id_header(self.op.request_id_header)
    }
}

/// A page before it is decoded.
struct RawPage {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl From<ResponseValue<Value>> for RawPage {
    fn from(page: ResponseValue<Value>) -> RawPage {
        let (status, headers) = (page.status(), page.headers().clone());
        RawPage {
            status,
            headers,
            body: page.into_inner(),
        }
    }
}

impl<T: DeserializeOwned> Pages<'_, T> {
    /// The next page, or `None` after the last one: the stream's next
    /// item, without `futures`' `StreamExt`.
    pub async fn next_page(&mut self) -> Option<Result<ResponseValue<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: DeserializeOwned> Stream for Pages<'_, T> {
    type Item = Result<ResponseValue<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let page = match self.poll_raw(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
            Poll::Ready(Some(Ok(page))) => RawPage::from(page),
        };
        Poll::Ready(Some(match T::deserialize(&page.body) {
            Ok(value) => Ok(ResponseValue::new(value, page.status, page.headers)),
            Err(e) => Err(self.undecodable(&page, e, "page")),
        }))
    }
}

// The items are never pinned: they are moved out whole.
impl<I> Unpin for Items<'_, I> {}

impl<I> Items<'_, I> {
    /// Fetches at most `n` pages (0: none); by default every page.
    pub fn max_pages(mut self, n: u32) -> Self {
        self.pages = self.pages.max_pages(n);
        self
    }
}

impl<I: DeserializeOwned> Items<'_, I> {
    /// The next item, or `None` after the last one: the stream's next
    /// item, without `futures`' `StreamExt`.
    pub async fn next_item(&mut self) -> Option<Result<I, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<I: DeserializeOwned> Stream for Items<'_, I> {
    type Item = Result<I, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            let page = match self.pages.poll_raw(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => RawPage::from(page),
            };
            let decoded = match at(&page.body, self.pages.pagination.items) {
                // A page without the array has no items (some APIs leave
                // an empty list out).
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(items) => Vec::<I>::deserialize(items),
            };
            match decoded {
                Ok(items) => self.items.extend(items),
                Err(e) => {
                    self.done = true;
                    let error = self.pages.undecodable(&page, e, "page's items");
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

impl<'a> Walk<'a> {
    /// Fetches the next page and prepares the request of the one after.
    async fn fetch(mut self) -> Step<'a> {
        let Some(next) = self.next.take() else {
            return (self, None);
        };
        if self.max_pages.is_some_and(|max| self.fetched >= max) {
            return (self, None);
        }
        let request = match next {
            Ok(request) => request,
            Err(e) => return (self, Some(Err(e))),
        };
        // The next request is made from this one as the builder made it:
        // the attempt loop adds the credentials to each copy it sends.
        let template = request.try_clone();
        self.fetched += 1;
        let reply = execute(
            self.http,
            self.state,
            self.op,
            &self.options,
            Built::new(request),
            true,
        )
        .await;
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => return (self, Some(Err(e))),
        };
        let (status, headers) = (reply.status, reply.headers);
        let bytes = reply.body.unwrap_or_default();
        let body = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(body) => body,
                Err(e) => {
                    let error = Error::new(
                        ErrorKind::InvalidResponse,
                        format!("the page is not JSON: {e}"),
                    )
                    .with_source(e)
                    .with_response(status, headers, Some(ErrorBody::capped(&bytes)))
                    .redact(self.state.0.secrets())
                    .with_operation(self.op.id)
                    .with_request_id_header(self.op.request_id_header)
                    .with_attempts(reply.attempts);
                    return (self, Some(Err(error)));
                }
            }
        };
        self.next = template.and_then(|t| self.next_request(t, &headers, &body).transpose());
        (self, Some(Ok(ResponseValue::new(body, status, headers))))
    }

    /// The request of the page after `page`, made from the request that
    /// brought it; `None` when `page` is the last.
    fn next_request(
        &self,
        mut request: Request,
        headers: &HeaderMap,
        page: &Value,
    ) -> Result<Option<Request>, Error> {
        let p = self.pagination;
        if p.has_more
            .and_then(|keys| at(page, keys))
            .and_then(Value::as_bool)
            == Some(false)
        {
            return Ok(None);
        }
        let count = match at(page, p.items) {
            Some(Value::Array(items)) => items.len(),
            _ => 0,
        };
        let before = (request.url().clone(), body_bytes(&request));
        match p.next {
            Next::Cursor { from, to } => {
                let Some(cursor) = at(page, from).filter(|v| present(v)) else {
                    return Ok(None);
                };
                set(&mut request, to, cursor.clone())?;
            }
            Next::LastItem { field, to } => {
                let last = match at(page, p.items) {
                    Some(Value::Array(items)) => items.last(),
                    _ => None,
                };
                let Some(value) = last.and_then(|item| at(item, field)).filter(|v| present(v))
                else {
                    return Ok(None);
                };
                set(&mut request, to, value.clone())?;
            }
            Next::Offset { to, limit } | Next::PageNumber { to, limit, .. } => {
                let limit = limit.and_then(|l| number(&request, l));
                if count == 0 || limit.is_some_and(|l| (count as i64) < l) {
                    return Ok(None);
                }
                let next = match p.next {
                    Next::PageNumber { start, .. } => number(&request, to).unwrap_or(start) + 1,
                    _ => number(&request, to).unwrap_or(0) + count as i64,
                };
                set(&mut request, to, Value::from(next))?;
            }
            Next::LinkHeader => {
                let Some(link) = next_link(headers) else {
                    return Ok(None);
                };
                self.go_to(&mut request, &link)?;
            }
            Next::NextUrl { from } => {
                let Some(url) = at(page, from)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                else {
                    return Ok(None);
                };
                self.go_to(&mut request, url)?;
            }
        }
        // A server that answers with the cursor or URL it was just sent
        // would be asked for the same page forever.
        if (request.url().clone(), body_bytes(&request)) == before {
            return Ok(None);
        }
        Ok(Some(request))
    }

    /// Points `request` at the next page's URL, `location` (relative to
    /// the current one, or absolute on the call's origin).
    fn go_to(&self, request: &mut Request, location: &str) -> Result<(), Error> {
        let url = request.url().join(location).map_err(|_| {
            Error::new(
                ErrorKind::InvalidResponse,
                "the next page's URL is not a valid URL",
            )
            .with_operation(self.op.id)
        })?;
        if self.origin.as_ref() != Some(&url.origin()) {
            // The client's credentials are sent to the call's origin only;
            // a listing that continues elsewhere is not silently cut short
            // either.
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                format!(
                    "the next page is on another origin ({}) than the call's; it is not \
                     requested with this client's credentials",
                    url.origin().ascii_serialization()
                ),
            )
            .with_operation(self.op.id));
        }
        *request.url_mut() = url;
        Ok(())
    }
}

/// Whether a cursor is there: not absent, `null` or `""`.
fn present(value: &Value) -> bool {
    !matches!(value, Value::Null) && value.as_str() != Some("")
}

fn body_bytes(request: &Request) -> Option<Bytes> {
    request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .map(Bytes::copy_from_slice)
}

/// The request's JSON body (an empty object when it has none).
fn json_body(request: &Request) -> Result<Value, Error> {
    match request.body().and_then(reqwest::Body::as_bytes) {
        None => Ok(Value::Object(Default::default())),
        Some(bytes) => serde_json::from_slice(bytes).map_err(|_| {
            Error::invalid_request("the list call's body is not JSON: it cannot be paged".into())
        }),
    }
}

/// The number the parameter holds in `request`.
fn number(request: &Request, param: Param) -> Option<i64> {
    match param {
        Param::Query(name) => request
            .url()
            .query_pairs()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.trim().parse().ok()),
        Param::Body(keys) => at(&json_body(request).ok()?, keys).and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        }),
    }
}

/// Sets the parameter to `value` in `request`, replacing what it held.
fn set(request: &mut Request, param: Param, value: Value) -> Result<(), Error> {
    match param {
        Param::Query(name) => {
            let text = match &value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            set_query(request.url_mut(), name, &text);
        }
        Param::Body(keys) => {
            let mut body = json_body(request)?;
            let mut slot = &mut body;
            for key in keys {
                if !slot.is_object() {
                    *slot = Value::Object(Default::default());
                }
                let Value::Object(map) = slot else {
                    unreachable!("made an object above")
                };
                slot = map.entry(key.to_string()).or_insert(Value::Null);
            }
            *slot = value;
            let bytes = serde_json::to_vec(&body).map_err(|e| {
                Error::invalid_request(format!("the next page's body does not serialize: {e}"))
            })?;
            *request.body_mut() = Some(bytes.into());
        }
    }
    Ok(())
}

/// Replaces the query parameter `name` with `name=value`, leaving the
/// others as they were written (their style and encoding).
fn set_query(url: &mut Url, name: &str, value: &str) {
    let kept: Vec<String> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            url::form_urlencoded::parse(key.as_bytes())
                .next()
                .is_none_or(|(k, _)| k != name)
        })
        .map(str::to_owned)
        .collect();
    let added: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish();
    let query = kept
        .into_iter()
        .chain(std::iter::once(added))
        .collect::<Vec<_>>()
        .join("&");
    url.set_query(Some(&query));
}

/// The target of the `Link` header's `rel="next"` (RFC 8288), over every
/// `Link` header of the response.
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|value| {
            links(value)
                .into_iter()
                .find(|(_, rels)| {
                    rels.split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
                })
                .map(|(target, _)| target.to_owned())
        })
}

/// `(target, rel)` of each link of a `Link` value: `<uri>; rel="next"; …`,
/// separated by commas outside the brackets and quotes.
fn links(value: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let target = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        // The parameters run to the next comma outside quotes.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let params = &rest[..end];
        rest = &rest[end..];
        let rel = params.split(';').find_map(|param| {
            let (key, value) = param.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("rel")
                .then(|| value.trim().trim_matches('"'))
        });
        if let Some(rel) = rel {
            found.push((target, rel));
        }
    }
    found
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let walk = self.walk.as_ref();
        f.debug_struct("Pages")
            .field("operation", &self.op.id)
            .field("next", &self.pagination.next)
            .field("fetched", &walk.map(|w| w.fetched))
            .field("max_pages", &walk.and_then(|w| w.max_pages))
            .finish_non_exhaustive()
    }
}

impl<I> fmt::Debug for Items<'_, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.items.len())
            .finish()
    }
}

/// The value the keys lead to.
fn at<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().try_fold(value, |v, key| v.get(key))
}
