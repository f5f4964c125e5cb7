// A complete Clear Key licence exchange, as a browser player would run it:
// requestMediaKeySystemAccess → createMediaKeys → createSession → generateRequest →
// message (licence request) → update (licence) → keystatuseschange → close.
//
//   eme run examples/clearkey-session.js

const keyId = new Uint8Array([0x9e, 0xb4, 0x05, 0x0d, 0xe4, 0x4b, 0x47, 0x02, 0xa1, 0x4d, 0x3c, 0x8c, 0x2e, 0x1f, 0x1d, 0x6b]);
const key = new Uint8Array([0x6b, 0x65, 0x79, 0x2d, 0x6f, 0x66, 0x2d, 0x74, 0x68, 0x65, 0x2d, 0x64, 0x65, 0x6d, 0x6f, 0x21]);

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

// The licence server: answers a Clear Key licence request with a JWK Set.
function licenceServer(request) {
  const { kids, type } = JSON.parse(new TextDecoder().decode(request));
  const keys = kids.map((kid) => ({ kty: "oct", kid, k: base64url(key) }));
  return new TextEncoder().encode(JSON.stringify({ keys, type }));
}

async function main() {
  const access = await navigator.requestMediaKeySystemAccess("org.w3.clearkey", [{
    initDataTypes: ["keyids", "cenc"],
    videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"', encryptionScheme: "cenc" }],
  }]);
  console.log("key system:", access.keySystem);
  console.log("configuration:", JSON.stringify(access.getConfiguration()));

  const mediaKeys = await access.createMediaKeys();
  const session = mediaKeys.createSession("temporary");

  const statusesChanged = new Promise((resolve) => {
    session.addEventListener("keystatuseschange", function onChange() {
      session.removeEventListener("keystatuseschange", onChange);
      resolve();
    });
  });

  session.onmessage = async (event) => {
    console.log("message:", event.messageType);
    console.log("licence request:", new TextDecoder().decode(event.message));
    const licence = licenceServer(event.message);
    console.log("licence:", new TextDecoder().decode(licence));
    await session.update(licence);
  };

  const initData = new TextEncoder().encode(JSON.stringify({ kids: [base64url(keyId)] }));
  await session.generateRequest("keyids", initData);
  console.log("session id:", session.sessionId);

  await statusesChanged;
  session.keyStatuses.forEach((status, id) => console.log("key", hex(id), "is", status));

  await session.close();
  console.log("closed:", await session.closed);
}

main();
