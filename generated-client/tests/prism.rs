//! The quickstart's call against Prism serving `spec/alakazam.yaml`: an
//! independent mock server that checks the request against the spec
//! (path, headers, body, security) and answers with a response generated
//! from its schemas, which must decode.
//!
//! Prism (`@stoplight/prism-cli`, the version `cargo xtask contract` pins)
//! is installed with npm into `target/prism/` when it is not there yet. On
//! a machine without node and npm the test says so and passes: `cargo test
//! --workspace` must not need them (CI runs `cargo xtask contract`, which
//! does).

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use alakazam_client::{ApiKey, Client, ErrorKind, types, uuid::Uuid};

/// Keep in step with `xtask/src/contract/prism.rs`.
const PRISM_VERSION: &str = "5.16.0";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
}

/// The Prism executable, installed when missing; `None` without node/npm.
fn prism() -> Option<PathBuf> {
    let dir = root().join("target/prism").join(PRISM_VERSION);
    let bin = dir.join("node_modules/.bin/prism");
    // An installed Prism does not run without node either.
    if !on_path("node") {
        return None;
    }
    if bin.exists() {
        return Some(bin);
    }
    if !on_path("npm") {
        return None;
    }
    std::fs::create_dir_all(&dir).ok()?;
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--loglevel",
            "error",
            "--prefix",
        ])
        .arg(&dir)
        .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
        .stdin(Stdio::null())
        .status()
        .ok()?;
    assert!(status.success(), "npm install of Prism failed");
    Some(bin)
}

/// Prism, killed when dropped (also when an assertion fails).
struct Mock {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(bin: &Path) -> Mock {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let log = root().join(format!("target/prism/quickstart-{port}.log"));
    let out = File::create(&log).expect("the log file");
    let err = out.try_clone().expect("the log file");
    let child = Command::new(bin)
        .args([
            "mock",
            "--dynamic",
            "--seed",
            "1",
            "--host",
            "127.0.0.1",
            "--port",
        ])
        .arg(port.to_string())
        .arg(root().join("spec/alakazam.yaml"))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("Prism starts");
    let mut mock = Mock { child, port, log };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let started = Instant::now();
    while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
        let exited = mock.child.try_wait().ok().flatten();
        assert!(exited.is_none(), "Prism exited: {}", read(&mock.log));
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "Prism did not answer: {}",
            read(&mock.log)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    mock
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[tokio::test]
async fn quickstart_against_prism() {
    let Some(bin) = prism() else {
        eprintln!(
            "skipped: node and npm are not on PATH, so Prism cannot run \
             (install Node.js 18+ and npm to run this test)"
        );
        return;
    };
    let mock = start(&bin);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", mock.port))
        .api_key(ApiKey::new("sk_test_quickstart").unwrap())
        .max_retries(0)
        .build()
        .unwrap();
    let id: Uuid = "3c90c3cc-0d44-4b50-8888-8dd25736052a".parse().unwrap();

    let response = client
        .update_character()
        .id(id)
        .body(
            types::CharacterUpdate::builder()
                .name(String::from("Nova"))
                .visibility(types::Visibility::Unlisted),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}; Prism said: {}", read(&mock.log)));
    assert_eq!(response.status(), 200);
    // Prism generated it from the schema; it decoded into the typed model.
    let character: types::Character = response.into_inner();
    assert!(character.name.is_some(), "{character:?}");
    let log = read(&mock.log);
    assert!(
        log.contains("The request passed the validation rules"),
        "{log}"
    );

    // The same call with a publishable key: the client refuses before
    // sending, as the spec's security requirements say.
    let public = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", mock.port))
        .api_key(ApiKey::new("pk_test_quickstart").unwrap())
        .build()
        .unwrap();
    let refused = public.update_character().id(id).send().await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::KeyNotAllowed);
}
