//! The typed mocks (feature `mock`) of query parameters of every style
//! (`query_client/mock.rs`, for
//! `codegen/tests/fixtures/realworld_query_styles.yaml`): arrays and
//! objects have no `Display`, so they match through
//! `mock::WhenQueryExt`, as the client writes them.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod query_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "query_client/mock.rs"]
mod query_mock;

use httpmock::MockServer;
use query_client::types;
use query_mock::MockServerExt;

fn client(server: &MockServer) -> query_client::Client {
    fast_client::fixture_client!(query_client, server.base_url())
}

fn text<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

#[tokio::test]
async fn every_style_matches_as_the_client_writes_it() {
    let server = MockServer::start_async().await;
    let sort = vec![types::Sort::Title, types::Sort::Plays2];
    let filter = types::TrackFilter::builder()
        .artist(text::<types::TrackFilterArtist>("Nova & the Stars"))
        .plays(types::Range::builder().gte(100));
    let words: Vec<types::ListTracksWordsItem> = vec![text("lo fi"), text("jazz")];
    let color = types::Rgb::new(150, 200, 100);
    let mock = server.list_tracks(|when, then| {
        when.sort(&sort)
            .filter(&filter)
            .words(&words)
            .color(&color)
            .tags(None);
        then.ok(&vec![]);
    });
    let client = client(&server);
    let list = |words: Vec<types::ListTracksWordsItem>| {
        client
            .list_tracks()
            .sort(sort.clone())
            .filter(filter.clone())
            .words(words)
            .color(color.clone())
            .send()
    };
    assert!(list(words.clone()).await.unwrap().into_inner().is_empty());
    // One word fewer: no mock matches, httpmock answers 404.
    let other = list(vec![text("jazz")]).await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_required_deep_object_and_an_exploded_form_object_match() {
    let server = MockServer::start_async().await;
    let where_ = types::SearchTracksWhere::new(text("blue [live]"))
        .plays(types::Range::builder().gte(1).lt(10));
    let mock = server.search_tracks(|when, then| {
        when.where_(&where_).window(&types::Window::new(1, 2));
        then.ok(&vec![]);
    });
    let client = client(&server);
    let search = |to: i64| {
        client
            .search_tracks()
            .where_(where_.clone())
            .window(types::Window::new(1, to))
            .send()
    };
    search(2).await.unwrap();
    // `to=3`: the exploded object's pairs are compared too.
    assert_eq!(
        search(3).await.unwrap_err().status().map(|s| s.as_u16()),
        Some(404)
    );
    mock.assert_calls(1);
}
