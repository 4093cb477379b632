import { invalidInput } from '../errors';
import type { OperationName } from '../operations';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Validates an id/UPN before it goes into a URL path, and encodes it as one segment. */
export function pathSegment(operation: OperationName, value: string, what: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw invalidInput(operation, `${what} is empty.`);
  }
  if (value.length > 1024 || CONTROL_CHARACTERS.test(value)) {
    throw invalidInput(operation, `${what} is not a valid identifier.`);
  }
  return encodeURIComponent(value);
}

/** An OData string literal for $filter: single quotes doubled, then URL-encoded. */
export function odataFilter(property: string, value: string): string {
  return encodeURIComponent(`${property} eq '${value.replace(/'/g, "''")}'`);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireGuid(operation: OperationName, value: string, what: string): string {
  if (typeof value !== 'string' || !GUID.test(value))
    throw invalidInput(operation, `${what} must be a GUID.`);
  return value;
}
