//! PATCH round trips on loopback: alakazam-client vs a bare `reqwest::Client`
//! making the same request, against the same keep-alive server, in the same
//! run. Target: the SDK keeps ≥ 0.95× the bare throughput.
//!
//! ```text
//! cargo bench -p alakazam-client --bench roundtrip
//! ```

use alakazam_client::{ApiKey, Client, types, uuid::Uuid};

#[path = "support/request.rs"]
mod request;
use request::{ID, bare_update, body};
#[path = "support/server.rs"]
mod server;
use server::start as server;

fn main() {
    divan::main();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[divan::bench(sample_count = 3000)]
fn bare_reqwest(bencher: divan::Bencher) {
    let rt = runtime();
    let http = reqwest::Client::new();
    let url = format!("http://{}/v1/characters/{ID}", server());
    bencher.bench_local(|| {
        rt.block_on(async {
            let character = bare_update(&http, &url).await;
            divan::black_box(character)
        })
    });
}

#[divan::bench(sample_count = 3000)]
fn alakazam_client(bencher: divan::Bencher) {
    let rt = runtime();
    let client = rt.block_on(async {
        Client::builder()
            .base_url(format!("http://{}", server()))
            .api_key(ApiKey::new("sk_test_bench").unwrap())
            .build()
            .unwrap()
    });
    let id: Uuid = ID.parse().unwrap();
    bencher.bench_local(|| {
        rt.block_on(async {
            let character = client
                .update_character()
                .id(id)
                .body(body())
                .send()
                .await
                .unwrap()
                .into_inner();
            divan::black_box(character)
        })
    });
}

/// The decode step alone, to tell client overhead from JSON work.
#[divan::bench(sample_count = 3000)]
fn decode_character(bencher: divan::Bencher) {
    bencher.bench_local(|| {
        divan::black_box(
            serde_json::from_str::<types::Character>(divan::black_box(server::RESPONSE_BODY))
                .unwrap(),
        )
    });
}
