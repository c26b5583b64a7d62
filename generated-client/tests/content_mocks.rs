//! The typed mocks (feature `mock`) of parameters typed by `content`
//! (`content_client/mock.rs`, for
//! `codegen/tests/fixtures/realworld_content_parameters.yaml`): a JSON
//! query parameter matches the JSON text the client writes.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod content_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "content_client/mock.rs"]
mod content_mock;

use content_client::types;
use content_mock::MockServerExt;
use httpmock::MockServer;

#[tokio::test]
async fn json_query_parameters_match_as_the_client_writes_them() {
    let server = MockServer::start_async().await;
    let base = alakazam_client::Client::builder()
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let client = fast_client::fixture_client!(content_client, server.base_url(), &base);
    let filter = types::TrackFilter::new("Nova".parse().unwrap()).min_plays(3);
    let tags: Vec<types::ListTracksTagsItem> = vec!["a b".parse().unwrap()];
    let mock = server.list_tracks(|when, then| {
        when.filter(&filter).tags(&tags);
        then.ok(&vec![]);
    });
    let other = types::TrackFilter::new("Nova".parse().unwrap()).min_plays(4);
    assert!(
        client
            .list_tracks()
            .filter(other)
            .tags(tags.clone())
            .send()
            .await
            .is_err()
    );
    let tracks = client
        .list_tracks()
        .filter(filter.clone())
        .tags(tags.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(tracks.is_empty());
    mock.assert_calls(1);
}
