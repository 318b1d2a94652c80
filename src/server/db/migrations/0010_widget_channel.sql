CREATE TABLE "widget_visitors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "widget_visitors" ADD CONSTRAINT "widget_visitors_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "widget_visitors" ADD CONSTRAINT "widget_visitors_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "widget_visitors_contact_idx" ON "widget_visitors" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "widget_visitors_seen_idx" ON "widget_visitors" USING btree ("inbox_id","last_seen_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inboxes_widget_key" ON "inboxes" USING btree (("config"->>'publicKey')) WHERE "inboxes"."channel" = 'widget';--> statement-breakpoint
-- Widget inboxes made before the widget existed get their public key and identity secret.
UPDATE "inboxes" SET "config" = "config" || jsonb_build_object('publicKey', 'pk_' || replace(gen_random_uuid()::text, '-', ''), 'identitySecret', 'wsec_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')) WHERE "channel" = 'widget' AND NOT ("config" ? 'publicKey');
