// Plays Common Encryption content the way a page does in a browser: a <video> element points at
// an encrypted MP4, the `encrypted` event starts a Clear Key session, the licence comes from a
// key file, and every frame is decrypted while the virtual clock plays the clip to its end.
//
//   eme run --allow-read wpt-subset/encrypted-media/content --media-report examples/play-encrypted.js
//
// `--media-report` prints the SHA-256 of the decrypted frames: the same as playing the clear
// packaging (content/clear/video.mp4) gives. Change `scheme` to play cbcs, cens or cbc1.

const content = "../wpt-subset/encrypted-media/content/";
const scheme = "cenc";

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromHex(hex) {
  return Uint8Array.from(hex.match(/../g), (byte) => parseInt(byte, 16));
}

// The "licence server": answers a Clear Key licence request from the keys in keys.json.
function licence(request, keys) {
  const { kids } = JSON.parse(new TextDecoder().decode(request));
  const known = Object.values(keys).map((k) => ({ kid: base64url(fromHex(k.kid)), k: base64url(fromHex(k.key)) }));
  const found = kids.map((kid) => known.find((k) => k.kid === kid)).filter(Boolean);
  return new TextEncoder().encode(JSON.stringify({ keys: found.map((k) => ({ kty: "oct", ...k })) }));
}

async function main() {
  const keys = await (await fetch(content + "keys.json")).json();
  const access = await navigator.requestMediaKeySystemAccess("org.w3.clearkey", [{
    initDataTypes: ["cenc"],
    videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.4d400d"', encryptionScheme: scheme === "cbcs" ? "cbcs" : "cenc" }],
  }]);
  const mediaKeys = await access.createMediaKeys();

  const video = document.createElement("video");
  document.body.appendChild(video);
  await video.setMediaKeys(mediaKeys);

  video.addEventListener("encrypted", async (event) => {
    console.log(`encrypted: initDataType "${event.initDataType}", ${event.initData.byteLength} bytes of pssh`);
    const session = mediaKeys.createSession();
    session.addEventListener("message", (message) => session.update(licence(message.message, keys)));
    await session.generateRequest(event.initDataType, event.initData);
  });
  video.addEventListener("waitingforkey", () => console.log(`waitingforkey at ${video.currentTime}s`));
  for (const type of ["loadedmetadata", "playing", "ended"]) {
    video.addEventListener(type, () => console.log(`${type} at ${video.currentTime}s, readyState ${video.readyState}`));
  }
  video.addEventListener("error", () => console.log(`error: ${video.error.code} ${video.error.message}`));

  const ended = new Promise((resolve) => video.addEventListener("ended", resolve));
  video.src = content + scheme + "/video.mp4";
  await video.play();
  await ended;
  console.log(`played ${video.duration}s of ${scheme} video`);
}

main();
