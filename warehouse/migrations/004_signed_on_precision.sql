-- How much of signed_on the text stated: 'day', or 'month' ("签署于2025年3月", "in March 2021",
-- stored as the month's first day). Rows from before this migration stated a day.
ALTER TABLE agreements ADD COLUMN signed_on_precision TEXT DEFAULT 'day';
