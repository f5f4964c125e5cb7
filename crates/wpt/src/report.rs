//! Run reports for other tools: wptreport JSON (what wptrunner writes with `--log-wptreport` and
//! wpt.fyi ingests) and JUnit XML (what CI systems display).

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::expectations::{Comparison, Expected, RunInfo, Verdict};
use crate::results::{FileResult, SubtestResult, SubtestStatus};

// ---------------------------------------------------------------------------------------------
// wptreport
// ---------------------------------------------------------------------------------------------

/// The `run_info` keys wpt.fyi refuses a report without.
pub const WPT_FYI_REQUIRED_RUN_INFO: &[&str] = &["product", "browser_version", "os", "revision"];

/// Harness statuses a wptreport result may have (wptrunner's whole vocabulary, so reports from
/// other runners validate too).
const TEST_STATUSES: &[&str] = &[
    "OK",
    "ERROR",
    "TIMEOUT",
    "CRASH",
    "PRECONDITION_FAILED",
    "PASS",
    "FAIL",
    "SKIP",
    "ASSERT",
    "EXTERNAL-TIMEOUT",
    "INTERNAL-ERROR",
];

/// Statuses a wptreport subtest may have.
const SUBTEST_STATUSES: &[&str] = &[
    "PASS",
    "FAIL",
    "TIMEOUT",
    "NOTRUN",
    "PRECONDITION_FAILED",
    "ERROR",
    "ASSERT",
    "SKIP",
];

/// The verdict for the `index`th subtest, or a default `PASS` expectation if the comparison was
/// made for a different result and has none, so a mismatch degrades instead of panicking.
fn subtest_verdict(
    comparison: &Comparison,
    index: usize,
    subtest: &SubtestResult,
) -> Verdict<SubtestStatus> {
    match comparison.subtests.get(index) {
        Some(verdict) if verdict.name == subtest.name => verdict.verdict.clone(),
        _ => Verdict::new(subtest.status, Expected::default(), None),
    }
}

fn status_names<S: ToString>(statuses: &[S]) -> Value {
    Value::Array(
        statuses
            .iter()
            .map(|s| Value::String(s.to_string()))
            .collect(),
    )
}

/// Adds `expected` when the actual status is not the one the metadata names first — as mozlog
/// does, so a known-intermittent status also carries it and readers check `known_intermittent`.
/// Disabled entries never carry it: their outcome is not judged.
fn mark_expectation<S: ToString + PartialEq + Copy>(
    entry: &mut Map<String, Value>,
    verdict: &Verdict<S>,
) {
    if verdict.disabled.is_none() && verdict.actual != verdict.expected.expected {
        entry.insert(
            "expected".to_owned(),
            Value::String(verdict.expected.expected.to_string()),
        );
    }
    entry.insert(
        "known_intermittent".to_owned(),
        status_names(&verdict.expected.known_intermittent),
    );
}

/// The run info as the report carries it: every entry of `run_info`, plus `browser_version` taken
/// from `version` when not given explicitly. `revision` (the WPT commit) is only there if the
/// embedder set it; [`check_wptreport`] reports it missing otherwise.
fn report_run_info(run_info: &RunInfo) -> Map<String, Value> {
    let mut map = match serde_json::to_value(run_info) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    if !map.contains_key("browser_version")
        && let Some(version) = run_info.get("version")
    {
        map.insert(
            "browser_version".to_owned(),
            Value::String(version.to_string()),
        );
    }
    map
}

/// A wptreport document for `results`, each with the comparison made for it.
pub fn wptreport(
    results: &[(&FileResult, &Comparison)],
    run_info: &RunInfo,
    time_start_ms: u64,
    time_end_ms: u64,
) -> Value {
    let entries: Vec<Value> = results
        .iter()
        .map(|(result, comparison)| {
            let subtests: Vec<Value> = result
                .subtests
                .iter()
                .enumerate()
                .map(|(index, subtest)| {
                    let mut entry = Map::new();
                    entry.insert("name".to_owned(), json!(subtest.name));
                    entry.insert("status".to_owned(), json!(subtest.status.as_str()));
                    entry.insert("message".to_owned(), json!(subtest.message));
                    mark_expectation(&mut entry, &subtest_verdict(comparison, index, subtest));
                    Value::Object(entry)
                })
                .collect();
            let mut entry = Map::new();
            entry.insert("test".to_owned(), json!(result.test));
            entry.insert("status".to_owned(), json!(result.status.as_str()));
            entry.insert("message".to_owned(), json!(result.message));
            entry.insert("duration".to_owned(), json!(result.duration_ms));
            entry.insert("subtests".to_owned(), Value::Array(subtests));
            // The file verdict belongs to this result only if the statuses agree.
            let file_verdict = if comparison.file.actual == result.status {
                comparison.file.clone()
            } else {
                Verdict::new(result.status, Expected::default(), None)
            };
            mark_expectation(&mut entry, &file_verdict);
            Value::Object(entry)
        })
        .collect();
    json!({
        "results": entries,
        "run_info": report_run_info(run_info),
        "time_start": time_start_ms,
        "time_end": time_end_ms,
    })
}

/// Collects what is wrong with a report, with a JSON-path-like location for each problem.
struct ReportChecker {
    problems: Vec<String>,
}

impl ReportChecker {
    fn problem(&mut self, path: &str, message: &str) {
        self.problems.push(format!("{path}: {message}"));
    }

    fn optional_message(&mut self, entry: &Map<String, Value>, path: &str) {
        match entry.get("message") {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(_) => self.problem(&format!("{path}.message"), "must be null or a string"),
        }
    }

    fn status(
        &mut self,
        entry: &Map<String, Value>,
        path: &str,
        allowed: &[&str],
    ) -> Option<String> {
        let path = format!("{path}.status");
        match entry.get("status") {
            Some(Value::String(status)) if allowed.contains(&status.as_str()) => {
                Some(status.clone())
            }
            Some(Value::String(status)) => {
                self.problem(&path, &format!("`{status}` is not a known status"));
                None
            }
            Some(_) => {
                self.problem(&path, "must be a string");
                None
            }
            None => {
                self.problem(&path, "is missing");
                None
            }
        }
    }

    /// `expected` is optional but must be a status different from the actual one (wptreport only
    /// writes it for a mismatch); `known_intermittent` is optional but must list statuses.
    fn expectation(
        &mut self,
        entry: &Map<String, Value>,
        path: &str,
        status: Option<&str>,
        allowed: &[&str],
    ) {
        match entry.get("expected") {
            None => {}
            Some(Value::String(expected)) if !allowed.contains(&expected.as_str()) => self.problem(
                &format!("{path}.expected"),
                &format!("`{expected}` is not a known status"),
            ),
            Some(Value::String(expected)) if Some(expected.as_str()) == status => self.problem(
                &format!("{path}.expected"),
                "equals status; wptreport only writes `expected` for a different status",
            ),
            Some(Value::String(_)) => {}
            Some(_) => self.problem(&format!("{path}.expected"), "must be a string"),
        }
        match entry.get("known_intermittent") {
            None => {}
            Some(Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    let known = item.as_str().is_some_and(|s| allowed.contains(&s));
                    if !known {
                        self.problem(
                            &format!("{path}.known_intermittent[{index}]"),
                            "must be a status name",
                        );
                    }
                }
            }
            Some(_) => self.problem(
                &format!("{path}.known_intermittent"),
                "must be an array of statuses",
            ),
        }
    }

    fn subtest(&mut self, value: &Value, path: &str) {
        let Some(entry) = value.as_object() else {
            self.problem(path, "must be an object");
            return;
        };
        if !entry.get("name").is_some_and(Value::is_string) {
            self.problem(&format!("{path}.name"), "must be a string");
        }
        let status = self.status(entry, path, SUBTEST_STATUSES);
        self.optional_message(entry, path);
        self.expectation(entry, path, status.as_deref(), SUBTEST_STATUSES);
    }

    fn result(&mut self, value: &Value, path: &str, tests_seen: &mut HashSet<String>) {
        let Some(entry) = value.as_object() else {
            self.problem(path, "must be an object");
            return;
        };
        match entry.get("test") {
            Some(Value::String(test)) if !test.starts_with('/') => {
                self.problem(
                    &format!("{path}.test"),
                    "must be a URL path starting with `/`",
                );
            }
            Some(Value::String(test)) => {
                if !tests_seen.insert(test.clone()) {
                    self.problem(
                        &format!("{path}.test"),
                        &format!("`{test}` appears more than once (wpt.fyi rejects that)"),
                    );
                }
            }
            _ => self.problem(&format!("{path}.test"), "must be a string"),
        }
        let status = self.status(entry, path, TEST_STATUSES);
        self.optional_message(entry, path);
        if let Some(duration) = entry.get("duration")
            && duration.as_u64().is_none()
        {
            self.problem(
                &format!("{path}.duration"),
                "must be a non-negative whole number of milliseconds",
            );
        }
        self.expectation(entry, path, status.as_deref(), TEST_STATUSES);
        match entry.get("subtests") {
            Some(Value::Array(subtests)) => {
                for (index, subtest) in subtests.iter().enumerate() {
                    self.subtest(subtest, &format!("{path}.subtests[{index}]"));
                }
            }
            _ => self.problem(&format!("{path}.subtests"), "must be an array"),
        }
    }
}

/// Checks that `value` is a wptreport wpt.fyi would accept: the fields it reads are present with
/// the right types, statuses are wptreport's, tests are not repeated, and `run_info` has every
/// key in [`WPT_FYI_REQUIRED_RUN_INFO`] as a non-empty string. The error lists every problem, one
/// per line.
pub fn check_wptreport(value: &Value) -> Result<(), String> {
    let mut checker = ReportChecker {
        problems: Vec::new(),
    };
    let Some(report) = value.as_object() else {
        return Err("report: must be a JSON object".to_owned());
    };
    match report.get("results") {
        Some(Value::Array(results)) => {
            let mut tests_seen = HashSet::new();
            for (index, result) in results.iter().enumerate() {
                checker.result(result, &format!("results[{index}]"), &mut tests_seen);
            }
        }
        _ => checker.problem("results", "must be an array"),
    }
    match report.get("run_info") {
        Some(Value::Object(run_info)) => {
            for key in WPT_FYI_REQUIRED_RUN_INFO {
                let present = run_info
                    .get(*key)
                    .and_then(Value::as_str)
                    .is_some_and(|text| !text.is_empty());
                if !present {
                    checker.problem(
                        &format!("run_info.{key}"),
                        "must be a non-empty string (wpt.fyi requires it)",
                    );
                }
            }
        }
        _ => checker.problem("run_info", "must be an object"),
    }
    let mut times = Vec::new();
    for key in ["time_start", "time_end"] {
        match report.get(key) {
            None => {}
            Some(time) => match time.as_u64() {
                Some(ms) => times.push(ms),
                None => checker.problem(key, "must be a non-negative whole number of milliseconds"),
            },
        }
    }
    if let [start, end] = times[..]
        && start > end
    {
        checker.problem("time_end", "is before time_start");
    }
    if checker.problems.is_empty() {
        Ok(())
    } else {
        Err(checker.problems.join("\n"))
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit XML
// ---------------------------------------------------------------------------------------------

/// Text made safe for XML 1.0 content or attribute values: markup characters become entities and
/// characters XML 1.0 cannot carry at all are dropped. Tab, newline and CR are written as
/// character references so attribute normalisation and CR folding do not change them.
fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Milliseconds as JUnit's seconds with three decimals, computed without floating point.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

enum Outcome {
    Passed,
    Failure {
        kind: String,
        summary: String,
        detail: String,
    },
    Error {
        kind: String,
        summary: String,
        detail: String,
    },
    Skipped {
        reason: String,
    },
}

struct TestCase {
    name: String,
    time_ms: u64,
    outcome: Outcome,
}

fn mismatch<S: ToString>(
    expected: &Expected<S>,
    actual: &S,
    message: Option<&str>,
) -> (String, String) {
    let summary = format!(
        "expected {}, got {}",
        expected.expected.to_string(),
        actual.to_string()
    );
    let detail = match message {
        Some(message) if !message.is_empty() => format!("{summary}: {message}"),
        _ => summary.clone(),
    };
    (summary, detail)
}

/// What JUnit should show for one status: unexpected → failure (or error, for the harness),
/// disabled or expected-but-not-passing → skipped, expected pass → passed.
fn outcome<S: ToString + PartialEq + Copy>(
    verdict: &Verdict<S>,
    passing: S,
    message: Option<&str>,
    as_error: bool,
) -> Option<Outcome> {
    if let Some(reason) = &verdict.disabled {
        return Some(Outcome::Skipped {
            reason: format!("disabled: {reason}"),
        });
    }
    if verdict.unexpected {
        let (summary, detail) = mismatch(&verdict.expected, &verdict.actual, message);
        let kind = verdict.actual.to_string();
        return Some(if as_error {
            Outcome::Error {
                kind,
                summary,
                detail,
            }
        } else {
            Outcome::Failure {
                kind,
                summary,
                detail,
            }
        });
    }
    if verdict.actual != passing {
        return Some(Outcome::Skipped {
            reason: format!("expected {}", verdict.actual.to_string()),
        });
    }
    None
}

fn file_cases(result: &FileResult, comparison: &Comparison) -> Vec<TestCase> {
    let mut cases = Vec::new();
    let file_verdict = if comparison.file.actual == result.status {
        comparison.file.clone()
    } else {
        Verdict::new(result.status, Expected::default(), None)
    };
    // The harness gets a test case of its own only when there is something to say about it.
    if let Some(harness) = outcome(
        &file_verdict,
        crate::results::FileStatus::Ok,
        result.message.as_deref(),
        true,
    ) {
        cases.push(TestCase {
            name: result.test.clone(),
            time_ms: result.duration_ms,
            outcome: harness,
        });
    }
    for (index, subtest) in result.subtests.iter().enumerate() {
        let verdict = subtest_verdict(comparison, index, subtest);
        cases.push(TestCase {
            name: subtest.name.clone(),
            // testharness.js does not time subtests; the file's time is on its <testsuite>.
            time_ms: 0,
            outcome: outcome(
                &verdict,
                SubtestStatus::Pass,
                subtest.message.as_deref(),
                false,
            )
            .unwrap_or(Outcome::Passed),
        });
    }
    cases
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of(cases: &[TestCase]) -> Self {
        let mut counts = Self {
            tests: cases.len(),
            ..Self::default()
        };
        for case in cases {
            match case.outcome {
                Outcome::Passed => {}
                Outcome::Failure { .. } => counts.failures += 1,
                Outcome::Error { .. } => counts.errors += 1,
                Outcome::Skipped { .. } => counts.skipped += 1,
            }
        }
        counts
    }

    fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    fn attributes(&self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// A JUnit XML document: one `<testsuite>` per test file (named by its URL path), one
/// `<testcase>` per subtest, and one named after the file for a harness status worth reporting.
pub fn junit_xml(results: &[(&FileResult, &Comparison)], suite_name: &str) -> String {
    let mut body = String::new();
    let mut total = Counts::default();
    let mut total_ms: u64 = 0;
    for (result, comparison) in results {
        let cases = file_cases(result, comparison);
        let counts = Counts::of(&cases);
        total.add(&counts);
        total_ms = total_ms.saturating_add(result.duration_ms);
        let test = xml_escape(&result.test);
        // Writing to a String cannot fail, so the results of write! are safely ignored.
        let _ = writeln!(
            body,
            "  <testsuite name=\"{test}\" {} time=\"{}\">",
            counts.attributes(),
            seconds(result.duration_ms)
        );
        for case in &cases {
            let _ = write!(
                body,
                "    <testcase classname=\"{test}\" name=\"{}\" time=\"{}\"",
                xml_escape(&case.name),
                seconds(case.time_ms)
            );
            match &case.outcome {
                Outcome::Passed => body.push_str("/>\n"),
                Outcome::Skipped { reason } => {
                    let _ = writeln!(
                        body,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        xml_escape(reason)
                    );
                }
                Outcome::Failure {
                    kind,
                    summary,
                    detail,
                }
                | Outcome::Error {
                    kind,
                    summary,
                    detail,
                } => {
                    let element = if matches!(case.outcome, Outcome::Error { .. }) {
                        "error"
                    } else {
                        "failure"
                    };
                    let _ = writeln!(
                        body,
                        ">\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    </testcase>",
                        xml_escape(summary),
                        xml_escape(kind),
                        xml_escape(detail)
                    );
                }
            }
        }
        body.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{}\" {} time=\"{}\">\n{body}</testsuites>\n",
        xml_escape(suite_name),
        total.attributes(),
        seconds(total_ms)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expectations::{FileExpectation, Metadata, compare};
    use crate::results::FileStatus;

    fn subtest(name: &str, status: SubtestStatus, message: Option<&str>) -> SubtestResult {
        SubtestResult {
            name: name.to_owned(),
            status,
            message: message.map(str::to_owned),
        }
    }

    fn run_info() -> RunInfo {
        RunInfo::current().with("revision", "0123456789abcdef")
    }

    /// A page with an expected failure, an unexpected failure, an unexpected pass, a known
    /// intermittent and a disabled subtest; and a page whose harness status is unexpected.
    fn sample() -> (Vec<FileResult>, Vec<Comparison>) {
        let metadata = Metadata::parse(
            "[p.html]\n  [expected fail]\n    expected: FAIL\n  [unexpected pass]\n    expected: FAIL\n  [flaky]\n    expected: [PASS, TIMEOUT]\n  [off]\n    disabled: bug 9\n",
        )
        .unwrap_or_default();
        let results = vec![
            FileResult {
                test: "/d/p.html".to_owned(),
                status: FileStatus::Ok,
                message: None,
                subtests: vec![
                    subtest("passes", SubtestStatus::Pass, None),
                    subtest("expected fail", SubtestStatus::Fail, Some("known")),
                    subtest(
                        "unexpected fail",
                        SubtestStatus::Fail,
                        Some("a <b> & \"c\" 'd'\u{1}\u{7}"),
                    ),
                    subtest("unexpected pass", SubtestStatus::Pass, None),
                    subtest("flaky", SubtestStatus::Timeout, None),
                    subtest("off", SubtestStatus::Fail, None),
                ],
                duration_ms: 1234,
            },
            FileResult {
                test: "/d/q.html".to_owned(),
                status: FileStatus::Error,
                message: Some("harness exploded".to_owned()),
                subtests: vec![subtest("late", SubtestStatus::Notrun, None)],
                duration_ms: 5,
            },
        ];
        let info = run_info();
        let comparisons = results
            .iter()
            .map(|result| {
                let page = crate::expectations::page_name(&result.test);
                compare(result, &metadata.page(page, &info))
            })
            .collect();
        (results, comparisons)
    }

    fn pairs<'a>(
        results: &'a [FileResult],
        comparisons: &'a [Comparison],
    ) -> Vec<(&'a FileResult, &'a Comparison)> {
        results.iter().zip(comparisons.iter()).collect()
    }

    fn report() -> Value {
        let (results, comparisons) = sample();
        wptreport(&pairs(&results, &comparisons), &run_info(), 1000, 2000)
    }

    fn subtest_entry<'a>(report: &'a Value, result: usize, name: &str) -> &'a Map<String, Value> {
        let subtests = report["results"][result]["subtests"].as_array();
        let found = subtests
            .into_iter()
            .flatten()
            .find(|s| s["name"] == name)
            .and_then(Value::as_object);
        match found {
            Some(entry) => entry,
            None => panic!("no subtest {name}"),
        }
    }

    #[test]
    fn wptreport_has_the_top_level_shape() {
        let report = report();
        assert_eq!(report["time_start"], 1000);
        assert_eq!(report["time_end"], 2000);
        assert_eq!(report["results"].as_array().map(Vec::len), Some(2));
        let run_info = &report["run_info"];
        assert_eq!(run_info["product"], "eme");
        assert_eq!(run_info["browser_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(run_info["os"], std::env::consts::OS);
        assert_eq!(run_info["revision"], "0123456789abcdef");
        assert!(run_info["debug"].is_boolean());
        assert!(run_info["bits"].is_u64());
        let first = &report["results"][0];
        assert_eq!(first["test"], "/d/p.html");
        assert_eq!(first["status"], "OK");
        assert_eq!(first["message"], Value::Null);
        assert_eq!(first["duration"], 1234);
        assert_eq!(first["known_intermittent"], json!([]));
        assert_eq!(report["results"][1]["message"], "harness exploded");
    }

    #[test]
    fn wptreport_marks_only_unexpected_statuses_with_expected() {
        let report = report();
        assert!(
            !report["results"][0]
                .as_object()
                .is_some_and(|r| r.contains_key("expected"))
        );
        assert_eq!(report["results"][1]["expected"], "OK");
        for name in ["passes", "expected fail", "off"] {
            assert!(
                !subtest_entry(&report, 0, name).contains_key("expected"),
                "{name}"
            );
        }
        assert_eq!(
            subtest_entry(&report, 0, "unexpected fail")["expected"],
            "PASS"
        );
        assert_eq!(
            subtest_entry(&report, 0, "unexpected pass")["expected"],
            "FAIL"
        );
        assert_eq!(
            subtest_entry(&report, 0, "expected fail")["message"],
            "known"
        );
        assert_eq!(subtest_entry(&report, 0, "passes")["message"], Value::Null);
        let flaky = subtest_entry(&report, 0, "flaky");
        assert_eq!(flaky["known_intermittent"], json!(["TIMEOUT"]));
        // Like mozlog: the status differs from the first expected one, so `expected` is written
        // and readers find the status in known_intermittent.
        assert_eq!(flaky["expected"], "PASS");
    }

    #[test]
    fn own_report_passes_the_check() {
        assert_eq!(check_wptreport(&report()), Ok(()));
        let empty = wptreport(&[], &run_info(), 0, 0);
        assert_eq!(check_wptreport(&empty), Ok(()));
    }

    #[test]
    fn report_without_revision_fails_the_check() {
        let report = wptreport(&[], &RunInfo::current(), 0, 0);
        let error = check_wptreport(&report).err().unwrap_or_default();
        assert!(error.contains("run_info.revision"), "{error}");
    }

    fn broken(edit: impl FnOnce(&mut Value)) -> String {
        let mut value = report();
        edit(&mut value);
        match check_wptreport(&value) {
            Ok(()) => panic!("broken report accepted: {value}"),
            Err(error) => error,
        }
    }

    #[test]
    fn hand_broken_reports_fail_the_check() {
        type Breakage = Box<dyn FnOnce(&mut Value)>;
        let cases: Vec<(&str, Breakage)> = vec![
            ("report", Box::new(|v| *v = json!([]))),
            ("results", Box::new(|v| v["results"] = json!({}))),
            ("run_info", Box::new(|v| v["run_info"] = json!("linux"))),
            (
                "run_info.product",
                Box::new(|v| v["run_info"]["product"] = json!(3)),
            ),
            (
                "run_info.browser_version",
                Box::new(|v| v["run_info"]["browser_version"] = json!("")),
            ),
            (
                "run_info.os",
                Box::new(|v| {
                    if let Some(info) = v["run_info"].as_object_mut() {
                        info.remove("os");
                    }
                }),
            ),
            (
                "results[0].test",
                Box::new(|v| v["results"][0]["test"] = json!("d/p.html")),
            ),
            (
                "results[1].test",
                Box::new(|v| v["results"][1]["test"] = json!("/d/p.html")),
            ),
            (
                "results[0].status",
                Box::new(|v| v["results"][0]["status"] = json!("NOTRUN")),
            ),
            (
                "results[0].status",
                Box::new(|v| {
                    if let Some(r) = v["results"][0].as_object_mut() {
                        r.remove("status");
                    }
                }),
            ),
            (
                "results[0].message",
                Box::new(|v| v["results"][0]["message"] = json!(1)),
            ),
            (
                "results[0].duration",
                Box::new(|v| v["results"][0]["duration"] = json!(-1)),
            ),
            (
                "results[0].subtests",
                Box::new(|v| v["results"][0]["subtests"] = Value::Null),
            ),
            (
                "results[0].subtests[0].name",
                Box::new(|v| v["results"][0]["subtests"][0]["name"] = Value::Null),
            ),
            (
                "results[0].subtests[0].status",
                Box::new(|v| v["results"][0]["subtests"][0]["status"] = json!("OK")),
            ),
            (
                "results[0].subtests[0].expected",
                Box::new(|v| v["results"][0]["subtests"][0]["expected"] = json!("PASS")),
            ),
            (
                "results[1].expected",
                Box::new(|v| v["results"][1]["expected"] = json!("WHATEVER")),
            ),
            (
                "results[0].known_intermittent",
                Box::new(|v| v["results"][0]["known_intermittent"] = json!("FAIL")),
            ),
            (
                "results[0].subtests[4].known_intermittent[0]",
                Box::new(|v| v["results"][0]["subtests"][4]["known_intermittent"] = json!([7])),
            ),
            ("results[1]", Box::new(|v| v["results"][1] = json!("x"))),
            ("time_end", Box::new(|v| v["time_end"] = json!(1))),
            ("time_start", Box::new(|v| v["time_start"] = json!("now"))),
        ];
        for (path, edit) in cases {
            let error = broken(edit);
            assert!(
                error.starts_with(path) || error.contains(&format!("\n{path}")),
                "{path}: {error}"
            );
        }
    }

    #[test]
    fn check_lists_every_problem() {
        let error = broken(|v| {
            v["results"][0]["status"] = json!("BAD");
            v["run_info"]["revision"] = Value::Null;
        });
        assert_eq!(error.lines().count(), 2, "{error}");
    }

    // --- JUnit ------------------------------------------------------------------------------

    fn junit() -> String {
        let (results, comparisons) = sample();
        junit_xml(&pairs(&results, &comparisons), "eme & <wpt>")
    }

    fn attribute<'a>(xml: &'a str, element: &str, name: &str) -> Option<&'a str> {
        let start = xml.find(&format!("<{element} "))?;
        let tag = &xml[start..start + xml[start..].find('>')?];
        let key = format!(" {name}=\"");
        let value_start = tag.find(&key)? + key.len();
        let value_len = tag[value_start..].find('"')?;
        Some(&tag[value_start..value_start + value_len])
    }

    #[test]
    fn junit_counts_add_up() {
        let xml = junit();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
        // p.html: 6 subtests (2 unexpected → failures; expected fail, accepted intermittent
        // TIMEOUT and disabled → skipped);
        // q.html: harness error case + 1 unexpected NOTRUN failure.
        assert_eq!(attribute(&xml, "testsuites", "tests"), Some("8"));
        assert_eq!(attribute(&xml, "testsuites", "failures"), Some("3"));
        assert_eq!(attribute(&xml, "testsuites", "errors"), Some("1"));
        assert_eq!(attribute(&xml, "testsuites", "skipped"), Some("3"));
        assert_eq!(attribute(&xml, "testsuites", "time"), Some("1.239"));
        assert_eq!(attribute(&xml, "testsuite", "name"), Some("/d/p.html"));
        assert_eq!(attribute(&xml, "testsuite", "tests"), Some("6"));
        assert_eq!(attribute(&xml, "testsuite", "time"), Some("1.234"));
        assert_eq!(xml.matches("<testsuite ").count(), 2);
        assert_eq!(xml.matches("<testcase ").count(), 8);
        assert_eq!(xml.matches("<failure ").count(), 3);
        assert_eq!(xml.matches("<error ").count(), 1);
        assert_eq!(xml.matches("<skipped ").count(), 3);
        assert!(
            xml.contains("<skipped message=\"expected TIMEOUT\"/>"),
            "{xml}"
        );
        assert!(xml.trim_end().ends_with("</testsuites>"));
    }

    #[test]
    fn junit_describes_each_outcome() {
        let xml = junit();
        assert!(
            xml.contains("<testcase classname=\"/d/p.html\" name=\"passes\" time=\"0.000\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("<skipped message=\"expected FAIL\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("<skipped message=\"disabled: bug 9\"/>"),
            "{xml}"
        );
        assert!(xml.contains("<failure message=\"expected FAIL, got PASS\" type=\"PASS\">expected FAIL, got PASS</failure>"), "{xml}");
        assert!(
            xml.contains("<testcase classname=\"/d/q.html\" name=\"/d/q.html\" time=\"0.005\">"),
            "{xml}"
        );
        assert!(xml.contains("<error message=\"expected OK, got ERROR\" type=\"ERROR\">expected OK, got ERROR: harness exploded</error>"), "{xml}");
        assert!(
            xml.contains("type=\"NOTRUN\">expected PASS, got NOTRUN</failure>"),
            "{xml}"
        );
    }

    #[test]
    fn junit_escapes_markup_and_drops_forbidden_characters() {
        let xml = junit();
        assert!(
            xml.contains("<testsuites name=\"eme &amp; &lt;wpt&gt;\""),
            "{xml}"
        );
        assert!(
            xml.contains(
                ">expected PASS, got FAIL: a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</failure>"
            ),
            "{xml}"
        );
        assert!(!xml.contains('\u{1}') && !xml.contains('\u{7}'));
        assert_eq!(
            xml_escape("tab\there\nnew\rcr\u{0}\u{b}\u{fffe}é"),
            "tab&#9;here&#10;new&#13;cré"
        );
    }

    #[test]
    fn expected_harness_error_is_skipped_not_failed() {
        let result = FileResult {
            test: "/d/e.html".to_owned(),
            status: FileStatus::Error,
            message: None,
            subtests: vec![],
            duration_ms: 0,
        };
        let expectation = Metadata::parse("[e.html]\n  expected: ERROR\n")
            .map(|m| m.page("e.html", &run_info()))
            .unwrap_or_default();
        let comparison = compare(&result, &expectation);
        let xml = junit_xml(&[(&result, &comparison)], "s");
        assert!(
            xml.contains("<skipped message=\"expected ERROR\"/>"),
            "{xml}"
        );
        assert_eq!(attribute(&xml, "testsuites", "errors"), Some("0"));
        // A comparison made for other subtests degrades to default expectations.
        let unrelated = compare(&result, &FileExpectation::default());
        let other = FileResult {
            subtests: vec![subtest("x", SubtestStatus::Fail, None)],
            status: FileStatus::Ok,
            ..result.clone()
        };
        let xml = junit_xml(&[(&other, &unrelated)], "s");
        assert_eq!(attribute(&xml, "testsuites", "failures"), Some("1"));
        assert_eq!(attribute(&xml, "testsuites", "errors"), Some("0"));
    }

    #[test]
    fn seconds_have_three_decimals() {
        assert_eq!(seconds(0), "0.000");
        assert_eq!(seconds(7), "0.007");
        assert_eq!(seconds(61_050), "61.050");
    }
}
