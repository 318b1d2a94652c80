CREATE TABLE "community_thread_views" (
	"thread_id" uuid PRIMARY KEY NOT NULL,
	"views" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_article_views" (
	"article_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"status" "kb_article_status" NOT NULL,
	"category_id" uuid,
	"views" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX "kb_articles_popular_idx";--> statement-breakpoint
DROP INDEX "kb_articles_category_popular_idx";--> statement-breakpoint
ALTER TABLE "community_thread_views" ADD CONSTRAINT "community_thread_views_thread_id_community_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."community_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_views" ADD CONSTRAINT "kb_article_views_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_article_views_popular_idx" ON "kb_article_views" USING btree ("workspace_id","status","views" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "kb_article_views_category_popular_idx" ON "kb_article_views" USING btree ("workspace_id","status","category_id","views" DESC NULLS LAST);--> statement-breakpoint
-- Every article has its row from the start, with its status and category kept equal to the
-- article's, so the most read of a help center or a category are read off an index in order.
CREATE FUNCTION "kb_article_views_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "kb_article_views" ("article_id", "workspace_id", "status", "category_id")
      VALUES (NEW."id", NEW."workspace_id", NEW."status", NEW."category_id") ON CONFLICT DO NOTHING;
  ELSE
    UPDATE "kb_article_views" SET "status" = NEW."status", "category_id" = NEW."category_id" WHERE "article_id" = NEW."id";
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "kb_article_views_insert" AFTER INSERT ON "kb_articles" FOR EACH ROW EXECUTE FUNCTION "kb_article_views_sync"();--> statement-breakpoint
CREATE TRIGGER "kb_article_views_update" AFTER UPDATE OF "status", "category_id" ON "kb_articles" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."category_id" IS DISTINCT FROM NEW."category_id")
  EXECUTE FUNCTION "kb_article_views_sync"();--> statement-breakpoint
INSERT INTO "kb_article_views" ("article_id", "workspace_id", "status", "category_id", "views")
  SELECT "id", "workspace_id", "status", "category_id", "views" FROM "kb_articles";--> statement-breakpoint
INSERT INTO "community_thread_views" ("thread_id", "views") SELECT "id", "views" FROM "community_threads" WHERE "views" > 0;--> statement-breakpoint
ALTER TABLE "community_threads" DROP COLUMN "views";--> statement-breakpoint
ALTER TABLE "kb_articles" DROP COLUMN "views";