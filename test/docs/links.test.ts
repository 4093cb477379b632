import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Links and images in the README and the pages this area owns point at files that exist. */

const ROOT = path.resolve(__dirname, '..', '..');
const PAGES = ['README.md', 'docs/TROUBLESHOOTING.md', 'docs/AGENTS-SDK-MIGRATION.md'];
const IMAGE_BUDGET_BYTES = 2 * 1024 * 1024;

/** Relative targets of Markdown links `[..](x)`, images `![..](x)` and `<img src="x">`, without #anchors. */
function localTargets(markdown: string): string[] {
  const markdownLinks = [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  const htmlImages = [...markdown.matchAll(/<img\s[^>]*src="([^"]+)"/g)].map((match) => match[1] ?? '');
  return [...markdownLinks, ...htmlImages]
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.split('#')[0] ?? '')
    .filter((target) => target.length > 0);
}

describe('documentation links', () => {
  it('finds links, images and img tags, skipping URLs and anchors', () => {
    expect(
      localTargets('[a](docs/A.md#x) ![b](i.png) <img src="j.png" width="3"> [c](https://x.y) [d](#top)'),
    ).toEqual(['docs/A.md', 'i.png', 'j.png']);
  });

  it.each(PAGES)('every relative link in %s resolves to a file', (page) => {
    const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
    const missing = localTargets(text).filter(
      (target) => !fs.existsSync(path.resolve(ROOT, path.dirname(page), target)),
    );
    expect(missing).toEqual([]);
  });

  it('keeps the README screenshots small enough to clone comfortably', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const images = localTargets(readme).filter((target) => target.endsWith('.png'));
    expect(images.length).toBeGreaterThanOrEqual(2);
    const bytes = images.reduce((sum, image) => sum + fs.statSync(path.join(ROOT, image)).size, 0);
    expect(bytes).toBeLessThan(IMAGE_BUDGET_BYTES);
  });
});
