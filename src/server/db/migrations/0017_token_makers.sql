ALTER TABLE "api_tokens" ADD COLUMN "created_by_member_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "on_behalf_of_member_id" uuid;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_member_id_members_id_fk" FOREIGN KEY ("created_by_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Who made each existing token, from the audit log's token.create entries.
UPDATE "api_tokens" t SET "created_by_member_id" = a."actor_member_id"
FROM "audit_log" a
WHERE a."action" = 'token.create' AND a."target_id" = t."id"::text AND a."workspace_id" = t."workspace_id" AND a."actor_member_id" IS NOT NULL;--> statement-breakpoint
-- Before this release an admin could make a token acting as another member (an owner
-- included) and so raise themself: such tokens, made for someone else by anyone but an
-- owner, are revoked.
UPDATE "api_tokens" t SET "revoked_at" = now()
FROM "members" maker
WHERE t."revoked_at" IS NULL AND t."created_by_member_id" IS NOT NULL AND t."created_by_member_id" <> t."member_id"
  AND maker."id" = t."created_by_member_id" AND maker."role" <> 'owner';
