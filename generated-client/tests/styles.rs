//! Query parameters (`runtime::append_query`) and form bodies
//! (`runtime::form_body`) serialized per OpenAPI's `style`/`explode`, sent
//! to a server on 127.0.0.1 that decodes them with `form_urlencoded`. The
//! Alakazam spec has neither yet, so the test calls the runtime the way
//! generated code would, with operations of its own.

mod wire;

use std::time::Duration;

use alakazam_client::runtime::{
    ClientInfo, FORM_CONTENT_TYPE, FieldEncoding, KeyKind, Operation, Style, append_query,
    form_body, send_json_with,
};
use alakazam_client::{ApiKey, Client};
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;
use wire::{Answer, Wire};

static LIST: Operation = Operation {
    id: "listCharacters",
    method: "GET",
    path: "/v1/characters",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    idempotent: true,
    idempotency_key: None,
    request_id_header: None,
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

static SIGN_UP: Operation = Operation {
    id: "signUp",
    method: "POST",
    path: "/v1/accounts",
    keys: &[],
    returns_redirect: false,
    idempotent: false,
    idempotency_key: None,
    request_id_header: None,
    security: &[],
};

fn client(server: &Wire) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key(ApiKey::new("sk_test_1").unwrap())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(4))
        .build()
        .unwrap()
}

fn ok() -> Answer {
    Answer::Whole(200, "application/json", b"{}".to_vec())
}

fn decoded(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[derive(Serialize)]
struct Range {
    gte: u32,
    lt: Option<u32>,
}

#[derive(Serialize)]
struct Filter {
    name: String,
    age: Range,
}

#[tokio::test]
async fn query_parameters_of_every_style_arrive_as_the_spec_says() {
    let server = Wire::start(vec![ok()]).await;
    let client = client(&server);
    let tags = vec!["a,b".to_owned(), "c".to_owned()];
    let filter = Filter {
        name: "Nova ✨".into(),
        age: Range { gte: 18, lt: None },
    };
    send_json_with::<serde_json::Value>(&client, &LIST, &Default::default(), || {
        let mut request = client
            .client()
            .get(format!("{}/v1/characters", client.baseurl()))
            .query(&[("limit", "10")])
            .build()?;
        let url = request.url_mut();
        append_query(url, "tags", &tags, Style::Form, false)?;
        append_query(url, "ids", &[1, 2, 3], Style::PipeDelimited, false)?;
        append_query(url, "words", &["x y", "z"], Style::SpaceDelimited, false)?;
        append_query(url, "filter", &filter, Style::DeepObject, true)?;
        append_query(url, "sort", &["name", "-age"], Style::Form, true)?;
        append_query(url, "cursor", &None::<String>, Style::Form, true)?;
        Ok(request)
    })
    .await
    .unwrap();

    let sent = &server.requests()[0];
    assert_eq!(sent.target.split('?').next(), Some("/v1/characters"));
    let query = sent.query();
    assert_eq!(
        query,
        "limit=10&tags=a%2Cb,c&ids=1%7C2%7C3&words=x%20y%20z\
         &filter%5Bname%5D=Nova%20%E2%9C%A8&filter%5Bage%5D%5Bgte%5D=18&sort=name&sort=-age"
    );
    // What a server's decoder makes of it.
    assert_eq!(
        decoded(query),
        pairs(&[
            ("limit", "10"),
            ("tags", "a,b,c"),
            ("ids", "1|2|3"),
            ("words", "x y z"),
            ("filter[name]", "Nova ✨"),
            ("filter[age][gte]", "18"),
            ("sort", "name"),
            ("sort", "-age"),
        ])
    );
    // Split on the bare delimiter before decoding: the comma inside an
    // item survives.
    let raw_tags = query
        .split('&')
        .find_map(|p| p.strip_prefix("tags="))
        .unwrap();
    let items: Vec<String> = raw_tags
        .split(',')
        .map(|item| decoded(&format!("v={item}"))[0].1.clone())
        .collect();
    assert_eq!(items, ["a,b", "c"]);
}

#[derive(Serialize)]
struct Address {
    city: String,
    zip: String,
}

#[derive(Serialize)]
struct Prefs {
    theme: String,
    beta: bool,
}

#[derive(Serialize)]
struct SignUp {
    name: String,
    tags: Vec<String>,
    langs: Vec<String>,
    address: Address,
    prefs: Prefs,
    colors: Vec<String>,
    note: Option<String>,
}

/// The `encoding` map of the request body, as the generator writes it.
static ENCODING: &[FieldEncoding] = &[
    FieldEncoding {
        name: "langs",
        style: Style::Form,
        explode: false,
    },
    FieldEncoding {
        name: "address",
        style: Style::DeepObject,
        explode: true,
    },
    FieldEncoding {
        name: "colors",
        style: Style::PipeDelimited,
        explode: false,
    },
];

#[tokio::test]
async fn a_form_body_with_nested_fields_arrives_as_its_encoding_says() {
    let server = Wire::start(vec![ok()]).await;
    let client = client(&server);
    let body = SignUp {
        name: "Nova Star & co".into(),
        tags: vec!["a".into(), "b".into()],
        langs: vec!["en".into(), "fr".into()],
        address: Address {
            city: "Paris".into(),
            zip: "75001".into(),
        },
        prefs: Prefs {
            theme: "dark".into(),
            beta: true,
        },
        colors: vec!["red".into(), "blue".into()],
        note: None,
    };
    send_json_with::<serde_json::Value>(&client, &SIGN_UP, &Default::default(), || {
        Ok(client
            .client()
            .post(format!("{}/v1/accounts", client.baseurl()))
            .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
            .body(form_body(&body, ENCODING)?)
            .build()?)
    })
    .await
    .unwrap();

    let sent = &server.requests()[0];
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let text = String::from_utf8(sent.body.clone()).unwrap();
    assert_eq!(
        decoded(&text),
        pairs(&[
            ("name", "Nova Star & co"),
            // No encoding entry: form, exploded.
            ("tags", "a"),
            ("tags", "b"),
            ("langs", "en,fr"),
            ("address[city]", "Paris"),
            ("address[zip]", "75001"),
            // An exploded form object: one pair per property.
            ("theme", "dark"),
            ("beta", "true"),
            ("colors", "red|blue"),
        ])
    );
}

#[test]
fn a_form_body_that_is_not_an_object_is_refused() {
    let error = form_body(&["a"], &[]).unwrap_err();
    assert_eq!(error.kind(), alakazam_client::ErrorKind::InvalidRequest);
}
