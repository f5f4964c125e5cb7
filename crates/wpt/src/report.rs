//! Run reports for other tools: wptreport JSON (what wptrunner writes with `--log-wptreport` and
//! wpt.fyi ingests) and JUnit XML (what CI systems display).

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use crate::expectations::{Comparison, Expected, RunInfo, Verdict};
use crate::results::{FileResult, FileStatus, SubtestResult, SubtestStatus};

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

/// The harness verdict, which belongs to `result` only if the statuses agree; else the default
/// `OK` expectation, for the same reason as [`subtest_verdict`].
fn file_verdict(result: &FileResult, comparison: &Comparison) -> Verdict<FileStatus> {
    if comparison.file.actual == result.status {
        comparison.file.clone()
    } else {
        Verdict::new(result.status, Expected::default(), None)
    }
}

// ---------------------------------------------------------------------------------------------
// wptreport
// ---------------------------------------------------------------------------------------------

/// A wptreport document: the run's results, the configuration it ran in and when.
#[derive(Debug, Clone, Serialize)]
pub struct WptReport<'a> {
    /// One entry per test file that ran, in run order.
    pub results: Vec<WptTestResult<'a>>,
    /// Every entry of the run info, plus `browser_version` (from `version` when not given).
    pub run_info: RunInfo,
    /// Milliseconds since the Unix epoch.
    pub time_start: u64,
    /// When the run ended, in milliseconds since the Unix epoch.
    pub time_end: u64,
}

/// One test file's entry in a wptreport.
#[derive(Debug, Clone, Serialize)]
pub struct WptTestResult<'a> {
    /// The test's URL path (`/encrypted-media/foo.https.html`).
    pub test: &'a str,
    /// The harness status (`OK`, `ERROR`, `TIMEOUT`, `CRASH`, `PRECONDITION_FAILED`).
    pub status: FileStatus,
    /// The harness message, or why the file did not complete; `null` when there is none.
    pub message: Option<&'a str>,
    /// Milliseconds.
    pub duration: u64,
    /// The file's subtests, in the order testharness.js reported them.
    pub subtests: Vec<WptSubtestResult<'a>>,
    /// The harness status's `expected` / `known_intermittent` keys, inlined in the entry.
    #[serde(flatten)]
    pub expectation: ExpectationMark<FileStatus>,
}

/// One subtest's entry in a wptreport.
#[derive(Debug, Clone, Serialize)]
pub struct WptSubtestResult<'a> {
    /// The subtest's name as testharness.js gave it.
    pub name: &'a str,
    /// Its status (`PASS`, `FAIL`, `TIMEOUT`, `NOTRUN`, `PRECONDITION_FAILED`).
    pub status: SubtestStatus,
    /// The assertion message; `null` when there is none.
    pub message: Option<&'a str>,
    /// The subtest's `expected` / `known_intermittent` keys, inlined in the entry.
    #[serde(flatten)]
    pub expectation: ExpectationMark<SubtestStatus>,
}

/// What a wptreport entry says about its expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationMark<S> {
    /// The status the metadata names first, written only when the actual status differs — as
    /// mozlog does, so a known-intermittent status also carries it and readers check
    /// `known_intermittent`. Never written for a disabled entry: its outcome is not judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<S>,
    /// The other statuses the metadata accepts.
    pub known_intermittent: Vec<S>,
}

impl<S: PartialEq + Copy> ExpectationMark<S> {
    fn of(verdict: &Verdict<S>) -> Self {
        let differs = verdict.disabled.is_none() && verdict.actual != verdict.expected.expected;
        Self {
            expected: differs.then_some(verdict.expected.expected),
            known_intermittent: verdict.expected.known_intermittent.clone(),
        }
    }
}

/// A wptreport document for `results`, each with the comparison made for it. `revision` (the WPT
/// commit wpt.fyi requires) is in the report only if the embedder put it in `run_info`.
pub fn wptreport<'a>(
    results: &[(&'a FileResult, &Comparison)],
    run_info: &RunInfo,
    time_start_ms: u64,
    time_end_ms: u64,
) -> WptReport<'a> {
    let results = results
        .iter()
        .map(|&(result, comparison)| {
            let subtests = result
                .subtests
                .iter()
                .enumerate()
                .map(|(index, subtest)| WptSubtestResult {
                    name: &subtest.name,
                    status: subtest.status,
                    message: subtest.message.as_deref(),
                    expectation: ExpectationMark::of(&subtest_verdict(comparison, index, subtest)),
                })
                .collect();
            WptTestResult {
                test: &result.test,
                status: result.status,
                message: result.message.as_deref(),
                duration: result.duration_ms,
                subtests,
                expectation: ExpectationMark::of(&file_verdict(result, comparison)),
            }
        })
        .collect();
    let run_info = match (run_info.get("browser_version"), run_info.get("version")) {
        (None, Some(version)) => run_info
            .clone()
            .with("browser_version", version.to_string()),
        _ => run_info.clone(),
    };
    WptReport {
        results,
        run_info,
        time_start: time_start_ms,
        time_end: time_end_ms,
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit XML
// ---------------------------------------------------------------------------------------------

/// Text without the two non-characters XML 1.0 cannot carry and that quick-junit passes through
/// (it drops control characters itself).
fn xml_text(text: &str) -> String {
    text.replace(['\u{fffe}', '\u{ffff}'], "")
}

/// What JUnit should show for one status: unexpected → failure (or error, for the harness),
/// disabled or expected-but-not-passing → skipped, expected pass → success.
fn case_status<S: ToString + PartialEq + Copy>(
    verdict: &Verdict<S>,
    passing: S,
    message: Option<&str>,
    unexpected_kind: NonSuccessKind,
) -> TestCaseStatus {
    if let Some(reason) = &verdict.disabled {
        let mut status = TestCaseStatus::skipped();
        status.set_message(xml_text(&format!("disabled: {reason}")));
        return status;
    }
    if verdict.unexpected {
        let summary = format!(
            "expected {}, got {}",
            verdict.expected.expected.to_string(),
            verdict.actual.to_string()
        );
        let detail = match message {
            Some(message) if !message.is_empty() => format!("{summary}: {message}"),
            _ => summary.clone(),
        };
        let mut status = TestCaseStatus::non_success(unexpected_kind);
        status
            .set_message(summary)
            .set_type(verdict.actual.to_string())
            .set_description(xml_text(&detail));
        return status;
    }
    if verdict.actual != passing {
        let mut status = TestCaseStatus::skipped();
        status.set_message(format!("expected {}", verdict.actual.to_string()));
        return status;
    }
    TestCaseStatus::success()
}

fn test_case(test: &str, name: &str, time: Duration, status: TestCaseStatus) -> TestCase {
    let mut case = TestCase::new(xml_text(name), status);
    case.set_classname(xml_text(test)).set_time(time);
    case
}

/// One `<testsuite>` for a test file: a case for the harness when there is something to say
/// about it, then one per subtest.
fn file_suite(result: &FileResult, comparison: &Comparison) -> TestSuite {
    let mut suite = TestSuite::new(xml_text(&result.test));
    let time = Duration::from_millis(result.duration_ms);
    suite.set_time(time);
    let harness = case_status(
        &file_verdict(result, comparison),
        FileStatus::Ok,
        result.message.as_deref(),
        NonSuccessKind::Error,
    );
    if !matches!(harness, TestCaseStatus::Success { .. }) {
        suite.add_test_case(test_case(&result.test, &result.test, time, harness));
    }
    for (index, subtest) in result.subtests.iter().enumerate() {
        let status = case_status(
            &subtest_verdict(comparison, index, subtest),
            SubtestStatus::Pass,
            subtest.message.as_deref(),
            NonSuccessKind::Failure,
        );
        // testharness.js does not time subtests; the file's time is on its <testsuite>.
        suite.add_test_case(test_case(
            &result.test,
            &subtest.name,
            Duration::ZERO,
            status,
        ));
    }
    suite
}

/// A JUnit XML document: one `<testsuite>` per test file (named by its URL path), one
/// `<testcase>` per subtest, and one named after the file for a harness status worth reporting.
pub fn junit_xml(
    results: &[(&FileResult, &Comparison)],
    suite_name: &str,
) -> Result<String, quick_junit::SerializeError> {
    let mut report = Report::new(xml_text(suite_name));
    let total_ms = results.iter().fold(0_u64, |total, (result, _)| {
        total.saturating_add(result.duration_ms)
    });
    report.set_time(Duration::from_millis(total_ms));
    for (result, comparison) in results {
        report.add_test_suite(file_suite(result, comparison));
    }
    report.to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::expectations::{FileExpectation, Metadata, compare, page_name};

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

    fn metadata(text: &str) -> Metadata {
        match Metadata::parse(text) {
            Ok(metadata) => metadata,
            Err(error) => panic!("{text:?} should parse: {error}"),
        }
    }

    /// A page with an expected failure, an unexpected failure, an unexpected pass, a known
    /// intermittent and a disabled subtest; and a page whose harness status is unexpected.
    fn sample() -> (Vec<FileResult>, Vec<Comparison>) {
        let metadata = metadata(
            "[p.html]\n  [expected fail]\n    expected: FAIL\n  [unexpected pass]\n    expected: FAIL\n  [flaky]\n    expected: [PASS, TIMEOUT]\n  [off]\n    disabled: bug 9\n",
        );
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
                        Some("a <b> & \"c\" 'd'\u{1}\u{7}\u{fffe}"),
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
            .map(|result| compare(result, &metadata.page(page_name(&result.test), &info)))
            .collect();
        (results, comparisons)
    }

    fn pairs<'a>(
        results: &'a [FileResult],
        comparisons: &'a [Comparison],
    ) -> Vec<(&'a FileResult, &'a Comparison)> {
        results.iter().zip(comparisons.iter()).collect()
    }

    /// The sample's wptreport as the JSON a reader sees.
    fn report() -> Value {
        let (results, comparisons) = sample();
        let report = wptreport(&pairs(&results, &comparisons), &run_info(), 1000, 2000);
        match serde_json::to_value(&report) {
            Ok(value) => value,
            Err(error) => panic!("the report does not serialise: {error}"),
        }
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
        assert_eq!(first["subtests"].as_array().map(Vec::len), Some(6));
        assert_eq!(report["results"][1]["message"], "harness exploded");
        assert_eq!(report["results"][1]["subtests"][0]["status"], "NOTRUN");
    }

    #[test]
    fn explicit_browser_version_is_kept() {
        let info = run_info().with("browser_version", "9.9");
        let report = wptreport(&[], &info, 0, 0);
        assert_eq!(report.run_info.get("browser_version"), Some(&"9.9".into()));
    }

    #[test]
    fn wptreport_marks_only_unexpected_statuses_with_expected() {
        let report = report();
        assert!(
            report["results"][0]
                .as_object()
                .is_some_and(|r| !r.contains_key("expected"))
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

    // --- JUnit ------------------------------------------------------------------------------

    fn junit_of(results: &[(&FileResult, &Comparison)], suite_name: &str) -> String {
        match junit_xml(results, suite_name) {
            Ok(xml) => xml,
            Err(error) => panic!("JUnit serialisation failed: {error}"),
        }
    }

    fn junit() -> String {
        let (results, comparisons) = sample();
        junit_of(&pairs(&results, &comparisons), "eme & <wpt>")
    }

    fn attribute<'a>(xml: &'a str, element: &str, name: &str) -> Option<&'a str> {
        let start = xml.find(&format!("<{element} "))?;
        let tag = &xml[start..start + xml[start..].find('>')?];
        let key = format!(" {name}=\"");
        let value_start = tag.find(&key)? + key.len();
        let value_len = tag[value_start..].find('"')?;
        Some(&tag[value_start..value_start + value_len])
    }

    /// The `<testcase …>` element of the case `name`: its start tag and what it holds.
    fn case<'a>(xml: &'a str, name: &str) -> &'a str {
        let Some(start) = xml.find(&format!("<testcase name=\"{name}\"")) else {
            panic!("no test case {name} in {xml}");
        };
        let rest = &xml[start..];
        let tag_end = rest.find('>').map_or(rest.len(), |end| end + 1);
        if rest[..tag_end].ends_with("/>") {
            return &rest[..tag_end];
        }
        rest.find("</testcase>").map_or(rest, |end| &rest[..end])
    }

    #[test]
    fn junit_counts_add_up() {
        let xml = junit();
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
            "{xml}"
        );
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
        assert!(xml.trim_end().ends_with("</testsuites>"));
    }

    #[test]
    fn junit_describes_each_outcome() {
        let xml = junit();
        let passes = case(&xml, "passes");
        assert!(
            passes.contains("classname=\"/d/p.html\" time=\"0.000\""),
            "{passes}"
        );
        assert!(
            !passes.contains("<failure") && !passes.contains("<skipped"),
            "{passes}"
        );
        assert!(
            case(&xml, "expected fail").contains("<skipped message=\"expected FAIL\"/>"),
            "{xml}"
        );
        assert!(
            case(&xml, "flaky").contains("<skipped message=\"expected TIMEOUT\"/>"),
            "{xml}"
        );
        assert!(
            case(&xml, "off").contains("<skipped message=\"disabled: bug 9\"/>"),
            "{xml}"
        );
        assert!(
            case(&xml, "unexpected pass").contains(
                "<failure message=\"expected FAIL, got PASS\" type=\"PASS\">expected FAIL, got PASS</failure>"
            ),
            "{xml}"
        );
        let harness = case(&xml, "/d/q.html");
        assert!(
            harness.contains("classname=\"/d/q.html\" time=\"0.005\""),
            "{harness}"
        );
        assert!(
            harness.contains("<error message=\"expected OK, got ERROR\" type=\"ERROR\">expected OK, got ERROR: harness exploded</error>"),
            "{harness}"
        );
        assert!(
            case(&xml, "late").contains("type=\"NOTRUN\">expected PASS, got NOTRUN</failure>"),
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
        let failure = case(&xml, "unexpected fail");
        assert!(
            failure.contains(
                ">expected PASS, got FAIL: a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</failure>"
            ),
            "{failure}"
        );
        for forbidden in ['\u{1}', '\u{7}', '\u{fffe}'] {
            assert!(!xml.contains(forbidden), "{forbidden:?} in {xml}");
        }
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
        let expectation = metadata("[e.html]\n  expected: ERROR\n").page("e.html", &run_info());
        let comparison = compare(&result, &expectation);
        let xml = junit_of(&[(&result, &comparison)], "s");
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
        let xml = junit_of(&[(&other, &unrelated)], "s");
        assert_eq!(attribute(&xml, "testsuites", "failures"), Some("1"));
        assert_eq!(attribute(&xml, "testsuites", "errors"), Some("0"));
    }
}
