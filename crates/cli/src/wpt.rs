//! `eme wpt`: parse the options, hand them to `eme_wpt::run_suite`, write reports, exit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use eme_wpt::expectations::RunInfo;
use eme_wpt::suite::SuiteError;
use eme_wpt::{Isolation, SuiteOptions, WorkerCommand};

use crate::USAGE_ERROR;

#[derive(Debug, clap::Args)]
pub struct WptArgs {
    /// The directory URLs starting with `/` resolve against (default: the nearest directory
    /// at or above the first PATH that holds resources/).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,

    /// The test-dependency cache made by scripts/fetch-test-deps (default: $EME_WPT_DEPS,
    /// else the nearest .cache/wpt-deps at or above the root or the current directory).
    #[arg(long, value_name = "DIR")]
    deps: Option<PathBuf>,

    /// Pages run at once (default: the number of cores).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,

    /// The harness timeout of a page, in seconds (default 10, as WPT's; ×6 for
    /// `timeout=long` pages).
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_timeout)]
    timeout: f64,

    /// Read (and update) expectation files under DIR, mirroring the tests' paths, instead of
    /// beside each test file.
    #[arg(long, value_name = "DIR")]
    meta: Option<PathBuf>,

    /// Rewrite the expectation files so that this run's results become the expected ones.
    #[arg(long)]
    update_expectations: bool,

    /// Write the results in the wptreport JSON format (what wpt.fyi ingests).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    /// Write the results as JUnit XML.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,

    /// Test files (.html, .htm, .any.js, .window.js) or directories holding them.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
}

fn parse_timeout(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds.is_finite() => Ok(seconds),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

/// Runs `eme wpt`: 0 when every result met its expectation (or the expectations were just
/// updated to the results), 1 otherwise or when the run or a report failed, 2 when the paths
/// name no tests that can be found.
pub fn run(args: &WptArgs) -> ExitCode {
    match run_and_report(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("eme wpt: {error:#}");
            match error.downcast_ref::<SuiteError>() {
                Some(SuiteError::Discover(_)) => ExitCode::from(USAGE_ERROR),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

/// Runs the suite and writes the reports asked for; `true` when the run is as expected.
fn run_and_report(args: &WptArgs) -> anyhow::Result<bool> {
    let program =
        std::env::current_exe().context("cannot find the eme executable to run pages with")?;
    let worker = WorkerCommand {
        program,
        args: vec!["wpt-worker".to_owned()],
    };
    let root_for_revision = args
        .root
        .clone()
        .or_else(|| eme_wpt::find_root(&args.paths[0]).ok());
    let mut run_info = RunInfo::current();
    if let Some(revision) = root_for_revision
        .as_deref()
        .and_then(eme_wpt::suite::revision_of)
    {
        run_info = run_info.with("revision", revision);
    }
    let options = SuiteOptions {
        paths: args.paths.clone(),
        root: args.root.clone(),
        deps: args.deps.clone(),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
        timeout_multiplier: args.timeout / eme_wpt::execute::NORMAL_TIMEOUT,
        meta: args.meta.clone(),
        update_expectations: args.update_expectations,
        isolation: Isolation::Workers(worker),
        run_info: run_info.clone(),
    };
    let outcome = eme_wpt::run_suite(&options, &mut std::io::stdout().lock())?;
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&outcome.wptreport(&run_info))
            .context("cannot serialise the wptreport")?;
        write(path, &(json + "\n"))?;
    }
    if let Some(path) = &args.junit {
        let xml = outcome
            .junit("eme wpt")
            .context("cannot serialise the JUnit report")?;
        write(path, &xml)?;
    }
    // Updated expectations describe this run: it is as expected by construction.
    Ok(outcome.is_expected() || args.update_expectations)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
