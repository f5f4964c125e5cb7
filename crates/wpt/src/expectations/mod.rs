//! wptrunner's expectation metadata: the `.ini`-like files that say which status each test page
//! and subtest is expected to end with, optionally depending on the run's configuration.
//!
//! ```text
//! # a comment
//! [foo.https.html]
//!   expected: ERROR
//!   [subtest name with \] escaped]
//!     expected:
//!       if os == "linux": FAIL
//!       [PASS, FAIL]
//!   disabled: reason text
//! ```
//!
//! Parsing keeps every source line, so [`update_metadata`] can rewrite only the entries a run
//! contradicts and leave everything else (conditions, comments, spacing) byte for byte.
//!
//! The pieces: [`RunInfo`] (what conditions look up), the condition language (`condition`), the
//! lossless document model and its parser (`document`, `parser`, `literals`), [`compare`] (results
//! against resolved expectations) and [`update_metadata`] (rewriting files from results).

mod compare;
mod condition;
mod document;
mod literals;
mod parser;
mod run_info;
mod update;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use thiserror::Error;

use crate::results::{FileStatus, SubtestStatus};

pub use compare::{Comparison, SubtestVerdict, Verdict, compare};
pub use document::Metadata;
pub use literals::escape_heading;
pub use run_info::{RunInfo, RunInfoValue};
pub use update::update_metadata;

/// The statuses an entry allows: the expected one, and others seen often enough to be tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected<S> {
    /// The status the entry names first.
    pub expected: S,
    /// Further statuses that are also acceptable (the rest of an `[A, B, …]` list).
    pub known_intermittent: Vec<S>,
}

impl<S> Expected<S> {
    /// Exactly one acceptable status.
    pub fn exactly(status: S) -> Self {
        Self {
            expected: status,
            known_intermittent: Vec::new(),
        }
    }
}

impl<S: PartialEq> Expected<S> {
    /// Whether `actual` is the expected status or a known intermittent one.
    pub fn accepts(&self, actual: S) -> bool {
        self.expected == actual || self.known_intermittent.contains(&actual)
    }
}

impl Default for Expected<FileStatus> {
    fn default() -> Self {
        Self::exactly(FileStatus::Ok)
    }
}

impl Default for Expected<SubtestStatus> {
    fn default() -> Self {
        Self::exactly(SubtestStatus::Pass)
    }
}

/// What the metadata says about one test page, with conditions evaluated for one run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileExpectation {
    /// `Some(reason)` when the page is not to be run.
    pub disabled: Option<String>,
    /// The harness status expected (`OK` by default).
    pub status: Expected<FileStatus>,
    /// Every subtest the metadata has a section for.
    pub subtests: BTreeMap<String, SubtestExpectation>,
}

impl FileExpectation {
    /// The expectation for the subtest `name`: its section's, or `PASS` when it has none.
    pub fn subtest(&self, name: &str) -> SubtestExpectation {
        self.subtests.get(name).cloned().unwrap_or_default()
    }
}

/// What the metadata says about one subtest, with conditions evaluated for one run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubtestExpectation {
    /// `Some(reason)` when the subtest's outcome is to be ignored.
    pub disabled: Option<String>,
    /// The status expected (`PASS` by default).
    pub status: Expected<SubtestStatus>,
}

// ---------------------------------------------------------------------------------------------
// Parse errors
// ---------------------------------------------------------------------------------------------

/// Why a metadata file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// The 1-based line the problem is on.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl ParseError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

/// The page name a test URL's metadata section uses: its last path component, keeping any
/// `?query` or `#fragment` (variants have sections of their own).
/// `/encrypted-media/foo.https.html` → `foo.https.html`.
pub fn page_name(test_url: &str) -> &str {
    let path_end = test_url.find(['?', '#']).unwrap_or(test_url.len());
    let start = test_url[..path_end].rfind('/').map_or(0, |slash| slash + 1);
    &test_url[start..]
}

/// Where the .ini for a test file lives: beside it (`<file>.ini`) when `meta_dir` is `None`, else
/// `meta_dir/<path of file relative to tests_root>.ini`. A file outside `tests_root` keeps its
/// whole path (less any root or drive) under `meta_dir`, so it can never escape `meta_dir`.
pub fn ini_path(test_file: &Path, tests_root: &Path, meta_dir: Option<&Path>) -> PathBuf {
    let with_ini_suffix = |path: &Path| {
        let mut name = path.as_os_str().to_owned();
        name.push(".ini");
        PathBuf::from(name)
    };
    let Some(meta_dir) = meta_dir else {
        return with_ini_suffix(test_file);
    };
    let relative: PathBuf = match test_file.strip_prefix(tests_root) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => test_file
            .components()
            .filter(|component| matches!(component, Component::Normal(_)))
            .collect(),
    };
    with_ini_suffix(&meta_dir.join(relative))
}

/// Builders the tests of every part of this module share.
#[cfg(test)]
mod test_support {
    use super::*;
    use crate::results::{FileResult, SubtestResult};

    pub(super) fn linux() -> RunInfo {
        RunInfo::new()
            .with("os", "linux")
            .with("product", "eme")
            .with("debug", false)
    }

    pub(super) fn parse(text: &str) -> Metadata {
        match Metadata::parse(text) {
            Ok(metadata) => metadata,
            Err(error) => panic!("{text:?} should parse: {error}"),
        }
    }

    pub(super) fn parse_error(text: &str) -> ParseError {
        match Metadata::parse(text) {
            Ok(_) => panic!("{text:?} should not parse"),
            Err(error) => error,
        }
    }

    pub(super) fn subtest(name: &str, status: SubtestStatus) -> SubtestResult {
        SubtestResult {
            name: name.to_owned(),
            status,
            message: None,
        }
    }

    pub(super) fn result(
        test: &str,
        status: FileStatus,
        subtests: Vec<SubtestResult>,
    ) -> FileResult {
        FileResult {
            test: test.to_owned(),
            status,
            message: None,
            subtests,
            duration_ms: 10,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_path_beside_the_test() {
        let path = ini_path(
            Path::new("/wpt/encrypted-media/x.any.js"),
            Path::new("/wpt"),
            None,
        );
        assert_eq!(path, PathBuf::from("/wpt/encrypted-media/x.any.js.ini"));
    }

    #[test]
    fn ini_path_in_a_metadata_directory() {
        let path = ini_path(
            Path::new("/wpt/encrypted-media/foo.https.html"),
            Path::new("/wpt"),
            Some(Path::new("/meta")),
        );
        assert_eq!(
            path,
            PathBuf::from("/meta/encrypted-media/foo.https.html.ini")
        );
        let outside = ini_path(
            Path::new("/elsewhere/a.html"),
            Path::new("/wpt"),
            Some(Path::new("/meta")),
        );
        assert_eq!(outside, PathBuf::from("/meta/elsewhere/a.html.ini"));
    }

    #[test]
    fn page_names_come_from_the_last_path_component() {
        assert_eq!(
            page_name("/encrypted-media/foo.https.html"),
            "foo.https.html"
        );
        assert_eq!(page_name("/dir/x.any.html?v=1/2"), "x.any.html?v=1/2");
        assert_eq!(page_name("bare.html"), "bare.html");
    }
}
