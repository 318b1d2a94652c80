CREATE TABLE "report_daily" (
	"workspace_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"day" date NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"solved" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"rounds" integer DEFAULT 0 NOT NULL,
	"first_responses" integer DEFAULT 0 NOT NULL,
	"sla_met" integer DEFAULT 0 NOT NULL,
	"sla_missed" integer DEFAULT 0 NOT NULL,
	"good" integer DEFAULT 0 NOT NULL,
	"okay" integer DEFAULT 0 NOT NULL,
	"bad" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "report_daily_workspace_id_dimension_key_day_pk" PRIMARY KEY("workspace_id","dimension","key","day")
);
--> statement-breakpoint
CREATE TABLE "report_times" (
	"workspace_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"span" text NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"bucket" smallint NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "report_times_workspace_id_dimension_key_span_day_metric_bucket_pk" PRIMARY KEY("workspace_id","dimension","key","span","day","metric","bucket")
);
--> statement-breakpoint
ALTER TABLE "conversation_facts" ADD COLUMN "topic" text;--> statement-breakpoint
CREATE INDEX "report_times_dimension_day_idx" ON "report_times" USING btree ("workspace_id","dimension","span","day");
--> statement-breakpoint
-- Facts built before topics were kept take the conversation's topic now.
UPDATE "conversation_facts" f SET "topic" = c."topic" FROM "conversations" c WHERE c."id" = f."conversation_id" AND c."topic" IS NOT NULL;
--> statement-breakpoint
-- The rollups of the facts there are, as domains/reports/rollup.ts rebuildRollups makes them; from here on the reports processor keeps them.
INSERT INTO "report_daily" ("workspace_id", "dimension", "key", "day", "created", "solved", "reopened", "rounds", "first_responses", "sla_met", "sla_missed", "good", "okay", "bad")
SELECT f."workspace_id", dims.dimension, dims.key, e.day, sum(e.created), sum(e.solved), sum(e.reopened), sum(e.rounds), sum(e.first_responses),
       sum(e.sla_met), sum(e.sla_missed), sum(e.good), sum(e.okay), sum(e.bad)
  FROM "conversation_facts" f
  CROSS JOIN LATERAL (
    SELECT 'all', '' UNION ALL SELECT 'channel', f."channel" UNION ALL SELECT 'inbox', f."inbox_id"::text
    UNION ALL SELECT 'team', coalesce(f."team_id"::text, '') UNION ALL SELECT 'agent', coalesce(f."assignee_id"::text, '')
    UNION ALL SELECT 'topic', coalesce(f."topic", '') UNION ALL SELECT DISTINCT 'tag', x FROM unnest(f."tags") AS x
  ) AS dims(dimension, key)
  CROSS JOIN LATERAL (
    SELECT (f."created_at" AT TIME ZONE 'UTC')::date, 1, 0, 0, 0, 0, f."sla_met", f."sla_missed", 0, 0, 0
    UNION ALL SELECT (f."solved_at" AT TIME ZONE 'UTC')::date, 0, 1, (f."reopen_count" > 0)::int, f."pending_rounds", 0, 0, 0, 0, 0, 0 WHERE f."solved_at" IS NOT NULL
    UNION ALL SELECT (f."first_response_at" AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 WHERE f."first_response_at" IS NOT NULL
    UNION ALL SELECT (f."rated_at" AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0, 0, 0, (f."csat_rating" = 'good')::int, (f."csat_rating" = 'okay')::int, (f."csat_rating" = 'bad')::int
               WHERE f."rated_at" IS NOT NULL AND f."csat_rating" IN ('good', 'okay', 'bad')
  ) AS e(day, created, solved, reopened, rounds, first_responses, sla_met, sla_missed, good, okay, bad)
 WHERE NOT f."merged"
 GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO "report_times" ("workspace_id", "dimension", "key", "span", "day", "metric", "bucket", "n")
SELECT f."workspace_id", dims.dimension, dims.key, 'day', e.day, e.metric, floor(ln(1 + greatest(e.minutes, 0)) / ln(1.05))::smallint, count(*)::int
  FROM "conversation_facts" f
  CROSS JOIN LATERAL (
    SELECT 'all', '' UNION ALL SELECT 'channel', f."channel" UNION ALL SELECT 'inbox', f."inbox_id"::text
    UNION ALL SELECT 'team', coalesce(f."team_id"::text, '') UNION ALL SELECT 'agent', coalesce(f."assignee_id"::text, '')
    UNION ALL SELECT 'topic', coalesce(f."topic", '') UNION ALL SELECT DISTINCT 'tag', x FROM unnest(f."tags") AS x
  ) AS dims(dimension, key)
  CROSS JOIN LATERAL (
    SELECT (f."first_response_at" AT TIME ZONE 'UTC')::date, 'fr', f."first_response_minutes" WHERE f."first_response_at" IS NOT NULL AND f."first_response_minutes" IS NOT NULL
    UNION ALL SELECT (f."solved_at" AT TIME ZONE 'UTC')::date, 'res', f."resolution_minutes" WHERE f."solved_at" IS NOT NULL AND f."resolution_minutes" IS NOT NULL
  ) AS e(day, metric, minutes)
 WHERE NOT f."merged"
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO "report_times" ("workspace_id", "dimension", "key", "span", "day", "metric", "bucket", "n")
SELECT "workspace_id", "dimension", "key", 'month', date_trunc('month', "day")::date, "metric", "bucket", sum("n")::int
  FROM "report_times" WHERE "span" = 'day'
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
