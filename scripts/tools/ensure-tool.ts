/** What a finder answers: where the tool is and how it was found, or one line saying what to do. */
export type ToolLookup = { found: true; path: string; source: string } | { found: false; message: string };

/**
 * `npm test`'s first steps: find a tool the tests start, or install it where `install` may (it
 * answers false where it did not try, and throws when it failed), then find it again; otherwise
 * stop the run with the finder's one line. Prints the tool it found.
 */
export function ensureTool(tool: { label: string; find: () => ToolLookup; install: () => boolean }): void {
  try {
    let lookup = tool.find();
    if (!lookup.found && tool.install()) lookup = tool.find();
    if (!lookup.found) {
      console.error(lookup.message);
      process.exitCode = 1;
      return;
    }
    console.log(`${tool.label}: ${lookup.path} (from ${lookup.source})`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
