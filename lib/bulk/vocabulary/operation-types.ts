/** The five bulk operations, with the labels upstream Publisher shows for them. Client-safe. */
export const OPERATION_TYPES = [
  { type: "course_create", label: "Course Creation" },
  { type: "course_update", label: "Course Updates" },
  { type: "course_run_update", label: "Course Run Updates" },
  { type: "course_rerun", label: "Course Re-run" },
  { type: "course_editor_update", label: "Course Editor Updates" },
] as const;

export type OperationType = (typeof OPERATION_TYPES)[number]["type"];

export function isOperationType(value: unknown): value is OperationType {
  return OPERATION_TYPES.some((o) => o.type === value);
}

export function operationLabel(type: OperationType): string {
  return OPERATION_TYPES.find((o) => o.type === type)?.label ?? type;
}
