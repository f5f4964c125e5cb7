//! What a file's encryption looks like, without decrypting it — `eme decrypt --info`.

use std::collections::BTreeSet;
use std::fmt;

use crate::error::MediaError;
use crate::init::{Pssh, Track};
use crate::stream::parse_file;
use eme_cdm::hex::encode as hex;

/// A file's tracks and `pssh` boxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// Whether the file is fragmented (`mvex` in `moov`).
    pub fragmented: bool,
    /// Its tracks, in `moov` order.
    pub tracks: Vec<TrackInfo>,
    /// Every `pssh` box, in `moov` and then in each `moof`, in file order.
    pub pssh: Vec<Pssh>,
}

/// One track of a [`FileInfo`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackInfo {
    /// The track as read from `moov`.
    pub track: Track,
    /// How many samples the file holds for it.
    pub samples: usize,
    /// How many of them are encrypted.
    pub encrypted_samples: usize,
    /// The key IDs its samples are encrypted under (more than one with key rotation).
    pub sample_key_ids: BTreeSet<[u8; 16]>,
}

/// Reads `input` and describes its encryption.
pub fn describe(input: &[u8]) -> Result<FileInfo, MediaError> {
    let file = parse_file(input)?;
    let Some(init) = &file.init else {
        return Err(MediaError::malformed(
            "",
            0,
            "no 'moov' box: not a whole MP4 file",
        ));
    };
    let mut tracks: Vec<TrackInfo> = init
        .tracks
        .iter()
        .map(|track| TrackInfo {
            track: track.clone(),
            samples: 0,
            encrypted_samples: 0,
            sample_key_ids: BTreeSet::new(),
        })
        .collect();
    for sample in file.samples() {
        if let Some(info) = tracks
            .iter_mut()
            .find(|t| t.track.track_id == sample.track_id)
        {
            info.samples += 1;
            if let Some(crypto) = &sample.encryption {
                info.encrypted_samples += 1;
                info.sample_key_ids.insert(crypto.key_id);
            }
        }
    }
    let mut pssh = init.pssh.clone();
    for fragment in file.segments.iter().filter_map(|s| s.fragment.as_ref()) {
        pssh.extend(fragment.pssh.iter().cloned());
    }
    Ok(FileInfo {
        fragmented: init.fragmented,
        tracks,
        pssh,
    })
}

/// The DRM systems a `pssh` system ID commonly names.
fn system_name(system_id: &[u8; 16]) -> &'static str {
    match hex(system_id).as_str() {
        "1077efecc0b24d02ace33c1e52e2fb4b" => "W3C Common (Clear Key)",
        "e2719d58a985b3c9781ab030af78d30e" => "Clear Key (DASH-IF)",
        "edef8ba979d64acea3c827dcd51d21ed" => "Widevine",
        "9a04f07998404286ab92e65be0885f95" => "PlayReady",
        "94ce86fb07ff4f43adb893d2fa968ca2" => "FairPlay",
        _ => "unknown system",
    }
}

impl fmt::Display for FileInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layout = if self.fragmented {
            "fragmented"
        } else {
            "progressive"
        };
        writeln!(f, "{layout} MP4, {} track(s)", self.tracks.len())?;
        for info in &self.tracks {
            let track = &info.track;
            let codec = track
                .sample_entries
                .first()
                .map(|e| e.codec_format().to_string())
                .unwrap_or_else(|| "none".into());
            writeln!(
                f,
                "track {} ({}, {codec}): {} samples, {} encrypted",
                track.track_id, track.handler, info.samples, info.encrypted_samples
            )?;
            for entry in &track.sample_entries {
                let Some(protection) = &entry.protection else {
                    writeln!(f, "  entry '{}': clear", entry.format)?;
                    continue;
                };
                writeln!(
                    f,
                    "  entry '{}' (original '{}'): scheme '{}' version {:#x}",
                    entry.format,
                    entry.codec_format(),
                    protection.scheme_type,
                    protection.scheme_version
                )?;
                if let Some(tenc) = &protection.track_encryption {
                    let d = &tenc.defaults;
                    write!(
                        f,
                        "    tenc v{}: protected {}, pattern {}:{}, ",
                        tenc.version, d.is_protected, d.crypt_byte_block, d.skip_byte_block
                    )?;
                    match &d.constant_iv {
                        Some(iv) if d.per_sample_iv_size == 0 => {
                            write!(f, "constant IV {} ({} bytes)", hex(iv), iv.len())?
                        }
                        _ => write!(f, "per-sample IV size {}", d.per_sample_iv_size)?,
                    }
                    writeln!(f, ", default KID {}", hex(&d.key_id))?;
                }
            }
            if !track.seig_groups.is_empty() {
                writeln!(
                    f,
                    "  {} 'seig' sample group(s) in stbl",
                    track.seig_groups.len()
                )?;
            }
            if !info.sample_key_ids.is_empty() {
                let ids: Vec<String> = info.sample_key_ids.iter().map(|id| hex(id)).collect();
                writeln!(f, "  samples use KID {}", ids.join(", "))?;
            }
        }
        for pssh in &self.pssh {
            write!(
                f,
                "pssh v{} at {}: system {} ({})",
                pssh.version,
                pssh.offset,
                hex(&pssh.system_id),
                system_name(&pssh.system_id)
            )?;
            if !pssh.key_ids.is_empty() {
                let ids: Vec<String> = pssh.key_ids.iter().map(|id| hex(id)).collect();
                write!(f, ", KID {}", ids.join(", "))?;
            }
            writeln!(f, ", {} bytes of data", pssh.data.len())?;
        }
        Ok(())
    }
}
