//! The spec's enumerations and dictionaries, as the CDM sees them.
//!
//! The EME layer converts JavaScript values into these (WebIDL conversion and enum
//! validation happen there); everything below is plain data.

/// A key ID: an opaque byte string (1..=512 bytes once validated, see [`crate::limits`]).
pub type KeyId = Vec<u8>;

/// Declares a WebIDL enumeration: each variant with its exact IDL string, `as_str`,
/// an exact (case-sensitive, as WebIDL requires) `parse`, and the list of all values.
macro_rules! idl_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $( $(#[$vmeta])* $variant, )+ }

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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

idl_enum! {
    /// `MediaKeySessionType`.
    pub enum SessionType {
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
    pub enum InitDataType {
        Cenc = "cenc",
        KeyIds = "keyids",
        WebM = "webm",
    }
}

idl_enum! {
    /// `MediaKeyStatus`.
    pub enum KeyStatus {
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
    pub enum MessageType {
        LicenseRequest = "license-request",
        LicenseRenewal = "license-renewal",
        LicenseRelease = "license-release",
        IndividualizationRequest = "individualization-request",
    }
}

idl_enum! {
    /// `MediaKeysRequirement`; the dictionary default for both `distinctiveIdentifier` and
    /// `persistentState` is `"optional"`.
    #[derive(Default)]
    pub enum Requirement {
        Required = "required",
        #[default]
        Optional = "optional",
        NotAllowed = "not-allowed",
    }
}

/// `MediaKeySystemMediaCapability`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaCapability {
    pub content_type: String,
    /// `None` is the IDL `null` (member absent or null); `Some("")` is a real, unsupported value.
    pub encryption_scheme: Option<String>,
    pub robustness: String,
}

/// `MediaKeySystemConfiguration`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Configuration {
    pub label: String,
    pub init_data_types: Vec<String>,
    pub audio_capabilities: Vec<MediaCapability>,
    pub video_capabilities: Vec<MediaCapability>,
    pub distinctive_identifier: Requirement,
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
