SELECT * FROM licensing.licence_register WHERE provider = 'p7';
