export { HttpClient, createHttpClient, defaultErrorInfo, realSleep } from './client.js';
export type { HttpResponse, RequestOptions, HttpClientOptions, AuthProvider, ApiErrorInfo, Sleep } from './client.js';
export { HttpError, isHttpError } from './errors.js';
export type { FailureKind } from './errors.js';
export { httpFactory, httpFactoryFromCtx } from './factory.js';
export type { HttpFactory, HttpDefaults, HttpContextLike } from './factory.js';
export { Pacer, describeLimit, formatDuration, DEFAULT_MAX_WAIT_MS } from './pacer.js';
export type { Limit, PacerState, PacerStateStore, PacerOptions, WaitNotice } from './pacer.js';
