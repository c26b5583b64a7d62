//! The typed mocks (feature `mock`) of query parameters renamed for Rust
//! and styled (`renamed_query_client/mock.rs`, for
//! `codegen/tests/fixtures/realworld_query_renamed_styles.yaml`): they
//! match the wire names the client sends, not the Rust ones.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod renamed_query_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "renamed_query_client/mock.rs"]
mod renamed_query_mock;

use std::num::NonZeroU64;

use httpmock::MockServer;
use renamed_query_client::types;
use renamed_query_mock::MockServerExt;

fn client(server: &MockServer) -> renamed_query_client::Client {
    fast_client::fixture_client!(renamed_query_client, server.base_url())
}

fn text<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

#[tokio::test]
async fn renamed_styled_parameters_match_as_the_client_sends_them() {
    let server = MockServer::start_async().await;
    let others = vec![NonZeroU64::new(3).unwrap(), NonZeroU64::new(5).unwrap()];
    let mock = server.list_members(|when, then| {
        when.list_id(NonZeroU64::new(7).unwrap())
            .list_id_query(&others);
        then.ok(&vec![]);
    });
    let client = client(&server);
    let list = |others: Vec<NonZeroU64>| {
        client
            .list_members()
            .list_id(NonZeroU64::new(7).unwrap())
            .list_id_query(others)
            .send()
    };
    assert!(list(others.clone()).await.unwrap().into_inner().is_empty());
    // Another list: no mock matches, httpmock answers 404.
    let other = list(vec![NonZeroU64::new(3).unwrap()]).await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_renamed_deep_object_and_a_renamed_scalar_match() {
    let server = MockServer::start_async().await;
    let filter = types::TeamFilter::new(text("lead dev")).seniority(types::Range::builder().gte(2));
    let org: types::FindTeamMembersOrgQuery = text("umbrella");
    let mock = server.find_team_members(|when, then| {
        when.org(&text("acme"))
            .team(&text("core"))
            .team_query(&filter)
            .org_query(&org)
            .since(None);
        then.ok(&vec![]);
    });
    let client = client(&server);
    let find = |org: &str| {
        client
            .find_team_members()
            .org(text::<types::FindTeamMembersOrg>("acme"))
            .team(text::<types::FindTeamMembersTeam>("core"))
            .team_query(filter.clone())
            .org_query(text::<types::FindTeamMembersOrgQuery>(org))
            .send()
    };
    assert!(find("umbrella").await.unwrap().into_inner().is_empty());
    let other = find("initech").await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    mock.assert_calls(1);
}
