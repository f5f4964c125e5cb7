//! Size limits on untrusted input.
//!
//! The spec only asks for "reasonable" sizes; these are Chromium's (`media/base/limits.h`)
//! so content that works there works here and nothing larger is ever parsed.

/// Largest accepted `initData` for `generateRequest()`, in bytes (65536 ok, 65537 rejected).
pub const MAX_INIT_DATA_LENGTH: usize = 65536;

/// Largest accepted `response` for `update()`, in bytes.
pub const MAX_SESSION_RESPONSE_LENGTH: usize = 65536;

/// Shortest valid key ID: an empty ID cannot name a key.
pub const MIN_KEY_ID_LENGTH: usize = 1;

/// Longest valid key ID.
pub const MAX_KEY_ID_LENGTH: usize = 512;

/// Length of an AES-128 content key, the only key size Clear Key uses.
pub const KEY_LENGTH: usize = 16;

/// Whether `key_id` has a length a key ID may have.
pub fn is_valid_key_id_length(key_id: &[u8]) -> bool {
    (MIN_KEY_ID_LENGTH..=MAX_KEY_ID_LENGTH).contains(&key_id.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_length_edges() {
        assert!(!is_valid_key_id_length(&[]));
        assert!(is_valid_key_id_length(&[0; 1]));
        assert!(is_valid_key_id_length(&[0; 512]));
        assert!(!is_valid_key_id_length(&[0; 513]));
    }
}
