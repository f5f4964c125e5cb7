//! Encrypted samples for tests, built in pure Rust with [`encrypt_sample`] (feature
//! `test-vectors`).
//!
//! Other crates' tests (the MP4 reader, the media element) need encrypted samples whose
//! plaintext they know, covering the awkward cases of Common Encryption: subsample splits
//! that land mid-block, partial trailing blocks, 8-byte IVs, a CTR counter that wraps, every
//! pattern shape. [`edge_cases`] lists such samples for every scheme; [`EncryptedSample::new`]
//! builds any other one. Everything is deterministic, so expected bytes can be compared
//! across runs.

use crate::decrypt::{DecryptError, Pattern, SampleEncryption, Scheme, Subsample, encrypt_sample};

/// The key of the [`edge_cases`] samples (Shaka's `angel-one-clearkey` demo key).
pub const KEY: [u8; 16] = [
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
];

/// The key ID of the [`edge_cases`] samples (the `angel-one-clearkey` key ID).
pub const KEY_ID: [u8; 16] = [
    0xfe, 0xed, 0xf0, 0x0d, 0xee, 0xde, 0xad, 0xbe, 0xef, 0xf0, 0xba, 0xad, 0xf0, 0x0d, 0xd0, 0x0d,
];

/// One encrypted sample with everything needed to decrypt it and the expected plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedSample {
    /// A short description, e.g. `"cbcs/pattern 5:5/subsamples"`, for test failure messages.
    pub name: String,
    /// The protection scheme.
    pub scheme: Scheme,
    /// The content key.
    pub key: [u8; 16],
    /// The key ID.
    pub key_id: [u8; 16],
    /// The IV as stored in the file (8 or 16 bytes).
    pub iv: Vec<u8>,
    /// The pattern, if any.
    pub pattern: Option<Pattern>,
    /// The subsamples (empty = the whole sample is protected).
    pub subsamples: Vec<Subsample>,
    /// The plaintext.
    pub clear: Vec<u8>,
    /// The sample as stored: `clear` encrypted under the parameters above.
    pub encrypted: Vec<u8>,
}

impl EncryptedSample {
    /// Encrypts `clear` under the given parameters; the error is the one decryption would
    /// report for the same parameters (e.g. subsamples not covering the sample).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: impl Into<String>,
        scheme: Scheme,
        key: [u8; 16],
        key_id: [u8; 16],
        iv: Vec<u8>,
        pattern: Option<Pattern>,
        subsamples: Vec<Subsample>,
        clear: Vec<u8>,
    ) -> Result<EncryptedSample, DecryptError> {
        let mut sample = EncryptedSample {
            name: name.into(),
            scheme,
            key,
            key_id,
            iv,
            pattern,
            subsamples,
            encrypted: clear.clone(),
            clear,
        };
        let mut encrypted = std::mem::take(&mut sample.encrypted);
        encrypt_sample(&sample.key, &sample.encryption(), &mut encrypted)?;
        sample.encrypted = encrypted;
        Ok(sample)
    }

    /// The parameters to pass to [`crate::decrypt_sample`] or [`crate::Cdm::decrypt`].
    pub fn encryption(&self) -> SampleEncryption<'_> {
        SampleEncryption {
            scheme: self.scheme,
            key_id: self.key_id,
            iv: &self.iv,
            pattern: self.pattern,
            subsamples: &self.subsamples,
        }
    }
}

/// `len` deterministic pseudo-random bytes for `seed` (SplitMix64), so plaintexts never
/// have the repeating structure that could hide a keystream or chaining mistake.
pub fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let take = (len - out.len()).min(8);
        out.extend_from_slice(&z.to_le_bytes()[..take]);
    }
    out
}

/// A 16-byte IV whose counter half (bytes 8–15) is `blocks_before_wrap` blocks short of
/// wrapping to zero; bytes 0–7 are fixed and must never change in the CTR schemes.
pub fn wrapping_iv(blocks_before_wrap: u64) -> Vec<u8> {
    let mut iv = vec![0x5a, 0xa5, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06];
    iv.extend_from_slice(&(0u64.wrapping_sub(blocks_before_wrap)).to_be_bytes());
    iv
}

/// Edge-case samples for every scheme, all under [`KEY`] / [`KEY_ID`].
pub fn edge_cases() -> Vec<EncryptedSample> {
    let iv16: Vec<u8> = (0x10..0x20).collect();
    let iv8: Vec<u8> = (0xa0..0xa8).collect();
    let mid_block = vec![
        Subsample::new(5, 21),
        Subsample::new(3, 40),
        Subsample::new(0, 7),
        Subsample::new(10, 0),
        Subsample::new(2, 33),
        Subsample::new(1, 1),
    ];
    let video_like = vec![Subsample::new(96, 1600), Subsample::new(5, 323)];
    let patterns = [
        None,
        Some(Pattern::new(0, 0)),
        Some(Pattern::new(1, 9)),
        Some(Pattern::new(5, 5)),
        Some(Pattern::new(2, 1)),
        Some(Pattern::new(3, 0)),
    ];

    let mut cases = Vec::new();
    let mut seed = 1;
    let mut add = |name: String,
                   scheme: Scheme,
                   iv: &[u8],
                   pattern: Option<Pattern>,
                   subsamples: &[Subsample],
                   len: usize| {
        seed += 1;
        let sample = EncryptedSample::new(
            name,
            scheme,
            KEY,
            KEY_ID,
            iv.to_vec(),
            pattern,
            subsamples.to_vec(),
            pseudo_random_bytes(seed, len),
        );
        // The parameters above are consistent by construction.
        if let Ok(sample) = sample {
            cases.push(sample);
        }
    };
    let total = |subsamples: &[Subsample]| -> usize {
        subsamples
            .iter()
            .map(|s| s.clear_bytes as usize + s.protected_bytes as usize)
            .sum()
    };

    for scheme in [Scheme::Cenc, Scheme::Cbcs, Scheme::Cens, Scheme::Cbc1] {
        let scheme_patterns: &[Option<Pattern>] = if scheme.uses_pattern() {
            &patterns
        } else {
            &patterns[..1]
        };
        for &pattern in scheme_patterns {
            let p = pattern.map_or("none".to_string(), |p| p.to_string());
            add(
                format!("{scheme}/pattern {p}/empty"),
                scheme,
                &iv16,
                pattern,
                &[],
                0,
            );
            add(
                format!("{scheme}/pattern {p}/whole sample, partial tail"),
                scheme,
                &iv16,
                pattern,
                &[],
                16 * 37 + 9,
            );
            add(
                format!("{scheme}/pattern {p}/8-byte IV"),
                scheme,
                &iv8,
                pattern,
                &[],
                16 * 11 + 3,
            );
            add(
                format!("{scheme}/pattern {p}/subsamples mid-block"),
                scheme,
                &iv16,
                pattern,
                &mid_block,
                total(&mid_block),
            );
            add(
                format!("{scheme}/pattern {p}/video-like subsamples"),
                scheme,
                &iv8,
                pattern,
                &video_like,
                total(&video_like),
            );
            add(
                format!("{scheme}/pattern {p}/counter wraps"),
                scheme,
                &wrapping_iv(3),
                pattern,
                &mid_block,
                total(&mid_block),
            );
            add(
                format!("{scheme}/pattern {p}/clear-only subsamples"),
                scheme,
                &iv16,
                pattern,
                &[Subsample::new(40, 0), Subsample::new(0, 0)],
                40,
            );
        }
    }
    cases
}
