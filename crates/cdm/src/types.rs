//! The spec's enumerations and dictionaries, as the CDM sees them.
//!
//! The EME layer converts JavaScript values into these (WebIDL conversion and enum
//! validation happen there); everything below is plain data.

/// A key ID: an opaque byte string (1..=512 bytes once validated, see [`crate::limits`]).
pub type KeyId = Vec<u8>;

/// A WebIDL enumeration (or a registry of exact strings) as plain Rust: a closed set of values,
/// each with one exact IDL string.
///
/// This crate knows no JavaScript; the EME layer converts script values to and from these
/// through this trait, so each enumeration's strings are declared once, in this file.
pub trait IdlEnum: Copy + 'static {
    /// The enumeration's IDL name, e.g. `"MediaKeySessionType"`, for error messages.
    const IDL_NAME: &'static str;
    /// Every value, in IDL declaration order.
    const ALL: &'static [Self];
    /// The exact IDL string of `self`.
    fn as_str(self) -> &'static str;
    /// The value whose IDL string is exactly `s` (case-sensitive, as WebIDL requires).
    fn parse(s: &str) -> Option<Self>;
}

/// Declares an [`IdlEnum`]: each variant with its exact IDL string. The same `ALL`, `as_str`
/// and `parse` are also inherent, so callers need not import the trait.
macro_rules! idl_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $idl_name:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`\"", $text, "\"`")] $variant, )+
        }

        impl $name {
            /// Every value, in IDL declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The exact IDL string.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The value whose IDL string is exactly `s` (case-sensitive).
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl IdlEnum for $name {
            const IDL_NAME: &'static str = $idl_name;
            const ALL: &'static [Self] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }

            fn parse(s: &str) -> Option<Self> {
                $name::parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

idl_enum! {
    /// `MediaKeySessionType`.
    pub enum SessionType as "MediaKeySessionType" {
        Temporary = "temporary",
        PersistentLicense = "persistent-license",
    }
}

impl SessionType {
    /// The spec's "Is persistent session type?" algorithm.
    pub fn is_persistent(self) -> bool {
        match self {
            SessionType::Temporary => false,
            SessionType::PersistentLicense => true,
        }
    }
}

idl_enum! {
    /// Initialization Data Types from the EME Initialization Data Format Registry.
    pub enum InitDataType as "Initialization Data Type" {
        Cenc = "cenc",
        KeyIds = "keyids",
        WebM = "webm",
    }
}

idl_enum! {
    /// `MediaKeyStatus`.
    pub enum KeyStatus as "MediaKeyStatus" {
        Usable = "usable",
        Expired = "expired",
        Released = "released",
        OutputRestricted = "output-restricted",
        OutputDownscaled = "output-downscaled",
        UsableInFuture = "usable-in-future",
        StatusPending = "status-pending",
        InternalError = "internal-error",
    }
}

idl_enum! {
    /// `MediaKeyMessageType`.
    pub enum MessageType as "MediaKeyMessageType" {
        LicenseRequest = "license-request",
        LicenseRenewal = "license-renewal",
        LicenseRelease = "license-release",
        IndividualizationRequest = "individualization-request",
    }
}

idl_enum! {
    /// `MediaKeySessionClosedReason`: why a session's `closed` promise resolved.
    pub enum ClosedReason as "MediaKeySessionClosedReason" {
        InternalError = "internal-error",
        ClosedByApplication = "closed-by-application",
        ReleaseAcknowledged = "release-acknowledged",
        HardwareContextReset = "hardware-context-reset",
        ResourceEvicted = "resource-evicted",
    }
}

idl_enum! {
    /// `MediaKeysRequirement`; the dictionary default for both `distinctiveIdentifier` and
    /// `persistentState` is `"optional"`.
    #[derive(Default)]
    pub enum Requirement as "MediaKeysRequirement" {
        Required = "required",
        #[default]
        Optional = "optional",
        NotAllowed = "not-allowed",
    }
}

/// `MediaKeySystemMediaCapability`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaCapability {
    /// `contentType`: the MIME type with its `codecs` parameter, exactly as given.
    pub content_type: String,
    /// `None` is the IDL `null` (member absent or null); `Some("")` is a real, unsupported value.
    pub encryption_scheme: Option<String>,
    /// `robustness`: the empty string means "no particular robustness".
    pub robustness: String,
}

/// `MediaKeySystemConfiguration`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Configuration {
    /// `label`: echoed back to the script unchanged.
    pub label: String,
    /// `initDataTypes`: strings, as unknown ones are skipped rather than rejected.
    pub init_data_types: Vec<String>,
    /// `audioCapabilities`.
    pub audio_capabilities: Vec<MediaCapability>,
    /// `videoCapabilities`.
    pub video_capabilities: Vec<MediaCapability>,
    /// `distinctiveIdentifier`.
    pub distinctive_identifier: Requirement,
    /// `persistentState`.
    pub persistent_state: Requirement,
    /// `None` = member absent (the algorithm then uses `["temporary"]`).
    pub session_types: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idl_strings_round_trip() {
        for &value in SessionType::ALL {
            assert_eq!(SessionType::parse(value.as_str()), Some(value));
        }
        for &value in InitDataType::ALL {
            assert_eq!(InitDataType::parse(value.as_str()), Some(value));
        }
        for &value in KeyStatus::ALL {
            assert_eq!(KeyStatus::parse(value.as_str()), Some(value));
        }
        for &value in MessageType::ALL {
            assert_eq!(MessageType::parse(value.as_str()), Some(value));
        }
        for &value in Requirement::ALL {
            assert_eq!(Requirement::parse(value.as_str()), Some(value));
        }
        for &value in ClosedReason::ALL {
            assert_eq!(ClosedReason::parse(value.as_str()), Some(value));
        }
    }

    #[test]
    fn exact_idl_strings() {
        assert_eq!(
            SessionType::PersistentLicense.as_str(),
            "persistent-license"
        );
        assert_eq!(InitDataType::KeyIds.as_str(), "keyids");
        assert_eq!(InitDataType::WebM.as_str(), "webm");
        assert_eq!(KeyStatus::UsableInFuture.as_str(), "usable-in-future");
        assert_eq!(KeyStatus::StatusPending.as_str(), "status-pending");
        assert_eq!(KeyStatus::InternalError.as_str(), "internal-error");
        assert_eq!(KeyStatus::OutputDownscaled.as_str(), "output-downscaled");
        assert_eq!(
            MessageType::IndividualizationRequest.as_str(),
            "individualization-request"
        );
        assert_eq!(Requirement::NotAllowed.as_str(), "not-allowed");
        assert_eq!(KeyStatus::ALL.len(), 8);
        assert_eq!(MessageType::ALL.len(), 4);
    }

    #[test]
    fn parse_is_exact_and_case_sensitive() {
        assert_eq!(InitDataType::parse("CENC"), None);
        assert_eq!(InitDataType::parse("cenc "), None);
        assert_eq!(InitDataType::parse(""), None);
        assert_eq!(InitDataType::parse("keyIds"), None);
        assert_eq!(SessionType::parse("Temporary"), None);
        assert_eq!(SessionType::parse("persistent-usage-record"), None);
        assert_eq!(Requirement::parse("Optional"), None);
        assert_eq!(KeyStatus::parse("usable "), None);
    }

    #[test]
    fn defaults_match_the_idl() {
        assert_eq!(Requirement::default(), Requirement::Optional);
        let configuration = Configuration::default();
        assert_eq!(configuration.label, "");
        assert!(configuration.init_data_types.is_empty());
        assert_eq!(configuration.session_types, None);
        let capability = MediaCapability::default();
        assert_eq!(capability.encryption_scheme, None);
        assert_eq!(capability.robustness, "");
    }

    #[test]
    fn persistent_session_types() {
        assert!(!SessionType::Temporary.is_persistent());
        assert!(SessionType::PersistentLicense.is_persistent());
    }
}
