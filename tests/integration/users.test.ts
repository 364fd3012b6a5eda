import { describe, expect, it } from "vitest";
import { ZodError } from "zod";

import * as userRoute from "@/app/api/users/[id]/route";
import * as usersRoute from "@/app/api/users/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/users/create-user";
import { getUser } from "@/lib/users/get-user";
import { listUsers } from "@/lib/users/list-users";
import { updateUser } from "@/lib/users/update-user";

import { createTestCourse, createTestOrg, createTestUser, uniqueSuffix } from "../fixtures/factories";
import { actingUser, toCsv, uploadAndRun } from "../fixtures/operations";

async function staffActor() {
  return actingUser((await createTestUser({ isStaff: true })).id);
}

/** What a rejected promise rejected with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>) {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) {
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  }
  return outcome.error;
}

async function appError(promise: Promise<unknown>) {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function newUserInput(overrides: Record<string, unknown> = {}) {
  const suffix = uniqueSuffix();
  return { email: `new-${suffix}@example.test`, username: `new_${suffix}`, name: `New user ${suffix}`, ...overrides };
}

describe("users: create", () => {
  it("creates a user with memberships, lowercasing the email and trimming fields", async () => {
    const staff = await staffActor();
    const [orgA, orgB] = [await createTestOrg(), await createTestOrg()];
    const suffix = uniqueSuffix();

    const user = await createUser({
      actor: staff,
      input: {
        email: `  Jane.Doe+${suffix}@Example.TEST `,
        username: `jane.doe+${suffix}@x_y-z`,
        name: " Jane Doe ",
        memberships: [
          { organization: orgB.key, role: "author" },
          // Organization keys match in any case; the stored key is returned.
          { organization: orgA.key.toUpperCase(), role: "coordinator" },
        ],
      },
    });

    expect(user).toMatchObject({
      email: `jane.doe+${suffix}@example.test`,
      username: `jane.doe+${suffix}@x_y-z`,
      name: "Jane Doe",
      isStaff: false,
    });
    expect(user.memberships).toEqual(
      [
        { organization: orgA.key, role: "coordinator" },
        { organization: orgB.key, role: "author" },
      ].sort((a, b) => a.organization.localeCompare(b.organization)),
    );
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { memberships: true } });
    expect(stored.email).toBe(`jane.doe+${suffix}@example.test`);
    expect(stored.memberships).toHaveLength(2);
    expect(await getUser({ actor: staff, id: user.id })).toEqual(user);
  });

  it("refuses a taken email (in any case) or username with a 409 naming the field, and creates nothing", async () => {
    const staff = await staffActor();
    const first = await createUser({ actor: staff, input: newUserInput({ isStaff: true }) });
    expect(first.isStaff).toBe(true);

    const byEmail = await appError(
      createUser({ actor: staff, input: newUserInput({ email: first.email.toUpperCase() }) }),
    );
    expect(byEmail).toMatchObject({ code: "CONFLICT", status: 409 });
    expect(byEmail.message).toBe(`A user with the email ${first.email} already exists.`);
    expect(byEmail.details).toEqual({ fieldErrors: { email: byEmail.message } });

    const byUsername = await appError(
      createUser({ actor: staff, input: newUserInput({ username: first.username!.toUpperCase() }) }),
    );
    expect(byUsername).toMatchObject({ code: "CONFLICT", status: 409 });
    expect(byUsername.message).toContain(`username ${first.username!.toUpperCase()} is already taken`);

    const both = await appError(
      createUser({ actor: staff, input: { email: first.email, username: first.username, name: "Twin" } }),
    );
    expect(Object.keys((both.details as { fieldErrors: object }).fieldErrors).sort()).toEqual(["email", "username"]);
    expect(await db.user.count({ where: { name: "Twin" } })).toBe(0);
  });

  it("names an unknown organization key in a 400 and creates nothing", async () => {
    const staff = await staffActor();
    const org = await createTestOrg();
    const input = newUserInput({
      memberships: [
        { organization: org.key, role: "author" },
        { organization: "NoSuchOrg", role: "coordinator" },
      ],
    });

    const error = await appError(createUser({ actor: staff, input }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", status: 400 });
    expect(error.message).toBe('Unknown organization "NoSuchOrg": no organization has that key.');
    expect(await db.user.count({ where: { email: input.email } })).toBe(0);
  });

  it("rejects invalid input with a message per field", async () => {
    const staff = await staffActor();
    const org = await createTestOrg();
    const error = await rejection(
      createUser({
        actor: staff,
        input: {
          email: "not-an-email",
          username: "has space",
          name: "",
          isStaff: "yes",
          memberships: [{ organization: org.key, role: "owner" }],
        },
      }),
    );
    expect(error).toBeInstanceOf(ZodError);
    const messages = Object.fromEntries((error as ZodError).issues.map((i) => [i.path.join("."), i.message]));
    expect(messages).toEqual({
      email: '"not-an-email" is not a valid email address',
      username: "Username may contain only letters, digits and . _ - @ +",
      name: "Name is required",
      isStaff: "isStaff must be true or false",
      "memberships.0.role": "Role must be coordinator or author",
    });

    const twice = await rejection(
      createUser({
        actor: staff,
        input: newUserInput({
          memberships: [
            { organization: org.key, role: "coordinator" },
            { organization: org.key.toLowerCase(), role: "author" },
          ],
        }),
      }),
    );
    expect((twice as ZodError).issues.map((i) => [i.path.join("."), i.message])).toEqual([
      [
        "memberships.1.organization",
        `Organization ${org.key.toLowerCase()} is listed more than once; a user has one role per organization`,
      ],
    ]);

    const unknownKey = await rejection(createUser({ actor: staff, input: { ...newUserInput(), is_staff: true } }));
    expect((unknownKey as ZodError).issues[0].message).toContain("is_staff");
  });

  it("refuses non-staff, even coordinators, for every user function", async () => {
    const org = await createTestOrg();
    const coordinator = await actingUser((await createTestUser({ memberships: [{ organization: org }] })).id);
    const target = await createTestUser({ memberships: [{ organization: org, role: "author" }] });

    for (const attempt of [
      () => createUser({ actor: coordinator, input: newUserInput() }),
      // Authorization comes before validation: an invalid body is still a 403.
      () => createUser({ actor: coordinator, input: {} }),
      () => updateUser({ actor: coordinator, id: target.id, input: { isStaff: true } }),
      () => listUsers({ actor: coordinator, page: 1, pageSize: 25 }),
      () => getUser({ actor: coordinator, id: target.id }),
    ]) {
      const error = await appError(attempt());
      expect(error).toMatchObject({ code: "FORBIDDEN", status: 403 });
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).isStaff).toBe(false);
  });
});

describe("users: update and list", () => {
  it("changes only the given fields and replaces the membership set when given", async () => {
    const staff = await staffActor();
    const [orgA, orgB, orgC] = [await createTestOrg(), await createTestOrg(), await createTestOrg()];
    const created = await createUser({
      actor: staff,
      input: newUserInput({
        memberships: [
          { organization: orgA.key, role: "coordinator" },
          { organization: orgB.key, role: "author" },
        ],
      }),
    });
    const keptMembership = await db.membership.findFirstOrThrow({
      where: { userId: created.id, organizationId: orgB.id },
    });

    const replaced = await updateUser({
      actor: staff,
      id: created.id,
      input: {
        memberships: [
          { organization: orgB.key, role: "coordinator" },
          { organization: orgC.key, role: "author" },
        ],
      },
    });
    const byKey = (list: { organization: string; role: string }[]) =>
      [...list].sort((a, b) => a.organization.localeCompare(b.organization));
    expect(replaced.memberships).toEqual(
      byKey([
        { organization: orgB.key, role: "coordinator" },
        { organization: orgC.key, role: "author" },
      ]),
    );
    expect({ name: replaced.name, username: replaced.username, isStaff: replaced.isStaff }).toEqual({
      name: created.name,
      username: created.username,
      isStaff: false,
    });
    // The kept organization's row is updated in place, not deleted and re-created.
    expect(
      await db.membership.findFirstOrThrow({ where: { userId: created.id, organizationId: orgB.id } }),
    ).toMatchObject({ id: keptMembership.id, role: "coordinator" });
    expect(await db.membership.count({ where: { userId: created.id, organizationId: orgA.id } })).toBe(0);

    const renamed = await updateUser({
      actor: staff,
      id: created.id,
      input: { name: "Renamed", username: `renamed_${uniqueSuffix()}`, isStaff: true },
    });
    expect(renamed).toMatchObject({ name: "Renamed", isStaff: true, email: created.email });
    expect(renamed.memberships).toEqual(replaced.memberships);

    const emptied = await updateUser({ actor: staff, id: created.id, input: { memberships: [] } });
    expect(emptied.memberships).toEqual([]);
    expect(emptied.name).toBe("Renamed");
  });

  it("refuses a taken username, an unknown organization, an unknown user and removing one's own staff flag", async () => {
    const staff = await staffActor();
    const [one, two] = [
      await createUser({ actor: staff, input: newUserInput() }),
      await createUser({ actor: staff, input: newUserInput() }),
    ];

    const taken = await appError(updateUser({ actor: staff, id: two.id, input: { username: one.username } }));
    expect(taken).toMatchObject({ code: "CONFLICT", message: `The username ${one.username} is already taken.` });
    // Its own username (in another case) is not a conflict.
    const recased = await updateUser({ actor: staff, id: one.id, input: { username: one.username!.toUpperCase() } });
    expect(recased.username).toBe(one.username!.toUpperCase());

    const unknown = await appError(
      updateUser({ actor: staff, id: one.id, input: { memberships: [{ organization: "Nope", role: "author" }] } }),
    );
    expect(unknown).toMatchObject({ code: "BAD_REQUEST" });
    expect(unknown.message).toContain('"Nope"');

    expect(await appError(updateUser({ actor: staff, id: "no-such-id", input: { name: "x" } }))).toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
    expect(await appError(updateUser({ actor: staff, id: staff.id, input: { isStaff: false } }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(
      await rejection(updateUser({ actor: staff, id: one.id, input: { email: "new@example.test" } })),
    ).toBeInstanceOf(ZodError);
  });

  it("lists users with search, organization filter and pagination", async () => {
    const staff = await staffActor();
    const org = await createTestOrg();
    const token = uniqueSuffix();
    for (const i of [1, 2, 3]) {
      await createUser({
        actor: staff,
        input: newUserInput({
          name: `Listed ${token} ${i}`,
          email: `listed-${i}-${token}@example.test`,
          memberships: i === 2 ? [{ organization: org.key, role: "author" }] : [],
        }),
      });
    }

    const all = await listUsers({ actor: staff, q: token.toUpperCase(), page: 1, pageSize: 25 });
    expect(all.total).toBe(3);
    expect(all.items.map((u) => u.email)).toEqual([1, 2, 3].map((i) => `listed-${i}-${token}@example.test`));

    const second = await listUsers({ actor: staff, q: token, page: 2, pageSize: 2 });
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.items.map((u) => u.email)).toEqual([`listed-3-${token}@example.test`]);

    const members = await listUsers({ actor: staff, organization: org.key.toLowerCase(), page: 1, pageSize: 25 });
    expect(members.items.map((u) => [u.email, u.memberships])).toEqual([
      [`listed-2-${token}@example.test`, [{ organization: org.key, role: "author" }]],
    ]);
  });
});

describe("users: HTTP", () => {
  const base = "http://localhost/api/users";
  const noParams = { params: Promise.resolve({} as Record<string, never>) };
  const request = (token: string | null, method: string, body?: unknown, url = base) =>
    new Request(url, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });

  it("maps the lib results and errors to 201, 200, 409, 422, 400, 404, 403 and 401", async () => {
    const staff = await createTestUser({ isStaff: true });
    const org = await createTestOrg();
    const coordinator = await createTestUser({ memberships: [{ organization: org }] });
    const { token: staffToken } = await createApiToken({ userId: staff.id, name: "test" });
    const { token: coordinatorToken } = await createApiToken({ userId: coordinator.id, name: "test" });
    const input = newUserInput({
      email: `HTTP-${uniqueSuffix()}@Example.Test`,
      memberships: [{ organization: org.key, role: "author" }],
    });

    const created = await usersRoute.POST(request(staffToken, "POST", input), noParams);
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; email: string };
    expect(body).toMatchObject({
      email: input.email.toLowerCase(),
      username: input.username,
      name: input.name,
      isStaff: false,
      memberships: [{ organization: org.key, role: "author" }],
    });

    const again = await usersRoute.POST(request(staffToken, "POST", input), noParams);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "CONFLICT" } });

    const invalid = await usersRoute.POST(request(staffToken, "POST", { email: "x" }), noParams);
    expect(invalid.status).toBe(422);
    const invalidBody = (await invalid.json()) as { error: { message: string; details: { path: string[] }[] } };
    expect(invalidBody.error.message).toContain("email:");
    expect(invalidBody.error.details.map((i) => i.path.join("."))).toEqual(["email", "username", "name"]);

    const notJson = await usersRoute.POST(request(staffToken, "POST", "{oops"), noParams);
    expect(notJson.status).toBe(400);

    const unknownOrg = await usersRoute.POST(
      request(staffToken, "POST", newUserInput({ memberships: [{ organization: "Atlantis", role: "author" }] })),
      noParams,
    );
    expect(unknownOrg.status).toBe(400);
    expect(((await unknownOrg.json()) as { error: { message: string } }).error.message).toContain("Atlantis");

    const idParams = (id: string) => ({ params: Promise.resolve({ id }) });
    const patched = await userRoute.PATCH(
      request(staffToken, "PATCH", { isStaff: true, memberships: [] }),
      idParams(body.id),
    );
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: body.id, isStaff: true, memberships: [] });
    const fetched = await userRoute.GET(request(staffToken, "GET"), idParams(body.id));
    expect(await fetched.json()).toMatchObject({ id: body.id, isStaff: true });
    expect((await userRoute.GET(request(staffToken, "GET"), idParams("missing"))).status).toBe(404);
    expect((await userRoute.PATCH(request(staffToken, "PATCH", { name: "x" }), idParams("missing"))).status).toBe(404);

    const listed = await usersRoute.GET(
      request(staffToken, "GET", undefined, `${base}?q=${encodeURIComponent(body.email)}`),
      noParams,
    );
    expect(await listed.json()).toMatchObject({ total: 1, items: [{ id: body.id }] });

    for (const response of [
      await usersRoute.POST(request(coordinatorToken, "POST", newUserInput()), noParams),
      await usersRoute.GET(request(coordinatorToken, "GET"), noParams),
      await userRoute.GET(request(coordinatorToken, "GET"), idParams(body.id)),
      await userRoute.PATCH(request(coordinatorToken, "PATCH", { isStaff: false }), idParams(body.id)),
    ]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    const invalidToken = `cbo_${"A".repeat(43)}`;
    expect((await usersRoute.POST(request(invalidToken, "POST", newUserInput()), noParams)).status).toBe(401);
    expect((await usersRoute.GET(request(invalidToken, "GET"), noParams)).status).toBe(401);
  });
});

describe("users and course editors", () => {
  it("a user created here can be added as a course editor by a course_editor_update upload once a member", async () => {
    const staff = await staffActor();
    const org = await createTestOrg();
    const coordinator = await createTestUser({ memberships: [{ organization: org }] });
    const course = await createTestCourse({ organization: org });
    const author = await createUser({
      actor: staff,
      input: newUserInput({ memberships: [{ organization: org.key, role: "author" }] }),
    });
    const outsider = await createUser({ actor: staff, input: newUserInput() });
    const header = ["Username or Email", "Course Key or UUID", "Action"];
    const add = (who: string) => ({ "Username or Email": who, "Course Key or UUID": course.key, Action: "add" });

    const first = await uploadAndRun({
      user: coordinator,
      type: "course_editor_update",
      csv: toCsv(header, [add(author.username!), add(outsider.email)]),
    });
    expect(first.operation).toMatchObject({ status: "partially_completed", createdCount: 1, failedCount: 1 });
    expect(first.rows.map((r) => [r.status, r.errorCode])).toEqual([
      ["created", null],
      // Outside the coordinator's organizations, the outsider reads as no such user (nothing to probe).
      ["failed", "USER_NOT_FOUND"],
    ]);

    // Giving the outsider a membership through updateUser is what makes the same row succeed.
    await updateUser({
      actor: staff,
      id: outsider.id,
      input: { memberships: [{ organization: org.key, role: "author" }] },
    });
    const second = await uploadAndRun({
      user: coordinator,
      type: "course_editor_update",
      csv: toCsv(header, [add(outsider.email.toUpperCase())]),
    });
    expect(second.operation).toMatchObject({ status: "completed", createdCount: 1 });

    const editors = await db.courseEditor.findMany({ where: { courseId: course.id }, select: { userId: true } });
    expect(editors.map((e) => e.userId).sort()).toEqual([author.id, outsider.id].sort());
  });
});
