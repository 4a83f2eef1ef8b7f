/** Worker thread entry: builds the areas once, then simulates each chunk it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildGeneratorAreas } from './areas.js';
import { runChunk } from './chunk.js';
import type { ChunkJob } from './chunk.js';

const job = workerData as ChunkJob;
const areas = buildGeneratorAreas(job.geography, job.size);
parentPort!.on('message', (chunk: number) => {
  parentPort!.postMessage(runChunk(job, chunk, areas));
});
parentPort!.postMessage('ready');
