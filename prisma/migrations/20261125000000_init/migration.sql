-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "MembershipRole" AS ENUM ('coordinator', 'author');

-- CreateEnum
CREATE TYPE "CourseRunStatus" AS ENUM ('unpublished', 'review_by_legal', 'review_by_internal', 'reviewed', 'published');

-- CreateEnum
CREATE TYPE "Pacing" AS ENUM ('instructor_paced', 'self_paced');

-- CreateEnum
CREATE TYPE "BulkOperationType" AS ENUM ('course_create', 'course_update', 'course_run_update', 'course_rerun', 'course_editor_update');

-- CreateEnum
CREATE TYPE "BulkOperationStatus" AS ENUM ('pending', 'validating', 'awaiting_confirmation', 'processing', 'completed', 'partially_completed', 'failed', 'errored', 'cancelled');

-- CreateEnum
CREATE TYPE "BulkOperationMode" AS ENUM ('apply', 'preview');

-- CreateEnum
CREATE TYPE "BulkRowStatus" AS ENUM ('pending', 'created', 'updated', 'unchanged', 'failed');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT NOT NULL,
    "username" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "isStaff" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("provider","providerAccountId")
);

-- CreateTable
CREATE TABLE "Session" (
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("identifier","token")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "logoUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "role" "MembershipRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseType" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "entitlementSeatType" TEXT,

    CONSTRAINT "CourseType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseRunType" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seatTypes" TEXT[],

    CONSTRAINT "CourseRunType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Subject" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Subject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LevelType" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "LevelType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LanguageTag" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "LanguageTag_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "ProgramType" (
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "ProgramType_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "Course" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" VARCHAR(255) NOT NULL,
    "urlSlug" TEXT NOT NULL,
    "shortDescription" TEXT,
    "fullDescription" TEXT,
    "outcome" TEXT,
    "syllabus" TEXT,
    "prerequisites" TEXT,
    "faq" TEXT,
    "learnerTestimonials" TEXT,
    "additionalInformation" TEXT,
    "imageUrl" TEXT,
    "videoUrl" TEXT,
    "levelTypeId" TEXT,
    "primarySubjectId" TEXT,
    "secondarySubjectId" TEXT,
    "tertiarySubjectId" TEXT,
    "collaborators" TEXT[],
    "topics" TEXT[],
    "watchers" TEXT[],
    "courseTypeId" TEXT NOT NULL,
    "enterpriseSubscriptionInclusion" BOOLEAN,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseOrganization" (
    "courseId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,

    CONSTRAINT "CourseOrganization_pkey" PRIMARY KEY ("courseId","organizationId")
);

-- CreateTable
CREATE TABLE "CourseRun" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "status" "CourseRunStatus" NOT NULL DEFAULT 'unpublished',
    "start" TIMESTAMP(3),
    "end" TIMESTAMP(3),
    "enrollmentStart" TIMESTAMP(3),
    "enrollmentEnd" TIMESTAMP(3),
    "goLiveDate" TIMESTAMP(3),
    "pacing" "Pacing",
    "runTypeId" TEXT NOT NULL,
    "minEffort" INTEGER,
    "maxEffort" INTEGER,
    "weeksToComplete" INTEGER,
    "contentLanguage" TEXT,
    "transcriptLanguages" TEXT[],
    "staff" TEXT[],
    "expectedProgramType" TEXT,
    "expectedProgramName" TEXT,
    "upgradeDeadlineOverride" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CourseRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Seat" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "price" DECIMAL(10,2) NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "upgradeDeadline" TIMESTAMP(3),

    CONSTRAINT "Seat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseEditor" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CourseEditor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkOperation" (
    "id" TEXT NOT NULL,
    "type" "BulkOperationType" NOT NULL,
    "status" "BulkOperationStatus" NOT NULL DEFAULT 'pending',
    "mode" "BulkOperationMode" NOT NULL DEFAULT 'apply',
    "stage" TEXT,
    "uploaderId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileSize" INTEGER NOT NULL,
    "fileChecksum" TEXT NOT NULL,
    "fileBytes" BYTEA NOT NULL,
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "createdCount" INTEGER NOT NULL DEFAULT 0,
    "updatedCount" INTEGER NOT NULL DEFAULT 0,
    "unchangedCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "errorMessage" TEXT,
    "jobRunId" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "claimedBy" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "emailSentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BulkOperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkOperationRow" (
    "id" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "status" "BulkRowStatus" NOT NULL DEFAULT 'pending',
    "data" JSONB NOT NULL,
    "targetKey" TEXT,
    "errorCode" TEXT,
    "errorColumn" TEXT,
    "errorMessage" TEXT,
    "courseId" TEXT,
    "courseRunId" TEXT,
    "changes" JSONB,

    CONSTRAINT "BulkOperationRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkOperationStep" (
    "operationId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BulkOperationStep_pkey" PRIMARY KEY ("operationId","stepId")
);

-- CreateTable
CREATE TABLE "EmailMessage" (
    "id" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_CourseRunTypeToCourseType" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_CourseRunTypeToCourseType_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_key_key" ON "Organization"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_organizationId_key" ON "Membership"("userId", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "CourseType_slug_key" ON "CourseType"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "CourseType_name_key" ON "CourseType"("name");

-- CreateIndex
CREATE UNIQUE INDEX "CourseRunType_slug_key" ON "CourseRunType"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "CourseRunType_name_key" ON "CourseRunType"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Subject_slug_key" ON "Subject"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Subject_name_key" ON "Subject"("name");

-- CreateIndex
CREATE UNIQUE INDEX "LevelType_name_key" ON "LevelType"("name");

-- CreateIndex
CREATE UNIQUE INDEX "LanguageTag_name_key" ON "LanguageTag"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ProgramType_name_key" ON "ProgramType"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Course_key_key" ON "Course"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Course_urlSlug_key" ON "Course"("urlSlug");

-- CreateIndex
CREATE INDEX "CourseOrganization_organizationId_idx" ON "CourseOrganization"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "CourseRun_key_key" ON "CourseRun"("key");

-- CreateIndex
CREATE INDEX "CourseRun_courseId_idx" ON "CourseRun"("courseId");

-- CreateIndex
CREATE UNIQUE INDEX "Seat_runId_type_key" ON "Seat"("runId", "type");

-- CreateIndex
CREATE INDEX "CourseEditor_courseId_idx" ON "CourseEditor"("courseId");

-- CreateIndex
CREATE UNIQUE INDEX "CourseEditor_userId_courseId_key" ON "CourseEditor"("userId", "courseId");

-- CreateIndex
CREATE INDEX "BulkOperation_uploaderId_createdAt_idx" ON "BulkOperation"("uploaderId", "createdAt");

-- CreateIndex
CREATE INDEX "BulkOperation_status_idx" ON "BulkOperation"("status");

-- CreateIndex
CREATE INDEX "BulkOperation_createdAt_idx" ON "BulkOperation"("createdAt");

-- CreateIndex
CREATE INDEX "BulkOperationRow_operationId_status_idx" ON "BulkOperationRow"("operationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "BulkOperationRow_operationId_rowNumber_key" ON "BulkOperationRow"("operationId", "rowNumber");

-- CreateIndex
CREATE UNIQUE INDEX "EmailMessage_idempotencyKey_key" ON "EmailMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "_CourseRunTypeToCourseType_B_index" ON "_CourseRunTypeToCourseType"("B");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_courseTypeId_fkey" FOREIGN KEY ("courseTypeId") REFERENCES "CourseType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_levelTypeId_fkey" FOREIGN KEY ("levelTypeId") REFERENCES "LevelType"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseOrganization" ADD CONSTRAINT "CourseOrganization_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseOrganization" ADD CONSTRAINT "CourseOrganization_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseRun" ADD CONSTRAINT "CourseRun_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseRun" ADD CONSTRAINT "CourseRun_runTypeId_fkey" FOREIGN KEY ("runTypeId") REFERENCES "CourseRunType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CourseRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseEditor" ADD CONSTRAINT "CourseEditor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseEditor" ADD CONSTRAINT "CourseEditor_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkOperation" ADD CONSTRAINT "BulkOperation_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkOperationRow" ADD CONSTRAINT "BulkOperationRow_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "BulkOperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkOperationStep" ADD CONSTRAINT "BulkOperationStep_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "BulkOperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_CourseRunTypeToCourseType" ADD CONSTRAINT "_CourseRunTypeToCourseType_A_fkey" FOREIGN KEY ("A") REFERENCES "CourseRunType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_CourseRunTypeToCourseType" ADD CONSTRAINT "_CourseRunTypeToCourseType_B_fkey" FOREIGN KEY ("B") REFERENCES "CourseType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

