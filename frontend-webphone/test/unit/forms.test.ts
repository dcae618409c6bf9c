import { describe, expect, it } from 'vitest';
import { validateExtensionForm } from '../../src/components/voxdesk-extension-settings';
import { fieldsFromDetail, plainSettings, providerErrorField, validateProviderDraft } from '../../src/components/voxdesk-provider-settings';
import { providerKind } from './support/provider-kinds';

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
    expect(validateProviderDraft(providerKind('asterisk'), asterisk)).toEqual({});
  });

  it('names each missing or malformed field', () => {
    expect(
      validateProviderDraft(providerKind('asterisk'), {
        ...asterisk,
        name: ' ',
        secret: '',
        settings: { ...asterisk.settings, baseUrl: 'pbx:8088', username: '', agentRingSeconds: '0', agentEndpoint: 'PJSIP/1001' },
      }),
    ).toEqual({ name: 'required', secret: 'required', baseUrl: 'url', username: 'required', agentRingSeconds: 'number', agentEndpoint: 'pattern' });
  });

  it('keeps a stored secret when none is typed', () => {
    expect(validateProviderDraft(providerKind('asterisk'), { ...asterisk, secret: '', secretSet: true })).toEqual({});
  });

  it('needs only a token for API4COM', () => {
    expect(validateProviderDraft(providerKind('api4com'), { name: 'API4COM', secret: 'tok', secretSet: false, settings: {} })).toEqual({});
  });

  it('checks a kind it has never heard of by what that kind declares', () => {
    const fake = providerKind('fakepbx');
    expect(plainSettings(fake).map((setting) => setting.name)).toEqual(['account', 'region', 'answerAfterSeconds', 'sipDomain', 'statusUrl', 'recording']);
    expect(validateProviderDraft(fake, { name: 'Fake', secret: 'fk_globex2026', secretSet: false, settings: { account: 'globex', answerAfterSeconds: '5' } })).toEqual({});
    expect(
      validateProviderDraft(fake, {
        name: 'Fake',
        secret: 'Bearer 123',
        secretSet: false,
        settings: { account: 'Globex Inc', answerAfterSeconds: '61', statusUrl: 'status.fakepbx.test' },
      }),
    ).toEqual({ secret: 'pattern', account: 'pattern', answerAfterSeconds: 'number', statusUrl: 'url' });
  });

  it('maps server field names onto form fields', () => {
    expect(providerErrorField('settings[baseUrl]')).toBe('baseUrl');
    expect(providerErrorField('settings.application')).toBe('application');
    expect(providerErrorField('name')).toBe('name');
  });

  it("attaches a connector's refusal to the setting it starts with", () => {
    expect(fieldsFromDetail(providerKind('asterisk'), 'agentEndpoint must contain {extension}, e.g. PJSIP/{extension}.')).toEqual({
      agentEndpoint: 'agentEndpoint must contain {extension}, e.g. PJSIP/{extension}.',
    });
    expect(fieldsFromDetail(providerKind('api4com'), 'username is required')).toEqual({});
    expect(fieldsFromDetail(providerKind('asterisk'), 'The API token must be sent alone')).toEqual({});
  });
});
