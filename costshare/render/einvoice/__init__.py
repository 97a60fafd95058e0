"""E-invoices (OIOUBL 2.1 and Peppol BIS Billing 3.0) for each payer of a programme.

:mod:`.charge` turns a payer's share into a format-neutral :class:`~.charge.Charge`;
:mod:`.oioubl` and :mod:`.peppol` write it as UBL 2.1 XML with lxml; :mod:`.writer`
writes and validates one document per payer and format for the package.
"""
