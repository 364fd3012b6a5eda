-- The code of a refused file (UNBALANCED_QUOTES, MISSING_COLUMNS, ...) beside its message, so the API
-- returns it and clients can act on it without parsing the message.
ALTER TABLE "BulkOperation" ADD COLUMN "errorCode" TEXT;
