CREATE TYPE "public"."goodwill_delivery" AS ENUM('queued', 'delivered', 'failed');--> statement-breakpoint
CREATE TYPE "public"."goodwill_kind" AS ENUM('credit', 'refund', 'replacement', 'discount');--> statement-breakpoint
CREATE TYPE "public"."goodwill_state" AS ENUM('awaiting_approval', 'approved', 'denied');--> statement-breakpoint
CREATE TABLE "goodwill_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"kind" "goodwill_kind" NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"order_ref" text,
	"state" "goodwill_state" NOT NULL,
	"requested_by_member_id" uuid,
	"decided_by_member_id" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"delivery_status" "goodwill_delivery",
	"delivery_error" text,
	"delivery_attempts" integer DEFAULT 0 NOT NULL,
	"delivered_at" timestamp with time zone,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goodwill_actions_amount_check" CHECK ("goodwill_actions"."amount_minor" > 0),
	CONSTRAINT "goodwill_actions_currency_check" CHECK ("goodwill_actions"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "goodwill_actions_self_approval_check" CHECK ("goodwill_actions"."decided_by_member_id" is null or "goodwill_actions"."decided_by_member_id" <> "goodwill_actions"."requested_by_member_id"),
	CONSTRAINT "goodwill_actions_denied_check" CHECK ("goodwill_actions"."state" <> 'denied' or "goodwill_actions"."decision_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "goodwill_limits" (
	"workspace_id" uuid NOT NULL,
	"role" "member_role" NOT NULL,
	"kind" "goodwill_kind" NOT NULL,
	"currency" text NOT NULL,
	"limit_minor" bigint,
	CONSTRAINT "goodwill_limits_workspace_id_role_kind_currency_pk" PRIMARY KEY("workspace_id","role","kind","currency")
);
--> statement-breakpoint
CREATE TABLE "goodwill_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"order_webhook_url" text,
	"order_webhook_secret" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "goodwill_actions" ADD CONSTRAINT "goodwill_actions_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goodwill_actions" ADD CONSTRAINT "goodwill_actions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goodwill_actions" ADD CONSTRAINT "goodwill_actions_requested_by_member_id_members_id_fk" FOREIGN KEY ("requested_by_member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goodwill_actions" ADD CONSTRAINT "goodwill_actions_decided_by_member_id_members_id_fk" FOREIGN KEY ("decided_by_member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "goodwill_actions_workspace_idx" ON "goodwill_actions" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "goodwill_actions_contact_idx" ON "goodwill_actions" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "goodwill_actions_conversation_idx" ON "goodwill_actions" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "goodwill_actions_awaiting_idx" ON "goodwill_actions" USING btree ("workspace_id") WHERE "goodwill_actions"."state" = 'awaiting_approval';