//! Errors a CDM reports to the EME layer.
//!
//! Every failure the spec lets a CDM operation report maps to exactly one exception the
//! EME algorithms reject a promise with, so the error carries that mapping as a kind
//! rather than leaving the caller to guess from a message.

/// Which exception the EME layer turns a [`CdmError`] into: `TypeError` itself, or a
/// `DOMException` whose `name` is the variant's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A JavaScript `TypeError`: malformed input (init data, licence, …).
    TypeError,
    /// Well-formed input the key system cannot use (e.g. a session type the configuration
    /// does not allow).
    NotSupportedError,
    /// The operation does not fit the session's state (e.g. a session that is not open).
    InvalidStateError,
    /// The CDM ran out of a resource (e.g. session IDs).
    QuotaExceededError,
    /// From older spec wording some callers still map to; Clear Key never reports it.
    InvalidAccessError,
}

impl ErrorKind {
    /// The exception name exactly as scripts see it (`e.name`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TypeError => "TypeError",
            ErrorKind::NotSupportedError => "NotSupportedError",
            ErrorKind::InvalidStateError => "InvalidStateError",
            ErrorKind::QuotaExceededError => "QuotaExceededError",
            ErrorKind::InvalidAccessError => "InvalidAccessError",
        }
    }
}

/// A failed CDM operation: the exception kind plus a specific, human-readable message
/// ("initData exceeds 65536 bytes", never just "error").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CdmError {
    /// The exception the EME layer rejects the promise with.
    pub kind: ErrorKind,
    /// The exception's `message`; also this error's `Display` text.
    pub message: String,
}

impl CdmError {
    /// An error of `kind`; the constructors below are shorthands for each kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CdmError {
            kind,
            message: message.into(),
        }
    }

    /// Malformed input (init data, licence, …).
    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TypeError, message)
    }

    /// Well-formed input the key system cannot use.
    pub fn not_supported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotSupportedError, message)
    }

    /// The operation does not fit the session's state (e.g. unknown session).
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidStateError, message)
    }

    /// The CDM ran out of a resource (e.g. session ids).
    pub fn quota_exceeded(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::QuotaExceededError, message)
    }

    /// Kept for the older spec wording some callers still map to; Clear Key never uses it.
    pub fn invalid_access(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidAccessError, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_set_kind_and_message() {
        let cases = [
            (CdmError::type_error("a"), ErrorKind::TypeError),
            (CdmError::not_supported("b"), ErrorKind::NotSupportedError),
            (CdmError::invalid_state("c"), ErrorKind::InvalidStateError),
            (CdmError::quota_exceeded("d"), ErrorKind::QuotaExceededError),
            (CdmError::invalid_access("e"), ErrorKind::InvalidAccessError),
        ];
        for (error, kind) in cases {
            assert_eq!(error.kind, kind);
            assert_eq!(error.to_string(), error.message);
        }
    }

    #[test]
    fn kind_names_are_exception_names() {
        assert_eq!(ErrorKind::TypeError.name(), "TypeError");
        assert_eq!(ErrorKind::NotSupportedError.name(), "NotSupportedError");
        assert_eq!(ErrorKind::InvalidStateError.name(), "InvalidStateError");
        assert_eq!(ErrorKind::QuotaExceededError.name(), "QuotaExceededError");
        assert_eq!(ErrorKind::InvalidAccessError.name(), "InvalidAccessError");
    }
}
