//! One track's pipeline: the upcoming frames in presentation order (read from the source a
//! window at a time), the frame decoded ahead of its time, and what has been presented.

use std::collections::VecDeque;

use super::decode::{RunningDigest, TrackPlayback};
use super::source::{FrameSource, TrackSummary};
use crate::frame::CodedFrame;
use crate::time::{FLICKS_PER_SECOND, MediaTime};

/// How far ahead frames are read from the source at a time.
const READ_AHEAD: MediaTime = MediaTime(FLICKS_PER_SECOND);
/// How far back a seek looks for the random access point its target decodes from.
const MAX_PREROLL: MediaTime = MediaTime(60 * FLICKS_PER_SECOND);

#[derive(Debug)]
pub(crate) struct TrackState {
    pub(crate) summary: TrackSummary,
    /// Upcoming frames in presentation order; the first may be decoded ahead.
    queue: VecDeque<CodedFrame>,
    /// The clear bytes of the queue's first frame, when decoded before its time.
    front_decoded: Option<Vec<u8>>,
    /// Frames a seek must decode (from the random access point on) before the first one it
    /// presents, in decode order.
    pub(crate) preroll: VecDeque<CodedFrame>,
    /// Presentation interval of the last presented frame.
    last_presented: Option<(MediaTime, MediaTime)>,
    frames_presented: usize,
    frames_decoded: usize,
    digest: RunningDigest,
}

impl TrackState {
    pub(crate) fn new(summary: TrackSummary) -> TrackState {
        TrackState {
            summary,
            queue: VecDeque::new(),
            front_decoded: None,
            preroll: VecDeque::new(),
            last_presented: None,
            frames_presented: 0,
            frames_decoded: 0,
            digest: RunningDigest::default(),
        }
    }

    /// Flushes the pipeline (a seek): nothing is presented or decoded at the new position.
    pub(crate) fn flush(&mut self) {
        self.queue.clear();
        self.front_decoded = None;
        self.preroll.clear();
        self.last_presented = None;
    }

    /// Forgets the frames read ahead (the source replaced some), keeping what was presented.
    pub(crate) fn forget_read_ahead(&mut self) {
        self.queue.clear();
        self.front_decoded = None;
    }

    /// Reads the next window of frames when none are queued.
    pub(crate) fn refill(&mut self, source: &dyn FrameSource, position: MediaTime) {
        if !self.queue.is_empty() {
            return;
        }
        let last_pts = self.last_presented.map(|(pts, _)| pts);
        let from = match last_pts {
            Some(pts) => (pts + MediaTime(1)).max(position),
            None => position,
        };
        let frames = source.frames_in(self.summary.id, from, from + READ_AHEAD);
        self.queue.extend(
            frames
                .into_iter()
                .filter(|f| last_pts.is_none_or(|pts| f.pts > pts) && f.end() > from),
        );
    }

    /// The next frame to present.
    pub(crate) fn front(&self) -> Option<&CodedFrame> {
        self.queue.front()
    }

    /// Whether the next frame has been decoded ahead.
    pub(crate) fn front_is_decoded(&self) -> bool {
        self.front_decoded.is_some()
    }

    pub(crate) fn set_front_decoded(&mut self, bytes: Vec<u8>) {
        self.frames_decoded += 1;
        self.front_decoded = Some(bytes);
    }

    /// Counts a reference frame decoded for a seek.
    pub(crate) fn count_preroll_decoded(&mut self) {
        self.frames_decoded += 1;
    }

    /// Whether the track has what it renders at `position`: the frame presented last still
    /// covers it (its end included, as HTML's "the current frame" at the end of its
    /// interval), or the next frame is decoded ahead, or it has no frame left to play.
    pub(crate) fn has_current_data(&self, position: MediaTime) -> bool {
        if self
            .last_presented
            .is_some_and(|(pts, end)| pts <= position && position <= end)
        {
            return true;
        }
        self.preroll.is_empty() && (self.front_decoded.is_some() || self.queue.is_empty())
    }

    /// Presents the first frame, which must have been decoded.
    pub(crate) fn present_front(&mut self) {
        let Some(bytes) = self.front_decoded.take() else {
            return;
        };
        let Some(frame) = self.queue.pop_front() else {
            return;
        };
        self.digest.add(&bytes);
        self.frames_presented += 1;
        self.last_presented = Some((frame.pts, frame.end()));
    }

    /// The frames from the random access point at or before `target` up to (not including)
    /// the frame covering `target`, in decode order: what a decoder must decode first.
    pub(crate) fn plan_preroll(&mut self, source: &dyn FrameSource, target: MediaTime) {
        self.preroll.clear();
        let mut span = READ_AHEAD;
        while span <= MAX_PREROLL {
            let frames = source.frames_in(self.summary.id, target - span, target + MediaTime(1));
            if let Some(sync) = frames.iter().rposition(|f| f.is_sync && f.pts <= target) {
                let mut preroll: Vec<CodedFrame> = frames[sync..]
                    .iter()
                    .filter(|f| f.end() <= target)
                    .cloned()
                    .collect();
                preroll.sort_by_key(|f| f.dts);
                self.preroll = preroll.into();
                return;
            }
            span = span + span;
        }
    }

    pub(crate) fn report(&self) -> TrackPlayback {
        TrackPlayback {
            track_id: self.summary.id,
            kind: self.summary.kind,
            frames_presented: self.frames_presented,
            frames_decoded: self.frames_decoded,
            time_reached: self.last_presented.map_or(MediaTime::ZERO, |(_, end)| end),
            digest: self.digest.value(),
        }
    }
}
