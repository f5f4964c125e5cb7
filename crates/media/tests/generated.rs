//! Generated encrypted files for the Common Encryption edge cases packagers rarely emit, read
//! back and decrypted with `decrypt_file`. Every decryption test checks both directions: the
//! stored samples differ from the plaintext wherever encryption touches bytes (so skipping
//! decryption fails), and the decrypted file's samples equal the plaintext byte for byte.
//! The `cenc` ciphertexts are also compared with an independent AES-CTR computation, because
//! the generator encrypts with the decryptor's own cipher and a symmetric mistake (a counter
//! that carries, a keystream restarted per subsample) would otherwise round-trip unnoticed.

mod common;

use aes::Aes128;
use aes::cipher::{BlockEncrypt, KeyInit};
use common::encrypted_file::*;
use common::{KID_A, KID_B, Rng};
use eme_media::{
    BoxNode, DecryptFileError, Event, Limits, Pattern, SampleCrypto, Scheme, StreamParser,
    Subsample, decrypt_file, parse_file, read_boxes,
};

const KID_C: [u8; 16] = [0xc3; 16];
const KEY_A: [u8; 16] = *b"key for KID_A..!";
const KEY_B: [u8; 16] = *b"key for KID_B..!";
const KEY_C: [u8; 16] = *b"key for KID_C..!";

fn iv16(seed: u8) -> Vec<u8> {
    (0..16u8)
        .map(|i| seed.wrapping_mul(37).wrapping_add(i.wrapping_mul(11)))
        .collect()
}

fn iv8(seed: u8) -> Vec<u8> {
    iv16(seed)[..8].to_vec()
}

fn total(subsamples: &[(u32, u32)]) -> usize {
    subsamples.iter().map(|&(c, p)| (c + p) as usize).sum()
}

/// A video sample covering exactly `subsamples`, or `whole_len` bytes without subsamples.
fn video(seed: u64, iv: Vec<u8>, subsamples: &[(u32, u32)], whole_len: usize) -> PlainSample {
    let len = if subsamples.is_empty() {
        whole_len
    } else {
        total(subsamples)
    };
    PlainSample::new(h264_sample(seed, len), iv, subsamples)
}

fn audio(seed: u64, iv: Vec<u8>, len: usize) -> PlainSample {
    PlainSample::new(aac_sample(seed, len), iv, &[])
}

/// Whether encrypting a sample under `crypto` changes any byte: CTR changes every protected
/// byte; CBC only whole blocks, and a pattern only full runs of its crypt blocks.
fn encryption_changes_bytes(crypto: &SampleCrypto, len: usize) -> bool {
    let ranges: Vec<usize> = if crypto.subsamples.is_empty() {
        vec![len]
    } else {
        crypto
            .subsamples
            .iter()
            .map(|s| s.protected_bytes as usize)
            .collect()
    };
    let shortest_changed = match crypto.scheme().unwrap() {
        Scheme::Cenc => 1,
        Scheme::Cbc1 => 16,
        Scheme::Cbcs | Scheme::Cens => {
            let crypt = crypto.pattern.map_or(0, |p| p.crypt_byte_block);
            16 * usize::from(crypt.max(1))
        }
    };
    ranges.iter().any(|&r| r >= shortest_changed)
}

/// Reads `generated` (laid out as `layout`), decrypts it with its keys and checks the result;
/// returns the decrypted file.
fn assert_decrypts(generated: &GeneratedFile, layout: Layout) -> Vec<u8> {
    let input = parse_file(&generated.bytes).expect("the generated file reads");
    assert!(input.init.as_ref().unwrap().is_protected());
    let stored: Vec<Vec<u8>> = input.samples().map(|s| s.data.clone()).collect();
    let plaintext = generated.plaintext_in_file_order(layout);
    assert_eq!(stored, generated.encrypted_in_file_order(layout));
    assert_eq!(stored.len(), plaintext.len());
    let mut changed = 0;
    for (i, (sample, plain)) in input.samples().zip(&plaintext).enumerate() {
        match &sample.encryption {
            Some(crypto) if encryption_changes_bytes(crypto, plain.len()) => {
                assert_ne!(&sample.data, plain, "sample {i} is stored clear");
                changed += 1;
            }
            Some(_) => {}
            None => assert_eq!(&sample.data, plain, "clear sample {i} changed"),
        }
    }
    assert!(changed > 0, "nothing was encrypted");

    let (output, report) = decrypt_file(&generated.bytes, &generated.keys).expect("decrypts");
    let decrypted = parse_file(&output).expect("the decrypted file reads");
    assert!(!decrypted.init.as_ref().unwrap().is_protected());
    let clear: Vec<Vec<u8>> = decrypted.samples().map(|s| s.data.clone()).collect();
    assert_eq!(clear.len(), plaintext.len(), "sample count");
    for (i, (got, want)) in clear.iter().zip(&plaintext).enumerate() {
        assert!(
            got == want,
            "decrypted sample {i} differs from its plaintext"
        );
    }
    for (before, after) in input.samples().zip(decrypted.samples()) {
        assert_eq!(
            (before.track_id, before.decode_time, before.duration),
            (after.track_id, after.decode_time, after.duration)
        );
    }
    // The plaintexts are valid H.264 / AAC framing and the sample entries declare their
    // configuration, so decrypt_file's wrong-key check ran on every decrypted track.
    for track in &report.tracks {
        assert!(
            track.decrypted == 0 || track.checked,
            "track {}",
            track.track_id
        );
    }
    let decrypted_count: usize = report.tracks.iter().map(|t| t.decrypted).sum();
    assert_eq!(
        decrypted_count,
        input.samples().filter(|s| s.encryption.is_some()).count()
    );
    output
}

/// `cenc` encryption computed from raw AES block encryptions: counter block = IV (8-byte IVs
/// zero-padded) with bytes 8–15 a big-endian counter that wraps without touching bytes 0–7;
/// the protected ranges of all subsamples form one keystream.
fn reference_cenc(key: &[u8; 16], iv: &[u8], subsamples: &[Subsample], plain: &[u8]) -> Vec<u8> {
    reference_ctr(key, iv, subsamples, plain, |block, n| {
        let counter = u64::from_be_bytes(block[8..].try_into().unwrap()).wrapping_add(n);
        block[8..].copy_from_slice(&counter.to_be_bytes());
    })
}

/// The same with a 128-bit counter that carries into bytes 0–7: the mistake the wrap test
/// must catch.
fn carrying_cenc(key: &[u8; 16], iv: &[u8], subsamples: &[Subsample], plain: &[u8]) -> Vec<u8> {
    reference_ctr(key, iv, subsamples, plain, |block, n| {
        let counter = u128::from_be_bytes(*block).wrapping_add(u128::from(n));
        *block = counter.to_be_bytes();
    })
}

fn reference_ctr(
    key: &[u8; 16],
    iv: &[u8],
    subsamples: &[Subsample],
    plain: &[u8],
    advance: impl Fn(&mut [u8; 16], u64),
) -> Vec<u8> {
    let aes = Aes128::new(key.into());
    let mut first_block = [0u8; 16];
    first_block[..iv.len()].copy_from_slice(iv);
    let keystream_byte = |position: usize| {
        let mut block = first_block;
        advance(&mut block, (position / 16) as u64);
        let mut block = aes::Block::from(block);
        aes.encrypt_block(&mut block);
        block[position % 16]
    };
    let whole = [Subsample::new(0, plain.len() as u32)];
    let subsamples = if subsamples.is_empty() {
        &whole[..]
    } else {
        subsamples
    };
    let mut out = plain.to_vec();
    let (mut at, mut position) = (0, 0);
    for s in subsamples {
        at += s.clear_bytes as usize;
        for byte in &mut out[at..at + s.protected_bytes as usize] {
            *byte ^= keystream_byte(position);
            position += 1;
        }
        at += s.protected_bytes as usize;
    }
    out
}

/// Checks every stored sample of a `cenc` track against [`reference_cenc`].
fn assert_matches_reference_cenc(generated: &GeneratedFile, track: usize, spec: &TrackSpec) {
    for (i, sample) in spec.samples.iter().enumerate() {
        let expected = reference_cenc(
            &spec.defaults.key,
            &sample.iv,
            &sample.subsamples,
            &sample.data,
        );
        assert!(
            generated.encrypted[track][i] == expected,
            "track {track} sample {i}: ciphertext differs from the AES-CTR reference"
        );
    }
}

const TWO_PER_FRAGMENT: Layout = Layout::Fragmented {
    samples_per_fragment: 2,
    aux: AuxPlacement::Senc,
};

#[test]
fn cenc_with_16_byte_ivs_in_a_video_and_an_audio_track() {
    let video_track = TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cenc,
        KeyParams::per_sample_iv(KID_A, KEY_A, 16),
        vec![
            video(1, iv16(1), &[(21, 300)], 0),
            video(2, iv16(2), &[(5, 16), (7, 100), (0, 9)], 0),
            video(3, iv16(3), &[], 16 * 9 + 5),
            video(4, iv16(4), &[(40, 0)], 0),
            video(5, iv16(5), &[(96, 1000), (5, 333)], 0),
        ],
    );
    let audio_track = TrackSpec::new(
        2,
        Media::Audio,
        Scheme::Cenc,
        KeyParams::per_sample_iv(KID_B, KEY_B, 16),
        (0..5)
            .map(|i| audio(i, iv16(100 + i as u8), 170 + 3 * i as usize))
            .collect(),
    );
    let tracks = [video_track, audio_track];
    let generated = generate(&tracks, TWO_PER_FRAGMENT);
    assert_eq!(generated.keys.len(), 2);
    assert_decrypts(&generated, TWO_PER_FRAGMENT);
    assert_matches_reference_cenc(&generated, 0, &tracks[0]);
    assert_matches_reference_cenc(&generated, 1, &tracks[1]);
}

#[test]
fn cenc_with_8_byte_ivs_pads_them_with_a_zero_counter() {
    let track = TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cenc,
        KeyParams::per_sample_iv(KID_A, KEY_A, 8),
        vec![
            video(11, iv8(11), &[(10, 250)], 0),
            video(12, iv8(12), &[], 16 * 20 + 15),
            video(13, iv8(13), &[(3, 17), (3, 17)], 0),
        ],
    );
    let generated = generate(std::slice::from_ref(&track), Layout::FRAGMENTED);
    let file = parse_file(&generated.bytes).unwrap();
    let first = file.samples().next().unwrap().encryption.clone().unwrap();
    assert_eq!(first.iv, iv8(11), "the IV is read with the tenc's size");
    assert_decrypts(&generated, Layout::FRAGMENTED);
    assert_matches_reference_cenc(&generated, 0, &track);
}

#[test]
fn a_cenc_counter_wraps_at_2_pow_64_without_carrying() {
    // Two blocks before the low 64 bits wrap to zero.
    let mut wrapping_iv = vec![0x5a, 0xa5, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06];
    wrapping_iv.extend(0u64.wrapping_sub(2).to_be_bytes());
    assert_eq!(
        &wrapping_iv[8..],
        &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]
    );
    let track = TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cenc,
        KeyParams::per_sample_iv(KID_A, KEY_A, 16),
        vec![
            // Ten and a half blocks in one keystream.
            video(21, wrapping_iv.clone(), &[], 16 * 10 + 8),
            // The wrap lands inside a subsample that starts mid-block.
            video(22, wrapping_iv.clone(), &[(3, 29), (5, 50), (0, 70)], 0),
        ],
    );
    let generated = generate(std::slice::from_ref(&track), Layout::FRAGMENTED);
    assert_decrypts(&generated, Layout::FRAGMENTED);
    assert_matches_reference_cenc(&generated, 0, &track);
    // The reference tells the two counters apart: a carry into bytes 0–7 gives other bytes.
    for (i, sample) in track.samples.iter().enumerate() {
        let carried = carrying_cenc(&KEY_A, &sample.iv, &sample.subsamples, &sample.data);
        assert_ne!(
            generated.encrypted[0][i], carried,
            "sample {i}: a carrying counter would go unnoticed"
        );
    }
}

/// Subsample splits that land mid-block, 1-byte ranges, clear-only subsamples and partial
/// trailing blocks.
fn odd_splits() -> Vec<Vec<(u32, u32)>> {
    vec![
        vec![(3, 17)],
        vec![(0, 1), (2, 3), (0, 1), (7, 30)],
        vec![(1, 15), (1, 16), (1, 17), (0, 33)],
        vec![(10, 0), (0, 47)],
        vec![],
        vec![(5, 16 * 6 + 3), (2, 16 * 5), (9, 0)],
        vec![(0, 16 * 12 + 1)],
    ]
}

fn odd_split_samples(seed: u64, iv: impl Fn(u8) -> Vec<u8>) -> Vec<PlainSample> {
    odd_splits()
        .iter()
        .enumerate()
        .map(|(i, split)| video(seed + i as u64, iv(i as u8), split, 16 * 5 + 11))
        .collect()
}

#[test]
fn subsample_splits_landing_mid_block_in_every_scheme() {
    let cases = [
        (Scheme::Cenc, KeyParams::per_sample_iv(KID_A, KEY_A, 16)),
        (Scheme::Cenc, KeyParams::per_sample_iv(KID_A, KEY_A, 8)),
        (
            Scheme::Cens,
            KeyParams::per_sample_iv(KID_A, KEY_A, 16).with_pattern(1, 9),
        ),
        (
            Scheme::Cbcs,
            KeyParams::constant_iv(KID_A, KEY_A, iv16(77)).with_pattern(1, 9),
        ),
        (Scheme::Cbc1, KeyParams::per_sample_iv(KID_A, KEY_A, 16)),
    ];
    for (scheme, params) in cases {
        let iv_size = usize::from(params.iv_size);
        let samples = odd_split_samples(30, |i| iv16(30 + i)[..iv_size].to_vec());
        let video_track = TrackSpec::new(1, Media::Video, scheme, params.clone(), samples);
        // Audio samples made of 1-byte protected ranges only: one whole 1-byte sample, and
        // ranges on both sides of a clear byte.
        let tiny_splits: [&[(u32, u32)]; 3] =
            [&[(0, 1)], &[(1, 0), (0, 1)], &[(0, 1), (1, 1), (0, 1)]];
        let audio_samples = tiny_splits
            .iter()
            .enumerate()
            .map(|(i, split)| {
                let iv = iv16(60 + i as u8)[..iv_size].to_vec();
                PlainSample::new(aac_sample(40 + i as u64, total(split)), iv, split)
            })
            .collect();
        let audio_track = TrackSpec::new(2, Media::Audio, scheme, params, audio_samples);
        let tracks = [video_track, audio_track];
        let generated = generate(&tracks, TWO_PER_FRAGMENT);
        assert_decrypts(&generated, TWO_PER_FRAGMENT);
        if scheme == Scheme::Cenc {
            assert_matches_reference_cenc(&generated, 0, &tracks[0]);
            assert_matches_reference_cenc(&generated, 1, &tracks[1]);
        }
    }
}

#[test]
fn cbcs_patterns_with_a_constant_iv() {
    for (crypt, skip) in [(1, 9), (5, 5), (0, 0)] {
        let video_track = TrackSpec::new(
            1,
            Media::Video,
            Scheme::Cbcs,
            KeyParams::constant_iv(KID_A, KEY_A, iv16(1)).with_pattern(crypt, skip),
            vec![
                video(41, vec![], &[(32, 16 * 30 + 7)], 0),
                video(42, vec![], &[(5, 16 * 10), (20, 16 * 10 + 15)], 0),
                video(43, vec![], &[(3, 17)], 0),
                video(44, vec![], &[], 16 * 23 + 2),
            ],
        );
        let audio_track = TrackSpec::new(
            2,
            Media::Audio,
            Scheme::Cbcs,
            KeyParams::constant_iv(KID_B, KEY_B, iv16(2)).with_pattern(crypt, skip),
            (0..4)
                .map(|i| audio(50 + i, vec![], 16 * 13 + i as usize))
                .collect(),
        );
        let generated = generate(&[video_track, audio_track], TWO_PER_FRAGMENT);
        let file = parse_file(&generated.bytes).unwrap();
        let init = file.init.as_ref().unwrap();
        let tenc = init.tracks[0].sample_entries[0]
            .protection
            .as_ref()
            .unwrap()
            .track_encryption
            .as_ref()
            .unwrap();
        assert_eq!(tenc.version, 1);
        for sample in file.samples() {
            let crypto = sample.encryption.as_ref().unwrap();
            assert_eq!(crypto.pattern, Some(Pattern::new(crypt, skip)));
            let constant = if sample.track_id == 1 { 1 } else { 2 };
            assert_eq!(crypto.iv, iv16(constant));
        }
        assert_decrypts(&generated, TWO_PER_FRAGMENT);
    }
}

#[test]
fn cens_1_9_and_cbc1_with_per_sample_ivs() {
    let cens = TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cens,
        KeyParams::per_sample_iv(KID_A, KEY_A, 8).with_pattern(1, 9),
        vec![
            video(61, iv8(61), &[(10, 16 * 25 + 3)], 0),
            video(62, iv8(62), &[], 16 * 11),
            video(63, iv8(63), &[(7, 160), (1, 161)], 0),
        ],
    );
    let cbc1 = TrackSpec::new(
        2,
        Media::Audio,
        Scheme::Cbc1,
        KeyParams::per_sample_iv(KID_B, KEY_B, 16),
        (0..3)
            .map(|i| audio(64 + i, iv16(64 + i as u8), 16 * 9 + 4))
            .collect(),
    );
    let generated = generate(&[cens, cbc1], Layout::FRAGMENTED);
    assert_decrypts(&generated, Layout::FRAGMENTED);
}

/// A `cenc` video track whose samples rotate through the `tenc` key (KID_A), two `seig` groups
/// with other keys and IV sizes (KID_B with 16-byte IVs, KID_C with 8-byte IVs) and an
/// unprotected group.
fn rotating_cenc_track() -> TrackSpec {
    let groups = vec![
        KeyParams::per_sample_iv(KID_B, KEY_B, 16),
        KeyParams::per_sample_iv(KID_C, KEY_C, 8),
        KeyParams::unprotected(),
    ];
    let samples = vec![
        video(71, iv8(71), &[(4, 60)], 0),
        video(72, iv16(72), &[(4, 61)], 0).in_group(0),
        video(73, iv16(73), &[(4, 62)], 0).in_group(0),
        video(74, iv8(74), &[(4, 63)], 0).in_group(1),
        video(75, vec![], &[(4, 64)], 0).in_group(2),
        video(76, iv8(76), &[(4, 65)], 0),
        video(77, iv8(77), &[(4, 66)], 0).in_group(1),
        video(78, iv16(78), &[(4, 67)], 0).in_group(0),
    ];
    TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cenc,
        KeyParams::per_sample_iv(KID_A, KEY_A, 8),
        samples,
    )
    .with_groups(groups)
}

/// The same rotation under `cbcs` 1:9, each group with its own constant IV.
fn rotating_cbcs_track() -> TrackSpec {
    let groups = vec![
        KeyParams::constant_iv(KID_B, KEY_B, iv16(81)).with_pattern(1, 9),
        KeyParams::constant_iv(KID_C, KEY_C, iv8(82)).with_pattern(1, 9),
        KeyParams::unprotected(),
    ];
    let samples = (0..7)
        .map(|i| {
            let sample = video(80 + i, vec![], &[(6, 16 * 12 + i as u32)], 0);
            match i % 4 {
                0 => sample,
                g => sample.in_group(g as usize - 1),
            }
        })
        .collect();
    TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cbcs,
        KeyParams::constant_iv(KID_A, KEY_A, iv16(80)).with_pattern(1, 9),
        samples,
    )
    .with_groups(groups)
}

const FOUR_PER_FRAGMENT: Layout = Layout::Fragmented {
    samples_per_fragment: 4,
    aux: AuxPlacement::Senc,
};

#[test]
fn seig_groups_rotate_keys_within_a_track() {
    for layout in [FOUR_PER_FRAGMENT, Layout::PROGRESSIVE] {
        let track = rotating_cenc_track();
        let generated = generate(std::slice::from_ref(&track), layout);
        assert_eq!(generated.keys.len(), 3);
        let file = parse_file(&generated.bytes).unwrap();
        let key_ids: Vec<Option<[u8; 16]>> = file
            .samples()
            .map(|s| s.encryption.as_ref().map(|c| c.key_id))
            .collect();
        let (a, b, c) = (Some(KID_A), Some(KID_B), Some(KID_C));
        assert_eq!(key_ids, [a, b, b, c, None, a, c, b], "{layout:?}");
        let ivs: Vec<Vec<u8>> = file
            .samples()
            .filter_map(|s| s.encryption.as_ref().map(|c| c.iv.clone()))
            .collect();
        let expected: Vec<Vec<u8>> = track
            .samples
            .iter()
            .filter(|s| !s.iv.is_empty())
            .map(|s| s.iv.clone())
            .collect();
        assert_eq!(ivs, expected, "{layout:?}");
        assert_decrypts(&generated, layout);

        let generated = generate(&[rotating_cbcs_track()], layout);
        let file = parse_file(&generated.bytes).unwrap();
        let ivs: Vec<Option<Vec<u8>>> = file
            .samples()
            .map(|s| s.encryption.as_ref().map(|c| c.iv.clone()))
            .collect();
        let (a, b, c) = (Some(iv16(80)), Some(iv16(81)), Some(iv8(82)));
        assert_eq!(ivs, [a.clone(), b.clone(), c.clone(), None, a, b, c]);
        assert_decrypts(&generated, layout);
    }
}

#[test]
fn a_missing_group_key_is_named_exactly() {
    let generated = generate(&[rotating_cenc_track()], FOUR_PER_FRAGMENT);
    let mut keys = generated.keys.clone();
    keys.remove(&KID_B);
    match decrypt_file(&generated.bytes, &keys) {
        Err(DecryptFileError::MissingKeys(missing)) => assert_eq!(missing, [KID_B]),
        other => panic!("expected MissingKeys, got {other:?}"),
    }
    keys.remove(&KID_C);
    let error = decrypt_file(&generated.bytes, &keys).unwrap_err();
    match &error {
        DecryptFileError::MissingKeys(missing) => assert_eq!(missing, &[KID_B, KID_C]),
        other => panic!("expected MissingKeys, got {other:?}"),
    }
    assert!(error.to_string().contains(&eme_cdm::hex::encode(&KID_C)));
    // The tenc key alone is not enough either, and nothing else is missing once B and C are
    // given back.
    keys.insert(KID_B, KEY_B);
    keys.insert(KID_C, KEY_C);
    assert!(decrypt_file(&generated.bytes, &keys).is_ok());
}

/// Every layout and aux placement for the rotating tracks and a two-track file.
fn layouts() -> [Layout; 4] {
    [
        FOUR_PER_FRAGMENT,
        Layout::Fragmented {
            samples_per_fragment: 3,
            aux: AuxPlacement::Mdat,
        },
        Layout::PROGRESSIVE,
        Layout::Progressive {
            aux: AuxPlacement::Mdat,
        },
    ]
}

fn two_track_file(layout: Layout) -> GeneratedFile {
    let audio_track = TrackSpec::new(
        2,
        Media::Audio,
        Scheme::Cenc,
        KeyParams::per_sample_iv(KID_C, KEY_C, 8),
        (0..6)
            .map(|i| audio(90 + i, iv8(90 + i as u8), 100 + i as usize))
            .collect(),
    );
    generate(&[rotating_cenc_track(), audio_track], layout)
}

#[test]
fn every_layout_and_aux_placement_decrypts() {
    for layout in layouts() {
        assert_decrypts(&two_track_file(layout), layout);
        assert_decrypts(&generate(&[rotating_cbcs_track()], layout), layout);
    }
}

#[test]
fn one_byte_chunks_give_the_samples_of_the_whole_file() {
    for layout in layouts() {
        let generated = two_track_file(layout);
        let whole = parse_file(&generated.bytes).unwrap();
        let mut parser = StreamParser::new(Limits::default());
        let mut events = Vec::new();
        for byte in generated.bytes.chunks(1) {
            events.extend(parser.push(byte).unwrap());
        }
        events.extend(parser.finish().unwrap());
        let chunked: Vec<_> = events
            .into_iter()
            .filter_map(|event| match event {
                Event::Segment(segment) => Some(segment.samples),
                _ => None,
            })
            .flatten()
            .collect();
        let expected: Vec<_> = whole.samples().cloned().collect();
        assert_eq!(chunked.len(), expected.len(), "{layout:?}");
        assert!(chunked == expected, "{layout:?}: chunked samples differ");
    }
}

fn walk<'n>(nodes: &'n [BoxNode], out: &mut Vec<&'n BoxNode>) {
    for node in nodes {
        out.push(node);
        walk(&node.children, out);
    }
}

fn u32_at(bytes: &[u8], at: u64) -> u32 {
    let at = at as usize;
    u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap())
}

#[test]
fn the_decrypted_file_keeps_no_encryption_boxes_and_its_offsets_point_at_the_samples() {
    for layout in layouts() {
        let generated = two_track_file(layout);
        let output = assert_decrypts(&generated, layout);
        let tree = read_boxes(&output, 0).unwrap();
        let mut nodes = Vec::new();
        walk(&tree, &mut nodes);
        for node in &nodes {
            let code = &node.box_type.0;
            assert!(
                ![
                    b"senc", b"saiz", b"saio", b"sinf", b"pssh", b"encv", b"enca"
                ]
                .contains(&code),
                "{layout:?}: '{}' left in the output",
                node.box_type
            );
            if code == b"sgpd" || code == b"sbgp" {
                let grouping = &output[node.payload_offset() as usize + 4..][..4];
                assert_ne!(grouping, b"seig", "{layout:?}: a seig group left");
            }
        }
        let decrypted = parse_file(&output).unwrap();
        let init = decrypted.init.as_ref().unwrap();
        let formats: Vec<[u8; 4]> = init
            .tracks
            .iter()
            .map(|t| t.sample_entries[0].format.0)
            .collect();
        assert_eq!(formats, [*b"avc1", *b"mp4a"], "{layout:?}");

        // Each run of samples starts where its trun data offset (from the moof) or its stco
        // chunk offset says, and holds the plaintext there.
        let plaintext = generated.plaintext_in_file_order(layout);
        let mut run_starts = Vec::new();
        for moof in tree.iter().filter(|n| &n.box_type.0 == b"moof") {
            for traf in moof.children_of(b"traf") {
                let trun = traf.child(b"trun").unwrap();
                let data_offset = u32_at(&output, trun.payload_offset() + 8) as i32;
                run_starts.push(moof.offset.checked_add_signed(data_offset.into()).unwrap());
            }
        }
        // (A fragmented file's stco tables are empty.)
        for node in nodes.iter().filter(|n| &n.box_type.0 == b"stco") {
            let chunks = u64::from(u32_at(&output, node.payload_offset() + 4));
            for chunk in 0..chunks {
                let at = node.payload_offset() + 8 + 4 * chunk;
                run_starts.push(u64::from(u32_at(&output, at)));
            }
        }
        let samples: Vec<_> = decrypted.samples().collect();
        let mut first_of_runs = Vec::new();
        for (i, sample) in samples.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| samples[p]);
            let continues = previous.is_some_and(|p| {
                p.track_id == sample.track_id && p.offset + u64::from(p.size) == sample.offset
            });
            if !continues {
                first_of_runs.push(sample.offset);
            }
            let at = sample.offset as usize;
            assert!(output[at..at + sample.size as usize] == plaintext[i][..]);
        }
        run_starts.sort();
        first_of_runs.sort();
        assert_eq!(run_starts, first_of_runs, "{layout:?}");
    }
}

#[test]
fn h264_samples_of_the_generator_have_valid_nal_framing() {
    // The plaintexts must pass decrypt_file's codec check, or every test above would fail
    // for the wrong reason; check the framing directly for many lengths.
    let mut rng = Rng(12345);
    for len in (5..300).chain((0..50).map(|_| 5 + rng.below(5000) as usize)) {
        let sample = h264_sample(len as u64, len);
        assert_eq!(sample.len(), len);
        let mut at = 0;
        while at < len {
            let unit = u32::from_be_bytes(sample[at..at + 4].try_into().unwrap()) as usize;
            assert!(unit >= 1 && at + 4 + unit <= len, "length {len}");
            assert_eq!(sample[at + 4] & 0x80, 0);
            at += 4 + unit;
        }
    }
}

#[test]
fn a_constant_iv_track_with_a_per_sample_iv_group_mixes_senc_entry_sizes() {
    // The tenc has a constant IV (no IV in senc), one seig group has 16-byte per-sample IVs:
    // the senc entries alternate between 0 and 16 IV bytes, each read with its own size.
    let groups = vec![KeyParams::per_sample_iv(KID_B, KEY_B, 16).with_pattern(1, 9)];
    let samples = (0..6)
        .map(|i| {
            let split = [(10, 16 * 11 + i as u32)];
            if i % 2 == 0 {
                video(100 + i, vec![], &split, 0)
            } else {
                video(100 + i, iv16(100 + i as u8), &split, 0).in_group(0)
            }
        })
        .collect();
    let track = TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cbcs,
        KeyParams::constant_iv(KID_A, KEY_A, iv16(99)).with_pattern(1, 9),
        samples,
    )
    .with_groups(groups);
    for layout in layouts() {
        let generated = generate(std::slice::from_ref(&track), layout);
        let file = parse_file(&generated.bytes).unwrap();
        let ivs: Vec<Vec<u8>> = file
            .samples()
            .map(|s| s.encryption.as_ref().unwrap().iv.clone())
            .collect();
        let expected: Vec<Vec<u8>> = (0..6u8)
            .map(|i| if i % 2 == 0 { iv16(99) } else { iv16(100 + i) })
            .collect();
        assert_eq!(ivs, expected, "{layout:?}");
        assert_decrypts(&generated, layout);
    }
}

#[test]
fn an_unprotected_tenc_with_protected_seig_groups() {
    // A clear lead: the tenc says isProtected = 0, and only the samples mapped to a seig
    // group are encrypted.
    let groups = vec![KeyParams::per_sample_iv(KID_B, KEY_B, 8)];
    let samples = (0..5)
        .map(|i| {
            if i < 2 {
                video(110 + i, vec![], &[(4, 90)], 0)
            } else {
                video(110 + i, iv8(110 + i as u8), &[(4, 90)], 0).in_group(0)
            }
        })
        .collect();
    let track = TrackSpec::new(
        1,
        Media::Video,
        Scheme::Cenc,
        KeyParams::unprotected(),
        samples,
    )
    .with_groups(groups);
    for layout in layouts() {
        let generated = generate(std::slice::from_ref(&track), layout);
        let file = parse_file(&generated.bytes).unwrap();
        let key_ids: Vec<Option<[u8; 16]>> = file
            .samples()
            .map(|s| s.encryption.as_ref().map(|c| c.key_id))
            .collect();
        let b = Some(KID_B);
        assert_eq!(key_ids, [None, None, b, b, b], "{layout:?}");
        assert_decrypts(&generated, layout);
    }
}
