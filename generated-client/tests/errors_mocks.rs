//! Error answers from the typed mocks (feature `mock`,
//! `errors_client/mock.rs`, for `codegen/tests/fixtures/error_statuses.yaml`):
//! each error setter takes the type its status documents (there is no
//! union of an operation's error schemas to pass instead), and what it
//! sends is what `typed_body` decodes for that status.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod errors_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "errors_client/mock.rs"]
mod errors_mock;

use errors_client::errors::{CreateIssue, GetIssue};
use errors_client::types::{
    BasicError, CreateIssueError429, Issue, NotFound, ValidationError, ValidationErrorErrorsItem,
};
use errors_mock::MockServerExt;
use httpmock::MockServer;

fn basic(message: &str) -> BasicError {
    BasicError {
        message: Some(message.to_owned()),
        ..Default::default()
    }
}

async fn create(server: &MockServer) -> alakazam_client::Error {
    fast_client::fixture_client!(errors_client, server.base_url())
        .create_issue()
        .body(Issue::new("t".to_owned()))
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn each_error_status_of_create_issue_is_answered_with_its_own_type() {
    let server = MockServer::start_async().await;
    let invalid = ValidationError::new(
        vec![ValidationErrorErrorsItem {
            field: Some("title".to_owned()),
            ..Default::default()
        }],
        "Validation Failed".to_owned(),
    );
    let mut mock = server.create_issue(|_, then| {
        then.unprocessable_entity(&invalid);
    });
    match create(&server).await.typed_body::<CreateIssue>() {
        Some(Ok(CreateIssue::Status422(v))) => assert_eq!(v, invalid),
        other => panic!("expected Status422, got {other:?}"),
    }
    mock.delete();

    let mut mock = server.create_issue(|_, then| {
        then.not_found(&basic("no such repository"));
    });
    match create(&server).await.typed_body::<CreateIssue>() {
        Some(Ok(CreateIssue::Status404(b))) => assert_eq!(b, basic("no such repository")),
        other => panic!("expected Status404, got {other:?}"),
    }
    mock.delete();

    let mut mock = server.create_issue(|_, then| {
        then.too_many_requests(&CreateIssueError429::new(7));
    });
    match create(&server).await.typed_body::<CreateIssue>() {
        Some(Ok(CreateIssue::Status429(r))) => assert_eq!(r.retry_after, 7),
        other => panic!("expected Status429, got {other:?}"),
    }
    mock.delete();

    server.create_issue(|_, then| {
        then.server_error(503, &basic("down"));
    });
    match create(&server).await.typed_body::<CreateIssue>() {
        Some(Ok(CreateIssue::Status5xx(b))) => assert_eq!(b, basic("down")),
        other => panic!("expected Status5xx, got {other:?}"),
    }
}

#[tokio::test]
async fn a_shared_response_and_the_ranges_made_of_default_are_answered_with_their_own_types() {
    let server = MockServer::start_async().await;
    server.get_issue(|when, then| {
        when.id(1);
        then.not_found(&NotFound {
            resource: Some("issue".to_owned()),
            ..Default::default()
        });
    });
    server.get_issue(|when, then| {
        when.id(2);
        then.client_error(403, &basic("forbidden"));
    });
    let client = fast_client::fixture_client!(errors_client, server.base_url());
    let e = client.get_issue().id(1).send().await.unwrap_err();
    match e.typed_body::<GetIssue>() {
        Some(Ok(GetIssue::Status404(n))) => assert_eq!(n.resource.as_deref(), Some("issue")),
        other => panic!("expected Status404, got {other:?}"),
    }
    let e = client.get_issue().id(2).send().await.unwrap_err();
    match e.typed_body::<GetIssue>() {
        Some(Ok(GetIssue::Status4xx(b))) => assert_eq!(b, basic("forbidden")),
        other => panic!("expected Status4xx, got {other:?}"),
    }
}
