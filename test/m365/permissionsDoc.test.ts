import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPermissionsTable } from '../../src/m365/operations';

describe('docs/PERMISSIONS.md', () => {
  it('contains the operation table exactly as the service layer knows it', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/PERMISSIONS.md'), 'utf8');
    expect(doc).toContain(renderPermissionsTable());
  });
});
