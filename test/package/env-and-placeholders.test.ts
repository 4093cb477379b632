import { describe, expect, it } from 'vitest';
import { EnvFileError, parseEnvFile } from '../../scripts/packaging/env-file';
import {
  fillJsonPlaceholders,
  listPlaceholders,
  MissingVariablesError,
} from '../../scripts/packaging/placeholders';

describe('parseEnvFile', () => {
  it.each([
    ['KEY=value', 'value'],
    ['KEY = spaced ', 'spaced'],
    ['KEY=', ''],
    ['KEY="quoted # not a comment"', 'quoted # not a comment'],
    ["KEY=' keeps spaces '", ' keeps spaces '],
    ['KEY=value # trailing comment', 'value'],
    ['KEY=a=b=c', 'a=b=c'],
    ['KEY=https://contoso.com/#anchor', 'https://contoso.com/#anchor'],
  ])('reads %j as %j', (line, expected) => {
    expect(parseEnvFile(line).get('KEY')).toBe(expected);
  });

  it('skips blank lines and comments', () => {
    const values = parseEnvFile('# heading\n\n  # indented comment\nA=1\r\nB=2\n');
    expect([...values.entries()]).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
  });

  it('names the file and line of a line it cannot read', () => {
    expect(() => parseEnvFile('A=1\nexport B=2', 'env/.env.dev')).toThrow(
      new EnvFileError('env/.env.dev', 2, 'expected KEY=VALUE, found "export B=2"'),
    );
  });

  it('refuses a variable defined twice, which would hide one of the values', () => {
    expect(() => parseEnvFile('A=1\nA=2', 'env/.env.local')).toThrow('env/.env.local:2: A is defined twice');
  });
});

describe('fillJsonPlaceholders', () => {
  const options = { source: 'env/.env.test', template: 'manifest.json' };

  it('lists each placeholder once, tolerating spaces inside the braces', () => {
    expect(listPlaceholders('${{A}} ${{ B }} ${{A}} {{C}} ${D}')).toEqual(['A', 'B']);
  });

  it('replaces every occurrence with its value', () => {
    const values = new Map([
      ['APP', 'Remediator'],
      ['SUFFIX', '-dev'],
    ]);
    expect(fillJsonPlaceholders('{"a":"${{APP}}${{ SUFFIX }}","b":"${{APP}}"}', values, options)).toBe(
      '{"a":"Remediator-dev","b":"Remediator"}',
    );
  });

  it('escapes values for JSON, so a value cannot break out of its string', () => {
    const values = new Map([['NAME', 'Contoso "SOC" \\ team","injected":"yes']]);
    const filled = JSON.parse(fillJsonPlaceholders('{"name":"${{NAME}}"}', values, options)) as Record<
      string,
      string
    >;
    expect(filled).toEqual({ name: 'Contoso "SOC" \\ team","injected":"yes' });
  });

  it('reports every missing or empty variable at once, naming the env file and template', () => {
    const values = new Map([
      ['PRESENT', 'x'],
      ['EMPTY', ''],
    ]);
    let error: unknown;
    try {
      fillJsonPlaceholders('"${{PRESENT}} ${{EMPTY}} ${{ABSENT}}"', values, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingVariablesError);
    expect((error as MissingVariablesError).variables).toEqual(['EMPTY', 'ABSENT']);
    expect((error as Error).message).toMatch(
      /^manifest\.json needs variables that env\/\.env\.test does not set: EMPTY, ABSENT\./,
    );
  });

  it('accepts an empty value for a variable declared as optional', () => {
    const values = new Map([['APP_NAME_SUFFIX', '']]);
    expect(
      fillJsonPlaceholders('"Remediator${{APP_NAME_SUFFIX}}"', values, {
        ...options,
        mayBeEmpty: new Set(['APP_NAME_SUFFIX']),
      }),
    ).toBe('"Remediator"');
  });
});
