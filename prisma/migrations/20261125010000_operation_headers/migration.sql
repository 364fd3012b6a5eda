-- AlterTable
ALTER TABLE "BulkOperation" ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '[]';

