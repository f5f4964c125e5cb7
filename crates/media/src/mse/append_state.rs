//! Top-level box boundaries of the appended byte stream, tracked ahead of the [`StreamParser`]
//! so that the segment parser loop can (a) feed the parser one box at a time — an error in a
//! later box then cannot discard what earlier boxes of the same append produced, as the
//! spec's loop processes each segment before looking at the next bytes — and (b) report the
//! spec's *append state*, which `SourceBuffer`'s `mode` and `timestampOffset` setters consult.
//!
//! [`StreamParser`]: crate::StreamParser

use crate::boxes::{FourCc, parse_header};

/// The MSE "append state" of a source buffer's segment parser loop.
///
/// <https://w3c.github.io/media-source/#sourcebuffer-append-state>
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppendState {
    /// Waiting for the start of an initialization segment or a media segment.
    WaitingForSegment,
    /// Inside an initialization segment (`ftyp` + `moov`).
    ParsingInitSegment,
    /// Inside a media segment (`moof` + `mdat`).
    ParsingMediaSegment,
}

/// The longest header: 16 bytes with a 64-bit `largesize`, plus a 16-byte `uuid` user type.
const MAX_HEADER: usize = 32;

/// Splits appended bytes at top-level box ends and knows which segment they belong to.
#[derive(Debug, Default)]
pub(crate) struct BoxSplitter {
    /// Header bytes of the next box collected so far.
    header: Vec<u8>,
    /// The box being read and how many of its bytes are still to come (`None`: a size-0 box,
    /// which runs to the end of the stream).
    current: Option<(FourCc, Option<u64>)>,
    /// The segment the bytes belong to, once its first box has begun.
    segment: Option<AppendState>,
    /// Set when a header is invalid: the parser reports the error; nothing is split any more.
    broken: bool,
}

impl BoxSplitter {
    /// The append state after the bytes seen so far.
    pub(crate) fn state(&self) -> AppendState {
        self.segment.unwrap_or(AppendState::WaitingForSegment)
    }

    /// Forgets a partial box: the input buffer was emptied (the reset parser state algorithm).
    pub(crate) fn reset(&mut self) {
        *self = BoxSplitter::default();
    }

    /// Splits `chunk` into pieces that each end where a top-level box ends, except the last,
    /// which may end inside a box.
    pub(crate) fn split<'a>(&mut self, chunk: &'a [u8]) -> Vec<&'a [u8]> {
        let mut pieces = Vec::new();
        let (mut position, mut piece_start) = (0usize, 0usize);
        while position < chunk.len() && !self.broken {
            match &mut self.current {
                Some((box_type, Some(remaining))) => {
                    let available = (chunk.len() - position) as u64;
                    let taken = (*remaining).min(available);
                    position += taken as usize;
                    *remaining -= taken;
                    if *remaining == 0 {
                        let box_type = *box_type;
                        self.box_ended(box_type);
                        pieces.push(&chunk[piece_start..position]);
                        piece_start = position;
                    }
                }
                Some((_, None)) => position = chunk.len(),
                None => {
                    self.header.push(chunk[position]);
                    position += 1;
                    if let Some(ended) = self.header_complete()
                        && ended
                    {
                        pieces.push(&chunk[piece_start..position]);
                        piece_start = position;
                    }
                }
            }
        }
        if piece_start < chunk.len() {
            pieces.push(&chunk[piece_start..]);
        }
        pieces
    }

    /// Tries to read the collected header; `Some(true)` if the box ended with its header.
    fn header_complete(&mut self) -> Option<bool> {
        let header = match parse_header(&self.header, 0, "") {
            Ok(Some(header)) => header,
            Ok(None) if self.header.len() < MAX_HEADER => return None,
            _ => {
                self.broken = true;
                return None;
            }
        };
        self.header.clear();
        let header_size = u64::from(header.header_size);
        self.box_started(header.box_type);
        match header.size {
            None => self.current = Some((header.box_type, None)),
            Some(size) if size < header_size => self.broken = true,
            Some(size) if size == header_size => {
                self.box_ended(header.box_type);
                return Some(true);
            }
            Some(size) => self.current = Some((header.box_type, Some(size - header_size))),
        }
        Some(false)
    }

    fn box_started(&mut self, box_type: FourCc) {
        match &box_type.0 {
            b"ftyp" | b"moov" => self.segment = Some(AppendState::ParsingInitSegment),
            b"styp" | b"moof" | b"mdat" => self.segment = Some(AppendState::ParsingMediaSegment),
            _ => {}
        }
    }

    fn box_ended(&mut self, box_type: FourCc) {
        self.current = None;
        // An initialization segment ends with its `moov`, a media segment with its `mdat`.
        if matches!(&box_type.0, b"moov" | b"mdat") {
            self.segment = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(box_type: &[u8; 4], payload_len: usize) -> Vec<u8> {
        let mut out = ((8 + payload_len) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(box_type);
        out.resize(8 + payload_len, 7);
        out
    }

    #[test]
    fn splits_at_box_ends_in_any_chunking_and_tracks_the_state() {
        let stream: Vec<u8> = [
            bx(b"ftyp", 8),
            bx(b"moov", 20),
            bx(b"moof", 5),
            bx(b"mdat", 9),
        ]
        .concat();
        let ends = [16usize, 44, 57, 74];
        for chunk_size in [1, 3, 7, 16, 100] {
            let mut splitter = BoxSplitter::default();
            let mut fed = 0usize;
            let mut cut_points = Vec::new();
            for chunk in stream.chunks(chunk_size) {
                for piece in splitter.split(chunk) {
                    fed += piece.len();
                    cut_points.push(fed);
                }
                // Until a segment's first box header is complete its kind is unknown.
                let expected = match fed {
                    n if n < 8 => AppendState::WaitingForSegment,
                    n if n < 44 => AppendState::ParsingInitSegment,
                    n if n < 52 => AppendState::WaitingForSegment,
                    n if n < 74 => AppendState::ParsingMediaSegment,
                    _ => AppendState::WaitingForSegment,
                };
                assert_eq!(splitter.state(), expected, "after {fed} bytes");
            }
            for end in ends {
                assert!(cut_points.contains(&end), "{chunk_size}: no cut at {end}");
            }
        }
    }

    #[test]
    fn an_invalid_header_stops_splitting() {
        let mut splitter = BoxSplitter::default();
        let bytes = [0, 0, 0, 3, b'f', b'r', b'e', b'e', 1, 2, 3];
        assert_eq!(splitter.split(&bytes), vec![&bytes[..]]);
        assert_eq!(splitter.split(&[9; 40]).len(), 1);
        splitter.reset();
        assert_eq!(splitter.state(), AppendState::WaitingForSegment);
    }
}
