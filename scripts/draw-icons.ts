/**
 * npm run icons: draws appPackage/color.png (192x192, opaque) and appPackage/outline.png
 * (32x32, white on transparent). The mark is a chat bubble holding a faceted "ticket" diamond:
 * a conversation that carries an issue. Shapes are signed-distance tests sampled 8x8 times per
 * pixel, so the edges are anti-aliased without any graphics library.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgba = [number, number, number, number];
type Painter = (x: number, y: number) => Rgba;

const WHITE: Rgba = [255, 255, 255, 1];
const CLEAR: Rgba = [0, 0, 0, 0];
const BLUE_TOP: Rgba = [37, 99, 235, 1];
const BLUE_BOTTOM: Rgba = [29, 64, 175, 1];
const BLUE_MARK: Rgba = [29, 78, 216, 1];

/** Geometry in a 0..1 square, shared by both icons so they always show the same mark. */
const mark = {
  bubble: { cx: 0.5, cy: 0.44, hw: 0.34, hh: 0.25, r: 0.11 },
  tail: [
    [0.3, 0.62],
    [0.47, 0.62],
    [0.26, 0.82],
  ] as const,
  diamond: { cx: 0.5, cy: 0.44, r: 0.16 },
  facet: { cx: 0.5, cy: 0.44, r: 0.06 },
};

function insideRoundedRect(x: number, y: number, b: typeof mark.bubble): boolean {
  const qx = Math.abs(x - b.cx) - (b.hw - b.r);
  const qy = Math.abs(y - b.cy) - (b.hh - b.r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - b.r <= 0;
}

function insideTriangle(x: number, y: number, [a, b, c]: typeof mark.tail): boolean {
  const side = (p: readonly number[], q: readonly number[]) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

const insideDiamond = (x: number, y: number, d: { cx: number; cy: number; r: number }) => Math.abs(x - d.cx) + Math.abs(y - d.cy) <= d.r;

const insideBubble = (x: number, y: number) => insideRoundedRect(x, y, mark.bubble) || insideTriangle(x, y, mark.tail);

/** Full colour: blue field, white bubble, blue diamond with a white facet. */
const colorPainter: Painter = (x, y) => {
  if (insideDiamond(x, y, mark.facet)) return WHITE;
  if (insideDiamond(x, y, mark.diamond)) return BLUE_MARK;
  if (insideBubble(x, y)) return WHITE;
  const t = y;
  return BLUE_TOP.map((c, i) => (i === 3 ? 1 : c + (BLUE_BOTTOM[i] - c) * t)) as Rgba;
};

/** Outline: the bubble in white, the diamond cut out of it, the facet white again. */
const outlinePainter: Painter = (x, y) => {
  if (insideDiamond(x, y, mark.facet)) return WHITE;
  if (insideDiamond(x, y, mark.diamond)) return CLEAR;
  return insideBubble(x, y) ? WHITE : CLEAR;
};

/** Renders with 8x8 supersampling, averaging premultiplied colour. */
export function renderIcon(size: number, paint: Painter, samples = 8): PNG {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      const n = samples * samples;
      png.data[i] = a === 0 ? 0 : Math.round(r / a);
      png.data[i + 1] = a === 0 ? 0 : Math.round(g / a);
      png.data[i + 2] = a === 0 ? 0 : Math.round(b / a);
      png.data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return png;
}

export function drawIcons(outDir: string): string[] {
  const icons: Array<[string, number, Painter]> = [
    ['color.png', 192, colorPainter],
    ['outline.png', 32, outlinePainter],
  ];
  return icons.map(([file, size, painter]) => {
    const target = path.join(outDir, file);
    fs.writeFileSync(target, PNG.sync.write(renderIcon(size, painter)));
    return target;
  });
}

if (require.main === module) {
  for (const file of drawIcons(path.resolve(__dirname, '..', 'appPackage'))) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
