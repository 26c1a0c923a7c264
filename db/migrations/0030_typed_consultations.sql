-- A consumer whose QR code is damaged types the serial and the check code
-- printed under it: such a consultation is recorded with channel 'typed'.
ALTER TABLE consultations DROP CONSTRAINT consultations_channel_check;
ALTER TABLE consultations ADD CONSTRAINT consultations_channel_check CHECK (channel IN ('qr', 'nfc', 'typed'));
