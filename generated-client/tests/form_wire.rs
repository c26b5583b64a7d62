//! Form bodies with nested objects and arrays on the wire: the client
//! generated for `codegen/tests/fixtures/bodies_form.yaml` (`form_client/`,
//! kept fresh by codegen's `patch_wire_client_is_fresh`) against a server
//! on 127.0.0.1; the body is decoded with the `form_urlencoded` crate and
//! compared with what each field's `style`/`explode` means.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod form_client;
mod wire;

use alakazam_client::ErrorKind;
use form_client::types::{Login, SearchBody, SearchBodyFilter, SearchBodyPoint};
use wire::{Answer, Captured, Wire};

fn client(server: &Wire) -> form_client::Client {
    let base = fast_client::builder(server.base_url(), "sk_test_1")
        .build()
        .unwrap();
    fast_client::fixture_client!(form_client, server.base_url(), &base)
}

fn pairs(request: &Captured) -> Vec<(String, String)> {
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    form_urlencoded::parse(&request.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

fn hits() -> Answer {
    Answer::Whole(200, "application/json", b"{\"count\":2}".to_vec())
}

#[tokio::test]
async fn nested_fields_are_written_as_their_encoding_says() {
    let server = Wire::start(vec![
        Answer::Whole(503, "application/json", Vec::new()),
        hits(),
    ])
    .await;
    let words = vec!["hello".to_owned(), "world".to_owned()];
    // pipeDelimited, explode false: one pair, `|`-separated
    let body = SearchBody::new("a&b=c ✨".to_owned(), words)
        // form, explode: false: one pair, comma-separated
        .ids(vec![1, 2, 3])
        // deepObject: filter[color]=…
        .filter(SearchBodyFilter::builder().color("red".to_owned()).size(3))
        // no encoding: an exploded form object is one pair per property
        .point(SearchBodyPoint::builder().x(1).y(-2));
    let hits = client(&server)
        .search()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(hits.count, Some(2));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 503 was retried with the same body");
    let expected = vec![
        pair("filter[color]", "red"),
        pair("filter[size]", "3"),
        pair("ids", "1,2,3"),
        pair("x", "1"),
        pair("y", "-2"),
        pair("query", "a&b=c ✨"),
        pair("words", "hello|world"),
    ];
    for request in &requests {
        assert_eq!(pairs(request), expected);
    }
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn an_array_without_encoding_is_one_pair_per_item() {
    let server = Wire::start(vec![Answer::Whole(204, "application/json", Vec::new())]).await;
    client(&server)
        .post_tags()
        .body(form_client::types::PostTagsBody::new(vec![
            "x".to_owned(),
            "y,z".to_owned(),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pairs(&server.requests()[0]),
        vec![pair("tags", "x"), pair("tags", "y,z")]
    );
}

#[tokio::test]
async fn absent_fields_are_left_out_and_a_flat_body_is_plain_pairs() {
    let server = Wire::start(vec![hits()]).await;
    client(&server)
        .search()
        .body(SearchBody::new("q".to_owned(), vec!["w".to_owned()]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pairs(&server.requests()[0]),
        vec![pair("query", "q"), pair("words", "w")]
    );

    let server = Wire::start(vec![Answer::Whole(204, "application/json", Vec::new())]).await;
    client(&server)
        .login()
        .body(Login::new("p@ss w0rd".to_owned(), "nova".to_owned()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pairs(&server.requests()[0]),
        vec![pair("password", "p@ss w0rd"), pair("user", "nova")]
    );
}

#[tokio::test]
async fn a_body_not_set_is_refused_before_sending() {
    let server = Wire::start(vec![hits()]).await;
    let error = client(&server).search().send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(server.requests().is_empty());
}
