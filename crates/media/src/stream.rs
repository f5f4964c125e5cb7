//! The incremental reader: bytes go in as chunks of any size (MSE `appendBuffer` data, file
//! reads); events come out as top-level boxes complete. A cut box is never an error while more
//! input may come — only [`StreamParser::finish`] reports truncation.

use std::sync::Arc;

use crate::boxes::{BoxHeader, BoxNode, child_path, parse_header, read_box};
use crate::error::{ErrorKind, MediaError, Result};
use crate::fragment::{Fragment, read_moof};
use crate::init::{FileType, InitSegment, read_file_type, read_moov};
use crate::limits::Limits;
use crate::sample::{PendingSample, Regions, Sample, resolve};

/// What the reader found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An initialization segment (`moov`, with the `ftyp` before it): tracks and `pssh` boxes.
    Init(Arc<InitSegment>),
    /// A media segment: a `moof` and its `mdat`, or one `mdat` of a progressive file.
    Segment(Box<MediaSegment>),
    /// Another top-level box (`ftyp`, `styp`, `sidx`, `free`, an unclaimed `mdat`, ...). Boxes
    /// too large to buffer are reported from their header alone (no children).
    Box(BoxNode),
}

/// Samples with their bytes and encryption, from one `moof` + `mdat` or one progressive `mdat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaSegment {
    /// The `moof`, or `None` for samples of a progressive file's sample tables.
    pub fragment: Option<Fragment>,
    /// The `mdat` the samples were read from (`None` for a `moof` without samples).
    pub mdat: Option<BoxNode>,
    /// The samples, `traf` by `traf` (track by track for a progressive file), in decode order.
    pub samples: Vec<Sample>,
}

/// The incremental ISO-BMFF reader.
#[derive(Debug)]
pub struct StreamParser {
    limits: Limits,
    /// Unconsumed input; the live bytes are `buffer[start..]`.
    buffer: Vec<u8>,
    start: usize,
    /// The absolute offset of `buffer[start]`.
    position: u64,
    /// Bytes of a skipped (too large, uninteresting) box still to drop.
    skip_remaining: u64,
    file_type: Option<FileType>,
    init: Option<Arc<InitSegment>>,
    /// Progressive samples not yet found in an `mdat`.
    progressive: Vec<PendingSample>,
    /// `mdat` boxes seen before the `moov` of a progressive file.
    stashed: Vec<(BoxNode, Vec<u8>)>,
    /// The last `moof`, waiting for its `mdat`.
    fragment: Option<Fragment>,
    next_decode_times: Vec<(u32, u64)>,
    failed: Option<MediaError>,
    finished: bool,
}

impl Default for StreamParser {
    fn default() -> Self {
        Self::new(Limits::DEFAULT)
    }
}

impl StreamParser {
    /// A reader with the given limits, at stream offset 0.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            buffer: Vec::new(),
            start: 0,
            position: 0,
            skip_remaining: 0,
            file_type: None,
            init: None,
            progressive: Vec::new(),
            stashed: Vec::new(),
            fragment: None,
            next_decode_times: Vec::new(),
            failed: None,
            finished: false,
        }
    }

    /// The latest initialization segment.
    pub fn init(&self) -> Option<&Arc<InitSegment>> {
        self.init.as_ref()
    }

    /// The absolute stream offset of the first byte not yet consumed.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Whether the reader is inside a box and needs more bytes to complete it.
    pub fn needs_more(&self) -> bool {
        self.buffer.len() > self.start || self.skip_remaining > 0
    }

    /// How many input bytes are held back, waiting for the rest of their box.
    pub fn buffered(&self) -> usize {
        self.buffer.len() - self.start
    }

    /// Drops a partially received box and a `moof` still waiting for its `mdat`, keeping the
    /// initialization segment (MSE's "reset parser state"). Offsets keep counting on.
    pub fn reset(&mut self) {
        self.position += (self.buffer.len() - self.start) as u64 + self.skip_remaining;
        self.buffer.clear();
        self.start = 0;
        self.skip_remaining = 0;
        self.fragment = None;
        self.failed = None;
    }

    /// Feeds the next bytes; returns what completed. After an error the reader stays failed.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<Event>> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.finished {
            return Err(MediaError::malformed(
                "",
                self.position,
                "input after the end was declared",
            ));
        }
        let mut chunk = chunk;
        if self.skip_remaining > 0 && self.buffered() == 0 {
            let skipped = self.skip_remaining.min(chunk.len() as u64);
            chunk = &chunk[skipped as usize..];
            self.skip_remaining -= skipped;
            self.position += skipped;
        }
        self.buffer.extend_from_slice(chunk);
        let result = self.process();
        self.record(result)
    }

    /// Declares the end of the input: a size-0 box ends here, a cut box is an error, a `moof`
    /// without `mdat` or progressive samples never found are errors.
    pub fn finish(&mut self) -> Result<Vec<Event>> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        self.finished = true;
        let result = self.process().and_then(|mut events| {
            self.finish_checks(&mut events)?;
            Ok(events)
        });
        self.record(result)
    }

    fn record(&mut self, result: Result<Vec<Event>>) -> Result<Vec<Event>> {
        if let Err(error) = &result {
            self.failed = Some(error.clone());
        }
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        result
    }

    fn finish_checks(&mut self, events: &mut Vec<Event>) -> Result<()> {
        if self.skip_remaining > 0 || self.buffered() > 0 {
            let live = &self.buffer[self.start..];
            let header = parse_header(live, self.position, "").ok().flatten();
            let (path, detail) = match header {
                Some(BoxHeader {
                    box_type,
                    size: Some(size),
                    ..
                }) => (
                    box_type.to_string(),
                    format!("input ends inside a box of {size} bytes"),
                ),
                _ if self.skip_remaining > 0 => (
                    String::new(),
                    format!(
                        "input ends {} bytes before the end of a skipped box",
                        self.skip_remaining
                    ),
                ),
                _ => (
                    String::new(),
                    format!("input ends inside a box header ({} bytes)", live.len()),
                ),
            };
            return Err(MediaError::new(
                ErrorKind::Truncated,
                path,
                self.position,
                detail,
            ));
        }
        self.flush_fragment(events)?;
        if let Some(first) = self.progressive.first() {
            return Err(MediaError::malformed(
                "moov",
                first.layout.offset,
                format!(
                    "{} samples (the first of track {}, {} bytes at {}) lie outside every mdat",
                    self.progressive.len(),
                    first.layout.track_id,
                    first.layout.size,
                    first.layout.offset
                ),
            ));
        }
        for (node, _) in std::mem::take(&mut self.stashed) {
            events.push(Event::Box(node));
        }
        Ok(())
    }

    /// Consumes every complete top-level box in the buffer.
    fn process(&mut self) -> Result<Vec<Event>> {
        let mut events = Vec::new();
        loop {
            if self.skip_remaining > 0 {
                let skipped = self.skip_remaining.min(self.buffered() as u64);
                self.start += skipped as usize;
                self.position += skipped;
                self.skip_remaining -= skipped;
                if self.skip_remaining > 0 {
                    break;
                }
            }
            let live = &self.buffer[self.start..];
            let Some(header) = parse_header(live, self.position, "")? else {
                break;
            };
            let size = match header.size {
                Some(size) => size,
                None if self.finished => live.len() as u64,
                None => {
                    // Size 0 runs to the end of the input: wait for `finish`, within bounds.
                    if live.len() as u64 > self.limits.max_box_size {
                        return Err(self.too_large(&header, live.len() as u64));
                    }
                    break;
                }
            };
            if size > self.limits.max_box_size {
                if matches!(&header.box_type.0, b"moov" | b"moof" | b"mdat") {
                    return Err(self.too_large(&header, size));
                }
                events.push(Event::Box(BoxNode {
                    box_type: header.box_type,
                    user_type: header.user_type,
                    offset: self.position,
                    header_size: header.header_size,
                    size,
                    children_offset: None,
                    children: Vec::new(),
                }));
                self.skip_remaining = size;
                continue;
            }
            if (live.len() as u64) < size {
                break;
            }
            let end = self.start + size as usize;
            let bytes = self.buffer[self.start..end].to_vec();
            let offset = self.position;
            self.start = end;
            self.position += size;
            self.handle_box(bytes, offset, &mut events)?;
        }
        Ok(events)
    }

    fn too_large(&self, header: &BoxHeader, size: u64) -> MediaError {
        MediaError::new(
            ErrorKind::TooLarge,
            child_path("", header.box_type, None),
            self.position,
            format!(
                "box of {size} bytes exceeds the limit of {} bytes",
                self.limits.max_box_size
            ),
        )
    }

    fn handle_box(&mut self, bytes: Vec<u8>, offset: u64, events: &mut Vec<Event>) -> Result<()> {
        let node = read_box(&bytes, offset, "", None)?;
        match &node.box_type.0 {
            b"ftyp" => {
                self.file_type = Some(read_file_type(&node, &bytes, offset)?);
                events.push(Event::Box(node));
            }
            b"moov" => {
                self.flush_fragment(events)?;
                let mut init = read_moov(node, bytes, self.file_type.clone(), &self.limits)?;
                self.progressive = std::mem::take(&mut init.progressive);
                self.next_decode_times.clear();
                let init = Arc::new(init);
                self.init = Some(Arc::clone(&init));
                events.push(Event::Init(init));
                for (mdat, mdat_bytes) in std::mem::take(&mut self.stashed) {
                    self.progressive_mdat(mdat, &mdat_bytes, events)?;
                }
            }
            b"moof" => {
                self.flush_fragment(events)?;
                let Some(init) = self.init.clone() else {
                    return Err(MediaError::malformed(
                        "moof",
                        offset,
                        "media segment before any initialization segment",
                    ));
                };
                let fragment = read_moof(
                    node,
                    bytes,
                    &init,
                    &mut self.next_decode_times,
                    &self.limits,
                )?;
                self.fragment = Some(fragment);
            }
            b"mdat" => {
                if let Some(mut fragment) = self.fragment.take() {
                    let pending = std::mem::take(&mut fragment.pending);
                    let regions = Regions(vec![
                        (fragment.moof.offset, &fragment.moof_bytes[..]),
                        (offset, &bytes[..]),
                    ]);
                    let samples = resolve(pending, &regions, "mdat")?;
                    events.push(Event::Segment(Box::new(MediaSegment {
                        fragment: Some(fragment),
                        mdat: Some(node),
                        samples,
                    })));
                } else if self.init.is_none() {
                    let stashed: u64 = self.stashed.iter().map(|(_, b)| b.len() as u64).sum();
                    if stashed + bytes.len() as u64 > self.limits.max_box_size {
                        return Err(MediaError::new(
                            ErrorKind::TooLarge,
                            "mdat",
                            offset,
                            format!(
                                "mdat boxes before the moov exceed the limit of {} bytes",
                                self.limits.max_box_size
                            ),
                        ));
                    }
                    self.stashed.push((node, bytes));
                } else {
                    self.progressive_mdat(node, &bytes, events)?;
                }
            }
            _ => events.push(Event::Box(node)),
        }
        Ok(())
    }

    /// Emits a `moof` still waiting for its `mdat`: fine if it has no samples, an error if not.
    fn flush_fragment(&mut self, events: &mut Vec<Event>) -> Result<()> {
        let Some(fragment) = self.fragment.take() else {
            return Ok(());
        };
        if !fragment.pending.is_empty() {
            return Err(MediaError::malformed(
                "moof",
                fragment.moof.offset,
                format!(
                    "{} samples but no mdat follows the moof",
                    fragment.pending.len()
                ),
            ));
        }
        events.push(Event::Segment(Box::new(MediaSegment {
            fragment: Some(fragment),
            mdat: None,
            samples: Vec::new(),
        })));
        Ok(())
    }

    /// Emits the progressive samples that lie in this `mdat`.
    fn progressive_mdat(
        &mut self,
        mdat: BoxNode,
        bytes: &[u8],
        events: &mut Vec<Event>,
    ) -> Result<()> {
        let inside = |p: &PendingSample| {
            p.layout.offset >= mdat.payload_offset()
                && p.layout.offset.saturating_add(u64::from(p.layout.size)) <= mdat.end()
        };
        let (here, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.progressive)
            .into_iter()
            .partition(inside);
        self.progressive = rest;
        if here.is_empty() {
            events.push(Event::Box(mdat));
            return Ok(());
        }
        let init = self
            .init
            .as_ref()
            .map(|i| (i.moov.offset, &i.moov_bytes[..]));
        let mut regions = Regions(vec![(mdat.offset, bytes)]);
        regions.0.extend(init);
        let samples = resolve(here, &regions, "mdat")?;
        events.push(Event::Segment(Box::new(MediaSegment {
            fragment: None,
            mdat: Some(mdat),
            samples,
        })));
        Ok(())
    }
}

/// A whole file read at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mp4File {
    /// The initialization segment (the last one, if several).
    pub init: Option<Arc<InitSegment>>,
    /// The media segments in order.
    pub segments: Vec<MediaSegment>,
    /// Every event in order, as [`StreamParser`] produced them.
    pub events: Vec<Event>,
}

impl Mp4File {
    /// All samples of all segments, in segment order.
    pub fn samples(&self) -> impl Iterator<Item = &Sample> {
        self.segments.iter().flat_map(|s| s.samples.iter())
    }
}

/// Reads a whole file (or a whole init + media segment stream) with the default limits.
pub fn parse_file(bytes: &[u8]) -> Result<Mp4File> {
    parse_file_with_limits(bytes, Limits::DEFAULT)
}

/// Reads a whole file with the given limits.
pub fn parse_file_with_limits(bytes: &[u8], limits: Limits) -> Result<Mp4File> {
    let mut parser = StreamParser::new(limits);
    let mut events = parser.push(bytes)?;
    events.extend(parser.finish()?);
    let mut file = Mp4File {
        init: None,
        segments: Vec::new(),
        events: Vec::new(),
    };
    for event in &events {
        match event {
            Event::Init(init) => file.init = Some(Arc::clone(init)),
            Event::Segment(segment) => file.segments.push((**segment).clone()),
            Event::Box(_) => {}
        }
    }
    file.events = events;
    Ok(file)
}
