"""The currencies an amount may be in: the ISO 4217 alphabetic codes, as the e-invoicing rules take them.

The list is the one both official rule sets accept for a document's currency: EN 16931's BR-CL-04 (CEN-EN16931-UBL.sch)
and Peppol's PEPPOL-EN16931-CL007 (PEPPOL-EN16931-UBL.sch), read from OpenPEPPOL/peppol-bis-invoice-3 (rules/sch at
78d7f7d, May 2025). Babel ships CLDR's currencies instead, which keep codes ISO 4217 has withdrawn (DEM, FRF, ...) that both rules
refuse. A code that one rule set has withdrawn and the other not yet (CUC, MRO, STD; MRU, STN, UYW) is left out.
"""

from __future__ import annotations

# as the rules write them: one string, the codes apart by spaces
_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD
    CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
    GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK
    LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
    PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP SVC SYP SZL THB TJS
    TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD
    XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG
"""
ISO_4217 = frozenset(_CODES.split())


def is_currency(code: str) -> bool:
    """Whether `code` is an ISO 4217 currency code an e-invoice may carry."""
    return code in ISO_4217
