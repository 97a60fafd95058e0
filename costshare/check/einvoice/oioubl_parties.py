"""costshare's OIOUBL rules for document identification and the parties (endpoints,
identifiers, legal entity, the buyer's person reference), under their 1.17.2 ids."""

from __future__ import annotations

from typing import Any

from costshare.base.identifiers import gln_ok
from costshare.check.einvoice.findings import attribute, find, text
from costshare.check.einvoice.oioubl_base import (
    CUSTOMER,
    DOC,
    PARTIES,
    SUPPLIER,
    RuleList,
    cvr_bad,
)


def _codes(text: str) -> frozenset[str]:
    """A code list written as words."""
    return frozenset(text.split())


# The OIOUBL 1.17.2 code lists the rules below check against.
_ENDPOINT_SCHEMES = _codes(
    "GLN DUNS DK:P DK:CVR DK:CPR DK:SE DK:VANS FR:SIRET SE:ORGNR SE:VAT FI:OVT FI:ORGNR FI:VAT "
    "IT:FTI IT:SIA IT:SECETI IT:VAT IT:CF NO:ORGNR NO:VAT HU:VAT EU:VAT EU:REID AT:VAT AT:GOV "
    "AT:CID IS:KT IBAN AT:KUR ES:VAT IT:IPA AD:VAT AL:VAT BA:VAT BE:VAT BG:VAT CH:VAT CY:VAT "
    "CZ:VAT DE:VAT EE:VAT GB:VAT GR:VAT HR:VAT IE:VAT LI:VAT LT:VAT LU:VAT LV:VAT MC:VAT ME:VAT "
    "MK:VAT MT:VAT NL:VAT PL:VAT PT:VAT RO:VAT RS:VAT SI:VAT SK:VAT SM:VAT TR:VAT VA:VAT"
)
_PARTY_SCHEMES = (_ENDPOINT_SCHEMES - {"DK:VANS"}) | _codes(
    "ZZZ DK:TELEFON IS:VSKNR NO:EFO NO:NOBB NO:NODI SEPA"
)
_LEGAL_SCHEMES = _codes("DK:CVR DK:CPR ZZZ")
_PROFILES_1_6 = _codes(
    "NONE Procurement-BilSim-1.0 Procurement-BilSimR-1.0 Procurement-PayBas-1.0 "
    "Procurement-PayBasR-1.0 Procurement-OrdSim-1.0 Procurement-OrdSimR-1.0 "
    "Procurement-OrdSim-BilSim-1.0 Procurement-OrdSimR-BilSim-1.0 Procurement-OrdSim-BilSimR-1.0 "
    "Procurement-OrdSimR-BilSimR-1.0 Procurement-OrdAdv-BilSim-1.0 Procurement-OrdAdv-BilSimR-1.0 "
    "Procurement-OrdAdvR-BilSim-1.0 Procurement-OrdAdvR-BilSimR-1.0 Procurement-OrdSel-BilSim-1.0 "
    "Procurement-OrdSel-BilSimR-1.0 Catalogue-CatBas-1.0 Catalogue-CatBasR-1.0 Catalogue-CatSim-1.0 "
    "Catalogue-CatSimR-1.0 Catalogue-CatExt-1.0 Catalogue-CatExtR-1.0 Catalogue-CatAdv-1.0 "
    "Catalogue-CatAdvR-1.0 urn:www.nesubl.eu:profiles:profile1:ver1.0 "
    "urn:www.nesubl.eu:profiles:profile2:ver1.0 urn:www.nesubl.eu:profiles:profile5:ver1.0 "
    "urn:www.nesubl.eu:profiles:profile7:ver1.0 urn:www.nesubl.eu:profiles:profile8:ver1.0 "
    "urn:www.nesubl.eu:profiles:profile1:ver2.0 urn:www.nesubl.eu:profiles:profile2:ver2.0 "
    "urn:www.nesubl.eu:profiles:profile3:ver2.0 urn:www.nesubl.eu:profiles:profile5:ver2.0 "
    "urn:www.nesubl.eu:profiles:profile7:ver2.0 urn:www.nesubl.eu:profiles:profile8:ver2.0 "
    "Reference-Utility-1.0 Reference-UtilityR-1.0 urn:www.cenbii.eu:profile:bii30:ver2.0 "
    "Procurement-TecRes-1.0 Catalogue-CatPriUpd-1.0 Catalogue-CatPriUpdR-1.0 "
    "Procurement-OrdRes-1.0 Procurement-BilSimReminderOnly-1.0"
)
# Profiles under which the invoice must carry an OrderReference ($Simple).
_ORDER_PROFILES = _codes(
    "Procurement-OrdSimR-BilSim-1.0 Procurement-OrdAdv-BilSim-1.0 "
    "urn:www.nesubl.eu:profiles:profile7:ver1.0 urn:www.nesubl.eu:profiles:profile7:ver2.0"
)

RULES = RuleList()
_rule = RULES.add

# Document identification.
_rule(
    "F-LIB001",
    "F-LIB001",
    DOC,
    lambda d: text(d, "cbc:UBLVersionID") not in ("2.0", "2.1"),
    "Invalid UBLVersionID. Must be '2.0' or '2.1'",
)
_rule(
    "F-LIB002",
    "F-LIB002",
    DOC,
    lambda d: text(d, "cbc:CustomizationID") not in ("OIOUBL-2.01", "OIOUBL-2.02", "OIOUBL-2.1"),
    "Invalid CustomizationID. Must be either 'OIOUBL-2.01', 'OIOUBL-2.02' or 'OIOUBL-2.1'",
)
_rule(
    "F-LIB004",
    "F-LIB004",
    DOC,
    lambda d: (
        attribute(d, "cbc:ProfileID", "schemeID") == "urn:oioubl:id:profileid-1.6"
        and text(d, "cbc:ProfileID") not in _PROFILES_1_6
    ),
    lambda d: f"Invalid ProfileID: '{text(d, 'cbc:ProfileID')}'. Must be a value from the codelist",
)
# Postal addresses (F-LIB031–036): what each address format demands or forbids.
_ADDRESSES = "//cac:PostalAddress"


def _format(address: Any) -> str:
    return text(address, "cbc:AddressFormatCode")


def _blank(address: Any, name: str) -> bool:
    return text(address, f"cbc:{name}") == ""


_rule(
    "F-LIB031",
    "F-LIB031",
    _ADDRESSES,
    lambda a: (
        _format(a) == "Unstructured"
        and (
            any(
                find(a, f"cbc:{n}")
                for n in ("StreetName", "BuildingNumber", "CityName", "PostalZone")
            )
            or bool(find(a, "cac:Country"))
        )
    ),
    "An Unstructured address is only allowed to have AddressLine elements",
)
_rule(
    "F-LIB032",
    "F-LIB032",
    _ADDRESSES,
    lambda a: _format(a) == "StructuredDK" and bool(find(a, "cac:AddressLine")),
    "AddressLine elements not allowed for a StructuredDK address type",
)
_rule(
    "F-LIB033",
    "F-LIB033",
    _ADDRESSES,
    lambda a: _format(a) == "StructuredDK" and _blank(a, "PostalZone"),
    "PostalZone is mandatory for a StructuredDK address type",
)
_rule(
    "F-LIB034",
    "F-LIB034",
    _ADDRESSES,
    lambda a: _format(a) == "StructuredDK" and _blank(a, "StreetName") and _blank(a, "Postbox"),
    "There should be either a StreetName or a Postbox for a StructuredDK address type",
)
_rule(
    "F-LIB035",
    "F-LIB035",
    _ADDRESSES,
    lambda a: _format(a) == "StructuredDK" and _blank(a, "BuildingNumber") and _blank(a, "Postbox"),
    "There should be either a BuildingNumber or a Postbox for a StructuredDK address type",
)
_rule(
    "F-LIB036",
    "F-LIB036",
    _ADDRESSES,
    lambda a: _format(a) == "StructuredLax" and bool(find(a, "cac:AddressLine")),
    "AddressLine elements not allowed for a StructuredLax address type",
)
_rule(
    "F-INV002",
    "F-CRN002",
    DOC,
    lambda d: text(d, "cbc:ProfileID") in _ORDER_PROFILES and not find(d, "cac:OrderReference"),
    "There must be an OrderReference class for this profileID",
)
_rule(
    "F-INV024",
    "F-CRN022",
    "/*/cac:OrderReference",
    lambda o: text(o, "cbc:ID") == "",
    "Invalid OrderReference/ID. Must contain a value.",
)
_rule(
    "F-INV011",
    "F-INV011",
    "/*/cbc:InvoiceTypeCode",
    lambda c: (
        c.get("listID") == "urn:oioubl:codelist:invoicetypecode-1.1"
        and (c.text or "").strip() not in ("325", "380", "393")
    ),
    lambda c: (
        f"Invalid InvoiceTypeCode: '{(c.text or '').strip()}'. Must be a value from the codelist"
    ),
)
_rule(
    "F-INV008",
    "F-CRN005",
    DOC,
    lambda d: not find(d, "cac:TaxTotal"),
    "One or more TaxTotal class must be present",
)
# Parties: endpoints, identifiers, legal entity, the buyer's person reference.
_rule(
    "F-INV031",
    "F-CRN028",
    SUPPLIER,
    lambda p: text(p, "cbc:EndpointID") == "",
    "Invalid EndpointID. Must contain a value",
)
_rule(
    "F-INV034",
    "F-CRN031",
    SUPPLIER,
    lambda p: len(find(p, "cac:PartyLegalEntity")) != 1,
    "One PartyLegalEntity class must be present",
)
_rule(
    "F-INV044",
    "F-CRN040",
    CUSTOMER,
    lambda p: text(p, "cbc:EndpointID") == "",
    "Invalid EndpointID. Must contain a value",
)
_rule(
    "F-INV046",
    "F-CRN042",
    CUSTOMER,
    lambda p: len(find(p, "cac:Contact")) != 1,
    "One Contact class must be present",
)
_rule(
    "F-INV051",
    "F-CRN047",
    f"{CUSTOMER}/cac:Contact",
    lambda c: text(c, "cbc:ID") == "",
    "Invalid AccountingCustomerParty/Contact/ID. Must contain a value.",
)
_rule(
    "F-LIB179",
    "F-LIB179",
    PARTIES,
    lambda p: (
        bool(find(p, "cbc:EndpointID"))
        and attribute(p, "cbc:EndpointID", "schemeID") not in _ENDPOINT_SCHEMES
    ),
    lambda p: (
        f"Invalid schemeID: '{attribute(p, 'cbc:EndpointID', 'schemeID')}'. Must be a value from the codelist"
    ),
)
_rule(
    "F-LIB180",
    "F-LIB180",
    PARTIES,
    lambda p: (
        attribute(p, "cbc:EndpointID", "schemeID") == "DK:CVR"
        and cvr_bad(text(p, "cbc:EndpointID"))
    ),
    lambda p: (
        f"schemeID = DK:CVR, EndpointID must be a valid CVR number (like 'DK12345678', value found: '{text(p, 'cbc:EndpointID')}')"
    ),
)
_rule(
    "F-LIB181",
    "F-LIB181",
    PARTIES,
    lambda p: (
        attribute(p, "cbc:EndpointID", "schemeID") == "GLN"
        and not gln_ok(text(p, "cbc:EndpointID"))
    ),
    lambda p: (
        f"schemeID = GLN, EndpointID must be a valid GLN number (like '1234567890123', value found: '{text(p, 'cbc:EndpointID')}')"
    ),
)
_rule(
    "F-LIB183",
    "F-LIB183",
    f"{SUPPLIER}/cac:PartyIdentification | {CUSTOMER}/cac:PartyIdentification",
    lambda i: attribute(i, "cbc:ID", "schemeID") not in _PARTY_SCHEMES,
    lambda i: (
        f"Invalid schemeID: '{attribute(i, 'cbc:ID', 'schemeID')}'. Must be a value from the codelist"
    ),
)
_rule(
    "F-LIB184",
    "F-LIB184",
    f"{SUPPLIER}/cac:PartyIdentification | {CUSTOMER}/cac:PartyIdentification",
    lambda i: attribute(i, "cbc:ID", "schemeID") == "DK:CVR" and cvr_bad(text(i, "cbc:ID")),
    lambda i: (
        f"schemeID = DK:CVR, ID must be a valid CVR number (like 'DK12345678', value found: '{text(i, 'cbc:ID')}')"
    ),
)
_rule(
    "F-LIB185",
    "F-LIB185",
    f"{SUPPLIER}/cac:PartyIdentification | {CUSTOMER}/cac:PartyIdentification",
    lambda i: attribute(i, "cbc:ID", "schemeID") == "GLN" and not gln_ok(text(i, "cbc:ID")),
    lambda i: (
        f"schemeID = GLN, ID must be a valid GLN number (like '1234567890123', value found: '{text(i, 'cbc:ID')}')"
    ),
)
_rule(
    "F-LIB022",
    "F-LIB022",
    PARTIES,
    lambda p: (
        text(p, "cac:PartyIdentification/cbc:ID") == "" and text(p, "cac:PartyName/cbc:Name") == ""
    ),
    "PartyName/Name is mandatory if PartyIdentification/ID is not found",
)
_rule(
    "F-LIB189",
    "F-LIB189",
    f"{SUPPLIER}/cac:PartyLegalEntity[cbc:CompanyID] | {CUSTOMER}/cac:PartyLegalEntity[cbc:CompanyID]",
    lambda e: attribute(e, "cbc:CompanyID", "schemeID") not in _LEGAL_SCHEMES,
    "Invalid schemeID. Must be a valid scheme for PartyLegalEntity/CompanyID",
)
_rule(
    "F-LIB190",
    "F-LIB190",
    f"{SUPPLIER}/cac:PartyLegalEntity | {CUSTOMER}/cac:PartyLegalEntity",
    lambda e: (
        attribute(e, "cbc:CompanyID", "schemeID") == "DK:CVR" and cvr_bad(text(e, "cbc:CompanyID"))
    ),
    lambda e: (
        f"schemeID = DK:CVR, CompanyID must be a valid CVR number (like 'DK12345678', value found: '{text(e, 'cbc:CompanyID')}')"
    ),
)
_rule(
    "F-LIB196",
    "F-LIB196",
    "//cac:PartyTaxScheme",
    lambda t: (
        attribute(t, "cbc:CompanyID", "schemeID") == "DK:SE" and cvr_bad(text(t, "cbc:CompanyID"))
    ),
    lambda t: (
        f"schemeID = DK:SE, CompanyID must be a valid SE number (like 'DK12345678', value found: '{text(t, 'cbc:CompanyID')}')"
    ),
)
