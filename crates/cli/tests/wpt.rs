//! `eme wpt` as a user runs it: real testharness.js pages under a temporary root, statuses,
//! expectations, reports and exit codes.

mod common;

use common::wptreport_check::check_wptreport;
use common::{Scripts, eme, stderr, stdout, wpt_deps};

const HARNESS: &str = r#"<script src="/resources/testharness.js"></script>
<script src="/resources/testharnessreport.js"></script>
"#;

/// A root (it holds resources/) with the pages given as (path, markup) pairs.
fn root_with(test: &str, pages: &[(&str, &str)]) -> Scripts {
    let dir = Scripts::new(test);
    dir.write("resources/README", "support files live here");
    for (path, text) in pages {
        dir.write(path, text);
    }
    dir
}

fn wpt(dir: &Scripts, args: &[&str]) -> std::process::Output {
    let deps = wpt_deps();
    let mut all = vec!["wpt", "--deps", deps.to_str().unwrap()];
    all.extend_from_slice(args);
    eme(&all, dir.path())
}

#[test]
fn subtests_and_harness_statuses_are_reported_and_failures_fail_the_run() {
    let page = format!(
        r#"<!DOCTYPE html><title>mixed</title>{HARNESS}<script>
test(() => assert_equals(document.title, "mixed"), "document title");
test(() => assert_equals(1, 2, "arithmetic"), "a failure");
promise_test(t => promise_rejects_js(t, TypeError, navigator.requestMediaKeySystemAccess("", [{{}}])), "EME rejects");
async_test(t => {{ setTimeout(t.step_func_done(() => assert_true(isSecureContext)), 5); }}, "async on https");
</script>"#
    );
    let dir = root_with("wpt-mixed", &[("t/mixed.https.html", &page)]);
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}{}", stderr(&output));
    assert!(
        out.contains("PASS    /t/mixed.https.html > document title\n"),
        "{out}"
    );
    assert!(
        out.contains("FAIL    /t/mixed.https.html > a failure: assert_equals: arithmetic expected 2 but got 1  UNEXPECTED (expected PASS)\n"),
        "{out}"
    );
    assert!(
        out.contains("PASS    /t/mixed.https.html > EME rejects\n"),
        "{out}"
    );
    assert!(
        out.contains("PASS    /t/mixed.https.html > async on https\n"),
        "{out}"
    );
    assert!(
        out.contains("OK      /t/mixed.https.html (4 subtests"),
        "{out}"
    );
    assert!(out.ends_with("4 passed, 1 failed, 0 skipped\n"), "{out}");
}

#[test]
fn expectations_make_known_failures_pass_and_unexpected_passes_fail() {
    let page =
        format!("{HARNESS}<script>test(() => assert_true(false, 'no'), 'known bug');</script>");
    let dir = root_with("wpt-expect", &[("t/a.html", &page)]);
    dir.write(
        "t/a.html.ini",
        "# tracked upstream\n[a.html]\n  [known bug]\n    expected: FAIL\n",
    );
    let output = wpt(&dir, &["t/a.html"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output)
            .contains("known bug: assert_true: no expected true got false  (expected FAIL)"),
        "{}",
        stdout(&output)
    );

    dir.write(
        "t/a.html",
        &format!("{HARNESS}<script>test(() => {{}}, 'known bug');</script>"),
    );
    let output = wpt(&dir, &["t/a.html"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("UNEXPECTED (expected FAIL)"),
        "{}",
        stdout(&output)
    );

    // Updating makes the pass the expectation: the file is back at its default and goes.
    let output = wpt(&dir, &["--update-expectations", "t/a.html"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(!dir.path().join("t/a.html.ini").exists());
    assert_eq!(wpt(&dir, &["t/a.html"]).status.code(), Some(0));
}

#[test]
fn meta_dir_expectations_and_update_write_there() {
    let page = format!("{HARNESS}<script>test(() => assert_true(false), 'fails');</script>");
    let dir = root_with("wpt-meta", &[("t/b.html", &page)]);
    let output = wpt(&dir, &["--meta", "meta", "--update-expectations", "t"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let ini = std::fs::read_to_string(dir.path().join("meta/t/b.html.ini")).unwrap();
    assert_eq!(ini, "[b.html]\n  [fails]\n    expected: FAIL\n");
    assert_eq!(wpt(&dir, &["--meta", "meta", "t"]).status.code(), Some(0));
    assert_eq!(
        wpt(&dir, &["t"]).status.code(),
        Some(1),
        "without --meta the failure is unexpected"
    );
}

#[test]
fn any_js_and_window_js_get_generated_pages_with_meta_scripts() {
    let dir = root_with(
        "wpt-any",
        &[
            ("common/helper.js", "var helperValue = 42;"),
            (
                "t/x.any.js",
                "// META: title=generated\n// META: script=/common/helper.js\ntest(() => { assert_equals(helperValue, 42); assert_true(GLOBAL.isWindow()); }, 'meta script ran');\n",
            ),
            (
                "t/y.window.js",
                "test(() => assert_equals(location.pathname, '/t/y.window.html'), 'window page');\n",
            ),
            ("t/z.worker.js", "test(() => {}, 'never');\n"),
        ],
    );
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}{}", stderr(&output));
    assert!(
        out.contains("PASS    /t/x.any.html > meta script ran\n"),
        "{out}"
    );
    assert!(
        out.contains("PASS    /t/y.window.html > window page\n"),
        "{out}"
    );
    assert!(
        out.contains("SKIP    /t/z.worker.js: worker tests need a worker global"),
        "{out}"
    );
    assert!(out.ends_with("4 passed, 0 failed, 1 skipped\n"), "{out}");
}

#[test]
fn a_harness_timeout_marks_unfinished_subtests_and_a_stuck_page_is_killed() {
    let waits = format!(
        "{HARNESS}<script>test(() => {{}}, 'done'); async_test(() => {{}}, 'waits');</script>"
    );
    let spins = format!(
        "{HARNESS}<script>test(() => {{}}, 'before'); setTimeout(() => {{ for (;;) {{}} }}, 0); async_test(() => {{}}, 'spins');</script>"
    );
    let dir = root_with(
        "wpt-timeout",
        &[("t/waits.html", &waits), ("t/spins.html", &spins)],
    );
    let started = std::time::Instant::now();
    let output = wpt(&dir, &["--timeout", "0.5", "t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("TIMEOUT /t/waits.html > waits: Test timed out"),
        "{out}"
    );
    assert!(out.contains("TIMEOUT /t/waits.html (2 subtests"), "{out}");
    // The spinning page never returns to its harness: its child is killed after the grace
    // period, keeping the subtest that finished before.
    assert!(out.contains("PASS    /t/spins.html > before\n"), "{out}");
    assert!(
        out.contains("TIMEOUT /t/spins.html: the page was still running"),
        "{out}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn runaway_recursion_is_a_crash_and_the_run_goes_on() {
    let crash = format!(
        "{HARNESS}<script>test(() => {{}}, 'first'); setTimeout(function f() {{ f(); }}, 0); async_test(() => {{}}, 'never');</script>"
    );
    let fine = format!("{HARNESS}<script>test(() => {{}}, 'fine');</script>");
    let dir = root_with(
        "wpt-crash",
        &[("t/a-crash.html", &crash), ("t/b-fine.html", &fine)],
    );
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("CRASH   /t/a-crash.html: the runtime stopped"),
        "{out}"
    );
    assert!(out.contains("PASS    /t/b-fine.html > fine\n"), "{out}");
}

#[test]
fn a_dangling_rejection_is_a_harness_error() {
    let page = format!(
        "{HARNESS}<script>test(() => {{}}, 'first'); Promise.reject(new Error('dangling'));</script>"
    );
    let dir = root_with("wpt-reject", &[("t/r.html", &page)]);
    let out = stdout(&wpt(&dir, &["t"]));
    assert!(
        out.contains("ERROR   /t/r.html: Unhandled rejection: dangling"),
        "{out}"
    );
}

#[test]
fn reports_are_wptreport_json_and_junit_xml() {
    let page = format!(
        "{HARNESS}<script>test(() => {{}}, 'ok <1>'); test(() => assert_true(false), 'bad & sad');</script>"
    );
    let dir = root_with("wpt-reports", &[("t/r.html", &page)]);
    let read_report = || -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap()
    };
    let output = wpt(&dir, &["--report", "out.json", "--junit", "out.xml", "t"]);
    assert_eq!(output.status.code(), Some(1));
    // Outside a git checkout the tests' revision is unknown, which is all wpt.fyi would refuse.
    let problems = check_wptreport(&read_report()).err().unwrap_or_default();
    assert!(
        !problems.is_empty() && problems.lines().all(|line| line.contains("revision")),
        "{problems}"
    );

    // In a checkout the report carries the commit and has every field wpt.fyi requires.
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=eme",
                "-c",
                "user.email=eme@example.invalid",
            ])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "t", "resources"]);
    git(&["commit", "-q", "-m", "tests"]);
    wpt(&dir, &["--report", "out.json", "t"]);
    let json = read_report();
    check_wptreport(&json).unwrap();
    assert_eq!(
        json["run_info"]["revision"].as_str().map(str::len),
        Some(40),
        "{json:#}"
    );
    let result = &json["results"][0];
    assert_eq!(result["test"], "/t/r.html");
    assert_eq!(result["status"], "OK");
    assert_eq!(result["subtests"][0]["status"], "PASS");
    assert_eq!(result["subtests"][1]["status"], "FAIL");
    assert_eq!(result["subtests"][1]["expected"], "PASS");
    assert_eq!(json["run_info"]["product"], "eme");
    let xml = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    assert!(xml.contains(r#"name="ok &lt;1&gt;""#), "{xml}");
    assert!(xml.contains(r#"name="bad &amp; sad""#), "{xml}");
    assert!(xml.contains("<failure"), "{xml}");
}

#[test]
fn missing_scripts_and_paths_are_reported_clearly() {
    let page = "<script src=/resources/testharness.js></script><script src=/resources/testharnessreport.js></script><script src=/nope.js></script><script>test(() => {}, 'still runs');</script>";
    let dir = root_with("wpt-missing", &[("t/m.html", page)]);
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    // A script that fails to load is skipped, as a browser skips it, and the page goes on; exit 0
    // alone would also hold if nothing after it ran.
    assert!(out.contains("PASS    /t/m.html > still runs\n"), "{out}");
    assert!(out.ends_with("2 passed, 0 failed, 0 skipped\n"), "{out}");

    let output = eme(&["wpt", "does-not-exist"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does-not-exist"),
        "{}",
        stderr(&output)
    );

    // With no dependency cache, the harness cannot load and the message says how to get it.
    let bare = Scripts::new("wpt-nodeps");
    bare.write("resources/README", "");
    bare.write(
        "t/p.html",
        &format!("{HARNESS}<script>test(() => {{}}, 'x');</script>"),
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_eme"))
        .args(["wpt", "t"])
        .current_dir(bare.path())
        .env("EME_WPT_DEPS", bare.path().join("no-such-cache"))
        .output()
        .unwrap();
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("ERROR   /t/p.html: the harness never completed (cannot load script /resources/testharness.js"), "{out}");
}

#[test]
fn pages_get_a_small_document_location_and_load_events() {
    let page = format!(
        r##"<!DOCTYPE html><meta name="timeout" content="long"><title>  DOM   lite </title>{HARNESS}<script>
test(() => {{
  assert_equals(document.title, "DOM lite");
  assert_equals(document.getElementsByTagName("meta")[0].content, "long");
  assert_equals(document.getElementsByTagName("script").length, 2);
  assert_true(document.getElementsByTagName("script")[0].src.endsWith("/resources/testharness.js"));
  const div = document.createElement("DIV");
  div.id = "log2";
  div.appendChild(document.createTextNode("hello "));
  const span = document.createElement("span");
  span.textContent = "world";
  div.appendChild(span);
  document.body.appendChild(div);
  assert_equals(document.getElementById("log2"), div);
  assert_equals(document.querySelector("#log2"), div);
  assert_equals(div.textContent, "hello world");
  assert_equals(span.parentNode, div);
  assert_equals(div.tagName, "DIV");
  span.remove();
  assert_equals(div.textContent, "hello ");
  assert_throws_dom("NotFoundError", () => div.removeChild(span));
  assert_throws_dom("HierarchyRequestError", () => div.appendChild(document.body));
  assert_equals(document.readyState, "loading");
}}, "dom");
async_test(t => {{ addEventListener("load", t.step_func_done(() => assert_equals(document.readyState, "complete"))); }}, "load");

test(() => {{
  assert_equals(location.href, "https://web-platform.test:8443/t/dom.https.html");
  assert_equals(parent, window);
  assert_equals(top, window);
  assert_equals(opener, null);
  assert_true(isSecureContext);
}}, "window");
</script>"##
    );
    let dir = root_with("wpt-dom", &[("t/dom.https.html", &page)]);
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(out.ends_with("4 passed, 0 failed, 0 skipped\n"), "{out}");
}

#[test]
fn disabled_pages_are_skipped_with_their_reason_and_an_empty_run_is_an_error() {
    let page = format!("{HARNESS}<script>test(() => assert_true(false), 'would fail');</script>");
    let dir = root_with("wpt-disabled", &[("t/off.html", &page)]);
    dir.write(
        "t/off.html.ini",
        "[off.html]\n  disabled: needs a media element\n",
    );
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains("SKIP    /t/off.html: disabled: needs a media element\n"),
        "{out}"
    );
    assert!(out.ends_with("0 passed, 0 failed, 1 skipped\n"), "{out}");

    dir.write("empty/readme.txt", "no tests here");
    let output = wpt(&dir, &["empty"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no test found under empty"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn media_elements_read_src_from_the_root_relative_to_the_page() {
    let page = format!(
        r#"<!DOCTYPE html><title>media</title>{HARNESS}<script>
async_test(t => {{
  const audio = document.createElement("audio");
  audio.addEventListener("error", t.unreached_func("error: " + (audio.error && audio.error.message)));
  audio.addEventListener("loadedmetadata", t.step_func_done(() => {{
    assert_equals(audio.currentSrc, "https://web-platform.test:8443/t/media/clip.mp4");
    assert_equals(audio.duration, 2);
  }}));
  audio.src = "media/clip.mp4";
}}, "a clip next to the page");
async_test(t => {{
  const audio = document.createElement("audio");
  audio.addEventListener("error", t.step_func_done(() => {{
    assert_equals(audio.error.code, MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED);
  }}));
  audio.src = "https://example.org/clip.mp4";
}}, "another origin is refused");
</script>"#
    );
    let dir = root_with("wpt-media", &[("t/media.https.html", &page)]);
    let clip = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../wpt-subset/encrypted-media/content/clear/audio.mp4");
    std::fs::create_dir_all(dir.path().join("t/media")).unwrap();
    std::fs::copy(clip, dir.path().join("t/media/clip.mp4")).unwrap();
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}{}", stderr(&output));
    assert!(out.ends_with("3 passed, 0 failed, 0 skipped\n"), "{out}");
}

#[test]
fn markup_elements_are_built_in_document_order_around_the_scripts() {
    let page = format!(
        r##"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>markup</title>
{HARNESS}</head>
<body class="page">
<!-- <div id="commented"></div> -->
<video id="v" class="a b" width=320 height="240" controls muted data-note="1 &lt; 2 &amp; &quot;q&quot; &#65;"></video>
<div id="log"></div>
<p id="text">Hello <b>bold</b> &amp; more<br>line</p>
<video id="clip" src="media/clip.mp4"></video>
<script>
test(() => {{
  const v = document.getElementById("v");
  assert_true(v instanceof HTMLVideoElement, "a real video element");
  assert_equals(v.getAttribute("class"), "a b");
  assert_equals(v.getAttribute("width"), "320");
  assert_equals(v.getAttribute("height"), "240");
  assert_true(v.hasAttribute("controls"));
  assert_equals(v.getAttribute("muted"), "");
  assert_true(v.defaultMuted, "the muted content attribute reflects");
  assert_equals(v.getAttribute("data-note"), '1 < 2 & "q" A');
  assert_equals(document.querySelector("#log").tagName, "DIV");
  assert_equals(document.getElementById("text").textContent, "Hello bold & more" + "line");
  assert_equals(document.getElementById("commented"), null);
  assert_equals(document.body.getAttribute("class"), "page");
  const order = Array.from(document.querySelectorAll("video, div")).map(e => e.id);
  assert_array_equals(order, ["v", "log", "clip"]);
  assert_equals(document.getElementById("later"), null, "not parsed yet");
}}, "elements before the script exist when it runs");
async_test(t => {{
  window.addEventListener("load", t.step_func_done(() => {{
    const later = document.getElementById("later");
    assert_true(later instanceof HTMLSpanElement || later instanceof HTMLElement);
    assert_equals(later.textContent, "late");
    assert_equals(later.parentNode, document.body);
  }}));
}}, "an element after the script is there at load");
async_test(t => {{
  const clip = document.getElementById("clip");
  clip.addEventListener("error", t.unreached_func("error: " + (clip.error && clip.error.message)));
  clip.addEventListener("loadedmetadata", t.step_func_done(() => {{
    assert_equals(clip.currentSrc, "https://web-platform.test:8443/t/media/clip.mp4");
    assert_greater_than(clip.duration, 0);
  }}));
}}, "a video src in the markup loads");
</script>
<span id="later">late</span>
</body></html>"##
    );
    let dir = root_with("wpt-markup", &[("t/markup.https.html", &page)]);
    let clip = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../wpt-subset/encrypted-media/content/clear/video.mp4");
    std::fs::create_dir_all(dir.path().join("t/media")).unwrap();
    std::fs::copy(clip, dir.path().join("t/media/clip.mp4")).unwrap();
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}{}", stderr(&output));
    assert!(out.ends_with("4 passed, 0 failed, 0 skipped\n"), "{out}");
}

#[test]
fn malformed_markup_does_not_stop_the_page() {
    let page = format!(
        r#"<!DOCTYPE html><title>broken</title>{HARNESS}
<div id="a" "bad"=1 class=x><p>one<p>two</span></b><ul><li>1<li>2</ul > x &bogus; <3 </>
<script>
test(() => {{
  assert_equals(document.getElementById("a").getAttribute("class"), "x");
  assert_equals(document.querySelectorAll("p").length, 2);
  assert_equals(document.querySelectorAll("li").length, 2);
}}, "tolerated");
</script>
<div id="unterminated"#
    );
    let dir = root_with("wpt-markup-bad", &[("t/bad.html", &page)]);
    let output = wpt(&dir, &["t"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}{}", stderr(&output));
    assert!(out.ends_with("2 passed, 0 failed, 0 skipped\n"), "{out}");
}
