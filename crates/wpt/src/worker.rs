//! Running a page in a child process, so that a page stuck in a loop (which no in-process
//! timeout can interrupt) or one that takes the process down is reported as TIMEOUT or
//! CRASH while the run goes on.
//!
//! Protocol: the parent writes one [`PageRequest`] as JSON on the child's stdin and closes
//! it; the child writes one JSON [`PageEvent`] per line on stdout as the page runs, the last
//! being `Finished`. Console output of the page is not forwarded (stdout is the protocol).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::execute::{PageEvent, PageRequest, run_page};
use crate::results::{FileResult, FileStatus};

/// Time a child gets past the page's harness timeout before it is killed. The runtime inside
/// it stops 2 s past the harness timeout on its own, so this only ends stuck processes.
const KILL_GRACE: Duration = Duration::from_secs(5);

/// How much of a crashed child's stderr goes into the file's message.
const STDERR_TAIL: usize = 2000;

/// The program (and leading arguments) that runs [`child_main`]: for the `eme` binary,
/// itself with its hidden worker subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerCommand {
    /// The executable to start for each page.
    pub program: PathBuf,
    /// Arguments passed before anything else (for `eme`, its worker subcommand).
    pub args: Vec<String>,
}

/// The child's side: reads the request from stdin, runs it, streams events on stdout.
pub fn child_main() -> ExitCode {
    let mut input = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("eme wpt worker: cannot read the request: {error}");
        return ExitCode::from(2);
    }
    let request: PageRequest = match serde_json::from_str(&input) {
        Ok(request) => request,
        Err(error) => {
            eprintln!("eme wpt worker: malformed request: {error}");
            return ExitCode::from(2);
        }
    };
    let emit = |event: PageEvent| {
        let mut stdout = std::io::stdout().lock();
        // A parent that went away cannot be told anything; the page just runs out.
        if let Ok(line) = serde_json::to_string(&event) {
            let _ = writeln!(stdout, "{line}");
            let _ = stdout.flush();
        }
    };
    run_page(&request, Rc::new(emit));
    ExitCode::SUCCESS
}

/// The parent's side: runs `request` in a child started with `command`, killing it once the
/// harness timeout plus a grace period has passed.
pub fn run_in_child(command: &WorkerCommand, request: &PageRequest) -> FileResult {
    let started = Instant::now();
    let mut result = run_in_child_inner(command, request);
    if result.duration_ms == 0 {
        result.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    }
    result
}

fn run_in_child_inner(command: &WorkerCommand, request: &PageRequest) -> FileResult {
    let test = request.page.test_name();
    let failed = |status: FileStatus, message: String, subtests| FileResult {
        test: test.clone(),
        status,
        message: Some(message),
        subtests,
        duration_ms: 0,
    };
    let input = match serde_json::to_vec(request) {
        Ok(input) => input,
        Err(error) => {
            return failed(
                FileStatus::Crash,
                format!("cannot encode the request: {error}"),
                Vec::new(),
            );
        }
    };
    let mut child = match Command::new(&command.program)
        .args(&command.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => {
            return failed(
                FileStatus::Crash,
                format!("cannot start {}: {error}", command.program.display()),
                Vec::new(),
            );
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A child that died at once shows up below as a crash.
        let _ = stdin.write_all(&input);
    }

    let (events, received) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if events
                    .send(serde_json::from_str::<PageEvent>(&line))
                    .is_err()
                {
                    break;
                }
            }
        });
    }
    let stderr = child.stderr.take().map(|mut stderr| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        })
    });

    let deadline = Instant::now() + request.harness_timeout().saturating_add(KILL_GRACE);
    let mut subtests = Vec::new();
    let finished = loop {
        let wait = deadline.saturating_duration_since(Instant::now());
        match received.recv_timeout(wait) {
            Ok(Ok(PageEvent::Subtest(subtest))) => subtests.push(subtest),
            Ok(Ok(PageEvent::Finished(result))) => break Some(result),
            Ok(Err(error)) => {
                let _ = child.kill();
                let _ = child.wait();
                return failed(
                    FileStatus::Crash,
                    format!("the worker wrote a malformed event: {error}"),
                    subtests,
                );
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                return failed(
                    FileStatus::Timeout,
                    format!(
                        "the page was still running {} s after its harness timeout and was stopped",
                        KILL_GRACE.as_secs()
                    ),
                    subtests,
                );
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break None,
        }
    };
    let status = child.wait();
    let stderr = stderr
        .and_then(|thread| thread.join().ok())
        .unwrap_or_default();
    match finished {
        Some(result) => result,
        None => {
            let how = match status {
                Ok(status) => format!("the worker exited ({status}) before the page finished"),
                Err(error) => format!("the worker was lost: {error}"),
            };
            let tail = tail_of(stderr.trim(), STDERR_TAIL);
            let message = if tail.is_empty() {
                how
            } else {
                format!("{how}: {tail}")
            };
            failed(FileStatus::Crash, message, subtests)
        }
    }
}

fn tail_of(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}
