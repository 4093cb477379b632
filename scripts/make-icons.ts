import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { drawColorIcon, drawOutlineIcon } from './packaging/icons';
import { encodePng } from './packaging/png';

/** Regenerates teamsAppManifest/color.png and outline.png: `npx tsx scripts/make-icons.ts`. */
const manifestDir = path.resolve(__dirname, '..', 'teamsAppManifest');
writeFileSync(path.join(manifestDir, 'color.png'), encodePng(drawColorIcon()));
writeFileSync(path.join(manifestDir, 'outline.png'), encodePng(drawOutlineIcon()));
console.log(`Wrote color.png and outline.png in ${manifestDir}`);
