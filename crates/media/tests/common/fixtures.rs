//! A small encrypted stream: an init segment with a `cenc` video and audio track and two
//! media segments covering `senc`, `saiz`/`saio`, key rotation and both base-offset rules.

use super::*;

pub const VIDEO_SIZES: [u32; 3] = [40, 30, 50];
pub const AUDIO_SIZES: [u32; 2] = [20, 20];
pub const KID_C: [u8; 16] = [0xc3; 16];

pub fn init_segment() -> Vec<u8> {
    let video_entry = visual_entry(
        b"encv",
        &[
            bx(b"avcC", &[1, 2, 3]),
            sinf(b"avc1", b"cenc", Some(tenc(0, (0, 0), 1, 8, KID_A, None))),
        ],
    );
    let audio_entry = audio_entry(
        b"enca",
        &[
            bx(b"esds", &[0; 4]),
            sinf(b"mp4a", b"cenc", Some(tenc(0, (0, 0), 1, 16, KID_A, None))),
        ],
    );
    let moov = container(
        b"moov",
        &[
            mvhd(1000),
            trak(1, b"vide", 90000, &[video_entry], empty_tables()),
            trak(2, b"soun", 48000, &[audio_entry], empty_tables()),
            container(
                b"mvex",
                &[trex(1, 1, 3000, 0, 0x0001_0000), trex(2, 1, 1024, 20, 0)],
            ),
            pssh(1, COMMON_SYSTEM, &[KID_A, KID_B], &[]),
            pssh(0, WIDEVINE_SYSTEM, &[], b"widevine-data"),
        ],
    );
    [ftyp(), moov].concat()
}

pub fn video_aux_1() -> Vec<Aux> {
    vec![
        Aux {
            iv: vec![1; 8],
            subsamples: vec![(10, 30)],
        },
        Aux {
            iv: vec![2; 8],
            subsamples: vec![(5, 10), (5, 10)],
        },
        Aux {
            iv: vec![3; 8],
            subsamples: vec![(50, 0)],
        },
    ]
}

pub fn audio_aux_1() -> Vec<Aux> {
    vec![
        Aux {
            iv: vec![4; 16],
            subsamples: vec![],
        },
        Aux {
            iv: vec![5; 16],
            subsamples: vec![],
        },
    ]
}

/// Segment 1: both trafs default-base-is-moof, `senc` with and without subsamples.
pub fn media_segment_1() -> Vec<u8> {
    let video: Vec<TrunSample> = VIDEO_SIZES
        .iter()
        .enumerate()
        .map(|(i, &size)| TrunSample {
            duration: 3000,
            size,
            flags: if i == 0 { 0 } else { 0x0001_0000 },
            composition_offset: 3000 * (i as i32 % 2),
        })
        .collect();
    let audio = [TrunSample::default(); 2];
    let build = |video_offset: i32, audio_offset: i32| {
        container(
            b"moof",
            &[
                mfhd(1),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                        tfdt(1, 90000),
                        trun(
                            0,
                            TRUN_DATA_OFFSET | TRUN_SIZE | TRUN_FLAGS | TRUN_CTO,
                            video_offset,
                            0,
                            &video,
                        ),
                        senc(true, &video_aux_1()),
                    ],
                ),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000, 2, 0, 0, 0, 0, 0),
                        tfdt(0, 48000),
                        trun(0, TRUN_DATA_OFFSET, audio_offset, 0, &audio),
                        senc(false, &audio_aux_1()),
                    ],
                ),
            ],
        )
    };
    let moof_len = build(0, 0).len() as i32;
    let video_offset = moof_len + 8;
    let audio_offset = video_offset + VIDEO_SIZES.iter().sum::<u32>() as i32;
    let moof = build(video_offset, audio_offset);
    let mut data = Vec::new();
    for (i, &size) in VIDEO_SIZES.iter().enumerate() {
        data.extend(sample_bytes(i as u8, size as usize));
    }
    for (i, &size) in AUDIO_SIZES.iter().enumerate() {
        data.extend(sample_bytes(100 + i as u8, size as usize));
    }
    [moof, bx(b"mdat", &data)].concat()
}

pub fn video_aux_2() -> Vec<Aux> {
    vec![
        Aux {
            iv: vec![6; 8],
            subsamples: vec![(4, 36)],
        },
        Aux {
            iv: vec![7; 16],
            subsamples: vec![(30, 0)],
        },
        Aux {
            iv: vec![8; 8],
            subsamples: vec![(2, 48)],
        },
    ]
}

/// Segment 2 (at absolute `stream_offset`): video uses `saiz`/`saio` with the auxiliary
/// information at the start of the `mdat` and `seig` key rotation; audio uses an explicit base
/// data offset and no `tfdt` (its decode time carries on from segment 1).
pub fn media_segment_2(stream_offset: u64) -> Vec<u8> {
    let aux: Vec<u8> = video_aux_2()
        .iter()
        .flat_map(|a| aux_bytes(a, true))
        .collect();
    let sizes: Vec<u8> = video_aux_2()
        .iter()
        .map(|a| aux_bytes(a, true).len() as u8)
        .collect();
    let video: Vec<TrunSample> = VIDEO_SIZES
        .iter()
        .map(|&size| TrunSample {
            size,
            ..Default::default()
        })
        .collect();
    let build = |aux_offset: u64, video_offset: i32, audio_base: u64| {
        container(
            b"moof",
            &[
                mfhd(2),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000 | 0x8, 1, 0, 0, 1500, 0, 0),
                        tfdt(0, 99000),
                        trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, video_offset, 0, &video),
                        sgpd(&[
                            Seig {
                                pattern: (0, 0),
                                protected: 1,
                                iv_size: 8,
                                kid: KID_B,
                                constant_iv: None,
                            },
                            Seig {
                                pattern: (0, 0),
                                protected: 1,
                                iv_size: 16,
                                kid: KID_C,
                                constant_iv: None,
                            },
                        ]),
                        sbgp(&[(1, 0x10001), (1, 0x10002), (1, 0)]),
                        saiz(0, &sizes, 3),
                        saio(0, &[aux_offset]),
                    ],
                ),
                container(
                    b"traf",
                    &[
                        tfhd(0x1, 2, audio_base, 0, 0, 0, 0),
                        trun(0, 0, 0, 0, &[TrunSample::default(); 2]),
                        senc(false, &audio_aux_1()),
                    ],
                ),
            ],
        )
    };
    let moof_len = build(0, 0, 0).len() as u64;
    let aux_offset = moof_len + 8;
    let video_offset = aux_offset + aux.len() as u64;
    let audio_base = stream_offset + video_offset + u64::from(VIDEO_SIZES.iter().sum::<u32>());
    let moof = build(aux_offset, video_offset as i32, audio_base);
    let mut data = aux;
    for (i, &size) in VIDEO_SIZES.iter().enumerate() {
        data.extend(sample_bytes(10 + i as u8, size as usize));
    }
    for (i, &size) in AUDIO_SIZES.iter().enumerate() {
        data.extend(sample_bytes(110 + i as u8, size as usize));
    }
    [moof, bx(b"mdat", &data)].concat()
}

/// The whole stream: init segment and both media segments.
pub fn stream() -> Vec<u8> {
    let init = init_segment();
    let first = media_segment_1();
    let second = media_segment_2((init.len() + first.len()) as u64);
    [init, first, second].concat()
}
