import "server-only";

import v8 from "node:v8";

import { env } from "@/lib/env";

/**
 * With JOB_HEAP_GROWING_PERCENT, V8 grows the heap only by that much between full collections: a job's
 * rows are short-lived garbage, which V8 otherwise lets pile up to several times the live heap (a 45 MB
 * upload's job: +340 MB over a live heap of 65-82 MB; with 20: +125 MB). It is no cap: a larger live set
 * still gets the heap it needs. More full collections cost time, so it is the operator's choice. Node
 * refuses this flag in NODE_OPTIONS, so processes that run jobs set it here at start.
 */
export function tuneHeapForJobs() {
  const percent = env().JOB_HEAP_GROWING_PERCENT;
  if (percent !== undefined) {
    v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  }
}
