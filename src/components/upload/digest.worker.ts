/**
 * SHA-256 of one buffer off the page's main thread (fingerprint.ts `legacyFingerprint`): in Chromium
 * `crypto.subtle.digest` hashes on the calling thread, and an older upload key's 32 MiB held the page for
 * 0.2–0.3 s. Gets the bytes (transferred), answers with the digest's bytes or `null`; one message each way.
 */
const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<ArrayBuffer>) => void) | null; postMessage: (m: ArrayBuffer | null) => void };
scope.onmessage = (e) => {
  crypto.subtle.digest('SHA-256', e.data).then(
    (d) => scope.postMessage(d),
    () => scope.postMessage(null),
  );
};
