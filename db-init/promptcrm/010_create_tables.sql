-- PromptCrm schema (CR1): geography, clients, client-campaign links, leads, interactions, sales and the log.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; every object is created only when it is not there yet.
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 010_create_tables.sql
-- Stand-in: transpile
--
-- Why it is shaped this way:
-- * CampaignId, ChannelId and MarketId are PromptAds keys. PromptAds lives on another server (its own pod),
--   so no foreign key can reach it; the generator reads them from PromptAds and the linked server
--   (060_create_linked_server.sql) checks them across servers.
-- * Leads, interactions and sales reference the client-campaign link, not the client alone, so no sale can
--   exist for a campaign the client is not linked to (CR3).
-- * Every table the ETL reads carries RowVer ROWVERSION: the ETL asks for RowVer > last watermark.
-- * National ID and context data are VARBINARY: they only ever hold ciphertext from
--   ENCRYPTBYKEY (040_create_encryption.sql, CR6).

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF SCHEMA_ID(N'crm') IS NULL EXEC (N'CREATE SCHEMA crm');
GO

IF OBJECT_ID(N'crm.Cities', N'U') IS NULL
CREATE TABLE crm.Cities (
    CityId INT NOT NULL,
    Name NVARCHAR(100) NOT NULL,
    CountryCode CHAR(2) NOT NULL,
    Latitude DECIMAL(9, 6) NOT NULL,
    Longitude DECIMAL(9, 6) NOT NULL,
    CONSTRAINT PK_Cities PRIMARY KEY (CityId),
    CONSTRAINT CK_Cities_Latitude CHECK (Latitude BETWEEN -90 AND 90),
    CONSTRAINT CK_Cities_Longitude CHECK (Longitude BETWEEN -180 AND 180)
);
GO

-- Where each PromptAds market is served from, so sales can be grouped by distance to the client (CR8).
IF OBJECT_ID(N'crm.MarketHubs', N'U') IS NULL
CREATE TABLE crm.MarketHubs (
    MarketId INT NOT NULL,
    CityId INT NOT NULL,
    CONSTRAINT PK_MarketHubs PRIMARY KEY (MarketId),
    CONSTRAINT FK_MarketHubs_Cities FOREIGN KEY (CityId) REFERENCES crm.Cities (CityId)
);
GO

IF OBJECT_ID(N'crm.Clients', N'U') IS NULL
CREATE TABLE crm.Clients (
    ClientId INT IDENTITY (1, 1) NOT NULL,
    FirstName NVARCHAR(60) NOT NULL,
    LastName NVARCHAR(60) NOT NULL,
    Email NVARCHAR(120) NOT NULL,
    Phone VARCHAR(20) NULL,
    BirthDate DATE NULL,
    CityId INT NOT NULL,
    NationalIdEncrypted VARBINARY(256) NULL,
    ContextDataEncrypted VARBINARY(MAX) NULL,
    LoyaltyPoints INT NOT NULL CONSTRAINT DF_Clients_LoyaltyPoints DEFAULT 0,
    CreatedAt DATETIME2(0) NOT NULL CONSTRAINT DF_Clients_CreatedAt DEFAULT SYSUTCDATETIME(),
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_Clients PRIMARY KEY (ClientId),
    CONSTRAINT UQ_Clients_Email UNIQUE (Email),
    CONSTRAINT FK_Clients_Cities FOREIGN KEY (CityId) REFERENCES crm.Cities (CityId),
    CONSTRAINT CK_Clients_LoyaltyPoints CHECK (LoyaltyPoints >= 0)
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Clients_CityId')
CREATE INDEX IX_Clients_CityId ON crm.Clients (CityId);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Clients_RowVer')
CREATE INDEX IX_Clients_RowVer ON crm.Clients (RowVer);
GO

IF OBJECT_ID(N'crm.ClientCampaigns', N'U') IS NULL
CREATE TABLE crm.ClientCampaigns (
    ClientId INT NOT NULL,
    CampaignId INT NOT NULL,
    LinkedAt DATE NOT NULL,
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_ClientCampaigns PRIMARY KEY (ClientId, CampaignId),
    CONSTRAINT FK_ClientCampaigns_Clients FOREIGN KEY (ClientId) REFERENCES crm.Clients (ClientId)
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_ClientCampaigns_CampaignId')
CREATE INDEX IX_ClientCampaigns_CampaignId ON crm.ClientCampaigns (CampaignId, ClientId);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_ClientCampaigns_RowVer')
CREATE INDEX IX_ClientCampaigns_RowVer ON crm.ClientCampaigns (RowVer);
GO

IF OBJECT_ID(N'crm.Leads', N'U') IS NULL
CREATE TABLE crm.Leads (
    LeadId BIGINT IDENTITY (1, 1) NOT NULL,
    ClientId INT NOT NULL,
    CampaignId INT NOT NULL,
    Source VARCHAR(20) NOT NULL,
    Status VARCHAR(20) NOT NULL,
    CreatedAt DATETIME2(0) NOT NULL,
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_Leads PRIMARY KEY (LeadId),
    CONSTRAINT FK_Leads_ClientCampaigns FOREIGN KEY (ClientId, CampaignId)
    REFERENCES crm.ClientCampaigns (ClientId, CampaignId),
    CONSTRAINT CK_Leads_Source CHECK (Source IN ('ad_click', 'web_form', 'social', 'email', 'sms', 'referral', 'event')),
    CONSTRAINT CK_Leads_Status CHECK (Status IN ('new', 'contacted', 'qualified', 'converted', 'lost'))
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Leads_CampaignId')
CREATE INDEX IX_Leads_CampaignId ON crm.Leads (CampaignId, Status);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Leads_RowVer')
CREATE INDEX IX_Leads_RowVer ON crm.Leads (RowVer);
GO

IF OBJECT_ID(N'crm.Interactions', N'U') IS NULL
CREATE TABLE crm.Interactions (
    InteractionId BIGINT IDENTITY (1, 1) NOT NULL,
    ClientId INT NOT NULL,
    CampaignId INT NOT NULL,
    ChannelId INT NOT NULL,
    Kind VARCHAR(20) NOT NULL,
    OccurredAt DATETIME2(0) NOT NULL,
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_Interactions PRIMARY KEY (InteractionId),
    CONSTRAINT FK_Interactions_ClientCampaigns FOREIGN KEY (ClientId, CampaignId)
    REFERENCES crm.ClientCampaigns (ClientId, CampaignId),
    CONSTRAINT CK_Interactions_Kind CHECK (Kind IN ('view', 'click', 'like', 'comment', 'share', 'message', 'call'))
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Interactions_CampaignId')
CREATE INDEX IX_Interactions_CampaignId ON crm.Interactions (CampaignId, ChannelId);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Interactions_RowVer')
CREATE INDEX IX_Interactions_RowVer ON crm.Interactions (RowVer);
GO

IF OBJECT_ID(N'crm.Sales', N'U') IS NULL
CREATE TABLE crm.Sales (
    SaleId BIGINT IDENTITY (1, 1) NOT NULL,
    ClientId INT NOT NULL,
    CampaignId INT NOT NULL,
    ChannelId INT NOT NULL,
    MarketId INT NOT NULL,
    Amount DECIMAL(12, 2) NOT NULL,
    SaleDate DATE NOT NULL,
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_Sales PRIMARY KEY (SaleId),
    CONSTRAINT FK_Sales_ClientCampaigns FOREIGN KEY (ClientId, CampaignId)
    REFERENCES crm.ClientCampaigns (ClientId, CampaignId),
    CONSTRAINT FK_Sales_MarketHubs FOREIGN KEY (MarketId) REFERENCES crm.MarketHubs (MarketId),
    CONSTRAINT CK_Sales_Amount CHECK (Amount >= 0)
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Sales_CampaignId')
-- Amount included: the ETL recounts a campaign's sales (count and sum) from this index alone.
CREATE INDEX IX_Sales_CampaignId ON crm.Sales (CampaignId, SaleDate) INCLUDE (Amount);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Sales_ClientId')
CREATE INDEX IX_Sales_ClientId ON crm.Sales (ClientId);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Sales_RowVer')
CREATE INDEX IX_Sales_RowVer ON crm.Sales (RowVer);
GO

-- Written only through crm.PRCRMSP_WriteLog (020_create_procedure_log.sql, CR11).
IF OBJECT_ID(N'crm.Logs', N'U') IS NULL
CREATE TABLE crm.Logs (
    LogId BIGINT IDENTITY (1, 1) NOT NULL,
    LoggedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Logs_LoggedAt DEFAULT SYSUTCDATETIME(),
    Severity VARCHAR(10) NOT NULL,
    Source NVARCHAR(128) NOT NULL,
    Message NVARCHAR(2000) NOT NULL,
    Details NVARCHAR(MAX) NULL,
    LoggedBy NVARCHAR(128) NULL,
    CONSTRAINT PK_Logs PRIMARY KEY (LogId),
    CONSTRAINT CK_Logs_Severity CHECK (Severity IN ('DEBUG', 'INFO', 'WARNING', 'ERROR'))
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Logs_LoggedAt')
CREATE INDEX IX_Logs_LoggedAt ON crm.Logs (LoggedAt);
GO
