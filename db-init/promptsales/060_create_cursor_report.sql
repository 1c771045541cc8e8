-- Purpose: PS6 cursor. analytics.brand_revenue_ladder(brand) walks a brand's campaigns in start-date
--          order with an explicit cursor (OPEN / FETCH / CLOSE) and returns each campaign with the
--          brand's running revenue and how much the campaign added: the "which campaign moved the
--          brand" question a single GROUP BY cannot answer row by row.
-- Dialect: PostgreSQL 18 (PL/pgSQL).
-- Safe to re-run: yes (CREATE OR REPLACE).
-- How to run: `promptsales db init --only promptsales`; then
--             SELECT * FROM analytics.brand_revenue_ladder('Brand 1');

CREATE OR REPLACE FUNCTION analytics.brand_revenue_ladder(p_brand TEXT)
RETURNS TABLE (campaign_id BIGINT, campaign_name TEXT, start_date DATE, revenue NUMERIC,
               running_revenue NUMERIC, share_of_brand NUMERIC)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    campaigns_in_order CURSOR (brand TEXT) FOR
        SELECT s.campaign_id, s.campaign_name, s.start_date, COALESCE(s.revenue, 0) AS revenue
        FROM analytics.campaign_summary s
        WHERE s.brand_name = brand
        ORDER BY s.start_date NULLS LAST, s.campaign_id;
    current_row RECORD;
    brand_total NUMERIC;
    running NUMERIC := 0;
BEGIN
    SELECT COALESCE(SUM(s.revenue), 0) INTO brand_total FROM analytics.campaign_summary s WHERE s.brand_name = p_brand;
    OPEN campaigns_in_order(p_brand);
    LOOP
        FETCH campaigns_in_order INTO current_row;
        EXIT WHEN NOT FOUND;
        running := running + current_row.revenue;
        campaign_id := current_row.campaign_id;
        campaign_name := current_row.campaign_name;
        start_date := current_row.start_date;
        revenue := current_row.revenue;
        running_revenue := running;
        share_of_brand := CASE WHEN brand_total > 0 THEN round(running / brand_total, 4) END;
        RETURN NEXT;
    END LOOP;
    CLOSE campaigns_in_order;
END;
$$;

GRANT EXECUTE ON FUNCTION analytics.brand_revenue_ladder(TEXT) TO promptsales_readonly, promptsales_readwrite;
