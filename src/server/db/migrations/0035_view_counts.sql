CREATE TABLE "conversation_count_deltas" (
	"workspace_id" uuid NOT NULL,
	"status" "conversation_status" NOT NULL,
	"priority" "conversation_priority" NOT NULL,
	"assignee_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"snoozed" boolean NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_counts" (
	"workspace_id" uuid NOT NULL,
	"status" "conversation_status" NOT NULL,
	"priority" "conversation_priority" NOT NULL,
	"assignee_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"snoozed" boolean NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "conversation_counts_pkey" PRIMARY KEY("workspace_id","status","priority","assignee_id","team_id","inbox_id","snoozed")
);
--> statement-breakpoint
CREATE INDEX "conversation_count_deltas_workspace_idx" ON "conversation_count_deltas" USING btree ("workspace_id");--> statement-breakpoint
-- The view counts are kept by statement triggers (docs/decisions.md, "View counts are kept by
-- the database"): every insert, update and delete of conversations, whatever code path or
-- bulk statement made it, adds its change per count key to conversation_count_deltas in the
-- same transaction. Insert-only, so no two writers ever wait for or deadlock on a counter row.
CREATE FUNCTION conversation_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_count_deltas (workspace_id, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
  SELECT workspace_id, status, priority, coalesce(assignee_id, '00000000-0000-0000-0000-000000000000'), coalesce(team_id, '00000000-0000-0000-0000-000000000000'),
         inbox_id, snoozed_until IS NOT NULL, count(*)
    FROM counted_new GROUP BY 1, 2, 3, 4, 5, 6, 7;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION conversation_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_count_deltas (workspace_id, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
  SELECT workspace_id, status, priority, assignee_id, team_id, inbox_id, snoozed, sum(n)
    FROM (
      SELECT workspace_id, status, priority, coalesce(assignee_id, '00000000-0000-0000-0000-000000000000') AS assignee_id,
             coalesce(team_id, '00000000-0000-0000-0000-000000000000') AS team_id, inbox_id, snoozed_until IS NOT NULL AS snoozed, -1 AS n
        FROM counted_old
      UNION ALL
      SELECT workspace_id, status, priority, coalesce(assignee_id, '00000000-0000-0000-0000-000000000000'),
             coalesce(team_id, '00000000-0000-0000-0000-000000000000'), inbox_id, snoozed_until IS NOT NULL, 1
        FROM counted_new
    ) d
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(n) <> 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION conversation_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_count_deltas (workspace_id, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
  SELECT workspace_id, status, priority, coalesce(assignee_id, '00000000-0000-0000-0000-000000000000'), coalesce(team_id, '00000000-0000-0000-0000-000000000000'),
         inbox_id, snoozed_until IS NOT NULL, -count(*)
    FROM counted_old GROUP BY 1, 2, 3, 4, 5, 6, 7;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER conversation_counts_inserted AFTER INSERT ON conversations REFERENCING NEW TABLE AS counted_new
  FOR EACH STATEMENT EXECUTE FUNCTION conversation_counts_inserted();
--> statement-breakpoint
CREATE TRIGGER conversation_counts_updated AFTER UPDATE ON conversations REFERENCING OLD TABLE AS counted_old NEW TABLE AS counted_new
  FOR EACH STATEMENT EXECUTE FUNCTION conversation_counts_updated();
--> statement-breakpoint
CREATE TRIGGER conversation_counts_deleted AFTER DELETE ON conversations REFERENCING OLD TABLE AS counted_old
  FOR EACH STATEMENT EXECUTE FUNCTION conversation_counts_deleted();
--> statement-breakpoint
-- The conversations already there. The triggers above hold a lock that keeps writers out of
-- conversations until this migration commits, so nothing is counted twice or missed.
INSERT INTO conversation_counts (workspace_id, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
SELECT workspace_id, status, priority, coalesce(assignee_id, '00000000-0000-0000-0000-000000000000'), coalesce(team_id, '00000000-0000-0000-0000-000000000000'),
       inbox_id, snoozed_until IS NOT NULL, count(*)
  FROM conversations GROUP BY 1, 2, 3, 4, 5, 6, 7;
