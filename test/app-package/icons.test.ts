import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { drawIcons } from '../../scripts/draw-icons';
import { APP_PACKAGE_DIR, tempDir } from './build-test-package';

const manifest = JSON.parse(fs.readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'));
const read = (file: string) => PNG.sync.read(fs.readFileSync(path.join(APP_PACKAGE_DIR, file)));

function pixels(png: PNG): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < png.data.length; i += 4) out.push([png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]]);
  return out;
}

describe('app icons', () => {
  it('color icon is a fully opaque 192x192 PNG in more than one colour', () => {
    const png = read(manifest.icons.color);
    assert.deepEqual([png.width, png.height], [192, 192]);
    const all = pixels(png);
    assert.equal(all.filter(([, , , a]) => a !== 255).length, 0, 'Teams shows the color icon on any background: no transparency');
    assert.ok(new Set(all.map(([r, g, b]) => `${r},${g},${b}`)).size > 2);
  });

  it('outline icon is 32x32, white on transparent only', () => {
    const png = read(manifest.icons.outline);
    assert.deepEqual([png.width, png.height], [32, 32]);
    const all = pixels(png);
    const notWhite = all.filter(([r, g, b, a]) => a > 0 && (r !== 255 || g !== 255 || b !== 255));
    assert.equal(notWhite.length, 0, `${notWhite.length} visible pixels are not white`);
    assert.ok(
      all.some(([, , , a]) => a === 0),
      'has a transparent background',
    );
    assert.ok(all.filter(([, , , a]) => a === 255).length > 100, 'has a solid white mark');
  });

  it('the committed icons are exactly what scripts/draw-icons.ts draws', function () {
    // 8x8 samples per pixel take a few seconds on a busy CI machine.
    this.timeout(60_000);
    const dir = tempDir('icons');
    for (const file of drawIcons(dir)) {
      const name = path.basename(file);
      assert.deepEqual(fs.readFileSync(file), fs.readFileSync(path.join(APP_PACKAGE_DIR, name)), `${name} is stale: run npm run icons`);
    }
  });
});
