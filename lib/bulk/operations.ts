import "server-only";

import { courseCreate } from "./course-create";
import type { OperationDefinition } from "./operation-definition";
import type { OperationType } from "./operation-types";

const DEFINITIONS: Partial<Record<OperationType, OperationDefinition>> = {
  course_create: courseCreate as unknown as OperationDefinition,
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
