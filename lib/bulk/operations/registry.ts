import "server-only";

import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";
import { courseCreate } from "./course-create";
import { courseEditorUpdate } from "./course-editor-update";
import { courseRerun } from "./course-rerun";
import { courseRunUpdate } from "./course-run-update";
import { courseUpdate } from "./course-update";
import type { OperationDefinition } from "./definition";

const DEFINITIONS: Partial<Record<OperationType, OperationDefinition>> = {
  course_create: courseCreate as unknown as OperationDefinition,
  course_update: courseUpdate as unknown as OperationDefinition,
  course_run_update: courseRunUpdate as unknown as OperationDefinition,
  course_rerun: courseRerun as unknown as OperationDefinition,
  course_editor_update: courseEditorUpdate as unknown as OperationDefinition,
};

/** The operations this build can run. */
export function operationDefinitions(): OperationDefinition[] {
  return Object.values(DEFINITIONS);
}

export function isSupportedOperation(type: OperationType) {
  return DEFINITIONS[type] !== undefined;
}

export function operationDefinition(type: OperationType): OperationDefinition {
  const definition = DEFINITIONS[type];
  if (!definition) {
    throw new Error(`Operation ${type} is not supported yet`);
  }
  return definition;
}
