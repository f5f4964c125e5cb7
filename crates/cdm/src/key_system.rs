//! The contract between the EME layer and a key system: [`KeySystem`] answers
//! `requestMediaKeySystemAccess()`, and each `MediaKeys` object owns one [`Cdm`] instance
//! that does the key work of its sessions.
//!
//! The EME layer performs the synchronous prechecks and WebIDL conversions; these methods
//! are the spec's "in parallel" steps and the CDM-specific parts of each algorithm.

use crate::decrypt::{DecryptError, SampleEncryption, decrypt_sample};
use crate::error::CdmError;
use crate::types::{Configuration, InitDataType, KeyId, KeyStatus, MessageType, SessionType};

/// A key system implementation, e.g. Clear Key.
pub trait KeySystem {
    /// Exact key system string, e.g. "org.w3.clearkey".
    fn name(&self) -> &str;
    /// The spec's "Get Supported Configuration" for one candidate configuration.
    /// Ok = the accumulated configuration the access will report (distinctiveIdentifier and
    /// persistentState never Optional; sessionTypes always Some; capabilities copied verbatim,
    /// encryption_scheme kept as given incl. None). Err(reason) = not supported, with a short
    /// human-readable reason naming the offending member (goes into the NotSupportedError message).
    fn get_supported_configuration(
        &self,
        candidate: &Configuration,
    ) -> Result<Configuration, String>;
    /// A new CDM instance for one MediaKeys object, for the configuration returned above.
    fn create_cdm(&self, configuration: &Configuration) -> Box<dyn Cdm>;
}

/// A message for the application (`MediaKeyMessageEvent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionMessage {
    /// The event's `messageType`.
    pub message_type: MessageType,
    /// The event's `message`, for the application to send to the licence server (Clear Key:
    /// UTF-8 JSON).
    pub message: Vec<u8>,
}

/// The result of `generateRequest()`'s in-parallel steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedRequest {
    /// The new session's `sessionId`.
    pub session_id: String,
    /// The licence request, fired as the session's first `message` event.
    pub message: SessionMessage,
}

/// The result of `update()`'s in-parallel steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUpdate {
    /// Some(full new list, sorted by key-id bytes) when statuses changed (a licence always counts as a change).
    pub key_statuses: Option<Vec<(KeyId, KeyStatus)>>,
    /// A message the update makes the CDM send, fired as a `message` event (Clear Key never
    /// sends one).
    pub message: Option<SessionMessage>,
    /// true when the update was a release acknowledgement that closed the session (persistent only).
    pub session_closed: bool,
}

/// The result of `remove()`'s in-parallel steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRemoval {
    /// Every key of the session, now `released`, sorted by key ID.
    pub key_statuses: Vec<(KeyId, KeyStatus)>,
    /// The `license-release` message (persistent-license sessions only).
    pub message: Option<SessionMessage>,
}

/// One CDM instance (one per `MediaKeys`), holding its sessions' keys.
pub trait Cdm {
    /// generateRequest step "key system does not support initDataType".
    fn supports_init_data_type(&self, init_data_type: InitDataType) -> bool;
    /// Clear Key: certificates unsupported → Ok(false). (Caller already rejected empty input.)
    fn set_server_certificate(&mut self, certificate: &[u8]) -> Result<bool, CdmError>;
    /// Clear Key: always Ok(KeyStatus::Usable) (caller already rejected a policy with no members).
    fn get_status_for_policy(&self, min_hdcp_version: Option<&str>) -> Result<KeyStatus, CdmError>;
    /// The in-parallel part of generateRequest: sanitize init data, new unique session id, licence request.
    fn generate_request(
        &mut self,
        session_type: SessionType,
        init_data_type: InitDataType,
        init_data: &[u8],
    ) -> Result<GeneratedRequest, CdmError>;
    /// The in-parallel part of update: applies the server's `response` (Clear Key: a JWK Set
    /// licence, or a release acknowledgement) to the session.
    fn update(&mut self, session_id: &str, response: &[u8]) -> Result<SessionUpdate, CdmError>;
    /// Destroys the session's keys. Unknown id → Ok (already gone).
    fn close(&mut self, session_id: &str) -> Result<(), CdmError>;
    /// The in-parallel part of remove: every key is destroyed and becomes `released`; only a
    /// persistent-license session also gets a `license-release` message.
    fn remove(&mut self, session_id: &str) -> Result<SessionRemoval, CdmError>;
    /// Current statuses of a session (sorted by key id).
    fn key_statuses(&self, session_id: &str) -> Vec<(KeyId, KeyStatus)>;
    /// Content key for decryption (later stage), from any open session of this CDM.
    fn key(&self, key_id: &[u8]) -> Option<[u8; 16]>;
    /// Decrypts one sample in place with the key for `encryption.key_id`.
    /// [`DecryptError::NoKey`] when no open session has that key (yet): the media element
    /// then waits for a key (`waitingforkey`) instead of failing playback.
    fn decrypt(
        &self,
        encryption: &SampleEncryption<'_>,
        data: &mut [u8],
    ) -> Result<(), DecryptError> {
        let key = self.key(&encryption.key_id).ok_or(DecryptError::NoKey {
            key_id: encryption.key_id,
        })?;
        decrypt_sample(&key, encryption, data)
    }
}
