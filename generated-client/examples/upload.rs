//! A typed `multipart/form-data` upload, with the client codegen writes for
//! a spec that has one (`codegen/tests/fixtures/bodies_multipart.yaml`;
//! the Alakazam API documents no upload yet). Run it with
//!
//! ```text
//! cargo run -p alakazam-client --example upload
//! ```
//!
//! It answers itself: a mock server on 127.0.0.1 stands in for the API.

#[path = "../tests/upload_client/mod.rs"]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod upload_client;

use alakazam_client::FilePart;
use alakazam_client::runtime::ClientInfo;
use upload_client::types::{Settings, UploadCoverBody};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = httpmock::MockServer::start_async().await;
    server.mock(|when, then| {
        when.method("POST").path("/characters/c1/cover");
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"parts": 4}"#);
    });
    let base = alakazam_client::Client::builder()
        .base_url(server.base_url())
        .build()?;
    let client = upload_client::Client {
        baseurl: server.base_url(),
        client: ClientInfo::client(&base).clone(),
        inner: ClientInfo::inner(&base).clone(),
    };

    // The body is the spec's model: a `format: binary` field takes a
    // `FilePart`, an array of them one part per file, objects go as JSON
    // parts, scalars as text parts.
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n".to_vec();
    let body = UploadCoverBody::new(FilePart::bytes(png).file_name("cover.png"), "Nova".parse()?)
        .tags(vec!["calm".to_owned(), "witty".to_owned()])
        .settings(Settings::builder().voice("warm".to_owned()));
    let stored = client
        .upload_cover()
        .id("c1")
        .body(body)
        .send()
        .await?
        .into_inner();
    println!("stored {:?} parts", stored.parts);
    Ok(())
}
