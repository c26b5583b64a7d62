//! What every xtask test needs: the workspace root and the built `xtask`
//! binary, run as a maintainer runs it (colour off, output captured).

#![allow(dead_code)] // Each test crate uses its own subset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

/// Runs `cargo xtask ARGS` (the binary cargo built for these tests).
pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("xtask runs")
}

/// Captured output as text, for messages and assertions.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
