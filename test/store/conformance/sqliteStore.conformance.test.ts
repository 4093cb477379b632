import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../../src/store';
import { describeStoreConformance } from './storeConformance';

describeStoreConformance('SqliteStore (file in a temp dir)', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-store-'));
  return {
    open: () => createSqliteStore({ dataDir }),
    dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
});
