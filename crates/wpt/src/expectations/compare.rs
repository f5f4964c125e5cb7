//! Judging a run's results against resolved expectations.

use super::{Expected, FileExpectation};
use crate::results::{FileResult, FileStatus, SubtestStatus};

/// How one actual status compares with its expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<S> {
    /// The status the run produced.
    pub actual: S,
    /// What the metadata allowed.
    pub expected: Expected<S>,
    /// `Some(reason)` when the metadata disables the entry: its outcome is ignored.
    pub disabled: Option<String>,
    /// The actual status is not allowed (never true for a disabled entry). Unexpected passes
    /// count: an expected `FAIL` that passes is unexpected.
    pub unexpected: bool,
}

impl<S: PartialEq + Copy> Verdict<S> {
    /// Judges `actual` against `expected`, ignoring it when `disabled` is set.
    pub fn new(actual: S, expected: Expected<S>, disabled: Option<String>) -> Self {
        let unexpected = disabled.is_none() && !expected.accepts(actual);
        Self {
            actual,
            expected,
            disabled,
            unexpected,
        }
    }

    /// Whether the outcome is ignored because the metadata disables it.
    pub fn is_ignored(&self) -> bool {
        self.disabled.is_some()
    }
}

/// The verdict on one subtest of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubtestVerdict {
    /// The subtest's name.
    pub name: String,
    /// How its status compares with the metadata.
    pub verdict: Verdict<SubtestStatus>,
}

/// How one file's result compares with its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The harness status.
    pub file: Verdict<FileStatus>,
    /// One per subtest of the result, in the result's order.
    pub subtests: Vec<SubtestVerdict>,
    /// Subtests the metadata has a (not disabled) section for that the result does not contain,
    /// sorted by name. Reported for the user's information only, never counted as unexpected:
    /// a file that errors or times out legitimately loses subtests, and wptrunner does not flag
    /// them either; `update_metadata` drops stale ones once the file completes `OK`.
    pub missing: Vec<String>,
}

impl Comparison {
    /// How many statuses (the harness's and each subtest's) were unexpected.
    pub fn unexpected_count(&self) -> usize {
        usize::from(self.file.unexpected)
            + self
                .subtests
                .iter()
                .filter(|subtest| subtest.verdict.unexpected)
                .count()
    }

    /// Whether everything went as the metadata says.
    pub fn is_expected(&self) -> bool {
        self.unexpected_count() == 0
    }
}

/// Compares a file's result with what the metadata expects of it. A disabled file makes every
/// verdict in it ignored.
pub fn compare(result: &FileResult, expectation: &FileExpectation) -> Comparison {
    let file = Verdict::new(
        result.status,
        expectation.status.clone(),
        expectation.disabled.clone(),
    );
    let subtests = result
        .subtests
        .iter()
        .map(|subtest| {
            let expected = expectation.subtest(&subtest.name);
            let disabled = expected.disabled.or_else(|| expectation.disabled.clone());
            SubtestVerdict {
                name: subtest.name.clone(),
                verdict: Verdict::new(subtest.status, expected.status, disabled),
            }
        })
        .collect();
    let missing = expectation
        .subtests
        .iter()
        .filter(|(name, subtest)| {
            subtest.disabled.is_none() && !result.subtests.iter().any(|s| &s.name == *name)
        })
        .map(|(name, _)| name.clone())
        .collect();
    Comparison {
        file,
        subtests,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expectations::test_support::{linux, parse, result, subtest};

    fn expectation(text: &str, page: &str) -> FileExpectation {
        parse(text).page(page, &linux())
    }

    #[test]
    fn unexpected_failure_is_counted() {
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let comparison = compare(&result, &FileExpectation::default());
        assert!(comparison.subtests[0].verdict.unexpected);
        assert_eq!(comparison.unexpected_count(), 1);
        assert!(!comparison.is_expected());
    }

    #[test]
    fn unexpected_pass_is_counted() {
        let expected = expectation("[p.html]\n  [a]\n    expected: FAIL\n", "p.html");
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        let comparison = compare(&result, &expected);
        assert!(comparison.subtests[0].verdict.unexpected);
        assert_eq!(comparison.unexpected_count(), 1);
    }

    #[test]
    fn expected_failure_and_intermittent_are_accepted() {
        let expected = expectation(
            "[p.html]\n  [a]\n    expected: FAIL\n  [b]\n    expected: [PASS, TIMEOUT]\n",
            "p.html",
        );
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Fail),
                subtest("b", SubtestStatus::Timeout),
            ],
        );
        let comparison = compare(&result, &expected);
        assert!(comparison.is_expected(), "{comparison:?}");
        assert_eq!(comparison.subtests.len(), 2);
        assert_eq!(comparison.subtests[1].name, "b");
    }

    #[test]
    fn disabled_subtest_is_ignored() {
        let expected = expectation("[p.html]\n  [a]\n    disabled: flaky\n", "p.html");
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let comparison = compare(&result, &expected);
        let verdict = &comparison.subtests[0].verdict;
        assert!(verdict.is_ignored());
        assert!(!verdict.unexpected);
        assert!(comparison.is_expected());
    }

    #[test]
    fn unexpected_file_status_is_counted() {
        let result = result("/d/p.html", FileStatus::Timeout, vec![]);
        let comparison = compare(&result, &FileExpectation::default());
        assert!(comparison.file.unexpected);
        assert_eq!(comparison.file.expected.expected, FileStatus::Ok);
        assert_eq!(comparison.unexpected_count(), 1);
        let expected = expectation("[p.html]\n  expected: TIMEOUT\n", "p.html");
        assert!(compare(&result, &expected).is_expected());
    }

    #[test]
    fn subtests_named_only_in_metadata_are_missing_but_not_unexpected() {
        let expected = expectation(
            "[p.html]\n  [gone]\n    expected: FAIL\n  [off]\n    disabled: x\n",
            "p.html",
        );
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        let comparison = compare(&result, &expected);
        assert_eq!(comparison.missing, ["gone"]);
        assert!(comparison.is_expected());
    }
}
