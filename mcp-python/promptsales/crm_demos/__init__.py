"""CR12 concurrency demos: the broken and fixed loyalty-point procedures of
db-init/promptcrm/100_create_procedures_concurrency.sql, as run on the PostgreSQL stand-in
(`scenarios`), and the two-computer deadlock client (`deadlock_client`)."""
