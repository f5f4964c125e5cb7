//! What the engine plays from ([`FrameSource`]) and decrypts with ([`KeySource`]), and the
//! frame source of a whole MP4 file ([`FileSource`]).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::codec::{CodecCheck, codec_check};
use crate::error::MediaError;
use crate::frame::CodedFrame;
use crate::stream::{Mp4File, parse_file};
use crate::time::{MediaTime, TimeRanges};

/// Whether a track is sound or pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackKind {
    /// An audio track (`soun` handler).
    Audio,
    /// A video track (`vide` handler).
    Video,
}

/// What the engine needs to know about one track before playing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackSummary {
    /// The track ID (`tkhd`), as in [`CodedFrame::track_id`].
    pub id: u32,
    /// Audio or video.
    pub kind: TrackKind,
    /// The framing check every decrypted frame must pass (that of the track's first sample
    /// entry), if its codec has one; a failure is a decode error.
    pub codec_check: Option<CodecCheck>,
    /// Width in pixels (0 for audio).
    pub width: u32,
    /// Height in pixels (0 for audio).
    pub height: u32,
}

/// The media data the engine plays: a whole file, or MSE's track buffers.
///
/// The engine reads it on every call, so an implementation changes as data arrives; after a
/// change the host calls [`super::PlaybackEngine::advance`] (or
/// [`super::PlaybackEngine::data_changed`] when frames already buffered were replaced).
pub trait FrameSource {
    /// The tracks; empty until the metadata is known (HTML then stays at `HAVE_NOTHING`).
    fn tracks(&self) -> Vec<TrackSummary>;
    /// The ranges for which every track has data (HTML's `buffered`).
    fn buffered(&self) -> TimeRanges;
    /// The frames of `track_id` whose presentation intervals `[pts, pts + duration)` overlap
    /// `[from, to)`, in presentation order.
    fn frames_in(&self, track_id: u32, from: MediaTime, to: MediaTime) -> Vec<CodedFrame>;
    /// The duration, if known (HTML's "time of the last frame"; MSE's `duration`).
    fn duration(&self) -> Option<MediaTime>;
    /// Whether all the media data is there: a whole file, or MSE after `endOfStream()`.
    /// Only then does reaching the duration end playback; otherwise it is a stall.
    fn is_complete(&self) -> bool;
}

/// The keys the element can decrypt with: those of every session of its `MediaKeys`.
pub trait KeySource {
    /// The content key for `key_id`, if some session holds a usable one.
    fn key(&self, key_id: &[u8; 16]) -> Option<[u8; 16]>;
}

impl KeySource for BTreeMap<[u8; 16], [u8; 16]> {
    fn key(&self, key_id: &[u8; 16]) -> Option<[u8; 16]> {
        self.get(key_id).copied()
    }
}

impl KeySource for HashMap<[u8; 16], [u8; 16]> {
    fn key(&self, key_id: &[u8; 16]) -> Option<[u8; 16]> {
        self.get(key_id).copied()
    }
}

/// Keys shared with whoever adds them (a `MediaKeys` whose sessions get licences later).
impl<K: KeySource + ?Sized> KeySource for Rc<K> {
    fn key(&self, key_id: &[u8; 16]) -> Option<[u8; 16]> {
        (**self).key(key_id)
    }
}

/// Keys that change while the engine holds them.
impl<K: KeySource> KeySource for RefCell<K> {
    fn key(&self, key_id: &[u8; 16]) -> Option<[u8; 16]> {
        self.borrow().key(key_id)
    }
}

/// A whole MP4 file (fragmented or progressive) as a [`FrameSource`]: every frame is
/// buffered, the file is complete, and `buffered` is `[0, duration)`, as browsers report a
/// fully fetched file. The duration is the end of the last frame.
#[derive(Debug, Clone)]
pub struct FileSource {
    tracks: Vec<TrackSummary>,
    /// Per track, its frames sorted by presentation time.
    frames: BTreeMap<u32, Vec<CodedFrame>>,
    duration: MediaTime,
}

impl FileSource {
    /// Reads a file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<FileSource, MediaError> {
        FileSource::new(&parse_file(bytes)?)
    }

    /// The source of a parsed file; an error if it has no `moov`.
    pub fn new(file: &Mp4File) -> Result<FileSource, MediaError> {
        let Some(init) = &file.init else {
            return Err(MediaError::malformed(
                "",
                0,
                "no 'moov' box: not a whole MP4 file",
            ));
        };
        let mut tracks = Vec::new();
        let mut frames = BTreeMap::new();
        for track in &init.tracks {
            let kind = match &track.handler.0 {
                b"vide" => TrackKind::Video,
                b"soun" => TrackKind::Audio,
                _ => continue,
            };
            let check = track
                .sample_entries
                .first()
                .and_then(|entry| codec_check(entry, &init.moov_bytes, init.moov.offset));
            tracks.push(TrackSummary {
                id: track.track_id,
                kind,
                codec_check: check,
                width: track.width,
                height: track.height,
            });
            frames.insert(track.track_id, Vec::new());
        }
        for sample in file.samples() {
            let (Some(list), Some(track)) = (
                frames.get_mut(&sample.track_id),
                init.track(sample.track_id),
            ) else {
                continue;
            };
            list.push(CodedFrame::from_sample(sample, track));
        }
        let mut duration = MediaTime::ZERO;
        for list in frames.values_mut() {
            list.sort_by_key(|frame| frame.pts);
            if let Some(end) = list.iter().map(CodedFrame::end).max() {
                duration = duration.max(end);
            }
        }
        Ok(FileSource {
            tracks,
            frames,
            duration,
        })
    }

    /// Every frame of `track_id`, in presentation order.
    pub fn frames(&self, track_id: u32) -> &[CodedFrame] {
        self.frames.get(&track_id).map_or(&[], Vec::as_slice)
    }
}

impl FrameSource for FileSource {
    fn tracks(&self) -> Vec<TrackSummary> {
        self.tracks.clone()
    }

    fn buffered(&self) -> TimeRanges {
        TimeRanges::single(MediaTime::ZERO, self.duration)
    }

    fn frames_in(&self, track_id: u32, from: MediaTime, to: MediaTime) -> Vec<CodedFrame> {
        let frames = self.frames(track_id);
        // Frames of one track do not overlap, so the one before the first starting at or
        // after `from` is the only earlier one that can still cover `from`.
        let first = frames.partition_point(|f| f.pts < from).saturating_sub(1);
        frames[first..]
            .iter()
            .take_while(|f| f.pts < to)
            .filter(|f| f.end() > from)
            .cloned()
            .collect()
    }

    fn duration(&self) -> Option<MediaTime> {
        Some(self.duration)
    }

    fn is_complete(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn frame(pts_ms: i64, duration_ms: i64) -> CodedFrame {
        let at = |ms: i64| MediaTime::from_timescale(ms, 1000);
        CodedFrame {
            track_id: 1,
            pts: at(pts_ms),
            dts: at(pts_ms),
            duration: at(duration_ms),
            is_sync: true,
            description_index: 1,
            data: Arc::from(&[0u8][..]),
            encryption: None,
        }
    }

    #[test]
    fn frames_in_returns_the_frames_overlapping_the_window() {
        let source = FileSource {
            tracks: Vec::new(),
            frames: [(1, (0..10).map(|i| frame(80 + 40 * i, 40)).collect())].into(),
            duration: MediaTime::from_timescale(480, 1000),
        };
        let pts = |from: i64, to: i64| {
            source
                .frames_in(
                    1,
                    MediaTime::from_timescale(from, 1000),
                    MediaTime::from_timescale(to, 1000),
                )
                .iter()
                .map(|f| f.pts.to_timescale(1000))
                .collect::<Vec<_>>()
        };
        assert_eq!(pts(0, 100), [80]);
        assert_eq!(pts(100, 200), [80, 120, 160]);
        assert_eq!(pts(120, 160), [120]);
        assert_eq!(pts(470, 1000), [440]);
        assert!(pts(480, 1000).is_empty());
        assert!(
            source
                .frames_in(2, MediaTime::ZERO, MediaTime::MAX)
                .is_empty()
        );
        assert_eq!(source.buffered().ranges().len(), 1);
    }
}
