// META: script=/resources/WebIDLParser.js
// META: script=/resources/idlharness.js
// META: timeout=long
// The Encrypted Media Extensions IDL (from @webref/idl, see scripts/fetch-test-deps) checked
// against the host's interface objects and one live instance of each interface.
'use strict';

idl_test(
  ['encrypted-media'],
  ['html', 'dom'],
  async idl_array => {
    const access = await navigator.requestMediaKeySystemAccess('org.w3.clearkey', [{
      initDataTypes: ['keyids'],
      audioCapabilities: [{ contentType: 'audio/mp4; codecs="mp4a.40.2"' }],
    }]);
    self.access = access;
    self.mediaKeys = await access.createMediaKeys();
    self.session = self.mediaKeys.createSession();
    self.messageEvent = new MediaKeyMessageEvent('message', {
      messageType: 'license-request',
      message: new ArrayBuffer(8),
    });
    self.encryptedEvent = new MediaEncryptedEvent('encrypted', {
      initDataType: 'keyids',
      initData: new ArrayBuffer(8),
    });
    idl_array.add_objects({
      Navigator: ['navigator'],
      MediaKeySystemAccess: ['access'],
      MediaKeys: ['mediaKeys'],
      MediaKeySession: ['session'],
      MediaKeyStatusMap: ['session.keyStatuses'],
      MediaKeyMessageEvent: ['messageEvent'],
      MediaEncryptedEvent: ['encryptedEvent'],
    });
  }
);
