//! `multipart/form-data` bodies built with `runtime::Multipart` from a
//! typed model, sent to a server on 127.0.0.1 that parses them with the
//! `multer` crate. The Alakazam spec has no upload yet, so the test builds
//! the body the way generated code would, with an operation of its own.

mod fast_client;
mod wire;

use std::io::Write;

use alakazam_client::runtime::{
    ClientInfo, FilePart, KeyKind, Multipart, Operation, send_json_with,
};
use alakazam_client::{Client, ClientBuilder, Error, ErrorKind};
use serde::Serialize;
use wire::{Answer, Captured, Wire};

static UPLOAD: Operation = Operation {
    id: "uploadCover",
    method: "POST",
    path: "/v1/characters/{id}/cover",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    // As if marked `x-codegen-idempotent: true`: the retry tests below
    // send this POST again.
    idempotent: true,
    idempotency_key: None,
    request_id_header: None,
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

fn builder(base_url: String) -> ClientBuilder {
    fast_client::builder(base_url, "sk_test_1")
}

#[derive(Serialize)]
struct Settings {
    voice: String,
    speed: f64,
}

/// What a generated multipart model looks like: scalars, an array of
/// scalars, objects, one file, an array of files, an absent field.
struct Upload {
    name: String,
    age: Option<u32>,
    tags: Vec<String>,
    settings: Settings,
    meta: serde_json::Value,
    cover: FilePart,
    gallery: Vec<FilePart>,
    caption: Option<String>,
    thumbnail: Option<FilePart>,
}

/// The body as the generated `send()` builds it, once per attempt.
fn form(body: &Upload) -> Result<reqwest::multipart::Form, Error> {
    Ok(Multipart::new()
        .text("name", &body.name)?
        .text("age", &body.age)?
        .text("tags", &body.tags)?
        .json("settings", &body.settings, None)?
        .json("meta", &body.meta, Some("application/vnd.alakazam+json"))?
        .file("cover", &body.cover)?
        .files("gallery", &body.gallery)?
        .text("caption", &body.caption)?
        .files("thumbnail", &body.thumbnail)?
        .into_form())
}

async fn upload(client: &Client, body: &Upload) -> Result<serde_json::Value, Error> {
    send_json_with::<serde_json::Value>(client, &UPLOAD, &Default::default(), || {
        let request = client
            .client()
            .post(format!("{}/v1/characters/c1/cover", client.baseurl()))
            .multipart(form(body)?)
            .build()?;
        Ok(request)
    })
    .await
    .map(|r| r.into_inner())
}

/// One part as the server's parser saw it.
#[derive(Debug, PartialEq)]
struct Seen {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, bytes: &[u8]) -> Seen {
    Seen {
        name: name.into(),
        file_name: file_name.map(Into::into),
        content_type: content_type.map(Into::into),
        bytes: bytes.to_vec(),
    }
}

async fn parse(request: &Captured) -> Vec<Seen> {
    let boundary = multer::parse_boundary(request.header("content-type").unwrap()).unwrap();
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        parts.push(Seen {
            name: field.name().unwrap().to_owned(),
            file_name: field.file_name().map(ToOwned::to_owned),
            content_type: field.content_type().map(ToString::to_string),
            bytes: field.bytes().await.unwrap().to_vec(),
        });
    }
    parts
}

fn ok() -> Answer {
    Answer::Whole(200, "application/json", b"{\"ok\":true}".to_vec())
}

fn unavailable() -> Answer {
    Answer::Whole(503, "application/json", b"{\"error\":\"busy\"}".to_vec())
}

fn every_byte() -> Vec<u8> {
    (0..=255u8).collect()
}

#[tokio::test]
async fn every_kind_of_field_arrives_as_its_part_and_a_retry_sends_the_same() {
    let server = Wire::start(vec![unavailable(), ok()]).await;
    let client = builder(server.base_url()).build().unwrap();
    let body = Upload {
        name: "Nova ✨".into(),
        age: Some(7),
        tags: vec!["calm".into(), "witty".into()],
        settings: Settings {
            voice: "warm".into(),
            speed: 1.5,
        },
        meta: serde_json::json!(["a", {"b": null}]),
        cover: FilePart::bytes(every_byte())
            .file_name("cover.png")
            .content_type("image/png"),
        gallery: vec![
            FilePart::from(b"first".to_vec()).file_name("1.jpg"),
            FilePart::from(&b"second"[..]),
        ],
        caption: None,
        thumbnail: None,
    };
    assert_eq!(
        upload(&client, &body).await.unwrap(),
        serde_json::json!({"ok": true})
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let expected = vec![
        part("name", None, None, "Nova ✨".as_bytes()),
        part("age", None, None, b"7"),
        part("tags", None, None, b"calm"),
        part("tags", None, None, b"witty"),
        part(
            "settings",
            None,
            Some("application/json"),
            br#"{"voice":"warm","speed":1.5}"#,
        ),
        part(
            "meta",
            None,
            Some("application/vnd.alakazam+json"),
            br#"["a",{"b":null}]"#,
        ),
        part("cover", Some("cover.png"), Some("image/png"), &every_byte()),
        part(
            "gallery",
            Some("1.jpg"),
            Some("application/octet-stream"),
            b"first",
        ),
        part("gallery", None, Some("application/octet-stream"), b"second"),
    ];
    for request in &requests {
        assert_eq!(request.method, "POST");
        // Every part has a length: so has the body.
        let length: usize = request.header("content-length").unwrap().parse().unwrap();
        assert_eq!(length, request.body.len());
        assert_eq!(parse(request).await, expected);
    }
}

fn temp_file(len: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
    let content: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&content).unwrap();
    file.flush().unwrap();
    (file, content)
}

fn streamed_upload(cover: FilePart) -> Upload {
    Upload {
        name: "Nova".into(),
        age: None,
        tags: vec![],
        settings: Settings {
            voice: "warm".into(),
            speed: 1.0,
        },
        meta: serde_json::json!({}),
        cover,
        gallery: vec![],
        caption: Some("from disk".into()),
        thumbnail: None,
    }
}

#[tokio::test]
async fn a_file_streams_from_disk_whole() {
    let (file, content) = temp_file(3 * 1024 * 1024 + 17);
    let server = Wire::start(vec![ok()]).await;
    let client = builder(server.base_url()).build().unwrap();
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    let cover = FilePart::file(open).await.unwrap().file_name("export.bin");
    assert!(!cover.is_repeatable());
    assert_eq!(cover.len(), content.len() as u64);
    upload(&client, &streamed_upload(cover)).await.unwrap();

    let parts = parse(&server.requests()[0]).await;
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["name", "settings", "meta", "cover", "caption"]);
    let cover = &parts[3];
    assert_eq!(cover.file_name.as_deref(), Some("export.bin"));
    assert_eq!(
        cover.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert!(cover.bytes == content, "the file arrives byte for byte");
    assert_eq!(parts[4].bytes, b"from disk");
}

#[tokio::test]
async fn a_streamed_file_is_sent_once_and_not_retried() {
    let (file, _) = temp_file(64 * 1024);
    let server = Wire::start(vec![unavailable(), ok()]).await;
    let client = builder(server.base_url()).build().unwrap();
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    let body = streamed_upload(FilePart::file(open).await.unwrap());
    let error = upload(&client, &body).await.unwrap_err();
    // The 503 stands: the stream went with the first attempt.
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests().len(), 1);

    // The same (spent) body again: refused before anything is sent.
    let error = upload(&client, &body).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(server.requests().len(), 1);
}

static PUT_BLOB: Operation = Operation {
    id: "putBlob",
    method: "PUT",
    path: "/v1/blobs/{id}",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    idempotent: true,
    idempotency_key: None,
    request_id_header: None,
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

async fn put_blob(client: &Client, file: &FilePart) -> Result<serde_json::Value, Error> {
    send_json_with::<serde_json::Value>(client, &PUT_BLOB, &Default::default(), || {
        Ok(client
            .client()
            .put(format!("{}/v1/blobs/b1", client.baseurl()))
            .header(reqwest::header::CONTENT_TYPE, file.mime())
            .header(reqwest::header::CONTENT_LENGTH, file.len())
            .body(file.to_body()?)
            .build()?)
    })
    .await
    .map(|r| r.into_inner())
}

#[tokio::test]
async fn a_binary_body_from_bytes_is_resent_and_from_a_file_is_streamed_once() {
    let server = Wire::start(vec![unavailable(), ok()]).await;
    let client = builder(server.base_url()).build().unwrap();
    let blob = FilePart::bytes(every_byte()).content_type("image/png");
    put_blob(&client, &blob).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("content-type"), Some("image/png"));
        assert_eq!(request.header("content-length"), Some("256"));
        assert_eq!(request.body, every_byte());
    }

    let (file, content) = temp_file(1024 * 1024 + 3);
    let server = Wire::start(vec![ok()]).await;
    let client = builder(server.base_url()).build().unwrap();
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    let blob = FilePart::file(open).await.unwrap();
    put_blob(&client, &blob).await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!(
        sent.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(
        sent.header("content-length"),
        Some(content.len().to_string().as_str())
    );
    assert!(sent.body == content, "the file arrives byte for byte");
    // Spent: refused, nothing sent.
    let error = put_blob(&client, &blob).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(server.requests().len(), 1);
}
