//! What Clear Key supports, as answers to "Get Supported Configuration"'s questions.
//!
//! Clear Key (EME §9.1) has no distinctive identifier, robustness only `""`, and — until
//! persistent-license sessions are built — no persistent state and only temporary sessions.
//! The container and codec table is what a later `media` stage can demux and decrypt:
//! ISO-BMFF (`mp4`) and WebM.

use crate::config::{ConfigurationSupport, FeatureSupport, MediaKind};
use crate::types::{InitDataType, Requirement, SessionType};

/// The encryption schemes Clear Key decrypts (`cenc` is mandatory; `cbcs` and its 1:9
/// pattern variant are optional and supported).
pub const ENCRYPTION_SCHEMES: [&str; 3] = ["cenc", "cbcs", "cbcs-1-9"];

/// Clear Key's answers; stateless.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClearKeySupport;

impl ConfigurationSupport for ClearKeySupport {
    fn supports_init_data_type(&self, init_data_type: &str) -> bool {
        InitDataType::parse(init_data_type).is_some()
    }

    fn distinctive_identifier(&self) -> FeatureSupport {
        FeatureSupport::NotSupported
    }

    fn persistent_state(&self) -> FeatureSupport {
        FeatureSupport::NotSupported
    }

    fn supports_session_type(&self, session_type: &str, _persistent_state: Requirement) -> bool {
        SessionType::parse(session_type) == Some(SessionType::Temporary)
    }

    fn supports_container(&self, kind: MediaKind, essence: &str) -> bool {
        matches!(
            (kind, essence),
            (MediaKind::Audio, "audio/mp4" | "audio/webm")
                | (MediaKind::Video, "video/mp4" | "video/webm")
        )
    }

    fn codec_kind(&self, essence: &str, codec: &str) -> Option<MediaKind> {
        match essence.split_once('/').map(|(_, subtype)| subtype) {
            Some("mp4") => mp4_codec_kind(codec),
            Some("webm") => webm_codec_kind(codec),
            _ => None,
        }
    }

    fn supports_encryption_scheme(&self, _kind: MediaKind, encryption_scheme: &str) -> bool {
        ENCRYPTION_SCHEMES.contains(&encryption_scheme)
    }

    fn supports_robustness(&self, _kind: MediaKind, _robustness: &str) -> bool {
        // Clear Key defines no robustness levels; only "" (never asked) is supported.
        false
    }
}

/// Codecs in an ISO-BMFF container. VP8 and the legacy "vp9" string are WebM-only.
fn mp4_codec_kind(codec: &str) -> Option<MediaKind> {
    if matches!(
        codec,
        "opus" | "flac" | "ec-3" | "ac-3" | "mp4a.69" | "mp4a.6B"
    ) || is_mp4a_40(codec)
    {
        return Some(MediaKind::Audio);
    }
    let is_avc = ["avc1.", "avc3."].iter().any(|prefix| {
        codec.strip_prefix(prefix).is_some_and(|profile| {
            profile.len() == 6 && profile.chars().all(|c| c.is_ascii_hexdigit())
        })
    });
    if is_avc || has_dotted_suffix(codec, &["hev1", "hvc1", "vp09", "av01"]) {
        return Some(MediaKind::Video);
    }
    None
}

/// Codecs in a WebM container.
fn webm_codec_kind(codec: &str) -> Option<MediaKind> {
    match codec {
        "opus" | "vorbis" => Some(MediaKind::Audio),
        "vp8" | "vp8.0" | "vp9" => Some(MediaKind::Video),
        _ if has_dotted_suffix(codec, &["vp09", "av01"]) => Some(MediaKind::Video),
        _ => None,
    }
}

/// MPEG-4 AAC family: `mp4a.40.<audio object type>` (1–2 decimal digits, e.g. `mp4a.40.2`).
fn is_mp4a_40(codec: &str) -> bool {
    codec.strip_prefix("mp4a.40.").is_some_and(|object_type| {
        (1..=2).contains(&object_type.len()) && object_type.chars().all(|c| c.is_ascii_digit())
    })
}

/// `<prefix>.<part>[.<part>…]` with each part non-empty ASCII alphanumeric, e.g.
/// `vp09.00.10.08`, `av01.0.04M.08`, `hvc1.1.6.L93.B0`. The profile/level values themselves
/// are not checked: Clear Key decrypts whatever the profile.
fn has_dotted_suffix(codec: &str, prefixes: &[&str]) -> bool {
    let Some((prefix, parts)) = codec.split_once('.') else {
        return false;
    };
    prefixes.contains(&prefix)
        && parts
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(essence: &str, codec: &str) -> Option<MediaKind> {
        ClearKeySupport.codec_kind(essence, codec)
    }

    #[test]
    fn mp4_audio_codecs() {
        for codec in [
            "mp4a.40.2",
            "mp4a.40.5",
            "mp4a.40.29",
            "mp4a.69",
            "mp4a.6B",
            "opus",
            "flac",
            "ec-3",
            "ac-3",
        ] {
            assert_eq!(kind("audio/mp4", codec), Some(MediaKind::Audio), "{codec}");
        }
        for codec in [
            "mp4a",
            "mp4a.",
            "mp4a.40",
            "mp4a.40.",
            "mp4a.40.123",
            "mp4a.40.x",
            "mp4a.6b",
            "MP4A.40.2",
            "Opus",
            "vorbis",
            "mp3",
        ] {
            assert_eq!(kind("audio/mp4", codec), None, "{codec}");
        }
    }

    #[test]
    fn mp4_video_codecs() {
        for codec in [
            "avc1.42E01E",
            "avc1.64001f",
            "avc3.4D401E",
            "hev1.1.6.L93.B0",
            "hvc1.1.6.L93.90",
            "vp09.00.10.08",
            "av01.0.04M.08",
        ] {
            assert_eq!(kind("video/mp4", codec), Some(MediaKind::Video), "{codec}");
        }
        for codec in [
            "avc1",
            "avc1.",
            "avc1.42E01",
            "avc1.42E01E0",
            "avc1.42G01E",
            "AVC1.42E01E",
            "avc2.42E01E",
            "hev1",
            "hev1.",
            "hev1..1",
            "vp09",
            "vp09.00..08",
            "av01.0-1",
            "vp8",
            "vp9",
            "vp8.0",
        ] {
            assert_eq!(kind("video/mp4", codec), None, "{codec}");
        }
    }

    #[test]
    fn webm_codecs() {
        for codec in ["opus", "vorbis"] {
            assert_eq!(kind("audio/webm", codec), Some(MediaKind::Audio), "{codec}");
        }
        for codec in ["vp8", "vp9", "vp8.0", "vp09.00.10.08", "av01.0.04M.08"] {
            assert_eq!(kind("video/webm", codec), Some(MediaKind::Video), "{codec}");
        }
        for codec in [
            "VP8",
            "vp8.1",
            "vp9.0",
            "avc1.42E01E",
            "mp4a.40.2",
            "flac",
            "hev1.1.6.L93.B0",
        ] {
            assert_eq!(kind("video/webm", codec), None, "{codec}");
        }
    }

    #[test]
    fn codec_kind_ignores_unknown_containers() {
        assert_eq!(kind("video/ogg", "vp8"), None);
        assert_eq!(kind("nonsense", "vp8"), None);
    }

    #[test]
    fn containers_by_kind() {
        assert!(ClearKeySupport.supports_container(MediaKind::Audio, "audio/mp4"));
        assert!(ClearKeySupport.supports_container(MediaKind::Audio, "audio/webm"));
        assert!(ClearKeySupport.supports_container(MediaKind::Video, "video/mp4"));
        assert!(ClearKeySupport.supports_container(MediaKind::Video, "video/webm"));
        assert!(!ClearKeySupport.supports_container(MediaKind::Audio, "video/mp4"));
        assert!(!ClearKeySupport.supports_container(MediaKind::Video, "audio/webm"));
        assert!(!ClearKeySupport.supports_container(MediaKind::Video, "video/mp2t"));
    }

    #[test]
    fn schemes_session_types_and_init_data_types() {
        for scheme in ENCRYPTION_SCHEMES {
            assert!(ClearKeySupport.supports_encryption_scheme(MediaKind::Video, scheme));
        }
        for scheme in ["", "CENC", "cens", "cbc1", "cbcs-1-10"] {
            assert!(
                !ClearKeySupport.supports_encryption_scheme(MediaKind::Video, scheme),
                "{scheme}"
            );
        }
        assert!(ClearKeySupport.supports_session_type("temporary", Requirement::NotAllowed));
        assert!(
            !ClearKeySupport.supports_session_type("persistent-license", Requirement::Required)
        );
        assert!(!ClearKeySupport.supports_session_type("bogus", Requirement::NotAllowed));
        for init_data_type in ["cenc", "keyids", "webm"] {
            assert!(ClearKeySupport.supports_init_data_type(init_data_type));
        }
        for init_data_type in ["", "CENC", "keyIds", "mp4"] {
            assert!(
                !ClearKeySupport.supports_init_data_type(init_data_type),
                "{init_data_type}"
            );
        }
        assert!(!ClearKeySupport.supports_robustness(MediaKind::Audio, "SW_SECURE_CRYPTO"));
    }
}
