//! `cargo xtask bench --downstream`: what depending on alakazam-client
//! costs a downstream crate's cold build, against the bare stack it wraps.
//!
//! Two binaries that send the same PATCH are built from nothing, each with
//! a target directory of its own (deleted first): one with
//! `alakazam-client` (by path, default features), one with reqwest
//! (rustls, json) + serde + tokio written by hand. The builds run one after
//! the other, so they share the machine's state; the ratio of their wall
//! times is what is reported (issue goal: within 1.1×).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::{Failure, workspace};

const SDK_MAIN: &str = r#"use alakazam_client::{ApiKey, Client, types};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), alakazam_client::Error> {
    let client = Client::builder()
        .api_key(ApiKey::new("sk_test_downstream")?)
        .base_url("http://127.0.0.1:9")
        .build()?;
    let id = alakazam_client::uuid::Uuid::nil();
    let body = types::CharacterUpdate::builder().name(String::from("Nova"));
    let result = client.update_character().id(id).body(body).send().await;
    println!("{}", result.is_ok());
    Ok(())
}
"#;

const BARE_MAIN: &str = r#"#[derive(serde::Serialize)]
struct CharacterUpdate { name: String }

#[derive(serde::Deserialize, Debug)]
struct Character { name: Option<String> }

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), reqwest::Error> {
    let client = reqwest::Client::new();
    let result = client
        .patch("http://127.0.0.1:9/v1/characters/00000000-0000-0000-0000-000000000000")
        .bearer_auth("sk_test_downstream")
        .json(&CharacterUpdate { name: "Nova".into() })
        .send()
        .await;
    if let Ok(r) = result {
        let c: Character = r.json().await?;
        println!("{c:?}");
    }
    Ok(())
}
"#;

pub(crate) fn run() -> Result<(), Failure> {
    let root = workspace::root();
    let dir = root.join("target/bench-downstream");
    let client = root.join("generated-client");
    let sdk_manifest = format!(
        "[package]\nname = \"downstream-sdk\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\nalakazam-client = {{ path = {:?} }}\ntokio = {{ version = \"1\", default-features = false, features = [\"rt\", \"macros\"] }}\n",
        client.display().to_string()
    );
    let bare_manifest = "[package]\nname = \"downstream-bare\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\nreqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"rustls\"] }\nserde = { version = \"1\", features = [\"derive\"] }\ntokio = { version = \"1\", default-features = false, features = [\"rt\", \"macros\"] }\n";
    let sdk = build(&dir.join("sdk"), &sdk_manifest, SDK_MAIN)?;
    let bare = build(&dir.join("bare"), bare_manifest, BARE_MAIN)?;
    println!("cold build, fresh target directories, one after the other:");
    println!("  downstream with alakazam-client   {sdk:>7.1} s");
    println!("  downstream with bare reqwest      {bare:>7.1} s");
    println!("ratio alakazam-client / bare: {:.2}", sdk / bare);
    Ok(())
}

/// Writes the crate at `dir`, deletes its target directory and builds it;
/// returns the wall time in seconds.
fn build(dir: &Path, manifest: &str, main: &str) -> Result<f64, Failure> {
    let io = |e: std::io::Error| Failure::new(format!("error: {}: {e}", dir.display()));
    std::fs::create_dir_all(dir.join("src")).map_err(io)?;
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(io)?;
    std::fs::write(dir.join("src/main.rs"), main).map_err(io)?;
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(io)?;
    }
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .arg("build")
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(io)?;
    if !status.success() {
        return Err(Failure::new(format!(
            "error: building {} failed",
            dir.display()
        )));
    }
    Ok(started.elapsed().as_secs_f64())
}
