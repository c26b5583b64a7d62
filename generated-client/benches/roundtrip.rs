//! PATCH round trips on loopback: alakazam-client vs a bare `reqwest::Client`
//! making the same request, against the same keep-alive server, in the same
//! run. Target: the SDK keeps ≥ 0.95× the bare throughput.
//!
//! ```text
//! cargo bench -p alakazam-client --bench roundtrip
//! ```

use std::net::SocketAddr;
use std::sync::OnceLock;

use alakazam_client::{ApiKey, Client, types, uuid::Uuid};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const RESPONSE_BODY: &str = r#"{"id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","slug":"nova","name":"Nova","description":"A stargazing guide.","cover":null,"visibility":"unlisted","voiceId":null,"modelId":null,"free":true,"greeting":"Hello!","intro":{},"stances":[{"id":"calm","label":"Calm","mood":"serene"}],"persona":"Curious.","scene":null,"lore":null,"examples":null,"schemaVersion":"1.0"}"#;

fn main() {
    divan::main();
}

/// A minimal keep-alive HTTP/1.1 server answering every request with the
/// same character, so both clients pay the same server cost.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req_bench\r\ncontent-length: {}\r\n\r\n{RESPONSE_BODY}",
                    RESPONSE_BODY.len()
                );
                loop {
                    let (mut stream, _) = listener.accept().await.unwrap();
                    let response = response.clone();
                    tokio::spawn(async move {
                        let mut buf = Vec::with_capacity(4096);
                        let mut chunk = [0u8; 4096];
                        loop {
                            // One request: head, then Content-Length bytes.
                            let head_end = loop {
                                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                    break i + 4;
                                }
                                match stream.read(&mut chunk).await {
                                    Ok(0) | Err(_) => return,
                                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                                }
                            };
                            let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                            let length: usize = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse().ok())
                                .unwrap_or(0);
                            while buf.len() < head_end + length {
                                match stream.read(&mut chunk).await {
                                    Ok(0) | Err(_) => return,
                                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                                }
                            }
                            buf.drain(..head_end + length);
                            if stream.write_all(response.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    });
                }
            });
        });
        rx.recv().unwrap()
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn body() -> types::CharacterUpdate {
    types::CharacterUpdate {
        name: Some("Nova".into()),
        visibility: Some(types::Visibility::Unlisted),
        ..Default::default()
    }
}

#[divan::bench(sample_count = 3000)]
fn bare_reqwest(bencher: divan::Bencher) {
    let rt = runtime();
    let http = reqwest::Client::new();
    let url = format!("http://{}/v1/characters/{ID}", server());
    bencher.bench_local(|| {
        rt.block_on(async {
            let character: types::Character = http
                .patch(&url)
                .bearer_auth("sk_test_bench")
                .json(&body())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            divan::black_box(character)
        })
    });
}

#[divan::bench(sample_count = 3000)]
fn alakazam_client(bencher: divan::Bencher) {
    let rt = runtime();
    let client = rt.block_on(async {
        Client::builder()
            .base_url(format!("http://{}", server()))
            .api_key(ApiKey::new("sk_test_bench").unwrap())
            .build()
            .unwrap()
    });
    let id: Uuid = ID.parse().unwrap();
    bencher.bench_local(|| {
        rt.block_on(async {
            let character = client
                .update_character()
                .id(id)
                .body(body())
                .send()
                .await
                .unwrap()
                .into_inner();
            divan::black_box(character)
        })
    });
}
