//! A checker for wptreport JSON: what wpt.fyi reads, and what it refuses. The tests hold every
//! report the runner writes to it, so the format stays one wpt.fyi accepts.

use std::collections::HashSet;

use serde_json::{Map, Value};

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
