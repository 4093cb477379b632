import { exchangeRoutes } from './exchange/invokeCommand';
import { authMethodRoutes } from './graph/authMethods';
import { batchRoutes } from './graph/batch';
import { consentRoutes } from './graph/consents';
import { groupRoutes } from './graph/groups';
import { identityProtectionRoutes } from './graph/identityProtection';
import { mailRuleRoutes } from './graph/mailRules';
import { roleRoutes } from './graph/roles';
import { signInRoutes } from './graph/signIns';
import { teamsAppRoutes } from './graph/teamsApps';
import { userRoutes } from './graph/users';
import type { RouteDef } from './http';

/** Every Graph and Exchange route the simulated tenant serves. */
export const allRoutes: RouteDef[] = [
  ...userRoutes,
  ...groupRoutes,
  ...roleRoutes,
  ...mailRuleRoutes,
  ...authMethodRoutes,
  ...consentRoutes,
  ...identityProtectionRoutes,
  ...signInRoutes,
  ...teamsAppRoutes,
  ...batchRoutes,
  ...exchangeRoutes,
];
