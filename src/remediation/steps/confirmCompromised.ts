import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { StepModule } from './types';

const CONFIRMED = 'confirmedCompromised';

/** Step 11: tell Identity Protection (Entra ID P2) the user is compromised, so risk policies apply. */
export const confirmCompromised: StepModule = {
  id: 'confirm-compromised',
  ...stepTexts('confirm-compromised'),
  undoable: false,

  async discover(ctx) {
    const risky = await ctx.services.identityProtection.getRiskyUser(ctx.target.id);
    if (risky?.riskState === CONFIRMED) return { findings: [], candidates: [] };
    return {
      findings: [
        finding(
          { id: 'not-confirmed', suspicion: 'medium', selectedByDefault: true },
          message('confirm.finding'),
          [
            risky
              ? message('confirm.reasonRisk', { level: risky.riskLevel, state: risky.riskState })
              : message('confirm.reasonNoRecord'),
          ],
        ),
      ],
      candidates: [
        {
          id: 'confirm-compromised',
          findingId: 'not-confirmed',
          kind: 'confirm-compromised',
          ...described(message('confirm.action', { name: ctx.target.displayName })),
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
