/**
 * Fills `${{VAR}}` placeholders, the Microsoft 365 Agents Toolkit syntax, so the same manifest
 * template works with `atk provision` and with `npm run package`.
 */

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export class MissingVariablesError extends Error {
  constructor(
    readonly variables: string[],
    readonly source: string,
    readonly template: string,
  ) {
    super(
      `${template} needs ${variables.length === 1 ? 'a variable' : 'variables'} that ${source} does not set: ` +
        `${variables.join(', ')}. Set ${variables.length === 1 ? 'it' : 'them'} in ${source} ` +
        '(values written by provisioning come from `atk provision`) or in the process environment.',
    );
    this.name = 'MissingVariablesError';
  }
}

export function listPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

export interface FillOptions {
  /** Where the values come from, for the error message (e.g. "env/.env.dev"). */
  source: string;
  /** Which template is being filled, for the error message (e.g. "teamsAppManifest/manifest.json"). */
  template: string;
  /** Variables that may legitimately be empty (e.g. APP_NAME_SUFFIX in production). */
  mayBeEmpty?: ReadonlySet<string>;
}

/**
 * Placeholders sit inside JSON strings, so each value is JSON-escaped: a quote or backslash in a
 * value can never break the document or inject properties.
 */
export function fillJsonPlaceholders(
  template: string,
  values: ReadonlyMap<string, string>,
  options: FillOptions,
): string {
  const missing = listPlaceholders(template).filter((name) => {
    const value = values.get(name);
    return value === undefined || (value === '' && !options.mayBeEmpty?.has(name));
  });
  if (missing.length > 0) throw new MissingVariablesError(missing, options.source, options.template);
  return template.replace(PLACEHOLDER, (_match, name: string) =>
    JSON.stringify(values.get(name) ?? '').slice(1, -1),
  );
}
