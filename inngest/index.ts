import { processBulkOperation } from "./functions/process-bulk-operation";

export const functions = [processBulkOperation];
