-- The PromptAds/PromptCrm stand-in tables reduced to what the preamble contract names (and the ETL
-- reads), with the same RowVer and CampaignId indexes as db-init/promptads and db-init/promptcrm, so
-- promptsales.etl.sample can fill them without the real schemas' other NOT NULL columns.
-- tests/etl/test_source_queries.py runs the ETL's SQL on the real stand-in schemas. PostgreSQL; safe to re-run.
-- RowVer works like the transpiled ROWVERSION: one database-wide sequence, set on insert and update.
CREATE SEQUENCE IF NOT EXISTS public.standin_rowversion;
CREATE OR REPLACE FUNCTION public.standin_touch_rowver() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.rowver := nextval('public.standin_rowversion');
    RETURN NEW;
END;
$$;
CREATE SCHEMA IF NOT EXISTS ads;
CREATE TABLE IF NOT EXISTS ads.brands (brandid INT PRIMARY KEY, name VARCHAR(100) NOT NULL,
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'));
CREATE TABLE IF NOT EXISTS ads.campaigns (
    campaignid INT PRIMARY KEY, brandid INT REFERENCES ads.brands, name VARCHAR(200) NOT NULL,
    status VARCHAR(10) NOT NULL, startdate DATE, enddate DATE, budget NUMERIC(14, 2),
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'));
CREATE TABLE IF NOT EXISTS ads.channels (channelid INT PRIMARY KEY, name VARCHAR(100) NOT NULL, kind VARCHAR(30));
CREATE TABLE IF NOT EXISTS ads.markets (marketid INT PRIMARY KEY, name VARCHAR(100) NOT NULL, countrycode CHAR(2));
CREATE TABLE IF NOT EXISTS ads.campaignchannels (campaignid INT REFERENCES ads.campaigns, channelid INT REFERENCES ads.channels,
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'), PRIMARY KEY (campaignid, channelid));
CREATE TABLE IF NOT EXISTS ads.campaignmarkets (campaignid INT REFERENCES ads.campaigns, marketid INT REFERENCES ads.markets,
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'), PRIMARY KEY (campaignid, marketid));
CREATE TABLE IF NOT EXISTS ads.ads (
    adid INT PRIMARY KEY, campaignid INT NOT NULL REFERENCES ads.campaigns, channelid INT REFERENCES ads.channels,
    marketid INT REFERENCES ads.markets, imagecode VARCHAR(20),
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'));
CREATE TABLE IF NOT EXISTS ads.adresults (
    adid INT NOT NULL REFERENCES ads.ads, channelid INT NOT NULL REFERENCES ads.channels, resultdate DATE,
    likes INT, views INT, interactions INT, sales INT, exposurehours NUMERIC(10, 2), audiencereached INT,
    cost NUMERIC(12, 2), revenue NUMERIC(12, 2),
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'));
CREATE INDEX IF NOT EXISTS adresults_rowver_idx ON ads.adresults (rowver);
CREATE INDEX IF NOT EXISTS adresults_adid_idx ON ads.adresults (adid);
CREATE INDEX IF NOT EXISTS ads_campaign_idx ON ads.ads (campaignid);
CREATE SCHEMA IF NOT EXISTS crm;
CREATE TABLE IF NOT EXISTS crm.clients (clientid INT PRIMARY KEY, name VARCHAR(100));
CREATE TABLE IF NOT EXISTS crm.clientcampaigns (clientid INT NOT NULL, campaignid INT NOT NULL,
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'), PRIMARY KEY (clientid, campaignid));
CREATE TABLE IF NOT EXISTS crm.leads (leadid INT PRIMARY KEY, clientid INT, campaignid INT NOT NULL, source VARCHAR(30),
    status VARCHAR(20), createdat TIMESTAMP, rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'));
CREATE TABLE IF NOT EXISTS crm.sales (saleid INT PRIMARY KEY, clientid INT, campaignid INT NOT NULL, channelid INT,
    marketid INT, amount NUMERIC(12, 2), saledate DATE,
    rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'));
CREATE INDEX IF NOT EXISTS sales_campaign_idx ON crm.sales (campaignid, saledate);
CREATE INDEX IF NOT EXISTS clientcampaigns_campaign_idx ON crm.clientcampaigns (campaignid, clientid);
CREATE INDEX IF NOT EXISTS clientcampaigns_rowver_idx ON crm.clientcampaigns (rowver);
CREATE INDEX IF NOT EXISTS leads_rowver_idx ON crm.leads (rowver);
CREATE INDEX IF NOT EXISTS sales_rowver_idx ON crm.sales (rowver);
CREATE INDEX IF NOT EXISTS campaigns_rowver_idx ON ads.campaigns (rowver);
CREATE INDEX IF NOT EXISTS ads_rowver_idx ON ads.ads (rowver);
CREATE INDEX IF NOT EXISTS brands_rowver_idx ON ads.brands (rowver);
CREATE INDEX IF NOT EXISTS campaignchannels_rowver_idx ON ads.campaignchannels (rowver);
CREATE INDEX IF NOT EXISTS campaignmarkets_rowver_idx ON ads.campaignmarkets (rowver);
CREATE INDEX IF NOT EXISTS leads_campaign_idx ON crm.leads (campaignid);
DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['ads.brands', 'ads.campaignchannels', 'ads.campaignmarkets', 'ads.campaigns', 'ads.ads', 'ads.adresults', 'crm.clientcampaigns', 'crm.leads', 'crm.sales']
    LOOP
        IF to_regclass(t) IS NOT NULL THEN
            EXECUTE format('DROP TRIGGER IF EXISTS touch_rowver ON %s', t);
            EXECUTE format('CREATE TRIGGER touch_rowver BEFORE UPDATE ON %s FOR EACH ROW '
                           'EXECUTE FUNCTION public.standin_touch_rowver()', t);
        END IF;
    END LOOP;
END;
$$;
