//! Rough decryption throughput per scheme, without a benchmark framework:
//! `cargo bench -p eme-cdm --bench decrypt`. Compare with `openssl speed -evp aes-128-ctr`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use eme_cdm::{Pattern, SampleCipher, SampleEncryption, Scheme, Subsample};

/// Decrypts `sample` repeatedly for about `budget` and returns MB/s of sample bytes.
fn throughput(cipher: &SampleCipher, encryption: &SampleEncryption<'_>, sample: &mut [u8]) -> f64 {
    let budget = Duration::from_millis(700);
    let start = Instant::now();
    let mut bytes = 0u64;
    while start.elapsed() < budget {
        for _ in 0..16 {
            cipher.decrypt(encryption, black_box(&mut *sample)).unwrap();
            bytes += sample.len() as u64;
        }
    }
    bytes as f64 / start.elapsed().as_secs_f64() / 1e6
}

/// One benchmark: name, scheme, pattern, subsamples, sample size.
type Case<'a> = (&'a str, Scheme, Option<Pattern>, &'a [Subsample], usize);

fn main() {
    let cipher = SampleCipher::new(&[0x42; 16]);
    let iv = [7u8; 16];
    // A typical video frame (64 KiB) with a clear slice header, and an audio frame.
    let video_len = 64 * 1024;
    let video_subsamples = [Subsample::new(32, video_len as u32 - 32)];
    let audio_len = 768;
    let cases: [Case<'_>; 8] = [
        (
            "cenc video 64 KiB",
            Scheme::Cenc,
            None,
            &video_subsamples,
            video_len,
        ),
        ("cenc audio 768 B", Scheme::Cenc, None, &[], audio_len),
        (
            "cbc1 video 64 KiB",
            Scheme::Cbc1,
            None,
            &video_subsamples,
            video_len,
        ),
        (
            "cbcs 0:0 video 64 KiB",
            Scheme::Cbcs,
            None,
            &video_subsamples,
            video_len,
        ),
        (
            "cbcs 1:9 video 64 KiB",
            Scheme::Cbcs,
            Some(Pattern::new(1, 9)),
            &video_subsamples,
            video_len,
        ),
        ("cbcs 0:0 audio 768 B", Scheme::Cbcs, None, &[], audio_len),
        (
            "cens 1:9 video 64 KiB",
            Scheme::Cens,
            Some(Pattern::new(1, 9)),
            &video_subsamples,
            video_len,
        ),
        (
            "cens 5:5 video 64 KiB",
            Scheme::Cens,
            Some(Pattern::new(5, 5)),
            &video_subsamples,
            video_len,
        ),
    ];
    for (name, scheme, pattern, subsamples, len) in cases {
        let encryption = SampleEncryption {
            scheme,
            key_id: [0; 16],
            iv: &iv,
            pattern,
            subsamples,
        };
        let mut sample = vec![0x5au8; len];
        let mbps = throughput(&cipher, &encryption, &mut sample);
        println!("{name:<24} {mbps:>9.0} MB/s of sample data");
    }
}
