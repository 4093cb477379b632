import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../src/simulator/routes';
import { ids, startHarness } from './helpers';
import type { Harness } from './helpers';

describe('route table', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ throttling: false });
  });
  afterAll(async () => {
    await harness.tenant.close();
  });

  const concretePath = (path: string): string =>
    path
      .replace(':userId', ids.megan)
      .replace(':tenantId', ids.tenant)
      .replace(':methodKind', 'phoneMethods')
      .replace(/:[A-Za-z]+/g, 'unknown-id');

  it.each(allRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'routes %s to its handler',
    async (_name, route) => {
      const response = await fetch(`${harness.tenant.url}${concretePath(route.path)}`, {
        method: route.method,
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: '{}' }),
      });
      const text = await response.text();
      expect(text).not.toContain('Resource not found for the segment');
      expect(response.status).not.toBe(500);
    },
  );
});
