import type { PolicyConfig } from '../../src/config/config';
import type { M365Services } from '../../src/m365/types';
import { createSilentLogger } from '../../src/observability/logger';
import type { Actor, RemediationEngine } from '../../src/remediation/contract';
import { createRemediationEngine } from '../../src/remediation/engine';
import type { RemediationEngineDeps } from '../../src/remediation/engine';
import { createSqliteStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { IDS } from '../support/fakeM365Services';

export const ALEX: Actor = {
  id: IDS.alex,
  displayName: 'Alex Wilber',
  userPrincipalName: 'AlexW@contoso.com',
};
export const ADELE: Actor = {
  id: IDS.adele,
  displayName: 'Adele Vance',
  userPrincipalName: 'AdeleV@contoso.com',
};
export const ISAIAH: Actor = {
  id: IDS.isaiah,
  displayName: 'Isaiah Langer',
  userPrincipalName: 'IsaiahL@contoso.com',
};
export const MEGAN: Actor = {
  id: IDS.megan,
  displayName: 'Megan Bowen',
  userPrincipalName: 'MeganB@contoso.com',
};
export const PATTI: Actor = {
  id: IDS.patti,
  displayName: 'Patti Fernandez',
  userPrincipalName: 'PattiF@contoso.com',
};

export const DEFAULT_POLICY: PolicyConfig = {
  respondersGroupId: IDS.responders,
  breakGlassAccounts: ['breakglass01@contoso.com'],
  fourEyes: true,
};

export function sequentialIds(prefix = 'id'): () => string {
  let next = 0;
  return () => {
    next += 1;
    return `${prefix}-${next}`;
  };
}

export function createEngine(
  services: M365Services,
  options: Partial<RemediationEngineDeps> & { store?: Store } = {},
): { engine: RemediationEngine; store: Store } {
  const store = options.store ?? createSqliteStore({ inMemory: true });
  const engine = createRemediationEngine({
    services,
    store,
    policy: DEFAULT_POLICY,
    clock: () => new Date(),
    logger: createSilentLogger(),
    ids: sequentialIds(),
    ownIdentityIds: [IDS.remediatorApp],
    sleep: async () => undefined,
    ...options,
  });
  return { engine, store };
}
