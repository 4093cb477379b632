import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIcon, ICON_SIZES } from '../../scripts/packaging/icon-rules';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/packaging/icons';
import { decodePng, encodePng } from '../../scripts/packaging/png';
import { MANIFEST_DIR, writeTestPng } from './helpers';

const colorFile = readFileSync(path.join(MANIFEST_DIR, 'color.png'));
const outlineFile = readFileSync(path.join(MANIFEST_DIR, 'outline.png'));

function pixel(image: { width: number; rgba: Uint8Array }, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4;
  return [...image.rgba.subarray(i, i + 4)];
}

describe('committed Teams icons', () => {
  it('color.png is a 192×192 PNG with an alpha channel and passes the Teams icon rules', () => {
    const image = decodePng(colorFile);
    expect([image.width, image.height]).toEqual([192, 192]);
    expect(image.colorType).toBe(6);
    expect(checkIcon('color', colorFile)).toEqual([]);
  });

  it('color.png shows a white glyph on the accent colour', () => {
    const image = decodePng(colorFile);
    expect(pixel(image, 0, 0)).toEqual([0x2e, 0x5a, 0xac, 255]);
    let white = 0;
    for (let i = 0; i < image.rgba.length; i += 4)
      if (image.rgba[i] === 255 && image.rgba[i + 2] === 255) white += 1;
    expect(white / (192 * 192)).toBeGreaterThan(0.1);
  });

  it('outline.png is a 32×32 PNG with an alpha channel', () => {
    const image = decodePng(outlineFile);
    expect([image.width, image.height]).toEqual([ICON_SIZES.outline, ICON_SIZES.outline]);
    expect(image.colorType).toBe(6);
  });

  it('outline.png has only white or fully transparent pixels, and some of each', () => {
    const image = decodePng(outlineFile);
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < image.rgba.length; i += 4) {
      const [r, g, b, a] = [...image.rgba.subarray(i, i + 4)];
      if (a === 0) transparent += 1;
      else if (r === 255 && g === 255 && b === 255) white += 1;
      else throw new Error(`pixel ${i / 4} is rgba(${r}, ${g}, ${b}, ${a})`);
    }
    expect(transparent).toBeGreaterThan(0);
    expect(white).toBeGreaterThan(0);
    expect(pixel(image, 0, 31)[3]).toBe(0);
    expect(checkIcon('outline', outlineFile)).toEqual([]);
  });

  it('are exactly what scripts/make-icons.ts draws, so they can be regenerated', () => {
    expect(encodePng(drawColorIcon()).equals(colorFile)).toBe(true);
    expect(encodePng(drawOutlineIcon()).equals(outlineFile)).toBe(true);
  });
});

describe('checkIcon', () => {
  it('flags an outline icon with a pixel that is not white', () => {
    const image = drawOutlineIcon();
    const visible = image.rgba.findIndex((value, i) => i % 4 === 3 && value === 255) - 3;
    image.rgba[visible] = 128;
    expect(checkIcon('outline', encodePng(image))).toEqual([
      'outline.png: 1 visible pixel(s) are not white; only white or transparent is allowed',
    ]);
  });

  it('flags a fully transparent outline icon', () => {
    const empty = encodePng({ width: 32, height: 32, rgba: new Uint8Array(32 * 32 * 4) });
    expect(checkIcon('outline', empty)).toEqual(['outline.png: is fully transparent']);
  });

  it('flags the wrong size', () => {
    expect(checkIcon('color', encodePng(drawColorIcon(96)))).toEqual([
      'color.png: must be 192×192 pixels, is 96×96',
    ]);
  });

  it('flags a PNG without an alpha channel', () => {
    const rgb = writeTestPng({
      width: 192,
      height: 192,
      colorType: 2,
      samples: new Uint8Array(192 * 192 * 3),
    });
    expect(checkIcon('color', rgb, 'color.png')).toEqual([
      'color.png: must have an alpha channel (PNG colour type 6 or 4), has colour type 2',
    ]);
  });

  it('reports a file that is not a PNG by name', () => {
    expect(checkIcon('color', Buffer.from('hello'), 'teamsAppManifest/color.png')).toEqual([
      'teamsAppManifest/color.png: not a PNG file',
    ]);
  });
});
