//! The wptreport checker the end-to-end tests rely on: it accepts the reports `eme_wpt` writes
//! and catches every kind of breakage wpt.fyi would refuse.

mod common;

use common::wptreport_check::check_wptreport;
use eme_wpt::expectations::{Metadata, RunInfo, compare, page_name};
use eme_wpt::report::wptreport;
use eme_wpt::{FileResult, FileStatus, SubtestResult, SubtestStatus};
use serde_json::{Value, json};

fn subtest(name: &str, status: SubtestStatus) -> SubtestResult {
    SubtestResult {
        name: name.to_owned(),
        status,
        message: None,
    }
}

/// A page with a pass, an accepted intermittent and an unexpected failure; and a page whose
/// harness errored.
fn sample() -> Vec<FileResult> {
    vec![
        FileResult {
            test: "/d/p.html".to_owned(),
            status: FileStatus::Ok,
            message: None,
            subtests: vec![
                subtest("passes", SubtestStatus::Pass),
                subtest("flaky", SubtestStatus::Timeout),
                subtest("fails", SubtestStatus::Fail),
            ],
            duration_ms: 1234,
        },
        FileResult {
            test: "/d/q.html".to_owned(),
            status: FileStatus::Error,
            message: Some("harness exploded".to_owned()),
            subtests: vec![subtest("late", SubtestStatus::Notrun)],
            duration_ms: 5,
        },
    ]
}

/// The sample's report as JSON, for `run_info`.
fn report_with(run_info: &RunInfo) -> Value {
    let metadata = Metadata::parse("[p.html]\n  [flaky]\n    expected: [PASS, TIMEOUT]\n").unwrap();
    let results = sample();
    let comparisons: Vec<_> = results
        .iter()
        .map(|result| compare(result, &metadata.page(page_name(&result.test), run_info)))
        .collect();
    let pairs: Vec<_> = results.iter().zip(&comparisons).collect();
    serde_json::to_value(wptreport(&pairs, run_info, 1000, 2000)).unwrap()
}

fn report() -> Value {
    report_with(&RunInfo::current().with("revision", "0123456789abcdef"))
}

/// The checker's complaint about the sample report after `edit`.
fn broken(edit: impl FnOnce(&mut Value)) -> String {
    let mut value = report();
    edit(&mut value);
    match check_wptreport(&value) {
        Ok(()) => panic!("broken report accepted: {value}"),
        Err(error) => error,
    }
}

#[test]
fn own_report_passes_the_check() {
    let report = report();
    assert_eq!(
        report["results"][0]["subtests"][1]["known_intermittent"],
        json!(["TIMEOUT"])
    );
    assert_eq!(check_wptreport(&report), Ok(()));
    let empty = wptreport(&[], &RunInfo::current().with("revision", "abc"), 0, 0);
    assert_eq!(
        check_wptreport(&serde_json::to_value(empty).unwrap()),
        Ok(())
    );
}

#[test]
fn report_without_revision_fails_the_check() {
    let error = check_wptreport(&report_with(&RunInfo::current())).unwrap_err();
    assert_eq!(
        error,
        "run_info.revision: must be a non-empty string (wpt.fyi requires it)"
    );
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
                v["run_info"].as_object_mut().unwrap().remove("os");
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
                v["results"][0].as_object_mut().unwrap().remove("status");
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
            "results[0].subtests[1].known_intermittent[0]",
            Box::new(|v| v["results"][0]["subtests"][1]["known_intermittent"] = json!([7])),
        ),
        ("results[1]", Box::new(|v| v["results"][1] = json!("x"))),
        ("time_end", Box::new(|v| v["time_end"] = json!(1))),
        ("time_start", Box::new(|v| v["time_start"] = json!("now"))),
    ];
    for (path, edit) in cases {
        let error = broken(edit);
        assert!(
            error
                .lines()
                .any(|line| line.starts_with(&format!("{path}: "))),
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
