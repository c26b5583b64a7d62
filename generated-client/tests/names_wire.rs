//! Properties whose Rust names collide (`guid` and `Guid`, `a_b`, `aB`,
//! `A-B` and `a.b`, at every depth) and enum values that do (`a-b`,
//! `a_b`, `A B`): each gets a field or variant of its own, and the JSON
//! keeps every original name, decoded and encoded, and on the wire.
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/names_collide.yaml` (`names_client/mod.rs`,
//! kept fresh by codegen's `patch_wire_client_is_fresh` test).

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod names_client;

use httpmock::prelude::*;
use names_client::types::{self, Kind};
use serde_json::json;

#[test]
fn every_key_round_trips_through_its_own_field() {
    let wire = json!({
        "guid": "lower", "Guid": "upper",
        "a_b": 1, "aB": 2, "A-B": 3, "a.b": "dot",
        "type": "t1", "type_": "t2", "Type": "t3",
        "2fa": true, "x2fa": false, "": "empty", "x": "ex",
        "café": "c1", "Café": "c2", "self": "s1", "Self": "s2",
        "nested": {"URL": "U", "url": "u", "deeper": {"k": "k", "K": {"v": "v"}}},
        "tags": [{"name": "n", "Name": "N"}],
        "meta": {"m": {"z": "z", "Z": "Z"}},
        "kind": "A B",
    });
    let media: types::Media = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        (media.guid.as_str(), media.guid_2.as_str()),
        ("lower", "upper")
    );
    assert_eq!((media.a_b, media.a_b_4, media.a_b_2), (1, 2, Some(3)));
    assert_eq!(media.a_b_3, "dot");
    assert_eq!(media.x2.as_deref(), Some("empty"));
    assert_eq!(media.x2fa_2, Some(true));
    let nested = media.nested.as_ref().unwrap();
    assert_eq!(nested.url_2.as_deref(), Some("U"));
    let deeper = nested.deeper.as_ref().unwrap();
    assert_eq!(deeper.k_2.as_ref().unwrap().v.as_deref(), Some("v"));
    assert_eq!(media.tags[0].name_2.as_deref(), Some("N"));
    assert_eq!(media.meta["m"].z_2.as_deref(), Some("Z"));
    assert_eq!(media.kind, Some(Kind::AB3));
    assert!(media.extra_fields.is_empty(), "{:?}", media.extra_fields);
    assert_eq!(serde_json::to_value(&media).unwrap(), wire);
}

#[test]
fn enum_values_that_name_alike_keep_their_wire_values() {
    let values = ["a-b", "a_b", "A B", "add", "Add", "add_2", ".", "X"];
    let mut seen = Vec::new();
    for value in values {
        let kind: Kind = serde_json::from_value(json!(value)).unwrap();
        assert!(!matches!(kind, Kind::Unknown(_)), "{value}");
        assert_eq!(kind.as_str(), value);
        assert_eq!(serde_json::to_value(&kind).unwrap(), json!(value));
        assert!(!seen.contains(&kind), "{value} shares a variant");
        seen.push(kind);
    }
}

#[tokio::test]
async fn a_body_and_a_deep_object_query_go_out_under_their_wire_names() {
    let server = MockServer::start_async().await;
    let post = server
        .mock_async(|when, then| {
            when.method(POST).path("/media").json_body(
                json!({"Guid": "G", "guid": "g", "extra_fields": "e", "extraFields": 4}),
            );
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"guid": "g", "Guid": "G", "a.b": "x"}));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/media")
                .query_param("filter[a_b]", "1")
                .query_param("filter[aB]", "2");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!([{"id": "a", "ID": "b"}]));
        })
        .await;
    let client = fast_client::fixture_client!(names_client, server.base_url());
    let media = client
        .create_media()
        .body(
            types::CreateMediaBody::new(String::from("G"))
                .guid(String::from("g"))
                .extra_fields(String::from("e"))
                .extra_fields_2(4),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    post.assert_async().await;
    assert_eq!((media.guid.as_str(), media.guid_2.as_str()), ("g", "G"));
    let listed = client
        .list_media()
        .filter(
            types::ListMediaFilter::builder()
                .a_b(String::from("1"))
                .a_b_2(String::from("2")),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    get.assert_async().await;
    assert_eq!(
        (listed[0].id.as_deref(), listed[0].id_2.as_deref()),
        (Some("a"), Some("b"))
    );
}

/// growthbook's dashboard blocks: two tagged unions in one `oneOf`, whose
/// variants' `config`s typify would name alike. The data-source block's
/// config has a type of its own (was: the metric block's, which refused
/// its `table`), and goes out as it came in.
#[tokio::test]
async fn each_tagged_variant_keeps_its_own_config_on_the_wire() {
    let wire = json!({"blocks": [
        {"type": "markdown", "content": "# notes"},
        {"type": "metric-exploration", "title": "m",
            "config": {"dataset": {"type": "metric", "metricId": "met_1"}}},
        {"type": "data-source-exploration", "title": "d",
            "config": {"dataset": {"type": "data_source", "table": "events",
                "timestampColumn": "ts"}}},
    ]});
    let body: types::UpdateDashboardBody = serde_json::from_value(wire.clone()).unwrap();
    let server = MockServer::start_async().await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/dashboards/d1")
                .json_body(wire.clone());
            then.status(204);
        })
        .await;
    let client = fast_client::fixture_client!(names_client, server.base_url());
    client
        .update_dashboard()
        .id("d1")
        .body(body)
        .send()
        .await
        .unwrap();
    put.assert_async().await;
}
