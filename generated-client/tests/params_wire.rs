//! Parameters of every name and type in every location, sent by a
//! generated client to a scripted server on 127.0.0.1 that records the
//! raw request: those renamed for Rust (`frontend_api_2`, `send_query`,
//! `account_id_header`, the path variable `new_path`) arrive under their
//! wire names, and path and header parameters of every type (arrays,
//! structs, an enum of integers, a string newtype, `()`) in their style:
//! `simple` (`a,b`; `k,v`, exploded `k=v`), a path's `label` and `matrix`
//! too, a path's names and values percent-encoded.
//!
//! The client is codegen's output for
//! `codegen/tests/fixtures/realworld_parameter_names.yaml`
//! (`params_client/mod.rs`, kept fresh by codegen's
//! `patch_wire_client_is_fresh`); its typed mocks are matched in
//! `params_mocks.rs`.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod params_client;
mod wire;

use std::collections::HashMap;

use params_client::types;
use wire::{Answer, Wire};

fn client(server: &Wire) -> params_client::Client {
    fast_client::fixture_client!(params_client, server.base_url())
}

async fn server(status: u16, body: &[u8]) -> Wire {
    Wire::start(vec![Answer::Whole(
        status,
        "application/json",
        body.to_vec(),
    )])
    .await
}

#[tokio::test]
async fn every_parameter_goes_out_under_its_wire_name_in_its_style() {
    let server = server(200, br#"["k1"]"#).await;
    let keys = client(&server)
        .list_keys()
        .account_id("acc 1")
        .ids(vec!["a,b".to_owned(), "c/d".to_owned()])
        .filter(types::KeyFilter::new("rsa".to_owned()).level(2))
        .account_id_query("q")
        .frontend_api("snake")
        .frontend_api_2("camel")
        .start_time(1)
        .start_time_2(2)
        .send_query(true)
        .x_trace_query("t")
        .x_scope(types::Scope::new("admin".to_owned(), "core".to_owned()))
        .x_trace(vec!["a".to_owned(), "b c".to_owned()])
        .x_labels(HashMap::from([("env".to_owned(), "prod".to_owned())]))
        .account_id_header("h")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(keys, ["k1"]);
    let request = &server.requests()[0];
    let (path, query) = request.target.split_once('?').unwrap();
    // The array's values encoded, its commas bare; the object exploded.
    assert_eq!(path, "/accounts/acc%201/keys/a%2Cb,c%2Fd/kind=rsa,level=2");
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        [
            "StartTime%3E=2",
            "StartTime=1",
            "account_id=q",
            "frontendApi=camel",
            "frontend_api=snake",
            "send=true",
            "x_trace=t",
        ]
    );
    // The object in its fields' order (`role`, `team`), not exploded.
    assert_eq!(request.header("x-scope"), Some("role,admin,team,core"));
    assert_eq!(request.header("x-trace"), Some("a,b c"));
    assert_eq!(request.header("x-labels"), Some("env=prod"));
    assert_eq!(request.header("account-id"), Some("h"));
}

#[tokio::test]
async fn renamed_path_variables_and_the_body_s_namesakes_keep_their_places() {
    let server = server(201, b"").await;
    client(&server)
        .create_batch()
        .new_path(7)
        .batch_id("one")
        .batch_id_2("two")
        .body_query("q")
        .body_header("h")
        .body(types::CreateBatchBody::builder().size(3))
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.target, "/batches/7/one/two?body=q");
    assert_eq!(request.header("body"), Some("h"));
    assert_eq!(request.body, br#"{"size":3}"#);
}

#[tokio::test]
async fn a_header_value_no_header_can_carry_fails_before_sending() {
    let server = server(200, b"[]").await;
    let err = client(&server)
        .list_keys()
        .account_id("a")
        .ids(vec![])
        .filter(types::KeyFilter::new("k".to_owned()))
        .x_scope(types::Scope::new("r".to_owned(), "line\nbreak".to_owned()))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("X-Scope"), "{err}");
    assert!(server.requests().is_empty());
}

/// OpenAPI's style table for `label` and `matrix`, scalar, array and
/// object, exploded or not, and the empty value of `()`.
#[tokio::test]
async fn label_and_matrix_path_parameters_go_out_as_the_style_table_writes_them() {
    let server = server(204, b"").await;
    client(&server)
        .get_styled()
        .label("a b")
        .label_ids(vec![1, -2])
        .label_point(types::Point::new(1, 2))
        .matrix(types::Level::try_from(2).unwrap())
        .matrix_ids(vec!["a".to_owned(), "b;c=d".to_owned()])
        .matrix_point(types::Point::new(3, 4))
        .matrix_empty(types::Nothing(()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/styled/.a%20b/.1.-2/.x,1,y,2/;matrix=2/;matrixIds=a;matrixIds=b%3Bc%3Dd/;x=3;y=4/;matrixEmpty"
    );
}

/// Values typify writes no `Display` for (a `$ref` to a struct, an enum
/// of integers, `()`) and a string newtype go out in the `simple` style,
/// as serde writes them: in the path and in headers.
#[tokio::test]
async fn values_of_any_type_go_out_in_the_simple_style() {
    let server = server(204, b"").await;
    let code: types::Code = "a,b/c".parse().unwrap();
    client(&server)
        .get_typed()
        .level(types::Level::try_from(3).unwrap())
        .point(types::Point::new(-1, 0))
        .code(code.clone())
        .nothing(types::Nothing(()))
        .x_level(types::Level::try_from(1).unwrap())
        .x_point(types::Point::new(5, 6))
        .x_nothing(types::Nothing(()))
        .x_code(code)
        .x_ratio(1.0)
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    // `()` is the empty segment; the newtype's `,` and `/` encoded.
    assert_eq!(request.target, "/typed/3/x,-1,y,0/a%2Cb%2Fc/");
    assert_eq!(request.header("x-level"), Some("1"));
    assert_eq!(request.header("x-point"), Some("x=5,y=6"));
    assert_eq!(request.header("x-nothing"), Some(""));
    assert_eq!(request.header("x-code"), Some("a,b/c"));
    // As JSON writes it, as a query's number is.
    assert_eq!(request.header("x-ratio"), Some("1.0"));
}
