import { describe, expect, it } from 'vitest';
import { crc32, decodePng, encodePng } from '../../scripts/packaging/png';
import { writeTestPng } from './helpers';

function patternedRgba(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i += 1) rgba[i] = (i * 37 + (i >> 3) * 11) & 0xff;
  return rgba;
}

describe('PNG codec', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789', 'ascii'))).toBe(0xcbf43926);
  });

  it('writes an RGBA PNG that decodes back to the same pixels', () => {
    const rgba = patternedRgba(7, 5);
    const decoded = decodePng(encodePng({ width: 7, height: 5, rgba }));
    expect(decoded).toMatchObject({ width: 7, height: 5, bitDepth: 8, colorType: 6 });
    expect(Buffer.from(decoded.rgba).equals(Buffer.from(rgba))).toBe(true);
  });

  it('refuses an RGBA buffer of the wrong length', () => {
    expect(() => encodePng({ width: 2, height: 2, rgba: new Uint8Array(15) })).toThrow(/expected 16/);
  });

  it.each([0, 1, 2, 3, 4] as const)('undoes row filter %i written by another encoder', (filter) => {
    const samples = patternedRgba(6, 4);
    const file = writeTestPng({ width: 6, height: 4, colorType: 6, samples, filterForRow: () => filter });
    expect(Buffer.from(decodePng(file).rgba).equals(Buffer.from(samples))).toBe(true);
  });

  it('expands grey, grey+alpha and RGB files to RGBA', () => {
    const grey = decodePng(
      writeTestPng({ width: 2, height: 1, colorType: 0, samples: Uint8Array.from([10, 200]) }),
    );
    expect([...grey.rgba]).toEqual([10, 10, 10, 255, 200, 200, 200, 255]);
    const greyAlpha = decodePng(
      writeTestPng({ width: 1, height: 1, colorType: 4, samples: Uint8Array.from([90, 30]) }),
    );
    expect([...greyAlpha.rgba]).toEqual([90, 90, 90, 30]);
    const rgb = decodePng(
      writeTestPng({ width: 1, height: 1, colorType: 2, samples: Uint8Array.from([1, 2, 3]) }),
    );
    expect(rgb.colorType).toBe(2);
    expect([...rgb.rgba]).toEqual([1, 2, 3, 255]);
  });

  it('rejects files that are not PNGs or whose chunks are corrupt', () => {
    expect(() => decodePng(Buffer.from('GIF89a'))).toThrow(/not a PNG/);
    const file = encodePng({ width: 2, height: 2, rgba: patternedRgba(2, 2) });
    file[20] = (file[20] ?? 0) ^ 0xff; // inside IHDR data
    expect(() => decodePng(file)).toThrow(/CRC mismatch in IHDR/);
  });
});
