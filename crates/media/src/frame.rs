//! Coded frames: what MSE's coded frame processing stores in track buffers and what the
//! playback engine decrypts and presents — one access unit with its times on the
//! presentation timeline (after any `timestampOffset`), its bytes and its encryption.

use std::sync::Arc;

use crate::crypto::SampleCrypto;
use crate::init::Track;
use crate::sample::Sample;
use crate::time::MediaTime;

/// One coded frame (an access unit) of one track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedFrame {
    /// The track (`tkhd` track ID) it belongs to.
    pub track_id: u32,
    /// Presentation timestamp.
    pub pts: MediaTime,
    /// Decode timestamp.
    pub dts: MediaTime,
    /// Frame duration.
    pub duration: MediaTime,
    /// Whether it is a random access point.
    pub is_sync: bool,
    /// The 1-based index of its sample entry in the track's `stsd`.
    pub description_index: u32,
    /// Its bytes, still encrypted if it is protected (shared: frames are cloned into track
    /// buffers and read by the engine without copying the data).
    pub data: Arc<[u8]>,
    /// How it is encrypted; `None` for a clear frame.
    pub encryption: Option<SampleCrypto>,
}

impl CodedFrame {
    /// The frame of `sample` of `track`: its times converted from the track's timescale and
    /// moved onto the presentation timeline by the track's edit list.
    pub fn from_sample(sample: &Sample, track: &Track) -> CodedFrame {
        let timescale = track.timescale;
        let decode_time = i64::try_from(sample.decode_time).unwrap_or(i64::MAX);
        let dts = MediaTime::from_timescale(decode_time, timescale) + track.presentation_offset;
        let offset = MediaTime::from_timescale(sample.composition_offset, timescale);
        CodedFrame {
            track_id: sample.track_id,
            pts: dts + offset,
            dts,
            duration: MediaTime::from_timescale(i64::from(sample.duration), timescale),
            is_sync: sample.is_sync,
            description_index: sample.description_index,
            data: Arc::from(sample.data.as_slice()),
            encryption: sample.encryption.clone(),
        }
    }

    /// The end of its presentation interval.
    pub fn end(&self) -> MediaTime {
        self.pts + self.duration
    }
}
