//! Box headers, the box tree, sizes (64-bit, 0), skipped boxes, limits and error paths.

mod common;

use common::fixtures::*;
use common::*;
use eme_media::{
    ErrorKind, Event, FourCc, Limits, StreamParser, parse_file, parse_file_with_limits, read_boxes,
};

#[test]
fn tree_has_offsets_and_children_down_to_tenc() {
    let bytes = init_segment();
    let boxes = read_boxes(&bytes, 0).unwrap();
    assert_eq!(boxes.len(), 2);
    let moov = &boxes[1];
    assert_eq!(moov.box_type, FourCc(*b"moov"));
    assert_eq!(moov.offset, boxes[0].size);
    assert_eq!(moov.end(), bytes.len() as u64);
    let stsd = moov.find("trak/mdia/minf/stbl/stsd").unwrap();
    assert_eq!(stsd.children_offset, Some(stsd.payload_offset() + 8));
    let encv = &stsd.children[0];
    assert_eq!(encv.children_offset, Some(encv.payload_offset() + 78));
    let tenc = encv.find("sinf/schi/tenc").unwrap();
    assert_eq!(
        &bytes[tenc.offset as usize + 4..tenc.offset as usize + 8],
        b"tenc"
    );
    assert_eq!(tenc.header_size, 8);
    let enca = &moov
        .children_of(b"trak")
        .nth(1)
        .unwrap()
        .find("mdia/minf/stbl/stsd")
        .unwrap()
        .children[0];
    assert_eq!(enca.children_offset, Some(enca.payload_offset() + 28));
    assert_eq!(
        enca.child(b"sinf")
            .unwrap()
            .find("frma")
            .unwrap()
            .payload_range()
            .end
            - enca.find("sinf/frma").unwrap().payload_offset(),
        4
    );
    // The init segment keeps the moov's bytes and tree for a writer.
    let init = parse_file(&bytes).unwrap().init.unwrap();
    assert_eq!(&init.moov, moov);
    assert_eq!(init.moov_bytes, bytes[moov.offset as usize..].to_vec());
}

#[test]
fn large_sizes_and_size_zero_are_read() {
    let init = init_segment();
    let segment = media_segment_1();
    let boxes = read_boxes(&segment, 0).unwrap();
    let free = large_bx(b"free", &[7; 5]);
    let stream = [init.clone(), free, segment.clone()].concat();
    let file = parse_file(&stream).unwrap();
    let free_node = file.events.iter().find_map(|e| match e {
        Event::Box(b) if b.box_type == FourCc(*b"free") => Some(b.clone()),
        _ => None,
    });
    let free_node = free_node.unwrap();
    assert_eq!(
        (free_node.header_size, free_node.size, free_node.offset),
        (16, 21, init.len() as u64)
    );
    assert_eq!(file.segments[0].samples.len(), 5);

    // The final mdat with size 0 runs to the end of the input.
    let mdat = &boxes[1];
    let open = [
        &segment[..mdat.offset as usize],
        &open_bx(b"mdat", &segment[mdat.payload_offset() as usize..]),
    ]
    .concat();
    let whole = parse_file(&[init.clone(), open.clone()].concat()).unwrap();
    let plain = parse_file(&[init.clone(), segment].concat()).unwrap();
    assert_eq!(whole.segments[0].samples, plain.segments[0].samples);
    assert_eq!(whole.segments[0].mdat.as_ref().unwrap().size, mdat.size);
    // Incrementally, a size-0 box waits for the end.
    let mut parser = StreamParser::default();
    let events = parser.push(&[init, open].concat()).unwrap();
    assert!(!events.iter().any(|e| matches!(e, Event::Segment(_))));
    assert!(parser.needs_more());
    let events = parser.finish().unwrap();
    assert!(matches!(&events[..], [Event::Segment(s)] if s.samples.len() == 5));
}

#[test]
fn size_zero_inside_a_container_is_an_error() {
    let moov = container(b"moov", &[mvhd(1000), open_bx(b"udta", &[])]);
    let err = parse_file(&moov).unwrap_err();
    assert_eq!(err.path, "moov/udta");
    assert!(
        err.reason
            .contains("only allowed for the last top-level box"),
        "{err}"
    );
}

#[test]
fn large_moof_and_mdat_with_matching_offsets() {
    let samples = [TrunSample {
        size: 10,
        ..Default::default()
    }; 2];
    let build = |offset| {
        large_bx(
            b"moof",
            &[
                mfhd(1),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000 | 0x8, 2, 0, 0, 1024, 0, 0),
                        trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, offset, 0, &samples),
                        senc(false, &audio_aux_1()),
                    ],
                ),
            ]
            .concat(),
        )
    };
    let moof = build(build(0).len() as i32 + 16);
    let data = sample_bytes(1, 20);
    let stream = [init_segment(), moof, large_bx(b"mdat", &data)].concat();
    let file = parse_file(&stream).unwrap();
    let segment = &file.segments[0];
    assert_eq!(segment.fragment.as_ref().unwrap().moof.header_size, 16);
    assert_eq!(segment.mdat.as_ref().unwrap().header_size, 16);
    assert_eq!(segment.samples[0].data, data[..10]);
    assert_eq!(segment.samples[1].data, data[10..]);
}

#[test]
fn uuid_and_unknown_boxes_are_skipped_and_big_ones_not_buffered() {
    let uuid = bx(b"uuid", &[[0x11; 16].as_slice(), &[1, 2, 3]].concat());
    let big = bx(b"free", &vec![0; 5000]);
    let stream = [init_segment(), uuid, big, media_segment_1()].concat();
    let limits = Limits {
        max_box_size: 4096,
        ..Limits::DEFAULT
    };
    let mut parser = StreamParser::new(limits);
    let mut events = Vec::new();
    for chunk in stream.chunks(100) {
        events.extend(parser.push(chunk).unwrap());
        assert!(parser.buffered() <= 4096 + 100);
    }
    events.extend(parser.finish().unwrap());
    let types: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::Box(b) => b.box_type.to_string(),
            Event::Init(_) => "init".into(),
            Event::Segment(_) => "segment".into(),
        })
        .collect();
    assert_eq!(types, ["ftyp", "init", "uuid", "free", "segment"]);
    let Event::Box(uuid) = &events[2] else {
        unreachable!()
    };
    assert_eq!((uuid.header_size, uuid.user_type), (24, Some([0x11; 16])));
}

#[test]
fn boxes_over_the_limit_that_must_be_buffered_fail() {
    let stream = [init_segment(), media_segment_1()].concat();
    let err = parse_file_with_limits(
        &stream,
        Limits {
            max_box_size: 200,
            ..Limits::DEFAULT
        },
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::TooLarge);
    assert_eq!(err.path, "moov");
    assert!(err.to_string().starts_with("moov at 24: box of "), "{err}");
    assert!(
        err.to_string().ends_with("exceeds the limit of 200 bytes"),
        "{err}"
    );
}

#[test]
fn tenc_iv_size_error_names_path_and_offset() {
    let bad = visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"cenc",
            Some(tenc(0, (0, 0), 1, 12, KID_A, None)),
        )],
    );
    let good = visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"cenc",
            Some(tenc(0, (0, 0), 1, 8, KID_A, None)),
        )],
    );
    let moov = container(
        b"moov",
        &[
            mvhd(1000),
            trak(1, b"vide", 1000, &[good], empty_tables()),
            trak(2, b"vide", 1000, &[bad], empty_tables()),
        ],
    );
    let bytes = [ftyp(), moov].concat();
    let err = parse_file(&bytes).unwrap_err();
    // The IV size byte: 4 bytes after the tenc FullBox header + reserved + pattern + isProtected.
    let tenc_at = bytes.windows(4).rposition(|w| w == b"tenc").unwrap() - 4;
    let iv_size_at = tenc_at + 8 + 4 + 3;
    assert_eq!(bytes[iv_size_at], 12);
    assert_eq!(
        err.to_string(),
        format!(
            "moov/trak[1]/mdia/minf/stbl/stsd/encv/sinf/schi/tenc at {iv_size_at}: per-sample IV size 12 is not 0, 8 or 16"
        )
    );
    assert_eq!(err.kind, ErrorKind::Malformed);
}

#[test]
fn errors_name_fragment_paths() {
    // A trun count that cannot fit: 0xFFFFFFFF samples with 4-byte records.
    let bad = container(
        b"moof",
        &[
            mfhd(1),
            container(
                b"traf",
                &[
                    tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                    bx(
                        b"trun",
                        &W::new().full(0, TRUN_SIZE).u32(u32::MAX).u32(5).done(),
                    ),
                ],
            ),
        ],
    );
    let bytes = [init_segment(), bad, bx(b"mdat", &[0; 5])].concat();
    let err = parse_file(&bytes).unwrap_err();
    assert_eq!(err.path, "moof/traf[0]/trun[0]");
    assert!(err.reason.contains("4294967295"), "{err}");

    // A traf for a track the moov does not have.
    let bad = container(
        b"moof",
        &[
            mfhd(1),
            container(b"traf", &[tfhd(0x20000, 9, 0, 0, 0, 0, 0)]),
        ],
    );
    let init = init_segment();
    let err = parse_file(&[init.clone(), bad].concat()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "moof/traf[0]/tfhd at {}: track id 9 names no track in the moov",
            init.len() + 8 + 16 + 8 + 8 + 4
        )
    );

    // A moof before any moov.
    let err = parse_file(&media_segment_1()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "moof at 0: media segment before any initialization segment"
    );

    // A child box overrunning its parent.
    let broken = container(
        b"moov",
        &[
            mvhd(1000),
            [10u32.to_be_bytes().as_slice(), b"trak", &[0; 4]].concat()[..].to_vec(),
        ],
    );
    let mut broken = broken;
    broken[8 + 108..8 + 112].copy_from_slice(&100u32.to_be_bytes());
    let err = parse_file(&broken).unwrap_err();
    assert_eq!(
        err.to_string(),
        "moov/trak[0] at 116: box size 100 overruns its parent (12 bytes left)"
    );
}

#[test]
fn truncation_is_need_more_until_finish() {
    let bytes = stream();
    let mut parser = StreamParser::default();
    parser.push(&bytes[..bytes.len() - 3]).unwrap();
    assert!(parser.needs_more());
    let err = parser.finish().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Truncated);
    assert_eq!(err.path, "mdat");
    // The reader stays failed.
    assert_eq!(parser.push(&[0]).unwrap_err(), err);
}

#[test]
fn unknown_scheme_fails_only_when_a_sample_needs_it() {
    let entry = visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"zzzz",
            Some(tenc(0, (0, 0), 1, 8, KID_A, None)),
        )],
    );
    let init = [
        ftyp(),
        container(
            b"moov",
            &[
                mvhd(1000),
                trak(1, b"vide", 1000, &[entry], empty_tables()),
                container(b"mvex", &[trex(1, 1, 40, 0, 0)]),
            ],
        ),
    ]
    .concat();
    let samples = [TrunSample {
        size: 8,
        ..Default::default()
    }];
    let aux = [Aux {
        iv: vec![1; 8],
        subsamples: vec![],
    }];
    let build = |offset| {
        container(
            b"moof",
            &[
                mfhd(1),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000, 1, 0, 0, 0, 0, 0),
                        trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, offset, 0, &samples),
                        senc(false, &aux),
                    ],
                ),
            ],
        )
    };
    let moof = build(build(0).len() as i32 + 8);
    let file = parse_file(&[init, moof, bx(b"mdat", &[0; 8])].concat()).unwrap();
    let sample = &file.segments[0].samples[0];
    assert_eq!(
        sample.encryption.as_ref().unwrap().scheme_type,
        FourCc(*b"zzzz")
    );
    let err = sample.sample_encryption().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert_eq!(err.reason, "Unsupported scheme 'zzzz'");
}

#[test]
fn subsamples_must_cover_the_sample() {
    let samples = [TrunSample {
        size: 20,
        ..Default::default()
    }];
    let aux = [Aux {
        iv: vec![1; 16],
        subsamples: vec![(5, 10)],
    }];
    let build = |offset| {
        container(
            b"moof",
            &[
                mfhd(1),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000, 2, 0, 0, 0, 0, 0),
                        trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, offset, 0, &samples),
                        senc(true, &aux),
                    ],
                ),
            ],
        )
    };
    let moof = build(build(0).len() as i32 + 8);
    let err = parse_file(&[init_segment(), moof, bx(b"mdat", &[0; 20])].concat()).unwrap_err();
    assert_eq!(err.path, "moof/traf[0]/senc");
    assert!(
        err.reason
            .contains("subsamples cover 15 bytes but the sample is 20 bytes"),
        "{err}"
    );
}

#[test]
fn piff_uuid_senc_is_read() {
    let piff_uuid = [
        0xa2, 0x39, 0x4f, 0x52, 0x5a, 0x9b, 0x4f, 0x14, 0xa2, 0x44, 0x6c, 0x42, 0x7c, 0x64, 0x8d,
        0xf4,
    ];
    let samples = [TrunSample {
        size: 20,
        ..Default::default()
    }];
    let senc_box = senc(
        false,
        &[Aux {
            iv: vec![3; 16],
            subsamples: vec![],
        }],
    );
    let piff = bx(b"uuid", &[&piff_uuid[..], &senc_box[8..]].concat());
    let build = |offset| {
        container(
            b"moof",
            &[
                mfhd(1),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000, 2, 0, 0, 0, 0, 0),
                        trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, offset, 0, &samples),
                        piff.clone(),
                    ],
                ),
            ],
        )
    };
    let moof = build(build(0).len() as i32 + 8);
    let file = parse_file(&[init_segment(), moof, bx(b"mdat", &[0; 20])].concat()).unwrap();
    assert_eq!(
        file.segments[0].samples[0].encryption.as_ref().unwrap().iv,
        vec![3; 16]
    );
}

#[test]
fn pssh_in_moof_is_reported() {
    let samples = [TrunSample {
        size: 20,
        ..Default::default()
    }];
    let extra = pssh(1, COMMON_SYSTEM, &[KID_B], &[]);
    let build = |offset| {
        container(
            b"moof",
            &[
                mfhd(1),
                extra.clone(),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000, 2, 0, 0, 0, 0, 0),
                        trun(0, TRUN_DATA_OFFSET | TRUN_SIZE, offset, 0, &samples),
                        senc(false, &audio_aux_1()[..1]),
                    ],
                ),
            ],
        )
    };
    let moof = build(build(0).len() as i32 + 8);
    let file = parse_file(&[init_segment(), moof, bx(b"mdat", &[0; 20])].concat()).unwrap();
    let fragment = file.segments[0].fragment.as_ref().unwrap();
    assert_eq!(fragment.pssh.len(), 1);
    assert_eq!(fragment.pssh[0].raw, extra);
    assert_eq!(fragment.pssh[0].key_ids, vec![KID_B]);
}
