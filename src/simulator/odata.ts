import { badRequest } from './http';
import type { SimRequest } from './http';

/**
 * The small OData query subset the simulated Graph understands:
 * $filter with `eq ne gt ge lt le` joined by `and`, $select, $top and $skiptoken paging.
 */

type Literal = string | number | boolean | null;

export interface FilterClause {
  /** Property path, e.g. ["status", "errorCode"]. */
  property: string[];
  operator: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
  value: Literal;
}

const clausePattern =
  /^\s*([A-Za-z][\w/]*)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null|\d{4}-\d{2}-\d{2}T[\d:.]+Z?)\s*$/;

function parseLiteral(raw: string): Literal {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

/** Splits on ` and ` outside quotes. */
function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  for (let index = 0; index < filter.length; index++) {
    const char = filter[index];
    if (char === "'") inQuote = !inQuote;
    if (!inQuote && filter.slice(index, index + 5).toLowerCase() === ' and ') {
      parts.push(current);
      current = '';
      index += 4;
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

export function parseFilter(filter: string | null): FilterClause[] {
  if (filter === null || filter.trim() === '') return [];
  return splitAnd(filter).map((part) => {
    const match = clausePattern.exec(part);
    if (!match) throw badRequest(`Invalid filter clause: ${part.trim()}`, 'BadRequest');
    const [, property = '', operator, raw = ''] = match;
    return {
      property: property.split('/'),
      operator: operator as FilterClause['operator'],
      value: parseLiteral(raw),
    };
  });
}

function readPath(item: unknown, property: string[]): unknown {
  let current: unknown = item;
  for (const key of property) {
    if (current === null || typeof current !== 'object') return undefined;
    const entry = Object.entries(current).find(([name]) => name.toLowerCase() === key.toLowerCase());
    current = entry?.[1];
  }
  return current;
}

function compare(actual: unknown, clause: FilterClause): boolean {
  const expected = clause.value;
  const normalise = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);
  if (clause.operator === 'eq')
    return normalise(actual) === normalise(expected ?? null) || (actual === undefined && expected === null);
  if (clause.operator === 'ne') return normalise(actual) !== normalise(expected);
  if (actual === null || actual === undefined || expected === null) return false;
  const left =
    typeof actual === 'string' && typeof expected === 'string' ? Date.parse(actual) || actual : actual;
  const right = typeof expected === 'string' ? Date.parse(expected) || expected : expected;
  if (typeof left !== typeof right) return false;
  const [a, b] = [left as number | string, right as number | string];
  switch (clause.operator) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

/**
 * Applies parsed clauses. `allowed` lists the properties the resource supports in
 * $filter (Graph refuses others with 400), matched case-insensitively.
 */
export function applyFilter<T>(items: T[], clauses: FilterClause[], allowed: string[]): T[] {
  for (const clause of clauses) {
    const name = clause.property.join('/');
    if (!allowed.some((property) => property.toLowerCase() === name.toLowerCase())) {
      throw badRequest(
        `Unsupported or invalid query filter clause specified for property '${name}'.`,
        'BadRequest',
      );
    }
  }
  return items.filter((item) => clauses.every((clause) => compare(readPath(item, clause.property), clause)));
}

/** $select: keep only the selected properties (plus id and @odata.type), case-insensitively. */
export function applySelect<T extends Record<string, unknown>>(
  item: T,
  select: string | null,
): Record<string, unknown> {
  if (select === null || select.trim() === '') return item;
  const wanted = new Set(
    select
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
  wanted.add('id');
  wanted.add('@odata.type');
  return Object.fromEntries(Object.entries(item).filter(([key]) => wanted.has(key.toLowerCase())));
}

export function selectParam(request: SimRequest): string | null {
  return request.query.get('$select');
}

export function contextUrl(request: SimRequest, fragment: string): string {
  return `${request.baseUrl}/v1.0/$metadata#${fragment}`;
}

export interface PageOptions {
  defaultTop: number;
  maxTop: number;
}

/**
 * $top / $skiptoken paging: returns one page and, when more remain, an absolute
 * @odata.nextLink that repeats the request with a $skiptoken (the simulator's
 * token is an opaque base64url offset).
 */
export function page<T>(
  request: SimRequest,
  items: T[],
  options: PageOptions,
): { value: T[]; nextLink?: string } {
  const topRaw = request.query.get('$top');
  let top = options.defaultTop;
  if (topRaw !== null) {
    const parsed = Number(topRaw);
    if (!Number.isInteger(parsed) || parsed < 1)
      throw badRequest(`Invalid value '${topRaw}' for $top.`, 'BadRequest');
    top = Math.min(parsed, options.maxTop);
  }
  const token = request.query.get('$skiptoken');
  let offset = 0;
  if (token !== null) {
    const decoded = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) throw badRequest('Invalid $skiptoken.', 'BadRequest');
    offset = decoded;
  }
  const value = items.slice(offset, offset + top);
  if (offset + top >= items.length) return { value };
  const next = new URLSearchParams(request.query);
  next.set('$top', String(top));
  next.set('$skiptoken', Buffer.from(`offset:${offset + top}`).toString('base64url'));
  return { value, nextLink: `${request.baseUrl}${request.pathname}?${next.toString()}` };
}

/** A collection response with @odata.context and, if paged, @odata.nextLink. */
export function collection(
  request: SimRequest,
  contextFragment: string,
  items: unknown[],
  nextLink?: string,
): Record<string, unknown> {
  return {
    '@odata.context': contextUrl(request, contextFragment),
    ...(nextLink === undefined ? {} : { '@odata.nextLink': nextLink }),
    value: items,
  };
}
