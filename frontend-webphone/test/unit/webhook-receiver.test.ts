// @vitest-environment node
import { describe, expect, it } from 'vitest';
import documentation from '../../../docs/webhooks.md?raw';
import receiverSource from '../../examples/webhook-receiver.ts?raw';
import { verifyWebhook } from '../../examples/webhook-receiver';
import delivery from './fixtures/webhook-delivery.json';

/**
 * The TypeScript receiver docs/webhooks.md gives hosts, run against a delivery Voxdesk really sent: recorded from
 * the webhooks module's tests (`WebhookDeliveryTests`, regenerated with `-Dvoxdesk.docs.update=true`).
 */
describe('the documented TypeScript webhook receiver', () => {
  const at = Number(delivery.timestamp);

  it('accepts a real delivery', async () => {
    expect(await verifyWebhook(delivery.secret, delivery.id, delivery.timestamp, delivery.signature, delivery.body, at)).toBe(true);
    expect(JSON.parse(delivery.body).type).toBe('ticket.created');
  });

  it('refuses it tampered with, under another secret, replayed late, or with a forged signature', async () => {
    const tampered = delivery.body.replace('"ticket.created"', '"ticket.closed"');
    expect(await verifyWebhook(delivery.secret, delivery.id, delivery.timestamp, delivery.signature, tampered, at)).toBe(false);
    const otherSecret = 'whsec_' + btoa('another secret of 32 bytes......');
    expect(await verifyWebhook(otherSecret, delivery.id, delivery.timestamp, delivery.signature, delivery.body, at)).toBe(false);
    expect(await verifyWebhook(delivery.secret, delivery.id, delivery.timestamp, delivery.signature, delivery.body, at + 301)).toBe(false);
    expect(await verifyWebhook(delivery.secret, delivery.id, delivery.timestamp, 'v1,not-base64!! v2,abc', delivery.body, at)).toBe(false);
    expect(await verifyWebhook(delivery.secret, 'msg_other', delivery.timestamp, delivery.signature, delivery.body, at)).toBe(false);
  });

  it('is quoted exactly by docs/webhooks.md', () => {
    const begin = '// --- docs/webhooks.md: TypeScript receiver (begin)\n';
    const end = '// --- docs/webhooks.md: TypeScript receiver (end)';
    const snippet = receiverSource.slice(receiverSource.indexOf(begin) + begin.length, receiverSource.indexOf(end));
    expect(documentation).toContain('```ts\n' + snippet + '```');
  });
});
