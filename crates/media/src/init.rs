//! The initialization segment (`ftyp` + `moov`): tracks, sample entries and their protection
//! (`sinf`/`frma`/`schm`/`tenc`), `pssh` boxes and `mvex`/`trex` defaults.

use crate::boxes::{BoxNode, FourCc, child_path};
use crate::crypto::{ProtectionParams, read_protection_params, read_seig_descriptions};
use crate::error::{MediaError, Result};
use crate::limits::Limits;
use crate::progressive::read_sample_table;
use crate::reader::Cursor;
use crate::sample::PendingSample;
use crate::time::MediaTime;

/// The `ftyp` (or `styp`) box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileType {
    /// The major brand.
    pub major_brand: FourCc,
    /// The minor version.
    pub minor_version: u32,
    /// The compatible brands.
    pub compatible_brands: Vec<FourCc>,
}

/// A `pssh` box: protection system specific header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pssh {
    /// The box version (0, or 1 with key ids).
    pub version: u8,
    /// The DRM system id (`1077efec-c0b2-4d02-ace3-3c1e52e2fb4b` for W3C Common).
    pub system_id: [u8; 16],
    /// The key ids of a version-1 box.
    pub key_ids: Vec<[u8; 16]>,
    /// The system-specific data.
    pub data: Vec<u8>,
    /// The whole box as stored, header included: `encrypted` events concatenate these.
    pub raw: Vec<u8>,
    /// The box's absolute offset.
    pub offset: u64,
}

/// A `trex` box: a track's defaults for its fragments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackExtends {
    /// The track.
    pub track_id: u32,
    /// Default 1-based sample description index.
    pub default_sample_description_index: u32,
    /// Default sample duration.
    pub default_sample_duration: u32,
    /// Default sample size.
    pub default_sample_size: u32,
    /// Default sample flags.
    pub default_sample_flags: u32,
}

/// A track's `tenc` box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackEncryption {
    /// The box version (1 carries a pattern).
    pub version: u8,
    /// The default key parameters.
    pub defaults: ProtectionParams,
}

/// A sample entry's protection (`sinf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionScheme {
    /// The scheme type from `schm` (`cenc`, `cbcs`, `cens`, `cbc1`, ...).
    pub scheme_type: FourCc,
    /// The scheme version from `schm`.
    pub scheme_version: u32,
    /// The `schi/tenc` box, if present.
    pub track_encryption: Option<TrackEncryption>,
}

/// One entry of a track's `stsd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleEntry {
    /// The entry's box type (`encv`, `enca`, `avc1`, `mp4a`, ...).
    pub format: FourCc,
    /// The original format from `sinf/frma` (`avc1` under `encv`, for example).
    pub original_format: Option<FourCc>,
    /// The protection, for an entry with `sinf` and `schm`.
    pub protection: Option<ProtectionScheme>,
    /// The entry's box.
    pub node: BoxNode,
}

impl SampleEntry {
    /// The codec format: the original format of a protected entry, else the entry's type.
    pub fn codec_format(&self) -> FourCc {
        self.original_format.unwrap_or(self.format)
    }
}

/// One `trak`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// `tkhd` track id.
    pub track_id: u32,
    /// `hdlr` handler type (`vide`, `soun`, ...).
    pub handler: FourCc,
    /// `mdhd` timescale (units per second).
    pub timescale: u32,
    /// `mdhd` duration in the timescale.
    pub duration: u64,
    /// `tkhd` width in pixels (integer part).
    pub width: u32,
    /// `tkhd` height in pixels (integer part).
    pub height: u32,
    /// The `stsd` entries.
    pub sample_entries: Vec<SampleEntry>,
    /// `seig` sample group descriptions in `stbl` (for progressive samples, and for fragment
    /// `sbgp` indexes up to 0x10000).
    pub seig_groups: Vec<ProtectionParams>,
    /// The `mvex/trex` defaults for this track.
    pub extends: Option<TrackExtends>,
    /// How many samples the progressive sample table (`stbl`) lists.
    pub progressive_sample_count: usize,
    /// What the edit list (`edts/elst`) adds to the media timeline's times to place them on
    /// the presentation timeline: the duration of leading empty edits minus the `media_time`
    /// of the first edit that plays media. Packagers write it to start video with B-frames
    /// at 0 (a first edit at the first frame's composition offset); zero without an edit list.
    pub presentation_offset: MediaTime,
}

impl Track {
    /// The protection scheme type of its first protected sample entry.
    pub fn scheme_type(&self) -> Option<FourCc> {
        self.sample_entries
            .iter()
            .find_map(|e| e.protection.as_ref())
            .map(|p| p.scheme_type)
    }

    /// Whether any sample entry is protected.
    pub fn is_protected(&self) -> bool {
        self.sample_entries.iter().any(|e| e.protection.is_some())
    }
}

/// The parsed `moov` (with the `ftyp` seen before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitSegment {
    /// The `ftyp`, if one came before the `moov`.
    pub file_type: Option<FileType>,
    /// `mvhd` timescale.
    pub timescale: u32,
    /// `mvhd` duration.
    pub duration: u64,
    /// The tracks in file order.
    pub tracks: Vec<Track>,
    /// Every `pssh` in the `moov` (at any depth), in file order.
    pub pssh: Vec<Pssh>,
    /// Whether the movie has `mvex` (fragments follow).
    pub fragmented: bool,
    /// The `moov` box tree.
    pub moov: BoxNode,
    /// The `moov` bytes, header included (a writer rebuilds from these and the tree).
    pub moov_bytes: Vec<u8>,
    /// The samples of the progressive sample tables, in track order.
    pub(crate) progressive: Vec<PendingSample>,
}

impl InitSegment {
    /// The init data for an `encrypted` event (type "cenc"): all `pssh` boxes concatenated.
    pub fn init_data(&self) -> Vec<u8> {
        self.pssh
            .iter()
            .flat_map(|p| p.raw.iter().copied())
            .collect()
    }

    /// The track with this id.
    pub fn track(&self, track_id: u32) -> Option<&Track> {
        self.tracks.iter().find(|t| t.track_id == track_id)
    }

    /// Whether any track is protected.
    pub fn is_protected(&self) -> bool {
        self.tracks.iter().any(Track::is_protected)
    }
}

/// A cursor over `node`'s payload; `bytes` start at absolute `base`.
pub(crate) fn payload<'a>(node: &BoxNode, bytes: &'a [u8], base: u64, path: &'a str) -> Cursor<'a> {
    Cursor::new(
        node.payload_in(bytes, base).unwrap_or(&[]),
        node.payload_offset(),
        path,
    )
}

/// Reads an `ftyp`/`styp` payload.
pub(crate) fn read_file_type(node: &BoxNode, bytes: &[u8], base: u64) -> Result<FileType> {
    let path = node.box_type.to_string();
    let mut c = payload(node, bytes, base, &path);
    let major_brand = FourCc(c.array("major_brand")?);
    let minor_version = c.u32("minor_version")?;
    let count = c.remaining() / 4;
    let mut compatible_brands = Vec::with_capacity(count);
    for _ in 0..count {
        compatible_brands.push(FourCc(c.array("compatible_brand")?));
    }
    Ok(FileType {
        major_brand,
        minor_version,
        compatible_brands,
    })
}

/// Reads a `pssh` box.
pub(crate) fn read_pssh(node: &BoxNode, bytes: &[u8], base: u64, path: &str) -> Result<Pssh> {
    let mut c = payload(node, bytes, base, path);
    let (version, _) = c.full_box()?;
    let system_id = c.array("SystemID")?;
    let mut key_ids = Vec::new();
    if version > 0 {
        let count = c.u32("KID_count")?;
        let count = c.check_count(u64::from(count), 16, "key ids")?;
        key_ids.reserve(count);
        for _ in 0..count {
            key_ids.push(c.array("KID")?);
        }
    }
    let size = c.u32("DataSize")?;
    let size = c.check_count(u64::from(size), 1, "data bytes")?;
    let data = c.bytes(size, "Data")?.to_vec();
    let raw = node.bytes_in(bytes, base).unwrap_or(&[]).to_vec();
    Ok(Pssh {
        version,
        system_id,
        key_ids,
        data,
        raw,
        offset: node.offset,
    })
}

/// Collects every `pssh` under `node`, depth first in file order.
pub(crate) fn collect_pssh(
    node: &BoxNode,
    bytes: &[u8],
    base: u64,
    path: &str,
    out: &mut Vec<Pssh>,
) -> Result<()> {
    let mut counts: Vec<(FourCc, usize)> = Vec::new();
    for child in &node.children {
        let index = match counts.iter_mut().find(|(t, _)| *t == child.box_type) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                counts.push((child.box_type, 1));
                0
            }
        };
        let child_path = child_path(path, child.box_type, Some(index));
        if child.box_type.0 == *b"pssh" {
            out.push(read_pssh(child, bytes, base, &child_path)?);
        } else {
            collect_pssh(child, bytes, base, &child_path, out)?;
        }
    }
    Ok(())
}

/// Parses a complete `moov` (`node` is its tree, `bytes` its bytes).
pub(crate) fn read_moov(
    node: BoxNode,
    bytes: Vec<u8>,
    file_type: Option<FileType>,
    limits: &Limits,
) -> Result<InitSegment> {
    let base = node.offset;
    let mvhd = node
        .child(b"mvhd")
        .ok_or_else(|| MediaError::malformed("moov", node.offset, "moov has no mvhd"))?;
    let mut c = payload(mvhd, &bytes, base, "moov/mvhd");
    let (version, _) = c.full_box()?;
    c.u32_or_u64(version, "creation_time")?;
    c.u32_or_u64(version, "modification_time")?;
    let timescale = c.u32("timescale")?;
    let duration = c.u32_or_u64(version, "duration")?;

    let mut extends = Vec::new();
    if let Some(mvex) = node.child(b"mvex") {
        for trex in mvex.children_of(b"trex") {
            let mut c = payload(trex, &bytes, base, "moov/mvex/trex");
            c.full_box()?;
            extends.push(TrackExtends {
                track_id: c.u32("track_ID")?,
                default_sample_description_index: c.u32("default_sample_description_index")?,
                default_sample_duration: c.u32("default_sample_duration")?,
                default_sample_size: c.u32("default_sample_size")?,
                default_sample_flags: c.u32("default_sample_flags")?,
            });
        }
    }

    let mut tracks = Vec::new();
    let mut progressive = Vec::new();
    for (index, trak) in node.children_of(b"trak").enumerate() {
        let path = child_path("moov", trak.box_type, Some(index));
        let (mut track, samples) = read_trak(trak, &bytes, base, &path, limits)?;
        track.extends = extends
            .iter()
            .find(|e| e.track_id == track.track_id)
            .copied();
        track.progressive_sample_count = samples.len();
        let elst_path = format!("{path}/edts/elst");
        if let Some(elst) = trak.find("edts/elst") {
            track.presentation_offset = read_elst(
                &mut payload(elst, &bytes, base, &elst_path),
                timescale,
                track.timescale,
            )?;
        }
        progressive.extend(samples);
        tracks.push(track);
    }
    let mut pssh = Vec::new();
    collect_pssh(&node, &bytes, base, "moov", &mut pssh)?;
    Ok(InitSegment {
        file_type,
        timescale,
        duration,
        tracks,
        pssh,
        fragmented: node.child(b"mvex").is_some(),
        moov: node,
        moov_bytes: bytes,
        progressive,
    })
}

/// Finds a required child box or names the missing one.
fn required<'n>(node: &'n BoxNode, box_type: &[u8; 4], path: &str) -> Result<&'n BoxNode> {
    node.child(box_type).ok_or_else(|| {
        MediaError::malformed(path, node.offset, format!("no '{}' box", FourCc(*box_type)))
    })
}

fn read_trak(
    trak: &BoxNode,
    bytes: &[u8],
    base: u64,
    path: &str,
    limits: &Limits,
) -> Result<(Track, Vec<PendingSample>)> {
    let tkhd_path = format!("{path}/tkhd");
    let mut c = payload(required(trak, b"tkhd", path)?, bytes, base, &tkhd_path);
    let (version, _) = c.full_box()?;
    c.u32_or_u64(version, "creation_time")?;
    c.u32_or_u64(version, "modification_time")?;
    let track_id = c.u32("track_ID")?;
    c.skip(4, "reserved")?;
    c.u32_or_u64(version, "duration")?;
    c.skip(8 + 2 + 2 + 2 + 2 + 36, "tkhd fixed fields")?;
    let width = c.u32("width")? >> 16;
    let height = c.u32("height")? >> 16;

    let mdia_path = format!("{path}/mdia");
    let mdia = required(trak, b"mdia", path)?;
    let mdhd_path = format!("{mdia_path}/mdhd");
    let mut c = payload(
        required(mdia, b"mdhd", &mdia_path)?,
        bytes,
        base,
        &mdhd_path,
    );
    let (version, _) = c.full_box()?;
    c.u32_or_u64(version, "creation_time")?;
    c.u32_or_u64(version, "modification_time")?;
    let timescale = c.u32("timescale")?;
    let duration = c.u32_or_u64(version, "duration")?;

    let hdlr_path = format!("{mdia_path}/hdlr");
    let mut c = payload(
        required(mdia, b"hdlr", &mdia_path)?,
        bytes,
        base,
        &hdlr_path,
    );
    c.full_box()?;
    c.skip(4, "pre_defined")?;
    let handler = FourCc(c.array("handler_type")?);

    let mut track = Track {
        track_id,
        handler,
        timescale,
        duration,
        width,
        height,
        sample_entries: Vec::new(),
        seig_groups: Vec::new(),
        extends: None,
        progressive_sample_count: 0,
        presentation_offset: MediaTime::ZERO,
    };
    let stbl_path = format!("{mdia_path}/minf/stbl");
    let Some(stbl) = mdia.find("minf/stbl") else {
        return Ok((track, Vec::new()));
    };
    if let Some(stsd) = stbl.child(b"stsd") {
        let stsd_path = format!("{stbl_path}/stsd");
        for entry in &stsd.children {
            let entry_path = format!("{stsd_path}/{}", entry.box_type);
            track
                .sample_entries
                .push(read_sample_entry(entry, bytes, base, &entry_path)?);
        }
    }
    for (index, sgpd) in stbl.children_of(b"sgpd").enumerate() {
        let sgpd_path = child_path(&stbl_path, sgpd.box_type, Some(index));
        if let Some(groups) = read_seig_descriptions(&mut payload(sgpd, bytes, base, &sgpd_path))? {
            track.seig_groups = groups;
        }
    }
    let samples = read_sample_table(stbl, bytes, base, &stbl_path, &track, limits)?;
    Ok((track, samples))
}

/// The offset an edit list puts between the media and presentation timelines (ISO/IEC
/// 14496-12 8.6.6), as players apply it for the common shapes: leading empty edits
/// (`media_time` −1) delay the presentation by their duration (in the movie's timescale), and
/// the first edit that plays media starts it at its `media_time` (in the track's timescale).
/// Later edits (cuts and repeats inside a track) are not applied: fragmented content and
/// MSE know only this shift.
fn read_elst(c: &mut Cursor<'_>, movie_timescale: u32, track_timescale: u32) -> Result<MediaTime> {
    let (version, _) = c.full_box()?;
    let count = c.u32("entry_count")?;
    let entry_size = if version == 1 { 20 } else { 12 };
    let count = c.check_count(u64::from(count), entry_size, "edit list entries")?;
    let mut delay = MediaTime::ZERO;
    for _ in 0..count {
        let segment_duration = c.u32_or_u64(version, "segment_duration")?;
        let media_time = if version == 1 {
            c.u64("media_time")? as i64
        } else {
            i64::from(c.u32("media_time")? as i32)
        };
        c.skip(4, "media_rate")?;
        if media_time == -1 {
            let duration = i64::try_from(segment_duration).unwrap_or(i64::MAX);
            delay = delay + MediaTime::from_timescale(duration, movie_timescale);
            continue;
        }
        return Ok(delay - MediaTime::from_timescale(media_time, track_timescale));
    }
    Ok(delay)
}

fn read_sample_entry(entry: &BoxNode, bytes: &[u8], base: u64, path: &str) -> Result<SampleEntry> {
    let mut sample_entry = SampleEntry {
        format: entry.box_type,
        original_format: None,
        protection: None,
        node: entry.clone(),
    };
    let Some(sinf) = entry.child(b"sinf") else {
        return Ok(sample_entry);
    };
    let sinf_path = format!("{path}/sinf");
    if let Some(frma) = sinf.child(b"frma") {
        let frma_path = format!("{sinf_path}/frma");
        sample_entry.original_format = Some(FourCc(
            payload(frma, bytes, base, &frma_path).array("data_format")?,
        ));
    }
    let Some(schm) = sinf.child(b"schm") else {
        return Ok(sample_entry);
    };
    let schm_path = format!("{sinf_path}/schm");
    let mut c = payload(schm, bytes, base, &schm_path);
    c.full_box()?;
    let scheme_type = FourCc(c.array("scheme_type")?);
    let scheme_version = c.u32("scheme_version")?;
    let mut track_encryption = None;
    if let Some(tenc) = sinf.find("schi/tenc") {
        let tenc_path = format!("{sinf_path}/schi/tenc");
        let mut c = payload(tenc, bytes, base, &tenc_path);
        let (version, _) = c.full_box()?;
        c.skip(1, "reserved")?;
        let defaults = read_protection_params(&mut c, version > 0)?;
        track_encryption = Some(TrackEncryption { version, defaults });
    }
    sample_entry.protection = Some(ProtectionScheme {
        scheme_type,
        scheme_version,
        track_encryption,
    });
    Ok(sample_entry)
}
