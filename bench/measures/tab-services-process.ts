import { attendee, startTabServices } from '../../tab/test/support/start-tab-stack';

/**
 * Child process of the tab measure: the Jira simulator, the bot, entra-emu and the Teams host
 * emulation, in their own event loop as in a real deployment (not sharing one with the browser's
 * driver). Seeds a backlog of `issues` issues and prints `READY <json>` with the host page URL.
 */
async function main(): Promise<void> {
  const issues = Number(process.argv[2] ?? 200);
  const services = await startTabServices();
  const alice = attendee('Alice Admin', 1, 'alice');
  await services.connect(alice);
  // PHX (120) and KAN (60) from the demo seed, and the rest new in KAN.
  for (let i = 0; i < issues - 180; i++) {
    const created = await services.jira('alice', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'KAN' }, issuetype: { name: 'Task' }, summary: `Bench issue ${i + 1}` },
    });
    if (created.status !== 201) throw new Error(`could not create bench issues: ${JSON.stringify(created.body)}`);
  }
  const id = await services.createBacklog(alice, 'Bench', 'project in (PHX, KAN) ORDER BY Rank ASC');
  const { jira: _jira, ...user } = alice;
  const url = new URL(services.host.pageUrl({ tab: `${services.bot.bot.url}/tab/?view=backlog&backlog=${id}`, user, context: 'content' }));
  // Teams' page and the tab are different sites, so Chromium runs them in separate processes. Both
  // on 127.0.0.1 they would share one main thread, and the host page's work would count as the
  // tab's; `localhost` makes the host page another site (the tab trusts a loopback parent).
  url.hostname = 'localhost';
  process.stdout.write(`READY ${JSON.stringify({ url: url.href })}\n`);
  process.once('SIGTERM', () => {
    services.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
