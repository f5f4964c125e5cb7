//! Initialization data: the key IDs a Clear Key licence request asks for.
//!
//! Implements the "sanitized init data" step of `generateRequest()` for the three formats of
//! the EME Initialization Data Format Registry (`keyids`, `cenc`, `webm`). Init data comes
//! straight from the page or the media, so every length is checked before it is used.
//!
//! Errors follow the spec's split: data that is malformed for its type is a `TypeError`;
//! well-formed data from which Clear Key can use no key ID is a `NotSupportedError`.

use std::collections::HashSet;

use crate::base64url;
use crate::error::CdmError;
use crate::limits::{
    MAX_INIT_DATA_LENGTH, MAX_KEY_ID_LENGTH, MIN_KEY_ID_LENGTH, is_valid_key_id_length,
};
use crate::types::{InitDataType, KeyId};

/// The Common SystemID `1077efec-c0b2-4d02-ace3-3c1e52e2fb4b` of the "cenc" format registry;
/// Clear Key must use the 'pssh' boxes with this ID.
pub const COMMON_SYSTEM_ID: [u8; 16] = [
    0x10, 0x77, 0xef, 0xec, 0xc0, 0xb2, 0x4d, 0x02, 0xac, 0xe3, 0x3c, 0x1e, 0x52, 0xe2, 0xfb, 0x4b,
];

/// Validates `init_data` as `init_data_type` and returns the key IDs a licence request
/// should name: never empty, no duplicates, in the order the data gives them.
pub fn sanitize_init_data(
    init_data_type: InitDataType,
    init_data: &[u8],
) -> Result<Vec<KeyId>, CdmError> {
    if init_data.is_empty() {
        return Err(CdmError::type_error("initData is empty"));
    }
    if init_data.len() > MAX_INIT_DATA_LENGTH {
        return Err(CdmError::type_error(format!(
            "initData is {} bytes, more than the {MAX_INIT_DATA_LENGTH} allowed",
            init_data.len()
        )));
    }
    match init_data_type {
        InitDataType::KeyIds => key_ids_from_keyids(init_data),
        InitDataType::Cenc => key_ids_from_cenc(init_data),
        InitDataType::WebM => key_ids_from_webm(init_data),
    }
}

/// "webm": the whole init data is one key ID (a ContentEncKeyID).
fn key_ids_from_webm(init_data: &[u8]) -> Result<Vec<KeyId>, CdmError> {
    if !is_valid_key_id_length(init_data) {
        return Err(CdmError::type_error(format!(
            "\"webm\" initData is a key ID of {} bytes; it must be {MIN_KEY_ID_LENGTH} to {MAX_KEY_ID_LENGTH} bytes",
            init_data.len()
        )));
    }
    Ok(vec![init_data.to_vec()])
}

/// "keyids": the JSON object `{"kids":["<base64url>", …]}`, UTF-8.
///
/// The registry defines `kids` as "an array of key ID(s)", and the format exists to name the
/// keys a request is for, so an empty array does not follow the format: it is a `TypeError`
/// (as in Firefox), not a valid-but-unusable `NotSupportedError`.
fn key_ids_from_keyids(init_data: &[u8]) -> Result<Vec<KeyId>, CdmError> {
    let json: serde_json::Value = serde_json::from_slice(init_data).map_err(|error| {
        CdmError::type_error(format!(
            "\"keyids\" initData is not valid UTF-8 JSON: {error}"
        ))
    })?;
    let object = json
        .as_object()
        .ok_or_else(|| CdmError::type_error("\"keyids\" initData is not a JSON object"))?;
    let kids = object
        .get("kids")
        .ok_or_else(|| CdmError::type_error("\"keyids\" initData has no \"kids\" member"))?;
    let key_ids = parse_kids(kids)
        .map_err(|message| CdmError::type_error(format!("\"keyids\" initData: {message}")))?;
    Ok(dedup(key_ids))
}

/// Parses a `kids` member (shared by "keyids" init data and the release formats): a
/// non-empty array of base64url key IDs, each 1..=512 bytes. The error is a phrase naming
/// the offending entry, for the caller to put in context.
pub(crate) fn parse_kids(kids: &serde_json::Value) -> Result<Vec<KeyId>, String> {
    let entries = kids
        .as_array()
        .ok_or_else(|| "\"kids\" is not an array".to_owned())?;
    if entries.is_empty() {
        return Err("\"kids\" is empty; it must list at least one key ID".to_owned());
    }
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let text = entry
                .as_str()
                .ok_or_else(|| format!("kids[{index}] is not a string"))?;
            let key_id = base64url::decode(text).map_err(|error| format!("kids[{index}]: {error}"))?;
            if !is_valid_key_id_length(&key_id) {
                return Err(format!(
                    "kids[{index}] is {} bytes; a key ID must be {MIN_KEY_ID_LENGTH} to {MAX_KEY_ID_LENGTH} bytes",
                    key_id.len()
                ));
            }
            Ok(key_id)
        })
        .collect()
}

/// "cenc": one or more concatenated 'pssh' boxes (ISO/IEC 23001-7 §8.1).
///
/// Every box must be a 'pssh' box; boxes of a version or flags this parser does not know
/// are skipped (a newer box must not break older content), but at least one must be
/// understood. Key IDs are taken from every version-1 box with the Common SystemID; boxes
/// for other systems are valid and ignored.
fn key_ids_from_cenc(init_data: &[u8]) -> Result<Vec<KeyId>, CdmError> {
    let mut reader = Reader::new(init_data);
    let mut parsed_boxes = 0usize;
    let mut key_ids = Vec::new();
    while !reader.is_empty() {
        let offset = reader.position();
        let pssh = read_pssh_box(&mut reader).map_err(|message| {
            CdmError::type_error(format!(
                "\"cenc\" initData: box at offset {offset}: {message}"
            ))
        })?;
        let Some(pssh) = pssh else { continue };
        parsed_boxes = parsed_boxes.saturating_add(1);
        if pssh.system_id == COMMON_SYSTEM_ID {
            key_ids.extend(pssh.key_ids);
        }
    }
    if parsed_boxes == 0 {
        return Err(CdmError::type_error(
            "\"cenc\" initData has no 'pssh' box of a supported version (0 or 1, flags 0)",
        ));
    }
    if key_ids.is_empty() {
        return Err(CdmError::not_supported(
            "\"cenc\" initData has no version 1 'pssh' box with the Common SystemID \
             1077efec-c0b2-4d02-ace3-3c1e52e2fb4b and at least one key ID",
        ));
    }
    Ok(dedup(key_ids))
}

/// The parts of a 'pssh' box Clear Key needs.
struct PsshBox {
    system_id: [u8; 16],
    /// Empty for version 0 boxes, which carry no key IDs.
    key_ids: Vec<KeyId>,
}

/// Reads one box from `reader`. `Ok(None)` = a 'pssh' box of an unknown version or flags,
/// skipped; `Err` = not a 'pssh' box, or truncated / inconsistent.
fn read_pssh_box(reader: &mut Reader<'_>) -> Result<Option<PsshBox>, String> {
    let available = reader.remaining();
    let size32 = reader.read_u32().ok_or("truncated box header")?;
    let box_type = reader.read_array::<4>().ok_or("truncated box header")?;
    if &box_type != b"pssh" {
        return Err(format!(
            "box type '{}' is not 'pssh'",
            String::from_utf8_lossy(&box_type)
        ));
    }
    // A size of 1 means a 64-bit size follows the type; 0 means "to the end of the data".
    let (size, header_length) = match size32 {
        1 => (reader.read_u64().ok_or("truncated 64-bit box size")?, 16u64),
        0 => (u64::try_from(available).map_err(|_| "box too large")?, 8u64),
        size => (u64::from(size), 8u64),
    };
    if size < header_length {
        return Err(format!(
            "box size {size} does not cover its {header_length}-byte header"
        ));
    }
    let body_length = usize::try_from(size - header_length)
        .map_err(|_| format!("box size {size} is too large"))?;
    let body = reader
        .take(body_length)
        .ok_or_else(|| format!("box size {size} exceeds the {available} bytes left"))?;

    let mut body = Reader::new(body);
    let version = body.read_u8().ok_or("truncated full box header")?;
    let flags = body.read_array::<3>().ok_or("truncated full box header")?;
    if version > 1 || flags != [0, 0, 0] {
        return Ok(None);
    }
    let system_id = body.read_array::<16>().ok_or("truncated SystemID")?;
    let mut key_ids = Vec::new();
    if version == 1 {
        let count = body.read_u32().ok_or("truncated KID_count")?;
        // Checked: a hostile count must not wrap around to a small length.
        let kids_length = usize::try_from(count)
            .ok()
            .and_then(|count| count.checked_mul(16))
            .ok_or_else(|| format!("KID_count {count} overflows"))?;
        let kids = body
            .take(kids_length)
            .ok_or_else(|| format!("KID_count {count} needs more bytes than the box holds"))?;
        key_ids = kids.chunks_exact(16).map(<[u8]>::to_vec).collect();
    }
    let data_size = body.read_u32().ok_or("truncated DataSize")?;
    // The Common format says to ignore non-zero Data, but it must still be exactly there.
    let data_length =
        usize::try_from(data_size).map_err(|_| format!("DataSize {data_size} is too large"))?;
    if body.remaining() != data_length {
        return Err(format!(
            "DataSize {data_size} does not match the {} bytes left in the box",
            body.remaining()
        ));
    }
    Ok(Some(PsshBox { system_id, key_ids }))
}

/// Drops repeated key IDs, keeping the first occurrence: a request names each key once.
/// (Hashed, because 64 KiB of "keyids" can list over ten thousand IDs.)
fn dedup(key_ids: Vec<KeyId>) -> Vec<KeyId> {
    let mut seen = HashSet::with_capacity(key_ids.len());
    key_ids
        .into_iter()
        .filter(|key_id| seen.insert(key_id.clone()))
        .collect()
}

/// A big-endian cursor over a byte slice whose reads fail instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, position: 0 }
    }

    fn position(&self) -> usize {
        self.position
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.position)
    }

    fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next `length` bytes, or `None` (consuming nothing) if fewer are left.
    fn take(&mut self, length: usize) -> Option<&'a [u8]> {
        let end = self.position.checked_add(length)?;
        let slice = self.bytes.get(self.position..end)?;
        self.position = end;
        Some(slice)
    }

    fn read_array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn read_u8(&mut self) -> Option<u8> {
        self.read_array::<1>().map(|[byte]| byte)
    }

    fn read_u32(&mut self) -> Option<u32> {
        self.read_array().map(u32::from_be_bytes)
    }

    fn read_u64(&mut self) -> Option<u64> {
        self.read_array().map(u64::from_be_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const KID_A: [u8; 16] = *b"0123456789012345";
    const KID_B: [u8; 16] = *b"ABCDEFGHIJKLMNOP";
    const OTHER_SYSTEM_ID: [u8; 16] = [
        0xed, 0xef, 0x8b, 0xa9, 0x79, 0xd6, 0x4a, 0xce, 0xa3, 0xc8, 0x27, 0xdc, 0xd5, 0x1d, 0x21,
        0xed,
    ];

    fn kind(result: Result<Vec<KeyId>, CdmError>) -> ErrorKind {
        result.expect_err("expected an error").kind
    }

    /// A 'pssh' box with a 32-bit size computed from its contents.
    fn pssh(version: u8, system_id: [u8; 16], kids: &[[u8; 16]], data: &[u8]) -> Vec<u8> {
        let mut body = vec![version, 0, 0, 0];
        body.extend_from_slice(&system_id);
        if version == 1 {
            body.extend_from_slice(&u32::try_from(kids.len()).unwrap().to_be_bytes());
            for kid in kids {
                body.extend_from_slice(kid);
            }
        }
        body.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        body.extend_from_slice(data);
        let mut boxed = u32::try_from(body.len() + 8)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        boxed.extend_from_slice(b"pssh");
        boxed.extend_from_slice(&body);
        boxed
    }

    fn common(kids: &[[u8; 16]]) -> Vec<u8> {
        pssh(1, COMMON_SYSTEM_ID, kids, &[])
    }

    // ---- shared limits

    #[test]
    fn empty_init_data_is_a_type_error() {
        for init_data_type in InitDataType::ALL {
            assert_eq!(
                kind(sanitize_init_data(*init_data_type, &[])),
                ErrorKind::TypeError
            );
        }
    }

    #[test]
    fn init_data_of_65536_bytes_is_accepted_and_65537_rejected() {
        // keyids padded with JSON whitespace to exactly the limit.
        let json = br#"{"kids":["MDEyMzQ1Njc4OTAxMjM0NQ"]}"#;
        let mut padded = json.to_vec();
        padded.resize(MAX_INIT_DATA_LENGTH, b' ');
        assert_eq!(
            sanitize_init_data(InitDataType::KeyIds, &padded).unwrap(),
            vec![KID_A.to_vec()]
        );
        padded.push(b' ');
        assert_eq!(
            kind(sanitize_init_data(InitDataType::KeyIds, &padded)),
            ErrorKind::TypeError
        );

        // cenc: a Common box whose (ignored) Data fills it to exactly the limit.
        let overhead = common(&[KID_A]).len();
        let exact = pssh(
            1,
            COMMON_SYSTEM_ID,
            &[KID_A],
            &vec![0; MAX_INIT_DATA_LENGTH - overhead],
        );
        assert_eq!(exact.len(), MAX_INIT_DATA_LENGTH);
        assert_eq!(
            sanitize_init_data(InitDataType::Cenc, &exact).unwrap(),
            vec![KID_A.to_vec()]
        );
        let over = pssh(
            1,
            COMMON_SYSTEM_ID,
            &[KID_A],
            &vec![0; MAX_INIT_DATA_LENGTH - overhead + 1],
        );
        assert_eq!(
            kind(sanitize_init_data(InitDataType::Cenc, &over)),
            ErrorKind::TypeError
        );
    }

    // ---- webm

    #[test]
    fn webm_is_one_key_id_of_1_to_512_bytes() {
        assert_eq!(
            sanitize_init_data(InitDataType::WebM, &[7]).unwrap(),
            vec![vec![7]]
        );
        let max = vec![9; 512];
        assert_eq!(
            sanitize_init_data(InitDataType::WebM, &max).unwrap(),
            vec![max.clone()]
        );
        assert_eq!(
            kind(sanitize_init_data(InitDataType::WebM, &[9; 513])),
            ErrorKind::TypeError
        );
    }

    // ---- keyids

    fn keyids(json: &str) -> Result<Vec<KeyId>, CdmError> {
        sanitize_init_data(InitDataType::KeyIds, json.as_bytes())
    }

    #[test]
    fn keyids_returns_decoded_ids_in_order() {
        let ids =
            keyids(r#"{"kids":["MDEyMzQ1Njc4OTAxMjM0NQ","QUJDREVGR0hJSktMTU5PUA"]}"#).unwrap();
        assert_eq!(ids, vec![KID_A.to_vec(), KID_B.to_vec()]);
    }

    #[test]
    fn keyids_ignores_extra_members_and_whitespace() {
        let ids =
            keyids(" {\n \"type\": \"temporary\", \"kids\" : [ \"AQ\" ], \"x\": {\"y\": [1]} }\n")
                .unwrap();
        assert_eq!(ids, vec![vec![1]]);
    }

    #[test]
    fn keyids_drops_duplicates_keeping_first_position() {
        let ids = keyids(r#"{"kids":["Ag","AQ","Ag"]}"#).unwrap();
        assert_eq!(ids, vec![vec![2], vec![1]]);
    }

    #[test]
    fn keyids_malformed_is_a_type_error() {
        for json in [
            "not json",
            "[]",
            r#"["AQ"]"#,
            "\"AQ\"",
            "{}",
            r#"{"kid":["AQ"]}"#,
            r#"{"kids":"AQ"}"#,
            r#"{"kids":null}"#,
            r#"{"kids":[1]}"#,
            r#"{"kids":[null]}"#,
            r#"{"kids":[["AQ"]]}"#,
            r#"{"kids":["AQ", 2]}"#,
            r#"{"kids":["AQ=="]}"#,
            r#"{"kids":["+w"]}"#,
            r#"{"kids":["/w"]}"#,
            r#"{"kids":["A"]}"#,
            r#"{"kids":["AQ"]"#,
            r#"{"kids":["AQ"]} trailing"#,
        ] {
            assert_eq!(kind(keyids(json)), ErrorKind::TypeError, "{json}");
        }
    }

    #[test]
    fn keyids_empty_array_is_a_type_error() {
        let error = keyids(r#"{"kids":[]}"#).unwrap_err();
        assert_eq!(error.kind, ErrorKind::TypeError);
        assert!(error.message.contains("empty"), "{}", error.message);
    }

    #[test]
    fn keyids_deep_nesting_and_many_ids_are_handled() {
        // Nesting beyond the JSON parser's depth limit fails cleanly (no stack overflow).
        let deep = format!("{{\"kids\":{}{}}}", "[".repeat(30000), "]".repeat(30000));
        assert_eq!(kind(keyids(&deep)), ErrorKind::TypeError);
        // The most IDs that fit in 64 KiB, all duplicates of two: quick, and deduplicated.
        let many = format!("{{\"kids\":[{}\"AQ\"]}}", "\"AA\",".repeat(13000));
        assert!(many.len() <= MAX_INIT_DATA_LENGTH);
        assert_eq!(keyids(&many).unwrap(), vec![vec![0], vec![1]]);
    }

    #[test]
    fn keyids_invalid_utf8_is_a_type_error() {
        let bytes = b"{\"kids\":[\"AQ\"],\"x\":\"\xff\"}";
        assert_eq!(
            kind(sanitize_init_data(InitDataType::KeyIds, bytes)),
            ErrorKind::TypeError
        );
    }

    #[test]
    fn keyids_key_id_length_edges() {
        assert_eq!(kind(keyids(r#"{"kids":[""]}"#)), ErrorKind::TypeError);
        assert_eq!(keyids(r#"{"kids":["AA"]}"#).unwrap(), vec![vec![0]]);
        let max = base64url::encode(&[5; 512]);
        assert_eq!(
            keyids(&format!(r#"{{"kids":["{max}"]}}"#)).unwrap(),
            vec![vec![5; 512]]
        );
        let over = base64url::encode(&[5; 513]);
        assert_eq!(
            kind(keyids(&format!(r#"{{"kids":["{over}"]}}"#))),
            ErrorKind::TypeError
        );
    }

    // ---- cenc

    fn cenc(bytes: &[u8]) -> Result<Vec<KeyId>, CdmError> {
        sanitize_init_data(InitDataType::Cenc, bytes)
    }

    #[test]
    fn cenc_spec_example() {
        // The two-key example of the "cenc" format registry, byte for byte. Its header
        // declares 0x4c = 76 bytes but the box holds only 68 (8 + 4 + 16 + 4 + 2×16 + 4), so
        // as published it is truncated and must be rejected like any other.
        let mut example = vec![
            0x00, 0x00, 0x00, 0x4c, 0x70, 0x73, 0x73, 0x68, 0x01, 0x00, 0x00, 0x00, 0x10, 0x77,
            0xef, 0xec, 0xc0, 0xb2, 0x4d, 0x02, 0xac, 0xe3, 0x3c, 0x1e, 0x52, 0xe2, 0xfb, 0x4b,
            0x00, 0x00, 0x00, 0x02, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
            0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
            0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x00, 0x00, 0x00, 0x00,
        ];
        assert_eq!(example.len(), 68);
        let error = cenc(&example).unwrap_err();
        assert_eq!(error.kind, ErrorKind::TypeError);
        assert!(
            error.message.contains("box size 76 exceeds"),
            "{}",
            error.message
        );

        // With the size corrected it is exactly what this module's builder makes.
        example[3] = 68;
        assert_eq!(example, common(&[KID_A, KID_B]));
        assert_eq!(
            cenc(&example).unwrap(),
            vec![KID_A.to_vec(), KID_B.to_vec()]
        );
    }

    #[test]
    fn cenc_collects_every_common_box_deduplicated() {
        let mut data = common(&[KID_A]);
        data.extend(pssh(1, OTHER_SYSTEM_ID, &[[0xee; 16]], &[1, 2, 3]));
        data.extend(common(&[KID_B, KID_A]));
        assert_eq!(cenc(&data).unwrap(), vec![KID_A.to_vec(), KID_B.to_vec()]);
    }

    #[test]
    fn cenc_ignores_data_in_the_common_box() {
        assert_eq!(
            cenc(&pssh(1, COMMON_SYSTEM_ID, &[KID_A], b"future")).unwrap(),
            vec![KID_A.to_vec()]
        );
    }

    #[test]
    fn cenc_other_system_only_is_not_supported() {
        assert_eq!(
            kind(cenc(&pssh(1, OTHER_SYSTEM_ID, &[KID_A], &[]))),
            ErrorKind::NotSupportedError
        );
        assert_eq!(
            kind(cenc(&pssh(0, OTHER_SYSTEM_ID, &[], b"drm"))),
            ErrorKind::NotSupportedError
        );
    }

    #[test]
    fn cenc_version_0_common_box_is_not_supported() {
        // Valid, but a version 0 box carries no key IDs.
        assert_eq!(
            kind(cenc(&pssh(0, COMMON_SYSTEM_ID, &[], &[]))),
            ErrorKind::NotSupportedError
        );
    }

    #[test]
    fn cenc_common_box_without_kids_is_not_supported() {
        assert_eq!(kind(cenc(&common(&[]))), ErrorKind::NotSupportedError);
    }

    #[test]
    fn cenc_unknown_versions_and_flags_are_skipped() {
        // A version 2 box (any layout) next to a Common box: skipped, not an error.
        let mut future = pssh(1, COMMON_SYSTEM_ID, &[KID_B], &[]);
        future[8] = 2;
        let mut data = future.clone();
        data.extend(common(&[KID_A]));
        assert_eq!(cenc(&data).unwrap(), vec![KID_A.to_vec()]);

        let mut flagged = common(&[KID_B]);
        flagged[11] = 1;
        let mut data = flagged.clone();
        data.extend(common(&[KID_A]));
        assert_eq!(cenc(&data).unwrap(), vec![KID_A.to_vec()]);

        // Only skipped boxes: nothing was understood.
        assert_eq!(kind(cenc(&future)), ErrorKind::TypeError);
        assert_eq!(kind(cenc(&flagged)), ErrorKind::TypeError);
    }

    #[test]
    fn cenc_non_pssh_box_is_a_type_error() {
        let mut data = common(&[KID_A]);
        data.extend_from_slice(&[0, 0, 0, 8]);
        data.extend_from_slice(b"free");
        assert_eq!(kind(cenc(&data)), ErrorKind::TypeError);
        let mut moov = common(&[KID_A]);
        moov[4..8].copy_from_slice(b"moov");
        assert_eq!(kind(cenc(&moov)), ErrorKind::TypeError);
    }

    #[test]
    fn cenc_size_0_extends_to_the_end() {
        let mut data = common(&[KID_A]);
        data[0..4].copy_from_slice(&[0, 0, 0, 0]);
        assert_eq!(cenc(&data).unwrap(), vec![KID_A.to_vec()]);
        // A size-0 box after another box still covers only what is left.
        let mut two = common(&[KID_B]);
        two.extend(data);
        assert_eq!(cenc(&two).unwrap(), vec![KID_B.to_vec(), KID_A.to_vec()]);
    }

    #[test]
    fn cenc_size_1_uses_the_64_bit_largesize() {
        let plain = common(&[KID_A]);
        let mut large = vec![0, 0, 0, 1];
        large.extend_from_slice(b"pssh");
        large.extend_from_slice(&(u64::try_from(plain.len()).unwrap() + 8).to_be_bytes());
        large.extend_from_slice(&plain[8..]);
        assert_eq!(cenc(&large).unwrap(), vec![KID_A.to_vec()]);

        // largesize smaller than its own 16-byte header.
        let mut tiny = large.clone();
        tiny[8..16].copy_from_slice(&15u64.to_be_bytes());
        assert_eq!(kind(cenc(&tiny)), ErrorKind::TypeError);
        // largesize far beyond the data (and beyond usize on 32-bit targets).
        let mut huge = large.clone();
        huge[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(kind(cenc(&huge)), ErrorKind::TypeError);
        // largesize itself truncated.
        assert_eq!(kind(cenc(&large[..12])), ErrorKind::TypeError);
    }

    #[test]
    fn cenc_size_must_cover_the_header_and_fit() {
        let good = common(&[KID_A]);
        for size in [2u32, 7] {
            let mut data = good.clone();
            data[0..4].copy_from_slice(&size.to_be_bytes());
            assert_eq!(kind(cenc(&data)), ErrorKind::TypeError, "size {size}");
        }
        let mut too_big = good.clone();
        too_big[0..4].copy_from_slice(&(u32::try_from(good.len()).unwrap() + 1).to_be_bytes());
        assert_eq!(kind(cenc(&too_big)), ErrorKind::TypeError);
        let mut max = good.clone();
        max[0..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(kind(cenc(&max)), ErrorKind::TypeError);
    }

    #[test]
    fn cenc_every_truncation_is_a_type_error() {
        // Cut the box short at every length, fixing up the declared size so the box is
        // internally consistent with the bytes that exist: each must fail cleanly.
        let good = common(&[KID_A, KID_B]);
        for length in 1..good.len() {
            let truncated = &good[..length];
            assert_eq!(
                kind(cenc(truncated)),
                ErrorKind::TypeError,
                "raw cut at {length}"
            );
            if length >= 8 {
                let mut resized = truncated.to_vec();
                resized[0..4].copy_from_slice(&u32::try_from(length).unwrap().to_be_bytes());
                assert_eq!(
                    kind(cenc(&resized)),
                    ErrorKind::TypeError,
                    "resized to {length}"
                );
            }
        }
        // Trailing bytes after a complete box are a truncated second box.
        let mut trailing = good.clone();
        trailing.extend_from_slice(&[0, 0, 0]);
        assert_eq!(kind(cenc(&trailing)), ErrorKind::TypeError);
    }

    #[test]
    fn cenc_overflowing_kid_count_is_a_type_error() {
        for count in [u32::MAX, u32::MAX / 16 + 1, 0x1000_0000, 3] {
            let mut data = common(&[KID_A, KID_B]);
            data[28..32].copy_from_slice(&count.to_be_bytes());
            assert_eq!(kind(cenc(&data)), ErrorKind::TypeError, "KID_count {count}");
        }
        // A count too small leaves KID bytes where DataSize should be.
        let mut data = common(&[KID_A, KID_B]);
        data[28..32].copy_from_slice(&1u32.to_be_bytes());
        assert_eq!(kind(cenc(&data)), ErrorKind::TypeError);
    }

    #[test]
    fn cenc_data_size_must_fill_the_box_exactly() {
        let mut data = pssh(1, COMMON_SYSTEM_ID, &[KID_A], b"abcd");
        let at = data.len() - 8;
        for wrong in [0u32, 3, 5, u32::MAX] {
            data[at..at + 4].copy_from_slice(&wrong.to_be_bytes());
            assert_eq!(kind(cenc(&data)), ErrorKind::TypeError, "DataSize {wrong}");
        }
        let mut v0 = pssh(0, OTHER_SYSTEM_ID, &[], b"abcd");
        let at = v0.len() - 8;
        v0[at..at + 4].copy_from_slice(&9u32.to_be_bytes());
        assert_eq!(kind(cenc(&v0)), ErrorKind::TypeError);
    }

    #[test]
    fn cenc_never_panics_on_mutated_boxes() {
        // Every byte of a two-box input replaced by a few telling values (0, 1, 0x7f, 0xff):
        // any result is fine as long as it is a result.
        let mut valid = common(&[KID_A, KID_B]);
        valid.extend(pssh(0, OTHER_SYSTEM_ID, &[], b"xyz"));
        for position in 0..valid.len() {
            for value in [0x00, 0x01, 0x7f, 0xff] {
                let mut mutated = valid.clone();
                mutated[position] = value;
                let _ = cenc(&mutated);
            }
        }
        // And some pseudo-random garbage that starts like a box.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = usize::try_from(state % 96).unwrap();
            let mut bytes: Vec<u8> = (0..length).map(|i| (state >> (i % 56)) as u8).collect();
            if bytes.len() >= 8 {
                bytes[4..8].copy_from_slice(b"pssh");
            }
            let _ = cenc(&bytes);
        }
    }

    #[test]
    fn cenc_error_messages_say_where() {
        let mut data = common(&[KID_A]);
        let first = data.len();
        data.extend_from_slice(&[0, 0, 0, 8]);
        data.extend_from_slice(b"free");
        let error = cenc(&data).unwrap_err();
        assert!(
            error.message.contains(&format!("offset {first}")),
            "{}",
            error.message
        );
        assert!(error.message.contains("'free'"), "{}", error.message);
    }
}
