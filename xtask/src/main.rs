//! `cargo xtask …`: the maintainer commands. A thin CLI over the `codegen`
//! library; errors are rendered here, at the edge.
//!
//! Exit codes: 0 success, 1 a spec or check failure, 2 a usage error.

mod bench;
mod changelog;
mod contract;
mod corpus;
mod diff;
mod git;
mod last_regen;
mod manifest;
mod regen;
mod report;
mod scratch;
mod specfuzz;
mod synth;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generation allocates and frees millions of small syntax-tree nodes;
// mimalloc does that in far fewer instructions than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer commands for alakazam-client"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client from the spec (spec/alakazam.yaml →
    /// generated-client/src/generated.rs).
    Regen(regen::Args),
    /// Compare two specs: what changed, what breaks, the next version
    /// (OLD NEW, or --git REV against the working tree).
    Diff(diff::Args),
    /// Generate and `cargo check` every spec of a directory; one line per
    /// spec, then `N passed, M failed`.
    Corpus(corpus::Args),
    /// Check the client generated for a spec against an independent mock
    /// server (Prism): every operation called, every response decoded,
    /// every component schema round-tripped.
    Contract(contract::Args),
    /// Generate and `cargo check` valid documents built to collide (names,
    /// keywords, defaults, composition); print each failure by class.
    Specfuzz(specfuzz::Args),
    /// Write a synthetic spec of N operations (for benchmarks).
    Synth(synth::Args),
    /// Measure codegen time, memory and output size, and the build time
    /// of the generated code, on synthetic specs.
    Bench(bench::Args),
    /// One codegen run that prints its peak memory (used by `bench`).
    #[command(hide = true)]
    BenchChild(bench::ChildArgs),
}

/// A failure the CLI reports: its rendered message and exit code.
pub(crate) struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
}

impl From<codegen::Error> for Failure {
    fn from(e: codegen::Error) -> Self {
        Failure::new(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Regen(args) => regen::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Contract(args) => contract::run(&args),
        Command::Corpus(args) => corpus::run(&args),
        Command::Specfuzz(args) => specfuzz::run(&args),
        Command::Synth(args) => synth::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::BenchChild(args) => bench::run_child(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprint!("{}", f.message);
            if !f.message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(f.code)
        }
    }
}
