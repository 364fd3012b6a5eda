import { z } from "zod";

import type { MembershipRole } from "@/lib/generated/prisma/client";

// No server imports: the staff forms validate with these schemas in the browser before posting.

export const MEMBERSHIP_ROLES = ["coordinator", "author"] as const satisfies readonly MembershipRole[];

/** Letters (any script), digits and `.`, `_`, `-`, `@`, `+`, as upstream (Django) usernames. */
const USERNAME_PATTERN = /^[\p{L}\p{N}._@+-]+$/u;

const email = z
  .string({ error: "Email is required" })
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email({ error: (issue) => `"${String(issue.input)}" is not a valid email address` }));

const username = z
  .string({ error: "Username is required" })
  .trim()
  .min(1, "Username is required")
  .max(150, "Username must be at most 150 characters")
  .regex(USERNAME_PATTERN, "Username may contain only letters, digits and . _ - @ +");

const name = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(255, "Name must be at most 255 characters");

const isStaff = z.boolean({ error: "isStaff must be true or false" });

const membershipSchema = z.strictObject({
  organization: z
    .string({ error: "Organization is required" })
    .trim()
    .min(1, "Organization is required")
    .max(100, "Organization key must be at most 100 characters"),
  role: z.enum(MEMBERSHIP_ROLES, { error: "Role must be coordinator or author" }),
});

const memberships = z
  .array(membershipSchema, { error: "memberships must be a list of { organization, role }" })
  .max(100, "At most 100 memberships")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((m, i) => {
      const key = m.organization.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: [i, "organization"],
          message: `Organization ${m.organization} is listed more than once; a user has one role per organization`,
        });
      }
      seen.add(key);
    });
  });

/** `POST /api/users` and the "New user" form. Unknown keys are refused so a typo (`is_staff`) is not silently ignored. */
export const createUserSchema = z.strictObject({
  email,
  username,
  name,
  isStaff: isStaff.default(false),
  memberships: memberships.default([]),
});

export type CreateUserInput = z.infer<typeof createUserSchema>;
export type CreateUserFormValues = z.input<typeof createUserSchema>;

/** `PATCH /api/users/{id}` and the edit form: every field optional; `memberships`, when given, replaces the set. */
export const updateUserSchema = z.strictObject({
  username: username.optional(),
  name: name.optional(),
  isStaff: isStaff.optional(),
  memberships: memberships.optional(),
});

/** Query string of the user list; malformed values are dropped. */
export const listUsersQuery = z.object({
  /** Case-insensitive substring of the email, username or name. */
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
  /** Organization key (case-insensitive): members of that organization only. */
  organization: z.string().trim().min(1).max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1),
  pageSize: z.coerce.number().int().min(1).max(100).catch(25),
});

export type ListUsersQuery = z.infer<typeof listUsersQuery>;

/** Field messages from a failed parse, keyed by the top-level field (`memberships.0.role` for list items). */
export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join(".") || "form";
    errors[field] ??= issue.message;
  }
  return errors;
}
