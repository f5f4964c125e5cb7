//! Structure checks on decrypted samples, to tell a wrong key from a right one where the codec
//! makes that possible. Common Encryption has no integrity check, so a wrong key yields noise
//! of the right length; what can be checked is the codec's framing:
//! - AVC / HEVC: the length-prefixed NAL units must tile the sample exactly, each with its
//!   forbidden zero bit clear. This catches a wrong key wherever the NAL lengths or headers
//!   were encrypted (whole-sample encryption); packagers usually leave them clear
//!   (subsample encryption), and then a wrong key cannot be detected without decoding.
//! - AAC (mono or stereo): every raw data block begins with an element a decoder accepts
//!   first for that channel layout (single or pair channel element, fill, data stream, program
//!   config). Noise passes this for one sample in two, so a wrong key fails within a few.

use crate::boxes::{BoxNode, slice_at};
use crate::init::SampleEntry;

/// A check that decrypted samples of one sample entry must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodecCheck {
    /// Length-prefixed NAL units (`avcC` / `hvcC`), `length_size` bytes per length.
    NalUnits {
        /// `avc1`-family or `hvc1`-family.
        codec: &'static str,
        /// Bytes in each NAL unit length: 1, 2 or 4.
        length_size: u8,
    },
    /// AAC raw data blocks with this channel configuration (1 = mono, 2 = stereo).
    Aac {
        /// `channelConfiguration` of the AudioSpecificConfig.
        channels: u8,
    },
}

impl CodecCheck {
    /// The codec's name, for messages.
    pub fn codec_name(&self) -> &'static str {
        match self {
            Self::NalUnits { codec, .. } => codec,
            Self::Aac { .. } => "AAC",
        }
    }

    /// Whether `sample` has the codec's framing; the error says what is wrong.
    pub fn verify(&self, sample: &[u8]) -> Result<(), String> {
        match *self {
            Self::NalUnits { length_size, .. } => {
                verify_nal_units(sample, usize::from(length_size))
            }
            Self::Aac { channels } => verify_aac(sample, channels),
        }
    }
}

fn verify_nal_units(sample: &[u8], length_size: usize) -> Result<(), String> {
    let mut at = 0usize;
    while at < sample.len() {
        let Some(prefix) = sample.get(at..at + length_size) else {
            return Err(format!(
                "a NAL unit length at byte {at} runs past the sample's end"
            ));
        };
        let length = prefix
            .iter()
            .fold(0usize, |n, byte| (n << 8) | usize::from(*byte));
        at += length_size;
        if length == 0 || length > sample.len() - at {
            return Err(format!(
                "a NAL unit of {length} bytes at byte {at} does not fit the {}-byte sample",
                sample.len()
            ));
        }
        if sample[at] & 0x80 != 0 {
            return Err(format!(
                "the NAL unit at byte {at} has its forbidden zero bit set"
            ));
        }
        at += length;
    }
    Ok(())
}

/// Syntactic element IDs of ISO/IEC 14496-3 raw_data_block.
const SCE: u8 = 0;
const CPE: u8 = 1;
const DSE: u8 = 4;
const PCE: u8 = 5;
const FIL: u8 = 6;

fn verify_aac(sample: &[u8], channels: u8) -> Result<(), String> {
    let Some(first) = sample.first() else {
        return Ok(());
    };
    let element = first >> 5;
    let channel_element = if channels == 1 { SCE } else { CPE };
    if [channel_element, DSE, PCE, FIL].contains(&element) {
        Ok(())
    } else {
        Err(format!(
            "its first element has ID {element}, which cannot start a {} block",
            if channels == 1 { "mono" } else { "stereo" }
        ))
    }
}

/// The check for a sample entry whose codec allows one, read from its configuration box in
/// `moov` (`moov_bytes`, which starts at absolute offset `moov_offset`).
pub fn codec_check(entry: &SampleEntry, moov_bytes: &[u8], moov_offset: u64) -> Option<CodecCheck> {
    let payload = |node: &BoxNode| {
        slice_at(
            moov_bytes,
            moov_offset,
            node.payload_offset(),
            node.size.checked_sub(u64::from(node.header_size))?,
        )
    };
    match &entry.codec_format().0 {
        b"avc1" | b"avc3" => {
            let config = payload(entry.node.child(b"avcC")?)?;
            Some(CodecCheck::NalUnits {
                codec: "H.264",
                length_size: (config.get(4)? & 0x3) + 1,
            })
        }
        b"hvc1" | b"hev1" => {
            let config = payload(entry.node.child(b"hvcC")?)?;
            Some(CodecCheck::NalUnits {
                codec: "HEVC",
                length_size: (config.get(21)? & 0x3) + 1,
            })
        }
        b"mp4a" => {
            let channels = aac_channel_configuration(payload(entry.node.child(b"esds")?)?)?;
            matches!(channels, 1 | 2).then_some(CodecCheck::Aac { channels })
        }
        _ => None,
    }
}

/// The channelConfiguration of an `esds` payload's AAC AudioSpecificConfig, if it holds one.
fn aac_channel_configuration(esds: &[u8]) -> Option<u8> {
    // Version and flags, then ES_Descriptor (tag 3).
    let (tag, es) = descriptor(esds.get(4..)?)?;
    if tag != 0x03 {
        return None;
    }
    let flags = *es.get(2)?;
    let mut at = 3;
    if flags & 0x80 != 0 {
        at += 2; // dependsOn_ES_ID
    }
    if flags & 0x40 != 0 {
        at += 1 + usize::from(*es.get(at)?); // URL
    }
    if flags & 0x20 != 0 {
        at += 2; // OCR_ES_Id
    }
    let (tag, config) = descriptor(es.get(at..)?)?;
    // DecoderConfigDescriptor: MPEG-4 audio (0x40) or MPEG-2 AAC (0x66–0x68).
    if tag != 0x04 || !matches!(config.first()?, 0x40 | 0x66..=0x68) {
        return None;
    }
    let (tag, specific) = descriptor(config.get(13..)?)?;
    if tag != 0x05 {
        return None;
    }
    // AudioSpecificConfig: 5 bits object type (AAC Main, LC, SSR, LTP, or SBR/PS around LC),
    // 4 bits sampling frequency index (+24 bits of frequency when 15), 4 bits channels.
    let bits = u64::from_be_bytes({
        let mut word = [0u8; 8];
        let n = specific.len().min(8);
        word[..n].copy_from_slice(&specific[..n]);
        word
    });
    let object_type = (bits >> 59) as u8;
    if !matches!(object_type, 1..=5 | 29) {
        return None;
    }
    let frequency_index = ((bits >> 55) & 0xf) as u8;
    let shift = if frequency_index == 15 { 27 } else { 51 };
    Some(((bits >> shift) & 0xf) as u8)
}

/// One MPEG-4 descriptor: its tag and body (the size is 1–4 bytes of 7 bits each).
fn descriptor(bytes: &[u8]) -> Option<(u8, &[u8])> {
    let tag = *bytes.first()?;
    let mut size = 0usize;
    let mut at = 1;
    loop {
        let byte = *bytes.get(at)?;
        at += 1;
        size = (size << 7) | usize::from(byte & 0x7f);
        if byte & 0x80 == 0 || at == 5 {
            break;
        }
    }
    Some((tag, bytes.get(at..at.checked_add(size)?)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nal_units_must_tile_the_sample() {
        let check = CodecCheck::NalUnits {
            codec: "H.264",
            length_size: 4,
        };
        let good = [0, 0, 0, 2, 0x65, 0x88, 0, 0, 0, 1, 0x06];
        assert_eq!(check.verify(&good), Ok(()));
        assert!(
            check
                .verify(&good[..10])
                .unwrap_err()
                .contains("does not fit")
        );
        let mut forbidden = good;
        forbidden[4] = 0xe5;
        assert!(
            check
                .verify(&forbidden)
                .unwrap_err()
                .contains("forbidden zero bit")
        );
        assert!(check.verify(&[0, 0, 0]).unwrap_err().contains("runs past"));
    }

    #[test]
    fn aac_blocks_start_with_an_element_for_their_layout() {
        let mono = CodecCheck::Aac { channels: 1 };
        assert_eq!(mono.verify(&[SCE << 5, 0]), Ok(()));
        assert_eq!(mono.verify(&[FIL << 5]), Ok(()));
        assert!(mono.verify(&[CPE << 5]).is_err());
        assert!(mono.verify(&[7 << 5]).is_err());
        let stereo = CodecCheck::Aac { channels: 2 };
        assert_eq!(stereo.verify(&[CPE << 5]), Ok(()));
        assert!(stereo.verify(&[SCE << 5]).is_err());
    }

    #[test]
    fn reads_the_channel_configuration_of_an_esds() {
        // ES_Descriptor { ES_ID 1, no flags, DecoderConfigDescriptor { 0x40, audio, ...,
        // DecoderSpecificInfo { AAC LC, 44.1 kHz (index 4), mono } } }.
        let specific = [0x05, 0x02, 0x12, 0x08];
        let mut config = vec![
            0x04,
            13 + specific.len() as u8,
            0x40,
            0x15,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ];
        config.extend_from_slice(&specific);
        let mut esds = vec![0, 0, 0, 0, 0x03, 3 + config.len() as u8, 0, 1, 0];
        esds.extend_from_slice(&config);
        assert_eq!(aac_channel_configuration(&esds), Some(1));
        // An extended (4-byte) descriptor size reads the same.
        let mut long = vec![
            0,
            0,
            0,
            0,
            0x03,
            0x80,
            0x80,
            0x80,
            3 + config.len() as u8,
            0,
            1,
            0,
        ];
        long.extend_from_slice(&config);
        assert_eq!(aac_channel_configuration(&long), Some(1));
        assert_eq!(aac_channel_configuration(&esds[..12]), None);
    }
}
