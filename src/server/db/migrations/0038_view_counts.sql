CREATE TABLE "conversation_count_deltas" (
	"workspace_id" uuid NOT NULL,
	"status" "conversation_status" NOT NULL,
	"priority" "conversation_priority" NOT NULL,
	"assignee_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"snoozed" boolean NOT NULL,
	"tag" text NOT NULL,
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
	"tag" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "conversation_counts_pkey" PRIMARY KEY("workspace_id","tag","status","priority","assignee_id","team_id","inbox_id","snoozed")
);
--> statement-breakpoint
CREATE TABLE "conversation_due_counts" (
	"workspace_id" uuid NOT NULL,
	"due_hour" timestamp NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "conversation_due_counts_pkey" PRIMARY KEY("workspace_id","due_hour")
);
--> statement-breakpoint
CREATE TABLE "conversation_due_deltas" (
	"workspace_id" uuid NOT NULL,
	"due_hour" timestamp NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "conversation_count_deltas_workspace_idx" ON "conversation_count_deltas" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "conversation_due_deltas_workspace_idx" ON "conversation_due_deltas" USING btree ("workspace_id");--> statement-breakpoint
-- The view counts are kept by statement triggers (docs/decisions.md, "View counts are kept by
-- the database"): every insert, update and delete of conversations, whatever code path or
-- bulk statement made it, adds its change per count key to conversation_count_deltas in the
-- same transaction. Insert-only, so no two writers ever wait for or deadlock on a counter row.
-- Each conversation counts under tag '' and again under each of its tags; one with a running
-- SLA target that is not done counts once more under the hour (UTC) that target is due.
CREATE FUNCTION conversation_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_count_deltas (workspace_id, tag, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
  SELECT c.workspace_id, k.tag, c.status, c.priority, coalesce(c.assignee_id, '00000000-0000-0000-0000-000000000000'),
         coalesce(c.team_id, '00000000-0000-0000-0000-000000000000'), c.inbox_id, c.snoozed_until IS NOT NULL, count(*)
    FROM counted_new c CROSS JOIN LATERAL (SELECT '' AS tag UNION SELECT t FROM unnest(c.tags) t) k
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  INSERT INTO conversation_due_deltas (workspace_id, due_hour, n)
  SELECT workspace_id, date_trunc('hour', sla_due_at AT TIME ZONE 'UTC'), count(*)
    FROM counted_new WHERE sla_due_at IS NOT NULL AND status NOT IN ('solved', 'closed') GROUP BY 1, 2;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION conversation_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_count_deltas (workspace_id, tag, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
  SELECT c.workspace_id, k.tag, c.status, c.priority, coalesce(c.assignee_id, '00000000-0000-0000-0000-000000000000'),
         coalesce(c.team_id, '00000000-0000-0000-0000-000000000000'), c.inbox_id, c.snoozed_until IS NOT NULL, sum(c.n)
    FROM (SELECT *, -1 AS n FROM counted_old UNION ALL SELECT *, 1 FROM counted_new) c
         CROSS JOIN LATERAL (SELECT '' AS tag UNION SELECT t FROM unnest(c.tags) t) k
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(c.n) <> 0;
  INSERT INTO conversation_due_deltas (workspace_id, due_hour, n)
  SELECT workspace_id, date_trunc('hour', sla_due_at AT TIME ZONE 'UTC'), sum(n)
    FROM (SELECT workspace_id, sla_due_at, -1 AS n FROM counted_old WHERE sla_due_at IS NOT NULL AND status NOT IN ('solved', 'closed')
          UNION ALL
          SELECT workspace_id, sla_due_at, 1 FROM counted_new WHERE sla_due_at IS NOT NULL AND status NOT IN ('solved', 'closed')) d
   GROUP BY 1, 2
  HAVING sum(n) <> 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION conversation_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_count_deltas (workspace_id, tag, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
  SELECT c.workspace_id, k.tag, c.status, c.priority, coalesce(c.assignee_id, '00000000-0000-0000-0000-000000000000'),
         coalesce(c.team_id, '00000000-0000-0000-0000-000000000000'), c.inbox_id, c.snoozed_until IS NOT NULL, -count(*)
    FROM counted_old c CROSS JOIN LATERAL (SELECT '' AS tag UNION SELECT t FROM unnest(c.tags) t) k
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  INSERT INTO conversation_due_deltas (workspace_id, due_hour, n)
  SELECT workspace_id, date_trunc('hour', sla_due_at AT TIME ZONE 'UTC'), -count(*)
    FROM counted_old WHERE sla_due_at IS NOT NULL AND status NOT IN ('solved', 'closed') GROUP BY 1, 2;
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
INSERT INTO conversation_counts (workspace_id, tag, status, priority, assignee_id, team_id, inbox_id, snoozed, n)
SELECT c.workspace_id, k.tag, c.status, c.priority, coalesce(c.assignee_id, '00000000-0000-0000-0000-000000000000'),
       coalesce(c.team_id, '00000000-0000-0000-0000-000000000000'), c.inbox_id, c.snoozed_until IS NOT NULL, count(*)
  FROM conversations c CROSS JOIN LATERAL (SELECT '' AS tag UNION SELECT t FROM unnest(c.tags) t) k
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
--> statement-breakpoint
INSERT INTO conversation_due_counts (workspace_id, due_hour, n)
SELECT workspace_id, date_trunc('hour', sla_due_at AT TIME ZONE 'UTC'), count(*)
  FROM conversations WHERE sla_due_at IS NOT NULL AND status NOT IN ('solved', 'closed') GROUP BY 1, 2;
