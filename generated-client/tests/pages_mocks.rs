//! Paginated answers from the typed mocks (feature `mock`,
//! `pages_client/mock.rs`, for `codegen/tests/fixtures/pagination.yaml`):
//! one typed mock per page, matched by the cursor the client sends, and
//! the generated `stream()` walking them.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod pages_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "pages_client/mock.rs"]
mod pages_mock;

use httpmock::MockServer;
use pages_client::types::{ListChargesResponse, Note};
use pages_mock::MockServerExt;

fn note(id: &str) -> Note {
    Note {
        id: Some(id.to_owned()),
        ..Default::default()
    }
}

fn page(ids: &[&str], has_more: bool) -> ListChargesResponse {
    ListChargesResponse {
        data: ids.iter().map(|id| note(id)).collect(),
        has_more: Some(has_more),
        ..Default::default()
    }
}

#[tokio::test]
async fn typed_mocks_answer_each_page_and_stream_walks_them() {
    let server = MockServer::start_async().await;
    let first = server.list_charges(|when, then| {
        when.limit(2).starting_after(None);
        then.ok(&page(&["a", "b"], true));
    });
    let second = server.list_charges(|when, then| {
        when.limit(2).starting_after("b");
        then.ok(&page(&["c"], false));
    });
    let client = fast_client::fixture_client!(pages_client, server.base_url());
    let mut items = client.list_charges().limit(2).stream();
    let mut ids = Vec::new();
    while let Some(item) = items.next_item().await {
        ids.push(item.unwrap().id.unwrap());
    }
    assert_eq!(ids, ["a", "b", "c"]);
    first.assert();
    second.assert();
}
