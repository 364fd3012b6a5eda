import fs from "node:fs";

import type { StepResult, StepTools } from "../../lib/bulk/step-tools";

const MB = 1024 * 1024;

/** Samples the process's resident set size; `peak()` since construction or the last `reset()`. */
export class RssSampler {
  private max = 0;
  private overall = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 20) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample() {
    const rss = process.memoryUsage.rss();
    this.max = Math.max(this.max, rss);
    this.overall = Math.max(this.overall, rss);
  }

  /** Peak in MB since the last reset. */
  peak() {
    this.sample();
    return this.max / MB;
  }

  reset() {
    this.max = 0;
  }

  /** Peak in MB over the whole run: the sampled maximum or the kernel's high-water mark, whichever is higher. */
  overallPeak() {
    this.sample();
    return Math.max(this.overall / MB, vmHwmMb() ?? 0);
  }

  stop() {
    clearInterval(this.timer);
  }
}

/** The kernel's peak resident set size of this process (VmHWM), in MB; undefined off Linux. */
export function vmHwmMb(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface StepTiming {
  id: string;
  ms: number;
}

/**
 * Wraps the runner's `step` to time each step as the job runs it (memo lookup and store included):
 * the pipeline code is untouched, only observed. `after` runs once a step is done, outside its time.
 */
export function timedSteps(
  step: StepTools,
  after?: (id: string) => Promise<void>,
): { step: StepTools; timings: StepTiming[] } {
  const timings: StepTiming[] = [];
  return {
    timings,
    step: {
      async run<T extends StepResult>(id: string, fn: () => Promise<T>): Promise<T> {
        const started = performance.now();
        const result = await step.run(id, fn);
        timings.push({ id, ms: performance.now() - started });
        await after?.(id);
        return result;
      },
    },
  };
}

/** Total milliseconds of the steps whose id matches. */
export function stepMs(timings: StepTiming[], match: (id: string) => boolean) {
  return timings.filter((t) => match(t.id)).reduce((sum, t) => sum + t.ms, 0);
}
