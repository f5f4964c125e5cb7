//! A small ISO-BMFF writer for tests: boxes nest as byte vectors.

#![allow(dead_code)]

pub mod encrypted_file;
pub mod fixtures;

pub const KID_A: [u8; 16] = [0xa1; 16];
pub const KID_B: [u8; 16] = [0xb2; 16];
pub const COMMON_SYSTEM: [u8; 16] = [
    0x10, 0x77, 0xef, 0xec, 0xc0, 0xb2, 0x4d, 0x02, 0xac, 0xe3, 0x3c, 0x1e, 0x52, 0xe2, 0xfb, 0x4b,
];
pub const WIDEVINE_SYSTEM: [u8; 16] = [
    0xed, 0xef, 0x8b, 0xa9, 0x79, 0xd6, 0x4a, 0xce, 0xa3, 0xc8, 0x27, 0xdc, 0xd5, 0x1d, 0x21, 0xed,
];

/// Field writer.
#[derive(Default)]
pub struct W(pub Vec<u8>);

impl W {
    pub fn new() -> Self {
        Self(Vec::new())
    }
    pub fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    pub fn u16(mut self, v: u16) -> Self {
        self.0.extend(v.to_be_bytes());
        self
    }
    pub fn u24(mut self, v: u32) -> Self {
        self.0.extend(&v.to_be_bytes()[1..]);
        self
    }
    pub fn u32(mut self, v: u32) -> Self {
        self.0.extend(v.to_be_bytes());
        self
    }
    pub fn i32(mut self, v: i32) -> Self {
        self.0.extend(v.to_be_bytes());
        self
    }
    pub fn u64(mut self, v: u64) -> Self {
        self.0.extend(v.to_be_bytes());
        self
    }
    pub fn bytes(mut self, v: &[u8]) -> Self {
        self.0.extend_from_slice(v);
        self
    }
    pub fn zeros(mut self, n: usize) -> Self {
        self.0.extend(std::iter::repeat_n(0, n));
        self
    }
    pub fn full(self, version: u8, flags: u32) -> Self {
        self.u8(version).u24(flags)
    }
    pub fn done(self) -> Vec<u8> {
        self.0
    }
}

/// A box with a 32-bit size.
pub fn bx(box_type: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend(((payload.len() + 8) as u32).to_be_bytes());
    out.extend(box_type);
    out.extend(payload);
    out
}

/// A box with a 64-bit `largesize`.
pub fn large_bx(box_type: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 16);
    out.extend(1u32.to_be_bytes());
    out.extend(box_type);
    out.extend(((payload.len() + 16) as u64).to_be_bytes());
    out.extend(payload);
    out
}

/// A box of size 0 ("to the end of the file").
pub fn open_bx(box_type: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0, 0];
    out.extend(box_type);
    out.extend(payload);
    out
}

/// A container of the given children.
pub fn container(box_type: &[u8; 4], children: &[Vec<u8>]) -> Vec<u8> {
    bx(box_type, &children.concat())
}

pub fn ftyp() -> Vec<u8> {
    bx(
        b"ftyp",
        &W::new()
            .bytes(b"isom")
            .u32(512)
            .bytes(b"isom")
            .bytes(b"iso6")
            .done(),
    )
}

pub fn mvhd(timescale: u32) -> Vec<u8> {
    let p = W::new().full(0, 0).u32(0).u32(0).u32(timescale).u32(0);
    bx(
        b"mvhd",
        &p.u32(0x0001_0000)
            .u16(0x0100)
            .zeros(10)
            .zeros(36)
            .zeros(24)
            .u32(3)
            .done(),
    )
}

pub fn tkhd(track_id: u32, width: u32, height: u32) -> Vec<u8> {
    let p = W::new()
        .full(0, 3)
        .u32(0)
        .u32(0)
        .u32(track_id)
        .u32(0)
        .u32(0);
    bx(
        b"tkhd",
        &p.zeros(8)
            .zeros(8)
            .zeros(36)
            .u32(width << 16)
            .u32(height << 16)
            .done(),
    )
}

pub fn mdhd(timescale: u32) -> Vec<u8> {
    bx(
        b"mdhd",
        &W::new()
            .full(0, 0)
            .u32(0)
            .u32(0)
            .u32(timescale)
            .u32(0)
            .u16(0x55c4)
            .u16(0)
            .done(),
    )
}

pub fn hdlr(handler: &[u8; 4]) -> Vec<u8> {
    bx(
        b"hdlr",
        &W::new()
            .full(0, 0)
            .u32(0)
            .bytes(handler)
            .zeros(12)
            .u8(0)
            .done(),
    )
}

/// A visual sample entry with its 78 fixed bytes, then `children`.
pub fn visual_entry(format: &[u8; 4], children: &[Vec<u8>]) -> Vec<u8> {
    let fixed = W::new()
        .zeros(6)
        .u16(1)
        .zeros(16)
        .u16(320)
        .u16(180)
        .u32(0x0048_0000)
        .u32(0x0048_0000);
    let fixed = fixed.u32(0).u16(1).zeros(32).u16(0x18).u16(0xffff);
    let mut payload = fixed.done();
    assert_eq!(payload.len(), 78);
    payload.extend(children.concat());
    bx(format, &payload)
}

/// An audio sample entry with its 28 fixed bytes, then `children`.
pub fn audio_entry(format: &[u8; 4], children: &[Vec<u8>]) -> Vec<u8> {
    let mut payload = W::new()
        .zeros(6)
        .u16(1)
        .zeros(8)
        .u16(2)
        .u16(16)
        .u32(0)
        .u32(48000 << 16)
        .done();
    assert_eq!(payload.len(), 28);
    payload.extend(children.concat());
    bx(format, &payload)
}

/// `tenc`: version 0 ignores the pattern.
pub fn tenc(
    version: u8,
    pattern: (u8, u8),
    protected: u8,
    iv_size: u8,
    kid: [u8; 16],
    constant_iv: Option<&[u8]>,
) -> Vec<u8> {
    let pattern_byte = if version == 0 {
        0
    } else {
        (pattern.0 << 4) | pattern.1
    };
    let mut w = W::new()
        .full(version, 0)
        .u8(0)
        .u8(pattern_byte)
        .u8(protected)
        .u8(iv_size)
        .bytes(&kid);
    if let Some(iv) = constant_iv {
        w = w.u8(iv.len() as u8).bytes(iv);
    }
    bx(b"tenc", &w.done())
}

pub fn sinf(original: &[u8; 4], scheme: &[u8; 4], tenc_box: Option<Vec<u8>>) -> Vec<u8> {
    let frma = bx(b"frma", original);
    let schm = bx(
        b"schm",
        &W::new().full(0, 0).bytes(scheme).u32(0x0001_0000).done(),
    );
    let mut children = vec![frma, schm];
    if let Some(tenc_box) = tenc_box {
        children.push(container(b"schi", &[tenc_box]));
    }
    container(b"sinf", &children)
}

pub fn pssh(version: u8, system: [u8; 16], kids: &[[u8; 16]], data: &[u8]) -> Vec<u8> {
    let mut w = W::new().full(version, 0).bytes(&system);
    if version > 0 {
        w = w.u32(kids.len() as u32);
        for kid in kids {
            w = w.bytes(kid);
        }
    }
    bx(b"pssh", &w.u32(data.len() as u32).bytes(data).done())
}

pub fn trex(track_id: u32, description: u32, duration: u32, size: u32, flags: u32) -> Vec<u8> {
    bx(
        b"trex",
        &W::new()
            .full(0, 0)
            .u32(track_id)
            .u32(description)
            .u32(duration)
            .u32(size)
            .u32(flags)
            .done(),
    )
}

/// Empty sample tables, as in a fragmented file's init segment.
pub fn empty_tables() -> Vec<Vec<u8>> {
    vec![
        bx(b"stts", &W::new().full(0, 0).u32(0).done()),
        bx(b"stsc", &W::new().full(0, 0).u32(0).done()),
        bx(b"stsz", &W::new().full(0, 0).u32(0).u32(0).done()),
        bx(b"stco", &W::new().full(0, 0).u32(0).done()),
    ]
}

pub fn stsd(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut payload = W::new().full(0, 0).u32(entries.len() as u32).done();
    payload.extend(entries.concat());
    bx(b"stsd", &payload)
}

/// A `trak` whose `stbl` holds `stsd(entries)` and then `tables`.
pub fn trak(
    track_id: u32,
    handler: &[u8; 4],
    timescale: u32,
    entries: &[Vec<u8>],
    tables: Vec<Vec<u8>>,
) -> Vec<u8> {
    let mut stbl_children = vec![stsd(entries)];
    stbl_children.extend(tables);
    let stbl = container(b"stbl", &stbl_children);
    let minf = container(b"minf", &[stbl]);
    let mdia = container(b"mdia", &[mdhd(timescale), hdlr(handler), minf]);
    container(b"trak", &[tkhd(track_id, 320, 180), mdia])
}

/// Flags and fields of one `trun` sample.
#[derive(Clone, Copy, Default)]
pub struct TrunSample {
    pub duration: u32,
    pub size: u32,
    pub flags: u32,
    pub composition_offset: i32,
}

pub const TRUN_DATA_OFFSET: u32 = 0x1;
pub const TRUN_FIRST_FLAGS: u32 = 0x4;
pub const TRUN_DURATION: u32 = 0x100;
pub const TRUN_SIZE: u32 = 0x200;
pub const TRUN_FLAGS: u32 = 0x400;
pub const TRUN_CTO: u32 = 0x800;

pub fn trun(
    version: u8,
    flags: u32,
    data_offset: i32,
    first_flags: u32,
    samples: &[TrunSample],
) -> Vec<u8> {
    let mut w = W::new().full(version, flags).u32(samples.len() as u32);
    if flags & TRUN_DATA_OFFSET != 0 {
        w = w.i32(data_offset);
    }
    if flags & TRUN_FIRST_FLAGS != 0 {
        w = w.u32(first_flags);
    }
    for s in samples {
        if flags & TRUN_DURATION != 0 {
            w = w.u32(s.duration);
        }
        if flags & TRUN_SIZE != 0 {
            w = w.u32(s.size);
        }
        if flags & TRUN_FLAGS != 0 {
            w = w.u32(s.flags);
        }
        if flags & TRUN_CTO != 0 {
            w = w.i32(s.composition_offset);
        }
    }
    bx(b"trun", &w.done())
}

/// `tfhd` with the optional fields present per `flags`.
pub fn tfhd(
    flags: u32,
    track_id: u32,
    base: u64,
    description: u32,
    duration: u32,
    size: u32,
    sample_flags: u32,
) -> Vec<u8> {
    let mut w = W::new().full(0, flags).u32(track_id);
    if flags & 0x1 != 0 {
        w = w.u64(base);
    }
    if flags & 0x2 != 0 {
        w = w.u32(description);
    }
    if flags & 0x8 != 0 {
        w = w.u32(duration);
    }
    if flags & 0x10 != 0 {
        w = w.u32(size);
    }
    if flags & 0x20 != 0 {
        w = w.u32(sample_flags);
    }
    bx(b"tfhd", &w.done())
}

pub fn tfdt(version: u8, time: u64) -> Vec<u8> {
    let w = W::new().full(version, 0);
    bx(
        b"tfdt",
        &if version == 0 {
            w.u32(time as u32)
        } else {
            w.u64(time)
        }
        .done(),
    )
}

pub fn mfhd(sequence: u32) -> Vec<u8> {
    bx(b"mfhd", &W::new().full(0, 0).u32(sequence).done())
}

/// One sample's auxiliary information: IV and subsamples (clear, protected).
#[derive(Clone, Default)]
pub struct Aux {
    pub iv: Vec<u8>,
    pub subsamples: Vec<(u16, u32)>,
}

/// The bytes of one sample's auxiliary information.
pub fn aux_bytes(aux: &Aux, with_subsamples: bool) -> Vec<u8> {
    let mut w = W::new().bytes(&aux.iv);
    if with_subsamples {
        w = w.u16(aux.subsamples.len() as u16);
        for &(clear, protected) in &aux.subsamples {
            w = w.u16(clear).u32(protected);
        }
    }
    w.done()
}

pub fn senc(with_subsamples: bool, entries: &[Aux]) -> Vec<u8> {
    let mut w = W::new()
        .full(0, if with_subsamples { 2 } else { 0 })
        .u32(entries.len() as u32);
    for aux in entries {
        w = w.bytes(&aux_bytes(aux, with_subsamples));
    }
    bx(b"senc", &w.done())
}

pub fn saiz(default_size: u8, sizes: &[u8], count: u32) -> Vec<u8> {
    let w = W::new().full(0, 0).u8(default_size).u32(count);
    bx(
        b"saiz",
        &if default_size == 0 { w.bytes(sizes) } else { w }.done(),
    )
}

pub fn saio(version: u8, offsets: &[u64]) -> Vec<u8> {
    let mut w = W::new().full(version, 0).u32(offsets.len() as u32);
    for &offset in offsets {
        w = if version == 0 {
            w.u32(offset as u32)
        } else {
            w.u64(offset)
        };
    }
    bx(b"saio", &w.done())
}

pub fn sbgp(entries: &[(u32, u32)]) -> Vec<u8> {
    let mut w = W::new().full(0, 0).bytes(b"seig").u32(entries.len() as u32);
    for &(count, index) in entries {
        w = w.u32(count).u32(index);
    }
    bx(b"sbgp", &w.done())
}

/// One `seig` entry: pattern, isProtected, IV size, KID, constant IV.
pub struct Seig<'a> {
    pub pattern: (u8, u8),
    pub protected: u8,
    pub iv_size: u8,
    pub kid: [u8; 16],
    pub constant_iv: Option<&'a [u8]>,
}

pub fn seig_bytes(entry: &Seig<'_>) -> Vec<u8> {
    let mut w = W::new()
        .u8(0)
        .u8((entry.pattern.0 << 4) | entry.pattern.1)
        .u8(entry.protected)
        .u8(entry.iv_size)
        .bytes(&entry.kid);
    if let Some(iv) = entry.constant_iv {
        w = w.u8(iv.len() as u8).bytes(iv);
    }
    w.done()
}

/// `sgpd` version 1 with `default_length` 0 (each entry carries its length).
pub fn sgpd(entries: &[Seig<'_>]) -> Vec<u8> {
    let mut w = W::new()
        .full(1, 0)
        .bytes(b"seig")
        .u32(0)
        .u32(entries.len() as u32);
    for entry in entries {
        let bytes = seig_bytes(entry);
        w = w.u32(bytes.len() as u32).bytes(&bytes);
    }
    bx(b"sgpd", &w.done())
}

/// A deterministic pseudo-random generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Sample payload bytes, distinct per sample.
pub fn sample_bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| seed.wrapping_mul(31).wrapping_add(i as u8))
        .collect()
}

/// Finds `needle` in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present")
}
