//! Decrypting a whole file into a clear one — `eme decrypt`'s operation, for Rust users too.
//!
//! The samples are decrypted in place (their bytes never move inside an `mdat`), then the box
//! tree is written again without what only encrypted content needs: each protected sample
//! entry takes back its original format from `frma` and loses its `sinf`; `senc`, `saiz`,
//! `saio`, `pssh`, PIFF's `uuid` boxes and the `seig` sample groups (`sbgp`/`sgpd`) go. Boxes
//! that hold file offsets follow the bytes that moved: `stco`/`co64` chunk offsets, `tfhd`
//! base data offsets, `trun` data offsets and `sidx` reference sizes. `mfra` (an optional
//! index of `moof` offsets) is dropped rather than rewritten. The result is read back and
//! checked before it is returned.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use eme_cdm::decrypt::{DecryptError, SampleCipher};
use eme_cdm::hex::encode as hex;

use crate::boxes::{BoxNode, read_boxes};
use crate::codec::{CodecCheck, codec_check};
use crate::error::MediaError;
use crate::stream::{Mp4File, parse_file};

/// Content keys by key ID.
pub type Keys = BTreeMap<[u8; 16], [u8; 16]>;

/// Why a file could not be decrypted.
#[derive(Debug, thiserror::Error)]
pub enum DecryptFileError {
    /// The input is not a readable ISO-BMFF file.
    #[error("{0}")]
    Media(#[from] MediaError),
    /// The input has no `moov`, so its tracks and their encryption are unknown.
    #[error(
        "no 'moov' box: this is not a whole MP4 file (a media segment needs its init segment first)"
    )]
    NoMovie,
    /// Samples are encrypted under key IDs for which no key was given.
    #[error("no key given for key ID {}", hex_list(.0))]
    MissingKeys(Vec<[u8; 16]>),
    /// A sample could not be decrypted.
    #[error("sample {index} of track {track_id} (at byte {offset}): {source}")]
    Sample {
        /// The track.
        track_id: u32,
        /// The sample's 0-based index in its track.
        index: usize,
        /// Its absolute offset in the input.
        offset: u64,
        /// What the decryptor said.
        source: DecryptError,
    },
    /// The decrypted samples do not have the structure their codec requires.
    #[error(
        "track {track_id}: sample {index} decrypted with the key for {} is not valid {codec}: {reason} — the key is probably wrong",
        hex(.key_id)
    )]
    WrongKey {
        /// The track.
        track_id: u32,
        /// The first sample found invalid.
        index: usize,
        /// The key ID the sample is encrypted under.
        key_id: [u8; 16],
        /// The codec checked.
        codec: &'static str,
        /// What is wrong with the decrypted bytes.
        reason: String,
    },
    /// The rewritten file did not read back as the clear version of the input (a bug).
    #[error("the decrypted file failed its own check: {0}")]
    SelfCheck(String),
}

/// What [`decrypt_file`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecryptReport {
    /// Per track: ID, samples, of which decrypted.
    pub tracks: Vec<TrackReport>,
    /// How many bytes the rewrite removed.
    pub bytes_removed: u64,
}

/// One track's part of a [`DecryptReport`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackReport {
    /// The track ID.
    pub track_id: u32,
    /// Its samples.
    pub samples: usize,
    /// How many of them were encrypted.
    pub decrypted: usize,
    /// Whether the codec check of [`DecryptFileError::WrongKey`] could run on this track.
    pub checked: bool,
}

/// Decrypts a whole MP4 file (fragmented or progressive) with `keys`, returning a clear MP4
/// that any player reads, and what was done.
pub fn decrypt_file(
    input: &[u8],
    keys: &Keys,
) -> Result<(Vec<u8>, DecryptReport), DecryptFileError> {
    let file = parse_file(input)?;
    let init = file.init.as_ref().ok_or(DecryptFileError::NoMovie)?;

    let missing: BTreeSet<[u8; 16]> = file
        .samples()
        .filter_map(|sample| sample.encryption.as_ref())
        .map(|crypto| crypto.key_id)
        .filter(|key_id| !keys.contains_key(key_id))
        .collect();
    if !missing.is_empty() {
        return Err(DecryptFileError::MissingKeys(missing.into_iter().collect()));
    }

    let mut data = input.to_vec();
    let mut report = DecryptReport::default();
    let mut ciphers: HashMap<[u8; 16], SampleCipher> = HashMap::new();
    // Per (track, sample entry): the codec check, if its codec has one.
    let mut checks: HashMap<(u32, u32), Option<CodecCheck>> = HashMap::new();
    for track in &init.tracks {
        report.tracks.push(TrackReport {
            track_id: track.track_id,
            ..TrackReport::default()
        });
        for (index, entry) in (1..).zip(&track.sample_entries) {
            let check = codec_check(entry, &init.moov_bytes, init.moov.offset);
            checks.insert((track.track_id, index), check);
        }
    }
    for sample in file.samples() {
        let Some(track) = report
            .tracks
            .iter_mut()
            .find(|t| t.track_id == sample.track_id)
        else {
            continue;
        };
        let index = track.samples;
        track.samples += 1;
        let Some(encryption) = sample.sample_encryption()? else {
            continue;
        };
        track.decrypted += 1;
        let range = byte_range(sample.offset, u64::from(sample.size));
        let Some(bytes) = range.and_then(|range| data.get_mut(range)) else {
            return Err(DecryptFileError::SelfCheck(format!(
                "sample {index} of track {} lies outside the file",
                sample.track_id
            )));
        };
        let cipher = ciphers
            .entry(encryption.key_id)
            .or_insert_with(|| SampleCipher::new(&keys[&encryption.key_id]));
        cipher
            .decrypt(&encryption, bytes)
            .map_err(|source| DecryptFileError::Sample {
                track_id: sample.track_id,
                index,
                offset: sample.offset,
                source,
            })?;
        if let Some(Some(check)) = checks.get(&(sample.track_id, sample.description_index)) {
            track.checked = true;
            if let Err(reason) = check.verify(bytes) {
                return Err(DecryptFileError::WrongKey {
                    track_id: sample.track_id,
                    index,
                    key_id: encryption.key_id,
                    codec: check.codec_name(),
                    reason,
                });
            }
        }
    }

    let tree = read_boxes(&data, 0)?;
    let plan = Plan::new(&tree, &data, &file)?;
    let mut output = Vec::with_capacity(data.len());
    for node in &tree {
        plan.write(node, &data, &mut output)?;
    }
    report.bytes_removed = plan.removed.iter().map(|r| r.end - r.start).sum();
    self_check(&file, &data, &output)?;
    Ok((output, report))
}

fn byte_range(offset: u64, len: u64) -> Option<Range<usize>> {
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    Some(start..end)
}

/// PIFF's `uuid` boxes for sample encryption and protection headers.
const PIFF_SAMPLE_ENCRYPTION: [u8; 16] = [
    0xa2, 0x39, 0x4f, 0x52, 0x5a, 0x9b, 0x4f, 0x14, 0xa2, 0x44, 0x6c, 0x42, 0x7c, 0x64, 0x8d, 0xf4,
];
const PIFF_PROTECTION_HEADER: [u8; 16] = [
    0xd0, 0x8a, 0x4f, 0x18, 0x10, 0xf3, 0x4a, 0x82, 0xb6, 0xc8, 0x32, 0xd8, 0xab, 0xa1, 0x83, 0xd3,
];

/// What the rewrite removes, renames and patches.
struct Plan {
    /// Removed byte ranges of the input, sorted and disjoint.
    removed: Vec<Range<u64>>,
    /// Sample entries to rename: offset of the entry → its original format.
    renamed: HashMap<u64, [u8; 4]>,
    /// `traf` offset → its base data offset (what its `trun` data offsets count from).
    traf_bases: HashMap<u64, u64>,
}

impl Plan {
    fn new(tree: &[BoxNode], data: &[u8], file: &Mp4File) -> Result<Plan, DecryptFileError> {
        let mut plan = Plan {
            removed: Vec::new(),
            renamed: HashMap::new(),
            traf_bases: HashMap::new(),
        };
        for node in tree {
            plan.visit(node, data, None);
        }
        plan.removed.sort_by_key(|range| range.start);
        for fragment in file.segments.iter().filter_map(|s| s.fragment.as_ref()) {
            for (traf, track) in fragment.moof.children_of(b"traf").zip(&fragment.tracks) {
                plan.traf_bases.insert(traf.offset, track.base_data_offset);
            }
        }
        Ok(plan)
    }

    fn visit(&mut self, node: &BoxNode, data: &[u8], parent: Option<&BoxNode>) {
        if is_dropped(node, data, parent) {
            self.removed.push(node.range());
            return;
        }
        if let Some(frma) = node.child(b"sinf").and_then(|sinf| sinf.child(b"frma"))
            && let Some(format) = frma.payload_in(data, 0).and_then(|p| p.get(..4))
        {
            let mut original = [0; 4];
            original.copy_from_slice(format);
            self.renamed.insert(node.offset, original);
        }
        for child in &node.children {
            self.visit(child, data, Some(node));
        }
    }

    /// Where input offset `offset` lands in the output.
    fn map(&self, offset: u64) -> u64 {
        let before: u64 = self
            .removed
            .iter()
            .take_while(|range| range.end <= offset)
            .map(|range| range.end - range.start)
            .sum();
        offset - before
    }

    fn write(
        &self,
        node: &BoxNode,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), DecryptFileError> {
        if self
            .removed
            .iter()
            .any(|range| range.start == node.offset && range.end == node.end())
        {
            return Ok(());
        }
        let bytes = node.bytes_in(data, 0).ok_or_else(|| outside(node))?;
        let start = out.len();
        let Some(children_offset) = node.children_offset else {
            out.extend_from_slice(bytes);
            self.patch_leaf(node, &mut out[start..])?;
            return Ok(());
        };
        // The header and the fixed part before the children, then each child (and any bytes
        // between or after them) in order.
        let mut cursor = node.offset;
        let copy_until = |out: &mut Vec<u8>, to: u64, cursor: &mut u64| {
            if to > *cursor {
                out.extend_from_slice(
                    &bytes[(*cursor - node.offset) as usize..(to - node.offset) as usize],
                );
                *cursor = to;
            }
        };
        copy_until(out, children_offset, &mut cursor);
        for child in &node.children {
            copy_until(out, child.offset, &mut cursor);
            self.write(child, data, out)?;
            cursor = child.end();
        }
        copy_until(out, node.end(), &mut cursor);
        if let Some(format) = self.renamed.get(&node.offset) {
            out[start + 4..start + 8].copy_from_slice(format);
        }
        let new_size = (out.len() - start) as u64;
        match read_u32(&out[start..], 0) {
            // A size-0 box (to the end of the file) keeps its 0.
            Some(0) => {}
            // A 64-bit size follows the type.
            Some(1) => out[start + 8..start + 16].copy_from_slice(&new_size.to_be_bytes()),
            _ => {
                // Removing boxes only shrinks a box, so a 32-bit size still fits.
                let size = u32::try_from(new_size).map_err(|_| outside(node))?;
                out[start..start + 4].copy_from_slice(&size.to_be_bytes());
            }
        }
        Ok(())
    }

    /// Rewrites the file offsets a leaf box holds; `bytes` is the box as copied to the output.
    fn patch_leaf(&self, node: &BoxNode, bytes: &mut [u8]) -> Result<(), DecryptFileError> {
        let payload = node.header_size as usize;
        let bad = |what: &str| {
            DecryptFileError::Media(MediaError::malformed(
                node.box_type.to_string(),
                node.offset,
                format!("cannot rewrite {what}"),
            ))
        };
        match &node.box_type.0 {
            b"stco" => {
                let count = read_u32(bytes, payload + 4).ok_or_else(|| bad("its entry count"))?;
                for i in 0..count as usize {
                    let at = payload + 8 + 4 * i;
                    let old = read_u32(bytes, at).ok_or_else(|| bad("a chunk offset"))?;
                    let new = self.map(u64::from(old)) as u32;
                    bytes[at..at + 4].copy_from_slice(&new.to_be_bytes());
                }
            }
            b"co64" => {
                let count = read_u32(bytes, payload + 4).ok_or_else(|| bad("its entry count"))?;
                for i in 0..count as usize {
                    let at = payload + 8 + 8 * i;
                    let old = read_u64(bytes, at).ok_or_else(|| bad("a chunk offset"))?;
                    bytes[at..at + 8].copy_from_slice(&self.map(old).to_be_bytes());
                }
            }
            b"tfhd" => {
                let flags = read_u32(bytes, payload).ok_or_else(|| bad("its flags"))? & 0xff_ffff;
                if flags & 0x1 != 0 {
                    let at = payload + 8;
                    let old = read_u64(bytes, at).ok_or_else(|| bad("its base data offset"))?;
                    bytes[at..at + 8].copy_from_slice(&self.map(old).to_be_bytes());
                }
            }
            b"trun" => {
                let flags = read_u32(bytes, payload).ok_or_else(|| bad("its flags"))? & 0xff_ffff;
                if flags & 0x1 != 0 {
                    let base = self
                        .trun_base(node)
                        .ok_or_else(|| bad("a data offset outside a known traf"))?;
                    let at = payload + 8;
                    let old = read_u32(bytes, at).ok_or_else(|| bad("its data offset"))? as i32;
                    let target = base
                        .checked_add_signed(i64::from(old))
                        .ok_or_else(|| bad("its data offset"))?;
                    let new = self.map(target) as i64 - self.map(base) as i64;
                    let new = i32::try_from(new).map_err(|_| bad("its data offset"))?;
                    bytes[at..at + 4].copy_from_slice(&new.to_be_bytes());
                }
            }
            b"sidx" => self
                .patch_sidx(node, bytes)
                .ok_or_else(|| bad("its references"))?,
            _ => {}
        }
        Ok(())
    }

    fn trun_base(&self, trun: &BoxNode) -> Option<u64> {
        // The traf holding this trun is the one with the greatest offset before it.
        self.traf_bases
            .iter()
            .filter(|(traf, _)| **traf < trun.offset)
            .max_by_key(|(traf, _)| **traf)
            .map(|(_, base)| *base)
    }

    /// `sidx` references count bytes from the end of the `sidx`: each referenced range keeps
    /// its start and end, mapped.
    fn patch_sidx(&self, node: &BoxNode, bytes: &mut [u8]) -> Option<()> {
        let payload = node.header_size as usize;
        let version = *bytes.get(payload)?;
        let (first_offset_at, refs_at) = if version == 0 {
            (payload + 16, payload + 20)
        } else {
            (payload + 20, payload + 28)
        };
        let anchor = node.end();
        let first_offset = if version == 0 {
            u64::from(read_u32(bytes, first_offset_at)?)
        } else {
            read_u64(bytes, first_offset_at)?
        };
        let mut start = anchor.checked_add(first_offset)?;
        let new_first = self.map(start) - self.map(anchor);
        if version == 0 {
            bytes[first_offset_at..first_offset_at + 4]
                .copy_from_slice(&u32::try_from(new_first).ok()?.to_be_bytes());
        } else {
            bytes[first_offset_at..first_offset_at + 8].copy_from_slice(&new_first.to_be_bytes());
        }
        let count = u16::from_be_bytes(bytes.get(refs_at + 2..refs_at + 4)?.try_into().ok()?);
        for i in 0..usize::from(count) {
            let at = refs_at + 4 + 12 * i;
            let word = read_u32(bytes, at)?;
            let size = u64::from(word & 0x7fff_ffff);
            let end = start.checked_add(size)?;
            let new_size = u32::try_from(self.map(end) - self.map(start)).ok()?;
            bytes[at..at + 4].copy_from_slice(&((word & 0x8000_0000) | new_size).to_be_bytes());
            start = end;
        }
        Some(())
    }
}

fn is_dropped(node: &BoxNode, data: &[u8], parent: Option<&BoxNode>) -> bool {
    match &node.box_type.0 {
        b"senc" | b"saiz" | b"saio" | b"pssh" | b"mfra" => true,
        b"uuid" => {
            matches!(node.user_type, Some(t) if t == PIFF_SAMPLE_ENCRYPTION || t == PIFF_PROTECTION_HEADER)
        }
        // A sinf directly inside a sample entry (the entry's parent is the stsd).
        // A sinf inside a sample entry: its parent has a fixed part before its children.
        b"sinf" => {
            parent.is_some_and(|p| p.children_offset.is_some_and(|c| c > p.payload_offset()))
        }
        b"sbgp" | b"sgpd" => node
            .payload_in(data, 0)
            .and_then(|payload| payload.get(4..8))
            .is_some_and(|grouping| grouping == b"seig"),
        _ => false,
    }
}

fn outside(node: &BoxNode) -> DecryptFileError {
    DecryptFileError::SelfCheck(format!(
        "'{}' at {} does not fit the file",
        node.box_type, node.offset
    ))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(
        bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// Reads the output back: no protected track, the same samples, and every sample's bytes
/// equal to the decrypted input's.
fn self_check(input: &Mp4File, decrypted: &[u8], output: &[u8]) -> Result<(), DecryptFileError> {
    let fail = DecryptFileError::SelfCheck;
    let clear = parse_file(output).map_err(|e| fail(format!("it does not read back: {e}")))?;
    let init = clear
        .init
        .as_ref()
        .ok_or_else(|| fail("it lost its 'moov'".into()))?;
    if let Some(track) = init.tracks.iter().find(|t| t.is_protected()) {
        return Err(fail(format!(
            "track {} is still marked protected",
            track.track_id
        )));
    }
    let before: Vec<_> = input.samples().collect();
    let after: Vec<_> = clear.samples().collect();
    if before.len() != after.len() {
        return Err(fail(format!(
            "{} samples became {}",
            before.len(),
            after.len()
        )));
    }
    for (old, new) in before.iter().zip(&after) {
        let expected = byte_range(old.offset, u64::from(old.size)).and_then(|r| decrypted.get(r));
        if new.encryption.is_some()
            || expected != Some(&new.data[..])
            || old.decode_time != new.decode_time
        {
            return Err(fail(format!(
                "sample at {} of track {} differs after the rewrite",
                old.offset, old.track_id
            )));
        }
    }
    Ok(())
}

fn hex_list(key_ids: &[[u8; 16]]) -> String {
    let ids: Vec<String> = key_ids.iter().map(|key_id| hex(key_id)).collect();
    ids.join(", ")
}
