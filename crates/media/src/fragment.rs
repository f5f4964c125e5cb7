//! Movie fragments: `moof` (`mfhd`, `traf`: `tfhd`, `tfdt`, `trun`, `senc`, `saiz`/`saio`,
//! `sbgp`/`sgpd`, `pssh`) resolved into samples with byte ranges, times and encryption.

use crate::boxes::{BoxNode, child_path};
use crate::crypto::{read_seig_descriptions, read_seig_mapping};
use crate::error::{ErrorKind, MediaError, Result};
use crate::init::{InitSegment, Pssh, collect_pssh, payload};
use crate::limits::Limits;
use crate::sample::{
    CryptoContext, PendingCrypto, PendingSample, SampleLayout, aux_source, find_senc, plan_crypto,
};

/// `tfhd` flags.
const BASE_DATA_OFFSET_PRESENT: u32 = 0x1;
const SAMPLE_DESCRIPTION_INDEX_PRESENT: u32 = 0x2;
const DEFAULT_DURATION_PRESENT: u32 = 0x8;
const DEFAULT_SIZE_PRESENT: u32 = 0x10;
const DEFAULT_FLAGS_PRESENT: u32 = 0x20;
const DEFAULT_BASE_IS_MOOF: u32 = 0x20000;

/// `trun` flags.
const DATA_OFFSET_PRESENT: u32 = 0x1;
const FIRST_SAMPLE_FLAGS_PRESENT: u32 = 0x4;
const DURATION_PRESENT: u32 = 0x100;
const SIZE_PRESENT: u32 = 0x200;
const FLAGS_PRESENT: u32 = 0x400;
const COMPOSITION_OFFSET_PRESENT: u32 = 0x800;

/// The `sample_is_non_sync_sample` bit of sample flags.
const NON_SYNC: u32 = 0x0001_0000;

/// One `traf`, summarised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackFragment {
    /// The track (`tfhd` track id).
    pub track_id: u32,
    /// The absolute offset `trun` data offsets are relative to.
    pub base_data_offset: u64,
    /// Whether `tfhd` set default-base-is-moof.
    pub default_base_is_moof: bool,
    /// `tfdt` base media decode time, if present.
    pub base_media_decode_time: Option<u64>,
    /// The 1-based sample description index in effect (`tfhd`, else `trex`, else 1).
    pub sample_description_index: u32,
    /// How many samples the `trun` boxes list.
    pub sample_count: usize,
}

/// A parsed `moof`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// `mfhd` sequence number.
    pub sequence_number: u32,
    /// The track fragments in file order.
    pub tracks: Vec<TrackFragment>,
    /// The `pssh` boxes inside the `moof`.
    pub pssh: Vec<Pssh>,
    /// The `moof` box tree.
    pub moof: BoxNode,
    /// The `moof` bytes, header included.
    pub moof_bytes: Vec<u8>,
    /// The samples before their data is at hand.
    pub(crate) pending: Vec<PendingSample>,
}

impl Fragment {
    /// How many samples the fragment lists.
    pub fn sample_count(&self) -> usize {
        self.tracks.iter().map(|t| t.sample_count).sum()
    }
}

/// Parses a complete `moof`. `next_decode_times` carries each track's end time from earlier
/// fragments, for a `traf` without `tfdt`; it is updated.
pub(crate) fn read_moof(
    node: BoxNode,
    bytes: Vec<u8>,
    init: &InitSegment,
    next_decode_times: &mut Vec<(u32, u64)>,
    limits: &Limits,
) -> Result<Fragment> {
    let base = node.offset;
    let mfhd = node
        .child(b"mfhd")
        .ok_or_else(|| MediaError::malformed("moof", node.offset, "moof has no mfhd"))?;
    let mut c = payload(mfhd, &bytes, base, "moof/mfhd");
    c.full_box()?;
    let sequence_number = c.u32("sequence_number")?;

    let mut tracks = Vec::new();
    let mut pending = Vec::new();
    let mut previous_end = node.offset;
    for (index, traf) in node.children_of(b"traf").enumerate() {
        let path = child_path("moof", traf.box_type, Some(index));
        let reader = TrafReader {
            traf,
            bytes: &bytes,
            base,
            path: &path,
            moof_offset: node.offset,
            init,
            limits,
        };
        let (summary, samples, end) = reader.read(index, previous_end, next_decode_times)?;
        previous_end = end;
        tracks.push(summary);
        pending.extend(samples);
    }
    let mut pssh = Vec::new();
    collect_pssh(&node, &bytes, base, "moof", &mut pssh)?;
    Ok(Fragment {
        sequence_number,
        tracks,
        pssh,
        moof: node,
        moof_bytes: bytes,
        pending,
    })
}

struct TrafReader<'a> {
    traf: &'a BoxNode,
    bytes: &'a [u8],
    base: u64,
    path: &'a str,
    moof_offset: u64,
    init: &'a InitSegment,
    limits: &'a Limits,
}

impl TrafReader<'_> {
    fn sub_path(&self, node: &BoxNode, index: Option<usize>) -> String {
        child_path(self.path, node.box_type, index)
    }

    /// Reads the `traf`; returns its summary, its samples and the end of its sample data.
    fn read(
        &self,
        index: usize,
        previous_end: u64,
        next_decode_times: &mut Vec<(u32, u64)>,
    ) -> Result<(TrackFragment, Vec<PendingSample>, u64)> {
        let tfhd = self.traf.child(b"tfhd").ok_or_else(|| {
            MediaError::malformed(self.path, self.traf.offset, "traf has no tfhd")
        })?;
        let tfhd_path = self.sub_path(tfhd, None);
        let mut c = payload(tfhd, self.bytes, self.base, &tfhd_path);
        let (_, flags) = c.full_box()?;
        let id_at = c.offset();
        let track_id = c.u32("track_ID")?;
        let track = self.init.track(track_id).ok_or_else(|| {
            c.error_at(
                id_at,
                format!("track id {track_id} names no track in the moov"),
            )
        })?;
        let trex = track.extends;
        let explicit_base = if flags & BASE_DATA_OFFSET_PRESENT != 0 {
            Some(c.u64("base_data_offset")?)
        } else {
            None
        };
        let description_index = if flags & SAMPLE_DESCRIPTION_INDEX_PRESENT != 0 {
            c.u32("sample_description_index")?
        } else {
            trex.map_or(1, |t| t.default_sample_description_index)
        };
        let default_duration = if flags & DEFAULT_DURATION_PRESENT != 0 {
            Some(c.u32("default_sample_duration")?)
        } else {
            trex.map(|t| t.default_sample_duration)
        };
        let default_size = if flags & DEFAULT_SIZE_PRESENT != 0 {
            Some(c.u32("default_sample_size")?)
        } else {
            trex.map(|t| t.default_sample_size)
        };
        let default_flags = if flags & DEFAULT_FLAGS_PRESENT != 0 {
            Some(c.u32("default_sample_flags")?)
        } else {
            trex.map(|t| t.default_sample_flags)
        };
        let default_base_is_moof = flags & DEFAULT_BASE_IS_MOOF != 0;
        // ISO/IEC 14496-12 8.8.7.1: without an explicit base, the moof is the base for the first
        // traf (and for all under default-base-is-moof), otherwise the previous traf's data end.
        let base_data_offset = match explicit_base {
            Some(offset) => offset,
            None if default_base_is_moof || index == 0 => self.moof_offset,
            None => previous_end,
        };

        let tfdt = match self.traf.child(b"tfdt") {
            Some(node) => {
                let p = self.sub_path(node, None);
                let mut c = payload(node, self.bytes, self.base, &p);
                let (version, _) = c.full_box()?;
                Some(c.u32_or_u64(version, "baseMediaDecodeTime")?)
            }
            None => None,
        };
        let carried = next_decode_times
            .iter()
            .find(|(id, _)| *id == track_id)
            .map(|(_, t)| *t);
        let mut decode_time = tfdt.or(carried).unwrap_or(0);

        let mut samples: Vec<PendingSample> = Vec::new();
        let mut run_lengths = Vec::new();
        let mut data_end = base_data_offset;
        for (run_index, trun) in self.traf.children_of(b"trun").enumerate() {
            let p = self.sub_path(trun, Some(run_index));
            let mut c = payload(trun, self.bytes, self.base, &p);
            let (version, flags) = c.full_box()?;
            let count = c.u32("sample_count")?;
            let mut at = if flags & DATA_OFFSET_PRESENT != 0 {
                let field_at = c.offset();
                let relative = c.i32("data_offset")?;
                base_data_offset
                    .checked_add_signed(i64::from(relative))
                    .ok_or_else(|| {
                        c.error_at(
                            field_at,
                            format!("data offset {relative} points before the start of the stream"),
                        )
                    })?
            } else {
                data_end
            };
            let first_flags = if flags & FIRST_SAMPLE_FLAGS_PRESENT != 0 {
                Some(c.u32("first_sample_flags")?)
            } else {
                None
            };
            let record = 4 * [
                DURATION_PRESENT,
                SIZE_PRESENT,
                FLAGS_PRESENT,
                COMPOSITION_OFFSET_PRESENT,
            ]
            .iter()
            .filter(|&&bit| flags & bit != 0)
            .count();
            if count as usize > self.limits.max_samples.saturating_sub(samples.len()) {
                return Err(c.error_kind(
                    ErrorKind::TooLarge,
                    format!(
                        "{count} samples take the track fragment over the limit of {}",
                        self.limits.max_samples
                    ),
                ));
            }
            let count = if record > 0 {
                c.check_count(u64::from(count), record, "trun samples")?
            } else {
                count as usize
            };
            samples.reserve_exact(count);
            for sample_index in 0..count {
                let duration = match flags & DURATION_PRESENT {
                    0 => default_duration
                        .ok_or_else(|| c.error("no sample duration in trun, tfhd or trex"))?,
                    _ => c.u32("sample_duration")?,
                };
                let size = match flags & SIZE_PRESENT {
                    0 => default_size
                        .ok_or_else(|| c.error("no sample size in trun, tfhd or trex"))?,
                    _ => c.u32("sample_size")?,
                };
                let sample_flags = match flags & FLAGS_PRESENT {
                    0 => first_flags
                        .filter(|_| sample_index == 0)
                        .or(default_flags)
                        .unwrap_or(0),
                    _ => c.u32("sample_flags")?,
                };
                let composition_offset = match flags & COMPOSITION_OFFSET_PRESENT {
                    0 => 0,
                    _ if version == 0 => i64::from(c.u32("sample_composition_time_offset")?),
                    _ => i64::from(c.i32("sample_composition_time_offset")?),
                };
                samples.push(PendingSample {
                    layout: SampleLayout {
                        track_id,
                        offset: at,
                        size,
                        duration,
                        decode_time,
                        composition_offset,
                        is_sync: sample_flags & NON_SYNC == 0,
                        description_index,
                    },
                    crypto: PendingCrypto::Clear,
                });
                at = at
                    .checked_add(u64::from(size))
                    .ok_or_else(|| c.error("sample offsets overflow"))?;
                decode_time = decode_time.saturating_add(u64::from(duration));
            }
            data_end = at;
            run_lengths.push(count);
        }
        match next_decode_times.iter_mut().find(|(id, _)| *id == track_id) {
            Some(entry) => entry.1 = decode_time,
            None => next_decode_times.push((track_id, decode_time)),
        }

        // saio offsets share the data offsets' base: the explicit base or the moof.
        let aux_base = explicit_base.unwrap_or(self.moof_offset);
        self.plan(track, &mut samples, &run_lengths, aux_base)?;
        let summary = TrackFragment {
            track_id,
            base_data_offset,
            default_base_is_moof,
            base_media_decode_time: tfdt,
            sample_description_index: description_index,
            sample_count: samples.len(),
        };
        Ok((summary, samples, data_end))
    }

    /// Reads the sample groups and the `senc` or `saiz`/`saio`, then each sample's encryption.
    fn plan(
        &self,
        track: &crate::init::Track,
        samples: &mut [PendingSample],
        run_lengths: &[usize],
        aux_base: u64,
    ) -> Result<()> {
        let mut local_groups = Vec::new();
        for (index, sgpd) in self.traf.children_of(b"sgpd").enumerate() {
            let p = self.sub_path(sgpd, Some(index));
            if let Some(groups) =
                read_seig_descriptions(&mut payload(sgpd, self.bytes, self.base, &p))?
            {
                local_groups = groups;
            }
        }
        let mut group_indexes = None;
        for sbgp in self.traf.children_of(b"sbgp") {
            let p = self.sub_path(sbgp, None);
            if let Some(indexes) =
                read_seig_mapping(&mut payload(sbgp, self.bytes, self.base, &p), samples.len())?
            {
                group_indexes = Some(indexes);
            }
        }
        let senc = find_senc(self.traf);
        let senc_path = senc
            .map(|(node, _)| self.sub_path(node, None))
            .unwrap_or_default();
        let aux = aux_source(
            self.traf,
            senc,
            &senc_path,
            self.bytes,
            self.base,
            self.path,
            track.scheme_type(),
            aux_base,
            run_lengths,
        )?;
        let ctx = CryptoContext {
            track,
            local_groups: &local_groups,
            group_indexes,
            in_fragment: true,
            path: self.path,
            offset: self.traf.offset,
        };
        plan_crypto(samples, ctx, aux)
    }
}
