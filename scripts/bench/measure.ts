import fs from "node:fs";

import type { StepResult, StepTools } from "@/lib/bulk/pipeline/step-tools";

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

/** Restarts the kernel's high-water mark from the current RSS (Linux: clear_refs 5); false where it cannot. */
export function resetVmHwm(): boolean {
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

export interface StepTiming {
  id: string;
  startedAt: number;
  endedAt: number;
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
        const startedAt = performance.now();
        const result = await step.run(id, fn);
        timings.push({ id, startedAt, endedAt: performance.now() });
        await after?.(id);
        return result;
      },
    },
  };
}

/** Milliseconds from the start of the first step whose id matches to the end of the last (steps may overlap). */
export function stepMs(timings: StepTiming[], match: (id: string) => boolean) {
  const matching = timings.filter((t) => match(t.id));
  return matching.length === 0
    ? 0
    : Math.max(...matching.map((t) => t.endedAt)) - Math.min(...matching.map((t) => t.startedAt));
}
