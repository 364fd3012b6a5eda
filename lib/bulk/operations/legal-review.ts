import type { CourseInsert, CourseRunInsert } from "@/lib/catalog/tables";

/**
 * What a run needs before it can go to legal review (SPEC "Run status rules"): each field by the CSV
 * column that supplies it, on the course or on the run, in the order messages name them.
 */
const LEGAL_REVIEW_FIELDS = [
  { column: "image", on: "course", field: "imageUrl" },
  { column: "long_description", on: "course", field: "fullDescription" },
  { column: "short_description", on: "course", field: "shortDescription" },
  { column: "what_will_you_learn", on: "course", field: "outcome" },
  { column: "level_type", on: "course", field: "levelTypeId" },
  { column: "primary_subject", on: "course", field: "primarySubjectId" },
  { column: "publish_date", on: "run", field: "goLiveDate" },
  { column: "minimum_effort", on: "run", field: "minEffort" },
  { column: "maximum_effort", on: "run", field: "maxEffort" },
  { column: "length", on: "run", field: "weeksToComplete" },
] as const satisfies readonly (
  | { column: string; on: "course"; field: keyof CourseInsert }
  | { column: string; on: "run"; field: keyof CourseRunInsert }
)[];

export type LegalReviewField = (typeof LEGAL_REVIEW_FIELDS)[number];

/** The fields still empty, in order; `valueOf` says where the caller holds each one's value. */
export function missingForLegalReview(valueOf: (field: LegalReviewField) => unknown): LegalReviewField[] {
  return LEGAL_REVIEW_FIELDS.filter((field) => {
    const value = valueOf(field);
    return value === null || value === undefined || value === "";
  });
}
