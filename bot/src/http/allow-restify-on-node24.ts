import { METHODS } from 'node:http';

/**
 * restify loads spdy, whose http-deceiver reads `process.binding('http_parser')` as it loads.
 * Node 24 removed that binding, so `require('restify')` throws there. The service never serves
 * HTTP/2 through spdy, so the parser is never used: this module, imported before restify,
 * answers that one binding with the shape http-deceiver reads (its method list) and passes
 * every other name through. On Node 20 and 22 the binding still exists and nothing changes.
 */
type Binding = (name: string) => unknown;

// Not in @types/node: process.binding is an undocumented, deprecated API.
const host = process as unknown as { binding: Binding };
const original = host.binding.bind(process);

function hasHttpParserBinding(): boolean {
  try {
    original('http_parser');
    return true;
  } catch {
    return false;
  }
}

if (!hasHttpParserBinding()) {
  const standIn = { HTTPParser: { methods: [...METHODS] }, methods: [...METHODS] };
  host.binding = (name: string) => (name === 'http_parser' ? standIn : original(name));
}

export {};
