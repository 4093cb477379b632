import type { TokenCredential } from '@azure/identity';
import type { Logger } from 'pino';
import {
  errorFromResponse,
  errorFromTransportFailure,
  errorFromUnexpectedShape,
  readServiceError,
} from '../errors';
import type { RequestLimits } from '../limits';
import type { OperationName } from '../operations';
import type { RetryOptions } from '../retry';
import { isRetryableStatus, retryDelayInMs, sleep } from '../retry';
import type { RoundTripRecorder } from '../roundTrips';
import type { M365Stats } from '../stats';

export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';
/** The arbitration mailbox Exchange Online PowerShell anchors app-only admin calls on. */
const ANCHOR_MAILBOX_GUID = 'bb558c35-97f1-4cb9-8ff7-d53741dc928c';

export type CmdletParameters = Record<string, string | number | boolean | null | string[]>;

export interface InvokeCommandOptions {
  exchangeBaseUrl: string;
  tenantId: string;
  /** Tenant domain for the X-AnchorMailbox header (e.g. contoso.onmicrosoft.com). */
  tenantDomain: string;
  credential: TokenCredential;
  retry: RetryOptions;
  stats: M365Stats;
  limits: RequestLimits;
  logger: Logger;
  random?: () => number;
  /** Defaults to Node's global fetch; tests pass one that records requests. */
  fetch?: typeof fetch;
  /** Records each HTTP request's start and end (critical-path counting). */
  roundTrips?: RoundTripRecorder;
}

export interface CmdletResult {
  value: unknown[];
  requestId: string;
}

/**
 * Runs one Exchange Online cmdlet through the admin API's InvokeCommand endpoint (the one the
 * ExchangeOnlineManagement module uses). Everything Exchange-specific about the transport lives
 * here, so moving to the documented adminapi/v2.0 endpoints is a change to this file.
 */
export class InvokeCommandTransport {
  private readonly endpoint: string;
  private readonly origin: string;
  /** Get-* requests queued behind the per-mailbox limit, by body, until they are sent. */
  private readonly waitingReads = new Map<string, Promise<CmdletResult>>();

  constructor(private readonly options: InvokeCommandOptions) {
    const base = options.exchangeBaseUrl.replace(/\/+$/, '');
    this.endpoint = `${base}/adminapi/beta/${encodeURIComponent(options.tenantId)}/InvokeCommand`;
    this.origin = new URL(base).origin;
  }

  /** Runs the cmdlet, following @odata.nextLink for long outputs; mailbox keys the per-mailbox limit. */
  async run(
    operation: OperationName,
    cmdletName: string,
    parameters: CmdletParameters,
    mailbox?: string,
  ): Promise<CmdletResult> {
    const body = JSON.stringify({ CmdletInput: { CmdletName: cmdletName, Parameters: parameters } });
    if (!cmdletName.startsWith('Get-')) return this.runPages(operation, cmdletName, body, mailbox);
    // An identical read still waiting for a per-mailbox slot has not left yet, so its answer
    // is as fresh as this call needs: share it (several verifications of one mailbox at once).
    const key = body;
    const waiting = this.waitingReads.get(key);
    if (waiting) return waiting.then((result) => ({ ...result, value: [...result.value] }));
    const entry: { sent: boolean; read?: Promise<CmdletResult> } = { sent: false };
    const forget = (): void => {
      entry.sent = true;
      if (entry.read !== undefined && this.waitingReads.get(key) === entry.read)
        this.waitingReads.delete(key);
    };
    entry.read = this.runPages(operation, cmdletName, body, mailbox, forget);
    if (!entry.sent) this.waitingReads.set(key, entry.read);
    try {
      return await entry.read;
    } finally {
      forget();
    }
  }

  private async runPages(
    operation: OperationName,
    cmdletName: string,
    body: string,
    mailbox: string | undefined,
    onSend?: () => void,
  ): Promise<CmdletResult> {
    const value: unknown[] = [];
    let url: string | undefined = this.endpoint;
    let requestId = '';
    while (url !== undefined) {
      const target: string = url;
      const page = await this.options.limits.run({ mailbox }, () => {
        onSend?.();
        return this.postWithRetry(operation, cmdletName, target, body);
      });
      requestId = page.requestId;
      value.push(...page.value);
      url = page.nextLink === undefined ? undefined : this.checkedNextLink(operation, page.nextLink);
    }
    return { value, requestId };
  }

  private checkedNextLink(operation: OperationName, nextLink: string): string {
    // Never send the token to another host, whatever the service says.
    if (new URL(nextLink, this.endpoint).origin !== this.origin) {
      throw errorFromUnexpectedShape(operation, undefined, '@odata.nextLink points to another host');
    }
    return new URL(nextLink, this.endpoint).toString();
  }

  private async postWithRetry(
    operation: OperationName,
    cmdletName: string,
    url: string,
    body: string,
  ): Promise<{ value: unknown[]; nextLink?: string; requestId: string }> {
    const { retry, stats, logger } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      const started = Date.now();
      const response = await this.post(operation, cmdletName, url, body);
      const requestId = response.headers.get('request-id') ?? response.headers.get('x-ms-request-id') ?? '';
      logger.debug(
        {
          operation,
          cmdlet: cmdletName,
          status: response.status,
          requestId,
          attempt,
          ms: Date.now() - started,
        },
        'exchange call',
      );
      if (isRetryableStatus(response.status) && attempt < retry.maxRetries) {
        await response.body?.cancel();
        stats.retries += 1;
        await sleep(
          retryDelayInMs(
            response.headers.get('retry-after') ?? undefined,
            attempt,
            retry.baseDelayInMs,
            this.options.random,
          ),
        );
        continue;
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!response.ok) {
        const serviceError = readServiceError(parsed);
        // Exchange reports a missing object as ManagementObjectNotFound, not always with a 404.
        const notFound = /ManagementObjectNotFound|couldn't be found|could not be found/i.test(
          `${serviceError.code ?? ''} ${serviceError.message ?? ''}`,
        );
        throw errorFromResponse(operation, {
          status: notFound ? 404 : response.status,
          requestId: requestId || serviceError.requestId,
          serviceCode: serviceError.code,
          serviceMessage: serviceError.message,
        });
      }
      if (parsed === undefined) return { value: [], requestId };
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        !Array.isArray((parsed as { value?: unknown }).value)
      ) {
        throw errorFromUnexpectedShape(operation, requestId, '"value" is not an array');
      }
      const record = parsed as { value: unknown[]; '@odata.nextLink'?: unknown };
      const nextLink = typeof record['@odata.nextLink'] === 'string' ? record['@odata.nextLink'] : undefined;
      return { value: record.value, nextLink, requestId };
    }
  }

  private async post(
    operation: OperationName,
    cmdletName: string,
    url: string,
    body: string,
  ): Promise<Response> {
    const { credential, tenantDomain, stats } = this.options;
    let token: string;
    try {
      const accessToken = await credential.getToken(EXCHANGE_SCOPE);
      if (!accessToken) throw new Error('no token');
      token = accessToken.token;
    } catch (error) {
      throw errorFromResponse(operation, {
        status: 401,
        serviceMessage: error instanceof Error ? error.message : undefined,
      });
    }
    stats.httpRequests += 1;
    const ended = this.options.roundTrips?.begin('exchange');
    try {
      return await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-AnchorMailbox': `APP:SystemMailbox{${ANCHOR_MAILBOX_GUID}}@${tenantDomain}`,
          'X-CmdletName': cmdletName,
          'client-request-id': crypto.randomUUID(),
        },
        body,
      });
    } catch (error) {
      throw errorFromTransportFailure(operation, error);
    } finally {
      ended?.();
    }
  }
}
