// The Amazon regions, marketplaces and endpoints are pure data: they live in src/core/amazon-regions.ts
// (so services and the CLI can read them without the adapter); the adapter's modules keep importing them here.
export * from '../../../core/amazon-regions.js';
