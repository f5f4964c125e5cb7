//! Hex for key IDs and keys, as tools print and take them (`mp4decrypt --key`, `eme decrypt`).

use std::fmt::Write as _;

/// Lower-case hex digits of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
            // Writing to a String cannot fail.
            let _ = write!(out, "{byte:02x}");
            out
        })
}

/// Exactly `2 × N` hex digits (either case) as bytes; `None` for anything else.
pub fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits = text.as_bytes();
    if digits.len() != 2 * N {
        return None;
    }
    let mut out = [0; N];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let high = char::from(pair[0]).to_digit(16)?;
        let low = char::from(pair[1]).to_digit(16)?;
        *byte = (high * 16 + low) as u8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_what_is_not_hex() {
        assert_eq!(encode(&[0x00, 0xab, 0x7f]), "00ab7f");
        assert_eq!(decode::<3>("00AB7f"), Some([0x00, 0xab, 0x7f]));
        assert_eq!(decode::<3>("00ab7"), None);
        assert_eq!(decode::<3>("00ab7fff"), None);
        assert_eq!(decode::<2>("0g00"), None);
        assert_eq!(decode::<2>("+1ff"), None);
    }
}
