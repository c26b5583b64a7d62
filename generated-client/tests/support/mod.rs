//! A scripted HTTP/1.1 server on 127.0.0.1 for what httpmock cannot
//! produce: a connection that breaks off in the middle of a response, a
//! response that repeats the request's `Authorization` header, a body that
//! is promised but never sent, and a chunked body of any length (counting
//! what it wrote).

// Each test file uses the part of the server its tests need.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with the n-th request (the last entry repeats).
#[derive(Clone)]
pub enum Reply {
    /// A complete response with this status and body.
    Full(u16, &'static str),
    /// Headers promising 100 bytes, then a few bytes, then the connection
    /// is closed.
    BreakOff,
    /// A response with this status that repeats the `Authorization` value
    /// it was sent: in the body (this template, with `{token}` replaced by
    /// the key and `{authorization}` by the whole value), in `x-request-id`
    /// and in `x-echo`.
    Echo(u16, &'static str),
    /// A 200 whose headers promise this many bytes (and repeat the
    /// `Authorization` value in `x-request-id` and `x-echo`, like `Echo`),
    /// then nothing: the server waits for the client to close the
    /// connection, and counts it in [`RawServer::closed`].
    Declared(u64),
    /// A 200 with a chunked JSON body of exactly this many bytes
    /// (`{"name":"Nova"}` padded with spaces, in 1 KiB chunks; `u64::MAX`
    /// never ends), counted in [`RawServer::written`] as it is written; a
    /// write that fails (the client closed) counts in [`RawServer::closed`].
    Chunked(u64),
}

/// What the server observed, shared with its connection tasks.
#[derive(Clone, Default)]
struct Seen {
    bodies: Arc<std::sync::Mutex<Vec<String>>>,
    closed: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
}

pub struct RawServer {
    pub addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    seen: Seen,
}

impl RawServer {
    pub async fn start(script: Vec<Reply>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let seen = Seen::default();
        let (count, shared) = (requests.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let reply = script[n.min(script.len() - 1)].clone();
                let seen = shared.clone();
                tokio::spawn(async move { serve(stream, reply, seen).await });
            }
        });
        RawServer {
            addr,
            requests,
            seen,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The request bodies received so far, in order.
    pub fn bodies(&self) -> Vec<String> {
        self.seen.bodies.lock().unwrap().clone()
    }

    /// Body bytes written so far by `Reply::Chunked`.
    pub fn written(&self) -> u64 {
        self.seen.written.load(Ordering::SeqCst)
    }

    /// Connections of `Reply::Declared` and `Reply::Chunked` the client
    /// closed before the body ended, waiting up to
    /// two seconds for the expected count (the close reaches the server a
    /// moment after the client returns).
    pub async fn closed(&self, expected: usize) -> usize {
        for _ in 0..200 {
            let n = self.seen.closed.load(Ordering::SeqCst);
            if n >= expected {
                return n;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.seen.closed.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, reply: Reply, seen: Seen) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read the head, then as much body as Content-Length says.
    let head_end = loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let authorization = header("authorization").unwrap_or_default();
    while buf.len() < head_end + length {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    seen.bodies
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&buf[head_end..]).into_owned());
    let out = match reply {
        Reply::Full(status, body) => format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ),
        Reply::BreakOff => {
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":".to_owned()
        }
        Reply::Declared(length) => {
            let token = authorization.strip_prefix("Bearer ").unwrap_or_default();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\
                 x-request-id: req_{token}\r\nx-echo: {authorization}\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            // Anything but more of a request means the client is gone.
            while let Ok(n) = stream.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
            }
            seen.closed.fetch_add(1, Ordering::SeqCst);
            return;
        }
        Reply::Chunked(total) => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let start = br#"{"name":"Nova"}"#;
            let mut left = total;
            let mut first = true;
            while left > 0 {
                let n = left.min(1024) as usize;
                let mut data = vec![b' '; n];
                if first {
                    let k = start.len().min(n);
                    data[..k].copy_from_slice(&start[..k]);
                    first = false;
                }
                let mut out = format!("{n:x}\r\n").into_bytes();
                out.extend_from_slice(&data);
                out.extend_from_slice(b"\r\n");
                if stream.write_all(&out).await.is_err() {
                    seen.closed.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                seen.written.fetch_add(n as u64, Ordering::SeqCst);
                left = left.saturating_sub(n as u64);
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
            let _ = stream.shutdown().await;
            return;
        }
        Reply::Echo(status, template) => {
            let token = authorization.strip_prefix("Bearer ").unwrap_or_default();
            let body = template
                .replace("{token}", token)
                .replace("{authorization}", &authorization);
            format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 x-request-id: req_{token}\r\nx-echo: {authorization}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
        }
    };
    let _ = stream.write_all(out.as_bytes()).await;
    let _ = stream.shutdown().await;
}
