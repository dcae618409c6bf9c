// --- docs/webhooks.md: TypeScript receiver (begin)
/**
 * Whether a Voxdesk webhook delivery is authentic: a `v1` signature matches and the timestamp is within five
 * minutes. Web Crypto only, so it runs in Node 20+, Deno, Bun, edge workers and browsers alike.
 */
export async function verifyWebhook(
  secret: string,
  id: string,
  timestamp: string,
  signatures: string,
  body: string,
  nowSeconds: number = Date.now() / 1000,
): Promise<boolean> {
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) {
    return false; // too old or too new: a replay
  }
  const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', bytes(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  for (const signature of signatures.split(' ')) {
    const [version, value] = signature.split(',');
    try {
      // crypto.subtle.verify compares in constant time.
      if (version === 'v1' && value && (await crypto.subtle.verify('HMAC', key, bytes(value), signed))) {
        return true;
      }
    } catch {
      // not base64: not a signature of ours
    }
  }
  return false;
}
// --- docs/webhooks.md: TypeScript receiver (end)
