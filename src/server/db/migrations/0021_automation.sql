CREATE TYPE "public"."assignment_mode" AS ENUM('manual', 'round_robin', 'least_open');--> statement-breakpoint
CREATE TYPE "public"."member_availability" AS ENUM('available', 'away');--> statement-breakpoint
CREATE TABLE "rule_firings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"occasion" text NOT NULL,
	"conversation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"trigger" text NOT NULL,
	"conditions" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "availability" "member_availability" DEFAULT 'available' NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "capacity" integer;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "assignment_mode" "assignment_mode" DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "assign_online_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "last_assigned_member_id" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "cause" jsonb DEFAULT nullif(current_setting('heard.cause', true), '')::jsonb;--> statement-breakpoint
ALTER TABLE "canned_responses" ADD COLUMN "actions" jsonb;--> statement-breakpoint
ALTER TABLE "rule_firings" ADD CONSTRAINT "rule_firings_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rule_firings_occasion_key" ON "rule_firings" USING btree ("rule_id","occasion");--> statement-breakpoint
CREATE INDEX "rules_workspace_idx" ON "rules" USING btree ("workspace_id","trigger","position");