//! Written by `cargo xtask contract` (xtask/src/contract/harness_tap.rs):
//! a relay between the harness's client and Prism that keeps what Prism
//! answered, so that a body the client kept only the start of
//! (`ErrorBody::LIMIT`: the runtime keeps 64 KiB of a body that does not
//! decode) is judged whole. It passes the bytes both ways unchanged: Prism
//! sees the request the client wrote (it routes by the path alone and does
//! not read `Host`). Std only, one thread per direction of a connection.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};

/// How much of Prism's answers one call keeps: more than the client reads
/// of a body (16 MiB by default); past it nothing more is kept.
const KEPT: usize = 32 << 20;

/// What Prism sent since the last `clear`, by connection.
#[derive(Default)]
struct Recorded {
    /// Each connection's bytes, in the order the connections last sent.
    connections: Vec<(u64, Vec<u8>)>,
    kept: usize,
    overflow: bool,
}

/// What the relay the client calls now keeps (one at a time: a Prism
/// started again gets a relay of its own).
static CURRENT: Mutex<Option<Arc<Mutex<Recorded>>>> = Mutex::new(None);

/// A relay listening on a port of its own, forwarding to `upstream`.
pub struct Tap {
    base: String,
}

impl Tap {
    /// A relay to the server of `base` (`http://host:port`, no path); what
    /// it keeps is what [`clear`] and [`last_body`] see from now on.
    pub fn start(base: &str) -> std::io::Result<Tap> {
        let upstream = base
            .strip_prefix("http://")
            .map(|rest| rest.trim_end_matches('/').to_owned())
            .ok_or_else(|| std::io::Error::other(format!("not an http:// base URL: {base}")))?;
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let recorded = Arc::new(Mutex::new(Recorded::default()));
        let shared = Arc::clone(&recorded);
        std::thread::spawn(move || {
            for (id, client) in (0u64..).zip(listener.incoming()) {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                relay(id, client, server, Arc::clone(&shared));
            }
        });
        *CURRENT.lock().unwrap_or_else(PoisonError::into_inner) = Some(recorded);
        Ok(Tap { base })
    }

    /// The base URL the client calls instead of the server's.
    pub fn base(&self) -> &str {
        &self.base
    }
}

fn current() -> Option<Arc<Mutex<Recorded>>> {
    CURRENT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

/// Forgets what was kept: called before each call.
pub fn clear() {
    if let Some(recorded) = current() {
        *recorded.lock().unwrap_or_else(PoisonError::into_inner) = Recorded::default();
    }
}

/// The body of the last response the server sent since [`clear`], whole,
/// when it was kept and reads as one.
pub fn last_body() -> Option<Vec<u8>> {
    let recorded = current()?;
    let r = recorded.lock().unwrap_or_else(PoisonError::into_inner);
    if r.overflow {
        return None;
    }
    body_of_last(&r.connections.last()?.1)
}

/// Relays one connection: the request bytes as they come, the answer's
/// kept before it is passed on (so the client never holds a byte the tap
/// has not).
fn relay(id: u64, client: TcpStream, server: TcpStream, recorded: Arc<Mutex<Recorded>>) {
    let (Ok(mut client_in), Ok(mut server_out)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_in, &mut server_out);
        let _ = server_out.shutdown(Shutdown::Write);
    });
    std::thread::spawn(move || {
        let (mut server, mut client) = (server, client);
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let n = match server.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            keep(&recorded, id, &buf[..n]);
            if client.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = client.shutdown(Shutdown::Both);
    });
}

fn keep(recorded: &Mutex<Recorded>, id: u64, bytes: &[u8]) {
    let mut r = recorded.lock().unwrap_or_else(PoisonError::into_inner);
    if r.overflow || r.kept + bytes.len() > KEPT {
        r.overflow = true;
        return;
    }
    r.kept += bytes.len();
    let mut mine = match r.connections.iter().position(|(c, _)| *c == id) {
        Some(at) => r.connections.remove(at).1,
        None => Vec::new(),
    };
    mine.extend_from_slice(bytes);
    r.connections.push((id, mine));
}

/// The body of the last complete HTTP/1.1 response in `raw` (the bytes of
/// one connection, from a message boundary): by `Content-Length`, chunked,
/// or to the end; `None` when `raw` holds no complete response or one with
/// a `Content-Encoding` (the client asks for none).
fn body_of_last(raw: &[u8]) -> Option<Vec<u8>> {
    let mut rest = raw;
    let mut last = None;
    while !rest.is_empty() {
        let (body, used) = response(rest)?;
        if let Some(body) = body {
            last = Some(body);
        }
        rest = &rest[used..];
    }
    last
}

/// One response at the start of `raw`: its body (`None` for an interim
/// `1xx`) and how many bytes it took.
fn response(raw: &[u8]) -> Option<(Option<Vec<u8>>, usize)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = Some(value.parse::<usize>().ok()?),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" if !value.eq_ignore_ascii_case("identity") => return None,
            _ => {}
        }
    }
    let rest = &raw[end..];
    if (100..200).contains(&status) {
        return Some((None, end));
    }
    if status == 204 || status == 304 {
        return Some((Some(Vec::new()), end));
    }
    if chunked {
        let (body, used) = dechunk(rest)?;
        return Some((Some(body), end + used));
    }
    match length {
        Some(n) => Some((Some(rest.get(..n)?.to_vec()), end + n)),
        None => Some((Some(rest.to_vec()), raw.len())),
    }
}

/// A chunked body: the bytes and how many of `raw` it took (trailers
/// included).
fn dechunk(raw: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let line_end = at + raw.get(at..)?.windows(2).position(|w| w == b"\r\n")?;
        let line = std::str::from_utf8(&raw[at..line_end]).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            // Trailers, then an empty line.
            loop {
                let end = at + raw.get(at..)?.windows(2).position(|w| w == b"\r\n")?;
                let empty = end == at;
                at = end + 2;
                if empty {
                    return Some((body, at));
                }
            }
        }
        body.extend_from_slice(raw.get(at..at.checked_add(size)?)?);
        at += size;
        if raw.get(at..at + 2)? != b"\r\n" {
            return None;
        }
        at += 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_of_the_last_response_by_length_or_chunks() {
        let two = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\n[1,2,3]";
        assert_eq!(body_of_last(two), Some(b"[1,2,3]".to_vec()));
        let chunked = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"a\"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\nTrailer: t\r\n\r\n";
        assert_eq!(body_of_last(chunked), Some(b"{\"a\": 1}".to_vec()));
        let none = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(body_of_last(none), Some(Vec::new()));
        // Cut short, compressed, or no HTTP at all: nothing to judge.
        for raw in [
            &b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}"[..],
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"",
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2",
            b"garbage\r\n\r\n",
            b"",
        ] {
            assert_eq!(body_of_last(raw), None, "{}", String::from_utf8_lossy(raw));
        }
    }

    /// A body longer than what the runtime keeps, through the relay: the
    /// client reads it unchanged, and the tap has all of it.
    #[test]
    fn relays_unchanged_and_keeps_the_whole_answer() {
        let server = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let upstream = format!("http://{}", server.local_addr().expect("its address"));
        let body: Vec<u8> = b"abcdefghijklmnopqrstuvwxyz".repeat(8000);
        let answer = body.clone();
        std::thread::spawn(move || {
            let Ok((mut conn, _)) = server.accept() else {
                return;
            };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && conn.read(&mut byte).is_ok_and(|n| n == 1) {
                request.push(byte[0]);
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
                answer.len()
            );
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(&answer);
        });
        let tap = Tap::start(&upstream).expect("the relay starts");
        clear();
        let address = tap.base().trim_start_matches("http://");
        let mut client = TcpStream::connect(address).expect("the relay answers");
        let _ = client.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut received = Vec::new();
        let _ = client.read_to_end(&mut received);
        assert!(
            received.ends_with(&body),
            "the client got {} bytes",
            received.len()
        );
        assert_eq!(last_body().map(|b| b.len()), Some(body.len()));
        assert_eq!(last_body(), Some(body));
        clear();
        assert_eq!(last_body(), None);
    }
}
