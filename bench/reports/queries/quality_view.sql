SELECT * FROM licensing.service_quality WHERE provider = 'p7';
