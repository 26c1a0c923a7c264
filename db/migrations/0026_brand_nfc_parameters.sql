-- The query parameter names a brand's NFC tags write their PICCData, file
-- data and MAC under (NXP's application note uses picc_data, enc, cmac).
-- Checked again by the portal: 1 to 32 URL-safe characters, all different.
ALTER TABLE brands ADD COLUMN nfc_parameters text[] NOT NULL DEFAULT '{e,m,c}'
    CHECK (cardinality(nfc_parameters) = 3);
-- Where the tags' MAC input starts: at the file data's value (the note's
-- default) or at PICCData's value.
ALTER TABLE brands ADD COLUMN nfc_mac_input text NOT NULL DEFAULT 'file_data'
    CHECK (nfc_mac_input IN ('file_data', 'picc_data'));
