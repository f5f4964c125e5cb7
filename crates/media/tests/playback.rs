//! The playback engine on real content (`scripts/make-test-media`): encrypted clips played to
//! the end in virtual time present exactly the clear clip's frames, in HTML's event order;
//! missing keys wait, wrong keys are decode errors, seeks, pauses and rates behave as HTML says.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use eme_media::playback::{
    EngineEvent, FileSource, FrameSource, KeySource, MediaErrorCode, NetworkState, PlaybackEngine,
    ReadyState, TrackSummary, file_digests, file_digests_from, presentation_digest,
};
use eme_media::{CodedFrame, MediaTime, TimeRanges, parse_file};

fn content(path: &str) -> Vec<u8> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../wpt-subset/encrypted-media/content")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

type Keys = BTreeMap<[u8; 16], [u8; 16]>;

/// The keys of `keys.json` entries ("video", "audio", "progressive").
fn keys(names: &[&str]) -> Keys {
    let all: serde_json::Value = serde_json::from_slice(&content("keys.json")).unwrap();
    names
        .iter()
        .map(|name| {
            let hex = |field: &str| eme_cdm::hex::decode(all[name][field].as_str().unwrap());
            (hex("kid").unwrap(), hex("key").unwrap())
        })
        .collect()
}

fn t(seconds: f64) -> MediaTime {
    MediaTime::from_secs_f64(seconds)
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A host with a virtual clock: it jumps to each due time.
struct Host {
    engine: PlaybackEngine,
    now: Duration,
    steps: usize,
}

impl Host {
    fn new() -> Host {
        Host {
            engine: PlaybackEngine::new(),
            now: Duration::ZERO,
            steps: 0,
        }
    }

    /// Loads `path` with `keys` (none: no MediaKeys).
    fn load(&mut self, path: &str, keys: Option<Box<dyn KeySource>>) -> Vec<EngineEvent> {
        let mut events = self.engine.set_keys(self.now, keys);
        let source = FileSource::from_bytes(&content(path)).unwrap();
        events.extend(self.engine.load(self.now, Some(Box::new(source))));
        events
    }

    fn play(&mut self) -> Vec<EngineEvent> {
        self.engine.play(self.now).unwrap()
    }

    /// Runs every due step up to `until` (then sets the clock there).
    fn run_until(&mut self, until: Duration) -> Vec<EngineEvent> {
        let mut events = Vec::new();
        while let Some(due) = self.engine.next_due() {
            if due > until {
                break;
            }
            assert!(due >= self.now, "the clock must not go back");
            self.now = due;
            events.extend(self.engine.advance(due));
            self.steps += 1;
            assert!(self.steps < 10_000, "the engine does not progress");
        }
        self.now = until;
        events.extend(self.engine.advance(until));
        events
    }

    /// Runs until nothing is due.
    fn run(&mut self) -> Vec<EngineEvent> {
        self.run_until(Duration::from_secs(3600))
    }
}

/// Event names, with the promise actions as "resolve" / "reject".
fn names(events: &[EngineEvent]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| match e {
            EngineEvent::ResolvePlayPromises => "resolve",
            EngineEvent::RejectPlayPromises { .. } => "reject",
            other => other.name().unwrap(),
        })
        .collect()
}

/// `names` without the timeupdates, and how many there were.
fn without_timeupdates(events: &[EngineEvent]) -> (Vec<&'static str>, usize) {
    let all = names(events);
    let count = all.iter().filter(|n| **n == "timeupdate").count();
    (
        all.into_iter().filter(|n| *n != "timeupdate").collect(),
        count,
    )
}

/// The digest the clear counterpart of `path` gives for its only track.
fn clear_digest(path: &str) -> (usize, [u8; 32]) {
    let file = parse_file(&content(path)).unwrap();
    *file_digests(&file).values().next().unwrap()
}

const LOADED: [&str; 9] = [
    "loadstart",
    "durationchange",
    "resize",
    "loadedmetadata",
    "loadeddata",
    "canplay",
    "canplaythrough",
    "progress",
    "suspend",
];

#[test]
fn cenc_video_plays_to_the_end_in_html_order_and_presents_the_clear_frames() {
    let mut host = Host::new();
    let loaded = host.load("cenc/video.mp4", Some(Box::new(keys(&["video"]))));
    assert_eq!(names(&loaded), LOADED);
    assert_eq!(host.engine.ready_state(), ReadyState::HaveEnoughData);
    assert_eq!(host.engine.network_state(), NetworkState::Idle);
    // The edit list starts the video at 0: [0, 2 s).
    assert_eq!(host.engine.duration(), Some(t(2.0)));
    assert_eq!(host.engine.video_size(), (160, 90));

    assert_eq!(names(&host.play()), ["play", "playing", "resolve"]);
    let events = host.run();
    // Every 250 ms of the clock up to 2 s (the last at the end itself), then HTML's "reaches
    // the end" task: timeupdate, pause (with the play promises rejected), ended.
    let mut expected = vec!["timeupdate"; 8];
    expected.extend(["timeupdate", "pause", "reject", "ended"]);
    assert_eq!(names(&events), expected);
    assert_eq!(host.now, Duration::from_secs(3600));
    assert_eq!(host.engine.current_time(), t(2.0));
    assert!(host.engine.ended() && host.engine.paused());
    assert_eq!(host.engine.ready_state(), ReadyState::HaveCurrentData);
    assert!(host.steps < 200, "{} steps", host.steps);

    let report = host.engine.report();
    assert_eq!(report.len(), 1);
    let (frames, digest) = clear_digest("clear/video.mp4");
    assert_eq!(report[0].frames_presented, frames);
    assert_eq!(report[0].frames_presented, 50);
    assert_eq!(report[0].time_reached, t(2.0));
    assert_eq!(report[0].digest, digest);
    // The digest sees decryption: the encrypted bytes give another one.
    let (_, encrypted) = clear_digest("cenc/video.mp4");
    assert_ne!(report[0].digest, encrypted);
}

#[test]
fn every_scheme_and_track_plays_to_the_clear_content() {
    for scheme in ["cenc", "cbcs", "cens", "cbc1"] {
        for (track, key) in [("video", "video"), ("audio", "audio")] {
            let path = format!("{scheme}/{track}.mp4");
            let mut host = Host::new();
            host.load(&path, Some(Box::new(keys(&[key]))));
            host.play();
            let events = host.run();
            assert_eq!(names(&events).last(), Some(&"ended"), "{path}");
            let report = &host.engine.report()[0];
            let (frames, digest) = clear_digest(&format!("clear/{track}.mp4"));
            assert_eq!(report.frames_presented, frames, "{path}");
            assert_eq!(report.digest, digest, "{path}");
            assert_eq!(host.engine.error(), None, "{path}");
        }
    }
}

#[test]
fn a_progressive_file_plays_both_tracks() {
    let mut host = Host::new();
    host.load(
        "progressive/cenc.mp4",
        Some(Box::new(keys(&["progressive"]))),
    );
    host.play();
    let events = host.run();
    assert_eq!(names(&events).last(), Some(&"ended"));
    let report = host.engine.report();
    assert_eq!(report.len(), 2);
    let (video_frames, video_digest) = clear_digest("clear/video.mp4");
    assert_eq!(report[0].frames_presented, video_frames);
    assert_eq!(report[0].digest, video_digest);
    // The audio's priming frame, which its edit list puts before 0, is never presented.
    let (audio_frames, audio_digest) = clear_digest("clear/audio.mp4");
    assert_eq!((report[1].frames_presented, audio_frames), (87, 87));
    assert_eq!(report[1].digest, audio_digest);
}

#[test]
fn without_a_key_playback_waits_and_resumes_when_the_key_arrives() {
    let shared: Rc<RefCell<Keys>> = Rc::default();
    let mut host = Host::new();
    let loaded = host.load("cenc/video.mp4", Some(Box::new(Rc::clone(&shared))));
    assert_eq!(
        names(&loaded),
        [
            "loadstart",
            "durationchange",
            "resize",
            "loadedmetadata",
            "waitingforkey",
            "progress",
            "suspend"
        ]
    );
    assert_eq!(host.engine.ready_state(), ReadyState::HaveMetadata);
    assert!(host.engine.is_waiting_for_key());
    // play() while HAVE_METADATA: the promise stays pending, `waiting` fires.
    assert_eq!(names(&host.play()), ["play", "waiting"]);
    assert_eq!(host.engine.next_due(), None);
    assert!(host.run_until(ms(5000)).is_empty());
    assert_eq!(host.engine.current_time(), MediaTime::ZERO);
    // A key for something else changes nothing (no second waitingforkey).
    shared.borrow_mut().extend(keys(&["audio"]));
    assert!(host.engine.key_added(host.now).is_empty());
    // The key: readyState climbs, loadeddata is the first, and playback resumes.
    shared.borrow_mut().extend(keys(&["video"]));
    assert_eq!(
        names(&host.engine.key_added(host.now)),
        [
            "loadeddata",
            "canplay",
            "playing",
            "resolve",
            "canplaythrough"
        ]
    );
    let events = host.run();
    assert_eq!(names(&events).last(), Some(&"ended"));
    assert_eq!(host.engine.current_time(), t(2.0));
    assert_eq!(
        host.engine.report()[0].digest,
        clear_digest("clear/video.mp4").1
    );
}

#[test]
fn losing_the_keys_mid_stream_stalls_with_the_current_frame() {
    let mut host = Host::new();
    host.load("cenc/video.mp4", Some(Box::new(keys(&["video"]))));
    host.play();
    host.run_until(ms(1010));
    let events = host.engine.set_keys(host.now, None);
    // The frame at 1.04 s cannot be decrypted: HTML's ready-state drop (timeupdate, waiting)
    // happens inside EME's Wait for Key, which then queues waitingforkey.
    assert!(events.is_empty());
    let events = host.run_until(ms(3000));
    assert_eq!(names(&events), ["timeupdate", "waiting", "waitingforkey"]);
    assert_eq!(host.engine.current_time(), t(1.04));
    assert_eq!(host.engine.ready_state(), ReadyState::HaveCurrentData);
    assert!(!host.engine.paused());
    let events = host
        .engine
        .set_keys(host.now, Some(Box::new(keys(&["video"]))));
    assert_eq!(
        names(&events),
        ["canplay", "playing", "resolve", "canplaythrough"]
    );
    host.run();
    assert_eq!(host.engine.current_time(), t(2.0));
    // 1.04 s stalled on the clock in the middle, from 1.04 s to 3 s.
    assert_eq!(
        host.engine.report()[0].digest,
        clear_digest("clear/video.mp4").1
    );
}

#[test]
fn a_wrong_audio_key_is_a_decode_error() {
    let (kid, _) = keys(&["audio"]).into_iter().next().unwrap();
    let wrong: Keys = [(kid, [0x42; 16])].into();
    let mut host = Host::new();
    let mut events = host.load("cenc/audio.mp4", Some(Box::new(wrong)));
    if host.engine.error().is_none() {
        events.extend(host.play());
        events.extend(host.run());
    }
    let error = host.engine.error().expect("a decode error");
    assert_eq!(error.code, MediaErrorCode::Decode);
    assert!(error.message.contains("AAC"), "{}", error.message);
    assert_eq!(names(&events).iter().filter(|n| **n == "error").count(), 1);
    assert!(!names(&events).contains(&"ended"));
    assert_eq!(host.engine.network_state(), NetworkState::Idle);
    assert_eq!(host.engine.next_due(), None);
    assert!(host.engine.current_time() < t(2.0));
}

#[test]
fn seeking_decodes_from_the_keyframe_and_presents_from_the_target() {
    let mut host = Host::new();
    host.load("cenc/video.mp4", Some(Box::new(keys(&["video"]))));
    let events = host.engine.seek(host.now, t(0.92));
    assert_eq!(names(&events), ["seeking", "timeupdate", "seeked"]);
    assert!(!host.engine.seeking());
    assert_eq!(host.engine.current_time(), t(0.92));
    // Decoded, none shown: the first frame (for loadeddata), then from the keyframe at 0 s
    // the 23 frames before 0.92 s and the one at 0.92 s.
    let report = &host.engine.report()[0];
    assert_eq!(
        (report.frames_presented, report.frames_decoded),
        (0, 1 + 23 + 1)
    );
    host.play();
    host.run();
    assert_eq!(host.now, Duration::from_secs(3600));
    let report = &host.engine.report()[0];
    let clear = parse_file(&content("clear/video.mp4")).unwrap();
    let (frames, digest) = file_digests_from(&clear, t(0.92))[&1];
    assert_eq!(
        (report.frames_presented, report.frames_decoded),
        (27, 1 + 23 + 27)
    );
    assert_eq!((report.frames_presented, report.digest), (frames, digest));
}

#[test]
fn seeking_while_playing_keeps_playing() {
    let mut host = Host::new();
    host.load("cenc/audio.mp4", Some(Box::new(keys(&["audio"]))));
    host.play();
    host.run_until(ms(300));
    let events = host.engine.seek(host.now, t(1.5));
    assert_eq!(names(&events), ["seeking", "timeupdate", "seeked"]);
    let events = host.run();
    let (rest, _) = without_timeupdates(&events);
    assert_eq!(rest, ["pause", "reject", "ended"]);
    let reached = host.engine.report()[0].time_reached;
    assert_eq!(host.engine.current_time(), reached);
}

#[test]
fn pause_holds_the_position_and_play_resumes() {
    let mut host = Host::new();
    host.load("cbcs/video.mp4", Some(Box::new(keys(&["video"]))));
    host.play();
    host.run_until(ms(500));
    assert_eq!(host.engine.current_time(), t(0.5));
    assert_eq!(
        names(&host.engine.pause(host.now)),
        ["timeupdate", "pause", "reject"]
    );
    assert_eq!(host.engine.next_due(), None);
    assert!(host.run_until(ms(4000)).is_empty());
    assert_eq!(host.engine.current_time(), t(0.5));
    assert_eq!(names(&host.play()), ["play", "playing", "resolve"]);
    // play() while playing resolves its promise at once.
    assert_eq!(names(&host.play()), ["resolve"]);
    host.run();
    assert_eq!(host.engine.current_time(), t(2.0));
    assert_eq!(
        host.engine.report()[0].digest,
        clear_digest("clear/video.mp4").1
    );
}

#[test]
fn playback_rate_two_plays_twice_as_fast() {
    let mut host = Host::new();
    host.load("cenc/video.mp4", Some(Box::new(keys(&["video"]))));
    let events = host.engine.set_playback_rate(host.now, 2.0).unwrap();
    assert_eq!(names(&events), ["ratechange"]);
    assert!(host.engine.set_playback_rate(host.now, -1.0).is_err());
    host.play();
    host.run_until(ms(500));
    assert_eq!(host.engine.current_time(), t(1.0));
    let mut events = Vec::new();
    let mut ended_at = None;
    while let Some(due) = host.engine.next_due() {
        host.now = due;
        events.extend(host.engine.advance(due));
        if host.engine.ended() && ended_at.is_none() {
            ended_at = Some(due);
        }
    }
    assert_eq!(ended_at, Some(ms(1000)));
    let (_, timeupdates) = without_timeupdates(&events);
    assert_eq!(timeupdates, 3); // 0.75 s, 1.0 s on the clock (the end), then the end's
    assert_eq!(
        host.engine.report()[0].digest,
        clear_digest("clear/video.mp4").1
    );
}

#[test]
fn play_after_the_end_restarts_and_loop_repeats() {
    let mut host = Host::new();
    host.load("clear/video.mp4", None);
    host.play();
    host.run();
    let events = host.play();
    // At the end readyState is HAVE_CURRENT_DATA (no more data ahead): play, waiting; the
    // seek to the start then raises it again.
    assert_eq!(
        names(&events),
        [
            "play",
            "waiting",
            "seeking",
            "canplay",
            "playing",
            "resolve",
            "canplaythrough",
            "timeupdate",
            "seeked"
        ]
    );
    host.engine.set_looping(true);
    let start = host.now;
    let events = host.run_until(start + ms(3000));
    let (rest, _) = without_timeupdates(&events);
    assert_eq!(rest, ["seeking", "seeked"]);
    assert_eq!(host.engine.current_time(), t(3.0 - 2.0));
    assert!(!host.engine.paused());
}

#[test]
fn load_resets_the_element() {
    let mut host = Host::new();
    host.load("clear/audio.mp4", None);
    host.play();
    host.run_until(ms(700));
    let source = FileSource::from_bytes(&content("clear/video.mp4")).unwrap();
    let events = host.engine.load(host.now, Some(Box::new(source)));
    let mut expected = vec!["abort", "emptied", "reject", "timeupdate"];
    expected.extend(LOADED);
    assert_eq!(names(&events), expected);
    assert!(matches!(
        events[2],
        EngineEvent::RejectPlayPromises { in_task: false, .. }
    ));
    assert!(host.engine.paused());
    assert_eq!(host.engine.current_time(), MediaTime::ZERO);
    assert_eq!(host.engine.report()[0].frames_presented, 0);
}

/// A source whose data arrives in steps, like MSE track buffers: buffered up to `limit`,
/// complete once `complete` is set.
struct Growing {
    file: FileSource,
    limit: Rc<Cell<MediaTime>>,
    complete: Rc<Cell<bool>>,
}

impl FrameSource for Growing {
    fn tracks(&self) -> Vec<TrackSummary> {
        self.file.tracks()
    }
    fn buffered(&self) -> TimeRanges {
        TimeRanges::single(MediaTime::ZERO, self.limit.get())
    }
    fn frames_in(&self, track_id: u32, from: MediaTime, to: MediaTime) -> Vec<CodedFrame> {
        let limit = self.limit.get();
        let mut frames = self.file.frames_in(track_id, from, to.min(limit));
        frames.retain(|f| f.pts < limit);
        frames
    }
    fn duration(&self) -> Option<MediaTime> {
        self.file.duration()
    }
    fn is_complete(&self) -> bool {
        self.complete.get()
    }
}

#[test]
fn running_out_of_data_is_a_stall_until_more_arrives() {
    let limit = Rc::new(Cell::new(t(1.0)));
    let complete = Rc::new(Cell::new(false));
    let source = Growing {
        file: FileSource::from_bytes(&content("clear/video.mp4")).unwrap(),
        limit: Rc::clone(&limit),
        complete: Rc::clone(&complete),
    };
    let mut host = Host::new();
    let events = host.engine.load(host.now, Some(Box::new(source)));
    // 1 s ahead is enough (ENOUGH_DATA_AHEAD); not complete, so no progress/suspend.
    assert_eq!(names(&events), &LOADED[..7]);
    host.play();
    let events = host.run_until(ms(1500));
    let (rest, _) = without_timeupdates(&events);
    assert_eq!(rest, ["waiting"]);
    assert_eq!(host.engine.current_time(), t(1.0));
    assert_eq!(host.engine.ready_state(), ReadyState::HaveCurrentData);
    limit.set(t(2.0));
    complete.set(true);
    let events = host.engine.advance(host.now);
    assert_eq!(
        names(&events),
        [
            "canplay",
            "playing",
            "resolve",
            "canplaythrough",
            "progress",
            "suspend"
        ]
    );
    host.run();
    assert_eq!(host.engine.current_time(), t(2.0));
    assert_eq!(
        host.engine.report()[0].digest,
        clear_digest("clear/video.mp4").1
    );
}

/// A file's frames moved by `shift`, as an edit list starting inside a group of pictures
/// places them: its keyframe before 0.
struct Shifted {
    file: FileSource,
    shift: MediaTime,
}

impl Shifted {
    fn frames(&self, track_id: u32) -> Vec<CodedFrame> {
        let mut frames = self.file.frames(track_id).to_vec();
        for frame in &mut frames {
            frame.pts = frame.pts + self.shift;
            frame.dts = frame.dts + self.shift;
        }
        frames
    }
}

impl FrameSource for Shifted {
    fn tracks(&self) -> Vec<TrackSummary> {
        self.file.tracks()
    }
    fn buffered(&self) -> TimeRanges {
        TimeRanges::single(MediaTime::ZERO, self.duration().unwrap())
    }
    fn frames_in(&self, track_id: u32, from: MediaTime, to: MediaTime) -> Vec<CodedFrame> {
        let mut frames = self.frames(track_id);
        frames.retain(|f| f.pts < to && f.end() > from);
        frames
    }
    fn duration(&self) -> Option<MediaTime> {
        Some(self.file.duration().unwrap() + self.shift)
    }
    fn is_complete(&self) -> bool {
        true
    }
}

#[test]
fn frames_before_zero_are_decoded_as_references_and_never_presented() {
    // The video one frame earlier: its first keyframe at -0.04 s, a B-frame (decoded after
    // it) at 0.
    let source = Shifted {
        file: FileSource::from_bytes(&content("clear/video.mp4")).unwrap(),
        shift: MediaTime::ZERO - t(0.04),
    };
    let frames = source.frames(1);
    assert!(frames[0].is_sync && frames[0].pts == t(-0.04) && !frames[1].is_sync);
    let shown = presentation_digest(frames[1..].iter().map(|f| &f.data[..]));
    let mut host = Host::new();
    host.engine.load(host.now, Some(Box::new(source)));
    assert_eq!(host.engine.duration(), Some(t(1.96)));
    // Loading decodes the keyframe before 0, then the first frame (for loadeddata).
    let report = &host.engine.report()[0];
    assert_eq!((report.frames_presented, report.frames_decoded), (0, 2));
    host.play();
    let events = host.run();
    assert_eq!(names(&events).last(), Some(&"ended"));
    assert_eq!(host.engine.current_time(), t(1.96));
    let report = &host.engine.report()[0];
    assert_eq!((report.frames_presented, report.frames_decoded), (49, 50));
    assert_eq!(report.digest, shown);
}
