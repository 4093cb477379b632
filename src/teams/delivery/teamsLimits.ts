/**
 * Teams' documented limits for a bot's writes ("Optimize your bot with rate limiting and best
 * practices in Teams", https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit):
 * per bot per conversation 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per 3,600 s; per app per
 * tenant 50 per second across all conversations. Every operation counts, posts and updates alike.
 * The same page asks for exponential backoff with random jitter on 429 and a retry of 412, 502
 * and 504 too.
 */
export interface RateWindow {
  ms: number;
  max: number;
}

export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

export const TEAMS_TENANT_LIMITS: readonly RateWindow[] = [{ ms: 1_000, max: 50 }];

/**
 * What the outbox paces to: one below each documented figure, because replies inside a turn
 * (which the outbox does not see) count against the same conversation; and each window a tenth
 * longer, because Teams counts a write when it arrives, a little after the outbox sent it, and
 * that delay varies.
 */
export function pacedBelow(limits: readonly RateWindow[], timeScale = 1): RateWindow[] {
  return limits.map((window) => ({ ms: window.ms * timeScale * 1.1, max: Math.max(1, window.max - 1) }));
}

/** Statuses worth another attempt: throttled, overlapping write, gateway trouble. */
export const TRANSIENT_STATUSES: readonly number[] = [412, 429, 502, 503, 504];
