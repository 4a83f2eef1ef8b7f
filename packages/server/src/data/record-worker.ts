/**
 * The record renderer's worker thread (record-renderer.ts): answers the server's messages in order
 * received, each with its id. A failure is answered by its kind only (an error's name), never with
 * its message, which could quote a record.
 */
import { parentPort } from 'node:worker_threads';
import { createRenderHandler, type RenderMessage, type RenderReply } from './record-renderer.js';

const port = parentPort;
if (port === null) throw new Error('record-worker.js runs as a worker thread of the server');
const handler = createRenderHandler();
port.on('message', (message: RenderMessage) => {
  handler.handle(message).then(
    (ok) => port.postMessage({ id: message.id, ok } satisfies RenderReply),
    (error: unknown) => port.postMessage({ id: message.id, failed: error instanceof Error ? error.name : 'error' } satisfies RenderReply),
  );
});
