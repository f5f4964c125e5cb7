//! Sample decryption for ISO/IEC 23001-7 Common Encryption: the four protection schemes
//! `cenc`, `cbcs`, `cens` and `cbc1`, with subsamples and crypt:skip patterns.
//!
//! The media pipeline hands one sample at a time to [`decrypt_sample`] (or to
//! [`crate::Cdm::decrypt`], which also finds the key) together with the sample's
//! [`SampleEncryption`] parameters taken from `tenc`/`senc`/`seig`. Decryption happens in
//! place. [`encrypt_sample`] is the exact inverse; it exists so tests (here and in other
//! crates) can build encrypted content without an external packager.
//!
//! # The rules, scheme by scheme
//!
//! Every scheme uses AES-128. A sample is a run of subsamples, each `clear_bytes` followed by
//! `protected_bytes`; no subsamples means the whole sample is one protected range. The byte
//! counts must add up to the sample size exactly.
//!
//! - **`cenc`** — AES-CTR, counter block = the IV whose bytes 8–15 are a big-endian 64-bit
//!   block counter that wraps without carrying into bytes 0–7. One keystream per sample: the
//!   protected ranges are one continuous stream, continuing mid-block from one range to the
//!   next; clear bytes do not advance it. Every protected byte is encrypted, including a
//!   trailing partial block.
//! - **`cbc1`** — AES-CBC over the whole 16-byte blocks of each protected range, no pattern.
//!   The chain runs across the subsamples of a sample (the first block of a range chains from
//!   the last ciphertext block of the previous range), as FFmpeg's and Shaka Packager's cbc1
//!   code do; a trailing partial block of a range stays clear and does not enter the chain.
//! - **`cens`** — AES-CTR with a crypt:skip pattern of whole blocks. As in `cenc` the
//!   keystream is one per sample and advances only over encrypted bytes, so it continues across
//!   ranges; since a pattern only ever encrypts whole blocks it stays block-aligned.
//! - **`cbcs`** — AES-CBC with a crypt:skip pattern. CBC restarts from the IV at each
//!   protected range; inside a range the chain runs through the encrypted blocks only (the last
//!   ciphertext block of one encrypted run is the IV of the next run).
//!
//! For both pattern schemes the pattern restarts at each protected range and counts whole
//! blocks, a trailing partial block stays clear, and a pattern of 0:0 (or none) means every
//! whole block is encrypted (1:0). When the blocks left at the end of a range are fewer than
//! the crypt count, they stay clear: that is what Shaka Packager writes (its pattern cryptor
//! only encrypts a run when a full `crypt_byte_block` run fits) and what FFmpeg reads, and our
//! test content comes from Shaka Packager. Chromium decrypts those blocks instead; the two
//! agree for the common 1:9 and 0:0 patterns, where a short final run cannot occur.
//!
//! `cenc` and `cbc1` have no pattern; a pattern given with them is ignored, as Chromium,
//! FFmpeg and Shaka Packager ignore it.
//!
//! # Speed
//!
//! The expensive part is AES itself, so the code hands the cipher as many blocks per call as
//! the rules allow: one call per protected range for `cenc` and `cbc1` and for pattern 0:0
//! (with AES-NI, which the `aes` crate detects at run time, long calls let it work on eight
//! blocks at once). For `cens`, short encrypted runs such as 1:9's single blocks are gathered
//! into a small buffer so the keystream is still generated in long calls; for `cbcs` that
//! did not pay off, so its runs go to the cipher directly. [`SampleCipher`] keeps an
//! expanded key for callers that decrypt many samples with the same key.

use std::fmt;
use std::ops::Range;

use aes::Aes128;
use aes::cipher::consts::U16;
use aes::cipher::inout::InOutBuf;
use aes::cipher::{
    BlockDecryptMut, BlockEncryptMut, InnerIvInit, KeyInit, StreamCipher, StreamCipherCoreWrapper,
};

/// The AES block size in bytes.
const BLOCK: usize = 16;

/// Byte counts are converted from `u32` to `usize` freely below; this keeps that lossless.
const _: () = assert!(usize::BITS >= 32);

/// A Common Encryption protection scheme (the `schm` box's `scheme_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `cenc`: AES-CTR, full sample or subsample encryption.
    Cenc,
    /// `cbcs`: AES-CBC with a crypt:skip pattern, CBC restarting at each subsample.
    Cbcs,
    /// `cens`: AES-CTR with a crypt:skip pattern.
    Cens,
    /// `cbc1`: AES-CBC over whole blocks, no pattern.
    Cbc1,
}

impl Scheme {
    /// The scheme for a `scheme_type` four-character code, e.g. `b"cbcs"`; `None` for any
    /// other code.
    pub fn from_fourcc(fourcc: &[u8; 4]) -> Option<Scheme> {
        match fourcc {
            b"cenc" => Some(Scheme::Cenc),
            b"cbcs" => Some(Scheme::Cbcs),
            b"cens" => Some(Scheme::Cens),
            b"cbc1" => Some(Scheme::Cbc1),
            _ => None,
        }
    }

    /// The scheme's four-character code as it appears in `schm`.
    pub fn fourcc(self) -> [u8; 4] {
        match self {
            Scheme::Cenc => *b"cenc",
            Scheme::Cbcs => *b"cbcs",
            Scheme::Cens => *b"cens",
            Scheme::Cbc1 => *b"cbc1",
        }
    }

    /// The four-character code as text, e.g. `"cbcs"` (also what `Display` writes).
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Cenc => "cenc",
            Scheme::Cbcs => "cbcs",
            Scheme::Cens => "cens",
            Scheme::Cbc1 => "cbc1",
        }
    }

    /// Whether the scheme applies a crypt:skip pattern (`cbcs`, `cens`).
    pub fn uses_pattern(self) -> bool {
        matches!(self, Scheme::Cbcs | Scheme::Cens)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A crypt:skip pattern from `tenc` (version 1) or `seig`: of every `crypt_byte_block +
/// skip_byte_block` 16-byte blocks of a protected range, the first `crypt_byte_block` are
/// encrypted and the rest are clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pattern {
    /// Encrypted blocks at the start of each pattern period.
    pub crypt_byte_block: u8,
    /// Clear blocks after them.
    pub skip_byte_block: u8,
}

impl Pattern {
    /// A `crypt:skip` pattern.
    pub const fn new(crypt_byte_block: u8, skip_byte_block: u8) -> Pattern {
        Pattern {
            crypt_byte_block,
            skip_byte_block,
        }
    }

    /// Whether this is 0:0, which the pattern schemes read as "every whole block".
    pub const fn is_zero(self) -> bool {
        self.crypt_byte_block == 0 && self.skip_byte_block == 0
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.crypt_byte_block, self.skip_byte_block)
    }
}

/// One subsample entry of `senc`: `clear_bytes` left in the clear, then `protected_bytes`
/// to which the scheme applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Subsample {
    /// `BytesOfClearData`.
    pub clear_bytes: u32,
    /// `BytesOfProtectedData`.
    pub protected_bytes: u32,
}

impl Subsample {
    /// A subsample of `clear_bytes` followed by `protected_bytes`.
    pub const fn new(clear_bytes: u32, protected_bytes: u32) -> Subsample {
        Subsample {
            clear_bytes,
            protected_bytes,
        }
    }
}

/// Everything needed to decrypt one sample besides the key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleEncryption<'a> {
    /// The track's protection scheme.
    pub scheme: Scheme,
    /// The key ID (`tenc` default or `seig`), used by [`crate::Cdm::decrypt`] to find the key.
    pub key_id: [u8; 16],
    /// The per-sample IV from `senc`, or the constant IV: 8 or 16 bytes. An 8-byte IV is
    /// zero-padded to 16 bytes on the right.
    pub iv: &'a [u8],
    /// The crypt:skip pattern for `cbcs`/`cens`; `None` and 0:0 both mean every whole block.
    /// Ignored for `cenc` and `cbc1`.
    pub pattern: Option<Pattern>,
    /// The subsamples; empty means the whole sample is protected.
    pub subsamples: &'a [Subsample],
}

/// Why a sample could not be decrypted (or encrypted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    /// The CDM has no key for the sample's key ID (yet): the media element waits for one
    /// (`waitingforkey`) rather than failing.
    #[error("no key for key ID {}", crate::hex::encode(key_id))]
    NoKey {
        /// The key ID that was looked up.
        key_id: [u8; 16],
    },
    /// The IV is neither 8 nor 16 bytes long.
    #[error("the IV is {0} bytes long; Common Encryption IVs are 8 or 16 bytes")]
    InvalidIvSize(usize),
    /// The subsamples' clear and protected byte counts do not add up to the sample size.
    #[error(
        "the subsamples cover {subsamples_total} bytes (clear + protected) but the sample is {sample_size} bytes"
    )]
    SubsampleSizeMismatch {
        /// The sum of all clear and protected byte counts.
        subsamples_total: u64,
        /// The sample's size.
        sample_size: usize,
    },
    /// The sum of the subsamples' byte counts does not fit in 64 bits.
    #[error("the subsample byte counts overflow at subsample {index}")]
    SubsampleSizeOverflow {
        /// The index of the subsample at which the running total overflowed.
        index: usize,
    },
    /// A pattern that encrypts nothing although it is not 0:0 (e.g. 0:9).
    #[error("the {scheme} pattern {pattern} encrypts no block (crypt_byte_block is 0)")]
    InvalidPattern {
        /// The scheme the pattern came with.
        scheme: Scheme,
        /// The offending pattern.
        pattern: Pattern,
    },
}

/// AES-128 with one content key expanded once, for decrypting or encrypting many samples.
///
/// [`decrypt_sample`] and [`encrypt_sample`] build one per call; a demuxer that keeps the
/// key of a track can keep one of these instead and save the key expansion per sample.
#[derive(Clone)]
pub struct SampleCipher {
    aes: Aes128,
}

impl fmt::Debug for SampleCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        f.debug_struct("SampleCipher").finish_non_exhaustive()
    }
}

impl SampleCipher {
    /// Expands `key`.
    pub fn new(key: &[u8; 16]) -> SampleCipher {
        SampleCipher {
            aes: Aes128::new(key.into()),
        }
    }

    /// Decrypts one sample in place.
    pub fn decrypt(
        &self,
        encryption: &SampleEncryption<'_>,
        data: &mut [u8],
    ) -> Result<(), DecryptError> {
        self.process(encryption, data, Direction::Decrypt)
    }

    /// Encrypts one sample in place: the exact inverse of [`SampleCipher::decrypt`].
    pub fn encrypt(
        &self,
        encryption: &SampleEncryption<'_>,
        data: &mut [u8],
    ) -> Result<(), DecryptError> {
        self.process(encryption, data, Direction::Encrypt)
    }

    fn process(
        &self,
        encryption: &SampleEncryption<'_>,
        data: &mut [u8],
        direction: Direction,
    ) -> Result<(), DecryptError> {
        let iv = full_iv(encryption.iv)?;
        check_subsamples(encryption.subsamples, data.len())?;
        let scheme = encryption.scheme;
        let ranges = ProtectedRanges::new(encryption.subsamples, data.len());
        match scheme {
            Scheme::Cenc => {
                let mut ctr = self.ctr(&iv);
                for range in ranges {
                    ctr.apply(&mut data[range]);
                }
            }
            Scheme::Cbc1 => {
                let mut cbc = self.cbc(&iv, direction);
                for range in ranges {
                    cbc.apply(whole_blocks(&mut data[range]));
                }
            }
            Scheme::Cens => {
                let (crypt, skip) = effective_pattern(scheme, encryption.pattern)?;
                let mut ctr = self.ctr(&iv);
                for range in ranges {
                    apply_pattern(&mut data[range], crypt, skip, &mut ctr);
                }
            }
            Scheme::Cbcs => {
                let (crypt, skip) = effective_pattern(scheme, encryption.pattern)?;
                for range in ranges {
                    // The chain restarts from the IV at every protected range.
                    let mut cbc = self.cbc(&iv, direction);
                    apply_pattern(&mut data[range], crypt, skip, &mut cbc);
                }
            }
        }
        Ok(())
    }

    fn ctr(&self, iv: &[u8; 16]) -> CtrStream {
        CtrStream(StreamCipherCoreWrapper::from_core(
            ctr::CtrCore::inner_iv_init(self.aes.clone(), iv.into()),
        ))
    }

    fn cbc(&self, iv: &[u8; 16], direction: Direction) -> CbcChain {
        match direction {
            Direction::Decrypt => {
                CbcChain::Decrypt(cbc::Decryptor::inner_iv_init(self.aes.clone(), iv.into()))
            }
            Direction::Encrypt => {
                CbcChain::Encrypt(cbc::Encryptor::inner_iv_init(self.aes.clone(), iv.into()))
            }
        }
    }
}

/// Decrypts one sample in place with `key`, following `encryption`'s scheme, IV, pattern
/// and subsamples. On error `data` is left untouched.
pub fn decrypt_sample(
    key: &[u8; 16],
    encryption: &SampleEncryption<'_>,
    data: &mut [u8],
) -> Result<(), DecryptError> {
    SampleCipher::new(key).decrypt(encryption, data)
}

/// Encrypts one sample in place: the exact inverse of [`decrypt_sample`], for building test
/// content. On error `data` is left untouched.
pub fn encrypt_sample(
    key: &[u8; 16],
    encryption: &SampleEncryption<'_>,
    data: &mut [u8],
) -> Result<(), DecryptError> {
    SampleCipher::new(key).encrypt(encryption, data)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Decrypt,
    Encrypt,
}

/// The 16-byte IV: an 8-byte IV is zero-padded on the right (the low half is then the block
/// counter for the CTR schemes, starting at zero).
fn full_iv(iv: &[u8]) -> Result<[u8; 16], DecryptError> {
    let mut full = [0u8; 16];
    match iv.len() {
        8 | 16 => {
            full[..iv.len()].copy_from_slice(iv);
            Ok(full)
        }
        other => Err(DecryptError::InvalidIvSize(other)),
    }
}

/// Checks that the subsamples cover the sample exactly; after this every offset computed
/// from them lies within the sample, so the walk below needs no further checks.
fn check_subsamples(subsamples: &[Subsample], sample_size: usize) -> Result<(), DecryptError> {
    if subsamples.is_empty() {
        return Ok(());
    }
    let mut total: u64 = 0;
    for (index, subsample) in subsamples.iter().enumerate() {
        total = total
            .checked_add(u64::from(subsample.clear_bytes))
            .and_then(|t| t.checked_add(u64::from(subsample.protected_bytes)))
            .ok_or(DecryptError::SubsampleSizeOverflow { index })?;
    }
    if u64::try_from(sample_size).ok() != Some(total) {
        return Err(DecryptError::SubsampleSizeMismatch {
            subsamples_total: total,
            sample_size,
        });
    }
    Ok(())
}

/// The (crypt, skip) block counts a pattern scheme applies: 0:0 or no pattern means 1:0.
fn effective_pattern(
    scheme: Scheme,
    pattern: Option<Pattern>,
) -> Result<(usize, usize), DecryptError> {
    match pattern {
        None => Ok((1, 0)),
        Some(p) if p.is_zero() => Ok((1, 0)),
        Some(p) if p.crypt_byte_block == 0 => {
            Err(DecryptError::InvalidPattern { scheme, pattern: p })
        }
        Some(p) => Ok((
            usize::from(p.crypt_byte_block),
            usize::from(p.skip_byte_block),
        )),
    }
}

/// The protected byte ranges of a sample whose subsamples were checked by
/// [`check_subsamples`] (or the whole sample when there are none).
struct ProtectedRanges<'a> {
    subsamples: std::slice::Iter<'a, Subsample>,
    offset: usize,
    whole: Option<usize>,
}

impl<'a> ProtectedRanges<'a> {
    fn new(subsamples: &'a [Subsample], sample_size: usize) -> Self {
        ProtectedRanges {
            subsamples: subsamples.iter(),
            offset: 0,
            whole: subsamples.is_empty().then_some(sample_size),
        }
    }
}

impl Iterator for ProtectedRanges<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if let Some(size) = self.whole.take() {
            return Some(0..size);
        }
        let subsample = self.subsamples.next()?;
        // No overflow: the counts were checked to sum to the sample size.
        let start = self.offset + subsample.clear_bytes as usize;
        let end = start + subsample.protected_bytes as usize;
        self.offset = end;
        Some(start..end)
    }
}

/// The whole 16-byte blocks at the start of `range`; the partial block after them stays clear.
fn whole_blocks(range: &mut [u8]) -> &mut [u8] {
    let len = range.len() - range.len() % BLOCK;
    &mut range[..len]
}

/// A stateful cipher over a concatenation of byte runs: the CTR keystream continues and the
/// CBC chain carries on from one call to the next.
trait Transform {
    /// Whether short pattern runs should be gathered into one call (see [`apply_pattern`]).
    const GATHER_SHORT_RUNS: bool;
    /// Processes `data` in place. CBC transforms only ever get whole blocks.
    fn apply(&mut self, data: &mut [u8]);
}

/// AES-128-CTR with the 64-bit big-endian counter of Common Encryption.
struct CtrStream(ctr::Ctr64BE<Aes128>);

impl Transform for CtrStream {
    // Measured: a call through the stream-cipher wrapper costs more than copying a run, and
    // gathered runs let the keystream be generated eight blocks at a time.
    const GATHER_SHORT_RUNS: bool = true;

    fn apply(&mut self, data: &mut [u8]) {
        // `apply_keystream` only panics past 2^64 blocks from the IV, more than any slice holds.
        self.0.apply_keystream(data);
    }
}

/// AES-128-CBC in either direction, without padding.
enum CbcChain {
    Decrypt(cbc::Decryptor<Aes128>),
    Encrypt(cbc::Encryptor<Aes128>),
}

impl Transform for CbcChain {
    // Measured: a one-block call into the CBC mode is cheap enough that the copies of a
    // gather cost more than they save (cbcs 1:9 ran about 1.5x faster without them).
    const GATHER_SHORT_RUNS: bool = false;

    fn apply(&mut self, data: &mut [u8]) {
        // Callers pass whole blocks; a tail, if one ever slipped through, is left clear.
        let (blocks, _tail) = InOutBuf::from(data).into_chunks::<U16>();
        match self {
            CbcChain::Decrypt(d) => d.decrypt_blocks_inout_mut(blocks),
            CbcChain::Encrypt(e) => e.encrypt_blocks_inout_mut(blocks),
        }
    }
}

/// Bytes of encrypted blocks gathered before one call into the cipher (64 blocks): enough
/// for AES-NI's eight-block pipeline to run at full speed, small enough for the stack.
const GATHER_BYTES: usize = 64 * BLOCK;

/// Applies `transform` to the encrypted blocks of one protected range under a crypt:skip
/// pattern (`crypt` ≥ 1), in order, as one continuous stream.
fn apply_pattern<T: Transform>(range: &mut [u8], crypt: usize, skip: usize, transform: &mut T) {
    let range = whole_blocks(range);
    let run = crypt * BLOCK;
    let period = (crypt + skip) * BLOCK;
    // Only full crypt runs are encrypted: a shorter final run stays clear (Shaka Packager).
    let runs = if range.len() >= run {
        (range.len() - run) / period + 1
    } else {
        0
    };
    if runs == 0 {
        return;
    }
    if skip == 0 {
        // The runs are back to back: one call covers them all.
        transform.apply(&mut range[..runs * run]);
        return;
    }
    if !T::GATHER_SHORT_RUNS || run * 2 > GATHER_BYTES {
        // Long runs already keep the cipher busy.
        for k in 0..runs {
            transform.apply(&mut range[k * period..][..run]);
        }
        return;
    }
    // Short runs (1:9 is one block) through a transform that benefits: copy several into a
    // buffer, process them in one call and copy them back. The result is the same because the transform sees the same bytes in the
    // same order either way.
    let per_batch = GATHER_BYTES / run;
    let mut buffer = [0u8; GATHER_BYTES];
    let mut first = 0;
    while first < runs {
        let count = per_batch.min(runs - first);
        for j in 0..count {
            buffer[j * run..][..run].copy_from_slice(&range[(first + j) * period..][..run]);
        }
        transform.apply(&mut buffer[..count * run]);
        for j in 0..count {
            range[(first + j) * period..][..run].copy_from_slice(&buffer[j * run..][..run]);
        }
        first += count;
    }
}
