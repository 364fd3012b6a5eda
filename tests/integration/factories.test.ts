import { describe, expect, it } from "vitest";

import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";

describe("test factories", () => {
  it("make unique organizations, members and courses with seats", async () => {
    const [org, other] = await Promise.all([createTestOrg(), createTestOrg()]);
    expect(org.key).not.toBe(other.key);

    const user = await createTestUser({ memberships: [{ organization: org, role: "author" }] });
    expect(user.memberships).toMatchObject([{ organizationId: org.id, role: "author" }]);

    const course = await createTestCourse({ organization: org, courseType: "credit", editors: [user] });
    expect(course.key.startsWith(`${org.key}+`)).toBe(true);
    expect(course.runs[0].seats.map((s) => s.type).sort()).toEqual(["audit", "credit", "verified"]);
    expect(course.editors.map((e) => e.userId)).toEqual([user.id]);
  });
});
