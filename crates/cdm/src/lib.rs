//! `eme-cdm`: the Content Decryption Module side of Encrypted Media Extensions, with no
//! JavaScript in sight.
//!
//! The EME layer (`crates/eme`) runs the spec's algorithms and calls a [`KeySystem`] to
//! negotiate a configuration and a [`Cdm`] to do the key work of its sessions. This crate
//! provides that contract and the Clear Key implementation ([`ClearKey`]): configuration
//! negotiation ([`config`]), init data ([`init_data`]), the licence formats ([`license`]) and
//! per-session key state.

#![forbid(unsafe_code)]

pub mod base64url;
pub mod clear_key;
pub mod config;
pub mod content_type;
pub mod decrypt;
pub mod error;
pub mod hex;
pub mod init_data;
pub mod key_system;
pub mod license;
pub mod limits;
#[cfg(feature = "test-vectors")]
pub mod test_vectors;
pub mod types;

pub use clear_key::{CLEAR_KEY, ClearKey, ClearKeyCdm};
pub use decrypt::{
    DecryptError, Pattern, SampleCipher, SampleEncryption, Scheme, Subsample, decrypt_sample,
    encrypt_sample,
};
pub use error::{CdmError, ErrorKind};
pub use init_data::sanitize_init_data;
pub use key_system::{
    Cdm, GeneratedRequest, KeySystem, SessionMessage, SessionRemoval, SessionUpdate,
};
pub use types::{
    Configuration, InitDataType, KeyId, KeyStatus, MediaCapability, MessageType, Requirement,
    SessionType,
};
