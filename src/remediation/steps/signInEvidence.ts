import type { SignInEvent } from '../../m365/types';
import type { Finding } from '../contract';
import { describeAge } from '../time';
import type { StepModule } from './types';

const SIGN_INS_TO_READ = 50;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Graph reports ISO 3166 codes ("NO"); responders read names ("Norway"). */
function countryOf(event: SignInEvent): string {
  const code = event.countryOrRegion;
  if (!code) return 'an unknown location';
  try {
    return /^[A-Za-z]{2}$/.test(code) ? (regionNames.of(code.toUpperCase()) ?? code) : code;
  } catch {
    return code;
  }
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
  title: 'Review sign-in evidence',
  summary: 'Shows where and how the account was used recently, to scope the incident and spot the attacker.',
  manualSteps:
    'In the Microsoft Entra admin center open the user > Sign-in logs (needs Microsoft Entra ID P1 or P2 and the Reports Reader role).',
  undoable: false,

  async discover(ctx) {
    const now = ctx.now();
    const events = await ctx.services.signIns.listRecentSignIns(ctx.target.id, SIGN_INS_TO_READ);
    const successes = events.filter((event) => event.succeeded);
    const failures = events.filter((event) => !event.succeeded);
    const usual = mostCommon(successes.map(countryOf));
    const findings: Finding[] = [];

    for (const [country, group] of groupBy(successes, countryOf)) {
      const latest = group[0];
      if (!latest) continue;
      const cities = unique(group.map((event) => event.city));
      const ips = unique(group.map((event) => event.ipAddress));
      const apps = unique(group.map((event) => event.appDisplayName));
      const risky = group.filter(
        (event) => event.riskLevel && !['none', 'low', 'hidden'].includes(event.riskLevel),
      );
      const unusual = country !== usual;
      findings.push({
        id: `sign-ins-${findings.length + 1}`,
        title: `${group.length} successful sign-in${group.length === 1 ? '' : 's'} from ${country}${cities.length ? ` (${cities.join(', ')})` : ''}`,
        reasons: [
          unusual
            ? `unusual country: the user usually signs in from ${usual ?? 'elsewhere'}`
            : "the user's usual country",
          `most recent ${describeAge(latest.createdDateTime, now)}; IP ${ips.join(', ')}; apps ${apps.join(', ')}`,
          ...(risky.length > 0 ? [`${risky.length} flagged risky by Identity Protection`] : []),
        ],
        // A second country can be travel; risk flags from Identity Protection make it the attacker.
        suspicion: unusual ? (risky.length > 0 ? 'high' : 'medium') : risky.length > 0 ? 'medium' : 'none',
        selectedByDefault: false,
      });
    }
    for (const [country, group] of groupBy(failures, countryOf)) {
      const latest = group[0];
      if (!latest) continue;
      const reasons = unique(group.map((event) => event.failureReason));
      findings.push({
        id: `sign-ins-${findings.length + 1}`,
        title: `${group.length} failed sign-in${group.length === 1 ? '' : 's'} from ${country}`,
        reasons: [
          `most recent ${describeAge(latest.createdDateTime, now)}; IP ${unique(group.map((event) => event.ipAddress)).join(', ')}`,
          ...(reasons.length ? [`failure: ${reasons.join('; ')}`] : []),
          ...(country !== usual ? [`not the usual country (${usual ?? 'unknown'})`] : []),
        ],
        suspicion: country !== usual ? 'medium' : 'low',
        selectedByDefault: false,
      });
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
