//! `eme-wpt`: runs web-platform-tests files against the eme runtime with the real
//! testharness.js, and reports the results the way WPT's tools do.
//!
//! A run: [`discover`] the pages under some paths (`.html` wrappers, `.any.js`, `.window.js`),
//! [`run_pages`] each in a fresh runtime — in a child process per page when isolated, on
//! `jobs` threads — then compare with expectations ([`expectations`]) and write reports
//! ([`report`]).

#![forbid(unsafe_code)]

pub mod discover;
pub mod execute;
pub mod expectations;
mod fetch;
pub mod markup;
pub mod page;
pub mod report;
pub mod resources;
pub mod results;
pub mod suite;
pub mod worker;

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

pub use discover::{Discovery, Skipped, discover, find_root};
pub use execute::{PageRequest, run_page};
pub use page::Page;
pub use resources::Resources;
pub use results::{FileResult, FileStatus, SubtestResult, SubtestStatus};
pub use suite::{SuiteOptions, SuiteOutcome, run_suite};
pub use worker::WorkerCommand;

/// Where the set-up step (`scripts/fetch-test-deps`) puts the test dependencies, relative to
/// the project checkout.
pub const DEPS_DIRECTORY: &str = ".cache/wpt-deps";

/// The environment variable naming the test-dependency directory.
pub const DEPS_VARIABLE: &str = "EME_WPT_DEPS";

/// The test-dependency directory to use when none is given: `$EME_WPT_DEPS`, else the nearest
/// `.cache/wpt-deps` at or above any of `starts`.
pub fn default_deps(starts: &[&Path]) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DEPS_VARIABLE) {
        return Some(PathBuf::from(dir));
    }
    starts.iter().find_map(|start| {
        let start = start.canonicalize().ok()?;
        start
            .ancestors()
            .map(|dir| dir.join(DEPS_DIRECTORY))
            .find(|candidate| candidate.is_dir())
    })
}

/// How each page runs.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// In a thread of this process: fast, but a page stuck inside a callback hangs its thread
    /// and a crash ends the run. For embedders running trusted pages.
    InProcess,
    /// In a child process each: hung pages are killed (TIMEOUT), dead ones reported (CRASH).
    Workers(WorkerCommand),
}

/// How a set of pages runs.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Where every page's scripts and fetched URLs are served from.
    pub resources: Resources,
    /// Pages run at once (at least 1).
    pub jobs: usize,
    /// Scales every harness timeout (10 s, 60 s for `timeout=long`).
    pub timeout_multiplier: f64,
    /// Whether pages run in threads of this process or in worker child processes.
    pub isolation: Isolation,
}

/// A panic inside the runtime is a bug, but it must cost one page, not the run.
fn run_page_catching_panics(request: &PageRequest) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_page(request, Rc::new(|_| {}))
    }))
    .unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        FileResult {
            test: request.page.test_name(),
            status: FileStatus::Crash,
            message: Some(format!("the runtime panicked: {message}")),
            subtests: Vec::new(),
            duration_ms: 0,
        }
    })
}

/// The stack of a thread running pages: what a main thread gets (a worker process runs its page
/// there), since testharness.js pages recurse deeper than a spawned thread's default 2 MiB allows
/// in a debug build.
const PAGE_THREAD_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Runs `pages` on `options.jobs` threads and hands each result to `on_result` in the order
/// of `pages` (a result waits for those before it), with its index.
pub fn run_pages(
    pages: &[Page],
    options: &RunOptions,
    mut on_result: impl FnMut(usize, FileResult),
) {
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        for thread_number in 0..options.jobs.clamp(1, pages.len().max(1)) {
            let sender = sender.clone();
            let next = &next;
            let page_thread = std::thread::Builder::new()
                .name(format!("wpt-page-{thread_number}"))
                .stack_size(PAGE_THREAD_STACK_BYTES);
            let spawned = page_thread.spawn_scoped(scope, move || {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(page) = pages.get(index) else { break };
                    let request = PageRequest {
                        page: page.clone(),
                        resources: options.resources.clone(),
                        timeout_multiplier: options.timeout_multiplier,
                    };
                    let result = match &options.isolation {
                        Isolation::InProcess => run_page_catching_panics(&request),
                        Isolation::Workers(command) => worker::run_in_child(command, &request),
                    };
                    if sender.send((index, result)).is_err() {
                        break;
                    }
                }
            });
            // As `scope.spawn` would: a thread that cannot start is out of resources.
            spawned.expect("cannot start a page thread");
        }
        drop(sender);
        let mut pending = std::collections::BTreeMap::new();
        let mut next_to_report = 0;
        for (index, result) in receiver {
            pending.insert(index, result);
            while let Some(result) = pending.remove(&next_to_report) {
                on_result(next_to_report, result);
                next_to_report += 1;
            }
        }
    });
}
