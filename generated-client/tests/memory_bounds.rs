//! Peak memory, asserted: a 1.5 GB response (chunked, and announced by
//! `Content-Length`) and a 100 MiB streamed multipart upload through a
//! generated builder each leave the process's peak resident size
//! (`VmHWM`, Linux) under the default `max_response_bytes` plus 50 MiB.
//!
//! One test in a binary of its own: the peak is the whole process's, so no
//! other test may run beside it. `examples/huge_response.rs` and
//! `examples/big_upload.rs` print the same figures for other sizes.

mod fast_client;
mod support;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]
mod upload_client;

use std::io::Write;

use alakazam_client::runtime::FilePart;
use alakazam_client::{DEFAULT_MAX_RESPONSE_BYTES, ErrorKind, types};
use support::{RawServer, Reply};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use upload_client::types::UploadCoverBody;

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const HUGE: u64 = 1_500_000_000;
const UPLOAD: usize = 100 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

/// The process's peak resident size in bytes, or `None` off Linux.
fn peak_resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

async fn huge_response(reply: Reply) -> (ErrorKind, u64) {
    let server = RawServer::start(vec![reply]).await;
    let client = fast_client::builder(server.base_url(), "sk_test_memory")
        .max_retries(0)
        .build()
        .unwrap();
    let error = client
        .update_character()
        .id(ID.parse::<uuid::Uuid>().unwrap())
        .body(types::CharacterUpdate::builder().name(String::from("Nova")))
        .send()
        .await
        .unwrap_err();
    (error.kind(), server.written())
}

/// A server that reads one request and answers once all of it arrived,
/// keeping none of it; returns the body bytes it counted.
async fn discarding_server() -> (String, tokio::task::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 64 * 1024];
        let (mut head, mut body, mut length) = (Vec::new(), 0u64, None::<u64>);
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            match length {
                Some(_) => body += n as u64,
                None => {
                    head.extend_from_slice(&buf[..n]);
                    if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                        length = text
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok());
                        assert!(
                            length.is_some(),
                            "a streamed file of known length is not chunked"
                        );
                        body = (head.len() - end - 4) as u64;
                        head = Vec::new();
                    }
                }
            }
            if length.is_some_and(|l| body >= l) {
                break;
            }
        }
        let answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"parts\":1}";
        stream.write_all(answer).await.unwrap();
        body
    });
    (base, task)
}

async fn big_upload() -> u64 {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let piece: Vec<u8> = (0..MIB as usize).map(|i| (i % 251) as u8).collect();
    for _ in 0..UPLOAD / piece.len() {
        file.write_all(&piece).unwrap();
    }
    file.flush().unwrap();
    let (base_url, server) = discarding_server().await;
    let base = fast_client::builder(base_url.clone(), "sk_test_memory")
        .build()
        .unwrap();
    let client = fast_client::fixture_client!(upload_client, base_url, &base);
    let open = tokio::fs::File::open(file.path()).await.unwrap();
    let cover = FilePart::file(open).await.unwrap().file_name("export.bin");
    let stored = client
        .upload_cover()
        .id("c1")
        .body(UploadCoverBody::new(cover, "Nova".parse().unwrap()))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stored.parts, Some(1));
    server.await.unwrap()
}

#[tokio::test]
async fn huge_responses_and_a_big_upload_stay_under_the_cap_plus_50_mib() {
    let Some(before) = peak_resident() else {
        eprintln!("skipped: no /proc/self/status to read the peak resident size from");
        return;
    };
    let bound = DEFAULT_MAX_RESPONSE_BYTES + 50 * MIB;

    let (kind, written) = huge_response(Reply::Chunked(HUGE)).await;
    assert_eq!(kind, ErrorKind::ResponseTooLarge);
    assert!(
        written < HUGE / 10,
        "the client stopped reading early: {written} bytes written"
    );
    let (kind, _) = huge_response(Reply::Declared(HUGE)).await;
    assert_eq!(kind, ErrorKind::ResponseTooLarge);

    let received = big_upload().await;
    assert!(
        received > UPLOAD as u64,
        "the whole file went, in its part: {received} bytes"
    );

    let peak = peak_resident().unwrap();
    assert!(
        peak < bound,
        "peak resident {} MiB (at start {} MiB) is over the cap plus 50 MiB ({} MiB)",
        peak / MIB,
        before / MIB,
        bound / MIB
    );
}
