// What the order-report readers hand to the import service: the types live with the port
// (src/ports/order-files.ts) so the service reaches them without importing an adapter.

export * from '../../ports/order-files.js';
