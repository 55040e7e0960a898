SELECT * FROM licensing.refusals WHERE provider = 'p7';
