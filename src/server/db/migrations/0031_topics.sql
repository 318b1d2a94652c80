ALTER TYPE "public"."custom_field_type" ADD VALUE 'long_text';--> statement-breakpoint
ALTER TYPE "public"."custom_field_type" ADD VALUE 'email';--> statement-breakpoint
ALTER TYPE "public"."custom_field_type" ADD VALUE 'order_number';--> statement-breakpoint
CREATE TABLE "topic_fields" (
	"topic_id" uuid NOT NULL,
	"custom_field_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	CONSTRAINT "topic_fields_topic_id_custom_field_id_pk" PRIMARY KEY("topic_id","custom_field_id")
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "custom_fields" ADD COLUMN "help_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "topic_fields" ADD CONSTRAINT "topic_fields_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_fields" ADD CONSTRAINT "topic_fields_custom_field_id_custom_fields_id_fk" FOREIGN KEY ("custom_field_id") REFERENCES "public"."custom_fields"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "topics_workspace_key_key" ON "topics" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE INDEX "topics_workspace_position_idx" ON "topics" USING btree ("workspace_id","position");--> statement-breakpoint
-- The help center's contact-form topics become workspace topics under the same key, in their order.
INSERT INTO "topics" ("id", "workspace_id", "key", "name", "position")
SELECT
  encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
  hc.workspace_id, t.value->>'id', t.value->>'name', (t.ordinality - 1)::integer
FROM "help_centers" hc CROSS JOIN LATERAL jsonb_array_elements(hc.topics) WITH ORDINALITY AS t(value, ordinality)
ON CONFLICT DO NOTHING;
