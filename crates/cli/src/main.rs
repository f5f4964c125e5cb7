//! `eme`: run browser-style EME scripts headless, run conformance tests, decrypt MP4 files.
//!
//! Exit status: 0 when the run reported nothing (no uncaught exception, no unhandled
//! rejection), 1 when it did or timed out, 2 for usage errors (including unreadable files).

#![forbid(unsafe_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

mod bench;
mod decrypt;
mod wpt;
use eme_host::{ClockMode, Error, LocalFileFetcher, RuntimeBuilder};

/// Exit status of a usage error, as clap uses for its own.
pub(crate) const USAGE_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "eme",
    version,
    about = "Run Encrypted Media Extensions scripts headless"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run classic scripts in one global, in order, then the event loop until idle.
    Run(RunArgs),
    /// Run web-platform-tests files (.html, .any.js, .window.js) with testharness.js.
    Wpt(wpt::WptArgs),
    /// Write a clear MP4 from a Common Encryption one (cenc, cbcs, cens, cbc1), or --info.
    Decrypt(decrypt::DecryptArgs),
    /// Measure performance against a reference run in the same process.
    Bench(bench::BenchArgs),
    /// Runs one page for `eme wpt` (internal: request on stdin, events on stdout).
    #[command(hide = true, name = "wpt-worker")]
    WptWorker,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Stop the run after this many seconds (0 = no limit).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds,
          allow_negative_numbers = true)]
    timeout: f64,

    /// Silence console output (errors are still printed).
    #[arg(long, short)]
    quiet: bool,

    /// Run timers in real time. By default the clock is virtual: when nothing else can run it
    /// jumps to the next timer, so waiting costs no wall time (`--timeout` stays wall time).
    #[arg(long)]
    realtime: bool,

    /// Let `fetch()` read files under DIR too (besides the scripts' own directories).
    #[arg(long = "allow-read", value_name = "DIR")]
    allow_read: Vec<PathBuf>,

    /// At the end of the run, print what every media element played: per track, the frames
    /// presented, the time reached and the SHA-256 of the decrypted frames.
    #[arg(long = "media-report")]
    media_report: bool,

    /// The scripts, run in order.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if Duration::try_from_secs_f64(seconds).is_ok() => Ok(seconds),
        _ => Err(format!("`{text}` is not a number of seconds (0 or more)")),
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run(args) => run(&args),
        Command::Wpt(args) => wpt::run(&args),
        Command::Decrypt(args) => decrypt::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::WptWorker => eme_wpt::worker::child_main(),
    }
}

/// Every script as (name, source). All are read before any runs: a typo in the last name must not
/// run the first.
fn read_scripts(files: &[PathBuf]) -> anyhow::Result<Vec<(String, String)>> {
    files
        .iter()
        .map(|path| {
            let source = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Ok((path.display().to_string(), source))
        })
        .collect()
}

fn run(args: &RunArgs) -> ExitCode {
    let scripts = match read_scripts(&args.files) {
        Ok(scripts) => scripts,
        Err(error) => {
            eprintln!("eme: {error:#}");
            return ExitCode::from(USAGE_ERROR);
        }
    };

    let fetcher = match local_fetcher(args) {
        Ok(fetcher) => fetcher,
        Err(error) => {
            eprintln!("eme: {error:#}");
            return ExitCode::from(USAGE_ERROR);
        }
    };

    let timeout = (args.timeout > 0.0).then(|| Duration::from_secs_f64(args.timeout));
    let finished = Arc::new(AtomicBool::new(false));
    if let Some(timeout) = timeout {
        start_watchdog(timeout, args.timeout, finished.clone());
    }

    let mut runtime = RuntimeBuilder::new()
        .quiet(args.quiet)
        .timeout(timeout)
        .clock_mode(if args.realtime {
            ClockMode::Real
        } else {
            ClockMode::Virtual
        })
        .location(fetcher.base().clone())
        .fetcher(fetcher)
        .build();
    let outcome = scripts
        .iter()
        .try_for_each(|(name, source)| runtime.eval_script(source, name).map(drop))
        .and_then(|()| runtime.run_event_loop());
    finished.store(true, Ordering::SeqCst);
    if args.media_report {
        let reports = eme_html::media_reports(runtime.context());
        print!("{}", eme_html::format_media_reports(&reports));
    }
    // Problems were already printed on stderr as they were reported.
    let status = match outcome {
        Ok(()) if runtime.report().is_clean() => ExitCode::SUCCESS,
        Ok(()) => ExitCode::FAILURE,
        Err(Error::TimedOut(_)) => {
            eprintln!("eme: {}", timed_out(args.timeout));
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("eme: {error}");
            ExitCode::FAILURE
        }
    };
    std::io::stdout().flush().ok();
    status
}

/// `fetch()` for the run: paths relative to the first script, files under the scripts'
/// directories and every `--allow-read` directory.
fn local_fetcher(args: &RunArgs) -> anyhow::Result<LocalFileFetcher> {
    for dir in &args.allow_read {
        anyhow::ensure!(
            dir.is_dir(),
            "--allow-read {}: not a directory",
            dir.display()
        );
    }
    let fetcher = LocalFileFetcher::for_scripts(&args.files, &args.allow_read)
        .context("cannot set up fetch() of local files")?;
    Ok(fetcher.with_refusal_hint("pass --allow-read DIR to let fetch() read under DIR"))
}

fn timed_out(seconds: f64) -> String {
    format!("timed out after {seconds} s")
}

/// JavaScript stuck inside a callback (`setTimeout(() => { for (;;); })`) cannot be interrupted
/// in-process; one second after the deadline this thread ends the process instead.
fn start_watchdog(timeout: Duration, seconds: f64, finished: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        std::thread::sleep(timeout.saturating_add(Duration::from_secs(1)));
        if !finished.load(Ordering::SeqCst) {
            eprintln!("eme: {}", timed_out(seconds));
            std::process::exit(1);
        }
    });
}
