import { english } from '../i18n/findings';
import { message as msg } from '../i18n/message';
import type { Message, MessageParam } from '../i18n/message';
import type { M365ErrorCode } from './types';
import type { OperationName } from './operations';
import { describeOperation } from './operations';

export interface M365ErrorDetails {
  code: M365ErrorCode;
  operation: OperationName;
  /** HTTP status the service answered with; 0 when no answer arrived. */
  status: number;
  requestId?: string;
  /** The service's own error code (e.g. Authorization_RequestDenied), for logs. */
  serviceCode?: string;
  /** Safe to show to a responder: never contains a password, TAP or token. */
  message: string;
  /** What a human can do about it. */
  remedy: string;
  /** `message` as data, rendered in each reader's language at the edge. */
  detail?: Message;
  /** `remedy` as data. */
  remedyDetail?: Message;
}

/** The one error type the service layer throws: a stable code plus a message and a remedy to show. */
export class M365Error extends Error {
  readonly code: M365ErrorCode;
  readonly operation: OperationName;
  readonly status: number;
  readonly requestId?: string;
  readonly serviceCode?: string;
  readonly remedy: string;
  readonly detail?: Message;
  readonly remedyDetail?: Message;

  constructor(details: M365ErrorDetails) {
    super(details.message);
    this.name = 'M365Error';
    this.code = details.code;
    this.operation = details.operation;
    this.status = details.status;
    this.requestId = details.requestId;
    this.serviceCode = details.serviceCode;
    this.remedy = details.remedy;
    if (details.detail) this.detail = details.detail;
    if (details.remedyDetail) this.remedyDetail = details.remedyDetail;
  }

  /** A plain object for logs and audit events. */
  toJSON(): M365ErrorDetails {
    return {
      code: this.code,
      operation: this.operation,
      status: this.status,
      requestId: this.requestId,
      serviceCode: this.serviceCode,
      message: this.message,
      remedy: this.remedy,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.remedyDetail ? { remedyDetail: this.remedyDetail } : {}),
    };
  }
}

export function isM365Error(error: unknown): error is M365Error {
  return error instanceof M365Error;
}

/** The parts of a failed HTTP answer the mapping needs, from a whole response or one $batch item. */
export interface FailedResponse {
  status: number;
  requestId?: string;
  serviceCode?: string;
  serviceMessage?: string;
}

const SYNCED_USER_MARKER = /on-premises mastered Directory Sync objects/i;
const LICENCE_MARKER = /licen[cs]e|premium|P2\b/i;

/** Pull `{ error: { code, message } }` (Graph and Exchange both use the OData shape) out of a body. */
export function readServiceError(body: unknown): { code?: string; message?: string; requestId?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return {};
  const { code, message, innerError } = error as { code?: unknown; message?: unknown; innerError?: unknown };
  let requestId: string | undefined;
  if (typeof innerError === 'object' && innerError !== null) {
    const id = (innerError as Record<string, unknown>)['request-id'];
    if (typeof id === 'string') requestId = id;
  }
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
    requestId,
  };
}

/**
 * The message and remedy of one kind of failure, as data (each reader's language) and in English
 * (logs, audit). `what`/`operation` name the operation; the service's own words ride along as given.
 */
function described(
  kind: string,
  operation: OperationName,
  extra: Record<string, MessageParam> = {},
): Pick<M365ErrorDetails, 'message' | 'remedy' | 'detail' | 'remedyDetail'> {
  const info = describeOperation(operation);
  const access: Record<string, MessageParam> = {
    permissions: info.permissions.join(' + '),
    ...(info.directoryRole ? { role: info.directoryRole } : {}),
  };
  const detail = msg(`m365.${kind}`, { what: info.description, operation, ...access, ...extra });
  const remedyDetail = msg(`m365.remedy.${kind}`, access);
  return { message: english(detail), remedy: english(remedyDetail), detail, remedyDetail };
}

/** Maps a failed answer to the stable code, a message that is safe to show, and a remedy. */
export function errorFromResponse(operation: OperationName, failure: FailedResponse): M365Error {
  const base = {
    operation,
    status: failure.status,
    requestId: failure.requestId,
    serviceCode: failure.serviceCode,
  };
  const serviceMessage = failure.serviceMessage;
  const said: Record<string, MessageParam> = serviceMessage ? { service: serviceMessage } : {};
  const { status } = failure;

  if (status === 401) {
    return new M365Error({
      ...base,
      code: 'Unauthenticated',
      ...described('unauthenticated', operation, said),
    });
  }
  if (status === 403) {
    if (
      serviceMessage &&
      LICENCE_MARKER.test(serviceMessage) &&
      operation.startsWith('identityProtection.')
    ) {
      return new M365Error({
        ...base,
        code: 'PermissionDenied',
        ...described('notLicensed', operation, said),
      });
    }
    return new M365Error({
      ...base,
      code: 'PermissionDenied',
      ...described('permissionDenied', operation, said),
    });
  }
  if (status === 404) {
    return new M365Error({ ...base, code: 'NotFound', ...described('notFound', operation, said) });
  }
  if (status === 400 && serviceMessage && SYNCED_USER_MARKER.test(serviceMessage)) {
    return new M365Error({ ...base, code: 'SyncedUserReadOnly', ...described('syncedUser', operation) });
  }
  if (
    status === 400 &&
    operation === 'authMethods.deleteMethod' &&
    serviceMessage &&
    /default/i.test(serviceMessage)
  ) {
    return new M365Error({
      ...base,
      code: 'DefaultMethodInUse',
      ...described('defaultMethod', operation, said),
    });
  }
  if (status === 424) {
    return new M365Error({ ...base, code: 'FailedDependency', ...described('failedDependency', operation) });
  }
  if (status === 429) {
    return new M365Error({ ...base, code: 'Throttled', ...described('throttled', operation) });
  }
  if (status === 503 || status === 504 || status === 502 || status === 0) {
    return new M365Error({ ...base, code: 'ServiceUnavailable', ...described('unavailable', operation) });
  }
  if (status >= 400 && status < 500) {
    return new M365Error({ ...base, code: 'BadRequest', ...described('badRequest', operation, said) });
  }
  return new M365Error({ ...base, code: 'Unknown', ...described('unknown', operation, { status, ...said }) });
}

/** A failure before any answer (network down, DNS, TLS): treated as the service being unavailable. */
export function errorFromTransportFailure(operation: OperationName, cause: unknown): M365Error {
  const error = errorFromResponse(operation, { status: 0 });
  if (cause instanceof Error) {
    // The cause's message names the host and the network error; it never carries request bodies.
    (error as { cause?: unknown }).cause = cause.message;
  }
  return error;
}

/** A 2xx answer whose body did not have the documented shape. */
export function errorFromUnexpectedShape(
  operation: OperationName,
  requestId: string | undefined,
  issue: string,
): M365Error {
  return new M365Error({
    operation,
    status: 200,
    requestId,
    code: 'Unknown',
    ...described('unexpectedShape', operation, { issue }),
  });
}

/** Rejects a value before it reaches a URL or a cmdlet (ids, UPNs, rule identities). */
export function invalidInput(operation: OperationName, message: string): M365Error {
  return new M365Error({
    operation,
    status: 0,
    code: 'BadRequest',
    ...described('invalidInput', operation, { issue: message }),
    message,
  });
}

/** Removes a secret from a message in case a service ever echoes it back. */
export function scrubSecret(error: M365Error, secret: string): M365Error {
  if (secret.length === 0 || !error.message.includes(secret)) return error;
  const { detail: _detail, ...rest } = error.toJSON();
  // The service's words carried the secret: only the scrubbed English text is kept.
  return new M365Error({ ...rest, message: error.message.split(secret).join('[redacted]') });
}
