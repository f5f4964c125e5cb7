//! The sample model and the per-sample encryption plan shared by fragments and progressive
//! files: which key parameters apply to each sample, and where its IV and subsamples come from.

use crate::boxes::{BoxNode, FourCc, PIFF_SENC_UUID, slice_at};
use crate::crypto::{
    AuxEntry, ProtectionParams, SampleCrypto, SampleEncryption, SencHeader, check_subsamples,
    is_cenc_aux, locate_aux, read_aux_entry, read_saio, read_saiz, read_senc_header,
};
use crate::error::{ErrorKind, MediaError, Result};
use crate::init::{Track, payload};
use crate::reader::Cursor;

/// One media sample (an access unit), resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The track it belongs to.
    pub track_id: u32,
    /// The absolute offset of its bytes in the file or stream.
    pub offset: u64,
    /// Its size in bytes.
    pub size: u32,
    /// Its duration in the track's timescale.
    pub duration: u32,
    /// Its decode time in the track's timescale.
    pub decode_time: u64,
    /// Composition time minus decode time, in the track's timescale.
    pub composition_offset: i64,
    /// Whether it is a sync sample (a random access point).
    pub is_sync: bool,
    /// The 1-based index of its sample entry in the track's `stsd`.
    pub description_index: u32,
    /// How it is encrypted; `None` for a clear sample.
    pub encryption: Option<SampleCrypto>,
    /// Its bytes, still encrypted if it is protected.
    pub data: Vec<u8>,
}

impl Sample {
    /// The encryption record in the decryptor's terms: `Ok(None)` for a clear sample, an
    /// [`ErrorKind::Unsupported`] error naming the scheme if the decryptor does not know it.
    pub fn sample_encryption(&self) -> Result<Option<SampleEncryption<'_>>> {
        let Some(crypto) = &self.encryption else {
            return Ok(None);
        };
        crypto
            .as_sample_encryption()
            .map(Some)
            .map_err(|unsupported| {
                MediaError::new(
                    ErrorKind::Unsupported,
                    "mdat",
                    self.offset,
                    unsupported.to_string(),
                )
            })
    }

    /// The composition (presentation) time in the track's timescale.
    pub fn composition_time(&self) -> i128 {
        i128::from(self.decode_time) + i128::from(self.composition_offset)
    }
}

/// Where and when a sample is, before its data and encryption are read; kept small because
/// untrusted counts of samples described only by defaults are held in this form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SampleLayout {
    pub(crate) track_id: u32,
    pub(crate) offset: u64,
    pub(crate) size: u32,
    pub(crate) duration: u32,
    pub(crate) decode_time: u64,
    pub(crate) composition_offset: i64,
    pub(crate) is_sync: bool,
    pub(crate) description_index: u32,
}

/// A sample whose encryption may still need bytes that are not read yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingSample {
    pub(crate) layout: SampleLayout,
    pub(crate) crypto: PendingCrypto,
}

/// A sample's encryption before its data is at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PendingCrypto {
    Clear,
    Ready(Box<SampleCrypto>),
    /// The IV and subsamples live in auxiliary information at `offset` (`saiz`/`saio`), which
    /// may be inside the `mdat`.
    Deferred(Box<DeferredCrypto>),
}

/// Auxiliary information to read once the bytes at `offset` are at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeferredCrypto {
    path: String,
    offset: u64,
    size: u8,
    iv_size: u8,
    template: SampleCrypto,
}

/// Byte regions available for resolving samples: `(absolute offset, bytes)`.
pub(crate) struct Regions<'a>(pub(crate) Vec<(u64, &'a [u8])>);

impl<'a> Regions<'a> {
    fn get(&self, offset: u64, len: u64) -> Option<&'a [u8]> {
        self.0
            .iter()
            .find_map(|&(start, bytes)| slice_at(bytes, start, offset, len))
    }
}

/// Turns pending samples into samples with their data and complete encryption records.
pub(crate) fn resolve(
    pending: Vec<PendingSample>,
    regions: &Regions<'_>,
    path: &str,
) -> Result<Vec<Sample>> {
    let mut samples = Vec::with_capacity(pending.len());
    for (index, PendingSample { layout, crypto }) in pending.into_iter().enumerate() {
        let encryption = match crypto {
            PendingCrypto::Clear => None,
            PendingCrypto::Ready(crypto) => Some(*crypto),
            PendingCrypto::Deferred(deferred) => {
                let DeferredCrypto {
                    path,
                    offset,
                    size,
                    iv_size,
                    mut template,
                } = *deferred;
                let bytes = regions.get(offset, u64::from(size)).ok_or_else(|| {
                    MediaError::malformed(
                        &path,
                        offset,
                        format!("auxiliary information of sample {index} ({size} bytes) is not in the moov, moof or mdat"),
                    )
                })?;
                let mut c = Cursor::new(bytes, offset, &path);
                let AuxEntry { iv, subsamples } = read_aux_entry(&mut c, iv_size, size > iv_size)?;
                if c.remaining() != 0 {
                    return Err(c.error(format!(
                        "{} bytes left over in sample {index}'s auxiliary information",
                        c.remaining()
                    )));
                }
                check_subsamples(&subsamples, layout.size, &path, offset)?;
                if iv_size > 0 {
                    template.iv = iv;
                }
                template.subsamples = subsamples;
                Some(template)
            }
        };
        let SampleLayout {
            track_id,
            offset,
            size,
            duration,
            decode_time,
            composition_offset,
            is_sync,
            description_index,
        } = layout;
        let data = regions
            .get(offset, u64::from(size))
            .ok_or_else(|| {
                MediaError::malformed(
                    path,
                    offset,
                    format!("sample {index} of track {track_id} ({size} bytes at {offset}) is outside the mdat"),
                )
            })?
            .to_vec();
        samples.push(Sample {
            track_id,
            offset,
            size,
            duration,
            decode_time,
            composition_offset,
            is_sync,
            description_index,
            encryption,
            data,
        });
    }
    Ok(samples)
}
/// Where a run of samples keeps its IVs and subsamples.
pub(crate) enum AuxSource<'a> {
    /// No auxiliary information: only constant IVs can work.
    None,
    /// A `senc` box: its sample entries, read in order.
    Senc {
        header: SencHeader,
        entries: Cursor<'a>,
    },
    /// `saiz`/`saio`: per sample, its size and absolute offset.
    Located {
        path: String,
        sizes: Vec<u8>,
        offsets: Vec<u64>,
    },
}

/// The `senc` box of a `traf` or `stbl`, or PIFF's `uuid` form of it (`true`).
pub(crate) fn find_senc(container: &BoxNode) -> Option<(&BoxNode, bool)> {
    container
        .child(b"senc")
        .map(|node| (node, false))
        .or_else(|| {
            container
                .children_of(b"uuid")
                .find(|n| n.user_type == Some(PIFF_SENC_UUID))
                .map(|node| (node, true))
        })
}

/// Where the IVs and subsamples of a `traf`'s or `stbl`'s samples are: its `senc` (found by
/// [`find_senc`]; `senc_path` names it), else its `saiz` + `saio` when they describe Common
/// Encryption data (`saio` offsets counting from `aux_base`, one per run of `run_lengths`
/// samples), else nowhere.
#[allow(clippy::too_many_arguments)]
pub(crate) fn aux_source<'a>(
    container: &BoxNode,
    senc: Option<(&BoxNode, bool)>,
    senc_path: &'a str,
    bytes: &'a [u8],
    base: u64,
    path: &str,
    scheme_type: Option<FourCc>,
    aux_base: u64,
    run_lengths: &[usize],
) -> Result<AuxSource<'a>> {
    if let Some((node, piff)) = senc {
        let mut entries = payload(node, bytes, base, senc_path);
        let header = read_senc_header(&mut entries, piff)?;
        return Ok(AuxSource::Senc { header, entries });
    }
    let (Some(saiz), Some(saio)) = (container.child(b"saiz"), container.child(b"saio")) else {
        return Ok(AuxSource::None);
    };
    let saiz_path = format!("{path}/saiz");
    let saio_path = format!("{path}/saio");
    let sizes = read_saiz(&mut payload(saiz, bytes, base, &saiz_path))?;
    let offsets = read_saio(&mut payload(saio, bytes, base, &saio_path))?;
    if !is_cenc_aux(sizes.aux_info_type, scheme_type)
        || !is_cenc_aux(offsets.aux_info_type, scheme_type)
    {
        return Ok(AuxSource::None);
    }
    let (sizes, offsets) = locate_aux(
        &sizes,
        &offsets,
        aux_base,
        run_lengths,
        &saiz_path,
        saiz.offset,
    )?;
    Ok(AuxSource::Located {
        path: saiz_path,
        sizes,
        offsets,
    })
}

/// The inputs that decide each sample's key parameters.
pub(crate) struct CryptoContext<'a> {
    /// The track, for its sample entries and its `stbl`-level `seig` groups.
    pub(crate) track: &'a Track,
    /// `seig` groups local to a track fragment (indexes above 0x10000 in a `traf`).
    pub(crate) local_groups: &'a [ProtectionParams],
    /// The `seig` group index of each sample (0 = none), if there is an `sbgp`.
    pub(crate) group_indexes: Option<Vec<u32>>,
    /// Whether group indexes above 0x10000 refer to `local_groups`.
    pub(crate) in_fragment: bool,
    /// The path of the box that holds the samples (for errors).
    pub(crate) path: &'a str,
    /// The offset reported for errors about the samples as a whole.
    pub(crate) offset: u64,
}

/// Decides every sample's encryption: key parameters from the sample group or `tenc`, IVs and
/// subsamples from the `senc` (read now, with each sample's IV size) or `saiz`/`saio`.
pub(crate) fn plan_crypto(
    samples: &mut [PendingSample],
    ctx: CryptoContext<'_>,
    mut aux: AuxSource<'_>,
) -> Result<()> {
    if let AuxSource::Senc { header, entries } = &aux
        && header.sample_count as usize != samples.len()
    {
        return Err(entries.error(format!(
            "senc has {} samples but there are {}",
            header.sample_count,
            samples.len()
        )));
    }
    for (index, pending) in samples.iter_mut().enumerate() {
        let key = key_for(&ctx, index, &pending.layout)?;
        let iv_size = match (&aux, key) {
            (
                AuxSource::Senc {
                    header:
                        SencHeader {
                            iv_size_override: Some(size),
                            ..
                        },
                    ..
                },
                Some((_, p)),
            ) if p.is_protected => *size,
            (_, Some((_, params))) => params.per_sample_iv_size,
            (_, None) => 0,
        };
        let aux_entry = match &mut aux {
            AuxSource::None => None,
            AuxSource::Senc { header, entries } => {
                let at = entries.offset();
                let entry = read_aux_entry(entries, iv_size, header.with_subsamples)?;
                check_subsamples(&entry.subsamples, pending.layout.size, entries.path(), at)?;
                Some(Ok(entry))
            }
            AuxSource::Located {
                path,
                sizes,
                offsets,
            } => {
                let size = sizes.get(index).copied().unwrap_or(0);
                match offsets.get(index) {
                    Some(&offset) if size > 0 => Some(Err((path.clone(), offset, size))),
                    _ => None,
                }
            }
        };
        pending.crypto = match key {
            Some((scheme_type, params)) if params.is_protected => {
                let mut template = SampleCrypto {
                    scheme_type,
                    key_id: params.key_id,
                    iv: Vec::new(),
                    pattern: params.pattern_for(scheme_type),
                    subsamples: Vec::new(),
                };
                match (aux_entry, &params.constant_iv) {
                    (Some(Ok(entry)), constant) => {
                        template.iv = constant.clone().unwrap_or(entry.iv);
                        template.subsamples = entry.subsamples;
                        PendingCrypto::Ready(Box::new(template))
                    }
                    (Some(Err((path, offset, size))), _) => {
                        if let Some(constant) = &params.constant_iv {
                            template.iv = constant.clone();
                        }
                        PendingCrypto::Deferred(Box::new(DeferredCrypto {
                            path,
                            offset,
                            size,
                            iv_size,
                            template,
                        }))
                    }
                    (_, Some(constant)) => {
                        template.iv = constant.clone();
                        PendingCrypto::Ready(Box::new(template))
                    }
                    (_, None) => {
                        return Err(MediaError::malformed(
                            ctx.path,
                            ctx.offset,
                            format!(
                                "sample {index} is protected with {iv_size}-byte per-sample IVs but has no senc or saiz/saio entry"
                            ),
                        ));
                    }
                }
            }
            _ => PendingCrypto::Clear,
        };
    }
    Ok(())
}

/// The scheme and key parameters of one sample, or `None` if its sample entry is clear.
fn key_for<'c>(
    ctx: &'c CryptoContext<'_>,
    index: usize,
    sample: &SampleLayout,
) -> Result<Option<(FourCc, &'c ProtectionParams)>> {
    let entries = &ctx.track.sample_entries;
    let entry = usize::try_from(sample.description_index)
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| entries.get(i))
        .ok_or_else(|| {
            MediaError::malformed(
                ctx.path,
                ctx.offset,
                format!(
                    "sample {index}: sample description index {} does not name one of the track's {} sample entries",
                    sample.description_index,
                    entries.len()
                ),
            )
        })?;
    let Some(protection) = &entry.protection else {
        return Ok(None);
    };
    let group = ctx
        .group_indexes
        .as_ref()
        .and_then(|g| g.get(index).copied())
        .unwrap_or(0);
    let params = if group == 0 {
        protection
            .track_encryption
            .as_ref()
            .map(|t| &t.defaults)
            .ok_or_else(|| {
                MediaError::new(
                    ErrorKind::Malformed,
                    ctx.path,
                    ctx.offset,
                    format!(
                        "sample {index}: sample entry '{}' is protected but has no tenc",
                        entry.format
                    ),
                )
            })?
    } else {
        let (groups, local_index) = if ctx.in_fragment && group > 0x10000 {
            (ctx.local_groups, group - 0x10001)
        } else {
            (&ctx.track.seig_groups[..], group - 1)
        };
        groups.get(local_index as usize).ok_or_else(|| {
            MediaError::malformed(
                ctx.path,
                ctx.offset,
                format!("sample {index}: seig group description index {group} names no sgpd entry"),
            )
        })?
    };
    Ok(Some((protection.scheme_type, params)))
}
