import fs from 'node:fs/promises';
import { UsageError } from './environment';

/** Most targets one run accepts (the engine's limit per request). */
export const MAX_TARGETS = 1000;

/**
 * Targets from the command line plus a file with one UPN (or object id) per line; blank lines
 * and lines starting with # are ignored. Duplicates (case-insensitive) are dropped, order kept.
 */
export async function collectTargets(fromArguments: string[], targetsFile?: string): Promise<string[]> {
  const fromFile: string[] = [];
  if (targetsFile !== undefined) {
    let text: string;
    try {
      text = await fs.readFile(targetsFile, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read --targets-file ${targetsFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    for (const [index, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (/\s/.test(line) || line.length > 500) {
        throw new UsageError(
          `${targetsFile} line ${index + 1}: expected one UPN or object id, got "${line.slice(0, 80)}"`,
        );
      }
      fromFile.push(line);
    }
  }
  const seen = new Set<string>();
  const targets = [...fromArguments.map((target) => target.trim()), ...fromFile].filter((target) => {
    const key = target.toLowerCase();
    if (target === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (targets.length === 0)
    throw new UsageError(
      "missing required argument 'upn': name at least one user, or pass --targets-file <file>.",
    );
  if (targets.length > MAX_TARGETS) {
    throw new UsageError(`at most ${MAX_TARGETS} users per run; split the list.`);
  }
  return targets;
}
