//! The client against a server that answers the PATCH with a huge JSON
//! body (1.5 GB by default), to measure what `max_response_bytes` keeps in
//! memory:
//!
//! ```text
//! cargo build --release -p alakazam-client --example huge_response
//! /usr/bin/time -v target/release/examples/huge_response chunked
//! /usr/bin/time -v target/release/examples/huge_response content-length
//! /usr/bin/time -v target/release/examples/huge_response chunked --limit 67108864
//! ```
//!
//! The server runs in the same process on 127.0.0.1 and writes the body
//! from one small buffer, so the peak resident size is the client's (plus a
//! few MiB of server and runtime). Arguments: the framing (`chunked` or
//! `content-length`), `--limit <bytes>` (the client's
//! `max_response_bytes`, default 16 MiB) and `--body <bytes>` (the body's
//! size, default 1.5 GB).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use alakazam_client::{ApiKey, Client, DEFAULT_MAX_RESPONSE_BYTES, types, uuid::Uuid};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PREFIX: &[u8] = br#"{"name":"Nova","description":""#;
const SUFFIX: &[u8] = br#""}"#;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut chunked = true;
    let mut limit = DEFAULT_MAX_RESPONSE_BYTES;
    let mut body: u64 = 1_500_000_000;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "chunked" => chunked = true,
            "content-length" => chunked = false,
            "--limit" => limit = args.next().ok_or("--limit needs a value")?.parse()?,
            "--body" => body = args.next().ok_or("--body needs a value")?.parse()?,
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    let min = (PREFIX.len() + SUFFIX.len()) as u64;
    if body < min {
        return Err(format!("--body must be at least {min}").into());
    }

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(serve(stream, chunked, body, counter));
        }
    });

    let client = Client::builder()
        .base_url(base_url)
        .api_key(ApiKey::new("sk_test_huge")?)
        .max_retries(0)
        .max_response_bytes(limit)
        .build()?;
    let started = Instant::now();
    let outcome = client
        .update_character()
        .id(Uuid::nil())
        .body(types::CharacterUpdate::builder().name(String::from("Nova")))
        .send()
        .await;
    let elapsed = started.elapsed();
    let framing = if chunked { "chunked" } else { "content-length" };
    println!("body {body} bytes ({framing}), limit {limit} bytes");
    match outcome {
        Ok(r) => println!(
            "decoded: description of {} bytes",
            r.into_inner().description.map_or(0, |d| d.len())
        ),
        Err(e) => println!("failed: {:?}: {e}", e.kind()),
    }
    println!(
        "{:.3} s; the server wrote {} body bytes before the client returned",
        elapsed.as_secs_f64(),
        written.load(Ordering::SeqCst)
    );
    Ok(())
}

/// Reads one request, then writes `{"name":"Nova","description":"xxx…"}` of
/// `body` bytes from one 256 KiB buffer.
async fn serve(mut stream: TcpStream, chunked: bool, body: u64, written: Arc<AtomicU64>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
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
    let framing = if chunked {
        "transfer-encoding: chunked".to_owned()
    } else {
        format!("content-length: {body}")
    };
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{framing}\r\n\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let filler = vec![b'x'; 256 * 1024];
    let mut left = body - (PREFIX.len() + SUFFIX.len()) as u64;
    let mut parts: Vec<&[u8]> = vec![PREFIX];
    loop {
        let n = left.min(filler.len() as u64) as usize;
        left -= n as u64;
        if n > 0 {
            parts.push(&filler[..n]);
        }
        if left == 0 {
            parts.push(SUFFIX);
        }
        for part in parts.drain(..) {
            let ok = if chunked {
                let size = format!("{:x}\r\n", part.len());
                stream.write_all(size.as_bytes()).await.is_ok()
                    && stream.write_all(part).await.is_ok()
                    && stream.write_all(b"\r\n").await.is_ok()
            } else {
                stream.write_all(part).await.is_ok()
            };
            if !ok {
                return;
            }
            written.fetch_add(part.len() as u64, Ordering::SeqCst);
        }
        if left == 0 {
            break;
        }
    }
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n").await;
    }
    let _ = stream.shutdown().await;
}
