// 10,000 full session cycles: createSession → generateRequest → message → update →
// keystatuseschange → close. Prints the wall time and the rate.
//
//   eme run examples/bench-sessions.js [--timeout 300]

const CYCLES = 10000;
const keyId = new Uint8Array(16).fill(7);
const key = new Uint8Array(16).fill(9);
const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const initData = new TextEncoder().encode(JSON.stringify({ kids: [b64(keyId)] }));
const licence = new TextEncoder().encode(JSON.stringify({ keys: [{ kty: "oct", kid: b64(keyId), k: b64(key) }] }));

function cycle(mediaKeys) {
  return new Promise((resolve, reject) => {
    const session = mediaKeys.createSession();
    session.onmessage = () => session.update(licence).catch(reject);
    session.onkeystatuseschange = () => {
      if (session.keyStatuses.size === 1) session.close().then(resolve, reject);
    };
    session.generateRequest("keyids", initData).catch(reject);
  });
}

async function main() {
  const access = await navigator.requestMediaKeySystemAccess("org.w3.clearkey", [{
    initDataTypes: ["keyids"],
    videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"' }],
  }]);
  const mediaKeys = await access.createMediaKeys();
  const start = Date.now();
  for (let i = 0; i < CYCLES; i++) await cycle(mediaKeys);
  const ms = Date.now() - start;
  console.log(`${CYCLES} session cycles in ${ms} ms (${(CYCLES / (ms / 1000)).toFixed(0)} cycles/s, ${(ms * 1000 / CYCLES).toFixed(1)} µs/cycle)`);
}

main();
