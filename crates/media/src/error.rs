//! The reader's error: every failure names the box path, the absolute byte offset and why.

/// What kind of failure a [`MediaError`] is, for callers that react differently to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The bytes break the ISO-BMFF or Common Encryption layout.
    Malformed,
    /// A box, a count or the buffered data exceeds a [`crate::Limits`] bound.
    TooLarge,
    /// The input ended inside a box (only reported once the input is known to be complete).
    Truncated,
    /// Valid content this reader does not handle (an unknown protection scheme, for example).
    Unsupported,
}

/// A reader failure: which box (`moov/trak[1]/mdia/...`), where (absolute byte offset in the
/// file or stream) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path} at {offset}: {reason}")]
pub struct MediaError {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// The box path, top-level box first; repeated boxes carry a 0-based index (`trak[1]`).
    pub path: String,
    /// The absolute byte offset of the offending field or box in the file or stream.
    pub offset: u64,
    /// A human-readable reason.
    pub reason: String,
}

impl MediaError {
    /// A [`ErrorKind::Malformed`] error.
    pub fn malformed(path: impl Into<String>, offset: u64, reason: impl Into<String>) -> Self {
        Self::new(ErrorKind::Malformed, path, offset, reason)
    }

    /// An error of the given kind.
    pub fn new(
        kind: ErrorKind,
        path: impl Into<String>,
        offset: u64,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            path: path.into(),
            offset,
            reason: reason.into(),
        }
    }
}

/// The reader's result type.
pub type Result<T, E = MediaError> = std::result::Result<T, E>;
