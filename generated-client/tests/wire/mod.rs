//! A scripted HTTP/1.1 server on 127.0.0.1 that keeps every request it
//! receives (target, headers, body) for the test to parse with a parser of
//! its own, and answers each from a script: a whole response, or a chunked
//! body written piece by piece (one chunk per piece, flushed), ending
//! properly or broken off.

// Each test file uses the part of the server its tests need.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Captured {
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query, after `?` (empty without one).
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// What the server answers the n-th request with (the last one repeats).
#[derive(Clone)]
pub enum Answer {
    /// A complete response: status, content type, body.
    Whole(u16, &'static str, Vec<u8>),
    /// A 200 with this content type and a chunked body, one chunk per
    /// piece, each flushed, `pause` apart; then as `end` says.
    Chunks {
        content_type: &'static str,
        pieces: Vec<Vec<u8>>,
        pause: Duration,
        end: End,
    },
    /// No response at all: the server waits for the client to close.
    Nothing,
}

/// How a chunked body ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// With the last chunk.
    Complete,
    /// The connection is closed without the last chunk.
    Broken,
    /// Nothing more is sent, the connection stays open until the client
    /// closes it.
    Silent,
}

impl Answer {
    /// An event stream written one byte per chunk.
    pub fn bytewise(text: &[u8], end: End) -> Answer {
        Answer::Chunks {
            content_type: "text/event-stream",
            pieces: text.iter().map(|b| vec![*b]).collect(),
            pause: Duration::ZERO,
            end,
        }
    }
}

pub struct Wire {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Captured>>>,
}

impl Wire {
    pub async fn start(script: Vec<Answer>) -> Wire {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = seen.clone();
        tokio::spawn(async move {
            let mut n = 0usize;
            while let Ok((stream, _)) = listener.accept().await {
                let answer = script[n.min(script.len() - 1)].clone();
                n += 1;
                let seen = shared.clone();
                tokio::spawn(async move { serve(stream, answer, seen).await });
            }
        });
        Wire { addr, seen }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Captured> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, answer: Answer, seen: Arc<Mutex<Vec<Captured>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    seen.lock().unwrap().push(request);
    match answer {
        Answer::Nothing => {
            let mut rest = [0u8; 64];
            while let Ok(n) = stream.read(&mut rest).await {
                if n == 0 {
                    break;
                }
            }
        }
        Answer::Whole(status, content_type, body) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Answer::Chunks {
            content_type,
            pieces,
            pause,
            end,
        } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\n\
                 transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for piece in pieces {
                let chunk = [format!("{:x}\r\n", piece.len()).as_bytes(), &piece, b"\r\n"].concat();
                if stream.write_all(&chunk).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
                // Lets the client read each chunk on its own.
                tokio::task::yield_now().await;
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
            match end {
                End::Complete => {
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                }
                End::Broken => {}
                End::Silent => {
                    let mut rest = [0u8; 64];
                    // Returns when the client closes.
                    while let Ok(n) = stream.read(&mut rest).await {
                        if n == 0 {
                            break;
                        }
                    }
                }
            }
        }
    }
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
    // Give the client a moment to read before the socket is dropped.
    tokio::time::sleep(Duration::from_millis(5)).await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Captured> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = buf[head_end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    if let Some(length) = length {
        while body.len() < length {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = read_chunked(stream, body, &mut chunk).await?;
    }
    Some(Captured {
        method,
        target,
        headers,
        body,
    })
}

/// Decodes a chunked request body (`raw` is what arrived with the head).
async fn read_chunked(
    stream: &mut TcpStream,
    mut raw: Vec<u8>,
    chunk: &mut [u8],
) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        // Enough bytes for the size line?
        let line_end = loop {
            if let Some(i) = raw[at..].windows(2).position(|w| w == b"\r\n") {
                break at + i;
            }
            let n = stream.read(chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            raw.extend_from_slice(&chunk[..n]);
        };
        let size_text = String::from_utf8_lossy(&raw[at..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        let data_start = line_end + 2;
        while raw.len() < data_start + size + 2 {
            let n = stream.read(chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            raw.extend_from_slice(&chunk[..n]);
        }
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(&raw[data_start..data_start + size]);
        at = data_start + size + 2;
    }
}
