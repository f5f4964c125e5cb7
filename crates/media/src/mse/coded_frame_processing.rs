//! The coded frame processing algorithm, one coded frame at a time.
//!
//! <https://w3c.github.io/media-source/#sourcebuffer-coded-frame-processing>

use super::source_buffer::{AppendMode, AppendOutcome, SourceBufferState};
use crate::frame::CodedFrame;
use crate::time::MediaTime;

/// One microsecond (705.6 flicks, rounded up): step 13's "remove window" tolerance.
const ONE_MICROSECOND: MediaTime = MediaTime(706);

impl SourceBufferState {
    /// Step 1 of coded frame processing for `frame`, which belongs to track buffer `index` and
    /// carries the byte stream's own timestamps.
    pub(super) fn process_coded_frame(
        &mut self,
        index: usize,
        frame: CodedFrame,
        outcome: &mut AppendOutcome,
    ) {
        // Step 1.2: "Let frame duration be [...] the coded frame's duration."
        let frame_duration = frame.duration;
        // Step 1.1, "Loop Top". A discontinuity (step 1.6) comes back here once; the second
        // pass cannot find one, as it unsets every last decode timestamp.
        let (presentation_timestamp, decode_timestamp) = loop {
            let (mut presentation_timestamp, mut decode_timestamp) = if self.generate_timestamps {
                (MediaTime::ZERO, MediaTime::ZERO)
            } else {
                (frame.pts, frame.dts)
            };
            // Step 1.3: in "sequence" mode a set group start timestamp places this frame.
            if self.mode == AppendMode::Sequence
                && let Some(group_start_timestamp) = self.group_start_timestamp.take()
            {
                self.timestamp_offset = group_start_timestamp - presentation_timestamp;
                self.group_end_timestamp = group_start_timestamp;
                for buffer in &mut self.track_buffers {
                    buffer.need_random_access_point = true;
                }
            }
            // Step 1.4: apply timestampOffset.
            if self.timestamp_offset != MediaTime::ZERO {
                presentation_timestamp = presentation_timestamp + self.timestamp_offset;
                decode_timestamp = decode_timestamp + self.timestamp_offset;
            }
            // Steps 1.5-1.6: a decode timestamp going backwards, or jumping ahead by more than
            // twice the last frame duration, is a discontinuity.
            let buffer = &self.track_buffers[index];
            let discontinuity = buffer.last_decode_timestamp.is_some_and(|last| {
                let last_frame_duration = buffer.last_frame_duration.unwrap_or_default();
                decode_timestamp < last
                    || decode_timestamp - last > MediaTime(last_frame_duration.0.saturating_mul(2))
            });
            if !discontinuity {
                break (presentation_timestamp, decode_timestamp);
            }
            match self.mode {
                AppendMode::Segments => self.group_end_timestamp = presentation_timestamp,
                AppendMode::Sequence => {
                    self.group_start_timestamp = Some(self.group_end_timestamp);
                }
            }
            for buffer in &mut self.track_buffers {
                buffer.restart_append_sequence();
            }
        };
        // Step 1.7.
        let frame_end_timestamp = presentation_timestamp + frame_duration;
        let buffer = &mut self.track_buffers[index];
        // Steps 1.8-1.9: drop frames outside the append window; what follows must start at a
        // random access point again.
        if presentation_timestamp < self.append_window_start
            || frame_end_timestamp > self.append_window_end
        {
            buffer.need_random_access_point = true;
            outcome.coded_frames_dropped += 1;
            return;
        }
        // Step 1.10: after a discontinuity or a dropped frame, wait for a random access point.
        if buffer.need_random_access_point {
            if !frame.is_sync {
                outcome.coded_frames_dropped += 1;
                return;
            }
            buffer.need_random_access_point = false;
        }
        // Step 1.13: at the start of a coded frame group, the frame whose presentation
        // interval holds the new presentation timestamp goes if the new frame starts within
        // a microsecond of it. (Audio too: this model makes no audio splice frames; an
        // overlapped audio frame starting earlier stays, and the new frame follows it.)
        let overlapped_frame = buffer
            .last_decode_timestamp
            .is_none()
            .then(|| buffer.overlapped_frame(presentation_timestamp))
            .flatten()
            .filter(|&i| presentation_timestamp < buffer.frames()[i].pts + ONE_MICROSECOND);
        // Step 1.14: existing frames the new one's presentation interval overlaps.
        let overlap_start = match buffer.highest_end_timestamp {
            None => Some(presentation_timestamp),
            Some(highest) if highest <= presentation_timestamp => Some(highest),
            // B-frames: presented before frames already added from this group; nothing of the
            // old data lies there that step 1.14 removes.
            Some(_) => None,
        };
        // Step 1.15: removing them, and their possible decoding dependents up to the next
        // random access point, in one pass.
        buffer.remove_with_dependencies(|i, existing| {
            Some(i) == overlapped_frame
                || overlap_start.is_some_and(|start| {
                    existing.pts >= start && existing.pts < frame_end_timestamp
                })
        });
        // Step 1.16: add the frame with its timestamps on the presentation timeline.
        buffer.add(CodedFrame {
            pts: presentation_timestamp,
            dts: decode_timestamp,
            duration: frame_duration,
            ..frame
        });
        outcome.coded_frames_added += 1;
        outcome.highest_frame_end = outcome.highest_frame_end.max(Some(frame_end_timestamp));
        // Steps 1.17-1.19.
        buffer.last_decode_timestamp = Some(decode_timestamp);
        buffer.last_frame_duration = Some(frame_duration);
        if buffer
            .highest_end_timestamp
            .is_none_or(|highest| frame_end_timestamp > highest)
        {
            buffer.highest_end_timestamp = Some(frame_end_timestamp);
        }
        // Step 1.20.
        if frame_end_timestamp > self.group_end_timestamp {
            self.group_end_timestamp = frame_end_timestamp;
        }
        // Step 1.21.
        if self.generate_timestamps {
            self.timestamp_offset = frame_end_timestamp;
        }
    }
}
