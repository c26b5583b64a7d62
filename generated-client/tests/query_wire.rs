//! Query parameters of every style, sent by a generated client to a
//! scripted server on 127.0.0.1 that records the raw request target.
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/realworld_query_styles.yaml` with
//! alakazam-client's runtime (`query_client/mod.rs`, kept fresh by
//! codegen's `query_wire_client_is_fresh` test). The raw queries are
//! asserted byte for byte against OpenAPI's style table (3.0.4
//! §4.7.12.4: delimiters and brackets percent-encoded), then decoded with
//! `form_urlencoded`, as a server would.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod query_client;
mod wire;

use query_client::types;
use wire::{Answer, Wire};

fn client(server: &Wire) -> query_client::Client {
    fast_client::fixture_client!(query_client, server.base_url())
}

async fn server() -> Wire {
    Wire::start(vec![Answer::Whole(
        200,
        "application/json",
        br#"[{"id": 1, "title": "Nova"}]"#.to_vec(),
    )])
    .await
}

fn decoded(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn text<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

#[tokio::test]
async fn every_style_arrives_as_the_spec_table_writes_it() {
    let server = server().await;
    let tracks = client(&server)
        .list_tracks()
        .limit(std::num::NonZeroU32::new(10).unwrap())
        .sort(vec![types::Sort::Title, types::Sort::Plays2])
        .filter(
            types::TrackFilter::builder()
                .artist(text::<types::TrackFilterArtist>("Nova & the Stars"))
                .plays(types::Range::builder().gte(100)),
        )
        .ids(vec![
            std::num::NonZeroU32::new(3).unwrap(),
            std::num::NonZeroU32::new(5).unwrap(),
        ])
        .words(vec![text("lo fi"), text("jazz")])
        .tags(vec![text("a,b"), text("c")])
        .color(types::Rgb::new(150, 200, 100))
        .page(types::ListTracksPage::builder().number(std::num::NonZeroU32::new(2)))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(tracks[0].title, "Nova");

    let sent = &server.requests()[0];
    assert_eq!(sent.target.split('?').next(), Some("/tracks"));
    // progenitor's exploded form first, then the runtime's, by name.
    assert_eq!(
        sent.query(),
        "limit=10&sort=title&sort=-plays\
         &color=B,150,G,200,R,100\
         &filter%5Bartist%5D=Nova%20%26%20the%20Stars&filter%5Bplays%5D%5Bgte%5D=100\
         &ids=3%7C5\
         &page%5Bnumber%5D=2\
         &tags=a%2Cb,c\
         &words=lo%20fi%20jazz"
    );
    let pairs = decoded(sent.query());
    let get = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(get("filter[artist]"), ["Nova & the Stars"]);
    assert_eq!(get("filter[plays][gte]"), ["100"]);
    assert_eq!(get("ids"), ["3|5"]);
    assert_eq!(get("words"), ["lo fi jazz"]);
    assert_eq!(get("sort"), ["title", "-plays"]);
    // Unset optional fields (`filter[plays][lt]`, `page[size]`) are absent.
    assert!(get("filter[plays][lt]").is_empty() && get("page[size]").is_empty());
    // Split on the bare comma before decoding: the comma inside an item
    // survives.
    let raw_tags = sent
        .query()
        .split('&')
        .find_map(|p| p.strip_prefix("tags="))
        .unwrap();
    let items: Vec<String> = raw_tags
        .split(',')
        .map(|item| decoded(&format!("v={item}"))[0].1.clone())
        .collect();
    assert_eq!(items, ["a,b", "c"]);
}

#[tokio::test]
async fn unset_optional_parameters_send_no_query() {
    let server = server().await;
    client(&server).list_tracks().send().await.unwrap();
    assert_eq!(server.requests()[0].target, "/tracks");
}

#[tokio::test]
async fn required_deep_object_and_exploded_form_object() {
    let server = server().await;
    client(&server)
        .search_tracks()
        .where_(
            types::SearchTracksWhere::new(text("blue [live]"))
                .plays(types::Range::builder().gte(1).lt(10)),
        )
        .window(types::Window::new(1_714_564_800, 1_714_609_800))
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(
        sent.query(),
        "where%5Bplays%5D%5Bgte%5D=1&where%5Bplays%5D%5Blt%5D=10\
         &where%5Btitle%5D=blue%20%5Blive%5D\
         &from=1714564800&to=1714609800"
    );
    assert_eq!(
        decoded(sent.query())[2],
        ("where[title]".to_owned(), "blue [live]".to_owned())
    );
}

#[tokio::test]
async fn a_missing_required_parameter_sends_nothing() {
    let server = server().await;
    let error = client(&server)
        .search_tracks()
        .window(types::Window::new(0, 1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), alakazam_client::ErrorKind::InvalidRequest);
    assert!(error.to_string().contains("where"), "{error}");
    assert!(server.requests().is_empty());
}

/// `requestBody` without `required: true`: unset, no body is sent (no
/// `Content-Type` either); set, it is sent as JSON.
#[tokio::test]
async fn an_optional_body_is_sent_only_when_set() {
    let server = Wire::start(vec![Answer::Whole(204, "application/json", Vec::new())]).await;
    let client = client(&server);
    client.record_play().id(7).send().await.unwrap();
    client
        .record_play()
        .id(7)
        .body(types::RecordPlayBody::builder().seconds(30))
        .send()
        .await
        .unwrap();
    let sent = server.requests();
    assert_eq!(sent[0].target, "/tracks/7/plays");
    assert!(sent[0].body.is_empty());
    assert_eq!(sent[0].header("content-type"), None);
    assert_eq!(sent[1].header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&sent[1].body).unwrap();
    assert_eq!(body, serde_json::json!({"seconds": 30}));
}

/// An array of objects in the query, which no style defines: one JSON
/// text of the whole array, as the APIs that take one read it (Box's
/// `mdfilters=[{"scope":…}]`), the commas inside it encoded.
#[tokio::test]
async fn an_array_of_objects_is_sent_as_one_json_text() {
    let server = server().await;
    client(&server)
        .tracks_in_ranges()
        .ranges(vec![
            types::Range::builder().gte(1).lt(10),
            types::Range::builder().gte(100),
        ])
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(
        sent.query(),
        "ranges=%5B%7B%22gte%22%3A1%2C%22lt%22%3A10%7D%2C%7B%22gte%22%3A100%7D%5D"
    );
    let pairs = decoded(sent.query());
    assert_eq!(pairs.len(), 1);
    let json: serde_json::Value = serde_json::from_str(&pairs[0].1).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"gte": 1, "lt": 10}, {"gte": 100}])
    );
}
