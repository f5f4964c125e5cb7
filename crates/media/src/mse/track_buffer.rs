//! A track buffer: the coded frames of one track in decode order, with the per-track
//! variables of MSE's coded frame processing and the track buffer ranges.
//!
//! <https://w3c.github.io/media-source/#track-buffers>

use crate::frame::CodedFrame;
use crate::init::Track;
use crate::time::{MediaTime, TimeRanges};

/// Whether a track buffer holds audio or video frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackKind {
    /// An audio track (`hdlr` `soun`).
    Audio,
    /// A video track (`hdlr` `vide`).
    Video,
}

impl TrackKind {
    /// The kind of `track`, or `None` for tracks MSE does not buffer (hint, metadata...).
    pub fn of(track: &Track) -> Option<TrackKind> {
        match &track.handler.0 {
            b"soun" => Some(TrackKind::Audio),
            b"vide" => Some(TrackKind::Video),
            _ => None,
        }
    }

    /// `"audio"` or `"video"`.
    pub fn name(self) -> &'static str {
        match self {
            TrackKind::Audio => "audio",
            TrackKind::Video => "video",
        }
    }
}

/// The coded frames of one track and the variables the coded frame processing algorithm keeps
/// for it.
#[derive(Debug, Clone)]
pub struct TrackBuffer {
    pub(super) track_id: u32,
    pub(super) kind: TrackKind,
    pub(super) track: Track,
    /// Sorted by decode timestamp; frames with equal ones keep their order of arrival.
    frames: Vec<CodedFrame>,
    pub(super) last_decode_timestamp: Option<MediaTime>,
    pub(super) last_frame_duration: Option<MediaTime>,
    pub(super) highest_end_timestamp: Option<MediaTime>,
    pub(super) need_random_access_point: bool,
    ranges: TimeRanges,
    size_in_bytes: usize,
}

impl TrackBuffer {
    /// An empty track buffer for `track` (step "create a new track buffer" of the
    /// initialization segment received algorithm: variables unset, random access point needed).
    pub(super) fn new(track: Track, kind: TrackKind) -> TrackBuffer {
        TrackBuffer {
            track_id: track.track_id,
            kind,
            track,
            frames: Vec::new(),
            last_decode_timestamp: None,
            last_frame_duration: None,
            highest_end_timestamp: None,
            need_random_access_point: true,
            ranges: TimeRanges::new(),
            size_in_bytes: 0,
        }
    }

    /// The track ID frames carry: the first initialization segment's ID for this track (later
    /// initialization segments may number the same track differently).
    pub fn track_id(&self) -> u32 {
        self.track_id
    }

    /// Audio or video.
    pub fn kind(&self) -> TrackKind {
        self.kind
    }

    /// The track description from the latest initialization segment (codec, timescale,
    /// sample entries that frames' `description_index` refer to, protection).
    pub fn track(&self) -> &Track {
        &self.track
    }

    /// The coded frames in decode order.
    pub fn frames(&self) -> &[CodedFrame] {
        &self.frames
    }

    /// The track buffer ranges: the union of the frames' presentation intervals
    /// `[pts, pts + duration)`. Flicks make adjacent frames of real content meet exactly, so
    /// no gap tolerance is applied: a gap in the ranges is a gap in the media.
    pub fn ranges(&self) -> &TimeRanges {
        &self.ranges
    }

    /// The bytes of coded frame data held (what the memory limit counts).
    pub fn size_in_bytes(&self) -> usize {
        self.size_in_bytes
    }

    /// The "last decode timestamp" variable.
    pub fn last_decode_timestamp(&self) -> Option<MediaTime> {
        self.last_decode_timestamp
    }

    /// The "last frame duration" variable.
    pub fn last_frame_duration(&self) -> Option<MediaTime> {
        self.last_frame_duration
    }

    /// The "highest end timestamp" variable.
    pub fn highest_end_timestamp(&self) -> Option<MediaTime> {
        self.highest_end_timestamp
    }

    /// The "need random access point flag".
    pub fn need_random_access_point(&self) -> bool {
        self.need_random_access_point
    }

    /// The frame whose presentation interval holds `time`; the latest in decode order if
    /// several overlap.
    pub fn frame_at(&self, time: MediaTime) -> Option<&CodedFrame> {
        self.frames
            .iter()
            .rev()
            .find(|f| f.pts <= time && time < f.end())
    }

    /// The frames to decode, in decode order, to present from `time` on: starting at the
    /// random access point at or before (in decode order) the frame presented at `time` —
    /// or, if `time` falls in a gap or before the first frame, the frame presented next.
    /// Empty when nothing is presented at or after `time`.
    pub fn frames_from(&self, time: MediaTime) -> &[CodedFrame] {
        let covering = self
            .frames
            .iter()
            .rposition(|f| f.pts <= time && time < f.end());
        let target = covering.or_else(|| {
            self.frames
                .iter()
                .enumerate()
                .filter(|(_, f)| f.pts >= time)
                .min_by_key(|(_, f)| f.pts)
                .map(|(index, _)| index)
        });
        let Some(target) = target else {
            return &[];
        };
        let start = self.frames[..=target]
            .iter()
            .rposition(|f| f.is_sync)
            .unwrap_or(target);
        &self.frames[start..]
    }

    /// The index of the frame whose presentation interval holds `pts` (coded frame
    /// processing step 13's "overlapped frame").
    pub(super) fn overlapped_frame(&self, pts: MediaTime) -> Option<usize> {
        self.frames
            .iter()
            .rposition(|f| f.pts <= pts && pts < f.end())
    }

    /// Adds a frame after every frame with a decode timestamp at or before its own.
    pub(super) fn add(&mut self, frame: CodedFrame) {
        self.ranges.add(frame.pts, frame.end());
        self.size_in_bytes += frame.data.len();
        let at = self.frames.partition_point(|f| f.dts <= frame.dts);
        self.frames.insert(at, frame);
    }

    /// Removes the frames `doomed` selects and then, as MSE requires after every removal,
    /// "all coded frames between those frames removed and the next random access point after
    /// those removed frames" in decode order (their possible decoding dependencies). Returns
    /// the removed frames in decode order.
    pub(super) fn remove_with_dependencies(
        &mut self,
        mut doomed: impl FnMut(usize, &CodedFrame) -> bool,
    ) -> Vec<CodedFrame> {
        let mut selected = Vec::with_capacity(self.frames.len());
        for (index, frame) in self.frames.iter().enumerate() {
            selected.push(doomed(index, frame));
        }
        if !selected.contains(&true) {
            return Vec::new();
        }
        let mut removed = Vec::new();
        let mut kept = Vec::with_capacity(self.frames.len());
        let mut removing_dependents = false;
        for (frame, selected) in std::mem::take(&mut self.frames).into_iter().zip(selected) {
            if selected {
                removing_dependents = true;
                removed.push(frame);
            } else if removing_dependents && !frame.is_sync {
                removed.push(frame);
            } else {
                removing_dependents = false;
                kept.push(frame);
            }
        }
        self.frames = kept;
        self.size_in_bytes = self.frames.iter().map(|f| f.data.len()).sum();
        self.ranges = TimeRanges::new();
        let mut intervals: Vec<_> = self.frames.iter().map(|f| (f.pts, f.end())).collect();
        intervals.sort_unstable();
        for (start, end) in intervals {
            self.ranges.add(start, end);
        }
        removed
    }

    /// The groups of pictures in decode order: index ranges starting at a random access point
    /// (the first may start without one).
    pub(super) fn groups_of_pictures(&self) -> Vec<std::ops::Range<usize>> {
        let mut groups = Vec::new();
        let mut start = 0;
        for (index, frame) in self.frames.iter().enumerate().skip(1) {
            if frame.is_sync {
                groups.push(start..index);
                start = index;
            }
        }
        if start < self.frames.len() {
            groups.push(start..self.frames.len());
        }
        groups
    }

    /// Unsets last decode timestamp, last frame duration and highest end timestamp and sets
    /// the need random access point flag: the steps every discontinuity, removal of the last
    /// decoded frame and parser reset apply to all track buffers.
    pub(super) fn restart_append_sequence(&mut self) {
        self.last_decode_timestamp = None;
        self.last_frame_duration = None;
        self.highest_end_timestamp = None;
        self.need_random_access_point = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boxes::FourCc;
    use std::sync::Arc;

    fn track() -> Track {
        Track {
            track_id: 7,
            handler: FourCc(*b"vide"),
            timescale: 10,
            duration: 0,
            width: 0,
            height: 0,
            sample_entries: Vec::new(),
            seig_groups: Vec::new(),
            extends: None,
            progressive_sample_count: 0,
            presentation_offset: crate::time::MediaTime::ZERO,
        }
    }

    /// Frames of one tenth of a second; `(decode, present, sync)` in tenths.
    fn buffer(frames: &[(i64, i64, bool)]) -> TrackBuffer {
        let mut buffer = TrackBuffer::new(track(), TrackKind::Video);
        for &(dts, pts, is_sync) in frames {
            buffer.add(CodedFrame {
                track_id: 7,
                pts: MediaTime::from_timescale(pts, 10),
                dts: MediaTime::from_timescale(dts, 10),
                duration: MediaTime::from_timescale(1, 10),
                is_sync,
                description_index: 1,
                data: Arc::from(vec![0u8; 10].as_slice()),
                encryption: None,
            });
        }
        buffer
    }

    fn tenths(t: i64) -> MediaTime {
        MediaTime::from_timescale(t, 10)
    }

    #[test]
    fn removal_takes_dependents_up_to_the_next_random_access_point() {
        // Decode order: I0 P3 B1 B2 | I4 P5 | I6 (presentation times).
        let mut buffer = buffer(&[
            (0, 0, true),
            (1, 3, false),
            (2, 1, false),
            (3, 2, false),
            (4, 4, true),
            (5, 5, false),
            (6, 6, true),
        ]);
        assert_eq!(buffer.ranges(), &TimeRanges::single(tenths(0), tenths(7)));
        assert_eq!(buffer.groups_of_pictures(), vec![0..4, 4..6, 6..7]);
        // Removing P3 takes the B-frames decoded after it, not I4.
        let removed = buffer.remove_with_dependencies(|_, f| f.pts == tenths(3));
        assert_eq!(removed.len(), 3);
        assert_eq!(buffer.frames().len(), 4);
        assert_eq!(buffer.size_in_bytes(), 40);
        assert_eq!(
            buffer.ranges().ranges(),
            &[tenths(0)..tenths(1), tenths(4)..tenths(7)]
        );
        assert!(buffer.remove_with_dependencies(|_, _| false).is_empty());
    }

    #[test]
    fn frames_from_start_at_the_random_access_point_before_the_time() {
        let buffer = buffer(&[(0, 0, true), (1, 2, false), (2, 1, false), (3, 5, true)]);
        assert_eq!(buffer.frames_from(tenths(1)).len(), 4);
        assert_eq!(buffer.frame_at(tenths(1)).unwrap().dts, tenths(2));
        // In the gap [0.3, 0.5): the next frame presented is the keyframe at 0.5.
        assert_eq!(buffer.frames_from(tenths(4))[0].pts, tenths(5));
        assert!(buffer.frames_from(tenths(6)).is_empty());
        assert!(buffer.frame_at(tenths(4)).is_none());
    }
}
