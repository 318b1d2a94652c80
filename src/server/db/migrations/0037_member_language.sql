ALTER TABLE "members" ADD COLUMN "locale" text DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "time_format" text DEFAULT 'auto' NOT NULL;