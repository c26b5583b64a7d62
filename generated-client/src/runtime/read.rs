//! Reading response bodies.

use bytes::Bytes;
use reqwest::Response;

use crate::error::ErrorBody;

/// The whole body; a body in one chunk is not copied.
pub(super) async fn read_all(response: &mut Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut buf = bytes::BytesMut::with_capacity(first.len() + second.len());
    buf.extend_from_slice(&first);
    buf.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// Reads at most [`ErrorBody::LIMIT`] bytes of an error body. A body that
/// breaks off is kept as far as it came.
pub(super) async fn read_capped(mut response: Response) -> Option<ErrorBody> {
    let mut buf = Vec::new();
    let mut truncated = false;
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = ErrorBody::LIMIT - buf.len();
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            truncated = true;
            break;
        }
        buf.extend_from_slice(&chunk);
    }
    (!buf.is_empty()).then(|| ErrorBody::new(&buf, truncated))
}
