//! A followed redirect never carries a query credential to the next host
//! in `Referer` (reqwest's default repeats the previous URL, query and
//! all), against two real HTTP servers on 127.0.0.1 (two origins: their
//! ports differ).
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/security_schemes.yaml` (`security_client/`).

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod security_client;

use alakazam_client::{Client, Credential};
use httpmock::prelude::*;

const QUERY_KEY: &str = "qk-S3CR3T";

#[tokio::test]
async fn a_redirect_to_another_host_carries_no_referer() {
    let api = MockServer::start_async().await;
    let elsewhere = MockServer::start_async().await;
    let target = elsewhere
        .mock_async(|when, then| {
            when.path("/landing").header_missing("referer");
            then.status(204);
        })
        .await;
    let leaked = elsewhere
        .mock_async(|when, then| {
            when.header_exists("referer");
            then.status(500);
        })
        .await;
    let redirect = api
        .mock_async(|when, then| {
            when.path("/query").query_param("api_key", QUERY_KEY);
            then.status(302)
                .header("location", elsewhere.url("/landing"));
        })
        .await;
    let base = Client::builder()
        .base_url(api.base_url())
        .max_retries(0)
        .credential("queryKey", Credential::new(QUERY_KEY).unwrap())
        .build()
        .unwrap();
    let client = fast_client::fixture_client!(security_client, api.base_url(), &base);
    client.get_query().send().await.unwrap();
    redirect.assert_async().await;
    target.assert_async().await;
    assert_eq!(
        leaked.calls_async().await,
        0,
        "a Referer reached the other host"
    );
}
