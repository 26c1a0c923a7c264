-- Finding a seal by the serial on its label, across the brand's products
-- (the portal's seal search), without scanning every seal.
CREATE INDEX seals_brand_serial ON seals (brand_id, serial);
