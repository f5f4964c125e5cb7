//! The spec's "Get Supported Configuration" algorithm (EME §3.1.1.1–3.1.1.3), generic over
//! what a key system supports.
//!
//! https://w3c.github.io/encrypted-media/#get-supported-configuration-and-consent
//!
//! The algorithm is the same for every key system; only the questions it asks differ, so a
//! key system answers them through [`ConfigurationSupport`] and this module runs the steps.
//! Consent and restrictions are out of scope: this host never asks the user, so "Get
//! Supported Configuration and Consent" runs exactly once, with no restrictions.

use crate::content_type::{ContentType, split_codecs};
use crate::types::{Configuration, MediaCapability, Requirement, SessionType};

/// The spec's "audio/video type".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// An `audioCapabilities` entry: `audio/*` content types and audio codecs.
    Audio,
    /// A `videoCapabilities` entry: `video/*` content types and video codecs.
    Video,
}

impl MediaKind {
    /// The MIME top-level type a capability of this kind must have.
    pub fn top_level_type(self) -> &'static str {
        match self {
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
        }
    }

    /// The dictionary member holding capabilities of this kind, for messages.
    pub fn member_name(self) -> &'static str {
        match self {
            MediaKind::Audio => "audioCapabilities",
            MediaKind::Video => "videoCapabilities",
        }
    }
}

/// How a key system relates to an optional feature (distinctive identifiers, persistent
/// state). Clear Key never needs either, so these are its answer for every combination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeatureSupport {
    /// The feature cannot be used: `"required"` fails, `"optional"` becomes `"not-allowed"`.
    NotSupported,
    /// The feature can be used but is not needed: `"optional"` becomes `"not-allowed"`.
    Supported,
    /// The feature is always used: `"not-allowed"` fails, `"optional"` becomes `"required"`.
    Required,
}

/// The questions "Get Supported Configuration" asks a key system implementation.
pub trait ConfigurationSupport {
    /// Whether requests can be generated from this Initialization Data Type string
    /// (case-sensitive; never called with "" because "" is never supported).
    fn supports_init_data_type(&self, init_data_type: &str) -> bool;
    /// Whether the key system can use a Distinctive Identifier, checked against the
    /// `distinctiveIdentifier` member.
    fn distinctive_identifier(&self) -> FeatureSupport;
    /// Whether the key system can persist state, checked against the `persistentState`
    /// member.
    fn persistent_state(&self) -> FeatureSupport;
    /// Whether sessions of this type can be created (`persistent_state` is the resolved
    /// requirement so far).
    fn supports_session_type(&self, session_type: &str, persistent_state: Requirement) -> bool;
    /// Whether the container `essence` (lower-case `type/subtype`) is supported for `kind`.
    fn supports_container(&self, kind: MediaKind, essence: &str) -> bool;
    /// The kind of media `codec` is inside container `essence`, or `None` if the codec is not
    /// supported there. Codec strings are compared case-sensitively.
    fn codec_kind(&self, essence: &str, codec: &str) -> Option<MediaKind>;
    /// Whether `kind` media encrypted with `encryption_scheme` can be decrypted. Called for
    /// any non-null `encryptionScheme`, even `""`; null ("any scheme") is never asked.
    fn supports_encryption_scheme(&self, kind: MediaKind, encryption_scheme: &str) -> bool;
    /// Never called with the empty string, which always means "no particular robustness".
    fn supports_robustness(&self, kind: MediaKind, robustness: &str) -> bool;
}

/// Runs "Get Supported Configuration and Consent" for one candidate configuration.
///
/// Ok = the accumulated configuration (never `"optional"`, `session_types` always `Some`,
/// capabilities copied verbatim). Err = `NotSupported`, with a reason naming the member.
pub fn get_supported_configuration(
    implementation: &impl ConfigurationSupport,
    candidate: &Configuration,
) -> Result<Configuration, String> {
    // 1–2. A new accumulated configuration carrying the candidate's label.
    let mut accumulated = Configuration {
        label: candidate.label.clone(),
        ..Configuration::default()
    };

    // 3. initDataTypes: keep the supported ones, in order; none left is a failure.
    if !candidate.init_data_types.is_empty() {
        let supported: Vec<String> = candidate
            .init_data_types
            .iter()
            .filter(|init_data_type| {
                !init_data_type.is_empty() && implementation.supports_init_data_type(init_data_type)
            })
            .cloned()
            .collect();
        if supported.is_empty() {
            return Err(format!(
                "initDataTypes: none is supported ({})",
                quoted_list(candidate.init_data_types.iter().map(String::as_str))
            ));
        }
        accumulated.init_data_types = supported;
    }

    // 4–7. distinctiveIdentifier, then 8–11. persistentState.
    accumulated.distinctive_identifier = check_requirement(
        "distinctiveIdentifier",
        candidate.distinctive_identifier,
        implementation.distinctive_identifier(),
    )?;
    accumulated.persistent_state = check_requirement(
        "persistentState",
        candidate.persistent_state,
        implementation.persistent_state(),
    )?;

    // 12–14. sessionTypes (absent means ["temporary"]).
    let session_types = candidate
        .session_types
        .clone()
        .unwrap_or_else(|| vec![SessionType::Temporary.as_str().to_owned()]);
    for session_type in &session_types {
        let is_persistent =
            SessionType::parse(session_type).is_some_and(SessionType::is_persistent);
        if is_persistent && accumulated.persistent_state == Requirement::NotAllowed {
            return Err(format!(
                "sessionTypes: \"{session_type}\" needs persistent state, but persistentState is \"not-allowed\""
            ));
        }
        if !implementation.supports_session_type(session_type, accumulated.persistent_state) {
            return Err(format!("sessionTypes: \"{session_type}\" is not supported"));
        }
        if is_persistent && accumulated.persistent_state == Requirement::Optional {
            accumulated.persistent_state = Requirement::Required;
        }
    }
    accumulated.session_types = Some(session_types);

    // 15. At least one of the capability lists must say what is to be played.
    if candidate.video_capabilities.is_empty() && candidate.audio_capabilities.is_empty() {
        return Err("audioCapabilities and videoCapabilities are both empty".to_owned());
    }

    // 16–17. Video first, then audio, as the spec orders them.
    if !candidate.video_capabilities.is_empty() {
        accumulated.video_capabilities = get_supported_capabilities(
            implementation,
            MediaKind::Video,
            &candidate.video_capabilities,
        )?;
    }
    if !candidate.audio_capabilities.is_empty() {
        accumulated.audio_capabilities = get_supported_capabilities(
            implementation,
            MediaKind::Audio,
            &candidate.audio_capabilities,
        )?;
    }

    // 18–19. Resolve what is still "optional": used only if the implementation needs it.
    accumulated.distinctive_identifier = resolve_optional(
        accumulated.distinctive_identifier,
        implementation.distinctive_identifier(),
    );
    accumulated.persistent_state = resolve_optional(
        accumulated.persistent_state,
        implementation.persistent_state(),
    );

    // 20–23 are about availability and consent, which always hold here.
    Ok(accumulated)
}

/// Steps 4–7 / 8–11 for one requirement member: fail if the requested value cannot be met.
fn check_requirement(
    member: &str,
    requested: Requirement,
    support: FeatureSupport,
) -> Result<Requirement, String> {
    match (requested, support) {
        (Requirement::Required, FeatureSupport::NotSupported) => Err(format!(
            "{member}: \"required\" is not supported by this key system"
        )),
        (Requirement::NotAllowed, FeatureSupport::Required) => Err(format!(
            "{member}: \"not-allowed\" is not possible, this key system requires it"
        )),
        (requested, _) => Ok(requested),
    }
}

/// Steps 18–19: `"optional"` becomes `"required"` only if the implementation requires it.
fn resolve_optional(requirement: Requirement, support: FeatureSupport) -> Requirement {
    match (requirement, support) {
        (Requirement::Optional, FeatureSupport::Required) => Requirement::Required,
        (Requirement::Optional, _) => Requirement::NotAllowed,
        (requirement, _) => requirement,
    }
}

/// "Get Supported Capabilities for Audio/Video Type": the supported entries, verbatim and in
/// order. Err when an entry's contentType is "" (invalid input) or no entry is supported.
pub fn get_supported_capabilities(
    implementation: &impl ConfigurationSupport,
    kind: MediaKind,
    requested: &[MediaCapability],
) -> Result<Vec<MediaCapability>, String> {
    let member = kind.member_name();
    let mut supported = Vec::new();
    for capability in requested {
        if capability.content_type.is_empty() {
            return Err(format!("{member}: a contentType is the empty string"));
        }
        if is_capability_supported(implementation, kind, capability) {
            // Copied as given: the access reports exactly the strings the page passed.
            supported.push(capability.clone());
        }
    }
    if supported.is_empty() {
        return Err(format!(
            "{member}: no supported entry ({})",
            quoted_list(
                requested
                    .iter()
                    .map(|capability| capability.content_type.as_str())
            )
        ));
    }
    Ok(supported)
}

/// The per-entry steps: any "continue to the next iteration" is `false`.
fn is_capability_supported(
    implementation: &impl ConfigurationSupport,
    kind: MediaKind,
    capability: &MediaCapability,
) -> bool {
    // Invalid or unrecognized MIME type.
    let Ok(content_type) = ContentType::parse(&capability.content_type) else {
        return false;
    };
    // Not strictly an audio/video type (e.g. "video/mp4" in audioCapabilities), or a
    // container the implementation does not support.
    let essence = content_type.essence();
    if content_type.type_ != kind.top_level_type()
        || !implementation.supports_container(kind, &essence)
    {
        return false;
    }
    // Only RFC 6381 `codecs` is a recognized parameter.
    if content_type
        .parameters
        .iter()
        .any(|(name, _)| name != "codecs")
    {
        return false;
    }
    // Codecs, if given, must all be supported and all of this kind. A container alone is
    // accepted: every supported container has a codec this key system can decrypt.
    if let Some(codecs) = content_type.parameter("codecs") {
        let Some(codecs) = split_codecs(codecs) else {
            return false;
        };
        if !codecs
            .iter()
            .all(|codec| implementation.codec_kind(&essence, codec) == Some(kind))
        {
            return false;
        }
    }
    // encryptionScheme null means "any"; a value (even "") must be supported.
    if let Some(scheme) = &capability.encryption_scheme
        && !implementation.supports_encryption_scheme(kind, scheme)
    {
        return false;
    }
    capability.robustness.is_empty()
        || implementation.supports_robustness(kind, &capability.robustness)
}

/// `"a", "b"` for error messages.
fn quoted_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|item| format!("{item:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A configurable stand-in key system, to exercise the generic steps (Clear Key's own
    /// answers are tested in `clear_key`).
    struct Fake {
        distinctive_identifier: FeatureSupport,
        persistent_state: FeatureSupport,
        session_types: &'static [&'static str],
    }

    impl Default for Fake {
        fn default() -> Self {
            Fake {
                distinctive_identifier: FeatureSupport::NotSupported,
                persistent_state: FeatureSupport::Supported,
                session_types: &["temporary", "persistent-license"],
            }
        }
    }

    impl ConfigurationSupport for Fake {
        fn supports_init_data_type(&self, init_data_type: &str) -> bool {
            matches!(init_data_type, "cenc" | "keyids")
        }
        fn distinctive_identifier(&self) -> FeatureSupport {
            self.distinctive_identifier
        }
        fn persistent_state(&self) -> FeatureSupport {
            self.persistent_state
        }
        fn supports_session_type(&self, session_type: &str, _: Requirement) -> bool {
            self.session_types.contains(&session_type)
        }
        fn supports_container(&self, kind: MediaKind, essence: &str) -> bool {
            matches!(
                (kind, essence),
                (MediaKind::Video, "video/mp4") | (MediaKind::Audio, "audio/mp4")
            )
        }
        fn codec_kind(&self, _: &str, codec: &str) -> Option<MediaKind> {
            match codec {
                "v" => Some(MediaKind::Video),
                "a" => Some(MediaKind::Audio),
                _ => None,
            }
        }
        fn supports_encryption_scheme(&self, _: MediaKind, scheme: &str) -> bool {
            scheme == "cenc"
        }
        fn supports_robustness(&self, _: MediaKind, robustness: &str) -> bool {
            robustness == "HW"
        }
    }

    fn capability(content_type: &str) -> MediaCapability {
        MediaCapability {
            content_type: content_type.to_owned(),
            ..MediaCapability::default()
        }
    }

    fn candidate() -> Configuration {
        Configuration {
            video_capabilities: vec![capability("video/mp4")],
            ..Configuration::default()
        }
    }

    #[test]
    fn minimal_configuration_resolves_everything() {
        let result = get_supported_configuration(&Fake::default(), &candidate()).unwrap();
        assert_eq!(result.distinctive_identifier, Requirement::NotAllowed);
        assert_eq!(result.persistent_state, Requirement::NotAllowed);
        assert_eq!(result.session_types, Some(vec!["temporary".to_owned()]));
        assert_eq!(result.video_capabilities, vec![capability("video/mp4")]);
        assert!(result.audio_capabilities.is_empty());
        assert!(result.init_data_types.is_empty());
    }

    #[test]
    fn label_is_copied() {
        let mut config = candidate();
        config.label = "my label".to_owned();
        assert_eq!(
            get_supported_configuration(&Fake::default(), &config)
                .unwrap()
                .label,
            "my label"
        );
    }

    #[test]
    fn init_data_types_are_filtered_in_order() {
        let mut config = candidate();
        config.init_data_types = ["webm", "keyids", "", "CENC", "cenc"]
            .map(String::from)
            .to_vec();
        let result = get_supported_configuration(&Fake::default(), &config).unwrap();
        assert_eq!(
            result.init_data_types,
            vec!["keyids".to_owned(), "cenc".to_owned()]
        );

        config.init_data_types = ["webm", ""].map(String::from).to_vec();
        let error = get_supported_configuration(&Fake::default(), &config).unwrap_err();
        assert!(error.starts_with("initDataTypes:"), "{error}");
    }

    #[test]
    fn requirement_table() {
        use FeatureSupport as F;
        use Requirement as R;
        // (requested, support) → resolved value, or None for NotSupported.
        let table = [
            (R::Required, F::NotSupported, None),
            (R::Required, F::Supported, Some(R::Required)),
            (R::Required, F::Required, Some(R::Required)),
            (R::Optional, F::NotSupported, Some(R::NotAllowed)),
            (R::Optional, F::Supported, Some(R::NotAllowed)),
            (R::Optional, F::Required, Some(R::Required)),
            (R::NotAllowed, F::NotSupported, Some(R::NotAllowed)),
            (R::NotAllowed, F::Supported, Some(R::NotAllowed)),
            (R::NotAllowed, F::Required, None),
        ];
        for (requested, support, expected) in table {
            let fake = Fake {
                distinctive_identifier: support,
                persistent_state: support,
                session_types: &["temporary"],
            };
            let mut config = candidate();
            config.distinctive_identifier = requested;
            let result = get_supported_configuration(&fake, &config);
            assert_eq!(
                result.as_ref().ok().map(|c| c.distinctive_identifier),
                expected,
                "{requested:?} {support:?}"
            );
            if let Err(error) = result {
                assert!(error.starts_with("distinctiveIdentifier:"), "{error}");
            }
            let mut config = candidate();
            config.persistent_state = requested;
            let result = get_supported_configuration(&fake, &config);
            assert_eq!(
                result.as_ref().ok().map(|c| c.persistent_state),
                expected,
                "{requested:?} {support:?}"
            );
            if let Err(error) = result {
                assert!(error.starts_with("persistentState:"), "{error}");
            }
        }
    }

    #[test]
    fn persistent_session_type_upgrades_optional_persistent_state() {
        let mut config = candidate();
        config.session_types = Some(vec![
            "temporary".to_owned(),
            "persistent-license".to_owned(),
        ]);
        let result = get_supported_configuration(&Fake::default(), &config).unwrap();
        assert_eq!(result.persistent_state, Requirement::Required);
        assert_eq!(result.session_types, config.session_types);
    }

    #[test]
    fn persistent_session_type_with_persistent_state_not_allowed_fails() {
        let mut config = candidate();
        config.persistent_state = Requirement::NotAllowed;
        config.session_types = Some(vec!["persistent-license".to_owned()]);
        let error = get_supported_configuration(&Fake::default(), &config).unwrap_err();
        assert!(error.contains("not-allowed"), "{error}");
    }

    #[test]
    fn unknown_session_type_fails_and_empty_list_is_kept() {
        let mut config = candidate();
        config.session_types = Some(vec!["temporary".to_owned(), "Temporary".to_owned()]);
        let error = get_supported_configuration(&Fake::default(), &config).unwrap_err();
        assert_eq!(error, "sessionTypes: \"Temporary\" is not supported");

        config.session_types = Some(Vec::new());
        assert_eq!(
            get_supported_configuration(&Fake::default(), &config)
                .unwrap()
                .session_types,
            Some(Vec::new())
        );
    }

    #[test]
    fn both_capability_lists_empty_fails() {
        let error =
            get_supported_configuration(&Fake::default(), &Configuration::default()).unwrap_err();
        assert_eq!(
            error,
            "audioCapabilities and videoCapabilities are both empty"
        );
    }

    #[test]
    fn empty_content_type_fails_the_whole_list_even_after_a_good_entry() {
        let mut config = candidate();
        config.video_capabilities = vec![capability("video/mp4"), capability("")];
        let error = get_supported_configuration(&Fake::default(), &config).unwrap_err();
        assert_eq!(
            error,
            "videoCapabilities: a contentType is the empty string"
        );
    }

    #[test]
    fn unsupported_entries_are_skipped_and_the_rest_kept_verbatim() {
        let mut config = candidate();
        let keep_1 = capability("VIDEO/MP4 ;  codecs = \"v\"");
        let keep_2 = MediaCapability {
            content_type: "video/mp4".to_owned(),
            encryption_scheme: Some("cenc".to_owned()),
            robustness: "HW".to_owned(),
        };
        config.video_capabilities = vec![
            capability("video/foo"),
            keep_1.clone(),
            capability("audio/mp4"),
            capability("video/mp4; codecs=\"a\""),
            capability("video/mp4; codecs=\"v,a\""),
            capability("video/mp4; codecs=\"\""),
            capability("video/mp4; codecs=\"x\""),
            capability("video/mp4; profiles=\"v\""),
            capability("video/mp4;"),
            MediaCapability {
                encryption_scheme: Some(String::new()),
                ..capability("video/mp4")
            },
            MediaCapability {
                encryption_scheme: Some("cbcs".to_owned()),
                ..capability("video/mp4")
            },
            MediaCapability {
                robustness: "SW".to_owned(),
                ..capability("video/mp4")
            },
            keep_2.clone(),
        ];
        let result = get_supported_configuration(&Fake::default(), &config).unwrap();
        assert_eq!(result.video_capabilities, vec![keep_1, keep_2]);
    }

    #[test]
    fn list_with_no_supported_entry_fails_naming_the_entries() {
        let mut config = candidate();
        config.video_capabilities = vec![capability("video/foo"), capability("audio/mp4")];
        let error = get_supported_configuration(&Fake::default(), &config).unwrap_err();
        assert_eq!(
            error,
            "videoCapabilities: no supported entry (\"video/foo\", \"audio/mp4\")"
        );
    }

    #[test]
    fn audio_list_checks_audio_kind() {
        let mut config = Configuration {
            audio_capabilities: vec![
                capability("audio/mp4; codecs=a"),
                capability("audio/mp4; codecs=v"),
                capability("video/mp4"),
            ],
            ..Configuration::default()
        };
        let result = get_supported_configuration(&Fake::default(), &config).unwrap();
        assert_eq!(
            result.audio_capabilities,
            vec![capability("audio/mp4; codecs=a")]
        );
        assert!(result.video_capabilities.is_empty());

        config.audio_capabilities = vec![capability("video/mp4")];
        let error = get_supported_configuration(&Fake::default(), &config).unwrap_err();
        assert!(
            error.starts_with("audioCapabilities: no supported entry"),
            "{error}"
        );
    }

    #[test]
    fn a_failing_audio_list_fails_the_configuration_even_with_good_video() {
        let mut config = candidate();
        config.audio_capabilities = vec![capability("audio/foo")];
        assert!(get_supported_configuration(&Fake::default(), &config).is_err());
    }
}
