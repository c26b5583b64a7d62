//! Throughput of sequential PATCH round trips on loopback: alakazam-client
//! vs a bare `reqwest::Client` sending the same request, interleaved in
//! rounds within one run so that background load hits both sides alike.
//! Target: the SDK keeps ≥ 0.95× the bare throughput.
//!
//! ```text
//! cargo bench -p alakazam-client --bench throughput
//! ALAKAZAM_BENCH_ROUNDS=40 ALAKAZAM_BENCH_REQUESTS=500 cargo bench -p alakazam-client --bench throughput
//! ```
//!
//! Timings on a busy machine are noisy; instruction counts are not. With
//! `ALAKAZAM_BENCH_ONLY=sdk` (or `bare`) one side runs alone, for
//! `valgrind --tool=callgrind` (see docs/src/records.md, "SDK runtime").
//!
//! Both sides run on one current-thread runtime against the same keep-alive
//! server (its own thread) and decode the response into `types::Character`.
//! The bare side sends the same request (headers and body, byte for byte)
//! with a client configured with the SDK's default 60 s timeout, so the
//! comparison is of the SDK's own work (builder, key check, retry
//! bookkeeping, span), not of bytes or a timer one side lacks.

use std::time::{Duration, Instant};

use alakazam_client::{ApiKey, Client, uuid::Uuid};

#[path = "support/request.rs"]
mod request;
use request::{ID, bare_update, body};
#[path = "support/server.rs"]
mod server;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this with
    // nothing: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let rounds = if quick {
        2
    } else {
        env("ALAKAZAM_BENCH_ROUNDS", 30)
    };
    let requests = if quick {
        20
    } else {
        env("ALAKAZAM_BENCH_REQUESTS", 400)
    };

    let addr = server::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .api_key(ApiKey::new("sk_test_bench").unwrap())
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let url = format!("http://{addr}/v1/characters/{ID}");
    let id: Uuid = ID.parse().unwrap();

    let sdk_round = || {
        rt.block_on(async {
            let started = Instant::now();
            for _ in 0..requests {
                let c = client
                    .update_character()
                    .id(id)
                    .body(body())
                    .send()
                    .await
                    .unwrap();
                std::hint::black_box(c.into_inner());
            }
            started.elapsed()
        })
    };
    let bare_round = || {
        rt.block_on(async {
            let started = Instant::now();
            for _ in 0..requests {
                let c = bare_update(&http, &url).await;
                std::hint::black_box(c);
            }
            started.elapsed()
        })
    };

    // For instruction counts under valgrind (timings here are noisy):
    // ALAKAZAM_BENCH_ONLY=sdk|bare runs one side once and exits.
    match std::env::var("ALAKAZAM_BENCH_ONLY").as_deref() {
        Ok("sdk") => {
            sdk_round();
            return;
        }
        Ok("bare") => {
            bare_round();
            return;
        }
        _ => {}
    }
    // Warm both connection pools and caches.
    sdk_round();
    bare_round();
    let mut ratios = Vec::with_capacity(rounds);
    let (mut sdk_total, mut bare_total) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        // Alternate which side goes first.
        let (sdk, bare) = if round % 2 == 0 {
            let s = sdk_round();
            (s, bare_round())
        } else {
            let b = bare_round();
            (sdk_round(), b)
        };
        sdk_total += sdk;
        bare_total += bare;
        ratios.push(bare.as_secs_f64() / sdk.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    let per_sec = |d: Duration| (rounds * requests) as f64 / d.as_secs_f64();
    println!(
        "throughput ({rounds} rounds × {requests} sequential PATCH round trips, interleaved)\n\
         bare reqwest     {:>9.0} req/s\n\
         alakazam-client  {:>9.0} req/s\n\
         ratio (SDK/bare): median of rounds {median:.3}, p10 {:.3}, p90 {:.3}; overall {:.3}",
        per_sec(bare_total),
        per_sec(sdk_total),
        ratios[ratios.len() / 10],
        ratios[ratios.len() * 9 / 10],
        per_sec(sdk_total) / per_sec(bare_total),
    );
}
