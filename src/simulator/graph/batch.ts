import { badRequest, json, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef, SimRequest } from '../http';

/** Graph's limit on requests per JSON batch. */
export const maxBatchRequests = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Batch responses use the header names' usual casing. */
const headerCasing: Record<string, string> = {
  'content-type': 'Content-Type',
  'retry-after': 'Retry-After',
  'request-id': 'request-id',
  'client-request-id': 'client-request-id',
  location: 'Location',
};

function parseItems(body: Record<string, unknown>): BatchItem[] {
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    throw badRequest('Invalid batch payload format.', 'BadRequest');
  if (requests.length > maxBatchRequests) {
    throw badRequest(
      `Number of requests in the batch exceeds the maximum of ${maxBatchRequests}.`,
      'BadRequest',
    );
  }
  const items = requests.map((raw: unknown, index): BatchItem => {
    if (raw === null || typeof raw !== 'object')
      throw badRequest(`Request ${index} in the batch is not an object.`, 'BadRequest');
    const entry = raw as Record<string, unknown>;
    const { id, method, url } = entry;
    if (typeof id !== 'string' || id === '' || typeof method !== 'string' || typeof url !== 'string') {
      throw badRequest('Each batch request needs string id, method and url.', 'BadRequest');
    }
    const headers: Record<string, string> = {};
    if (entry.headers !== undefined) {
      if (entry.headers === null || typeof entry.headers !== 'object')
        throw badRequest(`Invalid headers in request ${id}.`, 'BadRequest');
      for (const [name, value] of Object.entries(entry.headers)) {
        if (typeof value === 'string') headers[name.toLowerCase()] = value;
      }
    }
    const dependsOn = entry.dependsOn ?? [];
    if (!Array.isArray(dependsOn) || !dependsOn.every((dep): dep is string => typeof dep === 'string')) {
      throw badRequest(`Invalid dependsOn in request ${id}.`, 'BadRequest');
    }
    return { id, method: method.toUpperCase(), url, headers, body: entry.body, dependsOn };
  });
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id))
      throw badRequest(`Batch request id '${item.id}' is used more than once.`, 'BadRequest');
    ids.add(item.id);
  }
  for (const item of items) {
    for (const dependency of item.dependsOn) {
      if (!ids.has(dependency) || dependency === item.id) {
        throw badRequest(`Request ${item.id} depends on unknown request '${dependency}'.`, 'BadRequest');
      }
    }
  }
  assertAcyclic(items);
  return items;
}

function assertAcyclic(items: BatchItem[]): void {
  const byId = new Map(items.map((item) => [item.id, item]));
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string): void => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw badRequest('The dependsOn graph of the batch has a cycle.', 'BadRequest');
    visiting.add(id);
    for (const dependency of byId.get(id)?.dependsOn ?? []) visit(dependency);
    visiting.delete(id);
    done.add(id);
  };
  items.forEach((item) => visit(item.id));
}

function itemRequest(item: BatchItem, envelope: SimRequest): SimRequest | SimHttpError {
  if (/^[a-z]+:\/\//i.test(item.url))
    return new SimHttpError(400, 'BadRequest', 'Batch request URLs must be relative.');
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  // The Graph SDK's BatchRequestContent keeps the version segment ("/v1.0/users/x"); Graph accepts both.
  const versionless = relative.replace(/^\/v1\.0(?=\/|\?|$)/i, '');
  if (/^\/beta(\/|\?|$)/i.test(versionless)) {
    return new SimHttpError(400, 'BadRequest', 'The simulated tenant serves Graph v1.0 only.');
  }
  const url = new URL(`/v1.0${versionless}`, 'http://simulator.invalid');
  if (/^\/v1\.0\/\$batch$/i.test(url.pathname))
    return new SimHttpError(400, 'BadRequest', 'A batch cannot contain a batch.');
  if (item.body !== undefined && item.headers['content-type'] === undefined) {
    return new SimHttpError(
      400,
      'BadRequest',
      `Write request id : ${item.id} does not contain Content-Type header or body.`,
    );
  }
  return {
    method: item.method,
    pathname: url.pathname,
    query: url.searchParams,
    search: url.search,
    headers: { ...item.headers, authorization: envelope.headers.authorization ?? '' },
    body: item.body,
    baseUrl: envelope.baseUrl,
  };
}

function errorItem(id: string, status: number, code: string, message: string): BatchItemResponse {
  return {
    id,
    status,
    headers: { 'Content-Type': 'application/json' },
    body: { error: { code, message } },
  };
}

/**
 * Runs the items through the normal pipeline: independent items concurrently (so they
 * are throttled one by one), dependent ones after their dependencies; an item whose
 * dependency failed answers 424 without running. Responses come back in completion order.
 */
async function runBatch(context: RouteContext) {
  const items = parseItems(objectBody(context.request));
  const responses: BatchItemResponse[] = [];
  const outcomes = new Map<string, Promise<number>>();

  const run = async (item: BatchItem): Promise<number> => {
    const statuses = await Promise.all(item.dependsOn.map((dependency) => outcomeOf(dependency)));
    if (statuses.some((status) => status >= 400)) {
      responses.push(
        errorItem(
          item.id,
          424,
          'FailedDependency',
          'The request was not run because a request it depends on failed.',
        ),
      );
      return 424;
    }
    const request = itemRequest(item, context.request);
    if (request instanceof SimHttpError) {
      responses.push(errorItem(item.id, request.status, request.code, request.message));
      return request.status;
    }
    const result = await context.dispatchBatchItem(request, context.requestId);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {}))
      headers[headerCasing[name] ?? name] = value;
    responses.push({
      id: item.id,
      status: result.status,
      headers,
      ...(result.body === undefined ? {} : { body: result.body }),
    });
    return result.status;
  };
  const byId = new Map(items.map((item) => [item.id, item]));
  const outcomeOf = (id: string): Promise<number> => {
    let outcome = outcomes.get(id);
    if (!outcome) {
      const item = byId.get(id);
      outcome = item ? run(item) : Promise.resolve(400);
      outcomes.set(id, outcome);
    }
    return outcome;
  };
  await Promise.all(items.map((item) => outcomeOf(item.id)));
  return json(200, { responses });
}

export const batchRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/v1.0/$batch',
    service: 'graph',
    permissions: [],
    // The envelope is not throttled itself; each item is.
    throttle: { kind: 'none' },
    write: () => false,
    handler: runBatch,
  },
];
