/**
 * The only part of Inngest's `step` the orchestration uses. Inngest memoizes `run` results per step id;
 * the in-process runner does the same in the BulkOperationStep table. Results must be small JSON.
 */
export interface StepTools {
  run<T extends StepResult>(id: string, fn: () => Promise<T>): Promise<T>;
}

export type StepResult = Record<string, string | number | boolean | null>;
