//! The Clear Key message formats (EME §9.1.3–9.1.6): licence request, licence (a JSON Web Key
//! Set), licence release, and release acknowledgement.
//!
//! Messages this CDM writes are byte-identical to Chromium's and Firefox's, so servers and
//! test fixtures written against a browser see the same bytes. Responses it reads are
//! checked strictly, like Chromium, plus the session-type check Chromium skips.

use crate::base64url;
use crate::error::CdmError;
use crate::init_data::parse_kids;
use crate::limits::{
    KEY_LENGTH, MAX_KEY_ID_LENGTH, MAX_SESSION_RESPONSE_LENGTH, MIN_KEY_ID_LENGTH,
    is_valid_key_id_length,
};
use crate::types::{KeyId, SessionType};

/// The licence request message (type `license-request`):
/// `{"kids":["<base64url>",…],"type":"<session type>"}`, no whitespace.
pub fn license_request(key_ids: &[KeyId], session_type: SessionType) -> Vec<u8> {
    format!(
        "{{\"kids\":{},\"type\":\"{}\"}}",
        kids_array(key_ids),
        session_type.as_str()
    )
    .into_bytes()
}

/// The licence release message (type `license-release`) reflecting a persistent-license
/// session's record of licence destruction: `{"kids":["<base64url>",…]}`.
pub fn license_release(key_ids: &[KeyId]) -> Vec<u8> {
    format!("{{\"kids\":{}}}", kids_array(key_ids)).into_bytes()
}

/// `["<base64url>",…]`. base64url output never needs JSON escaping.
fn kids_array(key_ids: &[KeyId]) -> String {
    let quoted: Vec<String> = key_ids
        .iter()
        .map(|key_id| format!("\"{}\"", base64url::encode(key_id)))
        .collect();
    format!("[{}]", quoted.join(","))
}

/// A parsed `update()` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// An object with `keys`: a licence whose keys the session installs.
    License(License),
    /// `{"kids":[…]}` with no `keys`: only meaningful for persistent-license sessions.
    ReleaseAcknowledgement {
        /// The `kids` member: the key IDs whose release the server acknowledges.
        key_ids: Vec<KeyId>,
    },
}

/// A JWK Set licence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    /// Key ID and content key of each JWK, in the set's order (a later JWK for the same key
    /// ID replaces an earlier one when installed).
    pub keys: Vec<(KeyId, [u8; KEY_LENGTH])>,
    /// The `type` member, `None` when absent.
    pub session_type: Option<SessionType>,
}

impl License {
    /// The licence's session type: the spec says an absent `type` means "temporary".
    pub fn effective_session_type(&self) -> SessionType {
        self.session_type.unwrap_or(SessionType::Temporary)
    }

    /// `update()`'s check that the licence is for this kind of session (a temporary session
    /// must not receive a licence to store, nor a persistent one a licence it cannot store).
    pub fn check_session_type(&self, session_type: SessionType) -> Result<(), CdmError> {
        let licensed = self.effective_session_type();
        if licensed != session_type {
            return Err(CdmError::type_error(format!(
                "the licence is for a \"{licensed}\" session but this session is \"{session_type}\""
            )));
        }
        Ok(())
    }
}

/// Parses an `update()` response: a JWK Set licence, or a release acknowledgement.
pub fn parse_response(response: &[u8]) -> Result<Response, CdmError> {
    if response.is_empty() {
        return Err(CdmError::type_error("the response is empty"));
    }
    if response.len() > MAX_SESSION_RESPONSE_LENGTH {
        return Err(CdmError::type_error(format!(
            "the response is {} bytes, more than the {MAX_SESSION_RESPONSE_LENGTH} allowed",
            response.len()
        )));
    }
    // Every valid licence is ASCII (JSON punctuation and base64url); rejecting other bytes
    // up front matches Chromium and keeps odd encodings out of the JSON parser.
    if let Some(position) = response.iter().position(|byte| !byte.is_ascii()) {
        return Err(CdmError::type_error(format!(
            "the response has a non-ASCII byte at offset {position}"
        )));
    }
    let json: serde_json::Value = serde_json::from_slice(response).map_err(|error| {
        CdmError::type_error(format!("the response is not valid JSON: {error}"))
    })?;
    let object = json
        .as_object()
        .ok_or_else(|| CdmError::type_error("the response is not a JSON object"))?;

    if let Some(keys) = object.get("keys") {
        let session_type = match object.get("type") {
            None => None,
            Some(value) => Some(value.as_str().and_then(SessionType::parse).ok_or_else(|| {
                CdmError::type_error(format!(
                    "licence \"type\" {value} is not a MediaKeySessionType"
                ))
            })?),
        };
        let keys = parse_keys(keys)?;
        return Ok(Response::License(License { keys, session_type }));
    }
    if let Some(kids) = object.get("kids") {
        let key_ids = parse_kids(kids).map_err(|message| {
            CdmError::type_error(format!("release acknowledgement: {message}"))
        })?;
        return Ok(Response::ReleaseAcknowledgement { key_ids });
    }
    Err(CdmError::type_error(
        "the response has neither \"keys\" (a licence) nor \"kids\" (a release acknowledgement)",
    ))
}

/// The JWK Set's `keys`: a non-empty array of symmetric ("oct") JWKs.
fn parse_keys(keys: &serde_json::Value) -> Result<Vec<(KeyId, [u8; KEY_LENGTH])>, CdmError> {
    let entries = keys
        .as_array()
        .ok_or_else(|| CdmError::type_error("licence \"keys\" is not an array"))?;
    if entries.is_empty() {
        return Err(CdmError::type_error("licence \"keys\" is empty"));
    }
    entries
        .iter()
        .enumerate()
        .map(|(index, jwk)| {
            parse_jwk(jwk).map_err(|message| {
                CdmError::type_error(format!("licence keys[{index}]: {message}"))
            })
        })
        .collect()
}

/// One JWK: `kty` exactly "oct", `kid` 1..=512 bytes, `k` exactly 16 bytes; other members
/// (`alg`, …) are ignored.
fn parse_jwk(jwk: &serde_json::Value) -> Result<(KeyId, [u8; KEY_LENGTH]), String> {
    let jwk = jwk.as_object().ok_or("is not a JSON object")?;
    let string_member = |name: &str| -> Result<&str, String> {
        jwk.get(name)
            .ok_or_else(|| format!("\"{name}\" is missing"))?
            .as_str()
            .ok_or_else(|| format!("\"{name}\" is not a string"))
    };
    let kty = string_member("kty")?;
    if kty != "oct" {
        return Err(format!("\"kty\" is {kty:?}, not \"oct\""));
    }
    let key_id =
        base64url::decode(string_member("kid")?).map_err(|error| format!("\"kid\": {error}"))?;
    if !is_valid_key_id_length(&key_id) {
        return Err(format!(
            "\"kid\" is {} bytes; a key ID must be {MIN_KEY_ID_LENGTH} to {MAX_KEY_ID_LENGTH} bytes",
            key_id.len()
        ));
    }
    let key = base64url::decode(string_member("k")?).map_err(|error| format!("\"k\": {error}"))?;
    let key: [u8; KEY_LENGTH] = key.as_slice().try_into().map_err(|_| {
        format!(
            "Invalid key length: \"k\" is {} bytes, not {KEY_LENGTH}",
            key.len()
        )
    })?;
    Ok((key_id, key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const KID: &str = "MDEyMzQ1Njc4OTAxMjM0NQ"; // "0123456789012345"
    const KEY: &str = "tQ0bJVWb6b0KPL6KtZIy_A"; // the spec's example key

    fn jwk_set(kid: &str, k: &str) -> String {
        format!(r#"{{"keys":[{{"kty":"oct","k":"{k}","kid":"{kid}"}}]}}"#)
    }

    fn error(response: &str) -> CdmError {
        parse_response(response.as_bytes()).expect_err(response)
    }

    fn license(response: &str) -> License {
        match parse_response(response.as_bytes()) {
            Ok(Response::License(license)) => license,
            other => panic!("{response}: {other:?}"),
        }
    }

    #[test]
    fn request_is_byte_identical_to_browsers() {
        let ids = vec![b"0123456789012345".to_vec(), b"ABCDEFGHIJKLMNOP".to_vec()];
        assert_eq!(
            license_request(&ids, SessionType::Temporary),
            br#"{"kids":["MDEyMzQ1Njc4OTAxMjM0NQ","QUJDREVGR0hJSktMTU5PUA"],"type":"temporary"}"#
        );
        assert_eq!(
            license_request(&[vec![0xfb, 0xff]], SessionType::PersistentLicense),
            br#"{"kids":["-_8"],"type":"persistent-license"}"#
        );
    }

    #[test]
    fn release_message() {
        assert_eq!(
            license_release(&[vec![1], vec![2]]),
            br#"{"kids":["AQ","Ag"]}"#
        );
    }

    #[test]
    fn parses_the_spec_example() {
        let parsed = license(&format!(
            "{{\n  \"keys\":\n    [{{\n      \"kty\":\"oct\",\n      \"k\":\"{KEY}\",\n      \"kid\":\"{KID}\"\n    }}],\n  \"type\":\"temporary\"\n}}"
        ));
        assert_eq!(parsed.session_type, Some(SessionType::Temporary));
        assert_eq!(parsed.keys.len(), 1);
        assert_eq!(parsed.keys[0].0, b"0123456789012345");
        assert_eq!(base64url::encode(&parsed.keys[0].1), KEY);
    }

    #[test]
    fn unknown_members_are_ignored() {
        let parsed = license(&format!(
            r#"{{"extra":[1,{{}}],"keys":[{{"kty":"oct","alg":"A128KW","use":"enc","k":"{KEY}","kid":"{KID}"}}]}}"#
        ));
        assert_eq!(parsed.keys.len(), 1);
        assert_eq!(parsed.session_type, None);
        assert_eq!(parsed.effective_session_type(), SessionType::Temporary);
    }

    #[test]
    fn several_keys_in_order() {
        let parsed = license(&format!(
            r#"{{"keys":[{{"kty":"oct","k":"{KEY}","kid":"Ag"}},{{"kty":"oct","k":"{KEY}","kid":"AQ"}}]}}"#
        ));
        let ids: Vec<KeyId> = parsed.keys.into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, vec![vec![2], vec![1]]);
    }

    #[test]
    fn size_limit_65536_ok_65537_rejected() {
        let mut response = jwk_set(KID, KEY).into_bytes();
        response.resize(MAX_SESSION_RESPONSE_LENGTH, b' ');
        assert!(parse_response(&response).is_ok());
        response.push(b' ');
        assert_eq!(
            parse_response(&response).unwrap_err().kind,
            ErrorKind::TypeError
        );
    }

    #[test]
    fn empty_and_non_json_are_type_errors() {
        assert_eq!(parse_response(&[]).unwrap_err().kind, ErrorKind::TypeError);
        // invalid-license.js's garbage bytes.
        assert_eq!(
            parse_response(&[0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77])
                .unwrap_err()
                .kind,
            ErrorKind::TypeError
        );
        for response in [
            "null",
            "1",
            "[]",
            "\"keys\"",
            "{",
            "{}",
            r#"{"keys":{}}"#,
            r#"{"keys":null}"#,
        ] {
            assert_eq!(error(response).kind, ErrorKind::TypeError, "{response}");
        }
    }

    #[test]
    fn non_ascii_is_a_type_error_even_where_json_would_allow_it() {
        let mut response = jwk_set(KID, KEY);
        response.insert_str(1, "\"note\":\"caf\u{e9}\",");
        let error = parse_response(response.as_bytes()).unwrap_err();
        assert_eq!(error.kind, ErrorKind::TypeError);
        assert!(error.message.contains("non-ASCII"), "{}", error.message);
    }

    #[test]
    fn deep_nesting_is_a_type_error() {
        let deep = format!("{{\"keys\":{}{}}}", "[".repeat(30000), "]".repeat(30000));
        assert_eq!(error(&deep).kind, ErrorKind::TypeError);
    }

    #[test]
    fn empty_keys_is_a_type_error() {
        assert_eq!(error(r#"{"keys":[]}"#).kind, ErrorKind::TypeError);
        assert_eq!(
            error(r#"{"keys":[],"type":"temporary"}"#).kind,
            ErrorKind::TypeError
        );
    }

    #[test]
    fn kty_must_be_exactly_oct() {
        for kty in [
            r#""kty":"OCT","#,
            r#""kty":"RSA","#,
            r#""kty":"oct ","#,
            r#""kty":1,"#,
            "",
        ] {
            let response = format!(r#"{{"keys":[{{{kty}"k":"{KEY}","kid":"{KID}"}}]}}"#);
            let error = error(&response);
            assert_eq!(error.kind, ErrorKind::TypeError, "{response}");
            assert!(error.message.contains("kty"), "{}", error.message);
        }
    }

    #[test]
    fn jwk_shape_errors() {
        for response in [
            r#"{"keys":[1]}"#.to_owned(),
            format!(r#"{{"keys":[{{"kty":"oct","kid":"{KID}"}}]}}"#),
            format!(r#"{{"keys":[{{"kty":"oct","k":"{KEY}"}}]}}"#),
            format!(r#"{{"keys":[{{"kty":"oct","k":"{KEY}","kid":7}}]}}"#),
            format!(r#"{{"keys":[{{"kty":"oct","k":null,"kid":"{KID}"}}]}}"#),
            format!(r#"{{"keys":[{{"kty":"oct","k":"{KEY}","kid":"{KID}"}}, "x"]}}"#),
        ] {
            assert_eq!(error(&response).kind, ErrorKind::TypeError, "{response}");
        }
    }

    #[test]
    fn base64_padding_plus_and_slash_are_rejected() {
        // Same bytes as KEY/KID but written with padding or the standard alphabet.
        for (kid, k) in [
            (KID, "tQ0bJVWb6b0KPL6KtZIy_A=="),
            ("MDEyMzQ1Njc4OTAxMjM0NQ==", KEY),
            (KID, "tQ0bJVWb6b0KPL6KtZIy/A"),
            (KID, "+Q0bJVWb6b0KPL6KtZIy_A"),
            ("MDEyMzQ1Njc4OTAxMjM0N+", KEY),
            ("MDEyMzQ1Njc4OTAxMjM0N/", KEY),
            (KID, "tQ0bJVWb6b0KPL6KtZIy_B"), // non-zero trailing bits
        ] {
            let error = error(&jwk_set(kid, k));
            assert_eq!(error.kind, ErrorKind::TypeError, "{kid} {k}");
        }
        assert!(
            error(&jwk_set(KID, "tQ0bJVWb6b0KPL6KtZIy_A=="))
                .message
                .contains("padding")
        );
        assert!(
            error(&jwk_set(KID, "tQ0bJVWb6b0KPL6KtZIy/A"))
                .message
                .contains("'/'")
        );
    }

    #[test]
    fn key_must_be_16_bytes() {
        for bytes in [0usize, 1, 15, 17, 32] {
            let error = error(&jwk_set(KID, &base64url::encode(&vec![7; bytes])));
            assert_eq!(error.kind, ErrorKind::TypeError);
            assert!(
                error.message.contains("Invalid key length"),
                "{}",
                error.message
            );
        }
        assert_eq!(
            license(&jwk_set(KID, &base64url::encode(&[7; 16]))).keys[0].1,
            [7; 16]
        );
    }

    #[test]
    fn kid_length_edges() {
        assert_eq!(error(&jwk_set("", KEY)).kind, ErrorKind::TypeError);
        assert_eq!(license(&jwk_set("AA", KEY)).keys[0].0, vec![0]);
        assert_eq!(
            license(&jwk_set(&base64url::encode(&[3; 512]), KEY)).keys[0].0,
            vec![3; 512]
        );
        assert_eq!(
            error(&jwk_set(&base64url::encode(&[3; 513]), KEY)).kind,
            ErrorKind::TypeError
        );
    }

    #[test]
    fn type_member() {
        let with_type = |value: &str| {
            format!(r#"{{"keys":[{{"kty":"oct","k":"{KEY}","kid":"{KID}"}}],"type":{value}}}"#)
        };
        assert_eq!(
            license(&with_type("\"temporary\"")).session_type,
            Some(SessionType::Temporary)
        );
        assert_eq!(
            license(&with_type("\"persistent-license\"")).session_type,
            Some(SessionType::PersistentLicense)
        );
        for bad in [
            "\"Temporary\"",
            "\"persistent-usage-record\"",
            "\"\"",
            "1",
            "null",
            "[\"temporary\"]",
        ] {
            assert_eq!(error(&with_type(bad)).kind, ErrorKind::TypeError, "{bad}");
        }
    }

    #[test]
    fn session_type_check() {
        let temporary = License {
            keys: Vec::new(),
            session_type: Some(SessionType::Temporary),
        };
        let persistent = License {
            keys: Vec::new(),
            session_type: Some(SessionType::PersistentLicense),
        };
        let untyped = License {
            keys: Vec::new(),
            session_type: None,
        };
        assert!(temporary.check_session_type(SessionType::Temporary).is_ok());
        assert!(
            persistent
                .check_session_type(SessionType::PersistentLicense)
                .is_ok()
        );
        assert!(untyped.check_session_type(SessionType::Temporary).is_ok());
        for (license, session) in [
            (&temporary, SessionType::PersistentLicense),
            (&persistent, SessionType::Temporary),
            (&untyped, SessionType::PersistentLicense),
        ] {
            assert_eq!(
                license.check_session_type(session).unwrap_err().kind,
                ErrorKind::TypeError
            );
        }
    }

    #[test]
    fn release_acknowledgement() {
        assert_eq!(
            parse_response(br#"{"kids":["AQ","Ag"]}"#).unwrap(),
            Response::ReleaseAcknowledgement {
                key_ids: vec![vec![1], vec![2]]
            }
        );
        for bad in [
            r#"{"kids":[]}"#,
            r#"{"kids":"AQ"}"#,
            r#"{"kids":["AQ=="]}"#,
            r#"{"kids":[""]}"#,
        ] {
            assert_eq!(error(bad).kind, ErrorKind::TypeError, "{bad}");
        }
        // With "keys" present it is a licence, whatever else is there.
        assert!(matches!(
            parse_response(
                format!(r#"{{"kids":["AQ"],"keys":[{{"kty":"oct","k":"{KEY}","kid":"{KID}"}}]}}"#)
                    .as_bytes()
            ),
            Ok(Response::License(_))
        ));
    }
}
