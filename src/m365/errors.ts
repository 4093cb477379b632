import type { M365ErrorCode } from './types';
import type { OperationName } from './operations';
import { describeOperation, requiredAccess } from './operations';

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
}

/** The one error type the service layer throws: a stable code plus a message and a remedy to show. */
export class M365Error extends Error {
  readonly code: M365ErrorCode;
  readonly operation: OperationName;
  readonly status: number;
  readonly requestId?: string;
  readonly serviceCode?: string;
  readonly remedy: string;

  constructor(details: M365ErrorDetails) {
    super(details.message);
    this.name = 'M365Error';
    this.code = details.code;
    this.operation = details.operation;
    this.status = details.status;
    this.requestId = details.requestId;
    this.serviceCode = details.serviceCode;
    this.remedy = details.remedy;
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

function withServiceMessage(summary: string, serviceMessage: string | undefined): string {
  return serviceMessage ? `${summary} The service said: ${serviceMessage}` : summary;
}

/** Maps a failed answer to the stable code, a message that is safe to show, and a remedy. */
export function errorFromResponse(operation: OperationName, failure: FailedResponse): M365Error {
  const what = describeOperation(operation).description;
  const base = {
    operation,
    status: failure.status,
    requestId: failure.requestId,
    serviceCode: failure.serviceCode,
  };
  const serviceMessage = failure.serviceMessage;
  const { status } = failure;

  if (status === 401) {
    return new M365Error({
      ...base,
      code: 'Unauthenticated',
      message: withServiceMessage(
        `Microsoft 365 refused Remediator's credentials while trying to ${what}.`,
        serviceMessage,
      ),
      remedy:
        'Check the app registration (tenant id, client id, secret or certificate) and that it has not expired.',
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
        message: withServiceMessage(`The tenant is not licensed to ${what}.`, serviceMessage),
        remedy: 'Identity Protection needs Microsoft Entra ID P2; skip this step or license the tenant.',
      });
    }
    return new M365Error({
      ...base,
      code: 'PermissionDenied',
      message: withServiceMessage(
        `Remediator is not allowed to ${what}: it needs ${requiredAccess(operation)}.`,
        serviceMessage,
      ),
      remedy: `Grant Remediator's app ${requiredAccess(operation)}, then retry the step.`,
    });
  }
  if (status === 404) {
    return new M365Error({
      ...base,
      code: 'NotFound',
      message: withServiceMessage(`Could not ${what}: the object does not exist (any more).`, serviceMessage),
      remedy: 'Check the id; if the object was already removed, there is nothing left to do.',
    });
  }
  if (status === 400 && serviceMessage && SYNCED_USER_MARKER.test(serviceMessage)) {
    return new M365Error({
      ...base,
      code: 'SyncedUserReadOnly',
      message: `Could not ${what}: the user is synchronised from on-premises Active Directory, so the cloud copy cannot change it.`,
      remedy:
        'Reset the password on-premises (Active Directory Users and Computers or your AD tooling), then let Microsoft Entra Connect sync it; block sign-in and revoke sessions here meanwhile.',
    });
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
      message: withServiceMessage(
        `Could not ${what}: it is the user's default sign-in method.`,
        serviceMessage,
      ),
      remedy:
        "Change the user's default sign-in method first (Entra admin center > user > Authentication methods), or delete the user's other methods first, then retry.",
    });
  }
  if (status === 424) {
    return new M365Error({
      ...base,
      code: 'FailedDependency',
      message: `Could not ${what}: a request it depended on failed.`,
      remedy: 'Fix the earlier failure, then retry.',
    });
  }
  if (status === 429) {
    return new M365Error({
      ...base,
      code: 'Throttled',
      message: `Microsoft 365 is throttling Remediator; could not ${what} after several retries.`,
      remedy: 'Wait a minute and retry the step.',
    });
  }
  if (status === 503 || status === 504 || status === 502 || status === 0) {
    return new M365Error({
      ...base,
      code: 'ServiceUnavailable',
      message: `Microsoft 365 did not answer in time; could not ${what}.`,
      remedy: 'Retry the step shortly; check https://status.cloud.microsoft if it persists.',
    });
  }
  if (status >= 400 && status < 500) {
    return new M365Error({
      ...base,
      code: 'BadRequest',
      message: withServiceMessage(`Microsoft 365 rejected the request to ${what}.`, serviceMessage),
      remedy: 'Check the values involved; this is usually not fixed by retrying.',
    });
  }
  return new M365Error({
    ...base,
    code: 'Unknown',
    message: withServiceMessage(`Unexpected answer (${status}) while trying to ${what}.`, serviceMessage),
    remedy: 'Retry the step; if it keeps failing, check the service health and the logs (request id).',
  });
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
    message: `Unexpected answer shape while trying to ${describeOperation(operation).description}: ${issue}.`,
    remedy: 'The API may have changed; report this with the request id.',
  });
}

/** Rejects a value before it reaches a URL or a cmdlet (ids, UPNs, rule identities). */
export function invalidInput(operation: OperationName, message: string): M365Error {
  return new M365Error({
    operation,
    status: 0,
    code: 'BadRequest',
    message,
    remedy: 'Check the value passed in; nothing was sent to Microsoft 365.',
  });
}

/** Removes a secret from a message in case a service ever echoes it back. */
export function scrubSecret(error: M365Error, secret: string): M365Error {
  if (secret.length === 0 || !error.message.includes(secret)) return error;
  return new M365Error({ ...error.toJSON(), message: error.message.split(secret).join('[redacted]') });
}
