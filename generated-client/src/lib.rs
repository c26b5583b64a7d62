//! Rust SDK for the Alakazam character-AI REST API.
//!
//! ```no_run
//! use alakazam_client::{types, ApiKey, Client};
//!
//! # async fn run() -> Result<(), alakazam_client::Error> {
//! let client = Client::builder().api_key(ApiKey::new("sk_live_abc123")?).build()?;
//! let id: alakazam_client::uuid::Uuid = "3c90c3cc-0d44-4b50-8888-8dd25736052a".parse().unwrap();
//! let character = client
//!     .update_character()
//!     .id(id)
//!     .body(types::CharacterUpdate::builder().name(String::from("Nova")))
//!     .send()
//!     .await?
//!     .into_inner();
//! println!("{:?}", character.name);
//! # Ok(()) }
//! ```
//!
//! The crate has two layers. `generated.rs` is written by `cargo xtask
//! regen` from `spec/alakazam.yaml` (typify's types, one builder per
//! operation) and is never edited by hand. Beside it, hand-written: [`ApiKey`] and
//! [`Credential`], the
//! [`ClientBuilder`], the [`Error`] type and the [`runtime`] every generated
//! call goes through (authentication, retries, timeouts, tracing).

#![warn(missing_docs)]
// On docs.rs (`--cfg docsrs`), feature-gated items say which feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, rustdoc::all)]
mod generated;

#[cfg(feature = "mock")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, rustdoc::all)]
mod generated_httpmock;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

mod client;
mod credential;
mod error;
mod key;
mod redact;
mod request_id;
mod retry;
pub mod runtime;

pub use client::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
};
pub use credential::Credential;
pub use error::{Error, ErrorBody, ErrorByStatus, ErrorKind};
pub use generated::{
    Client, ResponseValue, SPEC_SHA256, SPEC_VERSION, builder, operations, prelude, security, types,
};
pub use key::{ApiKey, KeyKind};
pub use redact::REDACTED;
pub use runtime::{ByteStream, Data, Event, EventStream, FilePart, ResponseExt};
/// Re-exported: ids in the API are UUIDs.
pub use uuid;

/// The README's examples, compiled and run as doctests with
/// `cargo test -p alakazam-client --features mock --doc` (an example may
/// use the typed mocks).
#[cfg(all(doctest, feature = "mock"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
