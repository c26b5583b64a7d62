//! A minimal keep-alive HTTP/1.1 server on 127.0.0.1 answering every
//! request with the same character, so that every client measured pays the
//! same server cost.

use std::net::SocketAddr;
use std::sync::OnceLock;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A character as the docs show one, with realistic values.
pub const RESPONSE_BODY: &str = r#"{"id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","slug":"nova","name":"Nova","description":"A stargazing guide.","cover":null,"visibility":"unlisted","voiceId":null,"modelId":null,"free":true,"greeting":"Hello!","intro":{},"stances":[{"id":"calm","label":"Calm","mood":"serene"}],"persona":"Curious.","scene":null,"lore":null,"examples":null,"schemaVersion":"1.0"}"#;

/// Starts the server once (on its own thread) and returns its address.
pub fn start() -> SocketAddr {
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
