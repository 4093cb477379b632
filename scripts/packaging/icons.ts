import type { RgbaImage } from './png';

/**
 * Draws the Remediator glyph (a shield with a check mark) for the Teams app icons:
 * - color.png 192×192: white shield on a full-bleed accent background, check cut out in the accent colour;
 * - outline.png 32×32: white shield on transparent, check cut out (Teams requires white + transparent only).
 * Shapes are defined in a unit square and anti-aliased by supersampling, so both sizes come from one drawing.
 */

export const ACCENT_COLOR = '#2E5AAC';
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

const SUPERSAMPLES = 4;

interface Point {
  x: number;
  y: number;
}

const SHIELD = { top: 0.1, shoulder: 0.5, bottom: 0.94, halfWidth: 0.4, topDip: 0.05 };
const CHECK: Point[] = [
  { x: 0.32, y: 0.5 },
  { x: 0.45, y: 0.63 },
  { x: 0.68, y: 0.36 },
];
const CHECK_HALF_WIDTH = 0.065;

function insideShield(p: Point): boolean {
  const dx = Math.abs(p.x - 0.5);
  if (p.y > SHIELD.bottom) return false;
  let halfWidth = SHIELD.halfWidth;
  if (p.y > SHIELD.shoulder) {
    const t = (p.y - SHIELD.shoulder) / (SHIELD.bottom - SHIELD.shoulder);
    halfWidth = SHIELD.halfWidth * (1 - t * t);
  }
  if (dx > halfWidth) return false;
  // The top edge dips towards the middle, the classic heraldic shield outline.
  const relative = dx / SHIELD.halfWidth;
  const topEdge = SHIELD.top + SHIELD.topDip * (1 - relative * relative);
  return p.y >= topEdge;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const abX = b.x - a.x;
  const abY = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * abX + (p.y - a.y) * abY) / (abX * abX + abY * abY)));
  return Math.hypot(p.x - (a.x + t * abX), p.y - (a.y + t * abY));
}

function onCheck(p: Point): boolean {
  for (let i = 0; i + 1 < CHECK.length; i += 1) {
    const a = CHECK[i];
    const b = CHECK[i + 1];
    if (a && b && distanceToSegment(p, a, b) <= CHECK_HALF_WIDTH) return true;
  }
  return false;
}

/** Fraction (0..1) of the pixel covered by the white part of the glyph (shield minus check). */
function glyphCoverage(px: number, py: number, size: number, glyphScale: number): number {
  let covered = 0;
  for (let sy = 0; sy < SUPERSAMPLES; sy += 1) {
    for (let sx = 0; sx < SUPERSAMPLES; sx += 1) {
      const canvasX = (px + (sx + 0.5) / SUPERSAMPLES) / size;
      const canvasY = (py + (sy + 0.5) / SUPERSAMPLES) / size;
      const p = { x: (canvasX - 0.5) / glyphScale + 0.5, y: (canvasY - 0.5) / glyphScale + 0.5 };
      if (insideShield(p) && !onCheck(p)) covered += 1;
    }
  }
  return covered / (SUPERSAMPLES * SUPERSAMPLES);
}

function parseHexColor(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match?.[1] || !match[2] || !match[3]) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
}

export function drawColorIcon(size = COLOR_ICON_SIZE, accent = ACCENT_COLOR): RgbaImage {
  const [r, g, b] = parseHexColor(accent);
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      // Teams shows the colour icon on its own tile: the glyph sits inside a safe area of ~60%.
      const coverage = glyphCoverage(x, y, size, 0.62);
      const i = (y * size + x) * 4;
      rgba[i] = Math.round(r + (255 - r) * coverage);
      rgba[i + 1] = Math.round(g + (255 - g) * coverage);
      rgba[i + 2] = Math.round(b + (255 - b) * coverage);
      rgba[i + 3] = 255;
    }
  }
  return { width: size, height: size, rgba };
}

export function drawOutlineIcon(size = OUTLINE_ICON_SIZE): RgbaImage {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const alpha = Math.round(255 * glyphCoverage(x, y, size, 0.94));
      const i = (y * size + x) * 4;
      // Anti-aliasing only through alpha: the colour of a visible pixel is always pure white.
      const value = alpha === 0 ? 0 : 255;
      rgba[i] = value;
      rgba[i + 1] = value;
      rgba[i + 2] = value;
      rgba[i + 3] = alpha;
    }
  }
  return { width: size, height: size, rgba };
}
