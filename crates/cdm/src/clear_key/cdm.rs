//! The Clear Key CDM instance: sessions, their keys and key statuses.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::CdmError;
use crate::init_data::sanitize_init_data;
use crate::key_system::{Cdm, GeneratedRequest, SessionMessage, SessionRemoval, SessionUpdate};
use crate::license::{Response, license_release, license_request, parse_response};
use crate::limits::KEY_LENGTH;
use crate::types::{Configuration, InitDataType, KeyId, KeyStatus, MessageType, SessionType};

/// Issues session IDs: decimal `u32` strings from 1 (the spec: "a numerical value
/// representable by a 32-bit integer"), shared by every CDM of one `ClearKey` so no two of
/// its sessions ever share an ID.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionIds {
    /// The last ID issued; 0 = none yet.
    last: Arc<AtomicU32>,
}

impl SessionIds {
    /// The next unused ID, or `None` once all 2³²−1 have been used (never reused, so a stale
    /// ID held by a page cannot reach a newer session).
    fn next(&self) -> Option<u32> {
        self.last
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
                last.checked_add(1)
            })
            .ok()
            .and_then(|last| last.checked_add(1))
    }

    #[cfg(test)]
    pub(crate) fn starting_after(last: u32) -> Self {
        SessionIds {
            last: Arc::new(AtomicU32::new(last)),
        }
    }
}

/// One key session.
#[derive(Debug)]
struct Session {
    session_type: SessionType,
    /// Usable content keys by key ID.
    keys: BTreeMap<KeyId, [u8; KEY_LENGTH]>,
    /// What `keyStatuses` shows; a BTreeMap so iteration is already in key-ID byte order.
    statuses: BTreeMap<KeyId, KeyStatus>,
}

impl Session {
    fn status_list(&self) -> Vec<(KeyId, KeyStatus)> {
        self.statuses
            .iter()
            .map(|(key_id, status)| (key_id.clone(), *status))
            .collect()
    }
}

/// A Clear Key CDM instance (one per `MediaKeys`).
#[derive(Debug)]
pub struct ClearKeyCdm {
    /// The configuration's sessionTypes: the only types `generate_request` accepts.
    session_types: Vec<SessionType>,
    session_ids: SessionIds,
    /// Open sessions by numeric ID; newer sessions have larger IDs.
    sessions: BTreeMap<u32, Session>,
}

impl ClearKeyCdm {
    pub(crate) fn new(configuration: &Configuration, session_ids: SessionIds) -> Self {
        // Absent sessionTypes means ["temporary"], as in Get Supported Configuration.
        let session_types = match &configuration.session_types {
            None => vec![SessionType::Temporary],
            Some(types) => types
                .iter()
                .filter_map(|session_type| SessionType::parse(session_type))
                .collect(),
        };
        ClearKeyCdm {
            session_types,
            session_ids,
            sessions: BTreeMap::new(),
        }
    }

    /// The open session `session_id` names. IDs are canonical decimal, so "01" or "+1" name
    /// no session.
    fn session_number(&self, session_id: &str) -> Option<u32> {
        let number = session_id.parse::<u32>().ok()?;
        (number.to_string() == session_id && self.sessions.contains_key(&number)).then_some(number)
    }

    fn session_mut(&mut self, session_id: &str) -> Result<&mut Session, CdmError> {
        let number = self
            .session_number(session_id)
            .ok_or_else(|| unknown_session(session_id))?;
        self.sessions
            .get_mut(&number)
            .ok_or_else(|| unknown_session(session_id))
    }
}

fn unknown_session(session_id: &str) -> CdmError {
    CdmError::invalid_state(format!("session \"{session_id}\" is not open in this CDM"))
}

impl Cdm for ClearKeyCdm {
    fn supports_init_data_type(&self, _init_data_type: InitDataType) -> bool {
        // Clear Key generates requests from every registered type.
        true
    }

    fn set_server_certificate(&mut self, _certificate: &[u8]) -> Result<bool, CdmError> {
        // Clear Key: "Not supported" — the spec's answer is to resolve with false.
        Ok(false)
    }

    fn get_status_for_policy(
        &self,
        _min_hdcp_version: Option<&str>,
    ) -> Result<KeyStatus, CdmError> {
        // Clear Key has no output protection to restrict: any policy is met.
        Ok(KeyStatus::Usable)
    }

    fn generate_request(
        &mut self,
        session_type: SessionType,
        init_data_type: InitDataType,
        init_data: &[u8],
    ) -> Result<GeneratedRequest, CdmError> {
        if !self.session_types.contains(&session_type) {
            return Err(CdmError::not_supported(format!(
                "\"{session_type}\" sessions are not supported by this MediaKeys configuration"
            )));
        }
        let key_ids = sanitize_init_data(init_data_type, init_data)?;
        let number = self
            .session_ids
            .next()
            .ok_or_else(|| CdmError::quota_exceeded("no session IDs are left"))?;
        self.sessions.insert(
            number,
            Session {
                session_type,
                keys: BTreeMap::new(),
                statuses: BTreeMap::new(),
            },
        );
        Ok(GeneratedRequest {
            session_id: number.to_string(),
            message: SessionMessage {
                message_type: MessageType::LicenseRequest,
                message: license_request(&key_ids, session_type),
            },
        })
    }

    fn update(&mut self, session_id: &str, response: &[u8]) -> Result<SessionUpdate, CdmError> {
        let number = self
            .session_number(session_id)
            .ok_or_else(|| unknown_session(session_id))?;
        let session = self.session_mut(session_id)?;
        match parse_response(response)? {
            Response::License(license) => {
                license.check_session_type(session.session_type)?;
                // Keys the request did not name are installed too: the server decides which
                // keys the session gets.
                session.keys.extend(license.keys);
                // Statuses now describe exactly the keys the session holds (keys released by
                // an earlier remove() are gone).
                session.statuses = session
                    .keys
                    .keys()
                    .map(|key_id| (key_id.clone(), KeyStatus::Usable))
                    .collect();
                Ok(SessionUpdate {
                    key_statuses: Some(session.status_list()),
                    message: None,
                    session_closed: false,
                })
            }
            Response::ReleaseAcknowledgement { .. } => {
                if !session.session_type.is_persistent() {
                    return Err(CdmError::type_error(
                        "a release acknowledgement ({\"kids\":[…]} without \"keys\") is only valid for a persistent-license session",
                    ));
                }
                // The licence's record is acknowledged: the session and its data are gone.
                self.sessions.remove(&number);
                Ok(SessionUpdate {
                    key_statuses: None,
                    message: None,
                    session_closed: true,
                })
            }
        }
    }

    fn close(&mut self, session_id: &str) -> Result<(), CdmError> {
        if let Some(number) = self.session_number(session_id) {
            self.sessions.remove(&number);
        }
        Ok(())
    }

    fn remove(&mut self, session_id: &str) -> Result<SessionRemoval, CdmError> {
        let session = self.session_mut(session_id)?;
        session.keys.clear();
        for status in session.statuses.values_mut() {
            *status = KeyStatus::Released;
        }
        let key_statuses = session.status_list();
        // A persistent-license session's record of licence destruction goes to the server,
        // which answers with a release acknowledgement.
        let message = session.session_type.is_persistent().then(|| {
            let key_ids: Vec<KeyId> = session.statuses.keys().cloned().collect();
            SessionMessage {
                message_type: MessageType::LicenseRelease,
                message: license_release(&key_ids),
            }
        });
        Ok(SessionRemoval {
            key_statuses,
            message,
        })
    }

    fn key_statuses(&self, session_id: &str) -> Vec<(KeyId, KeyStatus)> {
        self.session_number(session_id)
            .and_then(|number| self.sessions.get(&number))
            .map(Session::status_list)
            .unwrap_or_default()
    }

    fn key(&self, key_id: &[u8]) -> Option<[u8; 16]> {
        // Several sessions may hold the same key ID; the newest session's licence wins.
        self.sessions
            .values()
            .rev()
            .find_map(|session| session.keys.get(key_id).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64url;
    use crate::error::ErrorKind;

    const KEY_1: [u8; 16] = [1; 16];
    const KEY_2: [u8; 16] = [2; 16];

    fn temporary_cdm() -> ClearKeyCdm {
        ClearKeyCdm::new(&Configuration::default(), SessionIds::default())
    }

    fn persistent_cdm() -> ClearKeyCdm {
        let configuration = Configuration {
            session_types: Some(vec![
                "temporary".to_owned(),
                "persistent-license".to_owned(),
            ]),
            ..Configuration::default()
        };
        ClearKeyCdm::new(&configuration, SessionIds::default())
    }

    fn keyids(ids: &[&[u8]]) -> Vec<u8> {
        let kids: Vec<String> = ids
            .iter()
            .map(|id| format!("\"{}\"", base64url::encode(id)))
            .collect();
        format!("{{\"kids\":[{}]}}", kids.join(",")).into_bytes()
    }

    fn jwk_set(keys: &[(&[u8], [u8; 16])], session_type: Option<&str>) -> Vec<u8> {
        let jwks: Vec<String> = keys
            .iter()
            .map(|(kid, key)| {
                format!(
                    "{{\"kty\":\"oct\",\"kid\":\"{}\",\"k\":\"{}\"}}",
                    base64url::encode(kid),
                    base64url::encode(key)
                )
            })
            .collect();
        let type_member = session_type
            .map(|t| format!(",\"type\":\"{t}\""))
            .unwrap_or_default();
        format!("{{\"keys\":[{}]{type_member}}}", jwks.join(",")).into_bytes()
    }

    fn open(cdm: &mut ClearKeyCdm, session_type: SessionType) -> String {
        cdm.generate_request(session_type, InitDataType::KeyIds, &keyids(&[b"\x01"]))
            .unwrap()
            .session_id
    }

    #[test]
    fn clear_key_answers() {
        let mut cdm = temporary_cdm();
        for &init_data_type in InitDataType::ALL {
            assert!(cdm.supports_init_data_type(init_data_type));
        }
        assert_eq!(cdm.set_server_certificate(&[0; 200]), Ok(false));
        assert_eq!(
            cdm.get_status_for_policy(Some("1.0")),
            Ok(KeyStatus::Usable)
        );
        assert_eq!(cdm.get_status_for_policy(None), Ok(KeyStatus::Usable));
    }

    #[test]
    fn generate_request_makes_ids_and_licence_requests() {
        let mut cdm = temporary_cdm();
        let first = cdm
            .generate_request(
                SessionType::Temporary,
                InitDataType::KeyIds,
                &keyids(&[b"0123456789012345"]),
            )
            .unwrap();
        assert_eq!(first.session_id, "1");
        assert_eq!(first.message.message_type, MessageType::LicenseRequest);
        assert_eq!(
            first.message.message,
            br#"{"kids":["MDEyMzQ1Njc4OTAxMjM0NQ"],"type":"temporary"}"#
        );

        let second = cdm
            .generate_request(SessionType::Temporary, InitDataType::WebM, b"\x01\x02")
            .unwrap();
        assert_eq!(second.session_id, "2");
        assert_eq!(
            second.message.message,
            br#"{"kids":["AQI"],"type":"temporary"}"#
        );
        // A new session reports no keys until a licence arrives.
        assert!(cdm.key_statuses("2").is_empty());
    }

    #[test]
    fn keyids_request_is_canonical() {
        let mut cdm = temporary_cdm();
        let request = cdm
            .generate_request(
                SessionType::Temporary,
                InitDataType::KeyIds,
                b" { \"extra\" : true , \"kids\" : [ \"AQ\" , \"Ag\" , \"AQ\" ] } ",
            )
            .unwrap();
        assert_eq!(
            request.message.message,
            br#"{"kids":["AQ","Ag"],"type":"temporary"}"#
        );
    }

    #[test]
    fn generate_request_errors() {
        let mut cdm = temporary_cdm();
        let error = cdm
            .generate_request(
                SessionType::PersistentLicense,
                InitDataType::KeyIds,
                &keyids(&[b"\x01"]),
            )
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::NotSupportedError);
        assert_eq!(
            cdm.generate_request(SessionType::Temporary, InitDataType::KeyIds, b"{}")
                .unwrap_err()
                .kind,
            ErrorKind::TypeError
        );
        assert_eq!(
            cdm.generate_request(SessionType::Temporary, InitDataType::WebM, &[0; 513])
                .unwrap_err()
                .kind,
            ErrorKind::TypeError
        );
        // A failed request uses up no session ID.
        assert_eq!(open(&mut cdm, SessionType::Temporary), "1");
    }

    #[test]
    fn session_ids_run_out_with_quota_exceeded() {
        let mut cdm = ClearKeyCdm::new(
            &Configuration::default(),
            SessionIds::starting_after(u32::MAX - 1),
        );
        assert_eq!(open(&mut cdm, SessionType::Temporary), u32::MAX.to_string());
        let error = cdm
            .generate_request(SessionType::Temporary, InitDataType::WebM, b"\x01")
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::QuotaExceededError);
    }

    #[test]
    fn licence_installs_every_key_and_reports_sorted_usable_statuses() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        // Unrequested IDs included; order in the set is not the reported order.
        let response = jwk_set(
            &[(b"\x02", KEY_2), (b"\x01\x00", KEY_1), (b"\x01", KEY_1)],
            Some("temporary"),
        );
        let update = cdm.update(&id, &response).unwrap();
        let expected = vec![
            (vec![1], KeyStatus::Usable),
            (vec![1, 0], KeyStatus::Usable),
            (vec![2], KeyStatus::Usable),
        ];
        assert_eq!(update.key_statuses, Some(expected.clone()));
        assert_eq!(update.message, None);
        assert!(!update.session_closed);
        assert_eq!(cdm.key_statuses(&id), expected);
        assert_eq!(cdm.key(b"\x02"), Some(KEY_2));
        assert_eq!(cdm.key(b"\x01\x00"), Some(KEY_1));
        assert_eq!(cdm.key(b"\x03"), None);
    }

    #[test]
    fn a_second_licence_adds_to_the_session() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        cdm.update(&id, &jwk_set(&[(b"\x01", KEY_1)], None))
            .unwrap();
        let update = cdm
            .update(&id, &jwk_set(&[(b"\x02", KEY_2), (b"\x01", KEY_2)], None))
            .unwrap();
        assert_eq!(
            update.key_statuses,
            Some(vec![
                (vec![1], KeyStatus::Usable),
                (vec![2], KeyStatus::Usable)
            ])
        );
        assert_eq!(cdm.key(b"\x01"), Some(KEY_2));
    }

    #[test]
    fn update_on_an_unknown_session_is_invalid_state() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        let response = jwk_set(&[(b"\x01", KEY_1)], None);
        for unknown in ["2", "0", "", "01", "+1", " 1", "abc", "99999999999"] {
            assert_eq!(
                cdm.update(unknown, &response).unwrap_err().kind,
                ErrorKind::InvalidStateError,
                "{unknown:?}"
            );
        }
        assert!(cdm.update(&id, &response).is_ok());
    }

    #[test]
    fn rejected_licences_leave_the_session_unchanged() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        for response in [
            b"not json".to_vec(),
            br#"{"keys":[]}"#.to_vec(),
            jwk_set(&[(b"\x01", KEY_1)], Some("persistent-license")),
            jwk_set(&[(b"\x01", KEY_1)], Some("bogus")),
        ] {
            let error = cdm.update(&id, &response).unwrap_err();
            assert_eq!(
                error.kind,
                ErrorKind::TypeError,
                "{}",
                String::from_utf8_lossy(&response)
            );
        }
        assert!(cdm.key_statuses(&id).is_empty());
        assert_eq!(cdm.key(b"\x01"), None);
    }

    #[test]
    fn release_acknowledgement_on_a_temporary_session_is_a_type_error() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        let error = cdm.update(&id, br#"{"kids":["AQ"]}"#).unwrap_err();
        assert_eq!(error.kind, ErrorKind::TypeError);
        // Still open.
        assert!(cdm.update(&id, &jwk_set(&[(b"\x01", KEY_1)], None)).is_ok());
    }

    #[test]
    fn close_destroys_keys_and_is_idempotent() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        cdm.update(&id, &jwk_set(&[(b"\x01", KEY_1)], None))
            .unwrap();
        assert_eq!(cdm.close(&id), Ok(()));
        assert_eq!(cdm.key(b"\x01"), None);
        assert!(cdm.key_statuses(&id).is_empty());
        assert_eq!(cdm.close(&id), Ok(()));
        assert_eq!(cdm.close("12345"), Ok(()));
        assert_eq!(
            cdm.update(&id, &jwk_set(&[(b"\x01", KEY_1)], None))
                .unwrap_err()
                .kind,
            ErrorKind::InvalidStateError
        );
        assert_eq!(
            cdm.remove(&id).unwrap_err().kind,
            ErrorKind::InvalidStateError
        );
    }

    #[test]
    fn remove_on_a_temporary_session_releases_every_key_without_a_message() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        cdm.update(&id, &jwk_set(&[(b"\x02", KEY_2), (b"\x01", KEY_1)], None))
            .unwrap();
        let removal = cdm.remove(&id).unwrap();
        let released = vec![
            (vec![1], KeyStatus::Released),
            (vec![2], KeyStatus::Released),
        ];
        assert_eq!(removal.key_statuses, released);
        assert_eq!(removal.message, None);
        assert_eq!(cdm.key_statuses(&id), released);
        assert_eq!(cdm.key(b"\x01"), None);
        assert_eq!(
            cdm.remove("7").unwrap_err().kind,
            ErrorKind::InvalidStateError
        );
        // The session is still open: a new licence makes keys usable again.
        let update = cdm
            .update(&id, &jwk_set(&[(b"\x03", KEY_1)], None))
            .unwrap();
        assert_eq!(
            update.key_statuses,
            Some(vec![(vec![3], KeyStatus::Usable)])
        );
    }

    #[test]
    fn remove_before_any_licence() {
        let mut cdm = temporary_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        let removal = cdm.remove(&id).unwrap();
        assert!(removal.key_statuses.is_empty());
        assert_eq!(removal.message, None);
    }

    #[test]
    fn newest_session_wins_for_a_shared_key_id() {
        let mut cdm = temporary_cdm();
        let older = open(&mut cdm, SessionType::Temporary);
        let newer = open(&mut cdm, SessionType::Temporary);
        cdm.update(&newer, &jwk_set(&[(b"\x01", KEY_2)], None))
            .unwrap();
        cdm.update(&older, &jwk_set(&[(b"\x01", KEY_1)], None))
            .unwrap();
        assert_eq!(cdm.key(b"\x01"), Some(KEY_2));
        cdm.close(&newer).unwrap();
        assert_eq!(cdm.key(b"\x01"), Some(KEY_1));
    }

    #[test]
    fn persistent_license_session_lifecycle() {
        let mut cdm = persistent_cdm();
        let request = cdm
            .generate_request(
                SessionType::PersistentLicense,
                InitDataType::KeyIds,
                &keyids(&[b"\x01"]),
            )
            .unwrap();
        assert_eq!(
            request.message.message,
            br#"{"kids":["AQ"],"type":"persistent-license"}"#
        );
        let id = request.session_id;

        // A licence with no "type" is a temporary licence: wrong for this session.
        let error = cdm
            .update(&id, &jwk_set(&[(b"\x01", KEY_1)], None))
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::TypeError);
        let error = cdm
            .update(&id, &jwk_set(&[(b"\x01", KEY_1)], Some("temporary")))
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::TypeError);
        let update = cdm
            .update(
                &id,
                &jwk_set(
                    &[(b"\x01", KEY_1), (b"\x02", KEY_2)],
                    Some("persistent-license"),
                ),
            )
            .unwrap();
        assert_eq!(update.key_statuses.map(|statuses| statuses.len()), Some(2));

        let removal = cdm.remove(&id).unwrap();
        assert_eq!(
            removal.key_statuses,
            vec![
                (vec![1], KeyStatus::Released),
                (vec![2], KeyStatus::Released)
            ]
        );
        assert_eq!(
            removal.message,
            Some(SessionMessage {
                message_type: MessageType::LicenseRelease,
                message: br#"{"kids":["AQ","Ag"]}"#.to_vec(),
            })
        );

        let update = cdm.update(&id, br#"{"kids":["AQ","Ag"]}"#).unwrap();
        assert!(update.session_closed);
        assert_eq!(update.key_statuses, None);
        assert_eq!(update.message, None);
        assert!(cdm.key_statuses(&id).is_empty());
        assert_eq!(
            cdm.update(&id, br#"{"kids":["AQ"]}"#).unwrap_err().kind,
            ErrorKind::InvalidStateError
        );
    }

    #[test]
    fn temporary_session_next_to_persistent_ones_checks_its_own_type() {
        let mut cdm = persistent_cdm();
        let id = open(&mut cdm, SessionType::Temporary);
        assert!(
            cdm.update(&id, &jwk_set(&[(b"\x01", KEY_1)], Some("temporary")))
                .is_ok()
        );
        assert_eq!(
            cdm.update(
                &id,
                &jwk_set(&[(b"\x01", KEY_1)], Some("persistent-license"))
            )
            .unwrap_err()
            .kind,
            ErrorKind::TypeError
        );
    }

    #[test]
    fn unknown_configuration_session_types_are_ignored() {
        let configuration = Configuration {
            session_types: Some(vec!["bogus".to_owned()]),
            ..Configuration::default()
        };
        let mut cdm = ClearKeyCdm::new(&configuration, SessionIds::default());
        let error = cdm
            .generate_request(SessionType::Temporary, InitDataType::WebM, b"\x01")
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::NotSupportedError);
    }
}
