SELECT * FROM licensing.overdue_steps WHERE provider = 'p7';
