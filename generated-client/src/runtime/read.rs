//! Reading response bodies into memory, never more than a limit.

use bytes::Bytes;
use reqwest::Response;

use crate::error::ErrorBody;

/// Why a body was not read whole.
pub(super) enum ReadError {
    /// Longer than the limit: by its `Content-Length` (`Some`, nothing
    /// read), or as it arrived (`None`, reading stopped past the limit).
    TooLarge { declared: Option<u64> },
    /// The body broke off.
    Transport(reqwest::Error),
}

/// The whole body, at most `limit` bytes. A body in one chunk is not
/// copied; a longer one is gathered into one buffer that never grows past
/// the limit (decoding then needs no second copy).
pub(super) async fn read_bounded(response: &mut Response, limit: u64) -> Result<Bytes, ReadError> {
    let declared = response.content_length();
    if let Some(length) = declared
        && length > limit
    {
        return Err(ReadError::TooLarge {
            declared: Some(length),
        });
    }
    // The caller drops the response on an error: the connection goes with
    // it, unread, instead of being drained for reuse.
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let too_large = || ReadError::TooLarge { declared: None };
    let mut next = async || response.chunk().await.map_err(ReadError::Transport);
    let Some(first) = next().await? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(too_large());
    }
    let Some(second) = next().await? else {
        return Ok(first);
    };
    let expected = declared.and_then(|n| usize::try_from(n).ok());
    let mut buf = Vec::with_capacity(expected.unwrap_or(first.len() + second.len()));
    let mut chunk = Some(second);
    buf.extend_from_slice(&first);
    drop(first);
    while let Some(bytes) = chunk {
        let needed = buf.len() + bytes.len();
        if needed > limit {
            return Err(too_large());
        }
        if needed > buf.capacity() {
            // Doubling, but never past the limit.
            let target = needed.max(buf.capacity().saturating_mul(2)).min(limit);
            buf.reserve_exact(target - buf.len());
        }
        buf.extend_from_slice(&bytes);
        chunk = next().await?;
    }
    Ok(Bytes::from(buf))
}

/// Reads at most `limit` bytes of an error body (the smaller of
/// [`ErrorBody::LIMIT`] and the client's limit). A body that breaks off is
/// kept as far as it came.
pub(super) async fn read_capped(mut response: Response, limit: u64) -> Option<ErrorBody> {
    let limit = usize::try_from(limit).map_or(ErrorBody::LIMIT, |l| l.min(ErrorBody::LIMIT));
    let mut buf = Vec::new();
    let mut truncated = false;
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = limit - buf.len();
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            truncated = true;
            break;
        }
        buf.extend_from_slice(&chunk);
    }
    (!buf.is_empty()).then(|| ErrorBody::new(&buf, truncated))
}
