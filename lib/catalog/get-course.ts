import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { visibleCoursesWhere } from "@/lib/catalog/list-courses";
import { db } from "@/lib/db";
import { isUuid } from "@/lib/ids";

export type CourseDetail = NonNullable<Awaited<ReturnType<typeof getCourse>>>;

/** A course with everything its page shows, by key or uuid; null when missing or not visible to the user. */
export async function getCourse({ user, keyOrId }: { user: ActingUser; keyOrId: string }) {
  const course = await db.course.findFirst({
    where: {
      // Keys always contain "+", so a uuid-shaped value can only be an id.
      AND: [isUuid(keyOrId) ? { id: keyOrId.toLowerCase() } : { key: keyOrId }, visibleCoursesWhere(user)],
    },
    include: {
      courseType: { select: { name: true, slug: true, entitlementSeatType: true } },
      levelType: { select: { name: true } },
      organizations: { select: { organization: { select: { id: true, key: true, name: true, logoUrl: true } } } },
      runs: {
        include: {
          runType: { select: { name: true, slug: true } },
          seats: { orderBy: { type: "asc" } },
        },
        orderBy: [{ start: "asc" }, { key: "asc" }],
      },
      editors: {
        select: { id: true, createdAt: true, user: { select: { id: true, email: true, username: true, name: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!course) {
    return null;
  }

  // Subjects are bare ids on the course (three slots, no relation); one read resolves their names.
  const subjectIds = [course.primarySubjectId, course.secondarySubjectId, course.tertiarySubjectId].filter(
    (id): id is string => id !== null,
  );
  const subjects = subjectIds.length
    ? await db.subject.findMany({ where: { id: { in: subjectIds } }, select: { id: true, name: true } })
    : [];
  const subjectName = (id: string | null) => (id ? (subjects.find((s) => s.id === id)?.name ?? id) : null);

  return {
    id: course.id,
    key: course.key,
    title: course.title,
    urlSlug: course.urlSlug,
    shortDescription: course.shortDescription,
    fullDescription: course.fullDescription,
    outcome: course.outcome,
    syllabus: course.syllabus,
    prerequisites: course.prerequisites,
    faq: course.faq,
    learnerTestimonials: course.learnerTestimonials,
    additionalInformation: course.additionalInformation,
    imageUrl: course.imageUrl,
    videoUrl: course.videoUrl,
    levelType: course.levelType?.name ?? null,
    primarySubject: subjectName(course.primarySubjectId),
    secondarySubject: subjectName(course.secondarySubjectId),
    tertiarySubject: subjectName(course.tertiarySubjectId),
    collaborators: course.collaborators,
    topics: course.topics,
    watchers: course.watchers,
    courseType: course.courseType,
    enterpriseSubscriptionInclusion: course.enterpriseSubscriptionInclusion,
    organizations: course.organizations.map((o) => o.organization),
    createdAt: course.createdAt.toISOString(),
    updatedAt: course.updatedAt.toISOString(),
    runs: course.runs.map((run) => ({
      id: run.id,
      key: run.key,
      status: run.status,
      start: iso(run.start),
      end: iso(run.end),
      enrollmentStart: iso(run.enrollmentStart),
      enrollmentEnd: iso(run.enrollmentEnd),
      goLiveDate: iso(run.goLiveDate),
      pacing: run.pacing,
      runType: run.runType,
      minEffort: run.minEffort,
      maxEffort: run.maxEffort,
      weeksToComplete: run.weeksToComplete,
      contentLanguage: run.contentLanguage,
      transcriptLanguages: run.transcriptLanguages,
      staff: run.staff,
      expectedProgramType: run.expectedProgramType,
      expectedProgramName: run.expectedProgramName,
      upgradeDeadlineOverride: iso(run.upgradeDeadlineOverride),
      createdAt: run.createdAt.toISOString(),
      updatedAt: run.updatedAt.toISOString(),
      seats: run.seats.map((seat) => ({
        id: seat.id,
        type: seat.type,
        price: seat.price.toFixed(2),
        currency: seat.currency,
        upgradeDeadline: iso(seat.upgradeDeadline),
      })),
    })),
    editors: course.editors.map((e) => ({
      id: e.id,
      userId: e.user.id,
      email: e.user.email,
      username: e.user.username,
      name: e.user.name,
      addedAt: e.createdAt.toISOString(),
    })),
  };
}

function iso(date: Date | null) {
  return date?.toISOString() ?? null;
}
