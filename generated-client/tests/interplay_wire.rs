//! Typed multipart and form bodies on operations that also stream events
//! or download bytes, with styled query parameters beside them: the client
//! generated for `codegen/tests/fixtures/bodies_streams_interplay.yaml`
//! (`interplay_client/`, kept fresh by codegen's
//! `patch_wire_client_is_fresh`) against a server on 127.0.0.1. Every
//! `send*()` of one operation must put the same request on the wire; the
//! server parses the bodies with `multer` and `form_urlencoded`.

mod fast_client;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod interplay_client;
mod wire;

use alakazam_client::runtime::FilePart;
use futures_util::StreamExt;
use interplay_client::types::{
    CreatePortraitBody, CreatePortraitBodySettings, CreatePortraitOptionsQuery, PreviewExportBody,
    RenderExportBody, RenderExportBodyRange, RenderExportFilter, VoiceReplyBody,
};
use wire::{Answer, Captured, End, Wire};

fn client(server: &Wire) -> interplay_client::Client {
    let base = fast_client::builder(server.base_url(), "sk_test_1")
        .build()
        .unwrap();
    fast_client::fixture_client!(interplay_client, server.base_url(), &base)
}

/// One part as `multer` saw it: name, filename, content type, bytes.
type Seen = (String, Option<String>, Option<String>, Vec<u8>);

async fn parts(request: &Captured) -> Vec<Seen> {
    let content_type = request.header("content-type").unwrap();
    let boundary = multer::parse_boundary(content_type).unwrap();
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        out.push((
            field.name().unwrap().to_owned(),
            field.file_name().map(ToOwned::to_owned),
            field.content_type().map(ToString::to_string),
            field.bytes().await.unwrap().to_vec(),
        ));
    }
    out
}

fn pairs(request: &Captured) -> Vec<(String, String)> {
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    form_urlencoded::parse(&request.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn query(request: &Captured) -> Vec<(String, String)> {
    form_urlencoded::parse(request.query().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn s(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

fn events(text: &str) -> Answer {
    Answer::Chunks {
        content_type: "text/event-stream",
        pieces: vec![text.as_bytes().to_vec()],
        pause: std::time::Duration::ZERO,
        end: End::Complete,
    }
}

fn portrait_body() -> CreatePortraitBody {
    CreatePortraitBody::new("a fox".to_owned())
        .reference(FilePart::bytes(&b"\x89PNG"[..]).file_name("ref.png"))
        .settings(CreatePortraitBodySettings::builder().steps(4))
}

#[tokio::test]
async fn send_and_send_events_send_the_same_multipart_body_and_query() {
    let server = Wire::start(vec![
        Answer::Whole(200, "application/json", br#"{"id":"p1"}"#.to_vec()),
        // A 503 before the stream starts is retried with the same parts.
        Answer::Whole(503, "application/json", Vec::new()),
        events("data: {\"percent\":100}\n\ndata: [DONE]\n\n"),
    ])
    .await;
    let client = client(&server);
    // The query parameter `options` has the setter `options_query`
    // (`options()` is the builder's per-call options); it is still sent as
    // `options[size]`, asserted below.
    let options = CreatePortraitOptionsQuery::builder().size(512);
    let portrait = client
        .create_portrait()
        .id("c1")
        .options_query(options.clone())
        .body(portrait_body())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(portrait.id, "p1");
    let mut stream = client
        .create_portrait()
        .id("c1")
        .options_query(options)
        .body(portrait_body())
        .send_events()
        .await
        .unwrap()
        .into_inner();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.data.json().unwrap().percent, 100);
    assert!(stream.next().await.is_none(), "[DONE] ends the stream");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let expected: Vec<Seen> = vec![
        ("prompt".into(), None, None, b"a fox".to_vec()),
        (
            "reference".into(),
            Some("ref.png".into()),
            Some("image/png".into()),
            b"\x89PNG".to_vec(),
        ),
        (
            "settings".into(),
            None,
            Some("application/json".into()),
            br#"{"steps":4}"#.to_vec(),
        ),
    ];
    for (n, request) in requests.iter().enumerate() {
        assert_eq!(
            request.target.split('?').next(),
            Some("/characters/c1/portraits")
        );
        assert_eq!(
            query(request),
            vec![s("options[size]", "512")],
            "request {n}"
        );
        assert_eq!(parts(request).await, expected, "request {n}");
    }
    assert_eq!(requests[0].header("accept"), Some("application/json"));
    assert_eq!(requests[2].header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn an_optional_multipart_body_not_set_sends_no_body() {
    let server = Wire::start(vec![events("data: {\"percent\":1}\n\n")]).await;
    let mut stream = client(&server)
        .create_portrait()
        .id("c1")
        .send_events()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        stream
            .next()
            .await
            .unwrap()
            .unwrap()
            .data
            .json()
            .unwrap()
            .percent,
        1
    );
    let request = &server.requests()[0];
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
    assert_eq!(request.query(), "");
}

#[tokio::test]
async fn a_streaming_send_with_a_multipart_body_sends_its_parts() {
    let server = Wire::start(vec![events("data: {\"percent\":7}\n\n")]).await;
    let mut stream = client(&server)
        .voice_reply()
        .id("c2")
        .tags(vec!["a b".to_owned(), "c".to_owned()])
        .body(VoiceReplyBody::new(FilePart::bytes(&b"RIFF"[..])).language("fr".to_owned()))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        stream
            .next()
            .await
            .unwrap()
            .unwrap()
            .data
            .json()
            .unwrap()
            .percent,
        7
    );
    let request = &server.requests()[0];
    assert_eq!(query(request), vec![s("tags", "a b|c")]);
    let seen = parts(request).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].0, "audio");
    assert_eq!(seen[0].3, b"RIFF");
    assert_eq!(seen[1], ("language".into(), None, None, b"fr".to_vec()));
}

#[tokio::test]
async fn a_download_and_its_send_bytes_send_the_same_form_body() {
    let export = b"PK\x03\x04 export".to_vec();
    let server = Wire::start(vec![Answer::Whole(
        200,
        "application/octet-stream",
        export.clone(),
    )])
    .await;
    let client = client(&server);
    let body = || {
        RenderExportBody::new(vec![1, 2], "zip".to_owned())
            .range(RenderExportBodyRange::builder().first(3).last(9))
    };
    let filter = RenderExportFilter::builder().since("2024".to_owned());
    let mut stream = client
        .render_export()
        .filter(filter.clone())
        .body(body())
        .send()
        .await
        .unwrap()
        .into_inner();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, export);
    let whole = client
        .render_export()
        .filter(filter)
        .body(body())
        .send_bytes()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(&whole[..], &export[..]);

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(query(request), vec![s("filter[since]", "2024")]);
        assert_eq!(
            pairs(request),
            vec![
                s("chats", "1|2"),
                s("format", "zip"),
                s("range[first]", "3"),
                s("range[last]", "9"),
            ]
        );
    }
}

#[tokio::test]
async fn an_optional_form_body_is_sent_alike_by_send_bytes_and_left_out_unset() {
    let server = Wire::start(vec![Answer::Whole(200, "image/png", b"png".to_vec())]).await;
    let client = client(&server);
    let body = PreviewExportBody::builder().chats(vec![4, 5]);
    client
        .preview_export()
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let bytes = client
        .preview_export()
        .body(body)
        .send_bytes()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(&bytes[..], b"png");
    client.preview_export().send_bytes().await.unwrap();

    let requests = server.requests();
    assert_eq!(pairs(&requests[0]), vec![s("chats", "4,5")]);
    assert_eq!(pairs(&requests[1]), vec![s("chats", "4,5")]);
    assert!(requests[2].body.is_empty());
    assert_eq!(requests[2].header("content-type"), None);
}
