//! Sample decryption: known-answer vectors, round trips and the edge cases of ISO/IEC 23001-7.
//! (`decrypt_reference.rs` compares with a naive block-at-a-time implementation.)

mod common;

use aes::Aes128;
use aes::cipher::{BlockEncrypt, KeyInit};
use eme_cdm::test_vectors::{self, EncryptedSample, pseudo_random_bytes, wrapping_iv};
use eme_cdm::{
    Cdm, ClearKey, Configuration, DecryptError, InitDataType, KeySystem, Pattern, SampleCipher,
    Scheme, SessionType, Subsample, decrypt_sample, encrypt_sample,
};

use common::{ALL_SCHEMES, enc, key16, reference_decrypt, unhex};

// ---------------------------------------------------------------------------------------
// NIST SP 800-38A known answers (AES-128), through the whole-sample paths.

const NIST_KEY: &str = "2b7e151628aed2a6abf7158809cf4f3c";
const NIST_PLAINTEXT: &str = "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
                              30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";
/// F.5.1 CTR-AES128.Encrypt.
const NIST_CTR_IV: &str = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
const NIST_CTR_CIPHERTEXT: &str = "874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff
                                   5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee";
/// F.2.1 / F.2.2 CBC-AES128.
const NIST_CBC_IV: &str = "000102030405060708090a0b0c0d0e0f";
const NIST_CBC_CIPHERTEXT: &str = "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2
                                   73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7";

fn check_known_answer(scheme: Scheme, pattern: Option<Pattern>, iv: &str, ciphertext: &str) {
    let key = key16(NIST_KEY);
    let iv = unhex(iv);
    let e = enc(scheme, &iv, pattern, &[]);
    let mut data = unhex(ciphertext);
    decrypt_sample(&key, &e, &mut data).unwrap();
    assert_eq!(data, unhex(NIST_PLAINTEXT), "{scheme} decrypt");
    encrypt_sample(&key, &e, &mut data).unwrap();
    assert_eq!(data, unhex(ciphertext), "{scheme} encrypt");
    // The same through one subsample covering the sample.
    let subsamples = [Subsample::new(0, 64)];
    let e = enc(scheme, &iv, pattern, &subsamples);
    decrypt_sample(&key, &e, &mut data).unwrap();
    assert_eq!(
        data,
        unhex(NIST_PLAINTEXT),
        "{scheme} decrypt, one subsample"
    );
}

#[test]
fn nist_ctr_known_answer_cenc_and_cens() {
    check_known_answer(Scheme::Cenc, None, NIST_CTR_IV, NIST_CTR_CIPHERTEXT);
    check_known_answer(Scheme::Cens, None, NIST_CTR_IV, NIST_CTR_CIPHERTEXT);
    check_known_answer(
        Scheme::Cens,
        Some(Pattern::new(0, 0)),
        NIST_CTR_IV,
        NIST_CTR_CIPHERTEXT,
    );
    // cens 4:0 over four blocks: one full run, every block encrypted.
    check_known_answer(
        Scheme::Cens,
        Some(Pattern::new(4, 0)),
        NIST_CTR_IV,
        NIST_CTR_CIPHERTEXT,
    );
}

#[test]
fn nist_cbc_known_answer_cbc1_and_cbcs() {
    check_known_answer(Scheme::Cbc1, None, NIST_CBC_IV, NIST_CBC_CIPHERTEXT);
    check_known_answer(Scheme::Cbcs, None, NIST_CBC_IV, NIST_CBC_CIPHERTEXT);
    check_known_answer(
        Scheme::Cbcs,
        Some(Pattern::new(0, 0)),
        NIST_CBC_IV,
        NIST_CBC_CIPHERTEXT,
    );
}

#[test]
fn nist_cbc_known_answer_chains_through_encrypted_blocks_only() {
    // cbcs 1:1 over eight blocks where blocks 0, 2, 4, 6 carry the four NIST ciphertext blocks
    // and the others are clear filler: the chain skips the clear blocks, so the encrypted
    // blocks decrypt exactly as the contiguous NIST chain does.
    let key = key16(NIST_KEY);
    let iv = unhex(NIST_CBC_IV);
    let cipher = unhex(NIST_CBC_CIPHERTEXT);
    let plain = unhex(NIST_PLAINTEXT);
    let filler = [0xeeu8; 16];
    let mut data = Vec::new();
    for block in cipher.chunks(16) {
        data.extend_from_slice(block);
        data.extend_from_slice(&filler);
    }
    let e = enc(Scheme::Cbcs, &iv, Some(Pattern::new(1, 1)), &[]);
    decrypt_sample(&key, &e, &mut data).unwrap();
    for (i, block) in data.chunks(16).enumerate() {
        if i % 2 == 0 {
            assert_eq!(block, &plain[i / 2 * 16..][..16]);
        } else {
            assert_eq!(block, filler);
        }
    }
}

#[test]
fn nist_ctr_keystream_continues_across_subsamples_mid_block() {
    // The NIST CTR ciphertext split at byte 7 and 40 with clear bytes in between: clear bytes
    // do not advance the keystream, so the protected bytes still decrypt as one stream.
    let key = key16(NIST_KEY);
    let iv = unhex(NIST_CTR_IV);
    let cipher = unhex(NIST_CTR_CIPHERTEXT);
    let plain = unhex(NIST_PLAINTEXT);
    let mut data = Vec::new();
    data.extend_from_slice(&[1, 2, 3]);
    data.extend_from_slice(&cipher[..7]);
    data.extend_from_slice(&[4; 5]);
    data.extend_from_slice(&cipher[7..40]);
    data.extend_from_slice(&cipher[40..]);
    let subsamples = [
        Subsample::new(3, 7),
        Subsample::new(5, 33),
        Subsample::new(0, 24),
    ];
    decrypt_sample(&key, &enc(Scheme::Cenc, &iv, None, &subsamples), &mut data).unwrap();
    let mut expected = vec![1, 2, 3];
    expected.extend_from_slice(&plain[..7]);
    expected.extend_from_slice(&[4; 5]);
    expected.extend_from_slice(&plain[7..]);
    assert_eq!(data, expected);
}

// ---------------------------------------------------------------------------------------
// Round trips and "decryption really happened".

#[test]
fn round_trips_every_edge_case_and_ciphertext_differs() {
    let cases = test_vectors::edge_cases();
    assert!(cases.len() > 50, "{} cases", cases.len());
    for case in &cases {
        // Something must be encrypted whenever a range holds a full crypt run (any byte, in
        // cenc).
        let crypt = match case.pattern {
            Some(p) if case.scheme.uses_pattern() && !p.is_zero() => p.crypt_byte_block,
            _ => 1,
        };
        let run = if case.scheme == Scheme::Cenc {
            1
        } else {
            16 * u32::from(crypt)
        };
        let something_encrypted = if case.subsamples.is_empty() {
            case.clear.len() >= run as usize
        } else {
            case.subsamples.iter().any(|s| s.protected_bytes >= run)
        };
        if something_encrypted {
            assert_ne!(
                case.encrypted, case.clear,
                "{}: nothing encrypted",
                case.name
            );
        }
        let mut data = case.encrypted.clone();
        decrypt_sample(&case.key, &case.encryption(), &mut data).unwrap();
        assert_eq!(data, case.clear, "{}", case.name);
        let mut slow = case.encrypted.clone();
        reference_decrypt(
            &case.key,
            case.scheme,
            &case.iv,
            case.pattern,
            &case.subsamples,
            &mut slow,
        );
        assert_eq!(slow, case.clear, "{}: reference", case.name);
    }
}

#[test]
fn clear_bytes_stay_clear_and_protected_bytes_change() {
    let subsamples = [Subsample::new(20, 64), Subsample::new(7, 32)];
    let original = pseudo_random_bytes(7, 20 + 64 + 7 + 32);
    for scheme in ALL_SCHEMES {
        let iv = [9u8; 16];
        let mut data = original.clone();
        encrypt_sample(&[3; 16], &enc(scheme, &iv, None, &subsamples), &mut data).unwrap();
        assert_eq!(data[..20], original[..20], "{scheme}");
        assert_eq!(data[84..91], original[84..91], "{scheme}");
        for block in [20..36, 36..52, 52..68, 68..84, 91..107, 107..123] {
            assert_ne!(data[block.clone()], original[block], "{scheme}");
        }
    }
}

#[test]
fn a_wrong_key_does_not_give_the_plaintext() {
    for case in test_vectors::edge_cases() {
        if case.encrypted == case.clear {
            continue;
        }
        let mut data = case.encrypted.clone();
        decrypt_sample(&[0x42; 16], &case.encryption(), &mut data).unwrap();
        assert_ne!(data, case.clear, "{}", case.name);
    }
}

#[test]
fn sample_cipher_reuse_matches_one_shot_calls() {
    let cipher = SampleCipher::new(&test_vectors::KEY);
    for case in test_vectors::edge_cases() {
        let mut data = case.encrypted.clone();
        cipher.decrypt(&case.encryption(), &mut data).unwrap();
        assert_eq!(data, case.clear, "{}", case.name);
        cipher.encrypt(&case.encryption(), &mut data).unwrap();
        assert_eq!(data, case.encrypted, "{}", case.name);
    }
    assert_eq!(format!("{cipher:?}"), "SampleCipher { .. }");
}

// ---------------------------------------------------------------------------------------
// IVs and the counter.

#[test]
fn an_eight_byte_iv_is_zero_padded_on_the_right() {
    let original = pseudo_random_bytes(3, 16 * 9 + 5);
    let short: Vec<u8> = (1..=8).collect();
    let mut long = short.clone();
    long.extend_from_slice(&[0; 8]);
    for scheme in ALL_SCHEMES {
        for pattern in [None, Some(Pattern::new(1, 9)), Some(Pattern::new(2, 1))] {
            let mut a = original.clone();
            let mut b = original.clone();
            encrypt_sample(&[5; 16], &enc(scheme, &short, pattern, &[]), &mut a).unwrap();
            encrypt_sample(&[5; 16], &enc(scheme, &long, pattern, &[]), &mut b).unwrap();
            assert_eq!(a, b, "{scheme}");
            assert_ne!(a, original, "{scheme}");
        }
    }
}

#[test]
fn the_ctr_counter_wraps_without_carrying_into_the_upper_half() {
    // Independent computation: build each counter block by hand and encrypt it with the raw
    // block cipher. Bytes 0-7 of the IV must stay fixed while bytes 8-15 wrap to zero.
    let key = [0x2au8; 16];
    let iv = wrapping_iv(3);
    let aes = Aes128::new((&key).into());
    let blocks = 8usize;
    let mut keystream = Vec::new();
    for n in 0..blocks as u64 {
        let mut counter = [0u8; 16];
        counter[..8].copy_from_slice(&iv[..8]);
        let low = u64::from_be_bytes(iv[8..].try_into().unwrap()).wrapping_add(n);
        counter[8..].copy_from_slice(&low.to_be_bytes());
        if n == 3 {
            assert_eq!(counter[8..], [0; 8], "block 3 is the wrapped counter");
            assert_eq!(counter[..8], iv[..8]);
        }
        let mut b = counter.into();
        aes.encrypt_block(&mut b);
        keystream.extend_from_slice(&b);
    }
    let plain = pseudo_random_bytes(11, blocks * 16 - 5);
    let expected: Vec<u8> = plain.iter().zip(&keystream).map(|(p, k)| p ^ k).collect();

    // cenc, whole sample.
    let mut data = plain.clone();
    encrypt_sample(&key, &enc(Scheme::Cenc, &iv, None, &[]), &mut data).unwrap();
    assert_eq!(data, expected);

    // cenc, split mid-block right across the wrap.
    let mut split = vec![0xcc; 4];
    split.extend_from_slice(&plain[..50]);
    split.extend_from_slice(&[0xdd; 3]);
    split.extend_from_slice(&plain[50..]);
    let subsamples = [
        Subsample::new(4, 50),
        Subsample::new(3, (plain.len() - 50) as u32),
    ];
    encrypt_sample(&key, &enc(Scheme::Cenc, &iv, None, &subsamples), &mut split).unwrap();
    assert_eq!(split[4..54], expected[..50]);
    assert_eq!(split[57..], expected[50..]);

    // cens 0:0 over whole blocks uses the same keystream.
    let whole = &plain[..(blocks - 1) * 16];
    let mut data = whole.to_vec();
    encrypt_sample(&key, &enc(Scheme::Cens, &iv, None, &[]), &mut data).unwrap();
    assert_eq!(data, expected[..whole.len()]);

    // A counter of all ones wraps after one block.
    let iv = wrapping_iv(1);
    let mut data = vec![0u8; 32];
    encrypt_sample(&key, &enc(Scheme::Cenc, &iv, None, &[]), &mut data).unwrap();
    let mut zero_counter = [0u8; 16];
    zero_counter[..8].copy_from_slice(&iv[..8]);
    let mut b = zero_counter.into();
    aes.encrypt_block(&mut b);
    assert_eq!(data[16..], b[..]);
}

// ---------------------------------------------------------------------------------------
// Subsample splits and partial blocks.

#[test]
fn cenc_subsample_path_equals_one_stream_over_the_concatenated_ranges() {
    let key = [0x61u8; 16];
    let iv: Vec<u8> = (0..16).collect();
    let subsamples = [
        Subsample::new(3, 5),
        Subsample::new(0, 13),
        Subsample::new(17, 1),
        Subsample::new(2, 31),
        Subsample::new(9, 0),
        Subsample::new(0, 47),
    ];
    let len: usize = subsamples
        .iter()
        .map(|s| (s.clear_bytes + s.protected_bytes) as usize)
        .sum();
    let sample = pseudo_random_bytes(5, len);

    let mut via_subsamples = sample.clone();
    decrypt_sample(
        &key,
        &enc(Scheme::Cenc, &iv, None, &subsamples),
        &mut via_subsamples,
    )
    .unwrap();

    // The protected bytes gathered into one buffer and decrypted as a whole sample.
    let mut concatenated = Vec::new();
    let mut at = 0;
    for s in &subsamples {
        at += s.clear_bytes as usize;
        concatenated.extend_from_slice(&sample[at..at + s.protected_bytes as usize]);
        at += s.protected_bytes as usize;
    }
    decrypt_sample(&key, &enc(Scheme::Cenc, &iv, None, &[]), &mut concatenated).unwrap();

    let mut at = 0;
    let mut taken = 0;
    for s in &subsamples {
        let clear = at..at + s.clear_bytes as usize;
        assert_eq!(via_subsamples[clear.clone()], sample[clear]);
        at += s.clear_bytes as usize;
        let n = s.protected_bytes as usize;
        assert_eq!(via_subsamples[at..at + n], concatenated[taken..taken + n]);
        at += n;
        taken += n;
    }
}

#[test]
fn partial_trailing_blocks_stay_clear_except_in_cenc() {
    let subsamples = [
        Subsample::new(2, 16 * 3 + 7),
        Subsample::new(1, 16 * 2 + 15),
    ];
    let original = pseudo_random_bytes(8, 2 + 55 + 1 + 47);
    for scheme in ALL_SCHEMES {
        for pattern in [None, Some(Pattern::new(1, 1)), Some(Pattern::new(0, 0))] {
            let mut data = original.clone();
            encrypt_sample(
                &[7; 16],
                &enc(scheme, &[1; 16], pattern, &subsamples),
                &mut data,
            )
            .unwrap();
            let tails = [2 + 48..2 + 55, 58 + 32..58 + 47];
            for tail in tails {
                if scheme == Scheme::Cenc {
                    assert_ne!(data[tail.clone()], original[tail], "{scheme} {pattern:?}");
                } else {
                    assert_eq!(data[tail.clone()], original[tail], "{scheme} {pattern:?}");
                }
            }
            // A whole-sample with a partial tail too.
            let mut data = original.clone();
            encrypt_sample(&[7; 16], &enc(scheme, &[1; 16], pattern, &[]), &mut data).unwrap();
            let tail = original.len() / 16 * 16..original.len();
            assert_eq!(
                data[tail.clone()] == original[tail],
                scheme != Scheme::Cenc,
                "{scheme} {pattern:?} whole sample"
            );
        }
    }
}

/// Which 16-byte blocks of `encrypted` differ from `original` (true = encrypted).
fn block_map(original: &[u8], encrypted: &[u8]) -> Vec<bool> {
    original
        .chunks(16)
        .zip(encrypted.chunks(16))
        .map(|(a, b)| a != b)
        .collect()
}

#[test]
fn patterns_select_the_right_blocks() {
    // (pattern, whole blocks, expected encrypted blocks): a short final run stays clear
    // (Shaka Packager / FFmpeg).
    let cases: [(Pattern, usize, &str); 7] = [
        (Pattern::new(1, 9), 25, "1000000000100000000010000"),
        (Pattern::new(5, 5), 13, "1111100000000"),
        (Pattern::new(5, 5), 16, "1111100000111110"),
        (Pattern::new(0, 0), 5, "11111"),
        (Pattern::new(2, 1), 8, "11011011"),
        (Pattern::new(3, 0), 8, "11111100"),
        (Pattern::new(1, 0), 3, "111"),
    ];
    for scheme in [Scheme::Cbcs, Scheme::Cens] {
        for (pattern, blocks, expected) in cases {
            let expected: Vec<bool> = expected.bytes().map(|b| b == b'1').collect();
            let original = pseudo_random_bytes(blocks as u64, blocks * 16 + 9);
            let mut data = original.clone();
            encrypt_sample(
                &[1; 16],
                &enc(scheme, &[2; 16], Some(pattern), &[]),
                &mut data,
            )
            .unwrap();
            let mut map = block_map(&original, &data);
            assert!(
                !map.pop().unwrap(),
                "{scheme} {pattern}: partial tail encrypted"
            );
            assert_eq!(map, expected, "{scheme} {pattern}");
            let mut back = data.clone();
            decrypt_sample(
                &[1; 16],
                &enc(scheme, &[2; 16], Some(pattern), &[]),
                &mut back,
            )
            .unwrap();
            assert_eq!(back, original, "{scheme} {pattern}");
        }
    }
}

#[test]
fn patterns_restart_at_every_subsample() {
    // 1:2 over two ranges of 4 blocks: blocks 0 and 3 of each range.
    let subsamples = [Subsample::new(16, 64), Subsample::new(16, 64)];
    let original = pseudo_random_bytes(9, 160);
    for scheme in [Scheme::Cbcs, Scheme::Cens] {
        let mut data = original.clone();
        let e = enc(scheme, &[4; 16], Some(Pattern::new(1, 2)), &subsamples);
        encrypt_sample(&[6; 16], &e, &mut data).unwrap();
        let map: Vec<bool> = block_map(&original, &data);
        assert_eq!(
            map,
            [
                false, true, false, false, true, false, true, false, false, true
            ],
            "{scheme}"
        );
    }
}

#[test]
fn cbcs_restarts_the_chain_per_subsample_and_cbc1_continues_it() {
    // Two identical protected ranges: cbcs restarts from the IV, so they encrypt identically;
    // cbc1 chains on, so they differ. cenc/cens continue the keystream, so they differ too.
    let block = pseudo_random_bytes(10, 32);
    let mut sample = block.clone();
    sample.extend_from_slice(&block);
    let subsamples = [Subsample::new(0, 32), Subsample::new(0, 32)];
    for scheme in ALL_SCHEMES {
        let mut data = sample.clone();
        encrypt_sample(
            &[8; 16],
            &enc(scheme, &[3; 16], None, &subsamples),
            &mut data,
        )
        .unwrap();
        assert_eq!(data[..32] == data[32..], scheme == Scheme::Cbcs, "{scheme}");
    }
    // cbc1: the second range's first block chains from the first range's last ciphertext
    // block, even with clear bytes and a clear partial block in between.
    let key = [8u8; 16];
    let aes = Aes128::new((&key).into());
    let subsamples = [Subsample::new(3, 16 + 5), Subsample::new(4, 16)];
    let original = pseudo_random_bytes(12, 3 + 21 + 4 + 16);
    let mut data = original.clone();
    encrypt_sample(
        &key,
        &enc(Scheme::Cbc1, &[3; 16], None, &subsamples),
        &mut data,
    )
    .unwrap();
    let first_cipher: [u8; 16] = data[3..19].try_into().unwrap();
    let mut second = [0u8; 16];
    for (i, byte) in second.iter_mut().enumerate() {
        *byte = original[28 + i] ^ first_cipher[i];
    }
    let mut b = second.into();
    aes.encrypt_block(&mut b);
    assert_eq!(data[28..44], b[..]);
    assert_eq!(data[19..28], original[19..28]);
}

// ---------------------------------------------------------------------------------------
// Errors, never panics.

#[test]
fn subsample_sizes_must_cover_the_sample() {
    let mut data = vec![0u8; 100];
    for scheme in ALL_SCHEMES {
        let too_few = [Subsample::new(10, 80)];
        let err = decrypt_sample(&[0; 16], &enc(scheme, &[0; 16], None, &too_few), &mut data)
            .unwrap_err();
        assert_eq!(
            err,
            DecryptError::SubsampleSizeMismatch {
                subsamples_total: 90,
                sample_size: 100
            }
        );
        assert_eq!(
            err.to_string(),
            "the subsamples cover 90 bytes (clear + protected) but the sample is 100 bytes"
        );
        let too_many = [Subsample::new(10, 80), Subsample::new(11, 0)];
        assert!(matches!(
            encrypt_sample(&[0; 16], &enc(scheme, &[0; 16], None, &too_many), &mut data),
            Err(DecryptError::SubsampleSizeMismatch {
                subsamples_total: 101,
                ..
            })
        ));
    }
    assert_eq!(data, vec![0u8; 100], "errors leave the data untouched");
}

#[test]
fn overflowing_subsample_sums_are_a_mismatch_not_a_panic() {
    // Sums that overflow u32 (and would wrap to a small value in 32-bit arithmetic).
    let mut data = vec![0u8; 2];
    let huge = [
        Subsample::new(u32::MAX, u32::MAX),
        Subsample::new(u32::MAX, 4),
    ];
    for scheme in ALL_SCHEMES {
        let err =
            decrypt_sample(&[0; 16], &enc(scheme, &[0; 8], None, &huge), &mut data).unwrap_err();
        assert_eq!(
            err,
            DecryptError::SubsampleSizeMismatch {
                subsamples_total: 3 * u64::from(u32::MAX) + 4,
                sample_size: 2
            }
        );
    }
    // u32::MAX + 3 wraps to 2 in u32 arithmetic.
    let wraps = [Subsample::new(u32::MAX, 3)];
    assert!(matches!(
        decrypt_sample(
            &[0; 16],
            &enc(Scheme::Cenc, &[0; 8], None, &wraps),
            &mut data
        ),
        Err(DecryptError::SubsampleSizeMismatch { .. })
    ));
}

#[test]
fn iv_sizes_other_than_8_or_16_are_rejected() {
    for len in [0usize, 1, 7, 9, 12, 15, 17, 32] {
        let iv = vec![0u8; len];
        for scheme in ALL_SCHEMES {
            let mut data = vec![0u8; 32];
            let err =
                decrypt_sample(&[0; 16], &enc(scheme, &iv, None, &[]), &mut data).unwrap_err();
            assert_eq!(err, DecryptError::InvalidIvSize(len));
            assert_eq!(
                err.to_string(),
                format!("the IV is {len} bytes long; Common Encryption IVs are 8 or 16 bytes")
            );
        }
    }
}

#[test]
fn a_pattern_that_encrypts_nothing_is_rejected_for_pattern_schemes() {
    let mut data = vec![0u8; 64];
    for scheme in [Scheme::Cbcs, Scheme::Cens] {
        let err = decrypt_sample(
            &[0; 16],
            &enc(scheme, &[0; 16], Some(Pattern::new(0, 9)), &[]),
            &mut data,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("the {scheme} pattern 0:9 encrypts no block (crypt_byte_block is 0)")
        );
    }
    // cenc and cbc1 have no pattern: whatever is given is ignored.
    for scheme in [Scheme::Cenc, Scheme::Cbc1] {
        let original = pseudo_random_bytes(1, 64);
        let mut a = original.clone();
        let mut b = original.clone();
        encrypt_sample(
            &[1; 16],
            &enc(scheme, &[0; 16], Some(Pattern::new(0, 9)), &[]),
            &mut a,
        )
        .unwrap();
        encrypt_sample(&[1; 16], &enc(scheme, &[0; 16], None, &[]), &mut b).unwrap();
        assert_eq!(a, b, "{scheme}");
    }
}

#[test]
fn empty_samples_and_empty_ranges_are_fine() {
    for scheme in ALL_SCHEMES {
        for pattern in [None, Some(Pattern::new(1, 9))] {
            let mut empty: [u8; 0] = [];
            decrypt_sample(&[0; 16], &enc(scheme, &[0; 16], pattern, &[]), &mut empty).unwrap();
            let zeros = [Subsample::new(0, 0), Subsample::new(0, 0)];
            decrypt_sample(&[0; 16], &enc(scheme, &[0; 8], pattern, &zeros), &mut empty).unwrap();
            let mut clear_only = vec![7u8; 30];
            let all_clear = [Subsample::new(30, 0)];
            decrypt_sample(
                &[0; 16],
                &enc(scheme, &[0; 8], pattern, &all_clear),
                &mut clear_only,
            )
            .unwrap();
            assert_eq!(clear_only, vec![7u8; 30]);
            // Fewer bytes than a block: stays clear except in cenc.
            let mut short = vec![7u8; 15];
            decrypt_sample(&[0; 16], &enc(scheme, &[0; 8], pattern, &[]), &mut short).unwrap();
            assert_eq!(short == vec![7u8; 15], scheme != Scheme::Cenc, "{scheme}");
        }
    }
}

#[test]
fn scheme_fourccs_and_display() {
    for scheme in ALL_SCHEMES {
        assert_eq!(Scheme::from_fourcc(&scheme.fourcc()), Some(scheme));
        assert_eq!(scheme.to_string().as_bytes(), scheme.fourcc());
    }
    assert_eq!(Scheme::from_fourcc(b"cbcs"), Some(Scheme::Cbcs));
    assert_eq!(Scheme::from_fourcc(b"CENC"), None);
    assert_eq!(Scheme::from_fourcc(b"piff"), None);
    assert_eq!(Pattern::new(1, 9).to_string(), "1:9");
    assert!(Scheme::Cbcs.uses_pattern() && Scheme::Cens.uses_pattern());
    assert!(!Scheme::Cenc.uses_pattern() && !Scheme::Cbc1.uses_pattern());
}

// ---------------------------------------------------------------------------------------
// Through the Clear Key CDM: keys found by key ID, NoKey for a missing one.

fn clear_key_cdm_with(keys: &[([u8; 16], [u8; 16])]) -> Box<dyn Cdm> {
    let mut cdm = ClearKey::new().create_cdm(&Configuration::default());
    let kids: Vec<String> = keys
        .iter()
        .map(|(kid, _)| format!("\"{}\"", eme_cdm::base64url::encode(kid)))
        .collect();
    let init_data = format!("{{\"kids\":[{}]}}", kids.join(","));
    let request = cdm
        .generate_request(
            SessionType::Temporary,
            InitDataType::KeyIds,
            init_data.as_bytes(),
        )
        .unwrap();
    let jwks: Vec<String> = keys
        .iter()
        .map(|(kid, key)| {
            format!(
                "{{\"kty\":\"oct\",\"kid\":\"{}\",\"k\":\"{}\"}}",
                eme_cdm::base64url::encode(kid),
                eme_cdm::base64url::encode(key)
            )
        })
        .collect();
    let licence = format!("{{\"keys\":[{}],\"type\":\"temporary\"}}", jwks.join(","));
    cdm.update(&request.session_id, licence.as_bytes()).unwrap();
    cdm
}

#[test]
fn cdm_decrypt_finds_each_key_by_id_and_reports_missing_keys() {
    let kid_a = [0xaa; 16];
    let kid_b = [0xbb; 16];
    let kid_missing = [0xcc; 16];
    let key_a = [0x01; 16];
    let key_b = [0x02; 16];
    let cdm = clear_key_cdm_with(&[(kid_a, key_a), (kid_b, key_b)]);

    let make = |kid: [u8; 16], key: [u8; 16], scheme: Scheme| -> EncryptedSample {
        EncryptedSample::new(
            format!("{scheme}"),
            scheme,
            key,
            kid,
            vec![0x33; 16],
            Some(Pattern::new(1, 9)),
            vec![Subsample::new(10, 500)],
            pseudo_random_bytes(u64::from(kid[0]), 510),
        )
        .unwrap()
    };
    for scheme in ALL_SCHEMES {
        for (kid, key) in [(kid_a, key_a), (kid_b, key_b)] {
            let sample = make(kid, key, scheme);
            let mut data = sample.encrypted.clone();
            cdm.decrypt(&sample.encryption(), &mut data).unwrap();
            assert_eq!(data, sample.clear, "{scheme}");
        }
        let sample = make(kid_missing, [0x03; 16], scheme);
        let mut data = sample.encrypted.clone();
        let err = cdm.decrypt(&sample.encryption(), &mut data).unwrap_err();
        assert_eq!(
            err,
            DecryptError::NoKey {
                key_id: kid_missing
            }
        );
        assert_eq!(
            err.to_string(),
            "no key for key ID cccccccccccccccccccccccccccccccc"
        );
        assert_eq!(data, sample.encrypted, "untouched without a key");
    }
}
