//! base64url without padding (RFC 7515 §2 / RFC 4648 §5), the only encoding the Clear Key
//! formats use for key IDs and keys.
//!
//! Decoding is strict on purpose, like Chromium: no `=` padding, no `+` or `/`, and no
//! non-zero trailing bits. Accepting near-misses would let content work here that fails in
//! a browser.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a string is not canonical unpadded base64url.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The text contains `=`: padding, usually from a standard base64 encoder.
    #[error("'=' padding is not allowed in base64url")]
    Padding,
    /// This character is outside the URL-safe alphabet (`A-Z a-z 0-9 - _`), e.g. standard
    /// base64's `+` or `/`, or whitespace.
    #[error("'{0}' is not in the base64url alphabet")]
    InvalidCharacter(char),
    /// The length leaves one character over (length mod 4 = 1), which encodes no whole byte.
    #[error("invalid base64url length")]
    InvalidLength,
    /// The last character sets bits past the final byte, so the text is a non-canonical
    /// spelling of some byte string (`Zh` for `Zg`).
    #[error("base64url has non-zero trailing bits")]
    TrailingBits,
}

/// Encodes `bytes` as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded, canonical base64url.
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    // Reported before anything else so the message names the usual mistake (a standard
    // base64 encoder's padding) rather than a generic length or byte error.
    if text.contains('=') {
        return Err(DecodeError::Padding);
    }
    URL_SAFE_NO_PAD.decode(text).map_err(|error| match error {
        base64::DecodeError::InvalidByte(_, byte) => {
            DecodeError::InvalidCharacter(char::from(byte))
        }
        base64::DecodeError::InvalidLength(_) => DecodeError::InvalidLength,
        base64::DecodeError::InvalidLastSymbol(_, _) => DecodeError::TrailingBits,
        base64::DecodeError::InvalidPadding => DecodeError::Padding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_without_padding_in_the_url_alphabet() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg");
        assert_eq!(encode(b"fo"), "Zm8");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        // The spec's example key ID.
        assert_eq!(encode(b"0123456789012345"), "MDEyMzQ1Njc4OTAxMjM0NQ");
    }

    #[test]
    fn decodes_canonical_input() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("Zg").unwrap(), b"f");
        assert_eq!(decode("Zm8").unwrap(), b"fo");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn rejects_padding() {
        assert_eq!(decode("Zg=="), Err(DecodeError::Padding));
        assert_eq!(decode("Zm8="), Err(DecodeError::Padding));
        assert_eq!(decode("="), Err(DecodeError::Padding));
    }

    #[test]
    fn rejects_the_standard_alphabet() {
        assert_eq!(decode("+_8"), Err(DecodeError::InvalidCharacter('+')));
        assert_eq!(decode("-/8"), Err(DecodeError::InvalidCharacter('/')));
        assert_eq!(decode("Zm 9v"), Err(DecodeError::InvalidCharacter(' ')));
    }

    #[test]
    fn rejects_impossible_lengths_and_trailing_bits() {
        assert_eq!(decode("Z"), Err(DecodeError::InvalidLength));
        assert_eq!(decode("Zm9vY"), Err(DecodeError::InvalidLength));
        // "Zh" decodes to the same byte as "Zg" but with a non-zero unused bit.
        assert_eq!(decode("Zh"), Err(DecodeError::TrailingBits));
    }

    #[test]
    fn round_trips_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        for end in 0..bytes.len() {
            let slice = &bytes[..end];
            assert_eq!(decode(&encode(slice)).unwrap(), slice);
        }
    }
}
