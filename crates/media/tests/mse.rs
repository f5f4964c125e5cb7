//! The MSE buffering model on the real test content (`wpt-subset/encrypted-media/content`):
//! chunking, initialization segments, timestampOffset, modes, the append window, overlaps,
//! removal, eviction and hostile input.

mod common;

use common::*;
use eme_media::mse::{
    AppendError, AppendMode, AppendState, AttributeError, SourceBufferState, TrackKind,
};
use eme_media::{CodedFrame, MediaTime, Sample, TimeRanges, parse_file};

fn content(path: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../wpt-subset/encrypted-media/content/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `units` of a `timescale` clock.
fn t(units: i64, timescale: u32) -> MediaTime {
    MediaTime::from_timescale(units, timescale)
}

fn secs(seconds: f64) -> MediaTime {
    MediaTime::from_secs_f64(seconds)
}

fn ranges(list: &[(MediaTime, MediaTime)]) -> TimeRanges {
    let mut out = TimeRanges::new();
    for &(start, end) in list {
        out.add(start, end);
    }
    out
}

const VIDEO: &str = "video/mp4; codecs=\"avc1.4d400c\"";
const AUDIO: &str = "audio/mp4; codecs=\"mp4a.40.2\"";

/// The clear video: 50 frames of 512/12800 s, keyframes at frames 0 and 25, each presented
/// 1024 units after its decode; the edit list (`media_time` 1024) starts the presentation at
/// the first frame, so every time moves 1024 units (0.08 s) earlier: [0, 2 s), the second
/// keyframe at 1 s, the first frame decoded at −0.08 s.
const VIDEO_END: i64 = 25600;
/// The clear audio: 88 frames, 87 of 1024/44100 s and a last one of 136 units. The edit list
/// (`media_time` 1024) moves every time 1024 units earlier: the first frame, the encoder
/// priming, lies at [−1024/44100 s, 0) and the rest at [0, 88200/44100 s) = [0, 2 s).
const AUDIO_PRIMING: i64 = 1024;
const AUDIO_END: i64 = 88200;

fn appended(type_: &str, chunks: &[&[u8]]) -> SourceBufferState {
    let mut buffer = SourceBufferState::new(type_).unwrap();
    for chunk in chunks {
        buffer.append(chunk).unwrap();
    }
    buffer
}

fn frames(buffer: &SourceBufferState) -> Vec<CodedFrame> {
    buffer.track_buffers()[0].frames().to_vec()
}

/// `ftyp` + `moov` of a file, and its `moof` + `mdat` pairs.
fn segments(file: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut offset = 0;
    let (mut init, mut media) = (Vec::new(), Vec::new());
    while offset < file.len() {
        let size = u32::from_be_bytes(file[offset..offset + 4].try_into().unwrap()) as usize;
        let bytes = &file[offset..offset + size];
        match &file[offset + 4..offset + 8] {
            b"ftyp" | b"moov" => init.extend_from_slice(bytes),
            b"moof" => media.push(bytes.to_vec()),
            b"mdat" => media.last_mut().unwrap().extend_from_slice(bytes),
            _ => {}
        }
        offset += size;
    }
    (init, media)
}

/// A `moof` + `mdat` holding `samples` of one track.
fn media_segment(sequence: u32, samples: &[Sample]) -> Vec<u8> {
    let entries: Vec<TrunSample> = samples
        .iter()
        .map(|s| TrunSample {
            duration: s.duration,
            size: s.size,
            flags: if s.is_sync { 0x0200_0000 } else { 0x0101_0000 },
            composition_offset: s.composition_offset as i32,
        })
        .collect();
    let flags = TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | TRUN_CTO;
    let build = |data_offset: i32| {
        container(
            b"moof",
            &[
                mfhd(sequence),
                container(
                    b"traf",
                    &[
                        tfhd(0x20000, samples[0].track_id, 0, 0, 0, 0, 0),
                        tfdt(1, samples[0].decode_time),
                        trun(0, flags, data_offset, 0, &entries),
                    ],
                ),
            ],
        )
    };
    let moof = build(build(0).len() as i32 + 8);
    let data: Vec<u8> = samples.iter().flat_map(|s| s.data.clone()).collect();
    [moof, bx(b"mdat", &data)].concat()
}

/// The clear video as an initialization segment and one media segment per group of pictures.
fn video_by_gop() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let file = content("clear/video.mp4");
    let (init, _) = segments(&file);
    let samples: Vec<Sample> = parse_file(&file).unwrap().samples().cloned().collect();
    assert!(samples[25].is_sync);
    (
        init,
        media_segment(1, &samples[..25]),
        media_segment(2, &samples[25..]),
    )
}

/// Deterministic pseudo-random numbers.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

#[test]
fn whole_file_one_byte_and_random_chunks_give_identical_buffers() {
    for (type_, path, end) in [
        (VIDEO, "clear/video.mp4", t(VIDEO_END, 12800)),
        (VIDEO, "cenc/video.mp4", t(VIDEO_END, 12800)),
        (VIDEO, "cbcs/video.mp4", t(VIDEO_END, 12800)),
        (AUDIO, "clear/audio.mp4", t(AUDIO_END, 44100)),
        (AUDIO, "cenc/audio.mp4", t(AUDIO_END, 44100)),
    ] {
        let file = content(path);
        let mut whole = SourceBufferState::new(type_).unwrap();
        let outcome = whole.append(&file).unwrap();
        assert_eq!(outcome.init_segments.len(), 1);
        assert!(outcome.init_segments[0].first);
        assert_eq!(
            outcome.init_segments[0].has_init_data,
            !path.starts_with("clear")
        );
        assert_eq!(outcome.media_segments, 1);
        let samples = parse_file(&file).unwrap().samples().count();
        // The audio priming frame, presented before the default appendWindowStart (0), is
        // dropped (coded frame processing: "If presentation timestamp is less than
        // appendWindowStart … drop the coded frame").
        let before_zero = usize::from(type_ == AUDIO);
        assert_eq!(
            (outcome.coded_frames_added, outcome.coded_frames_dropped),
            (samples - before_zero, before_zero)
        );
        assert_eq!(outcome.highest_frame_end, Some(end));
        assert_eq!(outcome.new_duration(MediaTime::ZERO), Some(end));
        assert_eq!(outcome.new_duration(secs(10.0)), None);

        // Both start at 0: the video's first frame by its edit list, the audio after the drop.
        let start = MediaTime::ZERO;
        assert_eq!(
            whole.buffered(false),
            TimeRanges::single(start, end),
            "{path}"
        );
        assert_eq!(whole.highest_end_time(), end);
        let track = &whole.track_buffers()[0];
        assert_eq!(track.ranges(), &TimeRanges::single(start, end));
        assert_eq!(
            track.frames().iter().all(|f| f.encryption.is_some()),
            !path.starts_with("clear")
        );
        assert!(track.frames().windows(2).all(|w| w[0].dts <= w[1].dts));
        assert_eq!(whole.append_state(), AppendState::WaitingForSegment);

        let single_bytes: Vec<&[u8]> = file.chunks(1).collect();
        let by_byte = appended(type_, &single_bytes);
        assert_eq!(frames(&by_byte), frames(&whole), "{path} byte by byte");
        assert_eq!(by_byte.buffered(false), whole.buffered(false));

        let mut rng = Lcg(path.len() as u64);
        for _ in 0..5 {
            let mut chunks = Vec::new();
            let mut rest = &file[..];
            while !rest.is_empty() {
                let (chunk, tail) = rest.split_at((1 + rng.next(3000)).min(rest.len()));
                chunks.push(chunk);
                rest = tail;
            }
            let random = appended(type_, &chunks);
            assert_eq!(
                frames(&random),
                frames(&whole),
                "{path} in {} chunks",
                chunks.len()
            );
            assert_eq!(random.buffered(false), whole.buffered(false));
        }
    }
}

#[test]
fn initialization_segments_first_repeated_and_mismatched() {
    let (init, media) = segments(&content("clear/video.mp4"));
    let mut buffer = SourceBufferState::new(VIDEO).unwrap();
    assert!(!buffer.first_initialization_segment_received());
    let outcome = buffer.append(&init).unwrap();
    assert!(outcome.init_segments[0].first);
    assert_eq!(outcome.init_segments[0].duration, None);
    assert_eq!(outcome.coded_frames_added, 0);
    assert!(buffer.first_initialization_segment_received());
    assert_eq!(buffer.track_buffers()[0].kind(), TrackKind::Video);
    assert!(buffer.buffered(false).is_empty());

    // A second identical initialization segment is accepted; the media follows it.
    let outcome = buffer.append(&init).unwrap();
    assert!(!outcome.init_segments[0].first);
    assert_eq!(buffer.append(&media[0]).unwrap().coded_frames_added, 50);
    assert_eq!(buffer.track_buffers().len(), 1);

    // Another track layout (audio instead of video) is an append error.
    let (audio_init, _) = segments(&content("clear/audio.mp4"));
    let mut both = SourceBufferState::new(r#"video/mp4; codecs="avc1.4d400c, mp4a.40.2""#).unwrap();
    both.append(&init).unwrap();
    let Err(AppendError::Decode { reason, .. }) = both.append(&audio_init) else {
        panic!("an audio initialization segment was accepted by a video buffer");
    };
    assert!(reason.contains("1 audio tracks"), "{reason}");
    assert_eq!(both.track_buffers().len(), 1);
    // The video buffer refuses it already for its codec, absent from the type's codecs.
    assert!(buffer.append(&audio_init).is_err());
    assert_eq!(buffer.track_buffers()[0].frames().len(), 50);

    // An audio/mp4 buffer refuses a video track: its codec is not the type's.
    let mut audio = SourceBufferState::new(AUDIO).unwrap();
    let Err(AppendError::Decode { reason, .. }) = audio.append(&init) else {
        panic!("video accepted by audio/mp4");
    };
    assert!(reason.contains("avc1"), "{reason}");

    // A media segment before any initialization segment.
    let mut fresh = SourceBufferState::new(VIDEO).unwrap();
    assert!(matches!(
        fresh.append(&media[0]),
        Err(AppendError::Decode { .. })
    ));
}

#[test]
fn timestamp_offset_shifts_by_exactly_ten_seconds() {
    let file = content("clear/video.mp4");
    let mut buffer = SourceBufferState::new(VIDEO).unwrap();
    buffer.set_timestamp_offset(secs(10.0)).unwrap();
    buffer.append(&file).unwrap();
    let ten = secs(10.0);
    assert_eq!(
        buffer.buffered(false),
        TimeRanges::single(MediaTime::ZERO + ten, t(VIDEO_END, 12800) + ten)
    );
    let plain = appended(VIDEO, &[&file]);
    for (shifted, original) in frames(&buffer).iter().zip(frames(&plain)) {
        assert_eq!(
            (shifted.pts, shifted.dts),
            (original.pts + ten, original.dts + ten)
        );
    }
}

#[test]
fn sequence_mode_appends_segments_back_to_back() {
    let (init, media) = segments(&content("clear/video.mp4"));
    let mut buffer = SourceBufferState::new(VIDEO).unwrap();
    buffer.set_mode(AppendMode::Sequence).unwrap();
    buffer.append(&init).unwrap();
    buffer.append(&media[0]).unwrap();
    // The first frame lands at the group start timestamp (0), where its edit list already
    // presents it: timestampOffset = 0 - 0.
    assert_eq!(buffer.timestamp_offset(), MediaTime::ZERO);
    assert_eq!(
        buffer.buffered(false),
        TimeRanges::single(MediaTime::ZERO, secs(2.0))
    );
    let outcome = buffer.append(&media[0]).unwrap();
    assert_eq!(outcome.coded_frames_added, 50);
    assert_eq!(outcome.group_end_timestamp, secs(4.0));
    assert_eq!(
        buffer.buffered(false),
        TimeRanges::single(MediaTime::ZERO, secs(4.0))
    );
    assert_eq!(buffer.track_buffers()[0].frames().len(), 100);

    // Audio: the same segment three times makes three times its duration, gaplessly. Sequence
    // mode moves the first frame (the priming frame, at -1024/44100 s) to the group start
    // timestamp 0 before the append window is applied, so no frame is dropped.
    let (audio_init, audio_media) = segments(&content("clear/audio.mp4"));
    let mut audio = SourceBufferState::new(AUDIO).unwrap();
    audio.set_mode(AppendMode::Sequence).unwrap();
    audio.append(&audio_init).unwrap();
    let outcome = audio.append(&audio_media[0]).unwrap();
    assert_eq!(
        (outcome.coded_frames_added, outcome.coded_frames_dropped),
        (88, 0)
    );
    assert_eq!(audio.timestamp_offset(), t(AUDIO_PRIMING, 44100));
    for _ in 0..2 {
        audio.append(&audio_media[0]).unwrap();
    }
    let whole = AUDIO_PRIMING + AUDIO_END;
    assert_eq!(
        audio.buffered(false),
        TimeRanges::single(MediaTime::ZERO, t(3 * whole, 44100))
    );
    // The third copy's first frame landed at the second's end: 2 * whole - (-1024) units.
    assert_eq!(
        audio.timestamp_offset(),
        t(2 * whole + AUDIO_PRIMING, 44100)
    );
}

#[test]
fn append_window_drops_frames_outside_it() {
    let mut video = SourceBufferState::new(VIDEO).unwrap();
    video.set_append_window_end(secs(1.5)).unwrap();
    video.set_append_window_start(secs(0.5)).unwrap();
    let outcome = video.append(&content("clear/video.mp4")).unwrap();
    // Frames before 0.5 s are dropped, then the non-keyframes up to the keyframe at 1.0 s
    // (a random access point is needed after a drop), then frames ending after 1.5 s: the
    // frame at 1.52 s, decoded before those at 1.44 s and 1.48 s, so that the one at 1.44 s,
    // which ends inside the window, goes too for want of a random access point.
    assert_eq!(
        video.buffered(false),
        TimeRanges::single(secs(1.0), secs(1.44))
    );
    assert_eq!(outcome.coded_frames_added, 11);
    assert_eq!(outcome.coded_frames_dropped, 39);
    assert!(video.track_buffers()[0].need_random_access_point());

    let mut audio = SourceBufferState::new(AUDIO).unwrap();
    audio.set_append_window_start(secs(0.5)).unwrap();
    audio.set_append_window_end(secs(1.5)).unwrap();
    audio.append(&content("clear/audio.mp4")).unwrap();
    // Every AAC frame is a random access point: the frames presented from 22 * 1024 to
    // 64 * 1024 units (frames 23 to 64; frame 0 is the priming frame before 0) are inside.
    assert_eq!(
        audio.buffered(false),
        TimeRanges::single(t(22 * 1024, 44100), t(64 * 1024, 44100))
    );

    assert_eq!(
        audio.set_append_window_start(secs(2.0)),
        Err(AttributeError::Type(
            "appendWindowStart must be at least 0 and below appendWindowEnd"
        ))
    );
    assert!(audio.set_append_window_end(secs(0.5)).is_err());
    audio.abort();
    assert_eq!(
        (audio.append_window_start(), audio.append_window_end()),
        (MediaTime::ZERO, MediaTime::MAX)
    );
}

#[test]
fn overlapping_appends_replace_frames_and_out_of_order_appends_unite() {
    let file = content("clear/video.mp4");
    let once = appended(VIDEO, &[&file]);
    let (init, media) = segments(&file);
    let twice = appended(VIDEO, &[&init, &media[0], &media[0]]);
    assert_eq!(frames(&twice), frames(&once));
    assert_eq!(twice.buffered(false), once.buffered(false));

    let (init, first, second) = video_by_gop();
    let in_order = appended(VIDEO, &[&init, &first, &second]);
    assert_eq!(frames(&in_order), frames(&once));
    let reversed = appended(VIDEO, &[&init, &second, &first]);
    assert_eq!(frames(&reversed), frames(&once));
    assert_eq!(reversed.buffered(false), once.buffered(false));
    let only_second = appended(VIDEO, &[&init, &second]);
    assert_eq!(
        only_second.buffered(false),
        TimeRanges::single(secs(1.0), secs(2.0))
    );

    // Appending the first group again over both replaces just it.
    let mut again = appended(VIDEO, &[&init, &first, &second]);
    again.append(&first).unwrap();
    assert_eq!(frames(&again), frames(&once));

    let (audio_init, audio_media) = segments(&content("clear/audio.mp4"));
    let audio_twice = appended(AUDIO, &[&audio_init, &audio_media[0], &audio_media[0]]);
    assert_eq!(
        frames(&audio_twice),
        frames(&appended(AUDIO, &[&content("clear/audio.mp4")]))
    );
}

#[test]
fn a_decode_timestamp_jump_is_a_discontinuity_that_needs_a_random_access_point() {
    let (init, first, second) = video_by_gop();
    let mut buffer = appended(VIDEO, &[&init, &first]);
    // 5 s later: far more than twice the last frame duration.
    buffer.set_timestamp_offset(secs(5.0)).unwrap();
    let outcome = buffer.append(&second).unwrap();
    assert_eq!(outcome.coded_frames_added, 25);
    assert_eq!(
        buffer.buffered(false),
        ranges(&[(MediaTime::ZERO, secs(1.0)), (secs(6.0), secs(7.0))])
    );
    assert_eq!(buffer.group_end_timestamp(), secs(7.0));

    // A group that starts without a keyframe after a discontinuity is dropped up to one.
    let file = content("clear/video.mp4");
    let samples: Vec<Sample> = parse_file(&file).unwrap().samples().cloned().collect();
    let mut buffer = appended(VIDEO, &[&init, &first]);
    buffer.set_timestamp_offset(secs(-0.2)).unwrap();
    let outcome = buffer.append(&media_segment(3, &samples[5..30])).unwrap();
    assert_eq!(
        (outcome.coded_frames_added, outcome.coded_frames_dropped),
        (5, 20)
    );
    // The keyframe, now at 0.8 s, and its four followers replace the old frames presented
    // from 0.8 s (the overlapped frame and the frames decoded after it).
    assert_eq!(
        buffer.buffered(false),
        ranges(&[(MediaTime::ZERO, secs(1.0))])
    );
    let frames = buffer.track_buffers()[0].frames();
    assert_eq!(frames.len(), 25);
    assert!(frames[20].is_sync && frames[20].pts == secs(0.8));
}

#[test]
fn remove_takes_frames_and_their_dependents_up_to_the_next_keyframe() {
    let mut video = appended(VIDEO, &[&content("clear/video.mp4")]);
    let duration = secs(2.0);
    let removal = video.remove(secs(0.5), secs(0.98), duration);
    // Removal extends to the next random access point at or after 0.98 s (the keyframe at
    // 1.0 s): frames presented at 0.52 s to 0.96 s go; the frame at 0.48 s stays whole.
    assert_eq!(removal.remove_end_timestamp, secs(1.0));
    assert_eq!(removal.frames_removed, 12);
    assert_eq!(
        video.buffered(false),
        ranges(&[(MediaTime::ZERO, secs(0.52)), (secs(1.0), secs(2.0))])
    );
    assert_eq!(video.track_buffers()[0].frames().len(), 38);

    // Removing the tail, the last decoded frame, restarts the append sequence.
    let removal = video.remove(secs(1.5), MediaTime::MAX, duration);
    assert_eq!(removal.remove_end_timestamp, duration);
    assert!(video.track_buffers()[0].last_decode_timestamp().is_none());
    // Frames presented from 1.5 s on go, and with the first of them in decode order, the
    // frame at 1.52 s, its dependents up to the next random access point (none): the frames
    // at 1.44 s and 1.48 s, decoded after it, and everything after.
    assert_eq!(removal.frames_removed, 14);
    assert_eq!(
        video.buffered(false),
        ranges(&[(MediaTime::ZERO, secs(0.52)), (secs(1.0), secs(1.44))])
    );

    let mut audio = appended(AUDIO, &[&content("clear/audio.mp4")]);
    audio.remove(secs(0.5), secs(1.0), t(AUDIO_END, 44100));
    // Frames starting in [0.5 s, the first frame start at or after 1.0 s) go: those presented
    // from 22 * 1024 to 44 * 1024 units (frames 23 to 44; frame 0, the priming frame before
    // 0, was never buffered).
    assert_eq!(
        audio.buffered(false),
        ranges(&[
            (MediaTime::ZERO, t(22 * 1024, 44100)),
            (t(44 * 1024, 44100), t(AUDIO_END, 44100))
        ])
    );
}

#[test]
fn eviction_removes_whole_groups_before_the_playback_position_or_fails() {
    let (init, first, second) = video_by_gop();
    let mut buffer = appended(VIDEO, &[&init, &first, &second]);
    let held = buffer.size_in_bytes();
    let first_group: usize = frames(&buffer)[..25].iter().map(|f| f.data.len()).sum();
    buffer.set_memory_limit(held + 100);
    assert!(!buffer.buffer_full());

    // Fits: nothing evicted.
    assert_eq!(
        buffer
            .prepare_append(100, secs(1.5))
            .unwrap()
            .frames_removed,
        0
    );
    // Nothing presented before 0.5 s ends a group: no room can be made.
    assert_eq!(
        buffer.prepare_append(1000, secs(0.5)),
        Err(AppendError::QuotaExceeded {
            needed: held + 1000,
            limit: held + 100
        })
    );
    // At 1.5 s the first group (ending at 1.0 s) can go, and is enough.
    let eviction = buffer.prepare_append(1000, secs(1.5)).unwrap();
    assert_eq!(
        (eviction.frames_removed, eviction.evicted_before),
        (25, Some(secs(1.0)))
    );
    assert_eq!(buffer.size_in_bytes(), held - first_group);
    assert_eq!(
        buffer.buffered(false),
        TimeRanges::single(secs(1.0), secs(2.0))
    );
    // More than the limit can never fit.
    assert!(matches!(
        buffer.prepare_append(held * 2, secs(5.0)),
        Err(AppendError::QuotaExceeded { .. })
    ));
    assert!(
        buffer.buffered(false).is_empty(),
        "evicted everything before 5 s trying"
    );

    // Defaults: Chromium's.
    assert_eq!(
        SourceBufferState::new(VIDEO).unwrap().memory_limit(),
        150 << 20
    );
    assert_eq!(
        SourceBufferState::new(AUDIO).unwrap().memory_limit(),
        12 << 20
    );
}

#[test]
fn reset_parser_state_drops_a_partial_segment_and_keeps_the_initialization_segment() {
    let (init, media) = segments(&content("clear/video.mp4"));
    let mut buffer = appended(VIDEO, &[&init]);
    buffer.append(&media[0][..700]).unwrap();
    assert_eq!(buffer.append_state(), AppendState::ParsingMediaSegment);
    assert_eq!(
        buffer.set_timestamp_offset(secs(1.0)),
        Err(AttributeError::InvalidState(
            "a media segment is being parsed"
        ))
    );
    assert!(buffer.set_mode(AppendMode::Sequence).is_err());
    buffer.reset_parser_state();
    assert_eq!(buffer.append_state(), AppendState::WaitingForSegment);
    assert!(buffer.track_buffers()[0].need_random_access_point());
    let outcome = buffer.append(&media[0]).unwrap();
    assert_eq!(outcome.coded_frames_added, 50);
    assert_eq!(
        frames(&buffer),
        frames(&appended(VIDEO, &[&content("clear/video.mp4")]))
    );
}

#[test]
fn the_playback_engine_reads_frames_by_presentation_time() {
    let buffer = appended(VIDEO, &[&content("clear/video.mp4")]);
    let id = buffer.track_buffers()[0].track_id();
    let frame = buffer.frame_at(id, secs(1.02)).unwrap();
    assert_eq!((frame.pts, frame.is_sync), (secs(1.0), true));
    assert_eq!(buffer.frame_at(id, secs(1.01)).unwrap().pts, secs(1.0));
    let frame = buffer.frame_at(id, secs(1.1)).unwrap();
    assert_eq!((frame.pts, frame.is_sync), (secs(1.08), false));
    // The first frame, at 0 by the edit list, covers [0, 0.04 s); nothing is before it.
    assert_eq!(
        buffer.frame_at(id, secs(0.01)).unwrap().pts,
        MediaTime::ZERO
    );
    assert!(buffer.frame_at(id, secs(-0.01)).is_none());
    assert!(buffer.frame_at(id, secs(2.0)).is_none());
    // Decoding for 1.5 s starts at the keyframe at 1.0 s; from 0, at the first frame.
    assert_eq!(buffer.frames_from(id, secs(1.5))[0].pts, secs(1.0));
    assert_eq!(buffer.frames_from(id, secs(1.5)).len(), 25);
    assert_eq!(buffer.frames_from(id, MediaTime::ZERO).len(), 50);
    assert!(buffer.frames_from(id, secs(3.0)).is_empty());
    assert!(buffer.frames_from(id + 1, MediaTime::ZERO).is_empty());
}

#[test]
fn muxed_tracks_intersect_and_the_ended_state_extends_them() {
    // The synthetic fixture: video at 1 s (3 frames of 1/30 s; the third is presented with
    // the second, leaving a gap) and audio at 1 s (2 frames of 1024/48000 s).
    let mut buffer = SourceBufferState::new("video/mp4").unwrap();
    let stream = [fixtures::init_segment(), fixtures::media_segment_1()].concat();
    let outcome = buffer.append(&stream).unwrap();
    assert!(outcome.init_segments[0].has_init_data);
    assert_eq!(outcome.coded_frames_added, 5);
    let video_end = t(99000, 90000);
    assert_eq!(buffer.highest_end_time(), video_end);
    let audio_end = t(48000 + 2048, 48000);
    assert_eq!(
        buffer.track_buffers()[0].ranges(),
        &ranges(&[(secs(1.0), t(93000, 90000)), (t(96000, 90000), video_end)])
    );
    assert_eq!(
        buffer.track_buffers()[1].ranges(),
        &TimeRanges::single(secs(1.0), audio_end)
    );
    assert_eq!(
        buffer.buffered(false),
        TimeRanges::single(secs(1.0), audio_end.min(t(93000, 90000)))
    );
    // Ended: each track's last range reaches the highest end time.
    assert_eq!(
        buffer.buffered(true),
        ranges(&[(secs(1.0), t(93000, 90000)), (t(96000, 90000), video_end)])
    );
}

#[test]
fn hostile_input_is_a_decode_error_never_a_panic() {
    let mut rng = Lcg(7);
    for round in 0..200 {
        let mut buffer = SourceBufferState::new(VIDEO).unwrap();
        let garbage: Vec<u8> = (0..rng.next(400)).map(|_| rng.next(256) as u8).collect();
        match buffer.append(&garbage) {
            Ok(outcome) => assert_eq!(outcome.coded_frames_added, 0, "round {round}"),
            Err(AppendError::Decode { .. }) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert!(matches!(
        SourceBufferState::new(VIDEO)
            .unwrap()
            .append(b"\0\0\0\x04moov"),
        Err(AppendError::Decode { .. })
    ));
    // A progressive file is no MSE byte stream: its moov has samples and no mvex.
    assert!(matches!(
        SourceBufferState::new(VIDEO)
            .unwrap()
            .append(&content("progressive/cenc.mp4")),
        Err(AppendError::Decode { .. })
    ));

    // Every truncation waits for more; single-byte corruptions fail cleanly or pass.
    let file = content("cenc/video.mp4");
    for cut in (0..file.len()).step_by(97) {
        let mut buffer = SourceBufferState::new(VIDEO).unwrap();
        buffer.append(&file[..cut]).unwrap();
        assert!(buffer.track_buffers().iter().all(|b| b.frames().is_empty()));
    }
    for position in (0..file.len()).step_by(13) {
        let mut corrupt = file.clone();
        corrupt[position] ^= 1 << rng.next(8);
        let mut buffer = SourceBufferState::new(VIDEO).unwrap();
        for chunk in corrupt.chunks(1 + rng.next(2000)) {
            if buffer.append(chunk).is_err() {
                break;
            }
        }
        let _ = buffer.buffered(true);
        let _ = buffer.remove(MediaTime::MIN, MediaTime::MAX, MediaTime::MAX);
    }
}
