//! Edit lists (`edts/elst`, ISO/IEC 14496-12 8.6.6): the offset between a track's media
//! timeline and the presentation timeline that `Track::presentation_offset` holds and
//! `CodedFrame::from_sample` applies.

mod common;

use common::*;
use eme_media::{CodedFrame, ErrorKind, MediaTime, Sample, Track, parse_file};

/// One `elst` entry: (segment_duration in the movie timescale, media_time in the track's; -1
/// for an empty edit).
type Edit = (u64, i64);

fn elst(version: u8, entry_count: u32, edits: &[Edit]) -> Vec<u8> {
    let mut w = W::new().full(version, 0).u32(entry_count);
    for &(segment_duration, media_time) in edits {
        w = if version == 1 {
            w.u64(segment_duration).u64(media_time as u64)
        } else {
            w.u32(segment_duration as u32).i32(media_time as i32)
        };
        w = w.u16(1).u16(0); // media_rate 1.0
    }
    bx(b"elst", &w.done())
}

/// A fragmented file's initialization segment: a movie timescale of 1000 and one video track
/// of `timescale` whose `trak` holds `edts` when given.
fn init_with(timescale: u32, edts: Option<Vec<u8>>) -> Vec<u8> {
    let entry = visual_entry(b"avc1", &[bx(b"avcC", &[1, 2, 3])]);
    let stbl = container(b"stbl", &[vec![stsd(&[entry])], empty_tables()].concat());
    let minf = container(b"minf", &[stbl]);
    let mdia = container(b"mdia", &[mdhd(timescale), hdlr(b"vide"), minf]);
    let mut trak_children = vec![tkhd(1, 320, 180)];
    trak_children.extend(edts);
    trak_children.push(mdia);
    let moov = container(
        b"moov",
        &[
            mvhd(1000),
            container(b"trak", &trak_children),
            container(b"mvex", &[trex(1, 1, 512, 0, 0)]),
        ],
    );
    [ftyp(), moov].concat()
}

fn track_of(bytes: &[u8]) -> Track {
    let file = parse_file(bytes).unwrap();
    file.init.unwrap().tracks[0].clone()
}

fn offset(timescale: u32, version: u8, edits: &[Edit]) -> MediaTime {
    let edts = container(b"edts", &[elst(version, edits.len() as u32, edits)]);
    track_of(&init_with(timescale, Some(edts))).presentation_offset
}

fn ms(millis: i64) -> MediaTime {
    MediaTime::from_timescale(millis, 1000)
}

#[test]
fn without_an_edit_list_the_offset_is_zero() {
    assert_eq!(
        track_of(&init_with(12800, None)).presentation_offset,
        MediaTime::ZERO
    );
    // An `edts` without an `elst`, and an empty `elst`, are no edit either.
    let edts = container(b"edts", &[]);
    assert_eq!(
        track_of(&init_with(12800, Some(edts))).presentation_offset,
        MediaTime::ZERO
    );
    assert_eq!(offset(12800, 0, &[]), MediaTime::ZERO);
}

#[test]
fn a_media_edit_starts_the_presentation_at_its_media_time() {
    // Packager's edit for video with B-frames: media_time = the first composition offset.
    assert_eq!(offset(12800, 0, &[(0, 1024)]), ms(-80));
    assert_eq!(offset(12800, 0, &[(2000, 1024)]), ms(-80));
    assert_eq!(offset(12800, 0, &[(2000, 0)]), MediaTime::ZERO);
    // The 44.1 kHz audio edit: exactly 1024 units, not rounded through milliseconds.
    assert_eq!(
        offset(44100, 0, &[(0, 1024)]),
        MediaTime::ZERO - MediaTime::from_timescale(1024, 44100)
    );
    // Only the first media edit counts: later edits (cuts, repeats) are not applied.
    assert_eq!(offset(12800, 0, &[(500, 1024), (500, 12800)]), ms(-80));
}

#[test]
fn leading_empty_edits_delay_the_presentation() {
    // 500 units of the movie timescale (1000), then media from 0: +0.5 s.
    assert_eq!(offset(12800, 0, &[(500, -1), (1500, 0)]), ms(500));
    // Empty edits add up; the media edit's media_time (track timescale) then subtracts.
    assert_eq!(
        offset(12800, 0, &[(250, -1), (250, -1), (1500, 1024)]),
        ms(500 - 80)
    );
    // Only empty edits: the delay alone.
    assert_eq!(offset(12800, 0, &[(300, -1)]), ms(300));
}

#[test]
fn version_1_entries_have_64_bit_fields() {
    assert_eq!(offset(12800, 1, &[(0, 1024)]), ms(-80));
    assert_eq!(offset(12800, 1, &[(500, -1), (1500, 0)]), ms(500));
    // A duration beyond 32 bits: 2^32 ms of delay.
    assert_eq!(
        offset(12800, 1, &[(1 << 32, -1), (0, 1024)]),
        ms((1 << 32) - 80)
    );
}

#[test]
fn an_entry_count_beyond_the_box_is_an_error() {
    for (version, entry_size) in [(0u8, 12), (1, 20)] {
        // Two entries announced, one present; and a count that overflows on multiplication.
        for (count, edits) in [(2, vec![(0, 1024)]), (u32::MAX, vec![(0, 1024)])] {
            let edts = container(b"edts", &[elst(version, count, &edits)]);
            let error = parse_file(&init_with(12800, Some(edts))).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Malformed, "{error}");
            assert_eq!(error.path, "moov/trak[0]/edts/elst", "{error}");
            let message = error.to_string();
            assert!(
                message.contains("edit list entries")
                    && message.contains(&format!("of {entry_size} bytes"))
                    && message.contains("elst"),
                "{message}"
            );
        }
        // A truncated entry (the count fits, the box ends inside the entry).
        let mut edts_payload = elst(version, 1, &[(0, 1024)]);
        edts_payload.truncate(edts_payload.len() - 2);
        let size = edts_payload.len() as u32;
        edts_payload[..4].copy_from_slice(&size.to_be_bytes());
        let edts = container(b"edts", &[edts_payload]);
        assert!(parse_file(&init_with(12800, Some(edts))).is_err());
    }
}

#[test]
fn frames_move_by_the_offset() {
    let edts = container(b"edts", &[elst(0, 1, &[(0, 1024)])]);
    let track = track_of(&init_with(12800, Some(edts)));
    let sample = Sample {
        track_id: 1,
        offset: 0,
        size: 1,
        duration: 512,
        decode_time: 512,
        composition_offset: 1024,
        is_sync: true,
        description_index: 1,
        encryption: None,
        data: vec![0],
    };
    let frame = CodedFrame::from_sample(&sample, &track);
    assert_eq!(
        (frame.dts, frame.pts, frame.duration),
        (ms(-40), ms(40), ms(40))
    );
    let plain = Track {
        presentation_offset: MediaTime::ZERO,
        ..track
    };
    let frame = CodedFrame::from_sample(&sample, &plain);
    assert_eq!((frame.dts, frame.pts), (ms(40), ms(120)));
}
