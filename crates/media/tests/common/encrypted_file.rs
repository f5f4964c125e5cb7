//! A generator of whole encrypted MP4 files from plaintext samples, for the Common Encryption
//! edge cases packagers rarely emit: mid-block subsample splits, counters that wrap, every
//! pattern, constant IVs, `seig` key rotation with an unprotected group.
//!
//! [`generate`] writes a fragmented file (`ftyp`, `moov` with `mvex`/`trex` and a `pssh`, then
//! one `moof` + `mdat` per fragment) or a progressive one (`stco` sample tables with the
//! encryption data in `stbl`). Each sample is encrypted with the decryptor's own
//! [`SampleCipher`], so the tests built on this check the reader and `decrypt_file`, not the
//! cipher; cipher checks use an independent AES computation in the tests themselves.
//!
//! Every box holding an offset has a fixed width, so each file is built twice: once with zero
//! offsets to measure where things land, once with the real offsets.

use eme_cdm::decrypt::{Pattern, SampleCipher, SampleEncryption, Scheme, Subsample};
use eme_media::Keys;

use super::*;

/// The kind of track, which decides its sample entry and codec configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `encv` around `avc1`, with an `avcC` declaring 4-byte NAL unit lengths.
    Video,
    /// `enca` around `mp4a`, with an `esds` declaring AAC LC stereo.
    Audio,
}

impl Media {
    fn handler(self) -> &'static [u8; 4] {
        match self {
            Media::Video => b"vide",
            Media::Audio => b"soun",
        }
    }

    fn timescale(self) -> u32 {
        match self {
            Media::Video => 90_000,
            Media::Audio => 48_000,
        }
    }

    fn sample_duration(self) -> u32 {
        match self {
            Media::Video => 3_000,
            Media::Audio => 1_024,
        }
    }
}

/// Key parameters as a `tenc` or `seig` entry states them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParams {
    pub key_id: [u8; 16],
    /// The content key (not written to the file; used to encrypt and listed in the keys).
    pub key: [u8; 16],
    /// `isProtected`.
    pub protected: bool,
    /// `Per_Sample_IV_Size`: 0 (constant IV), 8 or 16.
    pub iv_size: u8,
    /// Written when `iv_size` is 0.
    pub constant_iv: Option<Vec<u8>>,
    /// `Some` writes a version-1 `tenc` with this pattern.
    pub pattern: Option<Pattern>,
}

impl KeyParams {
    /// Protected with `iv_size`-byte IVs carried by each sample.
    pub fn per_sample_iv(key_id: [u8; 16], key: [u8; 16], iv_size: u8) -> KeyParams {
        KeyParams {
            key_id,
            key,
            protected: true,
            iv_size,
            constant_iv: None,
            pattern: None,
        }
    }

    /// Protected with one IV for every sample.
    pub fn constant_iv(key_id: [u8; 16], key: [u8; 16], iv: Vec<u8>) -> KeyParams {
        KeyParams {
            key_id,
            key,
            protected: true,
            iv_size: 0,
            constant_iv: Some(iv),
            pattern: None,
        }
    }

    /// `isProtected = 0`: samples under these parameters are stored clear.
    pub fn unprotected() -> KeyParams {
        KeyParams {
            key_id: [0; 16],
            key: [0; 16],
            protected: false,
            iv_size: 0,
            constant_iv: None,
            pattern: None,
        }
    }

    pub fn with_pattern(mut self, crypt: u8, skip: u8) -> KeyParams {
        self.pattern = Some(Pattern::new(crypt, skip));
        self
    }

    fn pattern_byte(&self) -> (u8, u8) {
        self.pattern
            .map_or((0, 0), |p| (p.crypt_byte_block, p.skip_byte_block))
    }

    fn seig(&self) -> Seig<'_> {
        Seig {
            pattern: self.pattern_byte(),
            protected: u8::from(self.protected),
            iv_size: self.iv_size,
            kid: self.key_id,
            constant_iv: self.constant_iv.as_deref(),
        }
    }

    fn tenc(&self) -> Vec<u8> {
        // A pattern needs version 1; version 0 keeps that byte reserved.
        let version = u8::from(self.pattern.is_some());
        tenc(
            version,
            self.pattern_byte(),
            u8::from(self.protected),
            self.iv_size,
            self.key_id,
            self.constant_iv.as_deref(),
        )
    }
}

/// One sample to write: its plaintext and how to encrypt it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainSample {
    pub data: Vec<u8>,
    /// The per-sample IV (`iv_size` bytes of its key parameters; empty with a constant IV).
    pub iv: Vec<u8>,
    /// Empty: the whole sample is protected.
    pub subsamples: Vec<Subsample>,
    /// `Some(i)`: the sample belongs to the track's `groups[i]` (`seig`); `None`: the `tenc`.
    pub group: Option<usize>,
}

impl PlainSample {
    pub fn new(data: Vec<u8>, iv: Vec<u8>, subsamples: &[(u32, u32)]) -> PlainSample {
        PlainSample {
            data,
            iv,
            subsamples: subsamples
                .iter()
                .map(|&(clear, protected)| Subsample::new(clear, protected))
                .collect(),
            group: None,
        }
    }

    pub fn in_group(mut self, group: usize) -> PlainSample {
        self.group = Some(group);
        self
    }
}

/// One track to write.
#[derive(Debug, Clone)]
pub struct TrackSpec {
    pub track_id: u32,
    pub media: Media,
    pub scheme: Scheme,
    /// The `tenc` defaults.
    pub defaults: KeyParams,
    /// `seig` sample group descriptions (in the `traf`s, or the `stbl` of a progressive file).
    pub groups: Vec<KeyParams>,
    pub samples: Vec<PlainSample>,
}

impl TrackSpec {
    pub fn new(
        track_id: u32,
        media: Media,
        scheme: Scheme,
        defaults: KeyParams,
        samples: Vec<PlainSample>,
    ) -> TrackSpec {
        TrackSpec {
            track_id,
            media,
            scheme,
            defaults,
            groups: Vec::new(),
            samples,
        }
    }

    pub fn with_groups(mut self, groups: Vec<KeyParams>) -> TrackSpec {
        self.groups = groups;
        self
    }

    fn params_of(&self, sample: &PlainSample) -> &KeyParams {
        match sample.group {
            Some(group) => &self.groups[group],
            None => &self.defaults,
        }
    }

    /// Whether any sample carries a subsample table (then `senc` flag 0x2 is set for all).
    fn uses_subsamples(&self) -> bool {
        self.samples.iter().any(|s| !s.subsamples.is_empty())
    }

    fn sample_entry(&self) -> Vec<u8> {
        let sinf = sinf(
            self.codec(),
            &self.scheme.fourcc(),
            Some(self.defaults.tenc()),
        );
        match self.media {
            Media::Video => visual_entry(b"encv", &[avc_configuration(), sinf]),
            Media::Audio => audio_entry(b"enca", &[aac_esds(), sinf]),
        }
    }

    fn codec(&self) -> &'static [u8; 4] {
        match self.media {
            Media::Video => b"avc1",
            Media::Audio => b"mp4a",
        }
    }
}

/// Where the per-sample IVs and subsample tables go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuxPlacement {
    /// A `senc` box, with `saiz`/`saio` pointing into it (as Shaka Packager writes).
    Senc,
    /// Only `saiz`/`saio`, pointing at the start of the `mdat`, before the samples.
    Mdat,
}

/// The file's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `moov` with empty sample tables, then `moof` + `mdat` per `samples_per_fragment`
    /// samples of each track.
    Fragmented {
        samples_per_fragment: usize,
        aux: AuxPlacement,
    },
    /// `moov` with full sample tables (one chunk per track, `stco`), then one `mdat`.
    Progressive { aux: AuxPlacement },
}

impl Layout {
    pub const FRAGMENTED: Layout = Layout::Fragmented {
        samples_per_fragment: usize::MAX,
        aux: AuxPlacement::Senc,
    };
    pub const PROGRESSIVE: Layout = Layout::Progressive {
        aux: AuxPlacement::Senc,
    };
}

/// A generated file and what a test needs to check it.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    pub bytes: Vec<u8>,
    /// The key of every protected `tenc` and `seig` entry.
    pub keys: Keys,
    /// Per track (in the order given), each sample's plaintext.
    pub plaintext: Vec<Vec<Vec<u8>>>,
    /// Per track, each sample as stored in the file.
    pub encrypted: Vec<Vec<Vec<u8>>>,
}

impl GeneratedFile {
    /// All samples' plaintext in file order: fragment by fragment, track by track.
    pub fn plaintext_in_file_order(&self, layout: Layout) -> Vec<Vec<u8>> {
        in_file_order(&self.plaintext, layout)
    }

    /// All samples as stored, in file order.
    pub fn encrypted_in_file_order(&self, layout: Layout) -> Vec<Vec<u8>> {
        in_file_order(&self.encrypted, layout)
    }
}

fn in_file_order(per_track: &[Vec<Vec<u8>>], layout: Layout) -> Vec<Vec<u8>> {
    let per_fragment = match layout {
        Layout::Fragmented {
            samples_per_fragment,
            ..
        } => samples_per_fragment,
        Layout::Progressive { .. } => usize::MAX,
    };
    let mut out = Vec::new();
    for fragment in 0..fragment_count(per_track.iter().map(Vec::len), per_fragment) {
        for samples in per_track {
            out.extend(
                fragment_slice(samples, fragment, per_fragment)
                    .iter()
                    .cloned(),
            );
        }
    }
    out
}

fn fragment_count(lengths: impl Iterator<Item = usize>, per_fragment: usize) -> usize {
    lengths
        .map(|len| len.div_ceil(per_fragment))
        .max()
        .unwrap_or(0)
        .max(1)
}

fn fragment_slice<T>(items: &[T], fragment: usize, per_fragment: usize) -> &[T] {
    let start = fragment.saturating_mul(per_fragment).min(items.len());
    let end = start.saturating_add(per_fragment).min(items.len());
    &items[start..end]
}

/// Encrypts every sample and writes the file.
pub fn generate(tracks: &[TrackSpec], layout: Layout) -> GeneratedFile {
    let mut keys = Keys::new();
    for track in tracks {
        for params in std::iter::once(&track.defaults).chain(&track.groups) {
            if params.protected {
                let previous = keys.insert(params.key_id, params.key);
                assert!(
                    previous.is_none_or(|key| key == params.key),
                    "one key ID with two keys"
                );
            }
        }
    }
    let encrypted: Vec<Vec<Vec<u8>>> = tracks.iter().map(encrypt_track).collect();
    let plaintext = tracks
        .iter()
        .map(|t| t.samples.iter().map(|s| s.data.clone()).collect())
        .collect();
    let bytes = match layout {
        Layout::Fragmented {
            samples_per_fragment,
            aux,
        } => fragmented(tracks, &encrypted, samples_per_fragment, aux),
        Layout::Progressive { aux } => progressive(tracks, &encrypted, aux),
    };
    GeneratedFile {
        bytes,
        keys,
        plaintext,
        encrypted,
    }
}

fn encrypt_track(track: &TrackSpec) -> Vec<Vec<u8>> {
    track
        .samples
        .iter()
        .map(|sample| {
            let params = track.params_of(sample);
            let mut data = sample.data.clone();
            if !params.protected {
                assert!(sample.iv.is_empty(), "a clear sample has no IV");
                return data;
            }
            let iv = match &params.constant_iv {
                Some(constant) => {
                    assert!(sample.iv.is_empty(), "constant IV and a per-sample IV");
                    constant
                }
                None => {
                    assert_eq!(sample.iv.len(), usize::from(params.iv_size), "IV size");
                    &sample.iv
                }
            };
            // The pattern schemes always have a pattern (0:0 from a version-0 `tenc`).
            let pattern = params
                .pattern
                .or(track.scheme.uses_pattern().then_some(Pattern::new(0, 0)));
            let encryption = SampleEncryption {
                scheme: track.scheme,
                key_id: params.key_id,
                iv,
                pattern,
                subsamples: &sample.subsamples,
            };
            SampleCipher::new(&params.key)
                .encrypt(&encryption, &mut data)
                .expect("consistent encryption parameters");
            data
        })
        .collect()
}

/// `avcC` with no parameter sets: enough to declare 4-byte NAL unit lengths, which makes
/// `decrypt_file` check the decrypted samples' NAL framing.
pub fn avc_configuration() -> Vec<u8> {
    bx(b"avcC", &[1, 0x64, 0x00, 0x1f, 0xfc | 3, 0xe0, 0])
}

/// `esds` for AAC LC, 48 kHz, stereo: `decrypt_file` then checks each decrypted sample starts
/// with an element a stereo AAC block can start with.
pub fn aac_esds() -> Vec<u8> {
    // AudioSpecificConfig: object type 2 (5 bits), frequency index 3 (4), channels 2 (4).
    let specific = [0x05, 2, 0x11, 0x90];
    let mut config = vec![0x04, (13 + specific.len()) as u8, 0x40, 0x15];
    config.extend([0; 11]);
    config.extend(specific);
    let sl_config = [0x06, 1, 2];
    let mut es = vec![0x03, (3 + config.len() + sl_config.len()) as u8, 0, 1, 0];
    es.extend(config);
    es.extend(sl_config);
    bx(b"esds", &W::new().full(0, 0).bytes(&es).done())
}

/// A plaintext H.264 sample of `len` bytes (at least 5): length-prefixed NAL units with
/// pseudo-random payloads, so it passes the NAL framing check only once decrypted.
pub fn h264_sample(seed: u64, len: usize) -> Vec<u8> {
    assert!(len >= 5, "a NAL unit needs a length and a header");
    let mut out = Vec::with_capacity(len);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9).wrapping_add(1));
    while out.len() < len {
        // Invariant: what is left is at least 5 bytes, one length and one header.
        let left = len - out.len();
        let max_unit = left - 4;
        // Several NAL units when there is room; a unit never leaves fewer than 5 bytes.
        let unit = if max_unit > 10 {
            1 + rng.below((max_unit - 5) as u64) as usize
        } else {
            max_unit
        };
        out.extend((unit as u32).to_be_bytes());
        // nal_unit_type 5 or 1, forbidden_zero_bit clear.
        out.push(if out.len() == 4 { 0x65 } else { 0x41 });
        out.extend((1..unit).map(|_| rng.next() as u8));
    }
    out
}

/// A plaintext AAC stereo sample of `len` bytes (at least 1): a channel pair element, then
/// pseudo-random bytes.
pub fn aac_sample(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng(seed.wrapping_mul(0x5851_f42d).wrapping_add(7));
    let mut out = vec![0x21];
    out.extend((1..len).map(|_| rng.next() as u8));
    out
}

/// One sample's auxiliary information (IV, subsamples) as `senc` and `saio` targets hold it.
fn aux_entry(track: &TrackSpec, sample: &PlainSample) -> Vec<u8> {
    let params = track.params_of(sample);
    let mut w = W::new();
    if params.protected {
        w = w.bytes(&sample.iv);
    }
    if track.uses_subsamples() {
        w = w.u16(sample.subsamples.len() as u16);
        for s in &sample.subsamples {
            w = w.u16(s.clear_bytes as u16).u32(s.protected_bytes);
        }
    }
    w.done()
}

fn aux_entries(track: &TrackSpec, samples: &[PlainSample]) -> Vec<Vec<u8>> {
    samples.iter().map(|s| aux_entry(track, s)).collect()
}

fn senc_box(track: &TrackSpec, entries: &[Vec<u8>]) -> Vec<u8> {
    let flags = if track.uses_subsamples() { 2 } else { 0 };
    bx(
        b"senc",
        &W::new()
            .full(0, flags)
            .u32(entries.len() as u32)
            .bytes(&entries.concat())
            .done(),
    )
}

fn saiz_box(entries: &[Vec<u8>]) -> Vec<u8> {
    let sizes: Vec<u8> = entries.iter().map(|e| e.len() as u8).collect();
    let all_same = sizes.windows(2).all(|w| w[0] == w[1]);
    match sizes.first() {
        Some(&size) if all_same && size > 0 => saiz(size, &[], sizes.len() as u32),
        _ => saiz(0, &sizes, sizes.len() as u32),
    }
}

/// The encryption boxes for one run of samples: `sgpd`/`sbgp` if the track has groups, and the
/// auxiliary information (`senc` + `saiz` + `saio`, or `saiz` + `saio` alone). `group_base` is
/// added to group numbers (0x10000 in a `traf`, where the groups are the `traf`'s own).
fn encryption_boxes(
    track: &TrackSpec,
    samples: &[PlainSample],
    group_base: u32,
    aux: AuxPlacement,
    aux_offset: u64,
) -> Vec<Vec<u8>> {
    let mut boxes = Vec::new();
    if !track.groups.is_empty() {
        let seigs: Vec<Seig<'_>> = track.groups.iter().map(KeyParams::seig).collect();
        boxes.push(sgpd(&seigs));
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for sample in samples {
            let index = sample.group.map_or(0, |g| group_base + g as u32 + 1);
            match runs.last_mut() {
                Some((count, last)) if *last == index => *count += 1,
                _ => runs.push((1, index)),
            }
        }
        boxes.push(sbgp(&runs));
    }
    let entries = aux_entries(track, samples);
    // With constant IVs and no subsamples there is nothing per sample: packagers then write
    // no auxiliary information at all.
    if entries.iter().all(Vec::is_empty) {
        return boxes;
    }
    if aux == AuxPlacement::Senc {
        boxes.push(senc_box(track, &entries));
    }
    boxes.push(saiz_box(&entries));
    boxes.push(saio(0, &[aux_offset]));
    boxes
}

/// The position of `needle`, which must occur exactly once in `haystack`.
fn find_once(haystack: &[u8], needle: &[u8]) -> usize {
    let at = find(haystack, needle);
    assert!(
        haystack[at + 1..]
            .windows(needle.len())
            .all(|w| w != needle),
        "box bytes occur twice; give the tracks different IVs"
    );
    at
}

/// Offset of the first `senc` entry inside `senc` box bytes: header, version/flags, count.
const SENC_ENTRIES: usize = 16;

fn media_header(media: Media) -> Vec<u8> {
    match media {
        Media::Video => bx(b"vmhd", &W::new().full(0, 1).zeros(8).done()),
        Media::Audio => bx(b"smhd", &W::new().full(0, 0).zeros(4).done()),
    }
}

fn data_information() -> Vec<u8> {
    let url = bx(b"url ", &W::new().full(0, 1).done());
    let dref = bx(b"dref", &[W::new().full(0, 0).u32(1).done(), url].concat());
    container(b"dinf", &[dref])
}

fn track_box(track: &TrackSpec, tables: Vec<Vec<u8>>) -> Vec<u8> {
    let mut stbl = vec![stsd(&[track.sample_entry()])];
    stbl.extend(tables);
    let minf = container(
        b"minf",
        &[
            media_header(track.media),
            data_information(),
            container(b"stbl", &stbl),
        ],
    );
    let mdia = container(
        b"mdia",
        &[
            mdhd(track.media.timescale()),
            hdlr(track.media.handler()),
            minf,
        ],
    );
    let (width, height) = match track.media {
        Media::Video => (320, 180),
        Media::Audio => (0, 0),
    };
    container(b"trak", &[tkhd(track.track_id, width, height), mdia])
}

fn all_key_ids(tracks: &[TrackSpec]) -> Vec<[u8; 16]> {
    let mut ids: Vec<[u8; 16]> = tracks
        .iter()
        .flat_map(|t| std::iter::once(&t.defaults).chain(&t.groups))
        .filter(|p| p.protected)
        .map(|p| p.key_id)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn movie(tracks: &[TrackSpec], traks: Vec<Vec<u8>>, fragmented: bool) -> Vec<u8> {
    let mut children = vec![mvhd(1000)];
    children.extend(traks);
    if fragmented {
        let trexs: Vec<Vec<u8>> = tracks
            .iter()
            .map(|t| trex(t.track_id, 1, t.media.sample_duration(), 0, 0))
            .collect();
        children.push(container(b"mvex", &trexs));
    }
    children.push(pssh(1, COMMON_SYSTEM, &all_key_ids(tracks), &[]));
    container(b"moov", &children)
}

fn fragmented(
    tracks: &[TrackSpec],
    encrypted: &[Vec<Vec<u8>>],
    per_fragment: usize,
    aux: AuxPlacement,
) -> Vec<u8> {
    let traks = tracks
        .iter()
        .map(|t| track_box(t, empty_tables()))
        .collect();
    let mut file = [ftyp(), movie(tracks, traks, true)].concat();
    let fragments = fragment_count(tracks.iter().map(|t| t.samples.len()), per_fragment);
    for fragment in 0..fragments {
        let runs: Vec<TrackRun<'_>> = tracks
            .iter()
            .zip(encrypted)
            .map(|(track, stored)| {
                let decode_time = (fragment
                    .saturating_mul(per_fragment)
                    .min(track.samples.len()) as u64)
                    * u64::from(track.media.sample_duration());
                TrackRun {
                    track,
                    samples: fragment_slice(&track.samples, fragment, per_fragment),
                    stored: fragment_slice(stored, fragment, per_fragment),
                    decode_time,
                }
            })
            .filter(|run| !run.samples.is_empty())
            .collect();
        file.extend(media_segment(fragment as u32 + 1, &runs, aux));
    }
    file
}

/// One track's samples in one fragment.
struct TrackRun<'a> {
    track: &'a TrackSpec,
    samples: &'a [PlainSample],
    /// The samples as stored (encrypted).
    stored: &'a [Vec<u8>],
    decode_time: u64,
}

/// One `moof` + `mdat`. The `mdat` holds, track by track, the auxiliary information (with
/// [`AuxPlacement::Mdat`]) and then the samples.
fn media_segment(sequence: u32, runs: &[TrackRun<'_>], aux: AuxPlacement) -> Vec<u8> {
    // Offsets are relative to the moof (default-base-is-moof).
    let build = |data_offsets: &[i32], aux_offsets: &[u64]| {
        let mut trafs = vec![mfhd(sequence)];
        for (i, run) in runs.iter().enumerate() {
            let TrackRun {
                track,
                samples,
                stored,
                decode_time,
            } = run;
            let trun_samples: Vec<TrunSample> = stored
                .iter()
                .map(|data| TrunSample {
                    duration: track.media.sample_duration(),
                    size: data.len() as u32,
                    ..TrunSample::default()
                })
                .collect();
            let mut children = vec![
                tfhd(0x2_0000, track.track_id, 0, 0, 0, 0, 0),
                tfdt(1, *decode_time),
                trun(
                    0,
                    TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE,
                    data_offsets[i],
                    0,
                    &trun_samples,
                ),
            ];
            children.extend(encryption_boxes(
                track,
                samples,
                0x1_0000,
                aux,
                aux_offsets[i],
            ));
            trafs.push(container(b"traf", &children));
        }
        container(b"moof", &trafs)
    };
    let draft = build(&vec![0; runs.len()], &vec![0; runs.len()]);
    let mdat_payload_start = draft.len() as u64 + 8;
    let mut payload = Vec::new();
    let mut data_offsets = Vec::new();
    let mut aux_offsets = Vec::new();
    for run in runs {
        let (track, stored) = (run.track, run.stored);
        let entries = aux_entries(track, run.samples);
        match aux {
            // No auxiliary information is written: the offset is unused.
            _ if entries.iter().all(Vec::is_empty) => aux_offsets.push(0),
            AuxPlacement::Senc => {
                let senc = senc_box(track, &entries);
                aux_offsets.push((find_once(&draft, &senc) + SENC_ENTRIES) as u64);
            }
            AuxPlacement::Mdat => {
                aux_offsets.push(mdat_payload_start + payload.len() as u64);
                payload.extend(entries.concat());
            }
        }
        data_offsets.push((mdat_payload_start + payload.len() as u64) as i32);
        payload.extend(stored.concat());
    }
    let moof = build(&data_offsets, &aux_offsets);
    assert_eq!(moof.len(), draft.len(), "offsets changed the moof's size");
    [moof, bx(b"mdat", &payload)].concat()
}

fn progressive(tracks: &[TrackSpec], encrypted: &[Vec<Vec<u8>>], aux: AuxPlacement) -> Vec<u8> {
    // Offsets are absolute file offsets.
    let build = |chunk_offsets: &[u32], aux_offsets: &[u64]| {
        let traks = tracks
            .iter()
            .zip(encrypted)
            .enumerate()
            .map(|(i, (track, stored))| {
                let count = stored.len() as u32;
                let mut sizes = W::new().full(0, 0).u32(0).u32(count);
                for data in stored {
                    sizes = sizes.u32(data.len() as u32);
                }
                let mut tables = vec![
                    bx(
                        b"stts",
                        &W::new()
                            .full(0, 0)
                            .u32(1)
                            .u32(count)
                            .u32(track.media.sample_duration())
                            .done(),
                    ),
                    bx(
                        b"stsc",
                        &W::new().full(0, 0).u32(1).u32(1).u32(count).u32(1).done(),
                    ),
                    bx(b"stsz", &sizes.done()),
                    bx(
                        b"stco",
                        &W::new().full(0, 0).u32(1).u32(chunk_offsets[i]).done(),
                    ),
                ];
                tables.extend(encryption_boxes(
                    track,
                    &track.samples,
                    0,
                    aux,
                    aux_offsets[i],
                ));
                track_box(track, tables)
            })
            .collect();
        [ftyp(), movie(tracks, traks, false)].concat()
    };
    let draft = build(&vec![0; tracks.len()], &vec![0; tracks.len()]);
    let mdat_payload_start = draft.len() as u64 + 8;
    let mut payload = Vec::new();
    let mut chunk_offsets = Vec::new();
    let mut aux_offsets = Vec::new();
    for (track, stored) in tracks.iter().zip(encrypted) {
        let entries = aux_entries(track, &track.samples);
        match aux {
            // No auxiliary information is written: the offset is unused.
            _ if entries.iter().all(Vec::is_empty) => aux_offsets.push(0),
            AuxPlacement::Senc => {
                let senc = senc_box(track, &entries);
                aux_offsets.push((find_once(&draft, &senc) + SENC_ENTRIES) as u64);
            }
            AuxPlacement::Mdat => {
                aux_offsets.push(mdat_payload_start + payload.len() as u64);
                payload.extend(entries.concat());
            }
        }
        chunk_offsets.push((mdat_payload_start + payload.len() as u64) as u32);
        payload.extend(stored.concat());
    }
    let head = build(&chunk_offsets, &aux_offsets);
    assert_eq!(head.len(), draft.len(), "offsets changed the moov's size");
    [head, bx(b"mdat", &payload)].concat()
}
