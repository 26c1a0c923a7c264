-- A brand may require its owners to sign in with a second factor: an owner
-- without one can then only reach their account page until they set it up.
ALTER TABLE brands ADD COLUMN owners_need_two_factor boolean NOT NULL DEFAULT false;
