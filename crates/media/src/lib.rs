//! `eme-media`: media without JavaScript — the ISO-BMFF reader for Common Encryption.

#![forbid(unsafe_code)]
