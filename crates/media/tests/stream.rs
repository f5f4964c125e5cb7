//! The fixture stream end to end, and chunked feeding.

mod common;

use common::fixtures::*;
use common::*;
use eme_media::{Event, FourCc, Pattern, Scheme, StreamParser, Subsample, parse_file};

fn subsamples(list: &[(u16, u32)]) -> Vec<Subsample> {
    list.iter()
        .map(|&(c, p)| Subsample {
            clear_bytes: u32::from(c),
            protected_bytes: p,
        })
        .collect()
}

#[test]
fn init_segment_lists_tracks_protection_and_pssh() {
    let file = parse_file(&init_segment()).unwrap();
    let init = file.init.unwrap();
    assert!(init.fragmented);
    assert_eq!(init.timescale, 1000);
    assert_eq!(
        init.file_type.as_ref().unwrap().major_brand,
        FourCc(*b"isom")
    );
    assert_eq!(init.tracks.len(), 2);
    let video = &init.tracks[0];
    assert_eq!(
        (video.track_id, video.handler, video.timescale),
        (1, FourCc(*b"vide"), 90000)
    );
    assert_eq!((video.width, video.height), (320, 180));
    let entry = &video.sample_entries[0];
    assert_eq!(entry.format, FourCc(*b"encv"));
    assert_eq!(entry.codec_format(), FourCc(*b"avc1"));
    let protection = entry.protection.as_ref().unwrap();
    assert_eq!(protection.scheme_type, FourCc(*b"cenc"));
    let tenc = protection.track_encryption.as_ref().unwrap();
    assert_eq!(tenc.version, 0);
    assert_eq!(tenc.defaults.per_sample_iv_size, 8);
    assert_eq!(tenc.defaults.key_id, KID_A);
    assert!(tenc.defaults.is_protected);
    assert_eq!(init.tracks[1].handler, FourCc(*b"soun"));
    assert_eq!(
        init.tracks[1].sample_entries[0].codec_format(),
        FourCc(*b"mp4a")
    );
    let trex = init.tracks[1].extends.unwrap();
    assert_eq!(
        (trex.default_sample_duration, trex.default_sample_size),
        (1024, 20)
    );

    assert_eq!(init.pssh.len(), 2);
    assert_eq!(init.pssh[0].version, 1);
    assert_eq!(init.pssh[0].system_id, COMMON_SYSTEM);
    assert_eq!(init.pssh[0].key_ids, vec![KID_A, KID_B]);
    assert_eq!(init.pssh[1].version, 0);
    assert_eq!(init.pssh[1].data, b"widevine-data");
    let expected = [
        pssh(1, COMMON_SYSTEM, &[KID_A, KID_B], &[]),
        pssh(0, WIDEVINE_SYSTEM, &[], b"widevine-data"),
    ]
    .concat();
    assert_eq!(init.init_data(), expected);
    // Raw bytes sit at their recorded offsets.
    let bytes = init_segment();
    for p in &init.pssh {
        assert_eq!(
            &bytes[p.offset as usize..p.offset as usize + p.raw.len()],
            &p.raw[..]
        );
    }
}

#[test]
fn first_segment_resolves_senc_with_and_without_subsamples() {
    let bytes = [init_segment(), media_segment_1()].concat();
    let file = parse_file(&bytes).unwrap();
    assert_eq!(file.segments.len(), 1);
    let segment = &file.segments[0];
    let fragment = segment.fragment.as_ref().unwrap();
    assert_eq!(fragment.sequence_number, 1);
    assert!(
        fragment
            .tracks
            .iter()
            .all(|t| t.default_base_is_moof && t.base_data_offset == fragment.moof.offset)
    );
    let samples = &segment.samples;
    assert_eq!(samples.len(), 5);
    let mdat = segment.mdat.as_ref().unwrap();
    let mut at = mdat.payload_offset();
    for (i, sample) in samples.iter().enumerate() {
        assert_eq!(sample.offset, at, "sample {i}");
        assert_eq!(
            &bytes[at as usize..at as usize + sample.size as usize],
            &sample.data[..]
        );
        at += u64::from(sample.size);
    }
    for (i, (sample, aux)) in samples[..3].iter().zip(video_aux_1()).enumerate() {
        assert_eq!(sample.track_id, 1);
        assert_eq!(sample.size, VIDEO_SIZES[i]);
        assert_eq!(sample.duration, 3000);
        assert_eq!(sample.decode_time, 90000 + 3000 * i as u64);
        assert_eq!(sample.composition_offset, 3000 * (i as i64 % 2));
        assert_eq!(sample.is_sync, i == 0);
        assert_eq!(sample.data, sample_bytes(i as u8, VIDEO_SIZES[i] as usize));
        let crypto = sample.encryption.as_ref().unwrap();
        assert_eq!(crypto.scheme_type, FourCc(*b"cenc"));
        assert_eq!(crypto.key_id, KID_A);
        assert_eq!(crypto.iv, aux.iv);
        assert_eq!(crypto.pattern, None);
        assert_eq!(crypto.subsamples, subsamples(&aux.subsamples));
        let as_decryptor = sample.sample_encryption().unwrap().unwrap();
        assert_eq!(as_decryptor.scheme, Scheme::Cenc);
        assert_eq!(as_decryptor.iv, &aux.iv[..]);
    }
    for (i, (sample, aux)) in samples[3..].iter().zip(audio_aux_1()).enumerate() {
        assert_eq!(sample.track_id, 2);
        assert_eq!((sample.size, sample.duration), (20, 1024));
        assert_eq!(sample.decode_time, 48000 + 1024 * i as u64);
        assert!(sample.is_sync);
        let crypto = sample.encryption.as_ref().unwrap();
        assert_eq!(crypto.iv, aux.iv);
        assert!(crypto.subsamples.is_empty());
    }
}

#[test]
fn second_segment_reads_saiz_saio_key_rotation_and_explicit_base() {
    let file = parse_file(&stream()).unwrap();
    assert_eq!(file.segments.len(), 2);
    let samples = &file.segments[1].samples;
    assert_eq!(samples.len(), 5);
    let keys: Vec<[u8; 16]> = samples[..3]
        .iter()
        .map(|s| s.encryption.as_ref().unwrap().key_id)
        .collect();
    assert_eq!(keys, vec![KID_B, KID_C, KID_A]);
    for (i, (sample, aux)) in samples[..3].iter().zip(video_aux_2()).enumerate() {
        let crypto = sample.encryption.as_ref().unwrap();
        assert_eq!(crypto.iv, aux.iv, "sample {i}");
        assert_eq!(crypto.subsamples, subsamples(&aux.subsamples));
        assert_eq!(
            sample.duration, 1500,
            "tfhd default duration wins over trex"
        );
        assert_eq!(sample.decode_time, 99000 + 1500 * i as u64);
        assert!(!sample.is_sync, "trex default flags are non-sync");
        assert_eq!(
            sample.data,
            sample_bytes(10 + i as u8, VIDEO_SIZES[i] as usize)
        );
    }
    let fragment = file.segments[1].fragment.as_ref().unwrap();
    assert!(!fragment.tracks[1].default_base_is_moof);
    assert_eq!(fragment.tracks[1].base_media_decode_time, None);
    for (i, sample) in samples[3..].iter().enumerate() {
        assert_eq!(
            sample.decode_time,
            48000 + 2048 + 1024 * i as u64,
            "decode time carries on"
        );
        assert_eq!(sample.data, sample_bytes(110 + i as u8, 20));
        assert_eq!(
            sample.offset,
            fragment.tracks[1].base_data_offset + 20 * i as u64
        );
    }
}

/// Feeds `bytes` in the given chunk sizes (cycled) and collects every event.
fn feed(bytes: &[u8], mut next_size: impl FnMut() -> usize) -> Vec<Event> {
    let mut parser = StreamParser::default();
    let mut events = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let size = next_size().clamp(1, rest.len());
        let (chunk, tail) = rest.split_at(size);
        events.extend(parser.push(chunk).unwrap());
        rest = tail;
    }
    assert!(!parser.needs_more());
    events.extend(parser.finish().unwrap());
    events
}

#[test]
fn chunking_does_not_change_results() {
    let bytes = stream();
    let whole = feed(&bytes, || usize::MAX);
    assert_eq!(whole.len(), 4, "ftyp, init, two segments: {whole:#?}");
    assert!(matches!(whole[0], Event::Box(ref b) if b.box_type == FourCc(*b"ftyp")));
    assert_eq!(feed(&bytes, || 1), whole);
    for seed in 1..20u64 {
        let mut rng = Rng(seed * 0x9e37_79b9);
        assert_eq!(
            feed(&bytes, || 1 + rng.below(200) as usize),
            whole,
            "seed {seed}"
        );
    }
}

#[test]
fn events_arrive_as_boxes_complete() {
    let init = init_segment();
    let segment = media_segment_1();
    let mut parser = StreamParser::default();
    assert!(
        parser
            .push(&init[..init.len() - 1])
            .unwrap()
            .iter()
            .all(|e| matches!(e, Event::Box(_)))
    );
    assert!(parser.needs_more());
    let events = parser.push(&init[init.len() - 1..]).unwrap();
    assert!(matches!(events[..], [Event::Init(_)]));
    assert!(parser.init().is_some());
    // The moof alone yields nothing: its samples wait for the mdat.
    let mdat_at = segment.len() - (8 + 120 + 40);
    assert!(parser.push(&segment[..mdat_at]).unwrap().is_empty());
    assert!(!parser.needs_more());
    let events = parser.push(&segment[mdat_at..]).unwrap();
    assert!(matches!(&events[..], [Event::Segment(s)] if s.samples.len() == 5));
    assert_eq!(parser.position(), (init.len() + segment.len()) as u64);
}

#[test]
fn pattern_and_constant_iv_from_tenc_v1() {
    let constant = [9u8; 16];
    let entry = visual_entry(
        b"encv",
        &[sinf(
            b"avc1",
            b"cbcs",
            Some(tenc(1, (1, 9), 1, 0, KID_A, Some(&constant))),
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
    let entries = vec![
        Aux {
            iv: vec![],
            subsamples: vec![(16, 160)],
        },
        Aux {
            iv: vec![],
            subsamples: vec![(176, 0)],
        },
    ];
    let samples = [TrunSample {
        size: 176,
        ..Default::default()
    }; 2];
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
                        senc(true, &entries),
                    ],
                ),
            ],
        )
    };
    let moof = build(build(0).len() as i32 + 8);
    let bytes = [init, moof, bx(b"mdat", &[0x5a; 352])].concat();
    let file = parse_file(&bytes).unwrap();
    let tenc = file.init.as_ref().unwrap().tracks[0].sample_entries[0]
        .protection
        .as_ref()
        .unwrap()
        .track_encryption
        .clone()
        .unwrap();
    assert_eq!(
        (
            tenc.version,
            tenc.defaults.crypt_byte_block,
            tenc.defaults.skip_byte_block
        ),
        (1, 1, 9)
    );
    assert_eq!(tenc.defaults.constant_iv.as_deref(), Some(&constant[..]));
    let samples = &file.segments[0].samples;
    for sample in samples {
        let crypto = sample.encryption.as_ref().unwrap();
        assert_eq!(crypto.iv, constant);
        assert_eq!(
            crypto.pattern,
            Some(Pattern {
                crypt_byte_block: 1,
                skip_byte_block: 9
            })
        );
        let e = crypto.as_sample_encryption().unwrap();
        assert_eq!(e.scheme, Scheme::Cbcs);
    }
    assert_eq!(
        samples[0].encryption.as_ref().unwrap().subsamples,
        subsamples(&[(16, 160)])
    );
}
