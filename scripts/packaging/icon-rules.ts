import { decodePng } from './png';

/**
 * Teams app package icon rules (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package):
 * color icon 192×192, outline icon 32×32 drawn in white on a transparent background.
 */

export type IconKind = 'color' | 'outline';

export const ICON_SIZES: Record<IconKind, number> = { color: 192, outline: 32 };

const COLOR_TYPES_WITH_ALPHA = new Set([4, 6]);

export function checkIcon(kind: IconKind, file: Uint8Array, name: string = `${kind}.png`): string[] {
  let image;
  try {
    image = decodePng(file);
  } catch (error) {
    return [`${name}: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const size = ICON_SIZES[kind];
  if (image.width !== size || image.height !== size) {
    problems.push(`${name}: must be ${size}×${size} pixels, is ${image.width}×${image.height}`);
  }
  if (!COLOR_TYPES_WITH_ALPHA.has(image.colorType)) {
    problems.push(
      `${name}: must have an alpha channel (PNG colour type 6 or 4), has colour type ${image.colorType}`,
    );
  }
  if (kind === 'outline') {
    let visible = 0;
    let offending = 0;
    for (let i = 0; i < image.rgba.length; i += 4) {
      const alpha = image.rgba[i + 3] ?? 0;
      if (alpha === 0) continue;
      visible += 1;
      if (image.rgba[i] !== 255 || image.rgba[i + 1] !== 255 || image.rgba[i + 2] !== 255) offending += 1;
    }
    if (offending > 0)
      problems.push(
        `${name}: ${offending} visible pixel(s) are not white; only white or transparent is allowed`,
      );
    if (visible === 0) problems.push(`${name}: is fully transparent`);
  }
  return problems;
}
