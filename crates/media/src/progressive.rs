//! Progressive (non-fragmented) files: the `stbl` sample tables (`stsz`/`stz2`, `stco`/`co64`,
//! `stsc`, `stts`, `ctts`, `stss`) and their encryption (`senc` or `saiz`/`saio`, `sbgp`/`sgpd`).

use crate::boxes::{BoxNode, child_path};
use crate::crypto::read_seig_mapping;
use crate::error::{ErrorKind, MediaError, Result};
use crate::init::{Track, payload};
use crate::limits::Limits;
use crate::reader::Cursor;
use crate::sample::{
    CryptoContext, PendingCrypto, PendingSample, SampleLayout, aux_source, find_senc, plan_crypto,
};

/// Reads the sample tables of one track's `stbl` into samples (without data yet).
pub(crate) fn read_sample_table(
    stbl: &BoxNode,
    bytes: &[u8],
    base: u64,
    path: &str,
    track: &Track,
    limits: &Limits,
) -> Result<Vec<PendingSample>> {
    let box_path = |node: &BoxNode| child_path(path, node.box_type, None);
    let Some(sizes) = read_sizes(stbl, bytes, base, path, limits)? else {
        return Ok(Vec::new());
    };
    let count = sizes.len();
    if count == 0 {
        return Ok(Vec::new());
    }

    let chunk_offsets = match (stbl.child(b"stco"), stbl.child(b"co64")) {
        (Some(node), _) | (None, Some(node)) => {
            let p = box_path(node);
            let mut c = payload(node, bytes, base, &p);
            c.full_box()?;
            let wide = node.box_type.0 == *b"co64";
            let entries = c.u32("entry_count")?;
            let entries = c.check_count(
                u64::from(entries),
                if wide { 8 } else { 4 },
                "chunk offsets",
            )?;
            let mut offsets = Vec::with_capacity(entries);
            for _ in 0..entries {
                offsets.push(if wide {
                    c.u64("chunk_offset")?
                } else {
                    u64::from(c.u32("chunk_offset")?)
                });
            }
            offsets
        }
        (None, None) => {
            return Err(MediaError::malformed(
                path,
                stbl.offset,
                "samples but no stco or co64",
            ));
        }
    };

    // stsc: (first_chunk, samples_per_chunk, sample_description_index), in chunk order.
    let stsc = stbl
        .child(b"stsc")
        .ok_or_else(|| MediaError::malformed(path, stbl.offset, "samples but no stsc"))?;
    let stsc_path = box_path(stsc);
    let mut c = payload(stsc, bytes, base, &stsc_path);
    c.full_box()?;
    let entries = c.u32("entry_count")?;
    let entries = c.check_count(u64::from(entries), 12, "stsc entries")?;
    let mut runs = Vec::with_capacity(entries);
    for _ in 0..entries {
        let at = c.offset();
        let run = (
            c.u32("first_chunk")?,
            c.u32("samples_per_chunk")?,
            c.u32("sample_description_index")?,
        );
        if run.0 == 0
            || runs
                .last()
                .is_some_and(|last: &(u32, u32, u32)| last.0 >= run.0)
        {
            return Err(c.error_at(
                at,
                format!("first_chunk {} is not above the previous entry's", run.0),
            ));
        }
        runs.push(run);
    }

    let mut samples = Vec::with_capacity(count);
    let mut chunk_lengths = Vec::new();
    for (chunk_index, &chunk_offset) in chunk_offsets.iter().enumerate() {
        let chunk_number = chunk_index as u64 + 1;
        let Some(&(_, per_chunk, description_index)) =
            runs.iter().rev().find(|r| u64::from(r.0) <= chunk_number)
        else {
            return Err(MediaError::malformed(
                &stsc_path,
                stsc.offset,
                format!("no entry covers chunk {chunk_number}"),
            ));
        };
        let mut at = chunk_offset;
        let mut in_chunk = 0usize;
        while in_chunk < per_chunk as usize && samples.len() < count {
            let size = sizes[samples.len()];
            samples.push(PendingSample {
                layout: SampleLayout {
                    track_id: track.track_id,
                    offset: at,
                    size,
                    duration: 0,
                    decode_time: 0,
                    composition_offset: 0,
                    is_sync: true,
                    description_index,
                },
                crypto: PendingCrypto::Clear,
            });
            at = at.checked_add(u64::from(size)).ok_or_else(|| {
                MediaError::malformed(path, stbl.offset, "sample offsets overflow")
            })?;
            in_chunk += 1;
        }
        chunk_lengths.push(in_chunk);
    }
    if samples.len() < count {
        return Err(MediaError::malformed(
            &stsc_path,
            stsc.offset,
            format!(
                "stsc and the chunk offsets place {} of the {count} samples",
                samples.len()
            ),
        ));
    }

    read_times(stbl, bytes, base, path, &mut samples)?;
    read_sync(stbl, bytes, base, path, &mut samples)?;
    plan_progressive_crypto(stbl, bytes, base, path, track, &chunk_lengths, &mut samples)?;
    Ok(samples)
}

/// `stsz` or `stz2`: every sample's size, or `None` without either box.
fn read_sizes(
    stbl: &BoxNode,
    bytes: &[u8],
    base: u64,
    path: &str,
    limits: &Limits,
) -> Result<Option<Vec<u32>>> {
    let too_many = |c: &Cursor<'_>, count: u32| {
        c.error_kind(
            ErrorKind::TooLarge,
            format!("{count} samples exceed the limit of {}", limits.max_samples),
        )
    };
    if let Some(stsz) = stbl.child(b"stsz") {
        let p = child_path(path, stsz.box_type, None);
        let mut c = payload(stsz, bytes, base, &p);
        c.full_box()?;
        let constant = c.u32("sample_size")?;
        let count = c.u32("sample_count")?;
        if count as usize > limits.max_samples {
            return Err(too_many(&c, count));
        }
        if constant != 0 {
            return Ok(Some(vec![constant; count as usize]));
        }
        let count = c.check_count(u64::from(count), 4, "sample sizes")?;
        let mut sizes = Vec::with_capacity(count);
        for _ in 0..count {
            sizes.push(c.u32("entry_size")?);
        }
        return Ok(Some(sizes));
    }
    let Some(stz2) = stbl.child(b"stz2") else {
        return Ok(None);
    };
    let p = child_path(path, stz2.box_type, None);
    let mut c = payload(stz2, bytes, base, &p);
    c.full_box()?;
    c.skip(3, "reserved")?;
    let field_at = c.offset();
    let field_size = c.u8("field_size")?;
    let count = c.u32("sample_count")?;
    if count as usize > limits.max_samples {
        return Err(too_many(&c, count));
    }
    let table_bytes = match field_size {
        4 => u64::from(count).div_ceil(2),
        8 => u64::from(count),
        16 => u64::from(count) * 2,
        other => return Err(c.error_at(field_at, format!("field size {other} is not 4, 8 or 16"))),
    };
    let table = c.bytes(
        c.check_count(table_bytes, 1, "size bytes")?,
        "entry_size table",
    )?;
    let sizes = (0..count as usize)
        .map(|i| match field_size {
            4 => u32::from(if i % 2 == 0 {
                table[i / 2] >> 4
            } else {
                table[i / 2] & 0x0f
            }),
            8 => u32::from(table[i]),
            _ => u32::from(u16::from_be_bytes([table[2 * i], table[2 * i + 1]])),
        })
        .collect();
    Ok(Some(sizes))
}

/// `stts` durations and decode times, `ctts` composition offsets.
fn read_times(
    stbl: &BoxNode,
    bytes: &[u8],
    base: u64,
    path: &str,
    samples: &mut [PendingSample],
) -> Result<()> {
    let stts = stbl
        .child(b"stts")
        .ok_or_else(|| MediaError::malformed(path, stbl.offset, "samples but no stts"))?;
    let p = child_path(path, stts.box_type, None);
    let mut c = payload(stts, bytes, base, &p);
    c.full_box()?;
    let entries = c.u32("entry_count")?;
    let entries = c.check_count(u64::from(entries), 8, "stts entries")?;
    let mut next = 0usize;
    let mut decode_time = 0u64;
    for _ in 0..entries {
        let run = c.u32("sample_count")? as usize;
        let delta = c.u32("sample_delta")?;
        for pending in samples.iter_mut().skip(next).take(run) {
            pending.layout.duration = delta;
            pending.layout.decode_time = decode_time;
            decode_time = decode_time.saturating_add(u64::from(delta));
        }
        next = next.saturating_add(run).min(samples.len());
    }
    if next < samples.len() {
        return Err(c.error(format!(
            "stts covers {next} of the {} samples",
            samples.len()
        )));
    }
    if let Some(ctts) = stbl.child(b"ctts") {
        let p = child_path(path, ctts.box_type, None);
        let mut c = payload(ctts, bytes, base, &p);
        let (version, _) = c.full_box()?;
        let entries = c.u32("entry_count")?;
        let entries = c.check_count(u64::from(entries), 8, "ctts entries")?;
        let mut next = 0usize;
        for _ in 0..entries {
            let run = c.u32("sample_count")? as usize;
            let raw = c.u32("sample_offset")?;
            let offset = if version == 0 {
                i64::from(raw)
            } else {
                i64::from(raw as i32)
            };
            for pending in samples.iter_mut().skip(next).take(run) {
                pending.layout.composition_offset = offset;
            }
            next = next.saturating_add(run).min(samples.len());
        }
    }
    Ok(())
}

/// `stss`: without it every sample is a sync sample.
fn read_sync(
    stbl: &BoxNode,
    bytes: &[u8],
    base: u64,
    path: &str,
    samples: &mut [PendingSample],
) -> Result<()> {
    let Some(stss) = stbl.child(b"stss") else {
        return Ok(());
    };
    let p = child_path(path, stss.box_type, None);
    let mut c = payload(stss, bytes, base, &p);
    c.full_box()?;
    let entries = c.u32("entry_count")?;
    let entries = c.check_count(u64::from(entries), 4, "sync samples")?;
    for pending in samples.iter_mut() {
        pending.layout.is_sync = false;
    }
    for _ in 0..entries {
        let at = c.offset();
        let number = c.u32("sample_number")? as usize;
        let pending = number.checked_sub(1).and_then(|i| samples.get_mut(i));
        match pending {
            Some(pending) => pending.layout.is_sync = true,
            None => {
                return Err(c.error_at(at, format!("sync sample number {number} names no sample")));
            }
        }
    }
    Ok(())
}

fn plan_progressive_crypto(
    stbl: &BoxNode,
    bytes: &[u8],
    base: u64,
    path: &str,
    track: &Track,
    chunk_lengths: &[usize],
    samples: &mut [PendingSample],
) -> Result<()> {
    let mut group_indexes = None;
    for sbgp in stbl.children_of(b"sbgp") {
        let p = child_path(path, sbgp.box_type, None);
        if let Some(indexes) =
            read_seig_mapping(&mut payload(sbgp, bytes, base, &p), samples.len())?
        {
            group_indexes = Some(indexes);
        }
    }
    let senc = find_senc(stbl);
    let senc_path = senc
        .map(|(node, _)| child_path(path, node.box_type, None))
        .unwrap_or_default();
    // In a progressive file, saio offsets are absolute file offsets.
    let aux = aux_source(
        stbl,
        senc,
        &senc_path,
        bytes,
        base,
        path,
        track.scheme_type(),
        0,
        chunk_lengths,
    )?;
    let ctx = CryptoContext {
        track,
        local_groups: &[],
        group_indexes,
        in_fragment: false,
        path,
        offset: stbl.offset,
    };
    plan_crypto(samples, ctx, aux)
}
