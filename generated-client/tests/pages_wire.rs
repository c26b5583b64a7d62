//! The runtime's paginator on the wire, against real servers on
//! 127.0.0.1 (httpmock, and the scripted `wire` server where the answers
//! to one path must change from request to request).
//!
//! Each test describes a list operation as the generated `pagination`
//! table would ([`Pagination`]) and builds its first request as a
//! generated builder does; the client is alakazam-client's own, holding a
//! secret key that a bearer scheme sends. What the tests prove: each page
//! is requested only when asked for, with the call's credentials, options
//! and retries; every pattern finds its next page and its end; errors are
//! the last item; a next page on another origin is never requested.

mod fast_client;
mod wire;

use std::time::Duration;

use alakazam_client::ErrorKind;
use alakazam_client::runtime::{
    ClientInfo, Items, KeyKind, Next, Operation, Pages, Pagination, Param, RequestOptions,
    SchemeKind, SecurityScheme,
};
use httpmock::prelude::*;
use serde_json::{Value, json};
use wire::{Answer, Wire};

static BEARER: SecurityScheme = SecurityScheme {
    name: "bearer",
    kind: SchemeKind::Bearer,
    keys: &[KeyKind::Secret],
};

static LIST: Operation = Operation {
    id: "listThings",
    method: "GET",
    path: "/things",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    security: &[&[&BEARER]],
    idempotent: true,
    idempotency_key: None,
    request_id_header: None,
};

/// Search by `POST` with the cursor in the JSON body (as Plaid pages).
static SEARCH: Operation = Operation {
    id: "searchThings",
    method: "POST",
    path: "/things/search",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    security: &[&[&BEARER]],
    idempotent: true,
    idempotency_key: None,
    request_id_header: None,
};

const KEY: &str = "sk_test_pages";
const BEARER_VALUE: &str = "Bearer sk_test_pages";

fn client(base_url: String) -> alakazam_client::Client {
    fast_client::builder(base_url, KEY)
        .max_retries(2)
        .build()
        .unwrap()
}

/// The first request of `GET /things?<query>`, as a builder makes it.
fn get(client: &alakazam_client::Client, query: &str) -> reqwest::Request {
    let url = format!("{}/things{query}", client.baseurl());
    client.client().get(url).build().unwrap()
}

fn pages<'a>(
    client: &'a alakazam_client::Client,
    pagination: &'static Pagination,
    first: reqwest::Request,
) -> Pages<'a, Value> {
    Pages::new(client, &LIST, pagination, RequestOptions::new(), Ok(first))
}

/// Every item of the stream, errors included.
async fn drain<I: serde::de::DeserializeOwned>(
    mut items: Items<'_, I>,
) -> Vec<Result<I, alakazam_client::Error>> {
    let mut all = Vec::new();
    while let Some(item) = items.next_item().await {
        all.push(item);
    }
    all
}

fn ids(items: Vec<Result<Value, alakazam_client::Error>>) -> Vec<i64> {
    items
        .into_iter()
        .map(|i| i.unwrap()["id"].as_i64().unwrap())
        .collect()
}

static TOKEN: Pagination = Pagination {
    items: &["items"],
    has_more: None,
    next: Next::Cursor {
        from: &["nextPageToken"],
        to: Param::Query("pageToken"),
    },
};

/// Three pages by a cursor that ends: the token of each page is the next
/// request's `pageToken`, the other parameters kept; the third page has
/// no token and ends the stream. Every page carries the key.
#[tokio::test]
async fn a_cursor_walks_three_pages_and_ends() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (token, body) in [
        (
            None,
            json!({"items": [{"id": 1}, {"id": 2}], "nextPageToken": "b"}),
        ),
        (
            Some("b"),
            json!({"items": [{"id": 3}], "nextPageToken": "c"}),
        ),
        (
            Some("c"),
            json!({"items": [{"id": 4}], "nextPageToken": ""}),
        ),
    ] {
        mocks.push(
            server
                .mock_async(|when, then| {
                    let when = when
                        .path("/things")
                        .query_param("filter", "a b")
                        .header("authorization", BEARER_VALUE);
                    match token {
                        Some(token) => when.query_param("pageToken", token),
                        None => when.query_param_missing("pageToken"),
                    };
                    then.status(200).json_body(body);
                })
                .await,
        );
    }
    let c = client(server.base_url());
    let items = pages(&c, &TOKEN, get(&c, "?filter=a%20b")).items::<Value>();
    assert_eq!(ids(drain(items).await), [1, 2, 3, 4]);
    for mock in &mocks {
        assert_eq!(mock.calls_async().await, 1);
    }
}

/// `pages()` keeps each page's status and headers, and fetches a page
/// only when asked for: after the first page, one request was sent.
#[tokio::test]
async fn pages_are_fetched_one_at_a_time_with_status_and_headers() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/things").query_param_missing("pageToken");
            then.status(200)
                .header("x-request-id", "req-1")
                .json_body(json!({"items": [{"id": 1}], "nextPageToken": "b"}));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path("/things").query_param("pageToken", "b");
            then.status(200).json_body(json!({"items": [{"id": 2}]}));
        })
        .await;
    let c = client(server.base_url());
    let mut pages = pages(&c, &TOKEN, get(&c, ""));
    let page = pages.next_page().await.unwrap().unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["x-request-id"], "req-1");
    assert_eq!(page.into_inner()["items"][0]["id"], 1);
    assert_eq!(
        (first.calls_async().await, second.calls_async().await),
        (1, 0)
    );
    let page = pages.next_page().await.unwrap().unwrap();
    assert_eq!(page.into_inner()["items"][0]["id"], 2);
    assert!(pages.next_page().await.is_none());
    assert!(pages.next_page().await.is_none());
    assert_eq!(second.calls_async().await, 1);
}

/// An empty first page: no item, one request.
#[tokio::test]
async fn an_empty_first_page_has_no_items() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/things");
            then.status(200).json_body(json!({"items": []}));
        })
        .await;
    let c = client(server.base_url());
    static OFFSET: Pagination = Pagination {
        items: &["items"],
        has_more: None,
        next: Next::Offset {
            to: Param::Query("offset"),
            limit: Some(Param::Query("limit")),
        },
    };
    assert!(
        drain(pages(&c, &OFFSET, get(&c, "?limit=2")).items::<Value>())
            .await
            .is_empty()
    );
    // The array left out altogether is an empty page too.
    assert!(
        drain(pages(&c, &TOKEN, get(&c, "")).items::<Value>())
            .await
            .is_empty()
    );
    assert_eq!(mock.calls_async().await, 2);
}

/// Offset and limit: the offset grows by the items received; a page with
/// fewer items than the limit is the last.
#[tokio::test]
async fn offset_and_limit_end_on_a_short_page() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (offset, ids) in [
        (None, vec![1, 2]),
        (Some("2"), vec![3, 4]),
        (Some("4"), vec![5]),
    ] {
        let items: Vec<Value> = ids.into_iter().map(|id| json!({"id": id})).collect();
        mocks.push(
            server
                .mock_async(|when, then| {
                    let when = when.path("/things").query_param("limit", "2");
                    match offset {
                        Some(offset) => when.query_param("offset", offset),
                        None => when.query_param_missing("offset"),
                    };
                    then.status(200).json_body(json!(items));
                })
                .await,
        );
    }
    static OFFSET: Pagination = Pagination {
        items: &[],
        has_more: None,
        next: Next::Offset {
            to: Param::Query("offset"),
            limit: Some(Param::Query("limit")),
        },
    };
    let c = client(server.base_url());
    let items = pages(&c, &OFFSET, get(&c, "?limit=2")).items::<Value>();
    assert_eq!(ids(drain(items).await), [1, 2, 3, 4, 5]);
    for mock in &mocks {
        assert_eq!(mock.calls_async().await, 1);
    }
}

/// Page numbers from 1, without a limit: the empty page ends the walk;
/// `has_more: false` ends it too, before the empty page.
#[tokio::test]
async fn page_numbers_end_on_an_empty_page_or_has_more_false() {
    let server = MockServer::start_async().await;
    for (page, body) in [
        (None, json!({"data": [{"id": 1}]})),
        (
            Some("2"),
            json!({"data": [{"id": 2}], "meta": {"more": true}}),
        ),
        (
            Some("3"),
            json!({"data": [{"id": 3}], "meta": {"more": false}}),
        ),
        (Some("4"), json!({"data": []})),
    ] {
        server
            .mock_async(|when, then| {
                let when = when.path("/things");
                match page {
                    Some(page) => when.query_param("page", page),
                    None => when.query_param_missing("page"),
                };
                then.status(200).json_body(body);
            })
            .await;
    }
    static NUMBERS: Pagination = Pagination {
        items: &["data"],
        has_more: None,
        next: Next::PageNumber {
            to: Param::Query("page"),
            limit: None,
            start: 1,
        },
    };
    static NUMBERS_MORE: Pagination = Pagination {
        has_more: Some(&["meta", "more"]),
        ..NUMBERS
    };
    let c = client(server.base_url());
    let all = pages(&c, &NUMBERS, get(&c, "")).items::<Value>();
    assert_eq!(ids(drain(all).await), [1, 2, 3]);
    let until_more = pages(&c, &NUMBERS_MORE, get(&c, "")).items::<Value>();
    assert_eq!(ids(drain(until_more).await), [1, 2, 3]);
}

/// GitHub's `Link` header: absolute and relative `rel="next"` targets on
/// the call's origin are followed with the key; the last page has no next.
#[tokio::test]
async fn link_headers_are_followed_on_the_same_origin() {
    let server = MockServer::start_async().await;
    let next2 = format!(
        "<{}/things?page=2>; rel=\"next\", <{}/things?page=3>; rel=\"last\"",
        server.base_url(),
        server.base_url()
    );
    server
        .mock_async(|when, then| {
            when.path("/things").query_param_missing("page");
            then.status(200)
                .header("link", next2.as_str())
                .json_body(json!([{"id": 1}]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/things")
                .query_param("page", "2")
                .header("authorization", BEARER_VALUE);
            then.status(200)
                .header("link", "</things?page=3>; rel=\"next\"; title=\"a, b\"")
                .json_body(json!([{"id": 2}]));
        })
        .await;
    let last = server
        .mock_async(|when, then| {
            when.path("/things").query_param("page", "3");
            then.status(200)
                .header("link", "</things?page=1>; rel=\"first\"")
                .json_body(json!([{"id": 3}]));
        })
        .await;
    static LINK: Pagination = Pagination {
        items: &[],
        has_more: None,
        next: Next::LinkHeader,
    };
    let c = client(server.base_url());
    let items = pages(&c, &LINK, get(&c, "")).items::<Value>();
    assert_eq!(ids(drain(items).await), [1, 2, 3]);
    assert_eq!(last.calls_async().await, 1);
}

/// A next page on another origin (another port of 127.0.0.1) is not
/// requested: the items before it, then an `InvalidResponse` error, then
/// nothing; the other server saw no request, so no key.
#[tokio::test]
async fn a_next_link_to_another_origin_is_not_followed() {
    let server = MockServer::start_async().await;
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!([]));
        })
        .await;
    let link = format!("<{}/things?page=2>; rel=\"next\"", elsewhere.base_url());
    server
        .mock_async(|when, then| {
            when.path("/things");
            then.status(200)
                .header("link", link.as_str())
                .json_body(json!({"_embedded": {"things": [{"id": 1}]}, "_links": {"next": {"href": format!("{}/things?page=2", elsewhere.base_url())}}}));
        })
        .await;
    static LINK: Pagination = Pagination {
        items: &[],
        has_more: None,
        next: Next::LinkHeader,
    };
    static HAL: Pagination = Pagination {
        items: &["_embedded", "things"],
        has_more: None,
        next: Next::NextUrl {
            from: &["_links", "next", "href"],
        },
    };
    let c = client(server.base_url());
    // By the `Link` header: the first page, then the refusal.
    let mut link_pages = pages(&c, &LINK, get(&c, ""));
    assert!(link_pages.next_page().await.unwrap().is_ok());
    let err = link_pages.next_page().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert!(err.to_string().contains("another origin"), "{err}");
    assert!(link_pages.next_page().await.is_none());
    // By the URL in the body: the first page's item, then the refusal.
    let all = drain(pages(&c, &HAL, get(&c, "")).items::<Value>()).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].as_ref().unwrap()["id"], 1);
    let err = all[1].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert_eq!(stolen.calls_async().await, 0);
}

/// A next URL in the body (HAL's `_links.next.href`, relative here), on
/// the same origin: followed until the page has none.
#[tokio::test]
async fn a_next_url_in_the_body_is_followed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/things").query_param_missing("cursor");
            then.status(200).json_body(json!({
                "_embedded": {"things": [{"id": 1}]},
                "_links": {"next": {"href": "/things?cursor=x"}}
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/things").query_param("cursor", "x");
            then.status(200).json_body(json!({
                "_embedded": {"things": [{"id": 2}]},
                "_links": {"next": null}
            }));
        })
        .await;
    static HAL: Pagination = Pagination {
        items: &["_embedded", "things"],
        has_more: None,
        next: Next::NextUrl {
            from: &["_links", "next", "href"],
        },
    };
    let c = client(server.base_url());
    assert_eq!(
        ids(drain(pages(&c, &HAL, get(&c, "")).items()).await),
        [1, 2]
    );
}

/// Stripe's `has_more` + the last item's id as `starting_after`.
#[tokio::test]
async fn has_more_and_the_last_id_page_like_stripe() {
    let server = MockServer::start_async().await;
    for (after, body) in [
        (
            None,
            json!({"data": [{"id": "a"}, {"id": "b"}], "has_more": true}),
        ),
        (Some("b"), json!({"data": [{"id": "c"}], "has_more": false})),
    ] {
        server
            .mock_async(|when, then| {
                let when = when.path("/things");
                match after {
                    Some(after) => when.query_param("starting_after", after),
                    None => when.query_param_missing("starting_after"),
                };
                then.status(200).json_body(body);
            })
            .await;
    }
    static STRIPE: Pagination = Pagination {
        items: &["data"],
        has_more: Some(&["has_more"]),
        next: Next::LastItem {
            field: &["id"],
            to: Param::Query("starting_after"),
        },
    };
    #[derive(serde::Deserialize)]
    struct Thing {
        id: String,
    }
    let c = client(server.base_url());
    let got: Vec<String> = drain(pages(&c, &STRIPE, get(&c, "")).items::<Thing>())
        .await
        .into_iter()
        .map(|t| t.unwrap().id)
        .collect();
    assert_eq!(got, ["a", "b", "c"]);
}

/// A cursor in the JSON body of a `POST`, nested (`options.cursor`), fed
/// from a nested field of the page (`next_page.cursor`); the rest of the
/// body is sent unchanged.
#[tokio::test]
async fn a_cursor_in_the_request_body() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/things/search")
                .json_body(json!({"query": "q"}));
            then.status(200)
                .json_body(json!({"items": [{"id": 1}], "next_page": {"cursor": 7}}));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/things/search")
                .json_body(json!({"query": "q", "options": {"cursor": 7}}));
            then.status(200)
                .json_body(json!({"items": [{"id": 2}], "next_page": null}));
        })
        .await;
    static BODY: Pagination = Pagination {
        items: &["items"],
        has_more: None,
        next: Next::Cursor {
            from: &["next_page", "cursor"],
            to: Param::Body(&["options", "cursor"]),
        },
    };
    let c = client(server.base_url());
    let request = c
        .client()
        .post(format!("{}/things/search", c.baseurl()))
        .header("content-type", "application/json")
        .body(r#"{"query":"q"}"#)
        .build()
        .unwrap();
    let items = Pages::<Value>::new(&c, &SEARCH, &BODY, RequestOptions::new(), Ok(request));
    assert_eq!(ids(drain(items.items()).await), [1, 2]);
    assert_eq!(
        (first.calls_async().await, second.calls_async().await),
        (1, 1)
    );
}

/// An error on page two (a 404, not retried): the first page's items,
/// then the error with its status, then the end.
#[tokio::test]
async fn an_error_on_page_two_is_the_last_item() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/things").query_param_missing("pageToken");
            then.status(200)
                .json_body(json!({"items": [{"id": 1}, {"id": 2}], "nextPageToken": "b"}));
        })
        .await;
    let gone = server
        .mock_async(|when, then| {
            when.path("/things").query_param("pageToken", "b");
            then.status(404)
                .json_body(json!({"error": "cursor expired"}));
        })
        .await;
    let c = client(server.base_url());
    let all = drain(pages(&c, &TOKEN, get(&c, "")).items::<Value>()).await;
    assert_eq!(all.len(), 3);
    assert!(all[0].is_ok() && all[1].is_ok());
    let err = all[2].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.operation(), Some("listThings"));
    assert_eq!(err.body_json().unwrap()["error"], "cursor expired");
    assert_eq!(gone.calls_async().await, 1);
}

/// A retry mid-stream: page two fails with a 503 once, is sent again
/// (the call's retries apply to every page) and the walk goes on.
#[tokio::test]
async fn a_failed_page_is_retried_mid_stream() {
    let page = |body: Value| Answer::Whole(200, "application/json", body.to_string().into_bytes());
    let wire = Wire::start(vec![
        page(json!({"items": [{"id": 1}], "nextPageToken": "b"})),
        Answer::Whole(503, "application/json", b"{}".to_vec()),
        page(json!({"items": [{"id": 2}], "nextPageToken": "c"})),
        page(json!({"items": [{"id": 3}]})),
    ])
    .await;
    let c = client(wire.base_url());
    let items = pages(&c, &TOKEN, get(&c, "")).items::<Value>();
    assert_eq!(ids(drain(items).await), [1, 2, 3]);
    let targets: Vec<String> = wire.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/things",
            "/things?pageToken=b",
            "/things?pageToken=b",
            "/things?pageToken=c"
        ]
    );
    for request in wire.requests() {
        assert_eq!(request.header("authorization"), Some(BEARER_VALUE));
    }
}

/// The call's options go with every page (an extra header here), and
/// `max_pages` stops the walk however many pages the server has.
#[tokio::test]
async fn options_apply_to_every_page_and_max_pages_stops() {
    let server = MockServer::start_async().await;
    // Every page leads to the next, forever.
    let endless = server
        .mock_async(|when, then| {
            when.path("/things").header("x-tenant", "t1");
            then.status(200)
                .json_body(json!({"items": [{"id": 1}], "nextPageToken": "more"}));
        })
        .await;
    static NUMBERS: Pagination = Pagination {
        items: &["items"],
        has_more: None,
        next: Next::PageNumber {
            to: Param::Query("page"),
            limit: None,
            start: 1,
        },
    };
    let c = client(server.base_url());
    let options = RequestOptions::new().header("x-tenant", "t1");
    let items = Pages::<Value>::new(&c, &LIST, &NUMBERS, options, Ok(get(&c, "")))
        .max_pages(3)
        .items::<Value>();
    assert_eq!(drain(items).await.len(), 3);
    assert_eq!(endless.calls_async().await, 3);
    // A server that repeats the cursor it was sent ends the walk.
    let repeated = drain(pages(&c, &TOKEN, get(&c, "?pageToken=more")).items::<Value>());
    let _ = tokio::time::timeout(Duration::from_secs(5), repeated)
        .await
        .expect("a repeated cursor ends the walk");
}

/// A first request that could not be built (a required parameter unset)
/// is the stream's only item; nothing is sent.
#[tokio::test]
async fn a_request_that_cannot_be_built_is_the_only_item() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!([]));
        })
        .await;
    let c = client(server.base_url());
    let failed = alakazam_client::Error::invalid_request("id was not set".into());
    let items = Pages::<Value>::new(&c, &LIST, &TOKEN, RequestOptions::new(), Err(failed));
    let all = drain(items.items::<Value>()).await;
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0].as_ref().unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    assert_eq!(any.calls_async().await, 0);
}

// The generated client of `codegen/tests/fixtures/pagination.yaml`
// (`pages_client/mod.rs`, kept fresh by codegen's
// `patch_wire_client_is_fresh` test): `pages()` and `stream()` on the
// builders of its list operations, typed by the items' schema.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod pages_client;

fn fixture(server: &MockServer) -> pages_client::Client {
    let base = client(server.base_url());
    fast_client::fixture_client!(pages_client, server.base_url(), &base)
}

/// `listRepos` (the `Link` header, inferred): three pages, typed items,
/// the builder's parameters on the first request and the server's links
/// after it.
#[tokio::test]
async fn a_generated_builder_streams_typed_items_by_link_header() {
    let server = MockServer::start_async().await;
    for (page, next) in [(None, Some("2")), (Some("2"), Some("3")), (Some("3"), None)] {
        let link = next.map(|n| format!("</repos?per_page=1&page={n}>; rel=\"next\""));
        server
            .mock_async(|when, then| {
                // The fixture declares no security: no key is sent.
                let when = when.path("/repos").query_param("per_page", "1");
                match page {
                    Some(page) => when.query_param("page", page),
                    None => when.query_param_missing("page"),
                };
                let mut then = then.status(200);
                if let Some(link) = &link {
                    then = then.header("link", link.as_str());
                }
                then.json_body(json!([{"id": page.unwrap_or("1"), "text": "t"}]));
            })
            .await;
    }
    let c = fixture(&server);
    let mut notes = c.list_repos().per_page(1).stream();
    let mut ids = Vec::new();
    while let Some(note) = notes.next_item().await {
        let note: pages_client::types::Note = note.unwrap();
        ids.push(note.id.unwrap());
    }
    assert_eq!(ids, ["1", "2", "3"]);
}

/// `searchNotes` (`x-pagination`, a cursor in the JSON body): the body
/// the builder made, then the same with `options.cursor`; `pages()`
/// decodes each page into the response type.
#[tokio::test]
async fn a_generated_search_pages_by_a_body_cursor() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/notes/search")
                .json_body(json!({"query": "milk"}));
            then.status(200)
                .json_body(json!({"results": [{"id": "a"}], "next_cursor": "c2"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/notes/search")
                .json_body(json!({"query": "milk", "options": {"cursor": "c2"}}));
            then.status(200)
                .json_body(json!({"results": [{"id": "b"}], "next_cursor": null}));
        })
        .await;
    let c = fixture(&server);
    let body = pages_client::types::SearchNotesBody::builder().query(String::from("milk"));
    let mut pages = c.search_notes().body(body).pages();
    let mut ids = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page: pages_client::types::SearchNotesResponse = page.unwrap().into_inner();
        ids.extend(page.results.into_iter().filter_map(|n| n.id));
    }
    assert_eq!(ids, ["a", "b"]);
}

/// `listNotes`: its query parameter `stream` keeps its wire name under
/// the setter `stream_query` (the builder's `stream()` keeps its name),
/// and is sent on every page with the cursor from `meta.next`.
#[tokio::test]
async fn a_parameter_named_stream_is_sent_on_every_page() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/notes")
                .query_param("stream", "true")
                .query_param_missing("cursor");
            then.status(200)
                .json_body(json!({"data": [{"id": "a"}], "meta": {"next": "n2"}}));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path("/notes")
                .query_param("stream", "true")
                .query_param("cursor", "n2");
            then.status(200)
                .json_body(json!({"data": [{"id": "b"}], "meta": {"next": null}}));
        })
        .await;
    let c = fixture(&server);
    let all = drain(c.list_notes().stream_query(true).stream()).await;
    let ids: Vec<String> = all.into_iter().map(|n| n.unwrap().id.unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        (first.calls_async().await, second.calls_async().await),
        (1, 1)
    );
}

/// `listDatadog` (Datadog's own `x-pagination`, page numbers from 0):
/// the first request leaves the page out, the next ones count from 1; a
/// page shorter than `page_size` is the last.
#[tokio::test]
async fn datadogs_page_numbers_start_at_zero() {
    let server = MockServer::start_async().await;
    for (page, ids) in [(None, vec!["a", "b"]), (Some("1"), vec!["c"])] {
        let tests: Vec<Value> = ids.into_iter().map(|id| json!({"id": id})).collect();
        server
            .mock_async(|when, then| {
                let when = when.path("/datadog").query_param("page_size", "2");
                match page {
                    Some(page) => when.query_param("page_number", page),
                    None => when.query_param_missing("page_number"),
                };
                then.status(200).json_body(json!({"tests": tests}));
            })
            .await;
    }
    let c = fixture(&server);
    let all = drain(c.list_datadog().page_size(2).stream()).await;
    let ids: Vec<String> = all.into_iter().map(|n| n.unwrap().id.unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

/// `listHal` (`application/hal+json`, `_links.next.href`): every page asks
/// for the media type the spec documents, as `send()` does (a mock that
/// cannot produce `application/json` answers 406 otherwise).
#[tokio::test]
async fn every_page_accepts_the_documented_media_type() {
    let server = MockServer::start_async().await;
    let next = format!("{}/hal?after=1", server.base_url());
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/hal")
                .query_param_missing("after")
                .header("accept", "application/hal+json");
            then.status(200)
                .header("content-type", "application/hal+json")
                .json_body(json!({
                    "_embedded": {"notes": [{"id": "1"}]},
                    "_links": {"next": {"href": next}}
                }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/hal")
                .query_param("after", "1")
                .header("accept", "application/hal+json");
            then.status(200)
                .header("content-type", "application/hal+json")
                .json_body(json!({"_embedded": {"notes": [{"id": "2"}]}}));
        })
        .await;
    let client = fixture(&server);
    let mut notes = client.list_hal().stream();
    let mut ids = Vec::new();
    while let Some(note) = notes.next_item().await {
        ids.push(note.unwrap().id.unwrap());
    }
    assert_eq!(ids, ["1", "2"]);
}
