//! A scripted HTTP/1.1 server on 127.0.0.1 for what httpmock cannot
//! produce: a connection that breaks off in the middle of a response, and
//! a response that repeats the request's `Authorization` header.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
}

pub struct RawServer {
    pub addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    bodies: Arc<std::sync::Mutex<Vec<String>>>,
}

impl RawServer {
    pub async fn start(script: Vec<Reply>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let bodies = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (count, seen) = (requests.clone(), bodies.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let reply = script[n.min(script.len() - 1)].clone();
                let seen = seen.clone();
                tokio::spawn(async move { serve(stream, reply, seen).await });
            }
        });
        RawServer {
            addr,
            requests,
            bodies,
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
        self.bodies.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, reply: Reply, seen: Arc<std::sync::Mutex<Vec<String>>>) {
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
    seen.lock()
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
