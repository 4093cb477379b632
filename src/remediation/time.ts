export function ageInMs(then: string | undefined, now: Date): number | undefined {
  if (then === undefined) return undefined;
  const ms = Date.parse(then);
  return Number.isNaN(ms) ? undefined : now.getTime() - ms;
}
