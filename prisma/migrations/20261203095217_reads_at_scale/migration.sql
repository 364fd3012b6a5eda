-- Trigram operator classes for the course key and title indexes (Prisma cannot declare the extension
-- without a preview feature). The embedded database loads it too (pglite-server --extensions=pg_trgm).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "BulkOperationRow_operationId_status_idx";

-- CreateIndex
CREATE INDEX "Course_key_idx" ON "Course" USING GIN ("key" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Course_title_idx" ON "Course" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "BulkOperationRow_results_idx" ON "BulkOperationRow"("operationId", "status", "previewStatus", "errorCode", "rowNumber");

