import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureJsonSchema } from './fixture';

/** Regenerates fixture.schema.json: `npx tsx src/simulator/writeSchema.ts` (a test checks it is current). */
export const fixtureSchemaPath = path.join(__dirname, 'fixture.schema.json');

export function renderFixtureSchema(): string {
  return `${JSON.stringify(fixtureJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(fixtureSchemaPath, renderFixtureSchema());
  console.log(`wrote ${fixtureSchemaPath}`);
}
