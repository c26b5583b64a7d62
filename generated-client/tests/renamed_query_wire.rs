//! Query parameters named like a path parameter of their operation, so
//! renamed for Rust (`list_id_query`, `team_query`), and styled
//! (pipeDelimited, deepObject), sent by a generated client to a scripted
//! server on 127.0.0.1 that records the raw request target: each arrives
//! under its wire name, in its style, beside the path parameter of the
//! same name.
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/realworld_query_renamed_styles.yaml`
//! (`renamed_query_client/mod.rs`, kept fresh by codegen's
//! `patch_wire_client_is_fresh`); its typed mocks are matched in
//! `renamed_query_mocks.rs`.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod renamed_query_client;
mod wire;

use std::num::{NonZeroU32, NonZeroU64};

use renamed_query_client::types;
use wire::{Answer, Wire};

fn client(server: &Wire) -> renamed_query_client::Client {
    fast_client::fixture_client!(renamed_query_client, server.base_url())
}

async fn server() -> Wire {
    Wire::start(vec![Answer::Whole(
        200,
        "application/json",
        br#"[{"id": 1, "name": "Nova"}]"#.to_vec(),
    )])
    .await
}

fn text<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn id(n: u64) -> NonZeroU64 {
    NonZeroU64::new(n).unwrap()
}

#[tokio::test]
async fn a_renamed_pipe_delimited_array_is_sent_under_its_wire_name() {
    let server = server().await;
    let members = client(&server)
        .list_members()
        .list_id(id(7))
        .list_id_query(vec![id(3), id(5)])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(members[0].name, "Nova");
    assert_eq!(
        server.requests()[0].target,
        "/lists/7/members?list_id=3%7C5"
    );
}

#[tokio::test]
async fn a_renamed_deep_object_and_a_renamed_scalar_are_sent_under_their_wire_names() {
    let server = server().await;
    client(&server)
        .find_team_members()
        .org(text::<types::FindTeamMembersOrg>("acme"))
        .team(text::<types::FindTeamMembersTeam>("core"))
        .team_query(
            types::TeamFilter::new(text("lead dev"))
                .seniority(types::Range::builder().gte(2).lt(10)),
        )
        .org_query(text::<types::FindTeamMembersOrgQuery>("umbrella"))
        .since(types::Day::new(
            NonZeroU32::new(9).unwrap(),
            NonZeroU32::new(5).unwrap(),
            2024,
        ))
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.target.split('?').next(), Some("/orgs/acme/teams/core"));
    // progenitor's exploded form first, then the runtime's, by Rust name.
    assert_eq!(
        sent.query(),
        "org=umbrella\
         &since=day,9,month,5,year,2024\
         &team%5Brole%5D=lead%20dev\
         &team%5Bseniority%5D%5Bgte%5D=2&team%5Bseniority%5D%5Blt%5D=10"
    );
    assert!(!sent.query().contains("_query"), "{}", sent.query());
}

#[tokio::test]
async fn unset_renamed_parameters_send_no_query() {
    let server = server().await;
    client(&server)
        .list_members()
        .list_id(id(7))
        .send()
        .await
        .unwrap();
    assert_eq!(server.requests()[0].target, "/lists/7/members");
}
