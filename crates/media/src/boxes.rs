//! Box headers and the generic box tree: every box's type, absolute offset, header size and
//! total size, with children for the container boxes this reader understands. A writer walks
//! this tree to rebuild `moov`/`moof` (strip `sinf`, drop `senc`, fix offsets).

use std::fmt;
use std::ops::Range;

use crate::error::{ErrorKind, MediaError, Result};

/// A four-character code: a box type, brand, handler type or scheme type.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FourCc(pub [u8; 4]);

impl FourCc {
    /// The code from its four bytes.
    pub const fn new(bytes: &[u8; 4]) -> Self {
        Self(*bytes)
    }

    /// The four bytes.
    pub const fn bytes(&self) -> [u8; 4] {
        self.0
    }
}

impl fmt::Display for FourCc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &byte in &self.0 {
            if byte.is_ascii_graphic() || byte == b' ' {
                write!(f, "{}", byte as char)?;
            } else {
                write!(f, "\\x{byte:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for FourCc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FourCc(\"{self}\")")
    }
}

impl From<&[u8; 4]> for FourCc {
    fn from(bytes: &[u8; 4]) -> Self {
        Self(*bytes)
    }
}

/// The user type of the PIFF sample encryption box (`uuid` box standing in for `senc`).
pub const PIFF_SENC_UUID: [u8; 16] = [
    0xa2, 0x39, 0x4f, 0x52, 0x5a, 0x9b, 0x4f, 0x14, 0xa2, 0x44, 0x6c, 0x42, 0x7c, 0x64, 0x8d, 0xf4,
];

/// A parsed box header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxHeader {
    /// The box type.
    pub box_type: FourCc,
    /// The `uuid` box's user type.
    pub user_type: Option<[u8; 16]>,
    /// Header bytes: 8, 16 with a 64-bit `largesize`, plus 16 for a `uuid` user type.
    pub header_size: u8,
    /// The total size including the header; `None` for size 0 ("extends to the end of the file").
    pub size: Option<u64>,
}

/// Parses the header at the start of `bytes` (absolute offset `offset`). `Ok(None)` means more
/// bytes are needed to complete the header.
pub fn parse_header(bytes: &[u8], offset: u64, path: &str) -> Result<Option<BoxHeader>> {
    if bytes.len() < 8 {
        return Ok(None);
    }
    let size32 = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let box_type = FourCc([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let mut header_size = 8usize;
    let size = match size32 {
        0 => None,
        1 => {
            if bytes.len() < 16 {
                return Ok(None);
            }
            header_size = 16;
            let mut large = [0u8; 8];
            large.copy_from_slice(&bytes[8..16]);
            Some(u64::from_be_bytes(large))
        }
        size => Some(u64::from(size)),
    };
    let user_type = if box_type.0 == *b"uuid" {
        if bytes.len() < header_size + 16 {
            return Ok(None);
        }
        let mut user = [0u8; 16];
        user.copy_from_slice(&bytes[header_size..header_size + 16]);
        header_size += 16;
        Some(user)
    } else {
        None
    };
    if let Some(size) = size
        && size < header_size as u64
    {
        return Err(MediaError::malformed(
            child_path(path, box_type, None),
            offset,
            format!("box size {size} is smaller than its {header_size}-byte header"),
        ));
    }
    Ok(Some(BoxHeader {
        box_type,
        user_type,
        header_size: header_size as u8,
        size,
    }))
}

/// One box of the tree, with absolute offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxNode {
    /// The box type.
    pub box_type: FourCc,
    /// The `uuid` box's user type.
    pub user_type: Option<[u8; 16]>,
    /// The absolute offset of the box's first header byte.
    pub offset: u64,
    /// Header bytes (8, 16 or more; see [`BoxHeader::header_size`]).
    pub header_size: u8,
    /// The total size including the header.
    pub size: u64,
    /// Where the child boxes start, for the boxes read as containers (after the fixed fields of
    /// `stsd` and of sample entries); `None` for leaves.
    pub children_offset: Option<u64>,
    /// The child boxes, in file order.
    pub children: Vec<BoxNode>,
}

impl BoxNode {
    /// The absolute offset just past the header.
    pub fn payload_offset(&self) -> u64 {
        self.offset + u64::from(self.header_size)
    }

    /// The absolute offset just past the box.
    pub fn end(&self) -> u64 {
        self.offset + self.size
    }

    /// The absolute byte range of the payload.
    pub fn payload_range(&self) -> Range<u64> {
        self.payload_offset()..self.end()
    }

    /// The absolute byte range of the whole box.
    pub fn range(&self) -> Range<u64> {
        self.offset..self.end()
    }

    /// The first child of type `box_type`.
    pub fn child(&self, box_type: &[u8; 4]) -> Option<&BoxNode> {
        self.children.iter().find(|c| c.box_type.0 == *box_type)
    }

    /// All children of type `box_type`.
    pub fn children_of<'s>(&'s self, box_type: &'s [u8; 4]) -> impl Iterator<Item = &'s BoxNode> {
        self.children
            .iter()
            .filter(move |c| c.box_type.0 == *box_type)
    }

    /// The first box down a `/`-separated path of child types (`"mdia/minf/stbl"`).
    pub fn find(&self, path: &str) -> Option<&BoxNode> {
        let mut node = self;
        for part in path.split('/') {
            let code: [u8; 4] = part.as_bytes().try_into().ok()?;
            node = node.child(&code)?;
        }
        Some(node)
    }

    /// This box's bytes from `buffer`, whose first byte is at absolute offset `buffer_offset`.
    pub fn bytes_in<'b>(&self, buffer: &'b [u8], buffer_offset: u64) -> Option<&'b [u8]> {
        slice_at(buffer, buffer_offset, self.offset, self.size)
    }

    /// This box's payload from `buffer`, whose first byte is at absolute offset `buffer_offset`.
    pub fn payload_in<'b>(&self, buffer: &'b [u8], buffer_offset: u64) -> Option<&'b [u8]> {
        let len = self.size - u64::from(self.header_size);
        slice_at(buffer, buffer_offset, self.payload_offset(), len)
    }
}

/// `len` bytes at absolute `offset` from a buffer that starts at absolute `buffer_offset`.
pub(crate) fn slice_at(buffer: &[u8], buffer_offset: u64, offset: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset.checked_sub(buffer_offset)?).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    buffer.get(start..end)
}

/// Boxes whose index among same-type siblings is part of an error path (`trak[1]`).
const INDEXED: [&[u8; 4]; 5] = [b"trak", b"traf", b"trun", b"pssh", b"sgpd"];

/// The path of a child box: `parent/type`, with `[index]` for repeatable boxes.
pub(crate) fn child_path(parent: &str, box_type: FourCc, index: Option<usize>) -> String {
    let mut path = String::with_capacity(parent.len() + 8);
    if !parent.is_empty() {
        path.push_str(parent);
        path.push('/');
    }
    path.push_str(&box_type.to_string());
    if let Some(index) = index
        && INDEXED.contains(&&box_type.0)
    {
        path.push_str(&format!("[{index}]"));
    }
    path
}

/// Sample entries read as visual (78 fixed bytes before their child boxes).
const VISUAL_ENTRIES: [&[u8; 4]; 14] = [
    b"encv", b"avc1", b"avc2", b"avc3", b"avc4", b"hvc1", b"hev1", b"vp08", b"vp09", b"av01",
    b"dvh1", b"dvhe", b"mp4v", b"dva1",
];

/// Sample entries read as audio (28 fixed bytes, more for QuickTime sound versions 1 and 2).
const AUDIO_ENTRIES: [&[u8; 4]; 10] = [
    b"enca", b"mp4a", b"ac-3", b"ec-3", b"ac-4", b"Opus", b"fLaC", b"alac", b"mha1", b"dtsc",
];

/// Boxes that hold only child boxes.
const CONTAINERS: [&[u8; 4]; 14] = [
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"mvex", b"moof", b"traf", b"sinf", b"schi",
    b"dinf", b"edts", b"mfra", b"rinf",
];

/// Deepest nesting accepted: real files nest about 10 levels; this stops crafted recursion.
const MAX_DEPTH: usize = 24;

/// How many bytes of `payload` precede the child boxes of a box of this type, or `None` for a
/// leaf.
fn children_start(
    box_type: FourCc,
    payload: &[u8],
    path: &str,
    offset: u64,
) -> Result<Option<usize>> {
    let code = &box_type.0;
    let fixed = if CONTAINERS.contains(&code) {
        0
    } else if code == b"stsd" {
        8
    } else if VISUAL_ENTRIES.contains(&code) {
        78
    } else if AUDIO_ENTRIES.contains(&code) {
        // QuickTime sound sample entries reuse the first reserved field as a version.
        let version = payload.get(8..10).map(|v| u16::from_be_bytes([v[0], v[1]]));
        match version {
            Some(1) => 44,
            Some(2) => 64,
            _ => 28,
        }
    } else {
        return Ok(None);
    };
    if payload.len() < fixed {
        return Err(MediaError::malformed(
            path,
            offset,
            format!(
                "'{box_type}' is {} bytes, shorter than its {fixed}-byte fixed part",
                payload.len()
            ),
        ));
    }
    Ok(Some(fixed))
}

/// Reads the tree of one complete box held in `bytes` (which start at absolute `offset`);
/// `path` is the parent's path. A size-0 box takes all of `bytes`.
pub fn read_box(
    bytes: &[u8],
    offset: u64,
    parent_path: &str,
    index: Option<usize>,
) -> Result<BoxNode> {
    let header = parse_header(bytes, offset, parent_path)?.ok_or_else(|| {
        MediaError::new(
            ErrorKind::Truncated,
            parent_path,
            offset,
            format!("{} bytes cannot hold a box header", bytes.len()),
        )
    })?;
    let path = child_path(parent_path, header.box_type, index);
    let size = header.size.unwrap_or(bytes.len() as u64);
    if size > bytes.len() as u64 {
        return Err(MediaError::new(
            ErrorKind::Truncated,
            path,
            offset,
            format!(
                "box size {size} exceeds the {} bytes available",
                bytes.len()
            ),
        ));
    }
    build_node(header, &bytes[..size as usize], offset, &path, 0)
}

/// Reads a sequence of boxes that fills `bytes` (absolute `offset`): a whole file or a whole
/// media segment. A size-0 box extends to the end.
pub fn read_boxes(bytes: &[u8], offset: u64) -> Result<Vec<BoxNode>> {
    read_children(bytes, offset, "", 0, true)
}

fn build_node(
    header: BoxHeader,
    bytes: &[u8],
    offset: u64,
    path: &str,
    depth: usize,
) -> Result<BoxNode> {
    let header_size = usize::from(header.header_size);
    let payload = &bytes[header_size..];
    let payload_offset = offset + header_size as u64;
    let mut node = BoxNode {
        box_type: header.box_type,
        user_type: header.user_type,
        offset,
        header_size: header.header_size,
        size: bytes.len() as u64,
        children_offset: None,
        children: Vec::new(),
    };
    if let Some(fixed) = children_start(header.box_type, payload, path, payload_offset)? {
        if depth >= MAX_DEPTH {
            return Err(MediaError::malformed(
                path,
                offset,
                format!("boxes nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        let children_offset = payload_offset + fixed as u64;
        node.children_offset = Some(children_offset);
        node.children = read_children(&payload[fixed..], children_offset, path, depth + 1, false)?;
    }
    Ok(node)
}

fn read_children(
    bytes: &[u8],
    offset: u64,
    path: &str,
    depth: usize,
    top_level: bool,
) -> Result<Vec<BoxNode>> {
    let mut children = Vec::new();
    let mut counts: Vec<(FourCc, usize)> = Vec::new();
    let mut pos = 0usize;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let at = offset + pos as u64;
        // Some writers end a container with a 32-bit zero terminator; fewer than 8 bytes cannot
        // be a box, so they are tolerated and ignored.
        if rest.len() < 8 && !top_level {
            break;
        }
        let Some(header) = parse_header(rest, at, path)? else {
            return Err(MediaError::new(
                ErrorKind::Truncated,
                path,
                at,
                format!("{} bytes left cannot hold a box header", rest.len()),
            ));
        };
        let index = match counts.iter_mut().find(|(t, _)| *t == header.box_type) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                counts.push((header.box_type, 1));
                0
            }
        };
        let child = child_path(path, header.box_type, Some(index));
        let size = match header.size {
            Some(size) => size,
            None if top_level => rest.len() as u64,
            None => {
                return Err(MediaError::malformed(
                    child,
                    at,
                    "size 0 (to the end of the file) is only allowed for the last top-level box",
                ));
            }
        };
        if size > rest.len() as u64 {
            let reason = format!(
                "box size {size} overruns its parent ({} bytes left)",
                rest.len()
            );
            let kind = if top_level {
                ErrorKind::Truncated
            } else {
                ErrorKind::Malformed
            };
            return Err(MediaError::new(kind, child, at, reason));
        }
        let size = size as usize;
        children.push(build_node(header, &rest[..size], at, &child, depth)?);
        pos += size;
    }
    Ok(children)
}
