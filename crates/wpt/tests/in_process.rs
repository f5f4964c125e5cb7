//! The library API as an embedder uses it: `run_suite` with pages run in this process.

use std::path::{Path, PathBuf};

use eme_wpt::expectations::RunInfo;
use eme_wpt::{FileStatus, Isolation, SubtestStatus, SuiteOptions, run_suite};

fn deps() -> PathBuf {
    eme_wpt::default_deps(&[Path::new(env!("CARGO_MANIFEST_DIR"))])
        .filter(|deps| deps.join("resources/testharness.js").is_file())
        .expect("no test-dependency cache with testharness.js: run scripts/fetch-test-deps first")
}

#[test]
fn in_process_runs_report_results_and_comparisons_in_page_order() {
    let root_dir = tempfile::tempdir().unwrap();
    let root = root_dir.path();
    std::fs::create_dir_all(root.join("resources")).unwrap();
    std::fs::create_dir_all(root.join("t")).unwrap();
    let harness = "<script src=/resources/testharness.js></script><script src=/resources/testharnessreport.js></script>";
    std::fs::write(
        root.join("t/a.https.html"),
        format!("{harness}<script>promise_test(async () => {{ const a = await navigator.requestMediaKeySystemAccess('org.w3.clearkey', [{{ initDataTypes: ['keyids'], audioCapabilities: [{{ contentType: 'audio/webm; codecs=\"opus\"' }}] }}]); assert_equals(a.keySystem, 'org.w3.clearkey'); }}, 'access');</script>"),
    )
    .unwrap();
    std::fs::write(
        root.join("t/b.html"),
        format!("{harness}<script>test(() => assert_true(false, 'b'), 'fails');</script>"),
    )
    .unwrap();
    std::fs::write(
        root.join("t/b.html.ini"),
        "[b.html]\n  [fails]\n    expected: FAIL\n",
    )
    .unwrap();

    let options = SuiteOptions {
        paths: vec![root.join("t")],
        root: None,
        deps: Some(deps()),
        jobs: 2,
        timeout_multiplier: 1.0,
        meta: None,
        update_expectations: false,
        isolation: Isolation::InProcess,
        run_info: RunInfo::current(),
    };
    let mut text = Vec::new();
    let outcome = run_suite(&options, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();

    let tests: Vec<&str> = outcome
        .results
        .iter()
        .map(|(result, _)| result.test.as_str())
        .collect();
    assert_eq!(tests, ["/t/a.https.html", "/t/b.html"], "{text}");
    let (a, a_comparison) = &outcome.results[0];
    assert_eq!(a.status, FileStatus::Ok);
    assert_eq!(a.subtests[0].status, SubtestStatus::Pass, "{text}");
    assert!(a_comparison.is_expected());
    let (b, b_comparison) = &outcome.results[1];
    assert_eq!(b.subtests[0].status, SubtestStatus::Fail);
    assert_eq!(
        b.subtests[0].message.as_deref(),
        Some("assert_true: b expected true got false")
    );
    assert!(b_comparison.is_expected(), "the .ini expects the failure");
    assert!(outcome.is_expected());
    assert_eq!(
        outcome.totals.expected, 4,
        "two harness statuses and two subtests"
    );
    assert!(text.ends_with("4 passed, 0 failed, 0 skipped\n"), "{text}");
}
