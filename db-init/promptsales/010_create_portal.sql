-- Purpose: PS1, everything the central PromptSales portal produces: client companies, users and
--          roles, subscription plans (tiers) per sub-company and subscriptions, strategies,
--          campaigns with their ids in each source database, human approvals, and the campaign
--          calendar of tasks and reminders.
-- Dialect: PostgreSQL 18.
-- Safe to re-run: yes (IF NOT EXISTS everywhere).
-- How to run: `promptsales db init --only promptsales`, or psql -d promptsales -f this file.

CREATE SCHEMA IF NOT EXISTS portal;

CREATE TABLE IF NOT EXISTS portal.client_companies (
    company_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    legal_name TEXT NOT NULL UNIQUE,
    tax_id TEXT,
    country_code CHAR(2) NOT NULL,
    industry TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS portal.roles (
    role_code TEXT PRIMARY KEY,               -- 'admin', 'marketer', 'approver', 'viewer'
    description TEXT NOT NULL
);
INSERT INTO portal.roles (role_code, description) VALUES
    ('admin', 'manages the company account, users and subscriptions'),
    ('marketer', 'creates strategies and campaigns'),
    ('approver', 'approves or rejects strategies, content and campaigns'),
    ('viewer', 'reads campaign results')
ON CONFLICT (role_code) DO NOTHING;

CREATE TABLE IF NOT EXISTS portal.users (
    user_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES portal.client_companies (company_id),
    email TEXT NOT NULL UNIQUE CHECK (position('@' IN email) > 1),
    full_name TEXT NOT NULL,
    -- Users authenticate through the OAuth 2.0 provider (N4): we keep its subject, never a password.
    oauth_subject TEXT UNIQUE,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS portal.user_roles (
    user_id BIGINT NOT NULL REFERENCES portal.users (user_id) ON DELETE CASCADE,
    role_code TEXT NOT NULL REFERENCES portal.roles (role_code),
    PRIMARY KEY (user_id, role_code)
);

-- Each sub-company sells its own plans; a client subscribes to tiers of one or several of them.
CREATE TABLE IF NOT EXISTS portal.subscription_plans (
    plan_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sub_company TEXT NOT NULL CHECK (sub_company IN ('PromptContent', 'PromptAds', 'PromptCrm', 'PromptSales')),
    tier TEXT NOT NULL CHECK (tier IN ('basic', 'professional', 'enterprise')),
    monthly_price NUMERIC(10, 2) NOT NULL CHECK (monthly_price >= 0),
    limits JSONB NOT NULL DEFAULT '{}',       -- e.g. {"campaigns": 10, "images": 500}
    UNIQUE (sub_company, tier)
);

CREATE TABLE IF NOT EXISTS portal.subscriptions (
    subscription_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES portal.client_companies (company_id),
    plan_id BIGINT NOT NULL REFERENCES portal.subscription_plans (plan_id),
    starts_on DATE NOT NULL,
    ends_on DATE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('trial', 'active', 'suspended', 'cancelled')),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX IF NOT EXISTS subscriptions_company_idx ON portal.subscriptions (company_id);

CREATE TABLE IF NOT EXISTS portal.strategies (
    strategy_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES portal.client_companies (company_id),
    created_by BIGINT REFERENCES portal.users (user_id),
    title TEXT NOT NULL,
    key_message TEXT NOT NULL,
    intent TEXT NOT NULL,                     -- awareness, consideration, conversion, loyalty ...
    audiences JSONB NOT NULL DEFAULT '[]',    -- [{name, country, language, age_min, age_max, interests}]
    products TEXT[] NOT NULL DEFAULT '{}',
    countries CHAR(2)[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A portal campaign and its ids in each sub-company; campaign_id matches analytics.campaign_summary.
CREATE TABLE IF NOT EXISTS portal.campaigns (
    campaign_id BIGINT PRIMARY KEY,
    strategy_id BIGINT REFERENCES portal.strategies (strategy_id),
    company_id BIGINT REFERENCES portal.client_companies (company_id),
    name TEXT NOT NULL,
    ads_campaign_id INT UNIQUE,               -- PromptAds ads.Campaigns.CampaignId
    crm_campaign_id INT UNIQUE,               -- the id PromptCrm uses (the same PromptAds id today)
    content_request_id TEXT,                  -- PromptContent campaign request _id
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending_approval', 'approved', 'active', 'finished', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS portal.approvals (
    approval_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES portal.campaigns (campaign_id) ON DELETE CASCADE,
    subject TEXT NOT NULL CHECK (subject IN ('strategy', 'content', 'budget', 'launch')),
    approver_id BIGINT REFERENCES portal.users (user_id),
    decision TEXT NOT NULL CHECK (decision IN ('pending', 'approved', 'rejected')),
    comment TEXT,
    decided_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS portal.calendar_items (
    item_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES portal.campaigns (campaign_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('task', 'reminder', 'publication', 'review')),
    title TEXT NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    assignee_id BIGINT REFERENCES portal.users (user_id),
    done BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS calendar_items_due_idx ON portal.calendar_items (due_at) WHERE NOT done;
