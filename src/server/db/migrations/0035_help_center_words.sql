CREATE TABLE "help_center_words" (
	"workspace_id" uuid NOT NULL,
	"word" text NOT NULL,
	"articles" integer NOT NULL,
	CONSTRAINT "help_center_words_workspace_id_word_pk" PRIMARY KEY("workspace_id","word")
);
--> statement-breakpoint
CREATE INDEX "help_center_words_trgm_idx" ON "help_center_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- The words of a text, as the vocabulary keeps them: lower-case, letters only, 3 to 40 long.
CREATE FUNCTION "help_center_words_of"(title text, plain text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT w FROM unnest(tsvector_to_array(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(plain, '')))) AS w
  WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alpha:]]+$'
$$;--> statement-breakpoint
-- One statement per article change, words in order: two articles changed at once lock the
-- rows of their shared words in the same order, so they cannot deadlock.
CREATE FUNCTION "help_center_words_track"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "help_center_words" ("workspace_id", "word", "articles")
  SELECT coalesce(NEW."workspace_id", OLD."workspace_id"), d.word, sum(d.n)::int FROM (
    SELECT w AS word, -1 AS n FROM help_center_words_of(OLD."title", OLD."plain") AS w WHERE TG_OP <> 'INSERT' AND OLD."status" = 'published'
    UNION ALL
    SELECT w, 1 FROM help_center_words_of(NEW."title", NEW."plain") AS w WHERE TG_OP <> 'DELETE' AND NEW."status" = 'published'
  ) AS d
  GROUP BY d.word HAVING sum(d.n) <> 0 ORDER BY d.word
  ON CONFLICT ("workspace_id", "word") DO UPDATE SET "articles" = "help_center_words"."articles" + excluded."articles";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "help_center_words_change" AFTER INSERT OR DELETE OR UPDATE OF "title", "plain", "status" ON "kb_articles"
  FOR EACH ROW EXECUTE FUNCTION "help_center_words_track"();--> statement-breakpoint
INSERT INTO "help_center_words" ("workspace_id", "word", "articles")
  SELECT a."workspace_id", w, count(*)::int FROM "kb_articles" a, help_center_words_of(a."title", a."plain") AS w
  WHERE a."status" = 'published' GROUP BY a."workspace_id", w;
