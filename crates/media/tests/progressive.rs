//! Progressive (non-fragmented) files: sample tables and their encryption.

mod common;

use common::fixtures::KID_C;
use common::*;
use eme_media::{Event, FourCc, StreamParser, Subsample, parse_file};

const SIZES: [u32; 3] = [10, 20, 30];

fn table(box_type: &[u8; 4], version: u8, entries: &[&[u32]]) -> Vec<u8> {
    let mut w = W::new().full(version, 0).u32(entries.len() as u32);
    for entry in entries {
        for &v in *entry {
            w = w.u32(v);
        }
    }
    bx(box_type, &w.done())
}

fn common_tables() -> Vec<Vec<u8>> {
    vec![
        table(b"stts", 0, &[&[3, 100]]),
        table(b"ctts", 1, &[&[1, 0], &[1, 200], &[1, (-100i32) as u32]]),
        table(b"stss", 0, &[&[1], &[3]]),
        table(b"stsc", 0, &[&[1, 2, 1], &[2, 1, 1]]),
    ]
}

fn aux() -> Vec<Aux> {
    vec![
        Aux {
            iv: vec![1; 8],
            subsamples: vec![(2, 8)],
        },
        Aux {
            iv: vec![2; 8],
            subsamples: vec![(20, 0)],
        },
        Aux {
            iv: vec![3; 8],
            subsamples: vec![(6, 24)],
        },
    ]
}

fn entry() -> Vec<u8> {
    visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"cenc",
            Some(tenc(0, (0, 0), 1, 8, KID_A, None)),
        )],
    )
}

/// ftyp, moov (stsz, stco, senc in stbl), mdat with a 5-byte gap between the two chunks.
fn moov_first() -> Vec<u8> {
    let build = |chunk1: u32, chunk2: u32| {
        let mut tables = common_tables();
        tables.push(bx(
            b"stsz",
            &W::new()
                .full(0, 0)
                .u32(0)
                .u32(3)
                .u32(SIZES[0])
                .u32(SIZES[1])
                .u32(SIZES[2])
                .done(),
        ));
        tables.push(table(b"stco", 0, &[&[chunk1], &[chunk2]]));
        tables.push(senc(true, &aux()));
        container(
            b"moov",
            &[mvhd(1000), trak(1, b"vide", 1000, &[entry()], tables)],
        )
    };
    let head = ftyp().len() + build(0, 0).len() + 8;
    let chunk1 = head as u32;
    let chunk2 = chunk1 + 30 + 5;
    let data = [
        sample_bytes(0, 10),
        sample_bytes(1, 20),
        vec![0xee; 5],
        sample_bytes(2, 30),
    ]
    .concat();
    [ftyp(), build(chunk1, chunk2), bx(b"mdat", &data)].concat()
}

/// ftyp, mdat (aux info, then samples), moov with stz2, co64, saiz/saio and seig groups.
fn mdat_first() -> Vec<u8> {
    let aux_data: Vec<u8> = aux().iter().flat_map(|a| aux_bytes(a, true)).collect();
    let aux_at = (ftyp().len() + 8) as u64;
    let chunk1 = aux_at + aux_data.len() as u64;
    let chunk2 = chunk1 + 30;
    let data = [
        aux_data,
        sample_bytes(0, 10),
        sample_bytes(1, 20),
        sample_bytes(2, 30),
    ]
    .concat();
    let mut tables = common_tables();
    tables.push(bx(
        b"stz2",
        &W::new()
            .full(0, 0)
            .u24(0)
            .u8(8)
            .u32(3)
            .u8(10)
            .u8(20)
            .u8(30)
            .done(),
    ));
    tables.push(bx(
        b"co64",
        &W::new().full(0, 0).u32(2).u64(chunk1).u64(chunk2).done(),
    ));
    tables.push(saiz(16, &[], 3));
    tables.push(saio(1, &[aux_at]));
    tables.push(sgpd(&[
        Seig {
            pattern: (0, 0),
            protected: 1,
            iv_size: 8,
            kid: KID_C,
            constant_iv: None,
        },
        Seig {
            pattern: (0, 0),
            protected: 0,
            iv_size: 0,
            kid: [0; 16],
            constant_iv: None,
        },
    ]));
    tables.push(sbgp(&[(1, 1), (1, 2)]));
    let moov = container(
        b"moov",
        &[mvhd(1000), trak(1, b"vide", 1000, &[entry()], tables)],
    );
    [ftyp(), bx(b"mdat", &data), moov].concat()
}

fn check_layout(file: &eme_media::Mp4File) {
    let init = file.init.as_ref().unwrap();
    assert!(!init.fragmented);
    assert_eq!(init.tracks[0].progressive_sample_count, 3);
    let samples: Vec<_> = file.samples().collect();
    assert_eq!(samples.len(), 3);
    for (i, sample) in samples.iter().enumerate() {
        assert_eq!(sample.size, SIZES[i]);
        assert_eq!(sample.data, sample_bytes(i as u8, SIZES[i] as usize));
        assert_eq!(sample.duration, 100);
        assert_eq!(sample.decode_time, 100 * i as u64);
    }
    assert_eq!(
        samples
            .iter()
            .map(|s| s.composition_offset)
            .collect::<Vec<_>>(),
        [0, 200, -100]
    );
    assert_eq!(
        samples.iter().map(|s| s.is_sync).collect::<Vec<_>>(),
        [true, false, true]
    );
    assert_eq!(samples[1].offset, samples[0].offset + 10);
}

#[test]
fn moov_first_file_with_senc_in_stbl() {
    let bytes = moov_first();
    let file = parse_file(&bytes).unwrap();
    check_layout(&file);
    let samples: Vec<_> = file.samples().collect();
    assert_eq!(
        samples[2].offset,
        samples[1].offset + 20 + 5,
        "second chunk after the gap"
    );
    for (sample, aux) in samples.iter().zip(aux()) {
        let crypto = sample.encryption.as_ref().unwrap();
        assert_eq!(crypto.key_id, KID_A);
        assert_eq!(crypto.iv, aux.iv);
        let expected: Vec<Subsample> = aux
            .subsamples
            .iter()
            .map(|&(c, p)| Subsample {
                clear_bytes: c.into(),
                protected_bytes: p,
            })
            .collect();
        assert_eq!(crypto.subsamples, expected);
    }
}

#[test]
fn mdat_first_file_with_saiz_saio_and_seig_groups() {
    let bytes = mdat_first();
    let file = parse_file(&bytes).unwrap();
    check_layout(&file);
    let samples: Vec<_> = file.samples().collect();
    let first = samples[0].encryption.as_ref().unwrap();
    assert_eq!((first.key_id, first.iv.clone()), (KID_C, vec![1; 8]));
    assert_eq!(
        first.subsamples,
        vec![Subsample {
            clear_bytes: 2,
            protected_bytes: 8
        }]
    );
    assert_eq!(samples[1].encryption, None, "seig group 2 is not protected");
    assert_eq!(
        samples[2].encryption.as_ref().unwrap().key_id,
        KID_A,
        "no group: tenc"
    );
    // The events: the mdat waits for the moov, then its samples come after the init.
    let kinds: Vec<&str> = file
        .events
        .iter()
        .map(|e| match e {
            Event::Box(_) => "box",
            Event::Init(_) => "init",
            Event::Segment(_) => "segment",
        })
        .collect();
    assert_eq!(kinds, ["box", "init", "segment"]);
}

#[test]
fn progressive_files_chunk_the_same() {
    for bytes in [moov_first(), mdat_first()] {
        let whole = parse_file(&bytes).unwrap().events;
        let mut parser = StreamParser::default();
        let mut events = Vec::new();
        for byte in &bytes {
            events.extend(parser.push(std::slice::from_ref(byte)).unwrap());
        }
        events.extend(parser.finish().unwrap());
        assert_eq!(events, whole);
    }
}

#[test]
fn samples_outside_every_mdat_are_an_error_at_the_end() {
    let mut bytes = moov_first();
    // Drop the mdat: the sample tables point past the end.
    let mdat_len = 8 + 10 + 20 + 5 + 30;
    bytes.truncate(bytes.len() - mdat_len);
    let err = parse_file(&bytes).unwrap_err();
    assert_eq!(err.path, "moov");
    assert!(
        err.reason
            .starts_with("3 samples (the first of track 1, 10 bytes at"),
        "{err}"
    );
}

#[test]
fn stsz_count_beyond_the_limit_fails_fast() {
    let mut tables = common_tables();
    tables.push(bx(
        b"stsz",
        &W::new().full(0, 0).u32(7).u32(u32::MAX).done(),
    ));
    tables.push(table(b"stco", 0, &[&[0]]));
    let bytes = [
        ftyp(),
        container(
            b"moov",
            &[mvhd(1000), trak(1, b"vide", 1000, &[entry()], tables)],
        ),
    ]
    .concat();
    let err = parse_file(&bytes).unwrap_err();
    assert_eq!(err.kind, eme_media::ErrorKind::TooLarge);
    assert_eq!(err.path, "moov/trak[0]/mdia/minf/stbl/stsz");
    assert_eq!(FourCc(*b"stsz").to_string(), "stsz");
}
