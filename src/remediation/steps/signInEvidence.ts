import { message } from '../../i18n/message';
import type { SignInEvent } from '../../m365/types';
import type { Finding } from '../contract';
import { finding, stepTexts } from './text';
import type { StepModule } from './types';

/** Also read by the inbox-rules step for the compromise window (one shared read: same user, same count). */
export const SIGN_INS_TO_READ = 50;

/** Graph reports ISO 3166 codes ("NO"); the edge names the region in the reader's language. */
function countryOf(event: SignInEvent): string {
  return event.countryOrRegion ?? '';
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))];
}

/**
 * Step 12: evidence only (no write). Sign-ins are compared with the user's most common country
 * among successful sign-ins (high when also flagged risky); failures are listed separately.
 */
export const signInEvidence: StepModule = {
  id: 'sign-in-evidence',
  ...stepTexts('sign-in-evidence'),
  undoable: false,

  async discover(ctx) {
    const now = ctx.now().toISOString();
    const events = await ctx.services.signIns.listRecentSignIns(ctx.target.id, SIGN_INS_TO_READ);
    const successes = events.filter((event) => event.succeeded);
    const failures = events.filter((event) => !event.succeeded);
    const usual = mostCommon(successes.map(countryOf));
    const usualParam: Record<string, string> = usual === undefined ? {} : { usual };
    const findings: Finding[] = [];

    for (const [country, group] of groupBy(successes, countryOf)) {
      const latest = group[0];
      if (!latest) continue;
      const cities = unique(group.map((event) => event.city));
      const risky = group.filter(
        (event) => event.riskLevel && !['none', 'low', 'hidden'].includes(event.riskLevel),
      );
      const unusual = country !== usual;
      findings.push(
        finding(
          {
            id: `sign-ins-${findings.length + 1}`,
            // A second country can be travel; risk flags from Identity Protection make it the attacker.
            suspicion: unusual
              ? risky.length > 0
                ? 'high'
                : 'medium'
              : risky.length > 0
                ? 'medium'
                : 'none',
            selectedByDefault: false,
          },
          message('signIns.findingSuccess', { count: group.length, country, cities }),
          [
            unusual ? message('signIns.reasonUnusual', usualParam) : message('signIns.reasonUsual'),
            message('signIns.reasonRecent', {
              then: latest.createdDateTime,
              now,
              ips: unique(group.map((event) => event.ipAddress)),
              apps: unique(group.map((event) => event.appDisplayName)),
            }),
            ...(risky.length > 0 ? [message('signIns.reasonRisky', { count: risky.length })] : []),
          ],
        ),
      );
    }
    for (const [country, group] of groupBy(failures, countryOf)) {
      const latest = group[0];
      if (!latest) continue;
      const reasons = unique(group.map((event) => event.failureReason));
      findings.push(
        finding(
          {
            id: `sign-ins-${findings.length + 1}`,
            suspicion: country !== usual ? 'medium' : 'low',
            selectedByDefault: false,
          },
          message('signIns.findingFailure', { count: group.length, country }),
          [
            message('signIns.reasonRecent', {
              then: latest.createdDateTime,
              now,
              ips: unique(group.map((event) => event.ipAddress)),
            }),
            ...(reasons.length ? [message('signIns.reasonFailure', { reasons: reasons.join('; ') })] : []),
            ...(country !== usual ? [message('signIns.reasonNotUsual', usualParam)] : []),
          ],
        ),
      );
    }
    return { findings, candidates: [] };
  },

  async execute() {
    return { requestIds: [] };
  },

  async verify() {
    return 'applied';
  },
};
