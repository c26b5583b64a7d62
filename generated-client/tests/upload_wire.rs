//! Typed `multipart/form-data` uploads on the wire: the client generated
//! for `codegen/tests/fixtures/bodies_multipart.yaml` (`upload_client/`,
//! kept fresh by codegen's `patch_wire_client_is_fresh`) against a server
//! on 127.0.0.1 whose bytes the `multer` crate parses.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod upload_client;
mod wire;

use std::io::Write;

use alakazam_client::runtime::FilePart;
use alakazam_client::{Error, ErrorKind};
use upload_client::types::{AvatarUpload, Settings, UploadCoverBody};
use wire::{Answer, Captured, Wire};

/// A client of the fixture API on alakazam-client's configuration.
fn client(server: &Wire) -> upload_client::Client {
    let base = fast_client::builder(server.base_url(), "sk_test_1")
        .build()
        .unwrap();
    fast_client::fixture_client!(upload_client, server.base_url(), &base)
}

/// One part as the server's parser saw it: name, filename, content type, bytes.
type Seen = (String, Option<String>, Option<String>, Vec<u8>);

fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, bytes: &[u8]) -> Seen {
    (
        name.into(),
        file_name.map(Into::into),
        content_type.map(Into::into),
        bytes.to_vec(),
    )
}

async fn parse(request: &Captured) -> Vec<Seen> {
    let content_type = request.header("content-type").unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    let boundary = multer::parse_boundary(content_type).unwrap();
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        let name = field.name().unwrap().to_owned();
        let file_name = field.file_name().map(ToOwned::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        parts.push((
            name,
            file_name,
            content_type,
            field.bytes().await.unwrap().to_vec(),
        ));
    }
    parts
}

fn stored() -> Answer {
    Answer::Whole(200, "application/json", b"{\"parts\":9}".to_vec())
}

fn unavailable() -> Answer {
    Answer::Whole(503, "application/json", b"{\"error\":\"busy\"}".to_vec())
}

fn every_byte() -> Vec<u8> {
    (0..=255u8).collect()
}

fn body_with(cover: FilePart) -> UploadCoverBody {
    let mut meta = serde_json::Map::new();
    meta.insert("b".into(), serde_json::json!([1, null]));
    UploadCoverBody::new(cover, "Nova ✨".parse().unwrap())
        .age(7)
        .tags(vec!["calm".to_owned(), "witty".to_owned()])
        .settings(Settings::builder().voice("warm".to_owned()).speed(1.5))
        .meta(meta)
        .gallery(vec![
            FilePart::bytes(&b"first"[..]).file_name("1.jpg"),
            FilePart::bytes(&b"second"[..]).content_type("image/webp"),
        ])
}

async fn upload(client: &upload_client::Client, body: UploadCoverBody) -> Result<i64, Error> {
    let stored = client
        .upload_cover()
        .id("c1")
        .body(body)
        .send()
        .await?
        .into_inner();
    Ok(stored.parts.unwrap())
}

#[tokio::test]
async fn every_field_is_its_part_and_a_retry_sends_the_same_parts() {
    let server = Wire::start(vec![unavailable(), stored()]).await;
    let cover = FilePart::bytes(every_byte()).file_name("cover.png");
    assert_eq!(upload(&client(&server), body_with(cover)).await.unwrap(), 9);

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 503 was retried");
    // The model's fields in its order; absent ones (thumbnail) send nothing.
    let expected = vec![
        part("age", None, None, b"7"),
        // `encoding.cover.contentType` where the file names none.
        part("cover", Some("cover.png"), Some("image/png"), &every_byte()),
        part(
            "gallery",
            Some("1.jpg"),
            Some("application/octet-stream"),
            b"first",
        ),
        part("gallery", None, Some("image/webp"), b"second"),
        part(
            "meta",
            None,
            Some("application/vnd.alakazam+json"),
            br#"{"b":[1,null]}"#,
        ),
        part("name", None, None, "Nova ✨".as_bytes()),
        part(
            "settings",
            None,
            Some("application/json"),
            br#"{"speed":1.5,"voice":"warm"}"#,
        ),
        part("tags", None, None, b"calm"),
        part("tags", None, None, b"witty"),
    ];
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/characters/c1/cover");
        assert_eq!(parse(request).await, expected);
    }
}

#[tokio::test]
async fn a_streamed_file_is_sent_once_and_not_retried() {
    let content: Vec<u8> = (0..256 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&content).unwrap();
    file.flush().unwrap();
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    let cover = FilePart::file(open).await.unwrap().file_name("big.bin");

    // Sent whole, as the file's own part.
    let server = Wire::start(vec![stored()]).await;
    upload(&client(&server), body_with(cover)).await.unwrap();
    let parts = parse(&server.requests()[0]).await;
    let cover = parts.iter().find(|p| p.0 == "cover").unwrap();
    assert_eq!(cover.1.as_deref(), Some("big.bin"));
    assert!(cover.3 == content, "the file arrives byte for byte");

    // A failure is not retried: the stream went with the first attempt.
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    let cover = FilePart::file(open).await.unwrap();
    let server = Wire::start(vec![unavailable(), stored()]).await;
    let error = upload(&client(&server), body_with(cover))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_shared_request_body_component_is_typed_too() {
    let server = Wire::start(vec![Answer::Whole(204, "application/json", Vec::new())]).await;
    client(&server)
        .put_avatar()
        .body(AvatarUpload::new(FilePart::bytes(vec![1, 2, 3])).caption("me".to_owned()))
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(
        parse(request).await,
        vec![
            part("caption", None, None, b"me"),
            part("image", None, Some("application/octet-stream"), &[1, 2, 3]),
        ]
    );
}

#[tokio::test]
async fn a_required_body_not_set_sends_nothing() {
    let server = Wire::start(vec![stored()]).await;
    let error = client(&server)
        .upload_cover()
        .id("c1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(server.requests().is_empty());
}

#[test]
fn a_model_with_files_is_still_json_its_files_as_their_bytes() {
    let body = AvatarUpload::new(FilePart::bytes(&b"text"[..]).file_name("a.txt"))
        .caption("me".to_owned());
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json, serde_json::json!({"caption": "me", "image": "text"}));
    let binary = AvatarUpload::new(FilePart::bytes(vec![0xff, 0]));
    let json = serde_json::to_value(&binary).unwrap();
    assert_eq!(json["image"], serde_json::json!([255, 0]));
    let back: AvatarUpload = serde_json::from_value(json).unwrap();
    assert_eq!(back.image.len(), 2);
}

#[tokio::test]
async fn a_streamed_file_has_no_json_form() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    let body = AvatarUpload::new(FilePart::file(open).await.unwrap());
    let error = serde_json::to_value(&body).unwrap_err();
    assert!(error.to_string().contains("streamed file part"), "{error}");
}
