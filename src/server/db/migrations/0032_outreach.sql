CREATE TYPE "public"."outreach_delay_unit" AS ENUM('hours', 'days');--> statement-breakpoint
CREATE TYPE "public"."outreach_outcome" AS ENUM('call', 'message');--> statement-breakpoint
CREATE TYPE "public"."outreach_task_status" AS ENUM('open', 'done', 'dismissed');--> statement-breakpoint
CREATE TABLE "business_event_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"signing_secret" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "business_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"product_sku" text,
	"product_name" text,
	"amount" numeric(18, 4),
	"currency" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"event_type" text NOT NULL,
	"product_sku" text,
	"delay_amount" integer NOT NULL,
	"delay_unit" "outreach_delay_unit" NOT NULL,
	"business_hours_id" uuid,
	"team_id" uuid,
	"assignee_id" uuid,
	"instructions" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_rules_target" CHECK ("outreach_rules"."team_id" is not null or "outreach_rules"."assignee_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "outreach_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"rule_id" uuid,
	"rule_name" text NOT NULL,
	"instructions" text DEFAULT '' NOT NULL,
	"business_event_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"team_id" uuid,
	"assignee_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"snoozed_until" timestamp with time zone,
	"status" "outreach_task_status" DEFAULT 'open' NOT NULL,
	"outcome" "outreach_outcome",
	"conversation_id" uuid,
	"closed_by_member_id" uuid,
	"closed_at" timestamp with time zone,
	"dismiss_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_events" ADD CONSTRAINT "business_events_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tasks" ADD CONSTRAINT "outreach_tasks_rule_id_outreach_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."outreach_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tasks" ADD CONSTRAINT "outreach_tasks_business_event_id_business_events_id_fk" FOREIGN KEY ("business_event_id") REFERENCES "public"."business_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tasks" ADD CONSTRAINT "outreach_tasks_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "business_events_external_key" ON "business_events" USING btree ("workspace_id","external_id");--> statement-breakpoint
CREATE INDEX "business_events_contact_idx" ON "business_events" USING btree ("contact_id","occurred_at");--> statement-breakpoint
CREATE INDEX "business_events_type_idx" ON "business_events" USING btree ("workspace_id","type","occurred_at");--> statement-breakpoint
CREATE INDEX "outreach_rules_workspace_idx" ON "outreach_rules" USING btree ("workspace_id","event_type");--> statement-breakpoint
CREATE UNIQUE INDEX "outreach_tasks_rule_event_key" ON "outreach_tasks" USING btree ("rule_id","business_event_id");--> statement-breakpoint
CREATE INDEX "outreach_tasks_queue_idx" ON "outreach_tasks" USING btree ("workspace_id","status","due_at");