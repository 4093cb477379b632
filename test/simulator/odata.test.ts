import { describe, expect, it } from 'vitest';
import { SimHttpError } from '../../src/simulator/http';
import { applyFilter, applySelect, parseFilter } from '../../src/simulator/odata';

describe('OData $filter parsing', () => {
  it.each([
    ["principalId eq 'abc'", [{ property: ['principalId'], operator: 'eq', value: 'abc' }]],
    [
      "userId eq 'a' and createdDateTime ge 2026-01-01T00:00:00Z",
      [
        { property: ['userId'], operator: 'eq', value: 'a' },
        { property: ['createdDateTime'], operator: 'ge', value: '2026-01-01T00:00:00Z' },
      ],
    ],
    ['status/errorCode ne 0', [{ property: ['status', 'errorCode'], operator: 'ne', value: 0 }]],
    [
      "displayName eq 'O''Brien and sons'",
      [{ property: ['displayName'], operator: 'eq', value: "O'Brien and sons" }],
    ],
    ['accountEnabled eq false', [{ property: ['accountEnabled'], operator: 'eq', value: false }]],
  ])('parses %s', (filter, expected) => {
    expect(parseFilter(filter)).toEqual(expected);
  });

  it.each(['principalId eq', "startswith(displayName,'a')", "principalId in ('a','b')"])(
    'refuses %s with 400',
    (filter) => {
      expect(() => parseFilter(filter)).toThrow(SimHttpError);
    },
  );

  it('matches strings case-insensitively, nested properties and date ranges', () => {
    const items = [
      { userId: 'ABC', createdDateTime: '2026-01-02T00:00:00Z', status: { errorCode: 0 } },
      { userId: 'abc', createdDateTime: '2025-12-30T00:00:00Z', status: { errorCode: 50126 } },
      { userId: 'other', createdDateTime: '2026-01-03T00:00:00Z', status: { errorCode: 0 } },
    ];
    const allowed = ['userId', 'createdDateTime', 'status/errorCode'];
    expect(applyFilter(items, parseFilter("userId eq 'abc'"), allowed)).toHaveLength(2);
    expect(
      applyFilter(items, parseFilter("userId eq 'abc' and createdDateTime ge 2026-01-01T00:00:00Z"), allowed),
    ).toEqual([items[0]]);
    expect(applyFilter(items, parseFilter('status/errorCode ne 0'), allowed)).toEqual([items[1]]);
    expect(() => applyFilter(items, parseFilter("colour eq 'red'"), allowed)).toThrow(/colour/);
  });

  it('$select keeps the named properties, id and @odata.type', () => {
    expect(applySelect({ id: '1', '@odata.type': 't', displayName: 'x', appId: 'y' }, 'displayName')).toEqual(
      {
        id: '1',
        '@odata.type': 't',
        displayName: 'x',
      },
    );
  });
});
