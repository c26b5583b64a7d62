//! Time of the whole pipeline (load → validate → generate → format), on
//! the real spec and on synthetic ones (`codegen::synth`).
//!
//! `cargo bench -p codegen`. The targets: 500 operations in at most
//! 1.5 s (issue 6; 1000 in under 2 s, issue 2), growing linearly with the
//! number of operations; `spec/alakazam.yaml` in at most 50 ms.
//! `cargo xtask bench` measures the same pipeline end to end, with the
//! size and compile time of the output.

use codegen::{Generated, Settings, Spec};
use divan::Bencher;
use divan::counter::ItemsCount;

fn main() {
    divan::main();
}

/// Load from bytes, then generate. The input is read before timing.
fn run(name: &str, bytes: &[u8]) -> Generated {
    let spec = Spec::from_bytes(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    codegen::generate(&spec, &Settings::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[divan::bench(sample_count = 50)]
fn alakazam(bencher: Bencher) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/alakazam.yaml");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    bencher.bench(|| run("spec/alakazam.yaml", &bytes));
}

/// Few samples: one run of 1000 operations takes about a second.
#[divan::bench(args = [10, 100, 500, 1000], sample_count = 10, sample_size = 1)]
fn synthetic(bencher: Bencher, operations: usize) {
    let text = codegen::synth::spec(operations);
    let name = format!("synth-{operations}.yaml");
    bencher
        .counter(ItemsCount::new(operations))
        .bench(|| run(&name, text.as_bytes()));
}

/// Stages on the largest spec, to tell where the time goes: `load` (parse
/// YAML), `prepare` (validate → typed model), and an estimate of `format`:
/// `reparse` parses the generated text with syn, `reformat` parses and
/// unparses it with prettyplease, so format ≈ reformat − reparse. The rest
/// of `synthetic` is progenitor and the rewrite.
mod stages {
    use super::*;

    const OPERATIONS: usize = 1000;

    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn load(bencher: Bencher) {
        let text = codegen::synth::spec(OPERATIONS);
        bencher
            .bench(|| Spec::from_bytes("synth.yaml", text.as_bytes()).map_err(|e| e.to_string()));
    }

    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn prepare(bencher: Bencher) {
        let text = codegen::synth::spec(OPERATIONS);
        let spec =
            Spec::from_bytes("synth.yaml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        bencher.bench(|| codegen::prepare(&spec).map_err(|e| e.to_string()));
    }

    fn generated() -> String {
        let text = codegen::synth::spec(OPERATIONS);
        super::run("synth.yaml", text.as_bytes()).code
    }

    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn reparse(bencher: Bencher) {
        let code = generated();
        bencher.bench(|| syn::parse_file(&code).map_err(|e| e.to_string()));
    }

    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn reformat(bencher: Bencher) {
        let code = generated();
        bencher.bench(|| {
            syn::parse_file(&code)
                .map(|f| prettyplease::unparse(&f))
                .map_err(|e| e.to_string())
        });
    }
}

/// The largest corpus spec: GitHub's REST API (3.7 MB of JSON, 767
/// operations, about 200 normalization warnings), read from
/// `../shared/corpus` (or `CODEGEN_BENCH_GITHUB`); not in the repository,
/// so these benches do nothing without it. `generate` is the whole
/// pipeline, `normalize` the normalization passes alone: issue 4 allows
/// them 10 % of the generation time.
mod github {
    use super::*;

    fn bytes() -> Option<Vec<u8>> {
        let path = std::env::var("CODEGEN_BENCH_GITHUB").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/corpus/progenitor-api.github.com.json"
            )
            .to_owned()
        });
        std::fs::read(path).ok()
    }

    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn generate(bencher: Bencher) {
        match bytes() {
            Some(b) => bencher.bench(|| super::run("github.json", &b)),
            None => bencher.bench(|| ()),
        }
    }

    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn normalize(bencher: Bencher) {
        let Some(b) = bytes() else {
            return bencher.bench(|| ());
        };
        let spec = Spec::from_bytes("github.json", &b).unwrap_or_else(|e| panic!("{e}"));
        bencher.bench(|| codegen::normalize_only(&spec));
    }
}
