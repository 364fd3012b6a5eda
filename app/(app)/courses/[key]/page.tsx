import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";

import { RichText } from "@/components/catalog/rich-text";
import { DateTime } from "@/components/ui/date-time";
import { NoAccess } from "@/components/ui/no-access";
import { StatusBadge } from "@/components/ui/status-badge";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";
import { getCourse, type CourseDetail } from "@/lib/catalog/get-course";

export const metadata: Metadata = { title: "Course" };

/** Keys contain "+" and may arrive percent-encoded; a key never contains "%", so decoding once is safe. */
function decodeKey(raw: string) {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function List({ values }: { values: string[] }) {
  return values.length ? <>{values.join(", ")}</> : <span className="muted">—</span>;
}

function Value({ children }: { children: ReactNode }) {
  return children === null || children === undefined || children === "" ? (
    <span className="muted">—</span>
  ) : (
    <>{children}</>
  );
}

export default async function CoursePage({ params }: { params: Promise<{ key: string }> }) {
  const keyOrId = decodeKey((await params).key);
  const user = await getPageUser(`/courses/${encodeURIComponent(keyOrId)}`);
  if (!hasAccess(user)) {
    return <NoAccess />;
  }
  const course = await getCourse({ user, keyOrId });
  if (!course) {
    notFound();
  }

  const richText: [string, string | null][] = [
    ["Short description", course.shortDescription],
    ["Full description", course.fullDescription],
    ["What you will learn", course.outcome],
    ["Syllabus", course.syllabus],
    ["Prerequisites", course.prerequisites],
    ["Frequently asked questions", course.faq],
    ["Learner testimonials", course.learnerTestimonials],
    ["Additional information", course.additionalInformation],
  ];

  return (
    <>
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/courses">Courses</Link> /
          </p>
          <h1 data-testid="course-title">{course.title}</h1>
          <p className="muted">
            <code>{course.key}</code> · {course.courseType.name} · {course.organizations.map((o) => o.name).join(", ")}
          </p>
        </div>
        {course.imageUrl ? (
          // A plain img: partner image URLs are arbitrary hosts that next/image would have to allow-list.
          <img className="course-image" src={course.imageUrl} alt="" />
        ) : null}
      </div>

      <section className="card">
        <h2>Course</h2>
        <dl className="details">
          <dt>Key</dt>
          <dd>
            <code>{course.key}</code>
          </dd>
          <dt>UUID</dt>
          <dd>
            <code>{course.id}</code>
          </dd>
          <dt>URL slug</dt>
          <dd>
            <code>{course.urlSlug}</code>
          </dd>
          <dt>Course type</dt>
          <dd>
            {course.courseType.name}
            {course.courseType.entitlementSeatType ? (
              <span className="muted small"> (entitlement: {course.courseType.entitlementSeatType})</span>
            ) : null}
          </dd>
          <dt>Organizations</dt>
          <dd>
            {course.organizations.map((o) => (
              <span key={o.id} className="tag">
                {o.key}
              </span>
            ))}
          </dd>
          <dt>Level</dt>
          <dd>
            <Value>{course.levelType}</Value>
          </dd>
          <dt>Subjects</dt>
          <dd>
            <List
              values={[course.primarySubject, course.secondarySubject, course.tertiarySubject].filter(
                (s): s is string => s !== null,
              )}
            />
          </dd>
          <dt>Collaborators</dt>
          <dd>
            <List values={course.collaborators} />
          </dd>
          <dt>Topics</dt>
          <dd>
            <List values={course.topics} />
          </dd>
          <dt>Watchers</dt>
          <dd>
            <List values={course.watchers} />
          </dd>
          <dt>Enterprise subscription</dt>
          <dd>
            {course.enterpriseSubscriptionInclusion === null ? (
              <span className="muted">—</span>
            ) : course.enterpriseSubscriptionInclusion ? (
              "Included"
            ) : (
              "Not included"
            )}
          </dd>
          <dt>Image</dt>
          <dd>
            {course.imageUrl ? <a href={course.imageUrl}>{course.imageUrl}</a> : <span className="muted">—</span>}
          </dd>
          <dt>Video</dt>
          <dd>
            {course.videoUrl ? <a href={course.videoUrl}>{course.videoUrl}</a> : <span className="muted">—</span>}
          </dd>
          <dt>Created</dt>
          <dd>
            <DateTime value={course.createdAt} />
          </dd>
          <dt>Updated</dt>
          <dd>
            <DateTime value={course.updatedAt} />
          </dd>
        </dl>
      </section>

      <section className="card">
        <h2>Content</h2>
        <dl className="details details-wide">
          {richText.map(([label, html]) => (
            <div key={label} className="details-row">
              <dt>{label}</dt>
              <dd>
                <RichText html={html} />
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section data-testid="course-runs">
        <h2>Runs ({course.runs.length})</h2>
        {course.runs.length === 0 ? <p className="muted">No runs.</p> : null}
        {course.runs.map((run) => (
          <RunCard key={run.id} run={run} />
        ))}
      </section>

      <section className="card" data-testid="course-editors">
        <h2>Editors ({course.editors.length})</h2>
        {course.editors.length ? (
          <ul className="plain-list">
            {course.editors.map((e) => (
              <li key={e.id}>
                <strong>{e.name ?? e.username ?? e.email}</strong> <span className="muted">{e.email}</span>
                {e.username ? <span className="muted small"> · @{e.username}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No editors.</p>
        )}
      </section>
    </>
  );
}

function RunCard({ run }: { run: CourseDetail["runs"][number] }) {
  return (
    <article className="card run-card" data-testid="course-run">
      <div className="section-header">
        <h3>
          <code>{run.key}</code>
        </h3>
        <StatusBadge status={run.status} />
      </div>
      <dl className="details details-columns">
        <dt>Run type</dt>
        <dd>{run.runType.name}</dd>
        <dt>Pacing</dt>
        <dd>
          <Value>{run.pacing?.replace("_", " ")}</Value>
        </dd>
        <dt>Start</dt>
        <dd>
          <DateTime value={run.start} />
        </dd>
        <dt>End</dt>
        <dd>
          <DateTime value={run.end} />
        </dd>
        <dt>Enrollment start</dt>
        <dd>
          <DateTime value={run.enrollmentStart} />
        </dd>
        <dt>Enrollment end</dt>
        <dd>
          <DateTime value={run.enrollmentEnd} />
        </dd>
        <dt>Publish date</dt>
        <dd>
          <DateTime value={run.goLiveDate} />
        </dd>
        <dt>Upgrade deadline override</dt>
        <dd>
          <DateTime value={run.upgradeDeadlineOverride} />
        </dd>
        <dt>Effort</dt>
        <dd>
          {run.minEffort === null && run.maxEffort === null ? (
            <span className="muted">—</span>
          ) : (
            `${run.minEffort ?? "?"}–${run.maxEffort ?? "?"} hours/week`
          )}
        </dd>
        <dt>Length</dt>
        <dd>
          <Value>{run.weeksToComplete === null ? null : `${run.weeksToComplete} weeks`}</Value>
        </dd>
        <dt>Content language</dt>
        <dd>
          <Value>{run.contentLanguage}</Value>
        </dd>
        <dt>Transcript languages</dt>
        <dd>
          <List values={run.transcriptLanguages} />
        </dd>
        <dt>Staff</dt>
        <dd>
          <List values={run.staff} />
        </dd>
        <dt>Expected program</dt>
        <dd>
          <Value>
            {run.expectedProgramType || run.expectedProgramName
              ? [run.expectedProgramType, run.expectedProgramName].filter(Boolean).join(": ")
              : null}
          </Value>
        </dd>
      </dl>
      <table className="table table-compact seats">
        <thead>
          <tr>
            <th>Seat</th>
            <th className="num">Price</th>
            <th>Currency</th>
            <th>Upgrade deadline</th>
          </tr>
        </thead>
        <tbody>
          {run.seats.length === 0 ? (
            <tr>
              <td colSpan={4} className="table-empty">
                No seats.
              </td>
            </tr>
          ) : (
            run.seats.map((seat) => (
              <tr key={seat.id}>
                <td>{seat.type}</td>
                <td className="num">{seat.price}</td>
                <td>{seat.currency}</td>
                <td>
                  <DateTime value={seat.upgradeDeadline} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </article>
  );
}
