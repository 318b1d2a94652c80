-- A chat widget's hours become a business-hours calendar: each widget inbox with inline
-- hours gets a calendar "<inbox name> chat hours" in the same zone with the same hours,
-- and names it in businessHoursId. The id is a UUIDv7 like the app's (the time in the
-- first 48 bits, then the version).
WITH widget AS MATERIALIZED (
  SELECT
    id AS inbox_id,
    workspace_id,
    left(name, 89) || ' chat hours' AS calendar_name,
    config->'businessHours' AS inline,
    encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid AS calendar_id
  FROM inboxes
  WHERE channel = 'widget' AND jsonb_typeof(config->'businessHours') = 'object'
), calendars AS (
  INSERT INTO business_hours (id, workspace_id, name, time_zone, hours, holidays)
  SELECT calendar_id, workspace_id, calendar_name, inline->>'timezone', coalesce(inline->'days', '{}'::jsonb), '[]'::jsonb FROM widget
  RETURNING id
)
UPDATE inboxes SET config = (inboxes.config - 'businessHours') || jsonb_build_object('businessHoursId', widget.calendar_id)
FROM widget
WHERE inboxes.id = widget.inbox_id;
--> statement-breakpoint
-- Widgets that were always open (businessHours null) keep no trace of the old setting.
UPDATE inboxes SET config = config - 'businessHours' WHERE channel = 'widget' AND config->'businessHours' IS NOT NULL;
