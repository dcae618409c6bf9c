import { describe, expect, it } from 'vitest';
import { validateExtensionForm } from '../../src/components/voxdesk-extension-settings';
import { fieldsFromDetail, providerErrorField, validateProviderDraft } from '../../src/components/voxdesk-provider-settings';

describe('extension form validation', () => {
  it('accepts what the server accepts', () => {
    expect(validateExtensionForm({ extension: '1001', websocketUrl: '' })).toEqual({});
    expect(validateExtensionForm({ extension: 'ana.silva_2-x', websocketUrl: 'wss://pbx.acme.example:8089/ws' })).toEqual({});
    expect(validateExtensionForm({ extension: '1001', websocketUrl: 'ws://127.0.0.1:5066' })).toEqual({});
  });

  it('refuses a bad extension and a non-WebSocket address', () => {
    expect(validateExtensionForm({ extension: '', websocketUrl: '' })).toEqual({ extension: 'ext.invalidExtension' });
    expect(validateExtensionForm({ extension: '10 01', websocketUrl: '' })).toEqual({ extension: 'ext.invalidExtension' });
    expect(validateExtensionForm({ extension: 'x'.repeat(41), websocketUrl: '' })).toEqual({ extension: 'ext.invalidExtension' });
    expect(validateExtensionForm({ extension: '1001', websocketUrl: 'https://pbx' })).toEqual({ websocketUrl: 'ext.invalidWebsocket' });
  });
});

describe('provider form', () => {
  const asterisk = {
    kind: 'asterisk' as const,
    name: 'Main PBX',
    secret: 's3cret',
    secretSet: false,
    settings: {
      baseUrl: 'http://pbx.example.com:8088',
      username: 'voxdesk',
      application: 'voxdesk',
      agentEndpoint: 'PJSIP/{extension}',
      outboundEndpoint: 'PJSIP/{number}@trunk',
    },
  };

  it('accepts a complete Asterisk connection', () => {
    expect(validateProviderDraft(asterisk)).toEqual({});
  });

  it('names each missing or malformed field', () => {
    expect(
      validateProviderDraft({ ...asterisk, name: ' ', secret: '', settings: { ...asterisk.settings, baseUrl: 'pbx:8088', username: '', agentRingSeconds: '0' } }),
    ).toEqual({ name: 'required', secret: 'required', baseUrl: 'url', username: 'required', agentRingSeconds: 'seconds' });
  });

  it('keeps a stored secret when none is typed', () => {
    expect(validateProviderDraft({ ...asterisk, secret: '', secretSet: true })).toEqual({});
  });

  it('needs only a token for API4COM', () => {
    expect(validateProviderDraft({ kind: 'api4com', name: 'API4COM', secret: 'tok', secretSet: false, settings: {} })).toEqual({});
  });

  it('maps server field names onto form fields', () => {
    expect(providerErrorField('settings[baseUrl]')).toBe('baseUrl');
    expect(providerErrorField('settings.application')).toBe('application');
    expect(providerErrorField('name')).toBe('name');
  });

  it("attaches a connector's refusal to the setting it starts with", () => {
    expect(fieldsFromDetail('asterisk', 'agentEndpoint must contain {extension}, e.g. PJSIP/{extension}.')).toEqual({
      agentEndpoint: 'agentEndpoint must contain {extension}, e.g. PJSIP/{extension}.',
    });
    expect(fieldsFromDetail('api4com', 'username is required')).toEqual({});
    expect(fieldsFromDetail('asterisk', 'The API token must be sent alone')).toEqual({});
  });
});
