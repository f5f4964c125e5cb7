//! The fast decryptor against a deliberately naive one: one AES block at a time, written
//! straight from ISO/IEC 23001-7's rules, compared on thousands of random samples.

mod common;

use common::{ALL_SCHEMES, enc, reference_decrypt};
use eme_cdm::test_vectors::pseudo_random_bytes;
use eme_cdm::{Pattern, Subsample, decrypt_sample, encrypt_sample};

/// SplitMix64, for the randomised comparison.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn matches_the_reference_on_random_samples() {
    let mut rng = Rng(42);
    for case in 0..3000 {
        let scheme = ALL_SCHEMES[rng.below(4) as usize];
        let iv = pseudo_random_bytes(rng.next(), if rng.below(2) == 0 { 8 } else { 16 });
        let mut iv = iv;
        if rng.below(4) == 0 && iv.len() == 16 {
            // Start close to the counter wrap.
            iv[8..].copy_from_slice(&(0u64.wrapping_sub(rng.below(20))).to_be_bytes());
        }
        let pattern = match rng.below(5) {
            0 => None,
            1 => Some(Pattern::new(1, 9)),
            2 => Some(Pattern::new(0, 0)),
            _ => Some(Pattern::new(rng.below(12) as u8 + 1, rng.below(12) as u8)),
        };
        let subsamples: Vec<Subsample> = if rng.below(5) == 0 {
            Vec::new()
        } else {
            (0..rng.below(6) + 1)
                .map(|_| {
                    // Mostly small, sometimes long (past the gather buffer) ranges.
                    let long = rng.below(4) == 0;
                    Subsample::new(
                        rng.below(40) as u32,
                        rng.below(if long { 5000 } else { 100 }) as u32,
                    )
                })
                .collect()
        };
        let len = if subsamples.is_empty() {
            rng.below(3000) as usize
        } else {
            subsamples
                .iter()
                .map(|s| (s.clear_bytes + s.protected_bytes) as usize)
                .sum()
        };
        let key: [u8; 16] = pseudo_random_bytes(rng.next(), 16).try_into().unwrap();
        let original = pseudo_random_bytes(rng.next(), len);
        let e = enc(scheme, &iv, pattern, &subsamples);
        let what = format!("case {case}: {scheme} pattern {pattern:?} {subsamples:?} len {len}");

        let mut fast = original.clone();
        decrypt_sample(&key, &e, &mut fast).unwrap();
        let mut slow = original.clone();
        reference_decrypt(&key, scheme, &iv, pattern, &subsamples, &mut slow);
        assert_eq!(fast, slow, "{what}");

        let mut round = original.clone();
        encrypt_sample(&key, &e, &mut round).unwrap();
        reference_decrypt(&key, scheme, &iv, pattern, &subsamples, &mut round);
        assert_eq!(round, original, "{what}");
    }
}
