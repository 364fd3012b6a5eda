-- The key's trigram index moves to lower("key"): on the bare column it also answers `key = ANY(…)`, and
-- the planner chose it over the unique B-tree for the pipeline's 2,500-key lookups (16-25 s per chunk at
-- 100,000 courses). The course search matches lower("key") LIKE lower(pattern) against it.
DROP INDEX "Course_key_idx";

CREATE INDEX "Course_key_trgm_idx" ON "Course" USING GIN (lower("key") gin_trgm_ops);
