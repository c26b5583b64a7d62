//! Binary request bodies streamed with a known length.
//!
//! A `reqwest::Body` made from a stream has no length, so it goes out
//! chunked; servers that store uploads (and presigned-URL stores) often
//! want `Content-Length` instead. Wrapping the stream in a body whose size
//! hint is exact makes hyper send that header; the stream is still read
//! as it is sent, never held whole.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

use crate::error::Error;

/// A body streamed from `body` (for example `reqwest::Body::wrap_stream`
/// or an open `tokio::fs::File`) that yields exactly `length` bytes, sent
/// with `Content-Length: length`. Like any streamed body it is sent once:
/// a request with it is not retried. A stream that yields another length
/// fails the request.
pub fn sized_body(body: impl Into<reqwest::Body>, length: u64) -> reqwest::Body {
    reqwest::Body::wrap(Sized {
        inner: body.into(),
        length,
    })
}

/// The rest of an open file, from where it is to its end, as a
/// [`sized_body`] of the file's length at this moment.
pub async fn file_body(file: tokio::fs::File) -> Result<reqwest::Body, Error> {
    let metadata = file.metadata().await.map_err(|e| {
        Error::invalid_request(format!("the file to send has no readable length: {e}"))
    })?;
    Ok(sized_body(file, metadata.len()))
}

struct Sized {
    inner: reqwest::Body,
    length: u64,
}

impl Body for Sized {
    type Data = Bytes;
    type Error = reqwest::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, reqwest::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.length)
    }
}
