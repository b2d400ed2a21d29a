import { Worker } from 'node:worker_threads';

/**
 * The worker's code: its own connection to the file, a PASSIVE checkpoint (copies what it can of
 * the WAL into the database file and syncs both, never waiting for or blocking a writer or reader)
 * every `everyMs`, and a clean close when asked. A failed checkpoint (another process checkpointing
 * the same file) is left to the next tick; the writer's own automatic checkpoint stays as a backstop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoints {
  /** Stops the thread after closing its connection; resolves once it has exited. */
  close(): Promise<void>;
}

/**
 * Checkpoints a WAL-mode SQLite file from a thread of its own. A checkpoint fsyncs the WAL and the
 * database file; run by the writing connection (SQLite's automatic checkpoint, every 1,000 pages),
 * it blocks the event loop for that long: in an alert burst about 50 fsyncs per 2,000 sends and
 * 0.5 to 1 s of a 13 to 20 s delivery (strace, machine under load). Here they block only this thread.
 * The thread never keeps the process alive; `onError` hears that it failed, so the writer can take
 * the checkpoints back.
 */
export function startBackgroundCheckpoints(file: string, options: { everyMs: number; onError: (error: unknown) => void }): BackgroundCheckpoints {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: require.resolve('better-sqlite3'), everyMs: options.everyMs } });
  worker.unref();
  worker.on('error', options.onError);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async close() {
      // Held while it closes: with nothing else pending, an unref'd thread would let the process end mid-close.
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
  };
}
