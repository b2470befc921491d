-- Issue 20: every marker the ERP keeps on a client (características, financial and commercial
-- flags), not only delinquency: [{code, label, since?, delinquency?}] as the ERP last stated it.

ALTER TABLE client_markers ADD COLUMN markers jsonb NOT NULL DEFAULT '[]';
