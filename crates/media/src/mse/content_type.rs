//! The MIME type a source buffer is created for (`addSourceBuffer(type)`): ISO-BMFF byte
//! streams only, `video/mp4` or `audio/mp4`, with an optional `codecs` parameter (RFC 6381).
//!
//! <https://w3c.github.io/mse-byte-stream-format-isobmff/#mime-parameters>

use crate::boxes::FourCc;

/// Whether the type names a video or an audio-only byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    /// `video/mp4`: may hold video and audio tracks.
    Video,
    /// `audio/mp4`: audio tracks only.
    Audio,
}

/// A parsed `video/mp4` / `audio/mp4` MIME type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// `video/mp4` or `audio/mp4`.
    pub media_type: MediaType,
    /// The `codecs` parameter's entries as written (`avc1.64001f`, `mp4a.40.2`); empty when
    /// the parameter is absent.
    pub codecs: Vec<String>,
}

/// Why a MIME type is not supported (the binding throws `NotSupportedError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported type {type_:?}: {reason}")]
pub struct UnsupportedType {
    /// The type as given.
    pub type_: String,
    /// Why.
    pub reason: String,
}

/// Codec families this model buffers, by the sample entry four-character code and the
/// RFC 6381 codec string prefix; the second value says whether it is a video codec.
const CODECS: &[(&str, bool)] = &[
    ("avc1", true),
    ("avc3", true),
    ("hvc1", true),
    ("hev1", true),
    ("vp09", true),
    ("av01", true),
    ("mp4a", false),
    ("opus", false),
    ("flac", false),
    ("ac-3", false),
    ("ec-3", false),
];

/// A codec family: AVC, HEVC and Opus/FLAC have two spellings each.
fn family(codec: &str) -> String {
    let lower = codec.to_ascii_lowercase();
    match lower.as_str() {
        "avc3" => "avc1".to_owned(),
        "hev1" => "hvc1".to_owned(),
        _ => lower,
    }
}

impl ContentType {
    /// Parses `type`: `video/mp4` or `audio/mp4` (case-insensitive), parameters separated by
    /// `;`, a `codecs` value optionally quoted and comma-separated. Every listed codec must be
    /// one this model buffers, and an `audio/mp4` type may list audio codecs only.
    pub fn parse(type_: &str) -> Result<ContentType, UnsupportedType> {
        let unsupported = |reason: String| UnsupportedType {
            type_: type_.to_owned(),
            reason,
        };
        let mut parts = type_.split(';');
        let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let media_type = match essence.as_str() {
            "video/mp4" => MediaType::Video,
            "audio/mp4" => MediaType::Audio,
            other => {
                return Err(unsupported(format!(
                    "{other:?} is not an ISO-BMFF MIME type"
                )));
            }
        };
        let mut codecs = Vec::new();
        for parameter in parts {
            let Some((name, value)) = parameter.split_once('=') else {
                continue;
            };
            if !name.trim().eq_ignore_ascii_case("codecs") {
                continue;
            }
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            codecs = value
                .split(',')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect();
        }
        for codec in &codecs {
            let prefix = family(codec.split('.').next().unwrap_or(""));
            let Some(&(_, is_video)) = CODECS.iter().find(|(name, _)| family(name) == prefix)
            else {
                return Err(unsupported(format!("codec {codec:?} is not supported")));
            };
            if is_video && media_type == MediaType::Audio {
                return Err(unsupported(format!(
                    "video codec {codec:?} in an audio/mp4 type"
                )));
            }
        }
        Ok(ContentType { media_type, codecs })
    }

    /// Whether a track whose sample entry (original format, for a protected entry) is
    /// `format` may be buffered under this type: its codec family is one this model buffers
    /// and, when the type lists codecs, one of them (the MSE note allowing user agents to
    /// treat codecs the type did not name as unsupported).
    pub fn allows(&self, format: FourCc) -> bool {
        let format = family(&String::from_utf8_lossy(&format.0));
        let known = CODECS.iter().any(|(name, _)| family(name) == format);
        let listed = self.codecs.is_empty()
            || self
                .codecs
                .iter()
                .any(|c| family(c.split('.').next().unwrap_or("")) == format);
        known && listed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mp4_types_with_codecs() {
        let video = ContentType::parse(r#"Video/MP4; codecs="avc1.64001f, mp4a.40.2""#).unwrap();
        assert_eq!(video.media_type, MediaType::Video);
        assert_eq!(video.codecs, ["avc1.64001f", "mp4a.40.2"]);
        assert!(video.allows(FourCc(*b"avc3")) && video.allows(FourCc(*b"mp4a")));
        assert!(!video.allows(FourCc(*b"hvc1")));
        let audio = ContentType::parse("audio/mp4").unwrap();
        assert!(audio.codecs.is_empty() && audio.allows(FourCc(*b"Opus")));
        assert!(!audio.allows(FourCc(*b"zzzz")));
        assert!(ContentType::parse("audio/mp4; codecs=avc1.4d401e").is_err());
        assert!(ContentType::parse("video/webm").is_err());
        assert!(ContentType::parse("video/mp4; codecs=\"xyz1\"").is_err());
    }
}
