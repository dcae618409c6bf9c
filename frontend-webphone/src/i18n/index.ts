import { en, type MessageKey } from './en';
import { ptBR } from './pt-BR';

export type { MessageKey } from './en';

/** A language the components speak. */
export type Lang = 'en' | 'pt-BR';

/** Every catalogue, by language. */
export const messages: Record<Lang, Record<MessageKey, string>> = { en, 'pt-BR': ptBR };

/** The first usable language among the candidates (attribute, configuration, browser); English otherwise. */
export function resolveLang(...candidates: (string | null | undefined)[]): Lang {
  for (const candidate of candidates) {
    if (!candidate) {
      continue;
    }
    const lower = candidate.toLowerCase();
    if (lower.startsWith('pt')) {
      return 'pt-BR';
    }
    if (lower.startsWith('en')) {
      return 'en';
    }
  }
  return 'en';
}

/** Whether the catalogues have a text for `key` (labels of settings a connector declares may have none). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages.en, key);
}

/** The text for `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = messages[lang][key] ?? messages.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
