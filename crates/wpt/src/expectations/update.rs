//! Rewriting metadata so that a run's results become the expected ones, touching only the
//! entries the results contradict.

use std::fmt;
use std::str::FromStr;

use super::document::{Item, KeyEntry, Metadata, Section};
use super::run_info::RunInfo;
use super::{Expected, ParseError, page_name};
use crate::results::{FileResult, FileStatus, SubtestStatus};

/// Every status seen for one page across the results, distinct, in first-seen order.
struct PageObservation {
    name: String,
    statuses: Vec<FileStatus>,
    subtests: Vec<(String, Vec<SubtestStatus>)>,
}

fn push_distinct<S: PartialEq>(list: &mut Vec<S>, status: S) {
    if !list.contains(&status) {
        list.push(status);
    }
}

/// Groups results by page, so repeated runs of a page that disagree become a status list that
/// accepts all of them.
fn observe(results: &[&FileResult]) -> Vec<PageObservation> {
    let mut pages: Vec<PageObservation> = Vec::new();
    for result in results {
        let name = page_name(&result.test);
        let page = match pages.iter().position(|page| page.name == name) {
            Some(index) => &mut pages[index],
            None => {
                pages.push(PageObservation {
                    name: name.to_owned(),
                    statuses: Vec::new(),
                    subtests: Vec::new(),
                });
                let last = pages.len() - 1;
                &mut pages[last]
            }
        };
        push_distinct(&mut page.statuses, result.status);
        for subtest in &result.subtests {
            match page.subtests.iter_mut().find(|(n, _)| *n == subtest.name) {
                Some((_, statuses)) => push_distinct(statuses, subtest.status),
                None => page
                    .subtests
                    .push((subtest.name.clone(), vec![subtest.status])),
            }
        }
    }
    pages
}

/// The text of an `expected` value allowing exactly `observed`, or `None` when that is the
/// default and the key can go.
fn expected_value_text<S: PartialEq + Copy + fmt::Display>(
    observed: &[S],
    default: S,
) -> Option<String> {
    match observed {
        [] => None,
        [only] if *only == default => None,
        [only] => Some(only.to_string()),
        several => {
            let names: Vec<String> = several.iter().map(ToString::to_string).collect();
            Some(format!("[{}]", names.join(", ")))
        }
    }
}

/// Makes `section`'s `expected` accept every observed status, touching it only if it does not
/// already. Returns whether anything changed.
fn reconcile_expected<S>(section: &mut Section, observed: &[S], run_info: &RunInfo) -> bool
where
    S: FromStr + PartialEq + Copy + fmt::Display,
    Expected<S>: Default,
{
    let current: Expected<S> = section.expected(run_info);
    if observed.iter().all(|status| current.accepts(*status)) {
        return false;
    }
    let default = Expected::<S>::default().expected;
    let replacement = expected_value_text(observed, default);
    let indent = section.child_indent();
    match (section.key_index("expected"), replacement) {
        (Some(index), None) => {
            section.items.remove(index);
        }
        (Some(index), Some(text)) => {
            if let Item::Key(old) = &section.items[index] {
                // Comments above the entry usually say why it is not the default; keep them.
                let mut entry = KeyEntry::unconditional("expected", text, indent);
                entry.comments_above = old.comments_above.clone();
                section.items[index] = Item::Key(entry);
            }
        }
        (None, Some(text)) => {
            let entry = KeyEntry::unconditional("expected", text, indent);
            section.items.insert(0, Item::Key(entry));
            section.body_indent = Some(indent);
        }
        (None, None) => return false,
    }
    true
}

fn update_subtest(
    page: &mut Section,
    name: &str,
    observed: &[SubtestStatus],
    run_info: &RunInfo,
) -> bool {
    match page.subsection_index(name) {
        Some(index) => {
            let Item::Section(subtest) = &mut page.items[index] else {
                return false;
            };
            if subtest.disabled(run_info).is_some() {
                return false;
            }
            let changed = reconcile_expected(subtest, observed, run_info);
            if changed && subtest.is_empty() {
                page.items.remove(index);
            }
            changed
        }
        None => {
            let mut subtest = Section::new(name, page.child_indent());
            if !reconcile_expected(&mut subtest, observed, run_info) {
                return false;
            }
            page.body_indent = Some(subtest.indent);
            page.items.push(Item::Section(subtest));
            true
        }
    }
}

/// Drops the `expected` of subtests the page no longer has. Only called when the page completed
/// `OK`, so their absence means they are gone, not that the run stopped early.
fn drop_stale_subtests(page: &mut Section, observed: &PageObservation, run_info: &RunInfo) -> bool {
    let mut changed = false;
    page.items.retain_mut(|item| {
        let Item::Section(subtest) = item else {
            return true;
        };
        let seen = observed
            .subtests
            .iter()
            .any(|(name, _)| *name == subtest.name);
        if seen || subtest.disabled(run_info).is_some() {
            return true;
        }
        let Some(index) = subtest.key_index("expected") else {
            return true;
        };
        subtest.items.remove(index);
        changed = true;
        !subtest.is_empty()
    });
    changed
}

fn update_page(metadata: &mut Metadata, observed: &PageObservation, run_info: &RunInfo) -> bool {
    let file_disabled = metadata.file_disabled(run_info).is_some();
    let existing = metadata.page_index(&observed.name);
    let mut page = match existing {
        Some(index) => match &metadata.items[index] {
            Item::Section(section) => section.clone(),
            _ => return false,
        },
        None => Section::new(&observed.name, 0),
    };
    if file_disabled || page.disabled(run_info).is_some() {
        return false;
    }

    let mut changed = reconcile_expected(&mut page, &observed.statuses, run_info);
    for (name, statuses) in &observed.subtests {
        changed |= update_subtest(&mut page, name, statuses, run_info);
    }
    if observed
        .statuses
        .iter()
        .all(|status| *status == FileStatus::Ok)
    {
        changed |= drop_stale_subtests(&mut page, observed, run_info);
    }
    if !changed {
        return false;
    }
    match (existing, page.is_empty()) {
        (Some(index), true) => {
            metadata.items.remove(index);
        }
        (Some(index), false) => metadata.items[index] = Item::Section(page),
        (None, true) => return false,
        (None, false) => {
            let follows_content = metadata
                .items
                .last()
                .is_some_and(|item| !matches!(item, Item::Trivia(line) if line.trim().is_empty()));
            if follows_content {
                metadata.items.push(Item::Trivia(String::new()));
            }
            metadata.items.push(Item::Section(page));
        }
    }
    true
}

/// The new text of one .ini given its current text (`None` when there is none) and the results
/// of the pages it covers; `Ok(None)` means the file should be deleted (no entry is left and no
/// free-standing comment either).
///
/// Entries that already accept the results stay exactly as written; entries that do not become
/// an unconditional `expected: <actual>` (a `[A, B]` list when the results disagree); entries
/// back at the default are removed, with the comments directly above them. Sections for pages
/// not in `results`, and disabled pages and subtests, are left alone. When nothing changes the
/// existing text is returned byte for byte.
pub fn update_metadata(
    existing: Option<&str>,
    results: &[&FileResult],
    run_info: &RunInfo,
) -> Result<Option<String>, ParseError> {
    let mut metadata = match existing {
        Some(text) => Metadata::parse(text)?,
        None => Metadata::default(),
    };
    let mut changed = false;
    for observed in observe(results) {
        changed |= update_page(&mut metadata, &observed, run_info);
    }
    if !metadata.has_content() {
        return Ok(None);
    }
    match existing {
        Some(text) if !changed => Ok(Some(text.to_owned())),
        _ => Ok(Some(metadata.render())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expectations::compare;
    use crate::expectations::test_support::{linux, parse, result, subtest};

    fn update(existing: Option<&str>, results: &[&FileResult]) -> Option<String> {
        match update_metadata(existing, results, &linux()) {
            Ok(text) => text,
            Err(error) => panic!("update failed: {error}"),
        }
    }

    /// The round-trip property: the updated file accepts every result it was given.
    fn assert_accepts_all(text: Option<&str>, results: &[&FileResult]) {
        let metadata = parse(text.unwrap_or(""));
        for result in results {
            let expectation = metadata.page(page_name(&result.test), &linux());
            let comparison = compare(result, &expectation);
            assert!(
                comparison.is_expected(),
                "{text:?} vs {result:?}: {comparison:?}"
            );
        }
    }

    #[test]
    fn accepted_file_stays_byte_identical() {
        let existing = "# why: Foo is not implemented\n[p.html]\n  expected:\n    if os == \"linux\": ERROR\n    OK\n  [a]   \n    expected: [FAIL, PASS]\n    bug: 12\n\n\n";
        let run = result(
            "/d/p.html",
            FileStatus::Error,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        assert_eq!(update(Some(existing), &[&run]).as_deref(), Some(existing));
    }

    #[test]
    fn new_failure_is_added() {
        let run = result(
            "/d/p.html",
            FileStatus::Error,
            vec![
                subtest("ok", SubtestStatus::Pass),
                subtest("z ]bad", SubtestStatus::Fail),
                subtest("a late", SubtestStatus::Timeout),
            ],
        );
        let text = update(None, &[&run]);
        assert_eq!(
            text.as_deref(),
            Some(
                "[p.html]\n  expected: ERROR\n  [z \\]bad]\n    expected: FAIL\n  [a late]\n    expected: TIMEOUT\n"
            )
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn new_failure_is_added_to_an_existing_file() {
        let existing = "[p.html]\n  [a]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Fail),
                subtest("b", SubtestStatus::Notrun),
            ],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  [a]\n    expected: FAIL\n  [b]\n    expected: NOTRUN\n")
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn fixed_failures_delete_the_file() {
        let existing = "# fails until Foo lands\n[p.html]\n  expected: ERROR\n  # flaky because of Bar\n  [a]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        assert_eq!(update(Some(existing), &[&run]), None);
        assert_eq!(update(None, &[&run]), None);
    }

    #[test]
    fn fixed_subtest_loses_its_section_but_keeps_other_keys() {
        let existing = "[p.html]\n  [a]\n    expected: FAIL\n  [b]\n    expected: FAIL\n    bug: 7\n  [c]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Pass),
                subtest("b", SubtestStatus::Pass),
                subtest("c", SubtestStatus::Fail),
            ],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  [b]\n    bug: 7\n  [c]\n    expected: FAIL\n")
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn conditional_entry_is_kept_while_it_still_accepts() {
        let existing = "[p.html]\n  [a]\n    expected:\n      if os == \"linux\": FAIL\n      if os == \"mac\": TIMEOUT\n";
        let fail = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        assert_eq!(update(Some(existing), &[&fail]).as_deref(), Some(existing));
        // No longer accepted: replaced by the unconditional actual status.
        let timeout = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Timeout)],
        );
        let text = update(Some(existing), &[&timeout]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  [a]\n    expected: TIMEOUT\n")
        );
        assert_accepts_all(text.as_deref(), &[&timeout]);
    }

    #[test]
    fn comments_stay_with_kept_sections_and_other_pages_are_untouched() {
        let existing = "# about the whole file\n\n# why q errors\n[q.html]\n  expected:\n    if debug: CRASH\n    ERROR\n\n# why p fails\n[p.html]\n    # why a fails\n    [a]\n        # slow on CI\n        expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Timeout),
                subtest("b", SubtestStatus::Fail),
            ],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some(
                "# about the whole file\n\n# why q errors\n[q.html]\n  expected:\n    if debug: CRASH\n    ERROR\n\n# why p fails\n[p.html]\n    # why a fails\n    [a]\n        # slow on CI\n        expected: TIMEOUT\n    [b]\n      expected: FAIL\n"
            )
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn free_standing_comment_keeps_the_file() {
        let existing = "# keep me\n\n[p.html]\n  expected: ERROR\n";
        let run = result("/d/p.html", FileStatus::Ok, vec![]);
        assert_eq!(
            update(Some(existing), &[&run]).as_deref(),
            Some("# keep me\n")
        );
    }

    #[test]
    fn disabled_entries_are_kept() {
        let existing = "[p.html]\n  [a]\n    disabled: flaky\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        assert_eq!(update(Some(existing), &[&run]).as_deref(), Some(existing));
        let disabled_page = "[p.html]\n  disabled: no\n";
        let failing = result("/d/p.html", FileStatus::Crash, vec![]);
        assert_eq!(
            update(Some(disabled_page), &[&failing]).as_deref(),
            Some(disabled_page)
        );
    }

    #[test]
    fn file_status_goes_first_in_an_existing_section() {
        let existing = "[p.html]\n  bug: 3\n  [a]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Timeout,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  expected: TIMEOUT\n  bug: 3\n  [a]\n    expected: FAIL\n")
        );
    }

    #[test]
    fn disagreeing_runs_become_a_list() {
        let first = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let second = result(
            "/d/p.html",
            FileStatus::Timeout,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        let text = update(None, &[&first, &second]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  expected: [OK, TIMEOUT]\n  [a]\n    expected: [FAIL, PASS]\n")
        );
        assert_accepts_all(text.as_deref(), &[&first, &second]);
    }

    #[test]
    fn new_pages_are_appended_and_stale_subtests_dropped() {
        let existing = "[x.any.html]\n  [gone]\n    expected: FAIL\n  [kept]\n    expected: FAIL\n";
        let window = result(
            "/d/x.any.html",
            FileStatus::Ok,
            vec![subtest("kept", SubtestStatus::Fail)],
        );
        let worker = result("/d/x.any.worker.html", FileStatus::Error, vec![]);
        let text = update(Some(existing), &[&window, &worker]);
        assert_eq!(
            text.as_deref(),
            Some(
                "[x.any.html]\n  [kept]\n    expected: FAIL\n\n[x.any.worker.html]\n  expected: ERROR\n"
            )
        );
        assert_accepts_all(text.as_deref(), &[&window, &worker]);
    }

    #[test]
    fn subtests_are_not_dropped_when_the_page_stopped_early() {
        let existing = "[p.html]\n  expected: TIMEOUT\n  [late]\n    expected: NOTRUN\n";
        let run = result("/d/p.html", FileStatus::Timeout, vec![]);
        assert_eq!(update(Some(existing), &[&run]).as_deref(), Some(existing));
    }

    #[test]
    fn update_reports_parse_errors() {
        let run = result("/d/p.html", FileStatus::Ok, vec![]);
        let error = update_metadata(Some("[p.html\n"), &[&run], &linux());
        assert!(
            matches!(error, Err(ParseError { line: 1, .. })),
            "{error:?}"
        );
    }

    #[test]
    fn round_trip_accepts_every_result_in_a_mixed_run() {
        let existing = "[a.html]\n  expected:\n    if os == \"mac\": CRASH\n  [s1]\n    expected:\n      if debug: FAIL\n      [TIMEOUT, NOTRUN]\n\n[b.html]\n  [t]\n    bug: 1\n";
        let names = ["s1", "s2", "we\\ird]\nname"];
        let mut runs = Vec::new();
        for (index, status) in SubtestStatus::ALL.iter().enumerate() {
            let file_status = FileStatus::ALL[index % FileStatus::ALL.len()];
            let subtests = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    subtest(
                        name,
                        SubtestStatus::ALL[(index + i) % SubtestStatus::ALL.len()],
                    )
                })
                .collect();
            let page = if index % 2 == 0 {
                "/d/a.html"
            } else {
                "/d/b.html"
            };
            runs.push(result(page, file_status, subtests));
            runs.push(result(
                "/d/c.html",
                file_status,
                vec![subtest("only", *status)],
            ));
        }
        let refs: Vec<&FileResult> = runs.iter().collect();
        let text = update(Some(existing), &refs);
        assert_accepts_all(text.as_deref(), &refs);
        // Updating again with the same results changes nothing.
        assert_eq!(update(text.as_deref(), &refs), text);
    }

    /// A tiny deterministic generator, so the property test needs no extra crate.
    struct Xorshift(u64);

    impl Xorshift {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    #[test]
    fn generated_inputs_never_panic_and_updates_round_trip() {
        const FRAGMENTS: &[&str] = &[
            "[p.html]",
            "[q.html]",
            "[s]",
            "[t\\]u]",
            "[a",
            "[x\\",
            "[\\x41]",
            "[]",
            "expected: FAIL",
            "expected: OK",
            "expected: ERROR",
            "expected: [PASS, FAIL]",
            "expected: [TIMEOUT, OK]",
            "expected:",
            "if os == \"linux\": FAIL",
            "if debug: ERROR",
            "if not debug and bits == 64: [FAIL, PASS]",
            "if (not debug: X",
            "if os == 'a:b' or (x != 1): TIMEOUT",
            "TIMEOUT",
            "PASS",
            "OK",
            "bug: 1",
            "disabled: r",
            "disabled:",
            "disabled: @False",
            "# c",
            "",
            "\tx",
            "key",
            "if",
            "\"",
            "\\",
            "::",
            "é[ü]",
            "expected: \"FAIL",
            "prefs: [a, \"b]",
            "\u{feff}x",
        ];
        const INDENTS: &[&str] = &["", "", "  ", "  ", "    ", "      ", "   ", " "];
        let mut random = Xorshift(0x9e37_79b9_7f4a_7c15);
        let run_info = linux();
        let mut parsed = 0;
        for _ in 0..4000 {
            let line_count = random.below(10);
            let mut text = String::new();
            for _ in 0..line_count {
                text.push_str(random.pick(INDENTS));
                text.push_str(random.pick(FRAGMENTS));
                text.push_str(if random.below(8) == 0 { "\r\n" } else { "\n" });
            }
            let metadata = match Metadata::parse(&text) {
                Ok(metadata) => metadata,
                Err(error) => {
                    assert!(
                        error.line >= 1 && error.line <= line_count,
                        "{text:?}: {error}"
                    );
                    continue;
                }
            };
            parsed += 1;
            for name in metadata.page_names() {
                let _ = metadata.page(name, &run_info);
            }
            let mut results = Vec::new();
            for _ in 0..random.below(4) {
                let test = random.pick(&["/d/p.html", "/d/q.html", "/d/r]\n.html"]);
                let subtests = (0..random.below(4))
                    .map(|_| {
                        let name = random.pick(&["s", "t]u", "v", "", "w\\"]);
                        let status = SubtestStatus::ALL[random.below(SubtestStatus::ALL.len())];
                        subtest(name, status)
                    })
                    .collect();
                let status = FileStatus::ALL[random.below(FileStatus::ALL.len())];
                results.push(result(test, status, subtests));
            }
            let refs: Vec<&FileResult> = results.iter().collect();
            let updated = match update_metadata(Some(&text), &refs, &run_info) {
                Ok(updated) => updated,
                Err(error) => panic!("{text:?} parsed but failed to update: {error}"),
            };
            if let Some(updated) = &updated
                && let Err(error) = Metadata::parse(updated)
            {
                panic!("update of {text:?} wrote unparseable {updated:?}: {error}");
            }
            let updated_metadata = parse(updated.as_deref().unwrap_or(""));
            for result in &refs {
                let expectation = updated_metadata.page(page_name(&result.test), &run_info);
                if expectation.disabled.is_none() {
                    let comparison = compare(result, &expectation);
                    assert!(
                        comparison.is_expected(),
                        "{text:?} -> {updated:?} does not accept {result:?}"
                    );
                }
            }
        }
        // The generator must exercise the success path, not only errors.
        assert!(parsed > 300, "only {parsed} inputs parsed");
    }
}
