/** "2 hours ago", "3 days ago": how responders read recency on a card. */
export function describeAge(then: string | Date, now: Date): string {
  const thenMs = typeof then === 'string' ? Date.parse(then) : then.getTime();
  if (Number.isNaN(thenMs)) return 'at an unknown time';
  const seconds = Math.max(0, Math.round((now.getTime() - thenMs) / 1000));
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `${count} ${name}${count === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

export function ageInMs(then: string | undefined, now: Date): number | undefined {
  if (then === undefined) return undefined;
  const ms = Date.parse(then);
  return Number.isNaN(ms) ? undefined : now.getTime() - ms;
}
