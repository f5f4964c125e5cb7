//! The coded frame eviction algorithm and the memory limit behind `appendBuffer()`'s
//! `QuotaExceededError`.
//!
//! <https://w3c.github.io/media-source/#sourcebuffer-coded-frame-eviction>

use super::content_type::MediaType;
use super::source_buffer::{AppendError, SourceBufferState};
use super::track_buffer::TrackKind;
use crate::time::MediaTime;

/// The default memory limit of a source buffer with video: 150 MiB (Chromium's).
pub const DEFAULT_VIDEO_MEMORY_LIMIT: usize = 150 << 20;
/// The default memory limit of an audio-only source buffer: 12 MiB (Chromium's).
pub const DEFAULT_AUDIO_MEMORY_LIMIT: usize = 12 << 20;

/// What coded frame eviction removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eviction {
    /// Frames removed.
    pub frames_removed: usize,
    /// Everything presented before this time was removed (`None`: nothing was).
    pub evicted_before: Option<MediaTime>,
}

impl SourceBufferState {
    /// The memory limit: the one set, else 150 MiB once the buffer holds a video track (or,
    /// before the first initialization segment, when its type is `video/mp4`), else 12 MiB.
    pub fn memory_limit(&self) -> usize {
        if let Some(limit) = self.memory_limit {
            return limit;
        }
        let video = if self.track_buffers.is_empty() {
            self.content_type.media_type == MediaType::Video
        } else {
            self.track_buffers
                .iter()
                .any(|b| b.kind == TrackKind::Video)
        };
        if video {
            DEFAULT_VIDEO_MEMORY_LIMIT
        } else {
            DEFAULT_AUDIO_MEMORY_LIMIT
        }
    }

    /// Sets the memory limit in bytes.
    pub fn set_memory_limit(&mut self, bytes: usize) {
        self.memory_limit = Some(bytes);
    }

    /// Bytes held: coded frame data in every track buffer plus input waiting in the parser.
    pub fn size_in_bytes(&self) -> usize {
        let frames: usize = self.track_buffers.iter().map(|b| b.size_in_bytes()).sum();
        frames.saturating_add(self.pending_input_bytes())
    }

    /// The "buffer full flag": the buffer holds as much as its memory limit allows.
    pub fn buffer_full(&self) -> bool {
        self.size_in_bytes() >= self.memory_limit()
    }

    /// `appendBuffer()`'s prepare append steps on the buffer: when `new_data_len` more bytes
    /// would not fit, run coded frame eviction — whole groups of pictures presented before
    /// `current_playback_position`, oldest first, only as many as needed — and if the data
    /// still does not fit, fail with [`AppendError::QuotaExceeded`].
    ///
    /// <https://w3c.github.io/media-source/#sourcebuffer-prepare-append>
    pub fn prepare_append(
        &mut self,
        new_data_len: usize,
        current_playback_position: MediaTime,
    ) -> Result<Eviction, AppendError> {
        let limit = self.memory_limit();
        let needed = |state: &SourceBufferState| state.size_in_bytes().saturating_add(new_data_len);
        let mut eviction = Eviction::default();
        if needed(self) <= limit {
            return Ok(eviction);
        }
        // Step 3: "Let removal ranges equal a list of presentation time ranges that can be
        // evicted": prefixes of the timeline ending where a group of pictures of the leading
        // track (video if there is one) ends, at or before the current playback position.
        let mut boundaries = self.eviction_boundaries(current_playback_position);
        while !boundaries.is_empty() {
            let excess = needed(self) - limit;
            // Evict the shortest prefix whose frames free enough, estimated over all tracks.
            let enough =
                boundaries.partition_point(|&end| self.bytes_presented_before(end) < excess);
            let end = boundaries[enough.min(boundaries.len() - 1)];
            boundaries.retain(|&b| b > end);
            // Step 4: the coded frame removal algorithm on the range. Its "duration" is the
            // range end itself, so removal never reaches past the range when no random access
            // point follows it.
            let removal = self.remove(MediaTime::MIN, end, end);
            eviction.frames_removed += removal.frames_removed;
            eviction.evicted_before = Some(end);
            if needed(self) <= limit {
                return Ok(eviction);
            }
        }
        Err(AppendError::QuotaExceeded {
            needed: needed(self),
            limit,
        })
    }

    /// The presentation ends of the leading track's groups of pictures that end at or before
    /// `current_playback_position`, ascending.
    fn eviction_boundaries(&self, current_playback_position: MediaTime) -> Vec<MediaTime> {
        let leading = self
            .track_buffers
            .iter()
            .find(|b| b.kind == TrackKind::Video)
            .or(self.track_buffers.first());
        let Some(leading) = leading else {
            return Vec::new();
        };
        let frames = leading.frames();
        let mut boundaries: Vec<MediaTime> = leading
            .groups_of_pictures()
            .into_iter()
            .filter_map(|group| frames[group].iter().map(|f| f.end()).max())
            .filter(|&end| end <= current_playback_position)
            .collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        boundaries
    }

    /// Bytes of the frames of every track presented before `end`.
    fn bytes_presented_before(&self, end: MediaTime) -> usize {
        self.track_buffers
            .iter()
            .flat_map(|b| b.frames())
            .filter(|f| f.pts < end)
            .map(|f| f.data.len())
            .sum()
    }
}
