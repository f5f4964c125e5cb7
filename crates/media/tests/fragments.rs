//! Fragment details: defaults, base offsets, auxiliary information placement, sample groups.

mod common;

use common::fixtures::KID_C;
use common::*;
use eme_media::{FourCc, Pattern, Sample, parse_file};

/// An init segment with one track: `entry` as its sample entry, `tables` in its `stbl`.
fn init_with(entry: Vec<u8>, tables: Vec<Vec<u8>>, trex_box: Vec<u8>) -> Vec<u8> {
    let moov = container(
        b"moov",
        &[
            mvhd(1000),
            trak(1, b"vide", 1000, &[entry], tables),
            container(b"mvex", &[trex_box]),
        ],
    );
    [ftyp(), moov].concat()
}

fn cenc_entry(iv_size: u8) -> Vec<u8> {
    visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"cenc",
            Some(tenc(0, (0, 0), 1, iv_size, KID_A, None)),
        )],
    )
}

/// A segment whose moof is built by `build(data offset)`, followed by an mdat of `data`.
fn segment(build: impl Fn(i32) -> Vec<u8>, data: &[u8]) -> Vec<u8> {
    let moof = build(build(0).len() as i32 + 8);
    [moof, bx(b"mdat", data)].concat()
}

fn samples_of(bytes: &[u8]) -> Vec<Sample> {
    parse_file(bytes).unwrap().samples().cloned().collect()
}

#[test]
fn trex_defaults_then_tfhd_overrides_then_trun_fields() {
    let init = init_with(
        visual_entry(b"avc1", &[]),
        empty_tables(),
        trex(1, 1, 100, 7, 0x0001_0000),
    );
    // trex only: size 7, duration 100, non-sync; first_sample_flags makes sample 0 sync.
    let data = sample_bytes(1, 21);
    let trex_only = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                            trun(
                                0,
                                TRUN_DATA_OFFSET | TRUN_FIRST_FLAGS,
                                o,
                                0,
                                &[TrunSample::default(); 3],
                            ),
                        ],
                    ),
                ],
            )
        },
        &data,
    );
    let samples = samples_of(&[init.clone(), trex_only].concat());
    assert_eq!(
        samples
            .iter()
            .map(|s| (s.size, s.duration, s.is_sync))
            .collect::<Vec<_>>(),
        [(7, 100, true), (7, 100, false), (7, 100, false)]
    );
    assert!(samples.iter().all(|s| s.encryption.is_none()));
    assert_eq!(samples[2].data, data[14..]);

    // tfhd defaults win over trex; trun fields win over both; trun v1 offsets are signed.
    let runs = [
        TrunSample {
            duration: 50,
            composition_offset: -20,
            ..Default::default()
        },
        TrunSample {
            duration: 60,
            composition_offset: 40,
            ..Default::default()
        },
    ];
    let overridden = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000 | 0x2 | 0x8 | 0x10 | 0x20, 1, 0, 1, 80, 9, 0),
                            tfdt(1, 1 << 40),
                            trun(1, TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_CTO, o, 0, &runs),
                        ],
                    ),
                ],
            )
        },
        &sample_bytes(2, 18),
    );
    let samples = samples_of(&[init, overridden].concat());
    assert_eq!(
        samples
            .iter()
            .map(|s| (s.size, s.duration, s.is_sync, s.composition_offset))
            .collect::<Vec<_>>(),
        [(9, 50, true, -20), (9, 60, true, 40)]
    );
    assert_eq!(samples[1].decode_time, (1 << 40) + 50);
    assert_eq!(samples[0].composition_time(), (1i128 << 40) - 20);
}

#[test]
fn explicit_base_offset_and_default_base_is_moof_give_the_same_samples() {
    let init = init_with(cenc_entry(16), empty_tables(), trex(1, 1, 10, 0, 0));
    let aux = [
        Aux {
            iv: vec![1; 16],
            subsamples: vec![(3, 13)],
        },
        Aux {
            iv: vec![2; 16],
            subsamples: vec![(16, 0)],
        },
    ];
    let runs = [TrunSample {
        size: 16,
        ..Default::default()
    }; 2];
    let data = sample_bytes(3, 32);
    let moof_relative = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                            trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, o, 0, &runs),
                            senc(true, &aux),
                        ],
                    ),
                ],
            )
        },
        &data,
    );
    // The explicit base is the absolute offset of the mdat payload; the trun data offset is 0.
    let at = init.len() as u64;
    let build = |base: u64| {
        container(
            b"moof",
            &[
                mfhd(1),
                container(
                    b"traf",
                    &[
                        tfhd(0x1, 1, base, 0, 0, 0, 0),
                        trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, 0, 0, &runs),
                        senc(true, &aux),
                    ],
                ),
            ],
        )
    };
    let moof = build(at + build(0).len() as u64 + 8);
    let explicit = [moof, bx(b"mdat", &data)].concat();
    let a = samples_of(&[init.clone(), moof_relative].concat());
    let b = samples_of(&[init, explicit].concat());
    // The explicit base's tfhd is 8 bytes longer, so only the offsets differ.
    let without_offsets = |samples: &[Sample]| {
        samples
            .iter()
            .map(|s| Sample {
                offset: 0,
                ..s.clone()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(without_offsets(&a), without_offsets(&b));
    assert_eq!(b[0].offset, a[0].offset + 8);
    assert_eq!(a[0].data, data[..16]);
    assert_eq!(a[1].encryption.as_ref().unwrap().iv, vec![2; 16]);
}

#[test]
fn a_second_traf_without_base_flags_starts_after_the_first_ones_data() {
    let moov = container(
        b"moov",
        &[
            mvhd(1000),
            trak(
                1,
                b"vide",
                1000,
                &[visual_entry(b"avc1", &[])],
                empty_tables(),
            ),
            trak(
                2,
                b"soun",
                1000,
                &[audio_entry(b"mp4a", &[])],
                empty_tables(),
            ),
            container(b"mvex", &[trex(1, 1, 10, 5, 0), trex(2, 1, 10, 3, 0)]),
        ],
    );
    let init = [ftyp(), moov].concat();
    let data = sample_bytes(4, 16);
    let seg = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0, 1, 0, 0, 0, 0, 0),
                            trun(0, TRUN_DATA_OFFSET, o, 0, &[TrunSample::default(); 2]),
                        ],
                    ),
                    container(
                        b"traf",
                        &[
                            tfhd(0, 2, 0, 0, 0, 0, 0),
                            trun(0, 0, 0, 0, &[TrunSample::default(); 2]),
                        ],
                    ),
                ],
            )
        },
        &data,
    );
    let samples = samples_of(&[init, seg].concat());
    assert_eq!(
        samples
            .iter()
            .map(|s| (s.track_id, s.size))
            .collect::<Vec<_>>(),
        [(1, 5), (1, 5), (2, 3), (2, 3)]
    );
    assert_eq!(samples[2].offset, samples[1].offset + 5);
    assert_eq!(samples[3].data, data[13..]);
}

#[test]
fn saio_per_trun_with_aux_info_in_the_moof_and_an_explicit_base() {
    let init = init_with(cenc_entry(8), empty_tables(), trex(1, 1, 10, 8, 0));
    let aux = [
        Aux {
            iv: vec![1; 8],
            subsamples: vec![],
        },
        Aux {
            iv: vec![2; 8],
            subsamples: vec![],
        },
        Aux {
            iv: vec![3; 8],
            subsamples: vec![],
        },
    ];
    let aux_blob: Vec<u8> = aux.iter().flat_map(|a| aux_bytes(a, false)).collect();
    let init_len = init.len() as u64;
    // Layout: moof [mfhd, traf[tfhd, trun, trun, saiz, saio, free(aux: first trun's IV)]],
    // second trun's IVs at the start of the mdat. Offsets relative to the explicit base
    // (= the moof start here, given explicitly).
    let build = |mdat_payload: u64, free_payload: u64| {
        container(
            b"moof",
            &[
                mfhd(1),
                container(
                    b"traf",
                    &[
                        tfhd(0x1, 1, init_len, 0, 0, 0, 0),
                        trun(
                            0,
                            TRUN_DATA_OFFSET,
                            (mdat_payload + 16) as i32,
                            0,
                            &[TrunSample::default()],
                        ),
                        trun(0, 0, 0, 0, &[TrunSample::default(); 2]),
                        saiz(8, &[], 3),
                        saio(1, &[free_payload, mdat_payload]),
                        bx(b"free", &aux_blob[..8]),
                    ],
                ),
            ],
        )
    };
    let probe = build(0, 0);
    let mdat_payload = probe.len() as u64 + 8;
    let free_payload = probe.len() as u64 - 8;
    let moof = build(mdat_payload, free_payload);
    let data = [aux_blob[8..].to_vec(), sample_bytes(5, 24)].concat();
    let samples = samples_of(&[init, moof, bx(b"mdat", &data)].concat());
    let ivs: Vec<Vec<u8>> = samples
        .iter()
        .map(|s| s.encryption.as_ref().unwrap().iv.clone())
        .collect();
    assert_eq!(ivs, [vec![1; 8], vec![2; 8], vec![3; 8]]);
    assert_eq!(samples[0].data, sample_bytes(5, 24)[..8]);
}

#[test]
fn seig_groups_from_the_moov_and_with_constant_ivs() {
    let constant = [7u8; 16];
    let moov_groups = sgpd(&[Seig {
        pattern: (1, 9),
        protected: 1,
        iv_size: 0,
        kid: KID_B,
        constant_iv: Some(&constant),
    }]);
    let mut tables = empty_tables();
    tables.push(moov_groups);
    let entry = visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"cbcs",
            Some(tenc(1, (1, 9), 1, 0, KID_A, Some(&[6; 16]))),
        )],
    );
    let init = init_with(entry, tables, trex(1, 1, 10, 32, 0));
    let local = sgpd(&[Seig {
        pattern: (2, 8),
        protected: 1,
        iv_size: 0,
        kid: KID_C,
        constant_iv: Some(&[8; 8]),
    }]);
    let seg = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                            trun(0, TRUN_DATA_OFFSET, o, 0, &[TrunSample::default(); 3]),
                            local.clone(),
                            sbgp(&[(1, 1), (1, 0x10001)]),
                        ],
                    ),
                ],
            )
        },
        &[0; 96],
    );
    let samples = samples_of(&[init, seg].concat());
    let summary: Vec<([u8; 16], Vec<u8>, Option<Pattern>)> = samples
        .iter()
        .map(|s| {
            let c = s.encryption.as_ref().unwrap();
            (c.key_id, c.iv.clone(), c.pattern)
        })
        .collect();
    let pattern = |c, s| {
        Some(Pattern {
            crypt_byte_block: c,
            skip_byte_block: s,
        })
    };
    assert_eq!(
        summary,
        [
            (KID_B, vec![7; 16], pattern(1, 9)),
            (KID_C, vec![8; 8], pattern(2, 8)),
            (KID_A, vec![6; 16], pattern(1, 9))
        ]
    );
    assert!(
        samples
            .iter()
            .all(|s| s.encryption.as_ref().unwrap().subsamples.is_empty())
    );
    assert_eq!(
        samples[0].encryption.as_ref().unwrap().scheme_type,
        FourCc(*b"cbcs")
    );
}

#[test]
fn per_sample_ivs_without_senc_or_saiz_are_an_error() {
    let init = init_with(cenc_entry(8), empty_tables(), trex(1, 1, 10, 4, 0));
    let seg = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                            trun(0, TRUN_DATA_OFFSET, o, 0, &[TrunSample::default()]),
                        ],
                    ),
                ],
            )
        },
        &[0; 4],
    );
    let traf_at = init.len() + 8 + 16;
    let err = parse_file(&[init, seg].concat()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "moof/traf[0] at {traf_at}: sample 0 is protected with 8-byte per-sample IVs but has no senc or saiz/saio entry"
        )
    );
}

#[test]
fn unprotected_tenc_and_bad_description_index() {
    let entry = visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"cenc",
            Some(tenc(0, (0, 0), 0, 0, [0; 16], None)),
        )],
    );
    let init = init_with(entry, empty_tables(), trex(1, 1, 10, 4, 0));
    let seg = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                            trun(0, TRUN_DATA_OFFSET, o, 0, &[TrunSample::default()]),
                        ],
                    ),
                ],
            )
        },
        &[0; 4],
    );
    assert_eq!(
        samples_of(&[init.clone(), seg].concat())[0].encryption,
        None
    );
    let seg = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000 | 0x2, 1, 0, 3, 0, 0, 0),
                            trun(0, TRUN_DATA_OFFSET, o, 0, &[TrunSample::default()]),
                        ],
                    ),
                ],
            )
        },
        &[0; 4],
    );
    let err = parse_file(&[init, seg].concat()).unwrap_err();
    assert!(
        err.reason.contains(
            "sample description index 3 does not name one of the track's 1 sample entries"
        ),
        "{err}"
    );
}

#[test]
fn sample_outside_the_mdat_is_an_error() {
    let init = init_with(
        visual_entry(b"avc1", &[]),
        empty_tables(),
        trex(1, 1, 10, 40, 0),
    );
    let seg = segment(
        |o| {
            container(
                b"moof",
                &[
                    mfhd(1),
                    container(
                        b"traf",
                        &[
                            tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                            trun(0, TRUN_DATA_OFFSET, o, 0, &[TrunSample::default()]),
                        ],
                    ),
                ],
            )
        },
        &[0; 10],
    );
    let err = parse_file(&[init, seg].concat()).unwrap_err();
    assert_eq!(err.path, "mdat");
    assert!(
        err.reason.starts_with("sample 0 of track 1 (40 bytes at"),
        "{err}"
    );
}
