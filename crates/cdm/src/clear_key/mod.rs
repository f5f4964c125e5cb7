//! The Clear Key key system, `org.w3.clearkey` (EME §9.1): configuration negotiation and
//! CDM instances.

mod capabilities;
mod cdm;

pub use capabilities::{ClearKeySupport, ENCRYPTION_SCHEMES};
pub use cdm::ClearKeyCdm;

use crate::config;
use crate::key_system::{Cdm, KeySystem};
use crate::types::Configuration;
use cdm::SessionIds;

/// The Clear Key key system string.
pub const CLEAR_KEY: &str = "org.w3.clearkey";

/// The Clear Key key system. Every CDM it creates draws session IDs from one counter, so
/// IDs are unique across all of its `MediaKeys` objects.
#[derive(Debug, Default)]
pub struct ClearKey {
    session_ids: SessionIds,
}

impl ClearKey {
    /// A key system with a fresh session ID counter: its first session gets ID `"1"`.
    pub fn new() -> Self {
        Self::default()
    }
}

impl KeySystem for ClearKey {
    fn name(&self) -> &str {
        CLEAR_KEY
    }

    fn get_supported_configuration(
        &self,
        candidate: &Configuration,
    ) -> Result<Configuration, String> {
        config::get_supported_configuration(&ClearKeySupport, candidate)
    }

    fn create_cdm(&self, configuration: &Configuration) -> Box<dyn Cdm> {
        Box::new(ClearKeyCdm::new(configuration, self.session_ids.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{MediaCapability, Requirement};

    fn capability(content_type: &str) -> MediaCapability {
        MediaCapability {
            content_type: content_type.to_owned(),
            ..MediaCapability::default()
        }
    }

    fn video_config(content_types: &[&str]) -> Configuration {
        Configuration {
            video_capabilities: content_types
                .iter()
                .map(|content_type| capability(content_type))
                .collect(),
            ..Configuration::default()
        }
    }

    fn supported(config: &Configuration) -> Configuration {
        ClearKey::new()
            .get_supported_configuration(config)
            .unwrap_or_else(|error| panic!("{config:?}: {error}"))
    }

    fn rejected(config: &Configuration) -> String {
        ClearKey::new()
            .get_supported_configuration(config)
            .expect_err("configuration should be rejected")
    }

    #[test]
    fn name() {
        assert_eq!(ClearKey::new().name(), "org.w3.clearkey");
    }

    #[test]
    fn typical_configuration() {
        let config = Configuration {
            label: "typical".to_owned(),
            init_data_types: vec!["cenc".to_owned(), "keyids".to_owned()],
            audio_capabilities: vec![capability("audio/mp4; codecs=\"mp4a.40.2\"")],
            video_capabilities: vec![MediaCapability {
                content_type: "video/mp4; codecs=\"avc1.64001F\"".to_owned(),
                encryption_scheme: Some("cenc".to_owned()),
                robustness: String::new(),
            }],
            ..Configuration::default()
        };
        let result = supported(&config);
        assert_eq!(result.label, "typical");
        assert_eq!(result.init_data_types, config.init_data_types);
        assert_eq!(result.audio_capabilities, config.audio_capabilities);
        assert_eq!(result.video_capabilities, config.video_capabilities);
        assert_eq!(result.distinctive_identifier, Requirement::NotAllowed);
        assert_eq!(result.persistent_state, Requirement::NotAllowed);
        assert_eq!(result.session_types, Some(vec!["temporary".to_owned()]));
    }

    #[test]
    fn init_data_types() {
        let mut config = video_config(&["video/webm"]);
        config.init_data_types = ["foo", "webm", "CENC", "", "cenc", "keyids"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            supported(&config).init_data_types,
            ["webm", "cenc", "keyids"].map(String::from).to_vec()
        );
        config.init_data_types = ["", "Keyids", "mp4"].map(String::from).to_vec();
        assert!(rejected(&config).starts_with("initDataTypes"));
    }

    #[test]
    fn distinctive_identifier_and_persistent_state() {
        let mut config = video_config(&["video/webm"]);
        config.distinctive_identifier = Requirement::Required;
        assert!(rejected(&config).starts_with("distinctiveIdentifier"));
        config.distinctive_identifier = Requirement::NotAllowed;
        assert_eq!(
            supported(&config).distinctive_identifier,
            Requirement::NotAllowed
        );

        let mut config = video_config(&["video/webm"]);
        config.persistent_state = Requirement::Required;
        assert!(rejected(&config).starts_with("persistentState"));
        config.persistent_state = Requirement::NotAllowed;
        assert_eq!(supported(&config).persistent_state, Requirement::NotAllowed);
    }

    #[test]
    fn session_types() {
        let mut config = video_config(&["video/webm"]);
        config.session_types = Some(vec!["temporary".to_owned(), "temporary".to_owned()]);
        assert_eq!(supported(&config).session_types, config.session_types);
        config.session_types = Some(Vec::new());
        assert_eq!(supported(&config).session_types, Some(Vec::new()));
        for bad in [
            "persistent-license",
            "persistent-usage-record",
            "Temporary",
            "",
        ] {
            config.session_types = Some(vec!["temporary".to_owned(), bad.to_owned()]);
            assert!(rejected(&config).starts_with("sessionTypes"), "{bad}");
        }
        config.persistent_state = Requirement::NotAllowed;
        config.session_types = Some(vec!["persistent-license".to_owned()]);
        assert!(rejected(&config).contains("not-allowed"));
    }

    #[test]
    fn empty_capabilities() {
        assert_eq!(
            rejected(&Configuration::default()),
            "audioCapabilities and videoCapabilities are both empty"
        );
        let config = Configuration {
            init_data_types: vec!["cenc".to_owned()],
            ..Configuration::default()
        };
        assert!(rejected(&config).contains("both empty"));
    }

    #[test]
    fn empty_content_type_fails_the_configuration() {
        assert_eq!(
            rejected(&video_config(&["video/webm", ""])),
            "videoCapabilities: a contentType is the empty string"
        );
        let config = Configuration {
            audio_capabilities: vec![capability("")],
            ..Configuration::default()
        };
        assert!(rejected(&config).starts_with("audioCapabilities"));
    }

    #[test]
    fn accepted_video_content_types_are_copied_verbatim() {
        let accepted = [
            "video/mp4",
            "video/webm",
            "VIDEO/WEBM",
            "video/webm;codecs=\"vp8\"",
            "video/webm ; codecs = \"vp8, vp9\"",
            "video/webm;codecs=vp8.0",
            "video/webm; codecs=\"vp09.00.10.08\"",
            "video/mp4;codecs=\"avc1.4d401e\"",
            "video/mp4; codecs=\"avc3.64001F\"",
            "video/mp4; codecs=\"hvc1.1.6.L93.B0\"",
            "video/mp4; codecs=\"av01.0.04M.08\"",
            "video/mp4; CODECS=\"vp09.00.10.08\"",
        ];
        let result = supported(&video_config(&accepted));
        let got: Vec<&str> = result
            .video_capabilities
            .iter()
            .map(|c| c.content_type.as_str())
            .collect();
        assert_eq!(got, accepted);
    }

    #[test]
    fn skipped_video_content_types() {
        for content_type in [
            "video/foo",
            "video/ogg",
            "audio/mp4",
            "audio/webm; codecs=\"vp8\"",
            "video",
            "video/",
            "video/webm;",
            "video/webm; codecs=\"\"",
            "video/webm; codecs=\"vp8,\"",
            "video/webm; codecs=\"VP8\"",
            "video/webm; codecs=\"vp8, vorbis\"",
            "video/webm; codecs=\"vorbis\"",
            "video/webm; codecs=\"avc1.4d401e\"",
            "video/mp4; codecs=\"vp8\"",
            "video/mp4; codecs=\"vp9\"",
            "video/mp4; codecs=\"mp4a.40.2\"",
            "video/mp4; codecs=\"avc1.4d401e, mp4a.40.2\"",
            "video/mp4; codecs=\"avc1\"",
            "video/mp4; codecs=\"avc1.4d40\"",
            "video/mp4; codecs=\"bogus\"",
            "video/mp4; profiles=\"iso6\"",
            "video/mp4; codecs=\"avc1.4d401e\"; foo=bar",
        ] {
            let error = rejected(&video_config(&[content_type]));
            assert!(
                error.starts_with("videoCapabilities: no supported entry"),
                "{content_type}: {error}"
            );
            assert!(error.contains(&format!("{content_type:?}")), "{error}");
        }
    }

    #[test]
    fn audio_content_types() {
        let accepted = [
            "audio/mp4",
            "audio/webm",
            "audio/mp4; codecs=\"mp4a.40.2\"",
            "audio/mp4; codecs=\"mp4a.69\"",
            "audio/mp4; codecs=\"mp4a.6B\"",
            "audio/mp4; codecs=\"opus\"",
            "audio/mp4; codecs=\"flac\"",
            "audio/mp4; codecs=\"ec-3\"",
            "audio/mp4; codecs=\"ac-3\"",
            "audio/webm; codecs=\"opus\"",
            "audio/webm; codecs=\"vorbis, opus\"",
        ];
        let mut config = Configuration {
            audio_capabilities: accepted
                .iter()
                .map(|content_type| capability(content_type))
                .collect(),
            ..Configuration::default()
        };
        assert_eq!(
            supported(&config).audio_capabilities,
            config.audio_capabilities
        );

        for content_type in [
            "video/mp4",
            "audio/ogg",
            "audio/mp4; codecs=\"avc1.4d401e\"",
            "audio/mp4; codecs=\"vorbis\"",
            "audio/webm; codecs=\"flac\"",
            "audio/webm; codecs=\"vp8\"",
            "audio/webm; codecs=\"opus, vp8\"",
        ] {
            config.audio_capabilities = vec![capability(content_type)];
            assert!(
                rejected(&config).starts_with("audioCapabilities: no supported entry"),
                "{content_type}"
            );
        }
    }

    #[test]
    fn encryption_scheme_and_robustness() {
        let with = |encryption_scheme: Option<&str>, robustness: &str| Configuration {
            video_capabilities: vec![MediaCapability {
                content_type: "video/mp4".to_owned(),
                encryption_scheme: encryption_scheme.map(str::to_owned),
                robustness: robustness.to_owned(),
            }],
            ..Configuration::default()
        };
        for scheme in [None, Some("cenc"), Some("cbcs"), Some("cbcs-1-9")] {
            let config = with(scheme, "");
            // Kept as given, None included (getConfiguration() must report null).
            assert_eq!(
                supported(&config).video_capabilities,
                config.video_capabilities
            );
        }
        for scheme in ["", "CENC", "cens", "foo"] {
            assert!(
                rejected(&with(Some(scheme), "")).starts_with("videoCapabilities"),
                "{scheme:?}"
            );
        }
        for robustness in ["SW_SECURE_CRYPTO", "HW_SECURE_ALL", " "] {
            assert!(
                rejected(&with(None, robustness)).starts_with("videoCapabilities"),
                "{robustness:?}"
            );
        }
    }

    #[test]
    fn unsupported_audio_fails_even_with_supported_video() {
        let mut config = video_config(&["video/webm"]);
        config.audio_capabilities = vec![capability("audio/foo")];
        assert!(rejected(&config).starts_with("audioCapabilities"));
    }

    #[test]
    fn cdms_of_one_clear_key_share_session_ids() {
        let clear_key = ClearKey::new();
        let config = supported(&video_config(&["video/webm"]));
        let mut first = clear_key.create_cdm(&config);
        let mut second = clear_key.create_cdm(&config);
        let init_data = br#"{"kids":["AQ"]}"#;
        let request = |cdm: &mut Box<dyn Cdm>| {
            cdm.generate_request(
                crate::SessionType::Temporary,
                crate::InitDataType::KeyIds,
                init_data,
            )
            .unwrap()
            .session_id
        };
        let ids = [
            request(&mut first),
            request(&mut second),
            request(&mut first),
        ];
        assert_eq!(ids, ["1", "2", "3"]);
        // Another ClearKey has its own counter.
        let mut other = ClearKey::new().create_cdm(&config);
        assert_eq!(request(&mut other), "1");
    }
}
