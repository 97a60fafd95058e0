"""Reading what a payer received: letters, annex, workbooks, e-invoices, a package."""
