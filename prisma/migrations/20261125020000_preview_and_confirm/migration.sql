-- AlterTable
ALTER TABLE "BulkOperation" ADD COLUMN     "confirmedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "BulkOperationRow" ADD COLUMN     "previewStatus" "BulkRowStatus";

