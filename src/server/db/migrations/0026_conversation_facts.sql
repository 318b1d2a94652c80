CREATE TABLE "conversation_facts" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"inbox_id" uuid NOT NULL,
	"team_id" uuid,
	"assignee_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"merged" boolean DEFAULT false NOT NULL,
	"first_response_at" timestamp with time zone,
	"first_response_minutes" double precision,
	"solved_at" timestamp with time zone,
	"resolution_minutes" double precision,
	"status_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"pending_rounds" integer DEFAULT 0 NOT NULL,
	"counted_seqs" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"sla_breached" text[] DEFAULT '{}'::text[] NOT NULL,
	"sla_met" integer DEFAULT 0 NOT NULL,
	"sla_missed" integer DEFAULT 0 NOT NULL,
	"csat_rating" text,
	"csat_comment" text,
	"rated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_facts" ADD CONSTRAINT "conversation_facts_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_facts_created_idx" ON "conversation_facts" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "conversation_facts_solved_idx" ON "conversation_facts" USING btree ("workspace_id","solved_at");--> statement-breakpoint
CREATE INDEX "conversation_facts_first_response_idx" ON "conversation_facts" USING btree ("workspace_id","first_response_at");--> statement-breakpoint
CREATE INDEX "conversation_facts_rated_idx" ON "conversation_facts" USING btree ("workspace_id","rated_at") WHERE "conversation_facts"."rated_at" is not null;--> statement-breakpoint
CREATE INDEX "conversation_facts_open_idx" ON "conversation_facts" USING btree ("workspace_id","created_at") WHERE "conversation_facts"."solved_at" is null;