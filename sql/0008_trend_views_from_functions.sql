-- 0008: one definition of each trend.
--
-- 0005 added the filtered trend functions as copies of the trend views'
-- queries (0001) over the selected reports, to be kept in step by hand.
-- Now each view is its function with nothing selected, so the figures
-- have one definition.  The views keep their columns, comments and
-- grants; t_trends.sh checks them against the raw answers.

create or replace view is248.trend_nav_collab as
    select * from is248.trend_nav_collab_filtered();

create or replace view is248.trend_nav_rating as
    select * from is248.trend_nav_rating_filtered();

create or replace view is248.trend_ips_se as
    select * from is248.trend_ips_se_filtered();
