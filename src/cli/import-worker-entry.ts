// The listings import's reading thread starts here (src/services/listings/import.ts starts it from the
// URL cli/wiring/files.ts importWorkerUrl gives): the file port is wired in this thread as in the main one,
// from src/adapters/csv directly (not through cli/wiring, whose other adapters the thread does not need
// and whose modules would cost its start-up and its bounded heap).

import { parentPort, workerData } from 'node:worker_threads';
import { csvListingFiles } from '../adapters/csv/listing-files.js';
import { runImportWorker, type WorkerInput } from '../services/listings/import-worker.js';

void runImportWorker(csvListingFiles, parentPort!, workerData as WorkerInput);
