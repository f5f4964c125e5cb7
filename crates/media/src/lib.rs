//! `eme-media`: media without JavaScript — the ISO-BMFF reader for Common Encryption, exact
//! media time ([`MediaTime`], [`TimeRanges`]) and coded frames ([`CodedFrame`]).
//!
//! [`StreamParser`] takes bytes in chunks of any size and yields [`Event`]s as top-level boxes
//! complete: an [`InitSegment`] (tracks, sample entries with their `tenc`, `pssh` boxes) and
//! [`MediaSegment`]s (samples with byte ranges, times, data and [`SampleCrypto`]).
//! [`parse_file`] reads a whole file. [`boxes`] exposes the generic box tree (absolute offsets,
//! header sizes, children) that a file rewriter walks. [`mse`] is the Media Source Extensions
//! buffering model (`SourceBuffer`'s algorithms over track buffers of [`CodedFrame`]s).
//! [`playback`] is the media element's playback engine, driven by a clock it is given.

#![forbid(unsafe_code)]

pub mod boxes;
pub mod codec;
pub mod crypto;
pub mod decrypt_file;
pub mod error;
pub mod fragment;
pub mod frame;
pub mod info;
pub mod init;
pub mod limits;
pub mod mse;
pub mod playback;
mod progressive;
mod reader;
pub mod sample;
pub mod stream;
pub mod time;

pub use boxes::{BoxHeader, BoxNode, FourCc, read_box, read_boxes};
pub use crypto::{
    Pattern, ProtectionParams, SampleCrypto, SampleEncryption, Scheme, Subsample, UnsupportedScheme,
};
pub use decrypt_file::{DecryptFileError, DecryptReport, Keys, TrackReport, decrypt_file};
pub use error::{ErrorKind, MediaError};
pub use fragment::{Fragment, TrackFragment};
pub use frame::CodedFrame;
pub use info::{FileInfo, TrackInfo, describe};
pub use init::{
    FileType, InitSegment, ProtectionScheme, Pssh, SampleEntry, Track, TrackEncryption,
    TrackExtends,
};
pub use limits::Limits;
pub use sample::Sample;
pub use stream::{Event, MediaSegment, Mp4File, StreamParser, parse_file, parse_file_with_limits};
pub use time::{FLICKS_PER_SECOND, MediaTime, TimeRanges};
