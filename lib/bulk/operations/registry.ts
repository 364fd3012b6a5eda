import "server-only";

import type { z } from "zod";

import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";

import { courseCreate } from "./course-create";
import { courseEditorUpdate } from "./course-editor-update";
import { courseRerun } from "./course-rerun";
import { courseRunUpdate } from "./course-run-update";
import { courseUpdate } from "./course-update";
import type { OperationDefinition } from "./definition";

/** The one widening of a definition's row type: the pipeline handles rows as unknown records. */
const defineOperation = <Schema extends z.ZodObject>(definition: OperationDefinition<Schema>) =>
  definition as unknown as OperationDefinition;

// Every operation type has its definition: a new type fails to compile until it is added here.
const DEFINITIONS: Record<OperationType, OperationDefinition> = {
  course_create: defineOperation(courseCreate),
  course_update: defineOperation(courseUpdate),
  course_run_update: defineOperation(courseRunUpdate),
  course_rerun: defineOperation(courseRerun),
  course_editor_update: defineOperation(courseEditorUpdate),
};

export function operationDefinitions(): OperationDefinition[] {
  return Object.values(DEFINITIONS);
}

export function operationDefinition(type: OperationType): OperationDefinition {
  return DEFINITIONS[type];
}

/** The row's target as the results screen shows it, from its cells (see OperationDefinition.displayKey). */
export function displayKey(type: OperationType, cells: Record<string, string>): string | null {
  const definition = DEFINITIONS[type];
  if (definition.displayKey) {
    return definition.displayKey(cells);
  }
  const named = Object.keys(definition.targetColumns).map((column) => cells[column]?.trim());
  return named.find((value) => value) ?? null;
}
