CREATE TYPE "public"."feedback_kind" AS ENUM('compliment', 'complaint');--> statement-breakpoint
CREATE TYPE "public"."feedback_state" AS ENUM('draft', 'consent_requested', 'consented', 'declined', 'published', 'withdrawn', 'unpublished');--> statement-breakpoint
CREATE TABLE "feedback_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"message_id" uuid,
	"survey_id" uuid,
	"kind" "feedback_kind" NOT NULL,
	"state" "feedback_state" DEFAULT 'draft' NOT NULL,
	"source_text" text NOT NULL,
	"quote" text NOT NULL,
	"display_name" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"response" text,
	"consent_token_hash" text,
	"consent_requested_at" timestamp with time zone,
	"consented_at" timestamp with time zone,
	"consent_via" text,
	"declined_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_by_member_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_items_source_check" CHECK (("feedback_items"."message_id" is null) <> ("feedback_items"."survey_id" is null)),
	CONSTRAINT "feedback_items_published_check" CHECK ("feedback_items"."state" <> 'published' or ("feedback_items"."consented_at" is not null and "feedback_items"."withdrawn_at" is null and "feedback_items"."published_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_survey_id_satisfaction_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."satisfaction_surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_created_by_member_id_members_id_fk" FOREIGN KEY ("created_by_member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_items_token_key" ON "feedback_items" USING btree ("consent_token_hash");--> statement-breakpoint
CREATE INDEX "feedback_items_workspace_idx" ON "feedback_items" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "feedback_items_wall_idx" ON "feedback_items" USING btree ("workspace_id","published_at") WHERE "feedback_items"."state" = 'published';