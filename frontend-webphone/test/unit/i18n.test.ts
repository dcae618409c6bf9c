import { describe, expect, it } from 'vitest';
import { messages, resolveLang, translate } from '../../src/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('i18n', () => {
  const english = Object.keys(messages.en).sort();
  const portuguese = Object.keys(messages['pt-BR']).sort();

  it('has every key in both languages', () => {
    expect(portuguese).toEqual(english);
  });

  it('has no empty string', () => {
    for (const lang of ['en', 'pt-BR'] as const) {
      for (const [key, text] of Object.entries(messages[lang])) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of english) {
      const k = key as keyof typeof messages.en;
      expect(placeholders(messages['pt-BR'][k]), key).toEqual(placeholders(messages.en[k]));
    }
  });

  it('translates the visible texts, not just copies them', () => {
    const same = english.filter((key) => {
      const k = key as keyof typeof messages.en;
      return messages.en[k] === messages['pt-BR'][k];
    });
    // Proper names and formats that read the same in both languages.
    expect(same.sort()).toEqual(['common.none', 'incoming.ticket', 'prov.kind.api4com', 'prov.kind.asterisk', 'prov.secretState'].sort());
  });

  it('picks the language from the first usable candidate', () => {
    expect(resolveLang('pt-BR')).toBe('pt-BR');
    expect(resolveLang('pt')).toBe('pt-BR');
    expect(resolveLang('PT-pt')).toBe('pt-BR');
    expect(resolveLang('', undefined, 'pt-BR')).toBe('pt-BR');
    expect(resolveLang('en-GB', 'pt-BR')).toBe('en');
    expect(resolveLang('fr', 'pt-BR')).toBe('pt-BR');
    expect(resolveLang('de')).toBe('en');
    expect(resolveLang()).toBe('en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'callButton.label', { number: '+55 48 3332-8530' })).toBe('Call +55 48 3332-8530');
    expect(translate('pt-BR', 'callButton.label', { number: '123' })).toBe('Ligar para 123');
    expect(translate('en', 'callButton.label')).toBe('Call {number}');
  });
});
