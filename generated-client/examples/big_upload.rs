//! Uploads a large file (100 MiB by default) as a streamed multipart part,
//! to measure that the client does not hold it in memory:
//!
//! ```text
//! cargo build --release -p alakazam-client --example big_upload
//! /usr/bin/time -v target/release/examples/big_upload [--size <bytes>]
//! ```
//!
//! The file is written to a temporary directory first, in 1 MiB pieces; a
//! server in the same process on 127.0.0.1 reads the request and counts
//! its bytes without keeping them. It prints the bytes the server counted
//! and the process's peak resident size (`VmHWM`).

use std::io::Write;
use std::time::Instant;

use alakazam_client::runtime::{
    ClientInfo, FilePart, KeyKind, Multipart, Operation, send_empty_with,
};
use alakazam_client::{ApiKey, Client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

static UPLOAD: Operation = Operation {
    id: "uploadExport",
    method: "POST",
    path: "/v1/imports",
    keys: &[KeyKind::Secret],
    returns_redirect: false,
    idempotent: false,
    idempotency_key: None,
    request_id_header: None,
    security: &[&[&alakazam_client::security::SECRET_KEY]],
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut size: usize = 100 * 1024 * 1024;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--size" => size = args.next().ok_or("--size needs a value")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let dir = std::env::temp_dir().join(format!("big_upload_{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("export.bin");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let piece: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
        let mut left = size;
        while left > 0 {
            let n = left.min(piece.len());
            file.write_all(&piece[..n])?;
            left -= n;
        }
        file.flush()?;
    }

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut seen: u64 = 0;
        let mut head = Vec::new();
        let (mut body, mut length) = (0u64, None::<u64>);
        loop {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            seen += n as u64;
            if length.is_none() {
                head.extend_from_slice(&buf[..n]);
                if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                    let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                    length = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok());
                    body = (head.len() - end - 4) as u64;
                    head = Vec::new();
                }
            } else {
                body += n as u64;
            }
            if length.is_some_and(|l| body >= l) {
                break;
            }
        }
        stream
            .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
            .await?;
        Ok::<_, std::io::Error>((seen, body, length))
    });

    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .api_key(ApiKey::new("sk_test_1")?)
        .build()?;
    let file = FilePart::file(tokio::fs::File::open(&path).await?)
        .await?
        .file_name("export.bin");
    let started = Instant::now();
    send_empty_with(&client, &UPLOAD, &Default::default(), || {
        let form = Multipart::new()
            .text("kind", &"export")?
            .file("file", &file)?
            .into_form();
        Ok(client
            .client()
            .post(format!("{}/v1/imports", client.baseurl()))
            .multipart(form)
            .build()?)
    })
    .await?;
    let elapsed = started.elapsed();
    let (seen, body, length) = server.await??;
    std::fs::remove_dir_all(&dir)?;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown");
    println!(
        "file {size} B; server read {seen} B (body {body} B, content-length {length:?}) in {:.2?}; {peak}",
        elapsed
    );
    Ok(())
}
