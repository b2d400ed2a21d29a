/**
 * Draws the bot's cards as Teams would (light and dark host configs) into screenshots/, to be
 * looked at. Needs a Chromium (scripts/chromium/find-chromium.ts says where it looks). Usage: tsx scripts/render-cards.ts [name...]
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './chromium/launch-chromium';
import { renderCards, type Theme } from './render-cards/render-card-page';
import { sampleCards } from './render-cards/sample-cards';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const cards = sampleCards().filter((c) => only.length === 0 || only.includes(c.name));
  const outDir = path.resolve(__dirname, '../screenshots');
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  let problems = 0;
  try {
    for (const theme of ['light', 'dark'] as Theme[]) {
      for (const result of await renderCards(browser, cards, { theme, screenshot: true })) {
        const file = path.join(outDir, `card-${result.name}-${theme}.png`);
        fs.writeFileSync(file, result.png!);
        problems += result.warnings.length;
        const note = result.warnings.length ? `  ${result.warnings.join('; ')}` : '';
        console.log(`${path.relative(process.cwd(), file)}  ${result.width}x${result.height}${note}`);
      }
    }
  } finally {
    await browser.close();
  }
  if (problems > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
