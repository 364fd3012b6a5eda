import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";
import { type RawSql, type SameColumns, type TableSpec, insertRows } from "@/lib/sql/set-writes";

// The catalog's tables as the set-based writers see them (lib/sql/set-writes.ts): one spec per table,
// every column of the Prisma model.

export interface CourseInsert {
  id: string;
  key: string;
  title: string;
  urlSlug: string;
  shortDescription: string | null;
  fullDescription: string | null;
  outcome: string | null;
  syllabus: string | null;
  prerequisites: string | null;
  faq: string | null;
  learnerTestimonials: string | null;
  additionalInformation: string | null;
  imageUrl: string | null;
  videoUrl: string | null;
  levelTypeId: string | null;
  primarySubjectId: string | null;
  secondarySubjectId: string | null;
  tertiarySubjectId: string | null;
  collaborators: string[];
  topics: string[];
  watchers: string[];
  courseTypeId: string;
  enterpriseSubscriptionInclusion: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

export const courseTable: TableSpec<CourseInsert> = {
  name: "Course",
  columns: {
    id: "text",
    key: "text",
    title: "text",
    urlSlug: "text",
    shortDescription: "text",
    fullDescription: "text",
    outcome: "text",
    syllabus: "text",
    prerequisites: "text",
    faq: "text",
    learnerTestimonials: "text",
    additionalInformation: "text",
    imageUrl: "text",
    videoUrl: "text",
    levelTypeId: "text",
    primarySubjectId: "text",
    secondarySubjectId: "text",
    tertiarySubjectId: "text",
    collaborators: "text[]",
    topics: "text[]",
    watchers: "text[]",
    courseTypeId: "text",
    enterpriseSubscriptionInclusion: "boolean",
    createdAt: "timestamp(3)",
    updatedAt: "timestamp(3)",
  },
};

export interface CourseOrganizationInsert {
  courseId: string;
  organizationId: string;
}

export const courseOrganizationTable: TableSpec<CourseOrganizationInsert> = {
  name: "CourseOrganization",
  columns: { courseId: "text", organizationId: "text" },
};

export interface CourseRunInsert {
  id: string;
  key: string;
  courseId: string;
  status: "unpublished" | "review_by_legal" | "review_by_internal" | "reviewed" | "published";
  start: Date | null;
  end: Date | null;
  enrollmentStart: Date | null;
  enrollmentEnd: Date | null;
  goLiveDate: Date | null;
  pacing: "instructor_paced" | "self_paced" | null;
  runTypeId: string;
  minEffort: number | null;
  maxEffort: number | null;
  weeksToComplete: number | null;
  contentLanguage: string | null;
  transcriptLanguages: string[];
  staff: string[];
  expectedProgramType: string | null;
  expectedProgramName: string | null;
  upgradeDeadlineOverride: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const courseRunTable: TableSpec<CourseRunInsert> = {
  name: "CourseRun",
  columns: {
    id: "text",
    key: "text",
    courseId: "text",
    status: '"CourseRunStatus"',
    start: "timestamp(3)",
    end: "timestamp(3)",
    enrollmentStart: "timestamp(3)",
    enrollmentEnd: "timestamp(3)",
    goLiveDate: "timestamp(3)",
    pacing: '"Pacing"',
    runTypeId: "text",
    minEffort: "integer",
    maxEffort: "integer",
    weeksToComplete: "integer",
    contentLanguage: "text",
    transcriptLanguages: "text[]",
    staff: "text[]",
    expectedProgramType: "text",
    expectedProgramName: "text",
    upgradeDeadlineOverride: "timestamp(3)",
    createdAt: "timestamp(3)",
    updatedAt: "timestamp(3)",
  },
};

export interface SeatInsert {
  id: string;
  runId: string;
  type: string;
  price: string;
  currency: string;
  upgradeDeadline: Date | null;
}

/** A seat as a run's state holds it, before it has an id. */
export type SeatState = Omit<SeatInsert, "id">;

export const seatTable: TableSpec<SeatInsert> = {
  name: "Seat",
  columns: {
    id: "text",
    runId: "text",
    type: "text",
    price: "numeric(10,2)",
    currency: "text",
    upgradeDeadline: "timestamp(3)",
  },
};

export interface CourseEditorInsert {
  id: string;
  userId: string;
  courseId: string;
  createdAt: Date;
}

export const courseEditorTable: TableSpec<CourseEditorInsert> = {
  name: "CourseEditor",
  columns: { id: "text", userId: "text", courseId: "text", createdAt: "timestamp(3)" },
};

/** Replaces the seats of the given runs (a run type or price change redefines them). */
export async function replaceSeats(tx: RawSql, runIds: string[], seats: SeatInsert[]) {
  if (runIds.length === 0) {
    return;
  }
  await tx.$executeRawUnsafe(`DELETE FROM "Seat" WHERE "runId" = ANY($1::text[])`, runIds);
  await insertRows(tx, seatTable, seats);
}

// Each spec against its Prisma model: a column added to the schema fails to compile here until the spec
// (and so every set-based write of the table) has it.
const specsMatchModels: [
  SameColumns<CourseInsert, Prisma.CourseScalarFieldEnum>,
  SameColumns<CourseOrganizationInsert, Prisma.CourseOrganizationScalarFieldEnum>,
  SameColumns<CourseRunInsert, Prisma.CourseRunScalarFieldEnum>,
  SameColumns<SeatInsert, Prisma.SeatScalarFieldEnum>,
  SameColumns<CourseEditorInsert, Prisma.CourseEditorScalarFieldEnum>,
] = [true, true, true, true, true];
void specsMatchModels;
