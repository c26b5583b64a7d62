#!/usr/bin/env bash
# The published crate really contains everything: package alakazam-client,
# unpack the .crate into a scratch directory, and build and test a
# downstream crate that depends on the unpacked copy by path (no workspace
# around it). Then the docs as docs.rs builds them, warnings denied.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The dependencies' builds are shared with the workspace's target dir; the
# crate itself is compiled from the unpacked copy.
target="$root/target"
# Outside the workspace, so that nothing there is taken for a member.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/alakazam-package-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# --no-verify: building the unpacked copy below is the verification.
cargo package -p alakazam-client --no-verify --allow-dirty --quiet
version=$(cargo pkgid -p alakazam-client | sed 's/.*[#@]//')
tar -xzf "$target/package/alakazam-client-$version.crate" -C "$scratch"

downstream="$scratch/downstream"
mkdir -p "$downstream/src" "$downstream/tests"
cat >"$downstream/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
alakazam-client = { path = "../alakazam-client-$version", features = ["mock"] }
httpmock = { version = "0.9", default-features = false }
tokio = { version = "1", default-features = false, features = ["rt", "macros"] }
TOML
cat >"$downstream/src/lib.rs" <<'RUST'
//! Uses the published API the way a user's crate does.
use alakazam_client::{ApiKey, Client, types, uuid::Uuid};

pub async fn rename(client: &Client, id: Uuid, name: &str) -> Result<Option<String>, alakazam_client::Error> {
    let body = types::CharacterUpdate::builder().name(name.to_owned());
    let character = client.update_character().id(id).body(body).send().await?.into_inner();
    Ok(character.name)
}

pub fn client(base_url: &str) -> Result<Client, alakazam_client::Error> {
    Client::builder().base_url(base_url).api_key(ApiKey::new("sk_test_1")?).build()
}
RUST
cat >"$downstream/tests/rename.rs" <<'RUST'
use alakazam_client::mock::MockServerExt;
use alakazam_client::{types, uuid::Uuid};

#[tokio::test(flavor = "current_thread")]
async fn renames_against_a_typed_mock() {
    let server = httpmock::MockServer::start_async().await;
    let id = Uuid::nil();
    let mock = server.update_character(|when, then| {
        when.id(&id);
        then.ok(&types::Character { name: Some("Nova".into()), ..Default::default() });
    });
    let client = downstream::client(&server.base_url()).unwrap();
    assert_eq!(downstream::rename(&client, id, "Nova").await.unwrap().as_deref(), Some("Nova"));
    mock.assert();
}
RUST
# The workspace's lock: the same dependency versions as CI tests.
cp "$root/Cargo.lock" "$downstream/Cargo.lock"
cargo test --manifest-path "$downstream/Cargo.toml" --target-dir "$target"
# The README's examples, as doctests of the unpacked crate itself (its
# README is inside the package).
cp "$root/Cargo.lock" "$scratch/alakazam-client-$version/Cargo.lock"
cargo test --manifest-path "$scratch/alakazam-client-$version/Cargo.toml" --target-dir "$target" \
  --features mock --doc

# One TLS backend at a time: native-tls builds without rustls, and the
# default (rustls) without native-tls.
if cargo tree -p alakazam-client --no-default-features --features native-tls -e normal -i rustls >/dev/null 2>&1; then
  echo "error: --features native-tls (no defaults) still builds rustls" >&2; exit 1
fi
if cargo tree -p alakazam-client -e normal -i native-tls >/dev/null 2>&1; then
  echo "error: the default features build native-tls" >&2; exit 1
fi
cargo check -p alakazam-client --no-default-features --features native-tls

RUSTDOCFLAGS="-D warnings" cargo doc -p alakazam-client --all-features --no-deps
echo "package-check: the packaged crate builds and works downstream; docs build without warnings"
