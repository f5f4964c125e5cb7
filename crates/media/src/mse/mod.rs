//! The Media Source Extensions buffering model for ISO-BMFF byte streams, without JavaScript:
//! what a `SourceBuffer` does with the bytes a script appends.
//!
//! [`SourceBufferState`] runs the algorithms of
//! [Media Source Extensions](https://w3c.github.io/media-source/) step by step, in the spec's
//! vocabulary: the *segment parser loop* over a [`StreamParser`](crate::StreamParser), the
//! *initialization segment received* algorithm, *coded frame processing* (timestampOffset,
//! `"segments"` / `"sequence"` mode, discontinuity detection, the append window, random
//! access points, overlap removal with decoding dependencies), *coded frame removal*
//! (`remove()`), *coded frame eviction* with a memory limit (`appendBuffer()`'s prepare
//! append step), *reset parser state* (`abort()`), and the `buffered` attribute. Each call
//! returns what happened as data ([`AppendOutcome`], [`CodedFrameRemoval`], [`Eviction`]); the
//! binding turns it into events, exceptions and the duration change algorithm, and the
//! playback engine reads the [`TrackBuffer`]s.
//!
//! Times are [`MediaTime`](crate::MediaTime) flicks, exact for common frame and sample rates,
//! with [`MediaTime::MAX`](crate::MediaTime::MAX) for +Infinity.

mod append_state;
mod coded_frame_processing;
mod content_type;
mod eviction;
mod source_buffer;
mod track_buffer;

pub use append_state::AppendState;
pub use content_type::{ContentType, MediaType, UnsupportedType};
pub use eviction::{DEFAULT_AUDIO_MEMORY_LIMIT, DEFAULT_VIDEO_MEMORY_LIMIT, Eviction};
pub use source_buffer::{
    AppendError, AppendMode, AppendOutcome, AttributeError, CodedFrameRemoval, InitSegmentReceived,
    SourceBufferState,
};
pub use track_buffer::{TrackBuffer, TrackKind};
