//! `SourceBufferState`: one source buffer's byte stream, track buffers and attributes, and the
//! MSE algorithms that run on them.

use std::sync::Arc;

use super::append_state::{AppendState, BoxSplitter};
use super::content_type::{ContentType, UnsupportedType};
use super::track_buffer::{TrackBuffer, TrackKind};
use crate::frame::CodedFrame;
use crate::init::{InitSegment, Track};
use crate::limits::Limits;
use crate::stream::{Event, StreamParser};
use crate::time::{MediaTime, TimeRanges};

/// `SourceBuffer.mode`.
///
/// <https://w3c.github.io/media-source/#dom-appendmode>
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AppendMode {
    /// `"segments"`: the media segments' own timestamps (plus `timestampOffset`) place them.
    #[default]
    Segments,
    /// `"sequence"`: media segments follow each other back to back, whatever their timestamps.
    Sequence,
}

impl AppendMode {
    /// The IDL enumeration value.
    pub fn as_str(self) -> &'static str {
        match self {
            AppendMode::Segments => "segments",
            AppendMode::Sequence => "sequence",
        }
    }
}

/// An initialization segment the segment parser loop received and accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitSegmentReceived {
    /// The segment.
    pub init: Arc<InitSegment>,
    /// Whether it was the first (it created the track buffers; the binding runs the
    /// "first initialization segment" steps: tracks, `addsourcebuffer`, `loadedmetadata`).
    pub first: bool,
    /// Whether it carries `pssh` boxes: the binding fires `encrypted` with
    /// [`InitSegment::init_data`] as "cenc" init data.
    pub has_init_data: bool,
    /// The duration it declares (`mvhd`), `None` when unknown (0 or all ones): step 1 of the
    /// algorithm sets a NaN `duration` to it, or to +Infinity when `None`.
    pub duration: Option<MediaTime>,
}

/// What one [`SourceBufferState::append`] did, for the binding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppendOutcome {
    /// The initialization segments received, in order.
    pub init_segments: Vec<InitSegmentReceived>,
    /// How many complete media segments ran through coded frame processing.
    pub media_segments: usize,
    /// How many coded frames were added to track buffers.
    pub coded_frames_added: usize,
    /// How many coded frames were dropped (outside the append window, or not a random access
    /// point where one was needed, or of a track without a track buffer).
    pub coded_frames_dropped: usize,
    /// The largest frame end timestamp among the frames added.
    pub highest_frame_end: Option<MediaTime>,
    /// The group end timestamp after the append.
    pub group_end_timestamp: MediaTime,
}

impl AppendOutcome {
    /// Coded frame processing's last step: "if the media segment contains data beyond the
    /// current duration", the duration change algorithm runs with the maximum of the current
    /// duration and the group end timestamp. `Some(new duration)` when it must run.
    pub fn new_duration(&self, current_duration: MediaTime) -> Option<MediaTime> {
        match self.highest_frame_end {
            Some(end) if end > current_duration => {
                Some(current_duration.max(self.group_end_timestamp))
            }
            _ => None,
        }
    }
}

/// Why an append failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    /// The bytes cannot be parsed or break MSE's rules: the "append error" algorithm ran its
    /// first step (reset parser state); the binding runs the rest (`error`, `updateend`, end
    /// of stream with "decode").
    #[error("decode error: {reason}")]
    Decode {
        /// What is wrong.
        reason: String,
        /// What the same append did before the error (segments before it stay buffered, and
        /// initialization segments received still fire `encrypted`).
        processed: Box<AppendOutcome>,
    },
    /// The buffer cannot take the new data even after coded frame eviction: the binding
    /// throws `QuotaExceededError`.
    #[error("quota exceeded: {needed} bytes needed, the limit is {limit}")]
    QuotaExceeded {
        /// Bytes held plus the new data.
        needed: usize,
        /// The memory limit.
        limit: usize,
    },
}

/// Why an attribute setter throws.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributeError {
    /// `InvalidStateError`.
    #[error("InvalidStateError: {0}")]
    InvalidState(&'static str),
    /// `TypeError`.
    #[error("TypeError: {0}")]
    Type(&'static str),
}

/// What [`SourceBufferState::remove`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodedFrameRemoval {
    /// Frames removed, dependencies included.
    pub frames_removed: usize,
    /// The largest "remove end timestamp" over the track buffers: if the current playback
    /// position lies in `[start, this)` the binding drops `readyState` to `HAVE_METADATA`.
    pub remove_end_timestamp: MediaTime,
}

/// One `SourceBuffer`'s state: its byte stream parser, track buffers and attributes.
#[derive(Debug)]
pub struct SourceBufferState {
    pub(super) content_type: ContentType,
    parser: StreamParser,
    splitter: BoxSplitter,
    first_initialization_segment_received: bool,
    init_segment: Option<Arc<InitSegment>>,
    /// The latest initialization segment's track IDs, each with its track buffer's index (whose
    /// track, that segment's, gives the timescale and edit list frames are timed by).
    track_map: Vec<(u32, usize)>,
    pub(super) track_buffers: Vec<TrackBuffer>,
    pub(super) mode: AppendMode,
    pub(super) timestamp_offset: MediaTime,
    pub(super) group_start_timestamp: Option<MediaTime>,
    pub(super) group_end_timestamp: MediaTime,
    pub(super) append_window_start: MediaTime,
    pub(super) append_window_end: MediaTime,
    pub(super) generate_timestamps: bool,
    pub(super) memory_limit: Option<usize>,
}

impl SourceBufferState {
    /// A source buffer for `type_` (`video/mp4; codecs="..."` or `audio/mp4`) with the
    /// reader's default limits.
    pub fn new(type_: &str) -> Result<SourceBufferState, UnsupportedType> {
        SourceBufferState::with_limits(type_, Limits::DEFAULT)
    }

    /// A source buffer whose byte stream parser uses `limits`.
    pub fn with_limits(type_: &str, limits: Limits) -> Result<SourceBufferState, UnsupportedType> {
        Ok(SourceBufferState {
            content_type: ContentType::parse(type_)?,
            parser: StreamParser::new(limits),
            splitter: BoxSplitter::default(),
            first_initialization_segment_received: false,
            init_segment: None,
            track_map: Vec::new(),
            track_buffers: Vec::new(),
            mode: AppendMode::Segments,
            timestamp_offset: MediaTime::ZERO,
            group_start_timestamp: None,
            group_end_timestamp: MediaTime::ZERO,
            append_window_start: MediaTime::ZERO,
            append_window_end: MediaTime::MAX,
            // ISO-BMFF media segments carry their timestamps.
            generate_timestamps: false,
            memory_limit: None,
        })
    }

    /// The type it was created for.
    pub fn content_type(&self) -> &ContentType {
        &self.content_type
    }

    /// The "first initialization segment received flag".
    pub fn first_initialization_segment_received(&self) -> bool {
        self.first_initialization_segment_received
    }

    /// The latest accepted initialization segment.
    pub fn init_segment(&self) -> Option<&Arc<InitSegment>> {
        self.init_segment.as_ref()
    }

    /// The append state of the segment parser loop.
    pub fn append_state(&self) -> AppendState {
        self.splitter.state()
    }

    /// `mode`.
    pub fn mode(&self) -> AppendMode {
        self.mode
    }

    /// The `mode` setter's steps after the binding's own checks (removed, `updating`,
    /// `readyState`).
    ///
    /// <https://w3c.github.io/media-source/#dom-sourcebuffer-mode>
    pub fn set_mode(&mut self, new_mode: AppendMode) -> Result<(), AttributeError> {
        if self.generate_timestamps && new_mode == AppendMode::Segments {
            return Err(AttributeError::Type(
                "this byte stream generates timestamps: only \"sequence\" mode is allowed",
            ));
        }
        // "If the append state equals PARSING_MEDIA_SEGMENT, then throw an InvalidStateError".
        if self.append_state() == AppendState::ParsingMediaSegment {
            return Err(AttributeError::InvalidState(
                "a media segment is being parsed",
            ));
        }
        // "If the new mode equals "sequence", then set the group start timestamp to the group
        // end timestamp."
        if new_mode == AppendMode::Sequence {
            self.group_start_timestamp = Some(self.group_end_timestamp);
        }
        self.mode = new_mode;
        Ok(())
    }

    /// `timestampOffset`.
    pub fn timestamp_offset(&self) -> MediaTime {
        self.timestamp_offset
    }

    /// The `timestampOffset` setter's steps after the binding's own checks.
    ///
    /// <https://w3c.github.io/media-source/#dom-sourcebuffer-timestampoffset>
    pub fn set_timestamp_offset(&mut self, new_offset: MediaTime) -> Result<(), AttributeError> {
        if self.append_state() == AppendState::ParsingMediaSegment {
            return Err(AttributeError::InvalidState(
                "a media segment is being parsed",
            ));
        }
        // "If the mode attribute equals "sequence", then set the group start timestamp to new
        // timestamp offset."
        if self.mode == AppendMode::Sequence {
            self.group_start_timestamp = Some(new_offset);
        }
        self.timestamp_offset = new_offset;
        Ok(())
    }

    /// `appendWindowStart`.
    pub fn append_window_start(&self) -> MediaTime {
        self.append_window_start
    }

    /// The `appendWindowStart` setter: negative or not below `appendWindowEnd` is a TypeError.
    pub fn set_append_window_start(&mut self, start: MediaTime) -> Result<(), AttributeError> {
        if start < MediaTime::ZERO || start >= self.append_window_end {
            return Err(AttributeError::Type(
                "appendWindowStart must be at least 0 and below appendWindowEnd",
            ));
        }
        self.append_window_start = start;
        Ok(())
    }

    /// `appendWindowEnd` ([`MediaTime::MAX`] is +Infinity).
    pub fn append_window_end(&self) -> MediaTime {
        self.append_window_end
    }

    /// The `appendWindowEnd` setter: not above `appendWindowStart` is a TypeError.
    pub fn set_append_window_end(&mut self, end: MediaTime) -> Result<(), AttributeError> {
        if end <= self.append_window_start {
            return Err(AttributeError::Type(
                "appendWindowEnd must be above appendWindowStart",
            ));
        }
        self.append_window_end = end;
        Ok(())
    }

    /// The "group start timestamp" (`None` = unset).
    pub fn group_start_timestamp(&self) -> Option<MediaTime> {
        self.group_start_timestamp
    }

    /// The "group end timestamp".
    pub fn group_end_timestamp(&self) -> MediaTime {
        self.group_end_timestamp
    }

    /// The "generate timestamps flag" (always false for ISO-BMFF).
    pub fn generate_timestamps(&self) -> bool {
        self.generate_timestamps
    }

    /// The track buffers, in the first initialization segment's track order.
    pub fn track_buffers(&self) -> &[TrackBuffer] {
        &self.track_buffers
    }

    /// The track buffer whose frames carry `track_id`.
    pub fn track_buffer(&self, track_id: u32) -> Option<&TrackBuffer> {
        self.track_buffers.iter().find(|b| b.track_id == track_id)
    }

    /// For the playback engine: `track_id`'s frames in decode order from the random access
    /// point needed to present `time` (see [`TrackBuffer::frames_from`]).
    pub fn frames_from(&self, track_id: u32, time: MediaTime) -> &[CodedFrame] {
        self.track_buffer(track_id)
            .map_or(&[], |buffer| buffer.frames_from(time))
    }

    /// For the playback engine: `track_id`'s frame presented at `time`.
    pub fn frame_at(&self, track_id: u32, time: MediaTime) -> Option<&CodedFrame> {
        self.track_buffer(track_id)?.frame_at(time)
    }

    /// The buffer append algorithm's core, the segment parser loop: the new bytes join the
    /// input buffer, and every complete initialization segment and media segment in it is
    /// processed in order. A partial segment waits for the next append.
    ///
    /// <https://w3c.github.io/media-source/#sourcebuffer-segment-parser-loop>
    pub fn append(&mut self, bytes: &[u8]) -> Result<AppendOutcome, AppendError> {
        let mut outcome = AppendOutcome {
            group_end_timestamp: self.group_end_timestamp,
            ..AppendOutcome::default()
        };
        // The parser gets one top-level box at a time, so an error in a later box of this
        // append leaves the segments before it processed, as the loop's order requires.
        for piece in self.splitter.split(bytes) {
            // "If the input buffer contains bytes that violate the SourceBuffer byte stream
            // format specification, then run the append error algorithm".
            let events = match self.parser.push(piece) {
                Ok(events) => events,
                Err(error) => return Err(self.append_error(error.to_string(), outcome)),
            };
            for event in events {
                let result = match event {
                    Event::Init(init) => self.initialization_segment_received(init, &mut outcome),
                    Event::Segment(segment) => {
                        // "If the first initialization segment received flag is false [...]
                        // run the append error algorithm".
                        if !self.first_initialization_segment_received {
                            Err("a media segment before the first initialization segment".into())
                        } else {
                            self.coded_frame_processing(&segment.samples, &mut outcome);
                            Ok(())
                        }
                    }
                    // `sidx`, `styp`, `free`, `emsg`...: nothing the buffering model uses.
                    Event::Box(_) => Ok(()),
                };
                if let Err(reason) = result {
                    return Err(self.append_error(reason, outcome));
                }
            }
        }
        outcome.group_end_timestamp = self.group_end_timestamp;
        Ok(outcome)
    }

    /// The append error algorithm's first step (reset parser state); the binding runs the
    /// rest.
    ///
    /// <https://w3c.github.io/media-source/#dfn-append-error>
    fn append_error(&mut self, reason: String, mut processed: AppendOutcome) -> AppendError {
        self.reset_parser_state();
        processed.group_end_timestamp = self.group_end_timestamp;
        AppendError::Decode {
            reason,
            processed: Box::new(processed),
        }
    }

    /// The initialization segment received algorithm (the parts that are not the binding's:
    /// the binding creates the `AudioTrack`/`VideoTrack` objects and moves `readyState`).
    ///
    /// <https://w3c.github.io/media-source/#sourcebuffer-init-segment-received>
    fn initialization_segment_received(
        &mut self,
        init: Arc<InitSegment>,
        outcome: &mut AppendOutcome,
    ) -> Result<(), String> {
        // The ISO-BMFF byte stream format: an initialization segment announces fragments
        // (`mvex`) and holds no samples of its own.
        if !init.fragmented {
            return Err(
                "the initialization segment has no mvex: it is not a fragmented file".into(),
            );
        }
        if let Some(track) = init.tracks.iter().find(|t| t.progressive_sample_count > 0) {
            return Err(format!(
                "track {} of the initialization segment holds samples",
                track.track_id
            ));
        }
        // Step 1: the duration a NaN `duration` takes (the binding applies it).
        let duration = (init.duration != 0
            && init.duration != u64::from(u32::MAX)
            && init.duration != u64::MAX)
            .then(|| {
                MediaTime::from_timescale(
                    i64::try_from(init.duration).unwrap_or(i64::MAX),
                    init.timescale,
                )
            });
        let tracks: Vec<(&Track, TrackKind)> = init
            .tracks
            .iter()
            .filter_map(|t| TrackKind::of(t).map(|kind| (t, kind)))
            .collect();
        // Step 2: "If the initialization segment has no audio, video, or text tracks, then
        // run the append error algorithm".
        if tracks.is_empty() {
            return Err("the initialization segment has no audio or video track".into());
        }
        // Step 5.1 (and step 3's codec check for later segments): codecs must be supported.
        for (track, _) in &tracks {
            for entry in &track.sample_entries {
                if !self.content_type.allows(entry.codec_format()) {
                    return Err(format!(
                        "track {} uses codec '{}', which is not supported or not in the type's codecs",
                        track.track_id,
                        entry.codec_format()
                    ));
                }
            }
        }
        let first = !self.first_initialization_segment_received;
        let track_map = if first {
            // Step 5: create a track buffer for each audio and video track.
            self.track_buffers = tracks
                .iter()
                .map(|(track, kind)| TrackBuffer::new((*track).clone(), *kind))
                .collect();
            tracks
                .iter()
                .enumerate()
                .map(|(index, (track, _))| (track.track_id, index))
                .collect()
        } else {
            // Step 3.1: the same tracks as the first initialization segment.
            self.match_tracks(&tracks)?
        };
        if !first {
            // Step 3.2: "Add the appropriate track descriptions from this initialization
            // segment to each of the track buffers." Step 3.3: need a random access point.
            for &(track_id, index) in &track_map {
                if let Some((track, _)) = tracks.iter().find(|(t, _)| t.track_id == track_id) {
                    self.track_buffers[index].track = (*track).clone();
                }
            }
            for buffer in &mut self.track_buffers {
                buffer.need_random_access_point = true;
            }
        }
        self.track_map = track_map;
        // Step 5.6: "Set first initialization segment received flag to true."
        self.first_initialization_segment_received = true;
        self.init_segment = Some(Arc::clone(&init));
        outcome.init_segments.push(InitSegmentReceived {
            has_init_data: !init.pssh.is_empty(),
            init,
            first,
            duration,
        });
        Ok(())
    }

    /// Step 3.1 of the initialization segment received algorithm: "The number of audio,
    /// video, and text tracks match what was in the first initialization segment"; with
    /// several tracks of one type their track IDs match; each track keeps its codecs.
    fn match_tracks(&self, tracks: &[(&Track, TrackKind)]) -> Result<Vec<(u32, usize)>, String> {
        let mut map = Vec::new();
        for kind in [TrackKind::Audio, TrackKind::Video] {
            let new: Vec<&Track> = tracks
                .iter()
                .filter(|(_, k)| *k == kind)
                .map(|(t, _)| *t)
                .collect();
            let existing: Vec<usize> = (0..self.track_buffers.len())
                .filter(|&i| self.track_buffers[i].kind == kind)
                .collect();
            if new.len() != existing.len() {
                return Err(format!(
                    "{} {} tracks, but the first initialization segment had {}",
                    new.len(),
                    kind.name(),
                    existing.len()
                ));
            }
            for (position, track) in new.iter().enumerate() {
                let index = if new.len() == 1 {
                    existing[0]
                } else {
                    *existing
                        .iter()
                        .find(|&&i| self.track_buffers[i].track_id == track.track_id)
                        .ok_or_else(|| {
                            format!(
                                "{} track ID {} (track {position}) is not one of the first initialization segment's",
                                kind.name(),
                                track.track_id
                            )
                        })?
                };
                let before = codec_families(&self.track_buffers[index].track);
                let now = codec_families(track);
                if before != now {
                    return Err(format!(
                        "{} track {} changes codecs from {before:?} to {now:?}",
                        kind.name(),
                        track.track_id
                    ));
                }
                map.push((track.track_id, index));
            }
        }
        Ok(map)
    }

    /// Turns a media segment's samples into coded frames on their track buffers' timelines and
    /// runs the coded frame processing algorithm on them in decode order.
    fn coded_frame_processing(&mut self, samples: &[crate::Sample], outcome: &mut AppendOutcome) {
        outcome.media_segments += 1;
        let mut frames = Vec::with_capacity(samples.len());
        for sample in samples {
            let Some(&(_, index)) = self.track_map.iter().find(|(id, _)| *id == sample.track_id)
            else {
                outcome.coded_frames_dropped += 1;
                continue;
            };
            let mut frame = CodedFrame::from_sample(sample, self.track_buffers[index].track());
            frame.track_id = self.track_buffers[index].track_id;
            frames.push((index, frame));
        }
        // The parser lists samples track fragment by track fragment; a muxed segment's frames
        // are processed interleaved in decode order (stable: a track's order is kept).
        frames.sort_by_key(|(_, frame)| frame.dts);
        for (index, frame) in frames {
            self.process_coded_frame(index, frame, outcome);
        }
    }

    /// The reset parser state algorithm (what `abort()` and the append error algorithm run).
    /// The parser yields a media segment's coded frames once its `mdat` is complete, so a
    /// partial media segment holds no complete coded frames to process (step 1): its bytes are
    /// dropped with the rest of the input buffer.
    ///
    /// <https://w3c.github.io/media-source/#sourcebuffer-reset-parser-state>
    pub fn reset_parser_state(&mut self) {
        // Steps 2-5: unset last decode timestamp, last frame duration, highest end timestamp;
        // set the need random access point flag, on all track buffers.
        for buffer in &mut self.track_buffers {
            buffer.restart_append_sequence();
        }
        // Step 7: "Remove all bytes from the input buffer" (the initialization segment stays
        // known: later media segments still parse). Step 8: WAITING_FOR_SEGMENT.
        self.parser.reset();
        self.splitter.reset();
    }

    /// `abort()`'s steps on the buffer: reset parser state, then the append window back to
    /// `[0, +Infinity)`.
    ///
    /// <https://w3c.github.io/media-source/#dom-sourcebuffer-abort>
    pub fn abort(&mut self) {
        self.reset_parser_state();
        self.append_window_start = MediaTime::ZERO;
        self.append_window_end = MediaTime::MAX;
    }

    /// The coded frame removal algorithm (`remove(start, end)`), with the media source's
    /// current `duration`.
    ///
    /// <https://w3c.github.io/media-source/#dfn-coded-frame-removal>
    pub fn remove(
        &mut self,
        start: MediaTime,
        end: MediaTime,
        duration: MediaTime,
    ) -> CodedFrameRemoval {
        let mut removal = CodedFrameRemoval::default();
        let mut removed_last_decoded = false;
        for buffer in &mut self.track_buffers {
            // Steps 3.1-3.2: remove up to the track's next random access point at or after
            // end, else up to the duration.
            let remove_end_timestamp = buffer
                .frames()
                .iter()
                .filter(|f| f.is_sync && f.pts >= end)
                .map(|f| f.pts)
                .min()
                .unwrap_or(duration);
            // Steps 3.3-3.4: frames starting in [start, remove end timestamp), then their
            // possible decoding dependencies up to the next random access point.
            let removed = buffer.remove_with_dependencies(|_, frame| {
                frame.pts >= start && frame.pts < remove_end_timestamp
            });
            // Step 3.3.1: removing the last decoded frame restarts every track's sequence.
            if removed
                .iter()
                .any(|f| Some(f.dts) == buffer.last_decode_timestamp)
            {
                removed_last_decoded = true;
            }
            removal.frames_removed += removed.len();
            removal.remove_end_timestamp = removal.remove_end_timestamp.max(remove_end_timestamp);
        }
        if removed_last_decoded {
            for buffer in &mut self.track_buffers {
                buffer.restart_append_sequence();
            }
        }
        removal
    }

    /// The `buffered` attribute: the intersection of the track buffers' ranges within
    /// `[0, highest end time)`; when the media source is `ended`, each track's last range is
    /// first extended to the highest end time.
    ///
    /// <https://w3c.github.io/media-source/#dom-sourcebuffer-buffered>
    pub fn buffered(&self, ended: bool) -> TimeRanges {
        let highest_end_time = self.highest_end_time();
        let mut intersection = TimeRanges::single(MediaTime::ZERO, highest_end_time);
        for buffer in &self.track_buffers {
            let mut track_ranges = buffer.ranges().clone();
            if ended && let Some(last) = track_ranges.ranges().last().cloned() {
                track_ranges.add(last.start, highest_end_time);
            }
            intersection = intersection.intersection(&track_ranges);
        }
        intersection
    }

    /// The largest track buffer range end time across the track buffers (zero when nothing is
    /// buffered): what `endOfStream()` sets the duration to.
    pub fn highest_end_time(&self) -> MediaTime {
        self.track_buffers
            .iter()
            .filter_map(|b| b.ranges().last_end())
            .max()
            .unwrap_or(MediaTime::ZERO)
    }

    /// Bytes of input waiting in the parser for the rest of their box.
    pub(super) fn pending_input_bytes(&self) -> usize {
        self.parser.buffered()
    }
}

/// The codec families of a track's sample entries, sorted.
fn codec_families(track: &Track) -> Vec<[u8; 4]> {
    let mut families: Vec<[u8; 4]> = track
        .sample_entries
        .iter()
        .map(|e| {
            let format = e.codec_format().0;
            match &format {
                b"avc3" => *b"avc1",
                b"hev1" => *b"hvc1",
                _ => format,
            }
        })
        .collect();
    families.sort_unstable();
    families.dedup();
    families
}
