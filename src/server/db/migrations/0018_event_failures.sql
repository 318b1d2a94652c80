CREATE TABLE "event_failures" (
	"event_id" uuid NOT NULL,
	"processor" text NOT NULL,
	"workspace_id" uuid NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"last_error" text NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_failures_event_id_processor_pk" PRIMARY KEY("event_id","processor")
);
--> statement-breakpoint
ALTER TABLE "event_failures" ADD CONSTRAINT "event_failures_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_failures_due_idx" ON "event_failures" USING btree ("next_attempt_at") WHERE "event_failures"."dead_at" is null;--> statement-breakpoint
CREATE INDEX "event_failures_workspace_idx" ON "event_failures" USING btree ("workspace_id","created_at");