//! "Decoding" without a decoder: a frame is decrypted (a copy of its bytes, with one
//! [`SampleCipher`] kept per key) and its codec framing is checked — the part of decoding that
//! tells a missing key (EME's "Wait for Key") from a wrong one (HTML's decode error). Also the
//! digests that let a test compare what was played with the clear content.

use std::collections::{BTreeMap, HashMap};

use eme_cdm::decrypt::{DecryptError, SampleCipher};
use sha2::{Digest, Sha256};

use super::source::{KeySource, TrackKind};
use crate::codec::CodecCheck;
use crate::frame::CodedFrame;
use crate::stream::Mp4File;
use crate::time::MediaTime;

/// Why a frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeFailure {
    /// No key for this key ID (yet): EME's "Wait for Key".
    NoKey([u8; 16]),
    /// Anything else: HTML's "media data is corrupted" (`MEDIA_ERR_DECODE`).
    Corrupt(String),
}

/// Decrypts frames, keeping the expanded key of every key it has used.
#[derive(Debug, Default)]
pub(crate) struct Decryptor {
    /// Per key ID: the key the cipher was built from (a session may replace it) and the cipher.
    ciphers: HashMap<[u8; 16], ([u8; 16], SampleCipher)>,
}

impl Decryptor {
    /// Forgets every cipher (the element's `MediaKeys` changed).
    pub(crate) fn clear(&mut self) {
        self.ciphers.clear();
    }

    /// The frame's clear bytes, checked against the codec's framing.
    pub(crate) fn decode(
        &mut self,
        frame: &CodedFrame,
        keys: Option<&dyn KeySource>,
        check: Option<CodecCheck>,
    ) -> Result<Vec<u8>, DecodeFailure> {
        let mut bytes = frame.data.to_vec();
        if let Some(crypto) = &frame.encryption {
            let encryption = crypto
                .as_sample_encryption()
                .map_err(|unsupported| DecodeFailure::Corrupt(unsupported.to_string()))?;
            let key_id = encryption.key_id;
            let key = keys
                .and_then(|keys| keys.key(&key_id))
                .ok_or(DecodeFailure::NoKey(key_id))?;
            let cipher = match self.ciphers.get(&key_id) {
                Some((known, cipher)) if *known == key => cipher,
                _ => {
                    self.ciphers.insert(key_id, (key, SampleCipher::new(&key)));
                    &self.ciphers[&key_id].1
                }
            };
            cipher
                .decrypt(&encryption, &mut bytes)
                .map_err(|error| match error {
                    DecryptError::NoKey { key_id } => DecodeFailure::NoKey(key_id),
                    other => DecodeFailure::Corrupt(format!(
                        "the frame at {} of track {} cannot be decrypted: {other}",
                        frame.pts, frame.track_id
                    )),
                })?;
        }
        if let Some(check) = check {
            check.verify(&bytes).map_err(|reason| {
                DecodeFailure::Corrupt(format!(
                    "the {} frame at {} of track {} is not valid after decryption: {reason}",
                    check.codec_name(),
                    frame.pts,
                    frame.track_id
                ))
            })?;
        }
        Ok(bytes)
    }
}

/// What one track has played: the harness report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackPlayback {
    /// The track ID.
    pub track_id: u32,
    /// Audio or video.
    pub kind: TrackKind,
    /// Frames presented (at their presentation time), since the last load.
    pub frames_presented: usize,
    /// Frames decrypted and checked: the presented ones plus those decoded only as the
    /// reference frames a seek starts from (from the random access point before the target).
    pub frames_decoded: usize,
    /// The end of the last presented frame (zero before any).
    pub time_reached: MediaTime,
    /// SHA-256 over the decrypted bytes of every presented frame, in presentation order.
    pub digest: [u8; 32],
}

/// A running presentation digest (see [`presentation_digest`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct RunningDigest(Sha256);

impl RunningDigest {
    pub(crate) fn add(&mut self, frame_bytes: &[u8]) {
        self.0.update(frame_bytes);
    }

    pub(crate) fn value(&self) -> [u8; 32] {
        self.0.clone().finalize().into()
    }
}

/// SHA-256 over the concatenated bytes of `frames` in the order given — what
/// [`TrackPlayback::digest`] holds for the frames a track presented.
pub fn presentation_digest<'a>(frames: impl IntoIterator<Item = &'a [u8]>) -> [u8; 32] {
    let mut digest = RunningDigest::default();
    for frame in frames {
        digest.add(frame);
    }
    digest.value()
}

/// Per track of `file`, the [`presentation_digest`] of its samples' bytes in presentation
/// order, and the sample count: for a clear file, what playing it from the start (0) to the
/// end presents. Samples an edit list places entirely before 0 (such as AAC's encoder
/// priming frame) are never presented and not counted. On an encrypted file it digests the
/// encrypted bytes.
pub fn file_digests(file: &Mp4File) -> BTreeMap<u32, (usize, [u8; 32])> {
    file_digests_from(file, MediaTime::ZERO)
}

/// Like [`file_digests`], over the samples that playing from `position` presents: the one
/// covering `position` and every later one.
pub fn file_digests_from(file: &Mp4File, position: MediaTime) -> BTreeMap<u32, (usize, [u8; 32])> {
    let mut by_track: BTreeMap<u32, Vec<CodedFrame>> = BTreeMap::new();
    let Some(init) = &file.init else {
        return BTreeMap::new();
    };
    for sample in file.samples() {
        if let Some(track) = init.track(sample.track_id) {
            let frame = CodedFrame::from_sample(sample, track);
            if frame.end() > position {
                by_track.entry(sample.track_id).or_default().push(frame);
            }
        }
    }
    by_track
        .into_iter()
        .map(|(track_id, mut frames)| {
            frames.sort_by_key(|f| f.pts);
            let digest = presentation_digest(frames.iter().map(|f| &f.data[..]));
            (track_id, (frames.len(), digest))
        })
        .collect()
}
