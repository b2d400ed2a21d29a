export interface StreamMessage {
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules the page needs: `event:`, `data:`
 * joined by newlines, comments ignored, a blank line dispatches). Feed it decoded chunks as they
 * arrive; lines may be split anywhere across chunks.
 */
export function createEventStreamParser(onMessage: (message: StreamMessage) => void): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      const width = buffer.startsWith('\r\n', newline) ? 2 : 1;
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (buffer[newline] === '\r' && newline + 1 === buffer.length) break;
      buffer = buffer.slice(newline + width);
      if (line === '') {
        // Unlike EventSource, a named event without data still counts: `event: ready` alone means ready.
        if (data.length || event) onMessage({ event: event || 'message', data: data.join('\n') });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
  };
}
