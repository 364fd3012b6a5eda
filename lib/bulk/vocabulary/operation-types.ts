/**
 * The bulk operations, with the labels upstream Publisher shows for them and what each does in a
 * sentence (the home page). Client-safe.
 */
export const OPERATION_TYPES = [
  {
    type: "course_create",
    label: "Course Creation",
    description: "New courses with their first run, seats and you as editor.",
  },
  {
    type: "course_update",
    label: "Course Updates",
    description: "Course fields; a blank cell leaves a field unchanged.",
  },
  {
    type: "course_run_update",
    label: "Course Run Updates",
    description: "Run dates, pacing, effort, languages, prices and review status.",
  },
  {
    type: "course_rerun",
    label: "Course Re-run",
    description: "A new run copied from the last active one, keyed by term.",
  },
  {
    type: "course_editor_update",
    label: "Course Editor Updates",
    description: "Add or remove course editors by username or email.",
  },
] as const;

export type OperationType = (typeof OPERATION_TYPES)[number]["type"];

export function isOperationType(value: unknown): value is OperationType {
  return OPERATION_TYPES.some((o) => o.type === value);
}

export function operationLabel(type: OperationType): string {
  return OPERATION_TYPES.find((o) => o.type === type)?.label ?? type;
}
