/** Status codes Table Storage answers a conditional write with (also inside a transaction). */
export const HTTP_NOT_FOUND = 404;
export const HTTP_CONFLICT = 409;
export const HTTP_PRECONDITION_FAILED = 412;

export function hasStatus(error: unknown, ...statuses: number[]): boolean {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return false;
  const { statusCode } = error;
  return typeof statusCode === 'number' && statuses.includes(statusCode);
}
