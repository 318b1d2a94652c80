CREATE TYPE "public"."mail_hold_reason" AS ENUM('unparseable', 'unknown_sender');--> statement-breakpoint
CREATE TABLE "imap_states" (
	"inbox_id" uuid PRIMARY KEY NOT NULL,
	"uid_validity" bigint,
	"last_uid" bigint DEFAULT 0 NOT NULL,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"reason" "mail_hold_reason" NOT NULL,
	"source" text NOT NULL,
	"raw_sha256" text NOT NULL,
	"size" integer NOT NULL,
	"from_address" text,
	"subject" text,
	"detail" text NOT NULL,
	"conversation_id" uuid,
	"resolved_at" timestamp with time zone,
	"resolved_by_member_id" uuid,
	"resolution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "content_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "email" jsonb;--> statement-breakpoint
ALTER TABLE "imap_states" ADD CONSTRAINT "imap_states_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_holds" ADD CONSTRAINT "mail_holds_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_holds" ADD CONSTRAINT "mail_holds_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_holds" ADD CONSTRAINT "mail_holds_resolved_by_member_id_members_id_fk" FOREIGN KEY ("resolved_by_member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mail_holds_raw_key" ON "mail_holds" USING btree ("inbox_id","raw_sha256");--> statement-breakpoint
CREATE INDEX "mail_holds_open_idx" ON "mail_holds" USING btree ("workspace_id","created_at") WHERE "mail_holds"."resolved_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "inboxes_email_address_key" ON "inboxes" USING btree (lower("config"->>'address')) WHERE "inboxes"."channel" = 'email';