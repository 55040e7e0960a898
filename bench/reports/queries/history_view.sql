SELECT * FROM licensing.application_history WHERE provider = 'p7';
