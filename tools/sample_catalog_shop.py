"""Shop-level data of the sample catalog: the shop, its categories, tags, brands and delivery dates.

Plain literals, read by ``tools/make_sample_catalog.py``. Ids are fixed here so that they never
move when something is added; keep new ids above the ones in use.
"""

# ruff: noqa: E501

from __future__ import annotations

from typing import Any

LANGUAGES = ["nl", "en"]


def t(nl: str, en: str) -> dict[str, str]:
    """One translatable text: Dutch (the default language) and English."""
    return {"nl": nl, "en": en}


SHOP: dict[str, Any] = {
    "id": 310744,
    "mainDomain": "fietsatelier-noord.ecomgit.test",
    "isRetail": False,
    "isB2b": False,
    "currency": "EUR",
    "languages": [
        {"id": 1, "code": "nl", "locale": "nl_NL", "title": "Nederlands", "isDefault": True},
        {"id": 2, "code": "en", "locale": "en_GB", "title": "English", "isDefault": False},
    ],
}

# --- categories -----------------------------------------------------------------------------

FIETSEN = 5231101
RACEFIETSEN = 5231102
GRAVELBIKES = 5231103
ONDERDELEN = 5231110
BANDEN = 5231111
VERLICHTING = 5231112
KLEDING = 5231120
FIETSKLEDING = 5231121
SHIRTS = 5231122
REGENKLEDING = 5231123
OUTDOOR = 5231130
TASSEN = 5231131
FIETSTASSEN = 5231132
KAMPEREN = 5231133


def _category(
    cid: int,
    parent: int | None,
    sort: int,
    title: dict[str, str],
    url: dict[str, str],
    fulltitle: dict[str, str],
    description: dict[str, str],
    content: dict[str, str],
) -> dict[str, Any]:
    return {
        "id": cid,
        "parent": parent,
        "sortOrder": sort,
        "isVisible": True,
        "title": title,
        "fulltitle": fulltitle,
        "description": description,
        "content": content,
        "url": url,
    }


CATEGORIES: list[dict[str, Any]] = [
    _category(
        FIETSEN,
        None,
        1,
        t("Fietsen", "Bikes"),
        t("fietsen", "bikes"),
        t("Fietsen kopen bij Fietsatelier Noord", "Buy bikes at Fietsatelier Noord"),
        t(
            "Racefietsen en gravelbikes, in onze eigen werkplaats opgebouwd en afgesteld.",
            "Road and gravel bikes, built up and tuned in our own workshop.",
        ),
        t(
            "<p>Elke fiets die de deur uitgaat, is door een van onze monteurs opgebouwd, afgesteld en proefgereden. Kom gerust langs voor een proefrit.</p>",
            "<p>Every bike that leaves the shop has been built, tuned and test-ridden by one of our mechanics. Drop by for a test ride any time.</p>",
        ),
    ),
    _category(
        RACEFIETSEN,
        FIETSEN,
        1,
        t("Racefietsen", "Road bikes"),
        t("fietsen/racefietsen", "bikes/road-bikes"),
        t("Racefietsen", "Road bikes"),
        t(
            "Lichte, snelle racefietsen voor lange ritten en de eerste toertocht.",
            "Light, fast road bikes for long rides and your first sportive.",
        ),
        t("", ""),
    ),
    _category(
        GRAVELBIKES,
        FIETSEN,
        2,
        t("Gravelbikes", "Gravel bikes"),
        t("fietsen/gravelbikes", "bikes/gravel-bikes"),
        t("Gravelbikes voor dijk, duin en bospad", "Gravel bikes for dykes, dunes and forest trails"),
        t("Gravelbikes met ruimte voor brede banden en bagage.", "Gravel bikes with room for wide tyres and luggage."),
        t(
            "<p>Van schelpenpad tot bikepacking-weekend: onze gravelbikes zijn gebouwd voor het Noorden.</p>",
            "<p>From shell paths to a bikepacking weekend: our gravel bikes are built for the North.</p>",
        ),
    ),
    _category(
        ONDERDELEN,
        None,
        2,
        t("Onderdelen & accessoires", "Parts & accessories"),
        t("onderdelen", "parts"),
        t("Onderdelen & accessoires", "Parts & accessories"),
        t(
            "Banden, verlichting, gereedschap en alles wat je onderweg nodig hebt.",
            "Tyres, lights, tools and everything you need on the road.",
        ),
        t("", ""),
    ),
    _category(
        BANDEN,
        ONDERDELEN,
        1,
        t("Banden & binnenbanden", "Tyres & tubes"),
        t("onderdelen/banden", "parts/tyres-and-tubes"),
        t("Fietsbanden en binnenbanden", "Bicycle tyres and inner tubes"),
        t("Buitenbanden, binnenbanden en tubeless-benodigdheden.", "Tyres, inner tubes and tubeless supplies."),
        t(
            "<p>Niet zeker welke maat je nodig hebt? Kijk op de zijwang van je huidige band (bijvoorbeeld <em>40-622</em>) of vraag het ons.</p>",
            "<p>Not sure which size you need? Check the sidewall of your current tyre (for example <em>40-622</em>) or just ask us.</p>",
        ),
    ),
    _category(
        VERLICHTING,
        ONDERDELEN,
        2,
        t("Verlichting", "Lights"),
        t("onderdelen/verlichting", "parts/lights"),
        t("Fietsverlichting", "Bike lights"),
        t(
            "Voor- en achterlichten met StVZO-keur, oplaadbaar via USB-C.",
            "Front and rear lights with StVZO approval, rechargeable via USB-C.",
        ),
        t("", ""),
    ),
    _category(
        KLEDING,
        None,
        3,
        t("Kleding", "Clothing"),
        t("kleding", "clothing"),
        t("Fietskleding en outdoorkleding", "Cycling and outdoor clothing"),
        t("Kleding voor elk seizoen op de fiets.", "Clothing for every season on the bike."),
        t("", ""),
    ),
    _category(
        FIETSKLEDING,
        KLEDING,
        1,
        t("Fietskleding", "Cycling wear"),
        t("kleding/fietskleding", "clothing/cycling-wear"),
        t("Fietskleding", "Cycling wear"),
        t("Shirts, ondershirts, sokken en handschoenen.", "Jerseys, base layers, socks and gloves."),
        t(
            '<p>Twijfel je tussen twee maten? Bekijk onze <a href="/service/maattabel">maattabel</a>.</p>',
            '<p>In between two sizes? Have a look at our <a href="/service/size-chart">size chart</a>.</p>',
        ),
    ),
    _category(
        SHIRTS,
        FIETSKLEDING,
        1,
        t("Shirts", "Jerseys"),
        t("kleding/fietskleding/shirts", "clothing/cycling-wear/jerseys"),
        t("Fietsshirts", "Cycling jerseys"),
        t(
            "Fietsshirts met korte mouw van gerecycled polyester.",
            "Short-sleeved jerseys made from recycled polyester.",
        ),
        t("", ""),
    ),
    _category(
        REGENKLEDING,
        FIETSKLEDING,
        2,
        t("Regenkleding", "Rainwear"),
        t("kleding/fietskleding/regenkleding", "clothing/cycling-wear/rainwear"),
        t("Regenkleding voor fietsers", "Rainwear for cyclists"),
        t(
            "Droog blijven op de fiets, ook bij Noord-Nederlandse buien.",
            "Stay dry on the bike, even in a proper Dutch downpour.",
        ),
        t("", ""),
    ),
    _category(
        OUTDOOR,
        None,
        4,
        t("Outdoor", "Outdoor"),
        t("outdoor", "outdoor"),
        t("Outdoor & bikepacking", "Outdoor & bikepacking"),
        t("Tassen, tenten en kampeerspullen voor op de fiets.", "Bags, tents and camping gear for the bike."),
        t(
            "<p>Alles voor een nacht onder de sterren – en de rit ernaartoe.</p>",
            "<p>Everything for a night under the stars – and the ride to get there.</p>",
        ),
    ),
    _category(
        TASSEN,
        OUTDOOR,
        1,
        t("Tassen", "Bags"),
        t("outdoor/tassen", "outdoor/bags"),
        t("Tassen & rugzakken", "Bags & backpacks"),
        t("Rugzakken en fietstassen.", "Backpacks and bike bags."),
        t("", ""),
    ),
    _category(
        FIETSTASSEN,
        TASSEN,
        1,
        t("Fietstassen", "Bike bags"),
        t("outdoor/tassen/fietstassen", "outdoor/bags/bike-bags"),
        t("Fietstassen en bikepacking-tassen", "Panniers and bikepacking bags"),
        t(
            "Waterdichte achtertassen, stuurtassen en frametassen.",
            "Waterproof panniers, handlebar bags and frame bags.",
        ),
        t("", ""),
    ),
    _category(
        KAMPEREN,
        OUTDOOR,
        2,
        t("Kamperen", "Camping"),
        t("outdoor/kamperen", "outdoor/camping"),
        t("Lichtgewicht kamperen", "Lightweight camping"),
        t(
            "Lichte tenten en kookspullen die in een fietstas passen.",
            "Light tents and cookware that fit in a pannier.",
        ),
        t("", ""),
    ),
]

# --- tags -----------------------------------------------------------------------------------

NIEUW = 931201
BESTSELLER = 931202
DUURZAAM = 931203
WATERDICHT = 931204
REFLECTEREND = 931205
CADEAUTIP = 931206
BIKEPACKING = 931207
WINTERKLAAR = 931208
OPRUIMING = 931209

TAGS: list[dict[str, Any]] = [
    {"id": NIEUW, "isVisible": True, "title": t("Nieuw", "New"), "url": t("nieuw", "new")},
    {"id": BESTSELLER, "isVisible": True, "title": t("Bestseller", "Bestseller"), "url": t("bestseller", "bestseller")},
    {"id": DUURZAAM, "isVisible": True, "title": t("Duurzaam", "Sustainable"), "url": t("duurzaam", "sustainable")},
    {"id": WATERDICHT, "isVisible": True, "title": t("Waterdicht", "Waterproof"), "url": t("waterdicht", "waterproof")},
    {
        "id": REFLECTEREND,
        "isVisible": True,
        "title": t("Reflecterend", "Reflective"),
        "url": t("reflecterend", "reflective"),
    },
    {"id": CADEAUTIP, "isVisible": True, "title": t("Cadeautip", "Gift idea"), "url": t("cadeautip", "gift-idea")},
    {
        "id": BIKEPACKING,
        "isVisible": True,
        "title": t("Bikepacking", "Bikepacking"),
        "url": t("bikepacking", "bikepacking"),
    },
    {
        "id": WINTERKLAAR,
        "isVisible": True,
        "title": t("Winterklaar", "Winter ready"),
        "url": t("winterklaar", "winter-ready"),
    },
    {"id": OPRUIMING, "isVisible": False, "title": t("Opruiming", "Clearance"), "url": t("opruiming", "clearance")},
]

# --- brands ---------------------------------------------------------------------------------

ATELIER_NOORD = 3712401
POLDERLICHT = 3712402
KUSTLIJN = 3712403
TREKVOGEL = 3712404
WADDENWOL = 3712405

BRANDS: list[dict[str, Any]] = [
    {
        "id": ATELIER_NOORD,
        "isVisible": True,
        "title": t("Atelier Noord", "Atelier Noord"),
        "content": t(
            "<p>Ons eigen merk: fietsen, kleding en gereedschap die we in Groningen ontwerpen en testen.</p>",
            "<p>Our own label: bikes, clothing and tools we design and test in Groningen.</p>",
        ),
        "url": t("atelier-noord", "atelier-noord"),
    },
    {
        "id": POLDERLICHT,
        "isVisible": True,
        "title": t("Polderlicht", "Polderlicht"),
        "content": t(
            "<p>Polderlicht maakt heldere, zuinige fietslampen die tegen een stootje (en een stevige bui) kunnen.</p>",
            "<p>Polderlicht makes bright, efficient bike lights that can take a knock (and a proper downpour).</p>",
        ),
        "url": t("polderlicht", "polderlicht"),
    },
    {
        "id": KUSTLIJN,
        "isVisible": True,
        "title": t("Kustlijn", "Kustlijn"),
        "content": t("", ""),
        "url": t("kustlijn", "kustlijn"),
    },
    {
        "id": TREKVOGEL,
        "isVisible": True,
        "title": t("Trekvogel", "Trekvogel"),
        "content": t(
            "<p>Trekvogel maakt waterdichte tassen en lichtgewicht kampeerspullen voor mensen die graag ver fietsen.</p>",
            "<p>Trekvogel makes waterproof bags and lightweight camping gear for people who like to ride far.</p>",
        ),
        "url": t("trekvogel", "trekvogel"),
    },
    {
        "id": WADDENWOL,
        "isVisible": True,
        "title": t("Waddenwol", "Waddenwol"),
        "content": t(
            "<p>Merinowol, mulesingvrij en in Europa gebreid.</p>",
            "<p>Merino wool, mulesing-free and knitted in Europe.</p>",
        ),
        "url": t("waddenwol", "waddenwol"),
    },
]

# --- delivery dates -------------------------------------------------------------------------

SNEL = 21401
NORMAAL = 21402
OP_BESTELLING = 21403

DELIVERYDATES: list[dict[str, Any]] = [
    {
        "id": SNEL,
        "name": t("1-2 werkdagen", "1-2 business days"),
        "inStockMessage": t("Voor 17:00 besteld, morgen in huis", "Order before 5 pm, delivered tomorrow"),
        "outStockMessage": t("Nabesteld, levertijd 5-7 werkdagen", "On order, ships in 5-7 business days"),
    },
    {
        "id": NORMAAL,
        "name": t("3-5 werkdagen", "3-5 business days"),
        "inStockMessage": t("Verzonden binnen 3-5 werkdagen", "Ships within 3-5 business days"),
        "outStockMessage": t("Nabesteld, levertijd ongeveer 2 weken", "On order, ships in about 2 weeks"),
    },
    {
        "id": OP_BESTELLING,
        "name": t("Op bestelling", "Built to order"),
        "inStockMessage": t("Klaar om af te halen in de winkel", "Ready for collection in the shop"),
        "outStockMessage": t("Wordt voor je opgebouwd: 2-4 weken", "Built for you: 2-4 weeks"),
    },
]
