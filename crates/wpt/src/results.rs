//! What a run produced, as data: one [`FileResult`] per test file, each with its subtests.
//! Statuses use wptrunner's vocabulary, so reports and expectation files can name them as is.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The harness status of one test file (wptreport's `status` of a result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FileStatus {
    /// The harness completed normally (subtests may still have failed).
    Ok,
    /// The harness reported an error (an uncaught exception outside a subtest, a bad setup).
    Error,
    /// The file did not complete within its timeout.
    Timeout,
    /// The process running the file died, or the runtime could not go on.
    Crash,
    /// `assert_implements` (not `_optional`) failed outside a subtest.
    PreconditionFailed,
}

/// The status of one subtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubtestStatus {
    /// Every assertion held and the subtest completed.
    Pass,
    /// An assertion failed or the subtest threw.
    Fail,
    /// The harness timed out while the subtest was still running.
    Timeout,
    /// The subtest never ran: the harness ended (by an error or a timeout) before it started.
    Notrun,
    /// `assert_implements_optional` failed: an optional feature is not supported.
    PreconditionFailed,
}

/// One subtest's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubtestResult {
    /// The name testharness.js gave it (unique within its file in well-formed tests).
    pub name: String,
    /// How the subtest ended.
    pub status: SubtestStatus,
    /// The assertion message, when the subtest did not pass.
    pub message: Option<String>,
}

/// One test file's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileResult {
    /// The test's URL path under the root, as WPT names tests: `/encrypted-media/foo.https.html`.
    /// For `.any.js` / `.window.js` files, the name of the page WPT generates for them
    /// (`/x/y.any.html`, `/x/y.window.html`).
    pub test: String,
    /// How the harness ended for the file as a whole.
    pub status: FileStatus,
    /// Why the harness did not complete OK (the harness message, the crash's stderr tail).
    pub message: Option<String>,
    /// In the order testharness.js reported them.
    pub subtests: Vec<SubtestResult>,
    /// Wall time of the file, in milliseconds.
    pub duration_ms: u64,
}

macro_rules! status_names {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// The name wptrunner uses (`PASS`, `PRECONDITION_FAILED`, …).
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }

            /// Every status, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                match text {
                    $($name => Ok(Self::$variant),)*
                    _ => Err(format!("`{text}` is not a {} status", stringify!($ty))),
                }
            }
        }
    };
}

status_names!(FileStatus {
    Ok => "OK",
    Error => "ERROR",
    Timeout => "TIMEOUT",
    Crash => "CRASH",
    PreconditionFailed => "PRECONDITION_FAILED",
});

status_names!(SubtestStatus {
    Pass => "PASS",
    Fail => "FAIL",
    Timeout => "TIMEOUT",
    Notrun => "NOTRUN",
    PreconditionFailed => "PRECONDITION_FAILED",
});
