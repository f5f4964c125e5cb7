//! `DOMException`: <https://webidl.spec.whatwg.org/#idl-DOMException>

use boa_engine::{
    Context, JsData, JsError, JsObject, JsResult, JsString, JsValue, js_string,
};
use boa_gc::{Finalize, Trace};

use crate::interface::{self, InterfaceBuilder, illegal_invocation};
use crate::webidl;

/// The error names of WebIDL's table, with their legacy `code` as discriminant
/// (0 for the names that have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum ExceptionName {
    IndexSizeError = 1,
    HierarchyRequestError = 3,
    WrongDocumentError = 4,
    InvalidCharacterError = 5,
    NoModificationAllowedError = 7,
    NotFoundError = 8,
    NotSupportedError = 9,
    InUseAttributeError = 10,
    InvalidStateError = 11,
    SyntaxError = 12,
    InvalidModificationError = 13,
    NamespaceError = 14,
    InvalidAccessError = 15,
    TypeMismatchError = 17,
    SecurityError = 18,
    NetworkError = 19,
    AbortError = 20,
    UrlMismatchError = 21,
    QuotaExceededError = 22,
    TimeoutError = 23,
    InvalidNodeTypeError = 24,
    DataCloneError = 25,
    EncodingError = 1000,
    NotReadableError = 1001,
    UnknownError = 1002,
    ConstraintError = 1003,
    DataError = 1004,
    TransactionInactiveError = 1005,
    ReadOnlyError = 1006,
    VersionError = 1007,
    OperationError = 1008,
    NotAllowedError = 1009,
}

impl ExceptionName {
    const ALL: [ExceptionName; 32] = {
        use ExceptionName::*;
        [
            IndexSizeError, HierarchyRequestError, WrongDocumentError, InvalidCharacterError,
            NoModificationAllowedError, NotFoundError, NotSupportedError, InUseAttributeError,
            InvalidStateError, SyntaxError, InvalidModificationError, NamespaceError,
            InvalidAccessError, TypeMismatchError, SecurityError, NetworkError, AbortError,
            UrlMismatchError, QuotaExceededError, TimeoutError, InvalidNodeTypeError,
            DataCloneError, EncodingError, NotReadableError, UnknownError, ConstraintError,
            DataError, TransactionInactiveError, ReadOnlyError, VersionError, OperationError,
            NotAllowedError,
        ]
    };

    /// The `name` string, e.g. `"InvalidStateError"`.
    pub fn as_str(self) -> &'static str {
        use ExceptionName::*;
        match self {
            IndexSizeError => "IndexSizeError",
            HierarchyRequestError => "HierarchyRequestError",
            WrongDocumentError => "WrongDocumentError",
            InvalidCharacterError => "InvalidCharacterError",
            NoModificationAllowedError => "NoModificationAllowedError",
            NotFoundError => "NotFoundError",
            NotSupportedError => "NotSupportedError",
            InUseAttributeError => "InUseAttributeError",
            InvalidStateError => "InvalidStateError",
            SyntaxError => "SyntaxError",
            InvalidModificationError => "InvalidModificationError",
            NamespaceError => "NamespaceError",
            InvalidAccessError => "InvalidAccessError",
            TypeMismatchError => "TypeMismatchError",
            SecurityError => "SecurityError",
            NetworkError => "NetworkError",
            AbortError => "AbortError",
            UrlMismatchError => "URLMismatchError",
            QuotaExceededError => "QuotaExceededError",
            TimeoutError => "TimeoutError",
            InvalidNodeTypeError => "InvalidNodeTypeError",
            DataCloneError => "DataCloneError",
            EncodingError => "EncodingError",
            NotReadableError => "NotReadableError",
            UnknownError => "UnknownError",
            ConstraintError => "ConstraintError",
            DataError => "DataError",
            TransactionInactiveError => "TransactionInactiveError",
            ReadOnlyError => "ReadOnlyError",
            VersionError => "VersionError",
            OperationError => "OperationError",
            NotAllowedError => "NotAllowedError",
        }
    }

    /// The legacy `code`: 0 for names introduced after the numeric codes were frozen.
    pub fn legacy_code(self) -> u16 {
        let code = self as u16;
        if code >= 1000 { 0 } else { code }
    }

    /// The name's legacy code, 0 for any name not in the table.
    pub fn code_for(name: &str) -> u16 {
        Self::ALL
            .iter()
            .find(|n| n.as_str() == name)
            .map_or(0, |n| n.legacy_code())
    }
}

/// The legacy constants on `DOMException` and its prototype.
const LEGACY_CONSTANTS: [(&str, u16); 25] = [
    ("INDEX_SIZE_ERR", 1),
    ("DOMSTRING_SIZE_ERR", 2),
    ("HIERARCHY_REQUEST_ERR", 3),
    ("WRONG_DOCUMENT_ERR", 4),
    ("INVALID_CHARACTER_ERR", 5),
    ("NO_DATA_ALLOWED_ERR", 6),
    ("NO_MODIFICATION_ALLOWED_ERR", 7),
    ("NOT_FOUND_ERR", 8),
    ("NOT_SUPPORTED_ERR", 9),
    ("INUSE_ATTRIBUTE_ERR", 10),
    ("INVALID_STATE_ERR", 11),
    ("SYNTAX_ERR", 12),
    ("INVALID_MODIFICATION_ERR", 13),
    ("NAMESPACE_ERR", 14),
    ("INVALID_ACCESS_ERR", 15),
    ("VALIDATION_ERR", 16),
    ("TYPE_MISMATCH_ERR", 17),
    ("SECURITY_ERR", 18),
    ("NETWORK_ERR", 19),
    ("ABORT_ERR", 20),
    ("URL_MISMATCH_ERR", 21),
    ("QUOTA_EXCEEDED_ERR", 22),
    ("TIMEOUT_ERR", 23),
    ("INVALID_NODE_TYPE_ERR", 24),
    ("DATA_CLONE_ERR", 25),
];

/// The platform object's state: WebIDL's `name` and `message`.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct DomException {
    name: JsString,
    message: JsString,
}

const INTERFACE: &str = "DOMException";

/// Creates a `DOMException` object with `name` and `message`.
pub fn create(ctx: &mut Context, name: ExceptionName, message: &str) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        DomException { name: js_string!(name.as_str()), message: JsString::from(message) },
    ))
}

/// A `DOMException` ready to be thrown or used as a rejection reason.
pub fn error(ctx: &mut Context, name: ExceptionName, message: &str) -> JsError {
    match create(ctx, name, message) {
        Ok(object) => JsError::from_opaque(object.into()),
        Err(e) => e,
    }
}

fn this_exception(this: &JsValue) -> JsResult<(JsString, JsString)> {
    this.as_object()
        .and_then(|o| o.downcast_ref::<DomException>().map(|e| (e.name.clone(), e.message.clone())))
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

// https://webidl.spec.whatwg.org/#dom-domexception-domexception
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let message = webidl::optional_dom_string(args.first(), js_string!(), ctx)?;
    let name = webidl::optional_dom_string(args.get(1), js_string!("Error"), ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    Ok(JsObject::from_proto_and_data(prototype, DomException { name, message }).into())
}

fn get_name(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_exception(this)?.0.into())
}

fn get_message(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_exception(this)?.1.into())
}

fn get_code(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (name, _) = this_exception(this)?;
    Ok(ExceptionName::code_for(&name.to_std_string_escaped()).into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let error_prototype = ctx.intrinsics().constructors().error().prototype();
    let mut builder = InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 0)
        .attribute("name", get_name, None)
        .attribute("message", get_message, None)
        .attribute("code", get_code, None);
    for (constant, code) in LEGACY_CONSTANTS {
        builder = builder.constant(constant, code);
    }
    // WebIDL: DOMException's prototype inherits from %Error.prototype%.
    builder.prototype().set_prototype(Some(error_prototype));
    builder.build()?;
    Ok(())
}
