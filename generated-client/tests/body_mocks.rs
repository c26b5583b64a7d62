//! The typed mocks generated for multipart and form bodies (feature
//! `mock`): a mock of the fixture APIs (`upload_client/mock.rs`,
//! `form_client/mock.rs`) matches what the generated client sends.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod form_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, missing_docs)]
#[path = "form_client/mock.rs"]
mod form_mock;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod upload_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, missing_docs)]
#[path = "upload_client/mock.rs"]
mod upload_mock;

use alakazam_client::runtime::FilePart;
use httpmock::MockServer;

fn base(server: &MockServer) -> alakazam_client::Client {
    fast_client::builder(server.base_url(), "sk_test_1")
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_generated_mock_matches_multipart_parts() {
    use upload_mock::MockServerExt;
    let server = MockServer::start_async().await;
    let mock = server.upload_cover(|when, then| {
        when.text_part("name", "Nova").file_part(
            "cover",
            Some("c.png"),
            Some("image/png"),
            b"\x89PNG",
        );
        then.ok(&upload_client::types::Stored {
            parts: Some(2),
            ..Default::default()
        });
    });
    let base = base(&server);
    let client = fast_client::fixture_client!(upload_client, server.base_url(), &base);
    let send = |name: &str| {
        let body = upload_client::types::UploadCoverBody::new(
            FilePart::bytes(&b"\x89PNG"[..]).file_name("c.png"),
            name.parse().unwrap(),
        );
        client.upload_cover().id("c1").body(body).send()
    };
    let stored = send("Nova").await.unwrap().into_inner();
    assert_eq!(stored.parts, Some(2));
    // Another name matches no mock: httpmock answers 404.
    assert_eq!(
        send("Other")
            .await
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(404)
    );
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_generated_mock_matches_a_form_body_and_a_form_field() {
    use form_client::types::{SearchBody, SearchBodyFilter};
    use form_mock::MockServerExt;
    let server = MockServer::start_async().await;
    let body = SearchBody::new("q".to_owned(), vec!["a".to_owned()])
        .filter(SearchBodyFilter::builder().color("red".to_owned()))
        .ids(vec![1, 2]);
    let whole = server.search(|when, then| {
        when.body(&body);
        then.ok(&form_client::types::Hits {
            count: Some(1),
            ..Default::default()
        });
    });
    let by_field = server.search(|when, then| {
        when.field("filter[color]", "blue");
        then.ok(&form_client::types::Hits {
            count: Some(2),
            ..Default::default()
        });
    });
    let base = base(&server);
    let client = fast_client::fixture_client!(form_client, server.base_url(), &base);
    let count = |body: SearchBody| {
        let client = &client;
        async move {
            client
                .search()
                .body(body)
                .send()
                .await
                .unwrap()
                .into_inner()
                .count
        }
    };
    assert_eq!(count(body.clone()).await, Some(1));
    let blue = SearchBody::new("other".to_owned(), vec![])
        .filter(SearchBodyFilter::builder().color("blue".to_owned()));
    assert_eq!(count(blue).await, Some(2));
    whole.assert_calls(1);
    by_field.assert_calls(1);
}
