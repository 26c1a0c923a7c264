-- What an alert tells of its scan besides the seal, and whether it asks for
-- attention.
--
-- `lot`: the lot code as the scan knew it (the seal's lot, else the lot in
-- the scanned URI); `language`: the language the scan page was served in.
-- Both are copied from the consultation like the country and the verdict:
-- consultation partitions come and go, alerts stay. Alerts written before
-- this migration have neither.
--
-- `informational`: an `every_scan` alert records a scan; it is not a problem
-- to handle. Unless its rule asks for the inbox (`settings.inbox`), it is
-- left out of the navigation's open-alert count and the inbox's open view,
-- and still goes to the live feed, webhooks and e-mails that chose
-- `every_scan`.
ALTER TABLE alerts
    ADD COLUMN lot text,
    ADD COLUMN language signet_language,
    ADD COLUMN informational boolean NOT NULL DEFAULT false;

-- The navigation's count of open alerts reads only those that ask for attention.
DROP INDEX alerts_brand_open;
CREATE INDEX alerts_brand_open ON alerts (brand_id, id) WHERE status = 'open' AND NOT informational;
