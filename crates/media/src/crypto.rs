//! Common Encryption data: the per-sample encryption record ([`SampleCrypto`]), the key
//! parameters shared by `tenc` and the `seig` sample group ([`ProtectionParams`]), and the
//! readers of `sgpd`/`sbgp`, `senc` and `saiz`/`saio`.

use crate::boxes::FourCc;
use crate::error::{ErrorKind, MediaError, Result};
use crate::reader::Cursor;

/// The decryptor's types, which [`SampleCrypto`] converts to directly.
pub use eme_cdm::decrypt::{Pattern, SampleEncryption, Scheme, Subsample};

/// A sample's protection scheme is not one of `cenc`, `cbcs`, `cens`, `cbc1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Unsupported scheme '{0}'")]
pub struct UnsupportedScheme(pub FourCc);

/// How one protected sample is encrypted: everything a decryptor needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleCrypto {
    /// The protection scheme type from `schm` (`cenc`, `cbcs`, `cens`, `cbc1` or other).
    pub scheme_type: FourCc,
    /// The key id (from the `seig` group or the track's `tenc`).
    pub key_id: [u8; 16],
    /// The IV as stored: 8 or 16 bytes, per sample or the constant IV.
    pub iv: Vec<u8>,
    /// The pattern, for the pattern schemes `cbcs` and `cens` (and any scheme whose version-1
    /// `tenc`/`seig` gives a non-zero pattern).
    pub pattern: Option<Pattern>,
    /// The subsamples; empty means the whole sample is protected.
    pub subsamples: Vec<Subsample>,
}

impl SampleCrypto {
    /// The scheme, if the decryptor knows it.
    pub fn scheme(&self) -> Result<Scheme, UnsupportedScheme> {
        Scheme::from_fourcc(&self.scheme_type.0).ok_or(UnsupportedScheme(self.scheme_type))
    }

    /// The record in the decryptor's terms ([`eme_cdm::decrypt::decrypt_sample`]).
    pub fn as_sample_encryption(&self) -> Result<SampleEncryption<'_>, UnsupportedScheme> {
        Ok(SampleEncryption {
            scheme: self.scheme()?,
            key_id: self.key_id,
            iv: &self.iv,
            pattern: self.pattern,
            subsamples: &self.subsamples,
        })
    }
}

/// Key parameters shared by a track's `tenc` and a `seig` sample group entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionParams {
    /// `crypt_byte_block` (0 in a version-0 `tenc`).
    pub crypt_byte_block: u8,
    /// `skip_byte_block` (0 in a version-0 `tenc`).
    pub skip_byte_block: u8,
    /// `isProtected`: whether samples under these parameters are encrypted.
    pub is_protected: bool,
    /// `Per_Sample_IV_Size`: 0 (constant IV), 8 or 16.
    pub per_sample_iv_size: u8,
    /// The key id.
    pub key_id: [u8; 16],
    /// The constant IV (8 or 16 bytes), present when protected with a per-sample IV size of 0.
    pub constant_iv: Option<Vec<u8>>,
}

impl ProtectionParams {
    /// The pattern to apply under `scheme_type`: always for `cbcs`/`cens`, otherwise only when
    /// a non-zero pattern is given.
    pub fn pattern_for(&self, scheme_type: FourCc) -> Option<Pattern> {
        let pattern = Pattern {
            crypt_byte_block: self.crypt_byte_block,
            skip_byte_block: self.skip_byte_block,
        };
        let pattern_scheme = matches!(&scheme_type.0, b"cbcs" | b"cens");
        (pattern_scheme || self.crypt_byte_block != 0 || self.skip_byte_block != 0)
            .then_some(pattern)
    }
}

/// Reads the fields common to `tenc` (after its first reserved byte) and `seig` (after its
/// reserved byte). `with_pattern` is false for a version-0 `tenc`, whose pattern byte is reserved.
pub(crate) fn read_protection_params(
    c: &mut Cursor<'_>,
    with_pattern: bool,
) -> Result<ProtectionParams> {
    let pattern = c.u8("pattern")?;
    let (crypt_byte_block, skip_byte_block) = if with_pattern {
        (pattern >> 4, pattern & 0x0f)
    } else {
        (0, 0)
    };
    let protected_at = c.offset();
    let is_protected = match c.u8("isProtected")? {
        0 => false,
        1 => true,
        other => {
            return Err(c.error_at(protected_at, format!("isProtected {other} is not 0 or 1")));
        }
    };
    let iv_size_at = c.offset();
    let per_sample_iv_size = c.u8("Per_Sample_IV_Size")?;
    if !matches!(per_sample_iv_size, 0 | 8 | 16) {
        return Err(c.error_at(
            iv_size_at,
            format!("per-sample IV size {per_sample_iv_size} is not 0, 8 or 16"),
        ));
    }
    let key_id = c.array("KID")?;
    let constant_iv = if is_protected && per_sample_iv_size == 0 {
        let size_at = c.offset();
        let size = c.u8("constant_IV_size")?;
        if !matches!(size, 8 | 16) {
            return Err(c.error_at(size_at, format!("constant IV size {size} is not 8 or 16")));
        }
        Some(c.bytes(usize::from(size), "constant_IV")?.to_vec())
    } else {
        None
    };
    Ok(ProtectionParams {
        crypt_byte_block,
        skip_byte_block,
        is_protected,
        per_sample_iv_size,
        key_id,
        constant_iv,
    })
}

/// Reads an `sgpd` payload; returns the `seig` entries, or `None` for other grouping types.
pub(crate) fn read_seig_descriptions(c: &mut Cursor<'_>) -> Result<Option<Vec<ProtectionParams>>> {
    let (version, _) = c.full_box()?;
    let grouping_type = c.array::<4>("grouping_type")?;
    if grouping_type != *b"seig" {
        return Ok(None);
    }
    let default_length = if version >= 1 {
        c.u32("default_length")?
    } else {
        0
    };
    if version >= 2 {
        c.skip(4, "default_sample_description_index")?;
    }
    let count = c.u32("entry_count")?;
    // A seig entry is at least 20 bytes.
    let count = c.check_count(u64::from(count), 20, "seig entries")?;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        let length = if version >= 1 && default_length == 0 {
            Some(c.u32("description_length")?)
        } else if version >= 1 {
            Some(default_length)
        } else {
            None
        };
        let start = c.remaining();
        c.skip(1, "reserved")?;
        entries.push(read_protection_params(c, true)?);
        if let Some(length) = length {
            let used = (start - c.remaining()) as u64;
            let length = u64::from(length);
            if used > length {
                return Err(c.error(format!(
                    "seig entry uses {used} bytes, more than its length {length}"
                )));
            }
            c.skip((length - used) as usize, "seig entry padding")?;
        }
    }
    Ok(Some(entries))
}

/// Reads an `sbgp` payload; for grouping type `seig`, returns the group description index of
/// each of the first `sample_count` samples (0 = no group).
pub(crate) fn read_seig_mapping(
    c: &mut Cursor<'_>,
    sample_count: usize,
) -> Result<Option<Vec<u32>>> {
    let (version, _) = c.full_box()?;
    let grouping_type = c.array::<4>("grouping_type")?;
    if grouping_type != *b"seig" {
        return Ok(None);
    }
    if version == 1 {
        c.skip(4, "grouping_type_parameter")?;
    }
    let count = c.u32("entry_count")?;
    let count = c.check_count(u64::from(count), 8, "sbgp entries")?;
    let mut indexes = Vec::with_capacity(sample_count);
    for _ in 0..count {
        let samples = c.u32("sample_count")? as usize;
        let index = c.u32("group_description_index")?;
        let take = samples.min(sample_count - indexes.len());
        indexes.extend(std::iter::repeat_n(index, take));
    }
    indexes.resize(sample_count, 0);
    Ok(Some(indexes))
}

/// The per-sample auxiliary data: an IV and the subsamples.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct AuxEntry {
    pub(crate) iv: Vec<u8>,
    pub(crate) subsamples: Vec<Subsample>,
}

/// Reads one sample's IV (`iv_size` bytes) and, if `with_subsamples`, its subsample table.
pub(crate) fn read_aux_entry(
    c: &mut Cursor<'_>,
    iv_size: u8,
    with_subsamples: bool,
) -> Result<AuxEntry> {
    let iv = c.bytes(usize::from(iv_size), "IV")?.to_vec();
    let mut subsamples = Vec::new();
    if with_subsamples {
        let count = c.u16("subsample_count")?;
        let count = c.check_count(u64::from(count), 6, "subsamples")?;
        subsamples.reserve(count);
        for _ in 0..count {
            let clear_bytes = u32::from(c.u16("BytesOfClearData")?);
            let protected_bytes = c.u32("BytesOfProtectedData")?;
            subsamples.push(Subsample {
                clear_bytes,
                protected_bytes,
            });
        }
    }
    Ok(AuxEntry { iv, subsamples })
}

/// The layout of a `senc` (or PIFF `uuid`) box: where its sample entries start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SencHeader {
    pub(crate) with_subsamples: bool,
    pub(crate) sample_count: u32,
    /// A PIFF override of the per-sample IV size.
    pub(crate) iv_size_override: Option<u8>,
}

/// Reads the header of a `senc` payload (or a PIFF sample-encryption `uuid` payload).
pub(crate) fn read_senc_header(c: &mut Cursor<'_>, piff: bool) -> Result<SencHeader> {
    let (_, flags) = c.full_box()?;
    let mut iv_size_override = None;
    if piff && flags & 1 != 0 {
        c.skip(3, "AlgorithmID")?;
        iv_size_override = Some(c.u8("IV_size")?);
        c.skip(16, "KID")?;
    }
    let sample_count = c.u32("sample_count")?;
    Ok(SencHeader {
        with_subsamples: flags & 2 != 0,
        sample_count,
        iv_size_override,
    })
}

/// A `saiz` box: the size of each sample's auxiliary information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuxSizes {
    pub(crate) aux_info_type: Option<FourCc>,
    pub(crate) default_size: u8,
    pub(crate) sizes: Vec<u8>,
    pub(crate) sample_count: u32,
}

impl AuxSizes {
    pub(crate) fn size_of(&self, sample: usize) -> u8 {
        if self.default_size != 0 {
            self.default_size
        } else {
            self.sizes.get(sample).copied().unwrap_or(0)
        }
    }
}

/// The `aux_info_type` that `saiz` and `saio` carry when their flag 1 is set.
fn read_aux_info_type(c: &mut Cursor<'_>, flags: u32) -> Result<Option<FourCc>> {
    if flags & 1 == 0 {
        return Ok(None);
    }
    let code = FourCc(c.array("aux_info_type")?);
    c.skip(4, "aux_info_type_parameter")?;
    Ok(Some(code))
}

/// Reads a `saiz` payload.
pub(crate) fn read_saiz(c: &mut Cursor<'_>) -> Result<AuxSizes> {
    let (_, flags) = c.full_box()?;
    let aux_info_type = read_aux_info_type(c, flags)?;
    let default_size = c.u8("default_sample_info_size")?;
    let sample_count = c.u32("sample_count")?;
    let sizes = if default_size == 0 {
        let count = c.check_count(u64::from(sample_count), 1, "sample info sizes")?;
        c.bytes(count, "sample_info_size")?.to_vec()
    } else {
        Vec::new()
    };
    Ok(AuxSizes {
        aux_info_type,
        default_size,
        sizes,
        sample_count,
    })
}

/// A `saio` box: where the auxiliary information lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuxOffsets {
    pub(crate) aux_info_type: Option<FourCc>,
    pub(crate) offsets: Vec<u64>,
}

/// Reads a `saio` payload.
pub(crate) fn read_saio(c: &mut Cursor<'_>) -> Result<AuxOffsets> {
    let (version, flags) = c.full_box()?;
    let aux_info_type = read_aux_info_type(c, flags)?;
    let count = c.u32("entry_count")?;
    let width = if version == 0 { 4 } else { 8 };
    let count = c.check_count(u64::from(count), width, "offsets")?;
    let mut offsets = Vec::with_capacity(count);
    for _ in 0..count {
        offsets.push(c.u32_or_u64(version, "offset")?);
    }
    Ok(AuxOffsets {
        aux_info_type,
        offsets,
    })
}

/// Whether a `saiz`/`saio` with this aux_info_type carries Common Encryption data for a track
/// protected with `scheme_type` (an absent type means the scheme's own).
pub(crate) fn is_cenc_aux(aux_info_type: Option<FourCc>, scheme_type: Option<FourCc>) -> bool {
    match aux_info_type {
        None => true,
        Some(code) => {
            Some(code) == scheme_type || matches!(&code.0, b"cenc" | b"cbcs" | b"cens" | b"cbc1")
        }
    }
}

/// Checks that a sample's subsamples cover it exactly, as decryptors require.
pub(crate) fn check_subsamples(
    subsamples: &[Subsample],
    sample_size: u32,
    path: &str,
    offset: u64,
) -> Result<()> {
    if subsamples.is_empty() {
        return Ok(());
    }
    let covered: u64 = subsamples
        .iter()
        .map(|s| u64::from(s.clear_bytes) + u64::from(s.protected_bytes))
        .sum();
    if covered != u64::from(sample_size) {
        return Err(MediaError::new(
            ErrorKind::Malformed,
            path,
            offset,
            format!("subsamples cover {covered} bytes but the sample is {sample_size} bytes"),
        ));
    }
    Ok(())
}

/// Places each sample's auxiliary information from `saiz` sizes and `saio` offsets: one offset
/// for all samples, or one per group (chunk or `trun`) of `group_lengths` samples. Offsets are
/// relative to `base`. Returns each sample's size and absolute offset.
pub(crate) fn locate_aux(
    sizes: &AuxSizes,
    offsets: &AuxOffsets,
    base: u64,
    group_lengths: &[usize],
    path: &str,
    offset: u64,
) -> Result<(Vec<u8>, Vec<u64>)> {
    let sample_count: usize = group_lengths.iter().sum();
    if sizes.sample_count as usize != sample_count {
        return Err(MediaError::malformed(
            path,
            offset,
            format!(
                "saiz describes {} samples but there are {sample_count}",
                sizes.sample_count
            ),
        ));
    }
    let whole = [sample_count];
    let groups: &[usize] = if offsets.offsets.len() == 1 {
        &whole
    } else if offsets.offsets.len() == group_lengths.len() {
        group_lengths
    } else {
        return Err(MediaError::malformed(
            path,
            offset,
            format!(
                "saio has {} offsets; expected 1 or one per chunk or run ({})",
                offsets.offsets.len(),
                group_lengths.len()
            ),
        ));
    };
    let mut sample_sizes = Vec::with_capacity(sample_count);
    let mut starts = Vec::with_capacity(sample_count);
    for (&length, &relative) in groups.iter().zip(&offsets.offsets) {
        let mut at = base.checked_add(relative);
        for _ in 0..length {
            let size = sizes.size_of(sample_sizes.len());
            let here = at.ok_or_else(|| {
                MediaError::malformed(path, offset, "auxiliary information offset overflows")
            })?;
            sample_sizes.push(size);
            starts.push(here);
            at = here.checked_add(u64::from(size));
        }
    }
    Ok((sample_sizes, starts))
}
