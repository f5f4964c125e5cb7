//! A bounds-checked big-endian cursor over one box's payload. Every read names what it reads,
//! so a short box yields an error with the box path and the absolute offset.

use crate::error::{ErrorKind, MediaError, Result};

/// Reads fields from a byte slice whose first byte sits at absolute offset `start`.
pub(crate) struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    start: u64,
    path: &'a str,
}

impl<'a> Cursor<'a> {
    /// A cursor over `data`, which starts at absolute offset `start`, inside box `path`.
    pub(crate) fn new(data: &'a [u8], start: u64, path: &'a str) -> Self {
        Self {
            data,
            pos: 0,
            start,
            path,
        }
    }

    /// The absolute offset of the next byte.
    pub(crate) fn offset(&self) -> u64 {
        self.start + self.pos as u64
    }

    /// How many bytes are left.
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// The path of the box being read.
    pub(crate) fn path(&self) -> &'a str {
        self.path
    }

    /// A malformed-box error at absolute `offset`.
    pub(crate) fn error_at(&self, offset: u64, reason: impl Into<String>) -> MediaError {
        MediaError::malformed(self.path, offset, reason)
    }

    /// A malformed-box error at the current offset.
    pub(crate) fn error(&self, reason: impl Into<String>) -> MediaError {
        MediaError::malformed(self.path, self.offset(), reason)
    }

    /// An error of `kind` at the current offset.
    pub(crate) fn error_kind(&self, kind: ErrorKind, reason: impl Into<String>) -> MediaError {
        MediaError::new(kind, self.path, self.offset(), reason)
    }

    /// The next `len` bytes.
    pub(crate) fn bytes(&mut self, len: usize, what: &str) -> Result<&'a [u8]> {
        if len > self.remaining() {
            return Err(self.error(format!(
                "box ends inside {what}: needs {len} bytes, {} left",
                self.remaining()
            )));
        }
        let slice = &self.data[self.pos..self.pos + len];
        self.pos += len;
        Ok(slice)
    }

    /// Skips `len` bytes.
    pub(crate) fn skip(&mut self, len: usize, what: &str) -> Result<()> {
        self.bytes(len, what).map(|_| ())
    }

    /// A fixed-size array.
    pub(crate) fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N, what)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.array::<1>(what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &str) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u24(&mut self, what: &str) -> Result<u32> {
        let [a, b, c] = self.array(what)?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn i32(&mut self, what: &str) -> Result<i32> {
        Ok(i32::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u64(&mut self, what: &str) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array(what)?))
    }

    /// A 32-bit field in version 0 and a 64-bit one in version 1 (mvhd, mdhd, tfdt...).
    pub(crate) fn u32_or_u64(&mut self, version: u8, what: &str) -> Result<u64> {
        if version == 0 {
            self.u32(what).map(u64::from)
        } else {
            self.u64(what)
        }
    }

    /// The FullBox version and flags.
    pub(crate) fn full_box(&mut self) -> Result<(u8, u32)> {
        let version = self.u8("version")?;
        let flags = self.u24("flags")?;
        Ok((version, flags))
    }

    /// Checks that `count` entries of at least `entry_size` bytes fit in what is left, before
    /// anything is reserved for them: a corrupt count fails here instead of allocating.
    pub(crate) fn check_count(&self, count: u64, entry_size: usize, what: &str) -> Result<usize> {
        let needed = count.checked_mul(entry_size as u64);
        match needed {
            Some(needed) if needed <= self.remaining() as u64 => Ok(count as usize),
            _ => Err(self.error(format!(
                "{count} {what} of {entry_size} bytes do not fit in the {} bytes left",
                self.remaining()
            ))),
        }
    }
}
