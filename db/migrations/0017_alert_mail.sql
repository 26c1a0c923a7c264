-- Alert e-mails: each user chooses which alert types reach them by e-mail,
-- one message per alert as they come ('immediate') or one digest an hour
-- ('hourly'). Alerts are queued per user in the transaction that records
-- them, like webhook deliveries, and a mail dispatcher in any instance
-- sends them.

ALTER TABLE users
    ADD COLUMN alert_mail       text NOT NULL DEFAULT 'off' CHECK (alert_mail IN ('off', 'immediate', 'hourly')),
    ADD COLUMN alert_mail_types text[] NOT NULL DEFAULT '{}';

CREATE TABLE alert_mail_queue (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    alert_id   bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts   integer NOT NULL DEFAULT 0,
    -- A dispatcher's lease while it sends, then the wait before the next try.
    not_before timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    -- Given up: the relay refused it for a day.
    failed_at  timestamptz,
    UNIQUE (user_id, alert_id)
);
CREATE INDEX alert_mail_queue_waiting ON alert_mail_queue (not_before) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX alert_mail_queue_user ON alert_mail_queue (user_id) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE FUNCTION signet_enqueue_alert_mail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO alert_mail_queue (user_id, alert_id)
    SELECT u.id, a.id
    FROM inserted a
    JOIN users u ON u.brand_id = a.brand_id AND u.alert_mail <> 'off' AND a.type = ANY (u.alert_mail_types)
                AND u.disabled_at IS NULL
    -- A user narrowed to some products hears only of those.
    WHERE (u.access_product_type_ids IS NULL AND u.access_product_ids IS NULL)
       OR a.product_id = ANY (signet_accessible_products(u.brand_id, u.access_product_type_ids, u.access_product_ids));
    RETURN NULL;
END
$$;
CREATE TRIGGER alerts_enqueue_mail AFTER INSERT ON alerts
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION signet_enqueue_alert_mail();
