SELECT * FROM licensing.term_compliance WHERE provider = 'p7';
