/**
 * Reads Microsoft 365 Agents Toolkit style environment files (env/.env.<name>): KEY=VALUE lines,
 * `#` comments, optional single or double quotes. The same files feed the toolkit, the packager
 * and (through the process environment) src/config/config.ts, so the syntax stays that small.
 */

export class EnvFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'EnvFileError';
  }
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

function unquote(raw: string): string {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.length >= 2 && raw.endsWith(quote)) return raw.slice(1, -1);
  // An unquoted value ends at a comment that follows whitespace, as in dotenv.
  const comment = raw.search(/\s#/);
  return (comment === -1 ? raw : raw.slice(0, comment)).trim();
}

export function parseEnvFile(text: string, file = '.env'): Map<string, string> {
  const values = new Map<string, string>();
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = ASSIGNMENT.exec(line);
    if (!match?.[1]) throw new EnvFileError(file, index + 1, `expected KEY=VALUE, found "${line}"`);
    if (values.has(match[1])) throw new EnvFileError(file, index + 1, `${match[1]} is defined twice`);
    values.set(match[1], unquote(match[2] ?? ''));
  });
  return values;
}
