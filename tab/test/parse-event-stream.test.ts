import assert from 'node:assert/strict';
import { createEventStreamParser, type StreamMessage } from '../src/api/parse-event-stream';

describe('tab: createEventStreamParser', () => {
  const parse = (chunks: string[]): StreamMessage[] => {
    const out: StreamMessage[] = [];
    const feed = createEventStreamParser((m) => out.push(m));
    for (const chunk of chunks) feed(chunk);
    return out;
  };

  it('reads named events, ignores comments, joins data lines', () => {
    assert.deepEqual(parse([': ping\n\nevent: ready\ndata: {}\n\nevent: ranked\ndata: {"keys":\ndata: ["A-1"]}\n\n']), [
      { event: 'ready', data: '{}' },
      { event: 'ranked', data: '{"keys":\n["A-1"]}' },
    ]);
  });

  it('copes with lines split across chunks and CRLF line ends', () => {
    assert.deepEqual(parse(['event: issue-chan', 'ged\r', '\ndata: {"key":"PHX-1"}\r\n', '\r\n']), [{ event: 'issue-changed', data: '{"key":"PHX-1"}' }]);
  });

  it('dispatches a named event without data, and a nameless one as message', () => {
    assert.deepEqual(parse(['event: ready\n\ndata: x\n\n']), [
      { event: 'ready', data: '' },
      { event: 'message', data: 'x' },
    ]);
  });
});
