//! What the decryption tests share: hex, keys, a sample-encryption shorthand and a naive
//! reference decryptor.
#![allow(dead_code)]

use aes::Aes128;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use eme_cdm::{Pattern, SampleEncryption, Scheme, Subsample};

pub const ALL_SCHEMES: [Scheme; 4] = [Scheme::Cenc, Scheme::Cbcs, Scheme::Cens, Scheme::Cbc1];

pub fn unhex(text: &str) -> Vec<u8> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

pub fn key16(text: &str) -> [u8; 16] {
    unhex(text).try_into().unwrap()
}

pub fn enc<'a>(
    scheme: Scheme,
    iv: &'a [u8],
    pattern: Option<Pattern>,
    subsamples: &'a [Subsample],
) -> SampleEncryption<'a> {
    SampleEncryption {
        scheme,
        key_id: [0x11; 16],
        iv,
        pattern,
        subsamples,
    }
}

// ---------------------------------------------------------------------------------------
// An independent reference: one AES block at a time, written straight from the rules with
// no batching, no gathering and no stream-cipher wrapper, so the fast path is checked
// against something structurally different.

pub fn reference_decrypt(
    key: &[u8; 16],
    scheme: Scheme,
    iv: &[u8],
    pattern: Option<Pattern>,
    subsamples: &[Subsample],
    data: &mut [u8],
) {
    let aes = Aes128::new(key.into());
    let mut iv16 = [0u8; 16];
    iv16[..iv.len()].copy_from_slice(iv);
    let mut ranges = Vec::new();
    if subsamples.is_empty() {
        ranges.push((0, data.len()));
    } else {
        let mut at = 0;
        for s in subsamples {
            at += s.clear_bytes as usize;
            ranges.push((at, at + s.protected_bytes as usize));
            at += s.protected_bytes as usize;
        }
    }
    let keystream = |n: u64| -> [u8; 16] {
        let mut block = iv16;
        let counter = u64::from_be_bytes(iv16[8..].try_into().unwrap()).wrapping_add(n);
        block[8..].copy_from_slice(&counter.to_be_bytes());
        let mut b = block.into();
        aes.encrypt_block(&mut b);
        b.into()
    };
    let (crypt, skip) = match pattern {
        Some(p) if !p.is_zero() => (
            usize::from(p.crypt_byte_block),
            usize::from(p.skip_byte_block),
        ),
        _ => (1, 0),
    };
    // Whether whole block `b` of a range with `n` whole blocks is encrypted under the pattern.
    let encrypted_block = |b: usize, n: usize| {
        let period = crypt + skip;
        let start = b / period * period;
        b % period < crypt && start + crypt <= n
    };
    match scheme {
        Scheme::Cenc => {
            let mut pos: u64 = 0;
            for (s, e) in ranges {
                for byte in &mut data[s..e] {
                    *byte ^= keystream(pos / 16)[(pos % 16) as usize];
                    pos += 1;
                }
            }
        }
        Scheme::Cens => {
            let mut counter = 0;
            for (s, e) in ranges {
                let n = (e - s) / 16;
                for b in 0..n {
                    if encrypted_block(b, n) {
                        let ks = keystream(counter);
                        counter += 1;
                        for (byte, k) in data[s + b * 16..][..16].iter_mut().zip(ks) {
                            *byte ^= k;
                        }
                    }
                }
            }
        }
        Scheme::Cbcs | Scheme::Cbc1 => {
            let mut previous = iv16;
            for (s, e) in ranges {
                if scheme == Scheme::Cbcs {
                    previous = iv16;
                }
                let n = (e - s) / 16;
                for b in 0..n {
                    if scheme == Scheme::Cbc1 || encrypted_block(b, n) {
                        let block = &mut data[s + b * 16..][..16];
                        let cipher: [u8; 16] = block.try_into().unwrap();
                        let mut g = cipher.into();
                        aes.decrypt_block(&mut g);
                        for ((byte, d), p) in block.iter_mut().zip(g).zip(previous) {
                            *byte = d ^ p;
                        }
                        previous = cipher;
                    }
                }
            }
        }
    }
}
