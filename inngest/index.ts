import { processBulkOperation } from "./functions/process-bulk-operation";
import { requeueStalledOperations } from "./functions/requeue-stalled-operations";

export const functions = [processBulkOperation, requeueStalledOperations];
