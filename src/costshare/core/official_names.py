"""The 98 Danish municipalities by code, each with its official name: the name an e-invoice gives the buyer.

Codes: Danmarks Statistik, "Regioner, landsdele og kommuner, v1:2007-" (NUTS_V1_2007_DK), the 98 municipalities of the
structural reform of 1 January 2007 (Christiansø, code 411, belongs to no municipality and is not one). Names: each
municipality's own name as it is registered and as borger.dk lists the 98: "<name> Kommune", in the genitive where the
name takes it (Københavns, Nordfyns, Vesthimmerlands Kommune), and Bornholms Regionskommune. Statistics Denmark's
tables give the short names (København, Nordfyns, Bornholm), which the population files hold.
"""

from __future__ import annotations

from types import MappingProxyType

OFFICIAL_NAMES = MappingProxyType(
    {
        # Region Hovedstaden
        "101": "Københavns Kommune",
        "147": "Frederiksberg Kommune",
        "151": "Ballerup Kommune",
        "153": "Brøndby Kommune",
        "155": "Dragør Kommune",
        "157": "Gentofte Kommune",
        "159": "Gladsaxe Kommune",
        "161": "Glostrup Kommune",
        "163": "Herlev Kommune",
        "165": "Albertslund Kommune",
        "167": "Hvidovre Kommune",
        "169": "Høje-Taastrup Kommune",
        "173": "Lyngby-Taarbæk Kommune",
        "175": "Rødovre Kommune",
        "183": "Ishøj Kommune",
        "185": "Tårnby Kommune",
        "187": "Vallensbæk Kommune",
        "190": "Furesø Kommune",
        "201": "Allerød Kommune",
        "210": "Fredensborg Kommune",
        "217": "Helsingør Kommune",
        "219": "Hillerød Kommune",
        "223": "Hørsholm Kommune",
        "230": "Rudersdal Kommune",
        "240": "Egedal Kommune",
        "250": "Frederikssund Kommune",
        "260": "Halsnæs Kommune",
        "270": "Gribskov Kommune",
        "400": "Bornholms Regionskommune",
        # Region Sjælland
        "253": "Greve Kommune",
        "259": "Køge Kommune",
        "265": "Roskilde Kommune",
        "269": "Solrød Kommune",
        "306": "Odsherred Kommune",
        "316": "Holbæk Kommune",
        "320": "Faxe Kommune",
        "326": "Kalundborg Kommune",
        "329": "Ringsted Kommune",
        "330": "Slagelse Kommune",
        "336": "Stevns Kommune",
        "340": "Sorø Kommune",
        "350": "Lejre Kommune",
        "360": "Lolland Kommune",
        "370": "Næstved Kommune",
        "376": "Guldborgsund Kommune",
        "390": "Vordingborg Kommune",
        # Region Syddanmark
        "410": "Middelfart Kommune",
        "420": "Assens Kommune",
        "430": "Faaborg-Midtfyn Kommune",
        "440": "Kerteminde Kommune",
        "450": "Nyborg Kommune",
        "461": "Odense Kommune",
        "479": "Svendborg Kommune",
        "480": "Nordfyns Kommune",
        "482": "Langeland Kommune",
        "492": "Ærø Kommune",
        "510": "Haderslev Kommune",
        "530": "Billund Kommune",
        "540": "Sønderborg Kommune",
        "550": "Tønder Kommune",
        "561": "Esbjerg Kommune",
        "563": "Fanø Kommune",
        "573": "Varde Kommune",
        "575": "Vejen Kommune",
        "580": "Aabenraa Kommune",
        "607": "Fredericia Kommune",
        "621": "Kolding Kommune",
        "630": "Vejle Kommune",
        # Region Midtjylland
        "615": "Horsens Kommune",
        "657": "Herning Kommune",
        "661": "Holstebro Kommune",
        "665": "Lemvig Kommune",
        "671": "Struer Kommune",
        "706": "Syddjurs Kommune",
        "707": "Norddjurs Kommune",
        "710": "Favrskov Kommune",
        "727": "Odder Kommune",
        "730": "Randers Kommune",
        "740": "Silkeborg Kommune",
        "741": "Samsø Kommune",
        "746": "Skanderborg Kommune",
        "751": "Aarhus Kommune",
        "756": "Ikast-Brande Kommune",
        "760": "Ringkøbing-Skjern Kommune",
        "766": "Hedensted Kommune",
        "779": "Skive Kommune",
        "791": "Viborg Kommune",
        # Region Nordjylland
        "773": "Morsø Kommune",
        "787": "Thisted Kommune",
        "810": "Brønderslev Kommune",
        "813": "Frederikshavn Kommune",
        "820": "Vesthimmerlands Kommune",
        "825": "Læsø Kommune",
        "840": "Rebild Kommune",
        "846": "Mariagerfjord Kommune",
        "849": "Jammerbugt Kommune",
        "851": "Aalborg Kommune",
        "860": "Hjørring Kommune",
    }
)


def official_name(code: str) -> str | None:
    """The municipality's official name ('Sorø Kommune') by its three-digit code; None for a code that is none of the 98."""
    return OFFICIAL_NAMES.get(code)
