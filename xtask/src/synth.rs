//! `cargo xtask synth (--operations N | --hierarchy N) [--out PATH]`:
//! writes a synthetic spec of N operations, or of N schemas in an `allOf`
//! hierarchy (see `codegen::synth`), to PATH or standard output.

use std::io::Write;
use std::path::PathBuf;

use crate::{Failure, workspace};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Number of operations (about as many schemas come with them).
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "hierarchy",
        conflicts_with = "hierarchy"
    )]
    operations: Option<usize>,
    /// Instead: N schemas, each extending the three before it (`allOf`).
    #[arg(long, value_name = "N")]
    hierarchy: Option<usize>,
    /// Where to write the spec; standard output when absent.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let text = match (args.operations, args.hierarchy) {
        (_, Some(schemas)) => codegen::synth::hierarchy(schemas),
        (operations, None) => codegen::synth::spec(operations.unwrap_or_default()),
    };
    match &args.out {
        Some(path) => {
            workspace::write_all(&[(path.clone(), text)])?;
            eprintln!("synth: wrote {}", workspace::label(path));
            Ok(())
        }
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::new(format!("error: cannot write to standard output: {e}"))),
    }
}
