import type { StepModule } from './types';

const CONFIRMED = 'confirmedCompromised';

/** Step 11: tell Identity Protection (Entra ID P2) the user is compromised, so risk policies apply. */
export const confirmCompromised: StepModule = {
  id: 'confirm-compromised',
  title: 'Confirm user compromised',
  summary:
    'Marks the user as compromised in Identity Protection so risk-based policies and reports treat it as such.',
  manualSteps:
    'In the Microsoft Entra admin center open Protection > Identity Protection > Risky users, select the user and choose "Confirm user compromised" (needs Microsoft Entra ID P2).',
  undoable: false,

  async discover(ctx) {
    const risky = await ctx.services.identityProtection.getRiskyUser(ctx.target.id);
    if (risky?.riskState === CONFIRMED) return { findings: [], candidates: [] };
    return {
      findings: [
        {
          id: 'not-confirmed',
          title: 'Not yet confirmed as compromised',
          reasons: [
            risky
              ? `Identity Protection rates the user ${risky.riskLevel} risk (${risky.riskState})`
              : 'Identity Protection has no risk record for the user',
          ],
          suspicion: 'medium',
          selectedByDefault: true,
        },
      ],
      candidates: [
        {
          id: 'confirm-compromised',
          findingId: 'not-confirmed',
          kind: 'confirm-compromised',
          description: `Confirm ${ctx.target.displayName} as compromised in Identity Protection (risk level becomes high).`,
          payload: {},
        },
      ],
    };
  },

  async execute(ctx) {
    const result = await ctx.services.identityProtection.confirmCompromised([ctx.target.id]);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx) {
    const risky = await ctx.services.identityProtection.getRiskyUser(ctx.target.id);
    return risky?.riskState === CONFIRMED ? 'applied' : 'missing';
  },
};
