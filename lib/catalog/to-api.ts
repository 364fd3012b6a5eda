import type { CourseDetail } from "./get-course";

type RunDetail = CourseDetail["runs"][number];

/**
 * The public JSON shape of a course run: snake_case names as SPEC.md and the CSV columns use them,
 * dates in ISO 8601 UTC.
 */
export function courseRunToApi(run: RunDetail, courseKey: string) {
  return {
    uuid: run.id,
    key: run.key,
    course: courseKey,
    status: run.status,
    start: run.start,
    end: run.end,
    enrollment_start: run.enrollmentStart,
    enrollment_end: run.enrollmentEnd,
    go_live_date: run.goLiveDate,
    pacing_type: run.pacing,
    run_type: run.runType.name,
    min_effort: run.minEffort,
    max_effort: run.maxEffort,
    weeks_to_complete: run.weeksToComplete,
    content_language: run.contentLanguage,
    transcript_languages: run.transcriptLanguages,
    staff: run.staff,
    expected_program_type: run.expectedProgramType,
    expected_program_name: run.expectedProgramName,
    upgrade_deadline_override: run.upgradeDeadlineOverride,
    created: run.createdAt,
    modified: run.updatedAt,
    seats: run.seats.map((seat) => ({
      type: seat.type,
      price: seat.price,
      currency: seat.currency,
      upgrade_deadline: seat.upgradeDeadline,
    })),
  };
}

export function courseToApi(course: CourseDetail) {
  return {
    uuid: course.id,
    key: course.key,
    title: course.title,
    url_slug: course.urlSlug,
    short_description: course.shortDescription,
    full_description: course.fullDescription,
    outcome: course.outcome,
    syllabus: course.syllabus,
    prerequisites: course.prerequisites,
    faq: course.faq,
    learner_testimonials: course.learnerTestimonials,
    additional_information: course.additionalInformation,
    image: course.imageUrl,
    video: course.videoUrl,
    level_type: course.levelType,
    primary_subject: course.primarySubject,
    secondary_subject: course.secondarySubject,
    tertiary_subject: course.tertiarySubject,
    collaborators: course.collaborators,
    topics: course.topics,
    watchers: course.watchers,
    course_type: course.courseType.name,
    enterprise_subscription_inclusion: course.enterpriseSubscriptionInclusion,
    authoring_organizations: course.organizations.map((o) => ({ key: o.key, name: o.name, logo_url: o.logoUrl })),
    created: course.createdAt,
    modified: course.updatedAt,
    course_runs: course.runs.map((run) => courseRunToApi(run, course.key)),
    editors: course.editors.map((e) => ({ username: e.username, email: e.email, name: e.name, added: e.addedAt })),
  };
}
