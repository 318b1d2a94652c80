ALTER TABLE "messages" ADD COLUMN "delivery_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_next_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "replaced_by_id" uuid;--> statement-breakpoint
CREATE INDEX "messages_delivery_problems_idx" ON "messages" USING btree ("workspace_id","created_at") WHERE ("messages"."delivery_status" = 'failed' and "messages"."replaced_by_id" is null) or ("messages"."delivery_status" = 'queued' and "messages"."delivery_attempts" > 0);--> statement-breakpoint
-- Replies that already failed or wait for a retry made at least one attempt: they count as delivery problems.
UPDATE "messages" SET "delivery_attempts" = 1 WHERE "direction" = 'out' AND "delivery_error" IS NOT NULL AND "delivery_status" IN ('queued', 'failed');
