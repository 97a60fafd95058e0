"""The e-invoice formats costshare writes, by the name ``[invoicing] formats`` gives them.

Each writer takes a :class:`~costshare.documents.einvoice.charge.Charge` (what one
e-invoice says) and returns the document's bytes; validating and writing them is the
package layer's work (:mod:`costshare.package.einvoices`).
"""

from __future__ import annotations

from collections.abc import Callable

from costshare.documents.einvoice.charge import Charge
from costshare.documents.einvoice.oioubl import oioubl_document
from costshare.documents.einvoice.peppol import peppol_document

WRITERS: dict[str, Callable[[Charge], bytes]] = {
    "oioubl": oioubl_document,
    "peppol": peppol_document,
}
