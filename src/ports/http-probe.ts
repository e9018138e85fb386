// Plain HTTP for what is not a marketplace or carrier API: `doctor` asking whether a host answers at
// all, and `sync --notify` handing the run summary to a seller's alerting hook. One request each, no
// retries, no pacing, no authentication (those are src/adapters/http's HttpClient). Implemented over
// axios in src/adapters/http/probe.ts and chosen in src/cli/wiring/http-probe.ts.

/** What one request came to: the HTTP status the server answered (any status), or why no answer came. */
export type HttpOutcome =
  | { status: number }
  | {
      error: {
        /** The connection failure's code (ECONNREFUSED, ENOTFOUND, ECONNABORTED on a timeout…), when there is one. */
        code?: string;
        message: string;
      };
    };

export interface HttpProbe {
  /** GET the URL once without following a redirect (a 3xx is the host's answer), within timeoutMs. */
  probe(url: string, timeoutMs: number): Promise<HttpOutcome>;
  /** POST an already serialised JSON body (Content-Type: application/json) once, within timeoutMs. */
  postJson(url: string, body: string, timeoutMs: number): Promise<HttpOutcome>;
}
