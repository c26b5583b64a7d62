//! The typed mocks (feature `mock`) of parameters renamed for Rust and of
//! array and object path and header parameters (`params_client/mock.rs`,
//! for `codegen/tests/fixtures/realworld_parameter_names.yaml`): they
//! match the wire names and the style the client sends, for values of
//! any type.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod params_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
#[path = "params_client/mock.rs"]
mod params_mock;

use httpmock::MockServer;
use params_client::types;
use params_mock::MockServerExt;

fn client(server: &MockServer) -> params_client::Client {
    fast_client::fixture_client!(params_client, server.base_url())
}

#[tokio::test]
async fn renamed_and_structured_parameters_match_as_the_client_sends_them() {
    let server = MockServer::start_async().await;
    let ids = vec!["a,b".to_owned(), "c".to_owned()];
    let filter = types::KeyFilter::new("rsa".to_owned()).level(2);
    let scope = types::Scope::new("admin".to_owned(), "core".to_owned());
    let trace = vec!["x".to_owned(), "y".to_owned()];
    let mock = server.list_keys(|when, then| {
        when.account_id("acc")
            .ids(&ids)
            .filter(&filter)
            .frontend_api("snake")
            .frontend_api_2("camel")
            .send_query(true)
            .x_scope(&scope)
            .x_trace(&trace)
            .account_id_header("h");
        then.ok(&vec!["k".to_owned()]);
    });
    let client = client(&server);
    let list = |camel: &str| {
        client
            .list_keys()
            .account_id("acc")
            .ids(ids.clone())
            .filter(filter.clone())
            .frontend_api("snake")
            .frontend_api_2(camel)
            .send_query(true)
            .x_scope(scope.clone())
            .x_trace(trace.clone())
            .account_id_header("h")
            .send()
    };
    assert_eq!(list("camel").await.unwrap().into_inner(), ["k"]);
    // Another value under the renamed one's wire name: no mock matches.
    let other = list("other").await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    mock.assert_calls(1);
}

#[tokio::test]
async fn renamed_path_variables_match() {
    let server = MockServer::start_async().await;
    let mock = server.create_batch(|when, then| {
        when.new_path(7)
            .batch_id("one")
            .batch_id_2("two")
            .body_query("q")
            .body_header("h");
        then.created();
    });
    client(&server)
        .create_batch()
        .new_path(7)
        .batch_id("one")
        .batch_id_2("two")
        .body_query("q")
        .body_header("h")
        .send()
        .await
        .unwrap();
    mock.assert_calls(1);
}

/// A path value with characters a regular expression gives a meaning
/// (`.`, `+`, `(`, `?`, `*`, `[`, `|`, `^`, `$`) is matched as the text
/// the client sends: the request of that value only, never one whose
/// text the unescaped pattern would also take.
#[tokio::test]
async fn path_values_with_regex_characters_match_only_their_own_requests() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    let send = |batch: &str| {
        client
            .create_batch()
            .new_path(7)
            .batch_id(batch)
            .batch_id_2("two")
            .send()
    };
    for (value, lookalike) in [
        ("v1.2", "v1x2"),
        ("a+b", "aab"),
        ("f(x)", "fx"),
        ("why?", "why"),
        ("a*", "aaa"),
        ("[ab]", "a"),
        ("a|b", "b"),
        ("x^y$", "xy"),
        ("a.*", "a/b"),
    ] {
        let mock = server.create_batch(|when, then| {
            when.new_path(7).batch_id(value).batch_id_2("two");
            then.created();
        });
        send(value).await.unwrap();
        let other = send(lookalike).await;
        assert_eq!(
            other.map(|r| r.status()).map_err(|e| e.status()),
            Err(Some(reqwest::StatusCode::NOT_FOUND)),
            "{value:?} matched {lookalike:?}"
        );
        mock.assert_calls_async(1).await;
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn label_and_matrix_path_parameters_match_as_the_client_sends_them() {
    let server = MockServer::start_async().await;
    let ids = vec!["a".to_owned(), "b;c".to_owned()];
    let (point, level) = (types::Point::new(1, 2), types::Level::try_from(2).unwrap());
    let mock = server.get_styled(|when, then| {
        when.label("a b")
            .label_ids(&vec![1, 2])
            .label_point(&point)
            .matrix(&level)
            .matrix_ids(&ids)
            .matrix_point(&point)
            .matrix_empty(&types::Nothing(()));
        then.no_content();
    });
    let client = client(&server);
    let styled = |label: &str| {
        client
            .get_styled()
            .label(label)
            .label_ids(vec![1, 2])
            .label_point(point.clone())
            .matrix(level.clone())
            .matrix_ids(ids.clone())
            .matrix_point(point.clone())
            .matrix_empty(types::Nothing(()))
            .send()
    };
    styled("a b").await.unwrap();
    let other = styled("a c").await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    mock.assert_calls(1);
}

#[tokio::test]
async fn values_of_any_type_match_as_the_client_sends_them() {
    let server = MockServer::start_async().await;
    let code: types::Code = "a,b".parse().unwrap();
    let level = types::Level::try_from(3).unwrap();
    let point = types::Point::new(-1, 0);
    let mock = server.get_typed(|when, then| {
        when.level(&level)
            .point(&point)
            .code(&code)
            .nothing(&types::Nothing(()))
            .x_level(&level)
            .x_point(&point)
            .x_code(&code)
            .x_ratio(0.5);
        then.no_content();
    });
    let client = client(&server);
    let typed = |x: i32| {
        client
            .get_typed()
            .level(level.clone())
            .point(point.clone())
            .code(code.clone())
            .nothing(types::Nothing(()))
            .x_level(level.clone())
            .x_point(types::Point::new(-1, x))
            .x_code(code.clone())
            .x_ratio(0.5)
            .send()
    };
    typed(0).await.unwrap();
    let other = typed(1).await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    mock.assert_calls(1);
}
