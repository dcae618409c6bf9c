import type { ProviderKindDescription } from '../../../src/api/types';
import served from '../../fixtures/provider-kinds.json';

/**
 * What `GET /api/provider-kinds` answers with the Asterisk and API4COM connectors and the JVM tests' Fake PBX
 * installed: `ThirdConnectorTests` keeps the fixture equal to the real answer.
 */
export const providerKinds = served as ProviderKindDescription[];

/** The declaration of one installed kind. */
export function providerKind(code: string): ProviderKindDescription {
  const kind = providerKinds.find((candidate) => candidate.kind === code);
  if (!kind) {
    throw new Error(`no ${code} in the provider-kinds fixture`);
  }
  return kind;
}
