//! A whole conformance run as `eme wpt` does it: discover, look up expectations, run, print
//! one line per subtest and per file, compare, summarise, write reports, update expectations.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::discover::{self, DiscoverError, Skipped};
use crate::expectations::{self, Comparison, FileExpectation, Metadata, RunInfo};
use crate::page::Page;
use crate::report;
use crate::results::{FileResult, SubtestStatus};
use crate::{Isolation, Resources, RunOptions, default_deps, run_pages};

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct SuiteOptions {
    /// Test files and directories.
    pub paths: Vec<PathBuf>,
    /// `/` of every URL; default: the nearest directory at or above the first path that holds
    /// `resources/`.
    pub root: Option<PathBuf>,
    /// The test-dependency cache; default: [`default_deps`] from the root and the current dir.
    pub deps: Option<PathBuf>,
    /// Pages run at once (at least 1).
    pub jobs: usize,
    /// Scales every harness timeout (10 s, 60 s for `timeout=long`).
    pub timeout_multiplier: f64,
    /// Where expectation files live; `None`: beside each test file.
    pub meta: Option<PathBuf>,
    /// Rewrite the expectation files so that this run's results are expected.
    pub update_expectations: bool,
    /// Whether pages run in threads of this process or in worker child processes.
    pub isolation: Isolation,
    /// The configuration expectations' conditions and reports see.
    pub run_info: RunInfo,
}

/// Why a run could not be carried out (failing tests are not errors: see [`SuiteOutcome`]).
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// The root or the tests could not be found.
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// The paths hold no test, not even a skipped one; carries the paths, comma-separated.
    #[error("no test found under {0}")]
    NoTests(String),
    /// An expectation file could not be read, parsed or updated.
    #[error("{}: {error}", path.display())]
    Expectations {
        /// The expectation (`.ini`) file.
        path: PathBuf,
        /// What went wrong, as text.
        error: String,
    },
    /// Updating expectations could not read, write or remove an expectation file.
    #[error("{}: {error}", path.display())]
    Write {
        /// The expectation (`.ini`) file.
        path: PathBuf,
        /// The underlying I/O error.
        error: std::io::Error,
    },
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct SuiteOutcome {
    /// Every page that ran, with how it compares with its expectations, in run order.
    pub results: Vec<(FileResult, Comparison)>,
    /// Pages not run: not runnable here, or disabled by their expectations.
    pub skipped: Vec<Skipped>,
    /// Counts over `results` and `skipped`.
    pub totals: Totals,
    /// Milliseconds since the Unix epoch.
    pub time_start: u64,
    /// When the pages finished (before expectations are updated), in milliseconds since the
    /// Unix epoch.
    pub time_end: u64,
    /// Elapsed time from the start of discovery to the end of the last page.
    pub wall_time: Duration,
}

/// Counts over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Pages that ran.
    pub files: usize,
    /// Subtests reported by the pages that ran.
    pub subtests: usize,
    /// Subtests by status: PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED.
    pub by_status: [usize; 5],
    /// Results (harness statuses and subtests) that matched their expectation.
    pub expected: usize,
    /// Results that did not.
    pub unexpected: usize,
    /// Pages not run plus subtests whose expectation disables them.
    pub skipped: usize,
}

impl SuiteOutcome {
    /// `true` when every result matched its expectation.
    pub fn is_expected(&self) -> bool {
        self.totals.unexpected == 0
    }

    /// The wptreport of this run (serialise it with serde for the JSON).
    pub fn wptreport(&self, run_info: &RunInfo) -> report::WptReport<'_> {
        report::wptreport(
            &self.result_pairs(),
            run_info,
            self.time_start,
            self.time_end,
        )
    }

    /// The JUnit XML of this run.
    pub fn junit(&self, suite_name: &str) -> Result<String, quick_junit::SerializeError> {
        report::junit_xml(&self.result_pairs(), suite_name)
    }

    fn result_pairs(&self) -> Vec<(&FileResult, &Comparison)> {
        self.results
            .iter()
            .map(|(result, comparison)| (result, comparison))
            .collect()
    }
}

/// One page to run and where its expectations come from.
struct Planned {
    page: Page,
    ini: PathBuf,
    expectation: FileExpectation,
}

/// Runs the suite, writing the text report to `out` as results arrive.
pub fn run_suite(options: &SuiteOptions, out: &mut dyn Write) -> Result<SuiteOutcome, SuiteError> {
    let started = Instant::now();
    let time_start = epoch_ms();
    let first = options
        .paths
        .first()
        .map_or_else(|| PathBuf::from("."), Clone::clone);
    let root = match &options.root {
        Some(root) => root.clone(),
        None => discover::find_root(&first)?,
    };
    let discovery = discover::discover(&options.paths, &root)?;
    let root = root.canonicalize().unwrap_or(root);
    let mut outcome = SuiteOutcome {
        skipped: discovery.skipped,
        time_start,
        ..SuiteOutcome::default()
    };

    let mut metadata = MetadataCache::default();
    let mut planned = Vec::new();
    for page in discovery.pages {
        let ini = expectations::ini_path(
            Path::new(&page.file)
                .canonicalize()
                .as_deref()
                .unwrap_or(Path::new(&page.file)),
            &root,
            options.meta.as_deref(),
        );
        let expectation = metadata.expectation(&ini, &page.test_name(), &options.run_info)?;
        if let Some(reason) = &expectation.disabled {
            outcome.skipped.push(Skipped {
                test: page.test_name(),
                reason: format!("disabled: {reason}"),
            });
            continue;
        }
        planned.push(Planned {
            page,
            ini,
            expectation,
        });
    }
    if planned.is_empty() && outcome.skipped.is_empty() {
        let shown: Vec<String> = options
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(SuiteError::NoTests(shown.join(", ")));
    }

    let pages: Vec<Page> = planned.iter().map(|p| p.page.clone()).collect();
    let deps = options
        .deps
        .clone()
        .or_else(|| default_deps(&[&root, Path::new(".")]));
    let run_options = RunOptions {
        resources: Resources {
            root: root.clone(),
            deps,
        },
        jobs: options.jobs,
        timeout_multiplier: options.timeout_multiplier,
        isolation: options.isolation.clone(),
    };
    run_pages(&pages, &run_options, |index, result| {
        let comparison = expectations::compare(&result, &planned[index].expectation);
        // A reader may have closed the pipe; the run and its reports go on.
        let _ = write_file_block(out, &result, &comparison);
        outcome.results.push((result, comparison));
    });
    for skipped in &outcome.skipped {
        let _ = writeln!(out, "SKIP    {}: {}", skipped.test, skipped.reason);
    }

    outcome.totals = totals(&outcome.results, outcome.skipped.len());
    outcome.time_end = epoch_ms();
    outcome.wall_time = started.elapsed();
    let _ = write_summary(out, &outcome);

    if options.update_expectations {
        update_expectations(&planned, &outcome.results, &options.run_info, out)?;
    }
    Ok(outcome)
}

#[derive(Default)]
struct MetadataCache(BTreeMap<PathBuf, Option<Metadata>>);

impl MetadataCache {
    fn expectation(
        &mut self,
        ini: &Path,
        test: &str,
        run_info: &RunInfo,
    ) -> Result<FileExpectation, SuiteError> {
        if !self.0.contains_key(ini) {
            let metadata = match std::fs::read_to_string(ini) {
                Ok(text) => {
                    Some(
                        Metadata::parse(&text).map_err(|error| SuiteError::Expectations {
                            path: ini.to_owned(),
                            error: error.to_string(),
                        })?,
                    )
                }
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
                Err(error) => {
                    return Err(SuiteError::Expectations {
                        path: ini.to_owned(),
                        error: error.to_string(),
                    });
                }
            };
            self.0.insert(ini.to_owned(), metadata);
        }
        Ok(match self.0.get(ini).and_then(Option::as_ref) {
            Some(metadata) => metadata.page(expectations::page_name(test), run_info),
            None => FileExpectation::default(),
        })
    }
}

/// The git commit the tests at `root` are checked out at, for wptreport's `revision`.
pub fn revision_of(root: &Path) -> Option<String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let revision = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !revision.is_empty()).then_some(revision)
}

fn epoch_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

/// `  (expected FAIL)` after an entry whose expectation is not the default, `  UNEXPECTED
/// (expected PASS)` after one that did not meet it.
fn expectation_note<S: std::fmt::Display + PartialEq + Copy>(
    verdict: &expectations::Verdict<S>,
    default: S,
) -> String {
    if let Some(reason) = &verdict.disabled {
        return format!("  (disabled: {reason})");
    }
    let expected = verdict.expected.expected;
    if verdict.unexpected {
        format!("  UNEXPECTED (expected {expected})")
    } else if expected != default || verdict.actual != default {
        format!("  (expected {expected})")
    } else {
        String::new()
    }
}

fn write_file_block(
    out: &mut dyn Write,
    result: &FileResult,
    comparison: &Comparison,
) -> std::io::Result<()> {
    for (subtest, verdict) in result.subtests.iter().zip(&comparison.subtests) {
        writeln!(
            out,
            "{:<8}{} > {}{}{}",
            subtest.status.as_str(),
            result.test,
            one_line(&subtest.name),
            message_suffix(subtest.message.as_deref()),
            expectation_note(&verdict.verdict, SubtestStatus::Pass)
        )?;
    }
    writeln!(
        out,
        "{:<8}{}{} ({} subtests, {:.2} s){}",
        result.status.as_str(),
        result.test,
        message_suffix(result.message.as_deref()),
        result.subtests.len(),
        Duration::from_millis(result.duration_ms).as_secs_f64(),
        expectation_note(&comparison.file, crate::FileStatus::Ok)
    )
}

/// `: message` on one line after a status line, or nothing for no (or an empty) message.
fn message_suffix(message: Option<&str>) -> String {
    message
        .filter(|message| !message.is_empty())
        .map(|message| format!(": {}", one_line(message)))
        .unwrap_or_default()
}

fn one_line(text: &str) -> String {
    text.replace('\n', "\\n")
}

fn totals(results: &[(FileResult, Comparison)], skipped_pages: usize) -> Totals {
    let mut totals = Totals {
        files: results.len(),
        skipped: skipped_pages,
        ..Totals::default()
    };
    for (result, comparison) in results {
        if !comparison.file.is_ignored() {
            if comparison.file.unexpected {
                totals.unexpected += 1;
            } else {
                totals.expected += 1;
            }
        }
        for (subtest, verdict) in result.subtests.iter().zip(&comparison.subtests) {
            totals.subtests += 1;
            let index = SubtestStatus::ALL
                .iter()
                .position(|s| *s == subtest.status)
                .unwrap_or(1);
            totals.by_status[index] += 1;
            if verdict.verdict.is_ignored() {
                totals.skipped += 1;
            } else if verdict.verdict.unexpected {
                totals.unexpected += 1;
            } else {
                totals.expected += 1;
            }
        }
    }
    totals
}

fn write_summary(out: &mut dyn Write, outcome: &SuiteOutcome) -> std::io::Result<()> {
    let totals = &outcome.totals;
    let by_status: Vec<String> = SubtestStatus::ALL
        .iter()
        .zip(totals.by_status)
        .filter(|(_, count)| *count > 0)
        .map(|(status, count)| format!("{count} {status}"))
        .collect();
    writeln!(
        out,
        "\nRan {} subtests in {} files in {:.1} s: {}.",
        totals.subtests,
        totals.files,
        outcome.wall_time.as_secs_f64(),
        if by_status.is_empty() {
            "none".to_owned()
        } else {
            by_status.join(", ")
        }
    )?;
    if totals.unexpected > 0 {
        writeln!(out, "Unexpected results:")?;
        for (result, comparison) in &outcome.results {
            if comparison.file.unexpected {
                writeln!(
                    out,
                    "  {} {} (expected {})",
                    result.status, result.test, comparison.file.expected.expected
                )?;
            }
            for (subtest, verdict) in result.subtests.iter().zip(&comparison.subtests) {
                if verdict.verdict.unexpected {
                    writeln!(
                        out,
                        "  {} {} > {} (expected {})",
                        subtest.status,
                        result.test,
                        one_line(&subtest.name),
                        verdict.verdict.expected.expected
                    )?;
                }
            }
        }
    }
    // Results that met their expectation, results that did not, pages and subtests not run.
    writeln!(
        out,
        "{} passed, {} failed, {} skipped",
        totals.expected, totals.unexpected, totals.skipped
    )
}

/// Rewrites each expectation file touched by this run so that its results are expected.
fn update_expectations(
    planned: &[Planned],
    results: &[(FileResult, Comparison)],
    run_info: &RunInfo,
    out: &mut dyn Write,
) -> Result<(), SuiteError> {
    let mut by_ini: BTreeMap<&Path, Vec<&FileResult>> = BTreeMap::new();
    for (plan, (result, _)) in planned.iter().zip(results) {
        by_ini.entry(plan.ini.as_path()).or_default().push(result);
    }
    for (ini, results) in by_ini {
        let existing = match std::fs::read_to_string(ini) {
            Ok(text) => Some(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => {
                return Err(SuiteError::Write {
                    path: ini.to_owned(),
                    error,
                });
            }
        };
        let updated = expectations::update_metadata(existing.as_deref(), &results, run_info)
            .map_err(|error| SuiteError::Expectations {
                path: ini.to_owned(),
                error: error.to_string(),
            })?;
        let write_error = |error| SuiteError::Write {
            path: ini.to_owned(),
            error,
        };
        match (existing, updated) {
            (Some(old), Some(new)) if old == new => {}
            (_, Some(new)) => {
                if let Some(dir) = ini.parent() {
                    std::fs::create_dir_all(dir).map_err(write_error)?;
                }
                std::fs::write(ini, new).map_err(write_error)?;
                let _ = writeln!(out, "updated {}", ini.display());
            }
            (Some(_), None) => {
                std::fs::remove_file(ini).map_err(write_error)?;
                let _ = writeln!(
                    out,
                    "removed {} (everything is at its default)",
                    ini.display()
                );
            }
            (None, None) => {}
        }
    }
    Ok(())
}
