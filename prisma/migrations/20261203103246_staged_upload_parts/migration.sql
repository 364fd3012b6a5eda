-- CreateTable
CREATE TABLE "BulkOperationUploadPart" (
    "uploadId" TEXT NOT NULL,
    "partNumber" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BulkOperationUploadPart_pkey" PRIMARY KEY ("uploadId","partNumber")
);

-- CreateIndex
CREATE INDEX "BulkOperationUploadPart_createdAt_idx" ON "BulkOperationUploadPart"("createdAt");

