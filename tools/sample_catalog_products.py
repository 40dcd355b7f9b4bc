"""The products of the sample catalog, as compact specs that ``make_sample_catalog.py`` expands.

A spec holds the texts (``t(nl, en)``), the shop references, the images to draw and the variant
rules. Keys, all optional except the texts and ``id``:

``line_ends``   ``"crlf"`` (content in both languages), ``"crlf-nl"`` (Dutch only) or LF (default)
``options``     matrix dimensions, ``opt(name_nl, name_en, (value_nl, value_en, code), …)``; none
                gives a single "Standaard"/"Default" variant
``per``         overrides by option code: ``{"ZW": {"price": 79.95, "image": "shirt-zwart"}}``
``default``     the option codes of the default variant (else the first variant)
``price``/``old`` prices including 21 % VAT; ``old`` is the struck-through old price (0 = none)
``weight``      grams; ``wunit`` the unit shown in the back office (``kg`` or ``g``)
``size``        (x, y, z) in cm; ``volume`` in ml; ``buy`` (minimum, maximum) order quantity
"""

# ruff: noqa: E501

from __future__ import annotations

from typing import Any

from sample_catalog_shop import (
    ATELIER_NOORD,
    BANDEN,
    BESTSELLER,
    BIKEPACKING,
    CADEAUTIP,
    DUURZAAM,
    FIETSKLEDING,
    FIETSTASSEN,
    GRAVELBIKES,
    KAMPEREN,
    KUSTLIJN,
    NIEUW,
    NORMAAL,
    ONDERDELEN,
    OP_BESTELLING,
    OPRUIMING,
    POLDERLICHT,
    RACEFIETSEN,
    REFLECTEREND,
    REGENKLEDING,
    SHIRTS,
    SNEL,
    TASSEN,
    TREKVOGEL,
    VERLICHTING,
    WADDENWOL,
    WATERDICHT,
    WINTERKLAAR,
    t,
)

Spec = dict[str, Any]


def img(name: str, ext: str, kind: str, colour: str, view: str = "front") -> dict[str, str]:
    """An image to draw: CDN name, extension, what to draw, its main colour and the view."""
    return {"name": name, "ext": ext, "kind": kind, "colour": colour, "view": view}


def opt(name_nl: str, name_en: str, *values: tuple[str, str, str]) -> dict[str, Any]:
    """A matrix dimension: its name per language and (value_nl, value_en, code) values."""
    return {"name": t(name_nl, name_en), "values": list(values)}


def sizes(*names: str) -> tuple[tuple[str, str, str], ...]:
    """Clothing sizes: the same text in both languages; the code is the size without spaces."""
    return tuple((n, n, n.replace(" ", "")) for n in names)


# Product ids, named so that relations can point at them.
WADDEN_GRX = 72418301
LAUWERSMEER = 72418314
KUSTWEG = 72418339
WADDEN_FRAMESET = 72418352
DUINPAD = 72418377
BINNENBAND_RACE = 72418390
BINNENBAND_MTB = 72418406
SEALANT = 72418421
BANDENLICHTERS = 72418433
DIJK_80 = 72418448
SLUIS = 72418452
LAMPSET = 72418467
KETTINGOLIE = 72418475
MULTITOOL = 72418489
BIDON = 72418504
NOORDERZON_HEREN = 72418518
NOORDERZON_DAMES = 72418523
MERINO = 72418537
SOKKEN = 72418542
HANDSCHOENEN = 72418556
REGENJAS = 72418561
OVERSCHOENEN = 72418580
ZWERVER = 72418594
STUURTAS = 72418603
FRAMETAS = 72418617
RUGZAK = 72418622
TENT = 72418636
MOK = 72418641

_CELL = 'style="border: 1px solid #c9c9c9; padding: 6px;"'


def _styled_table(head: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    """A spec table the way the shop's editor writes it: one tag per line, inline styles."""
    lines = ['<table style="border-collapse: collapse; width: 100%;">', "<tbody>", "<tr>"]
    lines += [f"<th {_CELL}>{head[0]}</th>", f"<th {_CELL}>{head[1]}</th>", "</tr>"]
    for label, value in rows:
        lines += ["<tr>", f"<td {_CELL}><strong>{label}</strong></td>", f"<td {_CELL}>{value}</td>", "</tr>"]
    return "\n".join([*lines, "</tbody>", "</table>"])


def _table(rows: list[tuple[str, str]]) -> str:
    """A compact spec table, one row per line."""
    body = "\n".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in rows)
    return f'<table class="specs">\n<tbody>\n{body}\n</tbody>\n</table>'


PRODUCTS: list[Spec] = [
    # --- bikes ---------------------------------------------------------------------------
    {
        "id": WADDEN_GRX,
        "url": t("wadden-grx-gravelbike", "wadden-grx-gravel-bike"),
        "title": t("Wadden GRX gravelbike", "Wadden GRX gravel bike"),
        "fulltitle": t("Atelier Noord Wadden GRX gravelbike 2×11", "Atelier Noord Wadden GRX gravel bike 2×11"),
        "description": t(
            "Veelzijdige aluminium gravelbike met Shimano GRX, carbon vork en ruimte voor 45 mm banden. In Groningen opgebouwd.",
            "Versatile aluminium gravel bike with Shimano GRX, a carbon fork and room for 45 mm tyres. Built up in Groningen.",
        ),
        "content": t(
            "<p>De <strong>Wadden GRX</strong> is de gravelbike die we zelf het liefst rijden: snel genoeg voor de zondagsrit over de dijk, stevig genoeg voor een weekend bikepacken over de schelpenpaden van Terschelling.</p>\n"
            "<p>Elk frame wordt in onze werkplaats in Groningen opgebouwd en afgesteld. De kabels lopen intern, de wielen zijn met de hand nagespannen en na 500 km krijg je een gratis controlebeurt.</p>\n"
            + _styled_table(
                ("Onderdeel", "Specificatie"),
                [
                    ("Frame", "Aluminium 6061, triple-butted, steekassen 12 × 142 mm"),
                    ("Vork", "Carbon, steekas 12 × 100 mm, montagepunten voor bagage"),
                    ("Groep", "Shimano GRX 2×11, crank 46/30T, cassette 11–34T"),
                    ("Remmen", "Hydraulische schijfremmen, 160 mm"),
                    ("Banden", "Kustlijn Duinpad 700×40C, tubeless-ready"),
                    ("Gewicht", "9,8 kg (maat 56)"),
                ],
            )
            + '\n<p>Twijfel je over je maat? Plan een <a href="/service/proefrit">gratis proefrit &amp; bikefit</a> in de winkel.</p>',
            "<p>The <strong>Wadden GRX</strong> is the gravel bike we like riding most ourselves: quick enough for a Sunday spin along the dyke, tough enough for a bikepacking weekend on the shell paths of Terschelling.</p>\n"
            "<p>Every frame is built up and tuned in our Groningen workshop. Cables are routed internally, the wheels are hand-trued and you get a free check-up after 500 km.</p>\n"
            + _styled_table(
                ("Component", "Details"),
                [
                    ("Frame", "6061 aluminium, triple-butted, 12 × 142 mm thru-axles"),
                    ("Fork", "Carbon, 12 × 100 mm thru-axle, luggage mounts"),
                    ("Groupset", "Shimano GRX 2×11, 46/30T crankset, 11–34T cassette"),
                    ("Brakes", "Hydraulic disc brakes, 160 mm rotors"),
                    ("Tyres", "Kustlijn Duinpad 700×40C, tubeless-ready"),
                    ("Weight", "9.8 kg (size 56)"),
                ],
            )
            + '\n<p>Not sure about your size? Book a <a href="/service/test-ride">free test ride &amp; bike fit</a> in the shop.</p>',
        ),
        "line_ends": "crlf",
        "brand": ATELIER_NOORD,
        "deliverydate": OP_BESTELLING,
        "categories": [GRAVELBIKES],
        "tags": [NIEUW, BIKEPACKING],
        "images": [
            img("wadden-grx-zijkant", "jpg", "bike", "#2f6f62", "side"),
            img("wadden-grx-cockpit", "jpg", "bike", "#2f6f62", "detail"),
            img("wadden-grx-bepakt", "jpg", "bike", "#2f6f62", "packed"),
            img("wadden-grx-maattabel", "png", "chart", "#2f6f62"),
        ],
        "code": "AN-WGRX",
        "hs": "87120030",
        "price": 2199,
        "tracking": "enabled",
        "alert": 1,
        "weight": 9800,
        "wunit": "kg",
        "size": (145, 80, 22),
        "options": [
            opt(
                "Framemaat",
                "Frame size",
                ("50 (S)", "50 (S)", "50"),
                ("53 (M)", "53 (M)", "53"),
                ("56 (L)", "56 (L)", "56"),
                ("59 (XL)", "59 (XL)", "59"),
            )
        ],
        "per": {
            "50": {"weight": 9550, "metafields": {"frame_stack_reach_mm": "548 / 378", "stock_location": "A3-10"}},
            "56": {"metafields": {"frame_stack_reach_mm": "581 / 386", "stock_location": "A3-12"}},
            "59": {"weight": 10050},
        },
        "default": ("56",),
        "metafields": {
            "warranty_years": "10",
            "meta_keywords_nl": "gravelbike, grx, bikepacking, groningen",
            "meta_keywords_en": "gravel bike, grx, bikepacking",
        },
        "relations": [BIDON, FRAMETAS, ZWERVER],
    },
    {
        "id": LAUWERSMEER,
        "url": t("lauwersmeer-limited-edition-racefiets", "lauwersmeer-limited-edition-road-bike"),
        "title": t("Lauwersmeer racefiets – limited edition", "Lauwersmeer road bike – limited edition"),
        "fulltitle": t(
            "Atelier Noord Lauwersmeer carbon racefiets, limited edition (25 stuks)",
            "Atelier Noord Lauwersmeer carbon road bike, limited edition (25 made)",
        ),
        "description": t(
            "Carbon racefiets in de kleuren van het Lauwersmeer bij zonsopkomst. Slechts 25 exemplaren, genummerd.",
            "Carbon road bike in the colours of the Lauwersmeer at sunrise. Only 25 made, each one numbered.",
        ),
        "content": t(
            "<h3>Eén oplage, 25 fietsen</h3>\n"
            "<p>Voor ons tienjarig bestaan lieten we 25 carbon frames spuiten in de kleuren van het Lauwersmeer bij zonsopkomst: van diep nachtblauw naar zacht oranje. Elk frame heeft een <em>genummerd</em> koperen plaatje op de bovenbuis.</p>\n"
            "<ul>\n<li>Carbon frame en vork, 7,6 kg compleet</li>\n<li>Shimano 105 Di2, 2×12 versnellingen</li>\n<li>Carbon wielen, 45 mm velghoogte</li>\n<li>Alleen in maat 56 (1,78–1,88 m)</li>\n</ul>\n"
            "<p><strong>Let op:</strong> maximaal één per klant. Op = op.</p>\n",
            "<h3>One run, 25 bikes</h3>\n"
            "<p>To celebrate our tenth birthday we had 25 carbon frames painted in the colours of the Lauwersmeer at sunrise: from deep midnight blue to soft orange. Every frame carries a <em>numbered</em> brass plate on the top tube.</p>\n"
            "<ul>\n<li>Carbon frame and fork, 7.6 kg complete</li>\n<li>Shimano 105 Di2, 2×12 speed</li>\n<li>Carbon wheels, 45 mm rim depth</li>\n<li>Size 56 only (1.78–1.88 m)</li>\n</ul>\n"
            "<p><strong>Please note:</strong> one per customer. When they're gone, they're gone.</p>\n",
        ),
        "visibility": "auto",
        "data": ("Limited edition", "25", ""),
        "brand": ATELIER_NOORD,
        "deliverydate": OP_BESTELLING,
        "categories": [RACEFIETSEN],
        "tags": [NIEUW],
        "images": [
            img("lauwersmeer-zijkant", "jpg", "bike", "#f08a4b", "side"),
            img("lauwersmeer-naamplaatje", "jpg", "bike", "#f08a4b", "detail"),
            img("lauwersmeer-kleurverloop", "png", "swatch", "#1d2a5b"),
        ],
        "code": "AN-LWM-LTD",
        "hs": "87120030",
        "ean": False,
        "price": 3499,
        "old": 3899,
        "tracking": "enabled",
        "alert": 3,
        "buy": (1, 1),
        "weight": 7600,
        "wunit": "kg",
        "size": (140, 78, 20),
        "metafields": {"warranty_years": "10", "edition_size": "25"},
    },
    {
        "id": KUSTWEG,
        "url": t("kustweg-105-racefiets", "kustweg-105-road-bike"),
        "title": t("Kustweg 105 racefiets", "Kustweg 105 road bike"),
        "fulltitle": t(
            "Atelier Noord Kustweg 105 aluminium racefiets", "Atelier Noord Kustweg 105 aluminium road bike"
        ),
        "description": t(
            "Comfortabele endurance-racefiets met Shimano 105 en schijfremmen. Ideaal voor je eerste toertocht.",
            "Comfortable endurance road bike with Shimano 105 and disc brakes. Ideal for your first sportive.",
        ),
        "content": t(
            "<p>De <strong>Kustweg</strong> zit iets rechter dan een pure wedstrijdfiets, zodat je ook na 120 km nog fris van het zadel stapt. Er passen banden tot 32 mm in en spatborden, dus hij gaat het hele jaar mee.</p>\n"
            + _table(
                [
                    ("Frame", "Aluminium 6061"),
                    ("Groep", "Shimano 105, 2×12"),
                    ("Remmen", "Hydraulische schijfremmen"),
                    ("Banden", "700×30C"),
                    ("Gewicht", "8,9 kg"),
                ]
            )
            + "\n<p>Tijdelijk met € 150,– korting.</p>",
            "<p>The <strong>Kustweg</strong> sits slightly more upright than a pure race bike, so you still step off fresh after 120 km. It takes tyres up to 32 mm and mudguards, so it's a bike for all seasons.</p>\n"
            + _table(
                [
                    ("Frame", "6061 aluminium"),
                    ("Groupset", "Shimano 105, 2×12"),
                    ("Brakes", "Hydraulic disc brakes"),
                    ("Tyres", "700×30C"),
                    ("Weight", "8.9 kg"),
                ]
            )
            + "\n<p>Now €150 off for a limited time.</p>",
        ),
        "brand": ATELIER_NOORD,
        "deliverydate": OP_BESTELLING,
        "categories": [RACEFIETSEN],
        "tags": [BESTSELLER],
        "images": [
            img("kustweg-105-zijkant", "jpg", "bike", "#c0392b", "side"),
            img("kustweg-105-achterbrug", "jpg", "bike", "#c0392b", "detail"),
        ],
        "code": "AN-KW105",
        "hs": "87120030",
        "price": 1649,
        "old": 1799,
        "tracking": "indicator",
        "weight": 8900,
        "wunit": "kg",
        "size": (140, 78, 20),
        "options": [opt("Framemaat", "Frame size", ("52", "52", "52"), ("55", "55", "55"), ("58", "58", "58"))],
        "relations": [BIDON, DIJK_80],
    },
    {
        "id": WADDEN_FRAMESET,
        "url": t("wadden-frameset", "wadden-frameset"),
        "title": t("Wadden frameset", "Wadden frameset"),
        "fulltitle": t("Atelier Noord Wadden frameset (voorverkoop)", "Atelier Noord Wadden frameset (pre-order)"),
        "description": t("", ""),
        "content": t(
            "<p>Frame, carbon vork, balhoofdset en steekassen van de Wadden GRX, om zelf op te bouwen.</p>\n<p><em>Nog niet zichtbaar in de winkel – tekst volgt.</em></p>",
            "<p>Frame, carbon fork, headset and thru-axles of the Wadden GRX, for your own build.</p>\n<p><em>Not shown in the shop yet – copy to follow.</em></p>",
        ),
        "visibility": "hidden",
        "brand": ATELIER_NOORD,
        "deliverydate": OP_BESTELLING,
        "categories": [GRAVELBIKES],
        "images": [img("wadden-frameset", "png", "frame", "#2f6f62")],
        "code": "AN-WGRX-FS",
        "hs": "87149110",
        "ean": False,
        "price": 899,
        "tracking": "indicator",
        "alert": 0,
        "weight": 2350,
        "wunit": "kg",
        "size": (120, 70, 18),
    },
    # --- tyres and tubes -----------------------------------------------------------------
    {
        "id": DUINPAD,
        "url": t("kustlijn-duinpad-gravelband", "kustlijn-duinpad-gravel-tyre"),
        "title": t("Kustlijn Duinpad gravelband", "Kustlijn Duinpad gravel tyre"),
        "fulltitle": t(
            "Kustlijn Duinpad gravelband 700C, tubeless-ready, vouwband",
            "Kustlijn Duinpad gravel tyre 700C, tubeless-ready, folding",
        ),
        "description": t(
            "Snelle gravelband met een gesloten middenprofiel en grip op de flanken. Tubeless-ready.",
            "Fast gravel tyre with a closed centre tread and grippy shoulders. Tubeless-ready.",
        ),
        "content": t(
            "<p>De <strong>Duinpad</strong> rolt op asfalt bijna als een racefietsband, maar houdt op los zand en schelpen verrassend goed grip. De anti-lekstrook onder het loopvlak houdt glas en doorns buiten.</p>\n"
            "<ul>\n<li>ETRTO 38-622 of 45-622</li>\n<li>Aramide hiel (vouwband)</li>\n<li>Bandenspanning 2,5–5 bar</li>\n<li>Leverbaar met zwarte of bruine wang</li>\n</ul>",
            "<p>The <strong>Duinpad</strong> rolls almost like a road tyre on tarmac, yet grips surprisingly well on loose sand and shells. The puncture strip under the tread keeps glass and thorns out.</p>\n"
            "<ul>\n<li>ETRTO 38-622 or 45-622</li>\n<li>Aramid bead (folding)</li>\n<li>Pressure 2.5–5 bar</li>\n<li>Available with black or tan sidewalls</li>\n</ul>",
        ),
        "brand": KUSTLIJN,
        "deliverydate": SNEL,
        "categories": [BANDEN],
        "tags": [BESTSELLER, BIKEPACKING],
        "images": [
            img("duinpad-zwart", "jpg", "tyre", "#2b2b2b"),
            img("duinpad-bruine-wang", "jpg", "tyre", "#9a6b3f"),
            img("duinpad-profiel", "png", "tyre", "#2b2b2b", "detail"),
        ],
        "code": "KL-DP",
        "hs": "40115000",
        "price": 44.95,
        "tracking": "enabled",
        "buy": (1, 10),
        "weight": 455,
        "wunit": "g",
        "size": (30, 30, 8),
        "options": [
            opt("Breedte", "Width", ("38 mm", "38 mm", "38"), ("45 mm", "45 mm", "45")),
            opt("Wang", "Sidewall", ("Zwart", "Black", "ZW"), ("Bruin", "Tan", "BR")),
        ],
        "per": {
            "45": {"price": 46.95, "weight": 520},
            "ZW": {"image": "duinpad-zwart"},
            "BR": {"image": "duinpad-bruine-wang"},
        },
        "metafields": {"gtin_override": "2004180377011"},
    },
    {
        "id": BINNENBAND_RACE,
        "url": t("binnenband-700x28-32c-presta", "inner-tube-700x28-32c-presta"),
        "title": t("Binnenband 700×28–32C Presta", "Inner tube 700×28–32C Presta"),
        "fulltitle": t(
            "Binnenband 700×28–32C met Presta-ventiel 48 mm", "Inner tube 700×28–32C with 48 mm Presta valve"
        ),
        "description": t(
            "Butyl binnenband voor race- en gravelbanden van 28 tot 32 mm. Per 2 stuks te bestellen.",
            "Butyl inner tube for road and gravel tyres from 28 to 32 mm. Sold in pairs.",
        ),
        "content": t(
            "<p>Een reserveband hoort in elke zadeltas. Deze butyl binnenband past op banden van <strong>28 tot 32 mm</strong> breed en heeft een afneembaar ventielhuis, dus je kunt er ventielverlengers op gebruiken.</p>\n<p>Minimaal 2 stuks per bestelling: één om te plakken, één voor onderweg.</p>\n",
            "<p>A spare tube belongs in every saddle bag. This butyl tube fits tyres <strong>28 to 32 mm</strong> wide and has a removable valve core, so valve extenders work too.</p>\n<p>Minimum order of 2: one to patch, one for the road.</p>\n",
        ),
        "deliverydate": SNEL,
        "categories": [BANDEN],
        "images": [img("binnenband-presta", "png", "tube", "#333333")],
        "code": "BB-700-28P48",
        "hs": "40132000",
        "price": 6.95,
        "tracking": "enabled",
        "alert": 20,
        "minimum": 10,
        "buy": (2, 10000),
        "weight": 105,
        "wunit": "g",
        "size": (12, 9, 4),
        "metafields": {
            "meta_keywords_nl": "binnenband, presta, racefiets",
            "meta_keywords_en": "inner tube, presta, road bike",
        },
    },
    {
        "id": BINNENBAND_MTB,
        "url": t("binnenband-29-inch", "inner-tube-29-inch"),
        "title": t("Binnenband 29 inch", "Inner tube 29 inch"),
        "fulltitle": t(
            "Binnenband 29×2,10–2,40 voor mountainbike en gravel",
            "Inner tube 29×2.10–2.40 for mountain and gravel bikes",
        ),
        "description": t(
            "Stevige binnenband voor brede 29-inch banden, met Presta- of autoventiel.",
            "Sturdy inner tube for wide 29-inch tyres, with a Presta or Schrader valve.",
        ),
        "content": t(
            "<p>Voor 29-inch banden van 2,10 tot 2,40 inch breed (54–60 mm). Kies het ventiel dat in je velg past:</p>\n<ul>\n<li><strong>Presta</strong> (racefietsventiel), 48 mm</li>\n<li><strong>Schrader</strong> (autoventiel), 40 mm</li>\n</ul>",
            "<p>For 29-inch tyres 2.10 to 2.40 inches wide (54–60 mm). Pick the valve that fits your rim:</p>\n<ul>\n<li><strong>Presta</strong>, 48 mm</li>\n<li><strong>Schrader</strong> (car valve), 40 mm</li>\n</ul>",
        ),
        "deliverydate": SNEL,
        "categories": [BANDEN],
        "code": "BB-29-210",
        "hs": "40132000",
        "price": 7.95,
        "tracking": "enabled",
        "alert": 10,
        "buy": (2, 10000),
        "weight": 185,
        "wunit": "g",
        "size": (14, 10, 5),
        "options": [
            opt("Ventiel", "Valve", ("Presta 48 mm", "Presta 48 mm", "P48"), ("Auto 40 mm", "Schrader 40 mm", "AV40"))
        ],
        "per": {"AV40": {"weight": 190}},
    },
    {
        "id": SEALANT,
        "url": t("kustlijn-tubeless-sealant-500-ml", "kustlijn-tubeless-sealant-500-ml"),
        "title": t("Kustlijn tubeless sealant 500 ml", "Kustlijn tubeless sealant 500 ml"),
        "fulltitle": t("Kustlijn tubeless sealant op latexbasis, 500 ml", "Kustlijn latex tubeless sealant, 500 ml"),
        "description": t(
            "Dicht gaatjes tot 6 mm, blijft tot 6 maanden vloeibaar. Genoeg voor 4–6 banden.",
            "Seals holes up to 6 mm and stays liquid for up to 6 months. Enough for 4–6 tyres.",
        ),
        "content": t(
            "<p>Onze favoriete sealant voor gravel en MTB: dicht snel, verstopt je ventiel niet en is <strong>ammoniakvrij</strong>.</p>\n"
            "<ol>\n<li>Schud de fles goed.</li>\n<li>Gebruik 60–90 ml per gravelband, 90–120 ml per MTB-band.</li>\n<li>Pomp op en draai het wiel rond zodat de sealant zich verdeelt.</li>\n</ol>\n"
            "<p>Bewaren tussen 5 en 30 °C. Na 3–6 maanden bijvullen.</p>",
            "<p>Our favourite sealant for gravel and MTB: seals fast, doesn't clog your valve and is <strong>ammonia-free</strong>.</p>\n"
            "<ol>\n<li>Shake the bottle well.</li>\n<li>Use 60–90 ml per gravel tyre, 90–120 ml per MTB tyre.</li>\n<li>Inflate and spin the wheel so the sealant spreads.</li>\n</ol>\n"
            "<p>Store between 5 and 30 °C. Top up every 3–6 months.</p>",
        ),
        "brand": KUSTLIJN,
        "deliverydate": NORMAAL,
        "categories": [BANDEN],
        "tags": [DUURZAAM],
        "images": [
            img("tubeless-sealant-fles", "png", "bottle", "#e0a526"),
            img("tubeless-sealant-gebruik", "jpg", "bottle", "#e0a526", "detail"),
        ],
        "code": "KL-SEAL-500",
        "hs": "38249992",
        "price": 19.95,
        "tracking": "indicator",
        "weight": 560,
        "wunit": "g",
        "volume": 500,
        "size": (7, 22, 7),
    },
    {
        "id": BANDENLICHTERS,
        "url": t("bandenlichters-set-van-3", "tyre-levers-set-of-3"),
        "title": t("Bandenlichters (set van 3)", "Tyre levers (set of 3)"),
        "fulltitle": t(
            "Bandenlichters van glasvezelversterkt nylon, set van 3",
            "Glass-fibre reinforced nylon tyre levers, set of 3",
        ),
        "description": t(
            "Sterke kunststof bandenlichters die je velg niet beschadigen.",
            "Strong plastic tyre levers that won't damage your rims.",
        ),
        "content": t(
            "<p>Drie bandenlichters die in elkaar klikken, met een haakje om ze aan een spaak te hangen. Past in elke zadeltas.</p>",
            "<p>Three tyre levers that clip together, with a hook to hang them on a spoke. Fits in any saddle bag.</p>",
        ),
        "deliverydate": SNEL,
        "categories": [BANDEN, ONDERDELEN],
        "code": "GR-BL3",
        "hs": None,
        "price": 3.95,
        "tracking": "disabled",
        "alert": 0,
        "buy": (1, 50),
        "weight": 36,
        "wunit": "g",
        "size": (11, 2, 1),
    },
    # --- lights --------------------------------------------------------------------------
    {
        "id": DIJK_80,
        "url": t("polderlicht-dijk-80-koplamp", "polderlicht-dijk-80-front-light"),
        "title": t("Polderlicht Dijk 80 koplamp", "Polderlicht Dijk 80 front light"),
        "fulltitle": t(
            "Polderlicht Dijk 80 koplamp, 80 lux, USB-C, StVZO", "Polderlicht Dijk 80 front light, 80 lux, USB-C, StVZO"
        ),
        "description": t(
            "Heldere koplamp met een scherpe lichtlijn, dus geen verblinde tegenliggers. Tot 12 uur brandduur.",
            "Bright front light with a sharp cut-off, so no dazzled oncoming riders. Up to 12 hours of run time.",
        ),
        "content": t(
            "<p>Met <strong>80 lux</strong> zie je het fietspad door de polder ook zonder straatverlichting. Het StVZO-lichtbeeld schijnt de weg bij en niet in de ogen van tegenliggers.</p>\n"
            "<table>\n<tbody>\n<tr><th>Stand</th><th>Lichtsterkte</th><th>Brandduur</th></tr>\n<tr><td>Hoog</td><td>80 lux</td><td>2,5 uur</td></tr>\n<tr><td>Midden</td><td>40 lux</td><td>5 uur</td></tr>\n<tr><td>Eco</td><td>15 lux</td><td>12 uur</td></tr>\n</tbody>\n</table>\n"
            "<ul>\n<li>Opladen via USB-C in 3 uur</li>\n<li>Waterdicht volgens IPX6</li>\n<li>Stuurhouder voor 22–35 mm, zonder gereedschap</li>\n</ul>\n"
            "<p>Let op: in Duitsland is een StVZO-keur verplicht. Deze lamp heeft die – <em>Gute Fahrt!</em></p>\n",
            "<p>With <strong>80 lux</strong> you can see the cycle path through the polder even without street lights. The StVZO beam lights the road, not the eyes of oncoming riders.</p>\n"
            "<table>\n<tbody>\n<tr><th>Mode</th><th>Output</th><th>Run time</th></tr>\n<tr><td>High</td><td>80 lux</td><td>2.5 hours</td></tr>\n<tr><td>Medium</td><td>40 lux</td><td>5 hours</td></tr>\n<tr><td>Eco</td><td>15 lux</td><td>12 hours</td></tr>\n</tbody>\n</table>\n"
            "<ul>\n<li>Charges via USB-C in 3 hours</li>\n<li>IPX6 waterproof</li>\n<li>Tool-free handlebar mount for 22–35 mm</li>\n</ul>\n"
            "<p>Good to know: StVZO approval is required in Germany. This light has it – <em>Gute Fahrt!</em></p>\n",
        ),
        "line_ends": "crlf",
        "brand": POLDERLICHT,
        "deliverydate": SNEL,
        "categories": [VERLICHTING],
        "tags": [WINTERKLAAR],
        "images": [
            img("dijk-80-koplamp", "jpg", "front-light", "#1f1f1f"),
            img("dijk-80-lichtbeeld", "jpg", "front-light", "#1f1f1f", "beam"),
            img("dijk-80-usb-c", "png", "front-light", "#1f1f1f", "detail"),
        ],
        "code": "PL-DIJK80",
        "hs": "85131000",
        "price": 54.95,
        "old": 64.95,
        "tracking": "enabled",
        "weight": 118,
        "wunit": "g",
        "size": (10, 4, 4),
        "metafields": {
            "warranty_years": "2",
            "meta_keywords_nl": "fietslamp, koplamp, stvzo, usb-c",
            "meta_keywords_en": "bike light, front light, stvzo, usb-c",
        },
        "relations": [SLUIS, LAMPSET],
    },
    {
        "id": SLUIS,
        "url": t("polderlicht-sluis-achterlicht", "polderlicht-sluis-rear-light"),
        "title": t("Polderlicht Sluis achterlicht", "Polderlicht Sluis rear light"),
        "fulltitle": t(
            "Polderlicht Sluis achterlicht met remlichtfunctie",
            "Polderlicht Sluis rear light with brake light function",
        ),
        "description": t(
            "Compact achterlicht dat feller brandt als je remt. Voor zadelpen of bagagedrager.",
            "Compact rear light that glows brighter when you brake. For seat post or rear rack.",
        ),
        "content": t(
            "<p>De <strong>Sluis</strong> merkt met een bewegingssensor dat je afremt en brandt dan twee seconden extra fel. Handig in het stadsverkeer.</p>\n<ul>\n<li>Zichtbaar tot 500 m</li>\n<li>Tot 20 uur brandduur</li>\n<li>Opladen via USB-C</li>\n</ul>",
            "<p>The <strong>Sluis</strong> uses a motion sensor to notice when you brake and glows extra bright for two seconds. Handy in city traffic.</p>\n<ul>\n<li>Visible up to 500 m</li>\n<li>Up to 20 hours of run time</li>\n<li>Charges via USB-C</li>\n</ul>",
        ),
        "brand": POLDERLICHT,
        "deliverydate": SNEL,
        "categories": [VERLICHTING],
        "tags": [WINTERKLAAR, REFLECTEREND],
        "images": [
            img("sluis-zadelpen", "jpg", "rear-light", "#d62d20"),
            img("sluis-bagagedrager", "jpg", "rear-light", "#d62d20", "rack"),
        ],
        "code": "PL-SLUIS",
        "hs": "85131000",
        "price": 24.95,
        "tracking": "enabled",
        "weight": 42,
        "wunit": "g",
        "size": (6, 4, 3),
        "options": [opt("Montage", "Mount", ("Zadelpen", "Seat post", "ZP"), ("Bagagedrager", "Rear rack", "BD"))],
        "per": {"ZP": {"image": "sluis-zadelpen"}, "BD": {"image": "sluis-bagagedrager", "weight": 48}},
    },
    {
        "id": LAMPSET,
        "url": t("polderlicht-lampset-dijk-sluis", "polderlicht-light-set-dijk-sluis"),
        "title": t("Polderlicht lampset Dijk + Sluis", "Polderlicht light set Dijk + Sluis"),
        "fulltitle": t(
            "Polderlicht lampset: Dijk 80 koplamp + Sluis achterlicht",
            "Polderlicht light set: Dijk 80 front + Sluis rear",
        ),
        "description": t(
            "Voor- en achterlicht samen, in een cadeauverpakking. Je bespaart bijna € 10,–.",
            "Front and rear light together in a gift box. You save almost €10.",
        ),
        "content": t(
            '<p>De <a href="/polderlicht-dijk-80-koplamp.html">Dijk 80</a> en de <a href="/polderlicht-sluis-achterlicht.html">Sluis</a> samen in één doos, met twee USB-C-kabels. Het ideale cadeau voor de donkere maanden.</p>',
            '<p>The <a href="/en/polderlicht-dijk-80-front-light.html">Dijk 80</a> and the <a href="/en/polderlicht-sluis-rear-light.html">Sluis</a> together in one box, with two USB-C cables. The perfect gift for the dark months.</p>',
        ),
        "brand": POLDERLICHT,
        "deliverydate": SNEL,
        "categories": [VERLICHTING],
        "tags": [CADEAUTIP, WINTERKLAAR],
        "images": [img("lampset-dijk-sluis", "png", "light-set", "#1f1f1f")],
        "code": "PL-SET-DS",
        "hs": "85131000",
        "price": 69.95,
        "old": 79.95,
        "tracking": "enabled",
        "weight": 190,
        "wunit": "g",
        "size": (18, 12, 6),
        "relations": [DIJK_80, SLUIS],
    },
    # --- care, tools, accessories --------------------------------------------------------
    {
        "id": KETTINGOLIE,
        "url": t("kettingolie-nat-100-ml", "chain-lube-wet-100-ml"),
        "title": t("Kettingolie nat weer 100 ml", "Wet chain lube 100 ml"),
        "fulltitle": t(
            "Biologisch afbreekbare kettingolie voor nat weer, 100 ml", "Biodegradable wet-weather chain lube, 100 ml"
        ),
        "description": t(
            "Plantaardige kettingolie die blijft zitten, ook na een natte rit.",
            "Plant-based chain lube that stays put, even after a wet ride.",
        ),
        "content": t(
            "<p>We mengen deze olie zelf op basis van koolzaadolie. Hij is <strong>biologisch afbreekbaar</strong> en spoelt niet weg in de regen.</p>\n<p>Tip: één druppel per schakel, even laten intrekken en de rest afvegen.</p>",
            "<p>We blend this lube ourselves from rapeseed oil. It's <strong>biodegradable</strong> and doesn't wash off in the rain.</p>\n<p>Tip: one drop per link, let it soak in and wipe off the rest.</p>",
        ),
        "deliverydate": SNEL,
        "categories": [ONDERDELEN],
        "tags": [DUURZAAM],
        "images": [img("kettingolie-nat", "png", "oil", "#3a7d44")],
        "code": "FN-OLIE-NAT100",
        "hs": "34039900",
        "ean": False,
        "price": 7.5,
        "tracking": "disabled",
        "alert": 0,
        "weight": 115,
        "wunit": "g",
        "volume": 100,
        "size": (4, 14, 4),
        "metafields": {"meta_keywords_nl": "kettingolie, smeermiddel, nat", "meta_keywords_en": "chain lube, wet lube"},
    },
    {
        "id": MULTITOOL,
        "url": t("atelier-noord-multitool-16", "atelier-noord-multi-tool-16"),
        "title": t("Atelier Noord multitool 16", "Atelier Noord multi-tool 16"),
        "fulltitle": t(
            "Atelier Noord multitool met 16 functies en kettingpons",
            "Atelier Noord 16-function multi-tool with chain breaker",
        ),
        "description": t(
            "Zestien functies, inclusief kettingpons en tubeless-plugtool, in 168 gram.",
            "Sixteen functions including a chain breaker and tubeless plug tool, in 168 grams.",
        ),
        # Pasted from the supplier's sheet: tab-indented list items, trailing spaces at line ends.
        "content": t(
            "<p>Alles wat je onderweg nodig hebt, in één stuk gereedschap. </p>\n<ul>\n"
            "\t<li>Inbus 2, 2,5, 3, 4, 5, 6 en 8 mm</li>  \n"
            "\t<li>Torx T25 en kruiskopschroevendraaier</li> \n"
            "\t<li>Kettingpons voor 8–12 speed</li>\n"
            "\t<li>Spaaksleutels 3,2 / 3,4 / 3,5 mm</li>\n"
            "\t<li>Tubeless-plugtool met 2 plugs</li>\t\n"
            "</ul>\n<p>Behuizing van aluminium, staal van S2-kwaliteit. Levenslange garantie op breuk.</p>",
            "<p>Everything you need on the road, in a single tool. </p>\n<ul>\n"
            "\t<li>Hex keys 2, 2.5, 3, 4, 5, 6 and 8 mm</li>  \n"
            "\t<li>Torx T25 and Phillips screwdriver</li> \n"
            "\t<li>Chain breaker for 8–12 speed</li>\n"
            "\t<li>Spoke keys 3.2 / 3.4 / 3.5 mm</li>\n"
            "\t<li>Tubeless plug tool with 2 plugs</li>\t\n"
            "</ul>\n<p>Aluminium body, S2-grade steel bits. Lifetime warranty against breakage.</p>",
        ),
        "brand": ATELIER_NOORD,
        "deliverydate": SNEL,
        "categories": [ONDERDELEN],
        "tags": [CADEAUTIP, BIKEPACKING],
        "images": [
            img("multitool-16-dicht", "jpg", "multitool", "#7a7f85"),
            img("multitool-16-open", "jpg", "multitool", "#7a7f85", "open"),
        ],
        "code": "AN-MT16",
        "hs": "82055980",
        "price": 29.95,
        "tracking": "enabled",
        "weight": 168,
        "wunit": "g",
        "size": (9, 4, 2),
        "metafields": {"warranty_years": "99"},
    },
    {
        "id": BIDON,
        "url": t("atelier-noord-bidon-750-ml", "atelier-noord-water-bottle-750-ml"),
        "title": t("Atelier Noord bidon 750 ml", "Atelier Noord water bottle 750 ml"),
        "fulltitle": t(
            "Atelier Noord bidon 750 ml, BPA-vrij, met knijpventiel",
            "Atelier Noord 750 ml water bottle, BPA-free, squeeze valve",
        ),
        "description": t(
            "Zachte knijpbidon van BPA-vrij, plantaardig kunststof. Vaatwasserbestendig.",
            "Soft squeeze bottle made from BPA-free, plant-based plastic. Dishwasher safe.",
        ),
        "content": t(
            "<p>Drinken zonder te knoeien 💧 Het zelfsluitende ventiel lekt niet, ook niet ondersteboven in je fietstas.</p>\n"
            "<ul>\n<li>Inhoud 750 ml</li>\n<li>Gemaakt van suikerriet-PE, BPA-vrij</li>\n<li>Past in elke standaard bidonhouder</li>\n<li>Vaatwasserbestendig tot 60 °C</li>\n</ul>\n",
            "<p>Drink without the mess 💧 The self-closing valve doesn't leak, not even upside down in your pannier.</p>\n"
            "<ul>\n<li>750 ml capacity</li>\n<li>Made from sugarcane PE, BPA-free</li>\n<li>Fits any standard bottle cage</li>\n<li>Dishwasher safe up to 60 °C</li>\n</ul>\n",
        ),
        "brand": ATELIER_NOORD,
        "deliverydate": SNEL,
        "categories": [ONDERDELEN],
        "tags": [DUURZAAM, CADEAUTIP],
        "images": [
            img("bidon-helder", "png", "water-bottle", "#cfe8f3"),
            img("bidon-rookgrijs", "png", "water-bottle", "#5d6166"),
            img("bidon-mosgroen", "png", "water-bottle", "#6b7d3a"),
        ],
        "code": "AN-BID750",
        "hs": "39241000",
        "price": 8.95,
        "tracking": "enabled",
        "alert": 10,
        "weight": 92,
        "wunit": "g",
        "volume": 750,
        "size": (7, 24, 7),
        "options": [
            opt(
                "Kleur",
                "Color",
                ("Helder", "Clear", "HE"),
                ("Rookgrijs", "Smoke Grey", "RG"),
                ("Mosgroen", "Moss Green", "MG"),
            )
        ],
        "per": {"HE": {"image": "bidon-helder"}, "RG": {"image": "bidon-rookgrijs"}, "MG": {"image": "bidon-mosgroen"}},
        "metafields": {"material": "Suikerriet-PE / sugarcane PE"},
    },
    # --- clothing ------------------------------------------------------------------------
    {
        "id": NOORDERZON_HEREN,
        "url": t("noorderzon-fietsshirt-heren", "noorderzon-cycling-jersey-men"),
        "title": t("Noorderzon fietsshirt heren", "Noorderzon cycling jersey men"),
        "fulltitle": t(
            "Atelier Noord Noorderzon fietsshirt korte mouw heren",
            "Atelier Noord Noorderzon short-sleeve cycling jersey men",
        ),
        "description": t(
            "Licht fietsshirt van gerecycled polyester met drie achterzakken en een ritszak. Regular fit.",
            "Light jersey made from recycled polyester with three rear pockets and a zipped pocket. Regular fit.",
        ),
        "content": t(
            "<p>Het <strong>Noorderzon</strong>-shirt is ons antwoord op de vraag: “Waarom zitten fietsshirts altijd óf te strak óf te los?” Een regular fit die niet flappert, van stof die snel droogt.</p>\n"
            "<h4>Kenmerken</h4>\n<ul>\n<li>Gemaakt van 88% gerecycled polyester &amp; 12% elastaan</li>\n<li>Drie open achterzakken + één ritszak voor sleutels</li>\n<li>Reflecterende bies op de achterzakken</li>\n<li>Siliconen tailleband die blijft zitten</li>\n</ul>\n"
            + _table(
                [
                    ("Pasvorm", "Regular fit"),
                    ("Materiaal", "88% polyester (gerecycled), 12% elastaan"),
                    ("Wassen", "30 °C, niet in de droger"),
                    ("Gewicht", "135 g (maat M)"),
                ]
            )
            + '\n<p>Bekijk de <a href="/service/maattabel">maattabel</a> – bij twijfel kies je de grotere maat.</p>\n',
            "<p>The <strong>Noorderzon</strong> jersey is our answer to the question: “Why are jerseys always either too tight or too loose?” A regular fit that doesn't flap, in a fabric that dries fast.</p>\n"
            "<h4>Features</h4>\n<ul>\n<li>Made from 88% recycled polyester &amp; 12% elastane</li>\n<li>Three open rear pockets + one zipped pocket for keys</li>\n<li>Reflective piping on the rear pockets</li>\n<li>Silicone waist gripper that stays put</li>\n</ul>\n"
            + _table(
                [
                    ("Fit", "Regular fit"),
                    ("Material", "88% polyester (recycled), 12% elastane"),
                    ("Care", "30 °C, do not tumble dry"),
                    ("Weight", "135 g (size M)"),
                ]
            )
            + '\n<p>Check the <a href="/en/service/size-chart">size chart</a> – if in doubt, size up.</p>\n',
        ),
        "data": ("Nieuw", "", ""),
        "brand": ATELIER_NOORD,
        "deliverydate": SNEL,
        "categories": [SHIRTS, FIETSKLEDING],
        "tags": [NIEUW, BESTSELLER, REFLECTEREND],
        "images": [
            img("noorderzon-zwart-voorkant", "jpg", "jersey", "#1e1e1e", "front"),
            img("noorderzon-zwart-achterkant", "jpg", "jersey", "#1e1e1e", "back"),
            img("noorderzon-mosgroen-voorkant", "jpg", "jersey", "#6b7d3a", "front"),
            img("noorderzon-mosgroen-achterkant", "jpg", "jersey", "#6b7d3a", "back"),
            img("noorderzon-stof-detail", "png", "jersey", "#6b7d3a", "detail"),
        ],
        "code": "AN-NZ-H",
        "hs": "61143000",
        "price": 89.95,
        "tracking": "enabled",
        "weight": 135,
        "wunit": "kg",
        "size": (30, 3, 25),
        "options": [
            opt("Kleur", "Color", ("Zwart", "Black", "ZW"), ("Mosgroen", "Moss Green", "MG")),
            opt("Maat", "Size", *sizes("S", "M", "L", "XL")),
        ],
        "per": {
            "ZW": {"image": "noorderzon-zwart-voorkant"},
            "MG": {"image": "noorderzon-mosgroen-voorkant", "price": 69.95, "old": 89.95},
            "XL": {"weight": 150, "tracking": "indicator"},
        },
        "default": ("ZW", "M"),
        "metafields": {
            "size_chart": "shirts-heren",
            "meta_keywords_nl": "fietsshirt, wielershirt, gerecycled",
            "meta_keywords_en": "cycling jersey, recycled",
        },
        "relations": [SOKKEN, REGENJAS, NOORDERZON_DAMES],
    },
    {
        "id": NOORDERZON_DAMES,
        "url": t("noorderzon-fietsshirt-dames", "noorderzon-cycling-jersey-women"),
        "title": t("Noorderzon fietsshirt dames", "Noorderzon cycling jersey women"),
        "fulltitle": t(
            "Atelier Noord Noorderzon fietsshirt korte mouw dames",
            "Atelier Noord Noorderzon short-sleeve cycling jersey women",
        ),
        "description": t(
            "Het Noorderzon-shirt in een damespasvorm: iets korter in de romp, ruimer over de heupen.",
            "The Noorderzon jersey in a women's cut: slightly shorter in the body, roomier at the hips.",
        ),
        "content": t(
            "<p>Dezelfde gerecyclede stof en slimme zakken als het herenshirt, maar dan met een pasvorm die echt voor vrouwen is ontworpen – niet alleen kleiner gemaakt.</p>\n<ul>\n<li>Kortere romp, ruimer over de heupen</li>\n<li>Kraag iets lager uitgesneden</li>\n<li>Kleur: zeeblauw met oker bies</li>\n</ul>",
            "<p>The same recycled fabric and clever pockets as the men's jersey, with a cut that is genuinely designed for women – not just scaled down.</p>\n<ul>\n<li>Shorter body, roomier at the hips</li>\n<li>Slightly lower collar</li>\n<li>Colour: sea blue with ochre piping</li>\n</ul>",
        ),
        "brand": ATELIER_NOORD,
        "deliverydate": SNEL,
        "categories": [SHIRTS],
        "tags": [NIEUW],
        "images": [
            img("noorderzon-dames-voorkant", "jpg", "jersey", "#1f5f8b", "front"),
            img("noorderzon-dames-achterkant", "jpg", "jersey", "#1f5f8b", "back"),
        ],
        "code": "AN-NZ-D",
        "hs": "61143000",
        "price": 89.95,
        "tracking": "enabled",
        "weight": 125,
        "wunit": "kg",
        "size": (30, 3, 25),
        "options": [opt("Maat", "Size", *sizes("XS", "S", "M", "L"))],
        "default": ("S",),
        "relations": [NOORDERZON_HEREN],
    },
    {
        "id": MERINO,
        "url": t("waddenwol-merino-ondershirt-lange-mouw", "waddenwol-merino-base-layer-long-sleeve"),
        "title": t("Waddenwol merino ondershirt lange mouw", "Waddenwol merino base layer long sleeve"),
        "fulltitle": t(
            "Waddenwol merino ondershirt lange mouw, 150 g/m²", "Waddenwol merino long-sleeve base layer, 150 g/m²"
        ),
        "description": t(
            "Warm als het koud is, koel als je zweet – en het gaat niet stinken. 100% merinowol.",
            "Warm when it's cold, cool when you sweat – and it won't get smelly. 100% merino wool.",
        ),
        "content": t(
            "<p>Merinowol is het geheime wapen van de wintertoerfietser: het regelt je temperatuur, voelt niet klam aan en neemt nauwelijks geurtjes op. Na een meerdaagse tocht kan dit shirt gewoon nog een dag mee.</p>\n"
            "<ul>\n<li>100% merinowol, 150 g/m², mulesingvrij</li>\n<li>Platte naden, geen schuurplekken onder je rugzak</li>\n<li>Wassen op 30 °C met wolwasmiddel</li>\n</ul>\n",
            "<p>Merino is the winter tourer's secret weapon: it regulates your temperature, never feels clammy and hardly holds odours. After a multi-day trip this shirt is still good for another day.</p>\n"
            "<ul>\n<li>100% merino wool, 150 g/m², mulesing-free</li>\n<li>Flat seams, no chafing under your backpack</li>\n<li>Wash at 30 °C with wool detergent</li>\n</ul>\n",
        ),
        "brand": WADDENWOL,
        "deliverydate": NORMAAL,
        "categories": [FIETSKLEDING],
        "tags": [DUURZAAM, WINTERKLAAR],
        "images": [
            img("merino-naturel", "jpg", "base-layer", "#e8dcc4"),
            img("merino-antraciet", "jpg", "base-layer", "#3b3f45"),
        ],
        "code": "WW-MER150-LM",
        "hs": "61103010",
        "price": 74.95,
        "tracking": "indicator",
        "weight": 180,
        "wunit": "g",
        "size": (28, 3, 22),
        "options": [
            opt("Kleur", "Color", ("Naturel", "Natural", "NA"), ("Antraciet", "Anthracite", "AN")),
            opt("Maat", "Size", *sizes("M", "L", "2 XL")),
        ],
        "per": {"NA": {"image": "merino-naturel"}, "AN": {"image": "merino-antraciet"}, "2XL": {"weight": 205}},
        "metafields": {
            "material": "100% merino",
            "meta_keywords_nl": "merino, ondershirt, wol",
            "meta_keywords_en": "merino, base layer, wool",
        },
    },
    {
        "id": SOKKEN,
        "url": t("kuitje-fietssokken", "kuitje-cycling-socks"),
        "title": t("Kuitje fietssokken", "Kuitje cycling socks"),
        "fulltitle": t("Atelier Noord Kuitje fietssokken, halfhoog", "Atelier Noord Kuitje cycling socks, mid-calf"),
        "description": t(
            "Halfhoge fietssokken met een vrolijk fietsjespatroon. Het perfecte cadeautje.",
            "Mid-calf cycling socks with a cheerful little bike pattern. The perfect small gift.",
        ),
        "content": t(
            "<p>Sokken met fietsjes erop 🧦 – wie wordt daar nou niet blij van? Gebreid van katoen met een vleugje elastaan, met een versterkte hiel en teen.</p>",
            "<p>Socks with little bikes on them 🧦 – who wouldn't be happy with that? Knitted from cotton with a touch of elastane, reinforced heel and toe.</p>",
        ),
        "brand": ATELIER_NOORD,
        "deliverydate": SNEL,
        "categories": [FIETSKLEDING],
        "tags": [CADEAUTIP],
        "images": [
            img("kuitje-sokken-paar", "png", "socks", "#f2c14e"),
            img("kuitje-sokken-patroon", "png", "socks", "#f2c14e", "detail"),
        ],
        "code": "AN-SOK-KT",
        "hs": "61159500",
        "price": 12.95,
        "tracking": "enabled",
        "alert": 10,
        "weight": 45,
        "wunit": "g",
        "size": (10, 2, 25),
        "options": [
            opt("Maat", "Size", ("36–39", "36–39", "3639"), ("40–43", "40–43", "4043"), ("44–47", "44–47", "4447"))
        ],
        "default": ("4043",),
    },
    {
        "id": HANDSCHOENEN,
        "url": t("vorst-winterhandschoenen", "vorst-winter-gloves"),
        "title": t("Vorst winterhandschoenen", "Vorst winter gloves"),
        "fulltitle": t(
            "Waddenwol Vorst winddichte winterhandschoenen met merinovoering",
            "Waddenwol Vorst windproof winter gloves with merino lining",
        ),
        "description": t(
            "Winddichte fietshandschoenen met merinovoering, voor temperaturen tot −5 °C.",
            "Windproof cycling gloves with a merino lining, for temperatures down to −5 °C.",
        ),
        "content": t(
            "<p>Koude vingers zijn het eerste dat je voelt op een winterochtend. De <strong>Vorst</strong> houdt de wind buiten en de warmte binnen, maar laat je nog steeds soepel schakelen.</p>\n"
            "<ul>\n<li>Winddicht en waterafstotend</li>\n<li>Voering van merinowol</li>\n<li>Touchscreen-vriendelijke wijsvinger en duim</li>\n<li>Reflecterende print op de handrug</li>\n</ul>",
            "<p>Cold fingers are the first thing you feel on a winter morning. The <strong>Vorst</strong> keeps the wind out and the warmth in, while still letting you shift smoothly.</p>\n"
            "<ul>\n<li>Windproof and water-repellent</li>\n<li>Merino wool lining</li>\n<li>Touchscreen-friendly index finger and thumb</li>\n<li>Reflective print on the back of the hand</li>\n</ul>",
        ),
        "brand": WADDENWOL,
        "deliverydate": SNEL,
        "categories": [FIETSKLEDING],
        "tags": [WINTERKLAAR, REFLECTEREND, OPRUIMING],
        "images": [
            img("vorst-handschoen-rug", "jpg", "glove", "#2d3a4a"),
            img("vorst-handschoen-palm", "jpg", "glove", "#2d3a4a", "back"),
        ],
        "code": "WW-VORST",
        "hs": "61169300",
        "price": 34.95,
        "old": 39.95,
        "tracking": "enabled",
        "weight": 110,
        "wunit": "g",
        "size": (25, 3, 12),
        "options": [opt("Maat", "Size", *sizes("S", "M", "L", "XL"))],
    },
    {
        "id": REGENJAS,
        "url": t("hoosbui-regenjas", "hoosbui-rain-jacket"),
        "title": t("Hoosbui regenjas", "Hoosbui rain jacket"),
        "fulltitle": t(
            "Atelier Noord Hoosbui ademende regenjas voor fietsers, 20.000 mm",
            "Atelier Noord Hoosbui breathable cycling rain jacket, 20,000 mm",
        ),
        "description": t(
            "Ademende, volledig getapete regenjas met lange achterpand en reflectie rondom.",
            "Breathable, fully taped rain jacket with a long tail and all-round reflective details.",
        ),
        "content": t(
            "<p>Genoemd naar het weer waarvoor hij gemaakt is. De <strong>Hoosbui</strong> heeft een waterkolom van 20.000 mm, ventilatieritsen onder de armen en een capuchon die over je helm past.</p>\n"
            "<ul>\n<li>3-laags membraan, alle naden getapet</li>\n<li>Verlengd achterpand tegen opspattend water</li>\n<li>Reflecterende details rondom</li>\n<li>Opvouwbaar in de eigen borstzak</li>\n</ul>\n"
            + _table(
                [("Waterkolom", "20.000 mm"), ("Ademend vermogen", "15.000 g/m²/24 u"), ("Gewicht", "390 g (maat M)")]
            ),
            "<p>Named after the weather it was made for. The <strong>Hoosbui</strong> (Dutch for “downpour”) has a 20,000 mm hydrostatic head, underarm vents and a hood that fits over your helmet.</p>\n"
            "<ul>\n<li>3-layer membrane, fully taped seams</li>\n<li>Dropped tail against road spray</li>\n<li>All-round reflective details</li>\n<li>Packs into its own chest pocket</li>\n</ul>\n"
            + _table(
                [("Waterproofing", "20,000 mm"), ("Breathability", "15,000 g/m²/24 h"), ("Weight", "390 g (size M)")]
            ),
        ),
        "line_ends": "crlf-nl",
        "brand": ATELIER_NOORD,
        "deliverydate": SNEL,
        "categories": [REGENKLEDING],
        "tags": [WATERDICHT, REFLECTEREND],
        "images": [
            img("hoosbui-regenjas-voorkant", "jpg", "jacket", "#e5b81c", "front"),
            img("hoosbui-regenjas-achterkant", "jpg", "jacket", "#e5b81c", "back"),
            img("hoosbui-regenjas-opgevouwen", "png", "jacket", "#e5b81c", "packed"),
        ],
        "code": "AN-HB-JAS",
        "hs": "62019300",
        "price": 129,
        "old": 149,
        "tracking": "enabled",
        "weight": 390,
        "wunit": "kg",
        "size": (30, 5, 25),
        "options": [opt("Maat", "Size", *sizes("S", "M", "L", "XL"))],
        "default": ("M",),
        "metafields": {"warranty_years": "3", "waterproof_mm": "20000"},
        "relations": [OVERSCHOENEN],
    },
    {
        "id": OVERSCHOENEN,
        "url": t("neopreen-overschoenen", "neoprene-overshoes"),
        "title": t("Neopreen overschoenen", "Neoprene overshoes"),
        "fulltitle": t(
            "Neopreen overschoenen voor racefiets- en gravelschoenen", "Neoprene overshoes for road and gravel shoes"
        ),
        "description": t(
            "Warme, waterafstotende overschoenen van 3 mm neopreen met rits aan de achterkant.",
            "Warm, water-repellent overshoes made from 3 mm neoprene with a rear zip.",
        ),
        "content": t(
            "<p>Droge, warme voeten van oktober tot maart. Met uitsparingen voor klikplaatjes en een rits die je met handschoenen aan nog dicht krijgt.</p>",
            "<p>Dry, warm feet from October to March. With cut-outs for cleats and a zip you can still close while wearing gloves.</p>",
        ),
        "deliverydate": NORMAAL,
        "categories": [REGENKLEDING],
        "tags": [WINTERKLAAR],
        "images": [img("overschoenen-neopreen", "jpg", "overshoe", "#222831")],
        "code": "OS-NEO3",
        "hs": "64069090",
        "price": 34.95,
        "tracking": "indicator",
        "weight": 160,
        "wunit": "g",
        "size": (0, 0, 0),
        "options": [opt("Maat", "Size", ("39–42", "39–42", "3942"), ("43–46", "43–46", "4346"))],
    },
    # --- bags and camping ----------------------------------------------------------------
    {
        "id": ZWERVER,
        "url": t("trekvogel-zwerver-fietstassen-2x20-liter", "trekvogel-zwerver-panniers-2x20-litres"),
        "title": t("Trekvogel Zwerver fietstassen (paar)", "Trekvogel Zwerver panniers (pair)"),
        "fulltitle": t(
            "Trekvogel Zwerver waterdichte fietstassen, 2 × 20 liter",
            "Trekvogel Zwerver waterproof panniers, 2 × 20 litres",
        ),
        "description": t(
            "Twee waterdichte achtertassen met rolsluiting en klikbevestiging. Samen 40 liter.",
            "Two waterproof rear panniers with roll-top closure and click-on mounting. 40 litres in total.",
        ),
        "content": t(
            "<p>De <strong>Zwerver</strong> is gemaakt voor lange tochten: gelaste naden, een rolsluiting die écht waterdicht is en een ophangsysteem dat je met één hand aan- en afklikt.</p>\n"
            "<ul>\n<li>2 × 20 liter, rolsluiting</li>\n<li>Gelaste naden, waterdicht volgens IP64</li>\n<li>Past op bagagedragers met buizen van 8–16 mm</li>\n<li>Afneembare schouderriem</li>\n</ul>\n"
            "<p>Geleverd in twee dozen (één per tas).</p>",
            "<p>The <strong>Zwerver</strong> is made for long trips: welded seams, a roll-top that really is waterproof and a mounting system you click on and off with one hand.</p>\n"
            "<ul>\n<li>2 × 20 litres, roll-top closure</li>\n<li>Welded seams, IP64 waterproof</li>\n<li>Fits racks with 8–16 mm tubes</li>\n<li>Removable shoulder strap</li>\n</ul>\n"
            "<p>Shipped in two boxes (one per bag).</p>",
        ),
        "brand": TREKVOGEL,
        "deliverydate": NORMAAL,
        "categories": [FIETSTASSEN],
        "tags": [WATERDICHT, BIKEPACKING, BESTSELLER],
        "images": [
            img("zwerver-fietstassen-paar", "jpg", "pannier", "#c1502e"),
            img("zwerver-rolsluiting", "jpg", "pannier", "#c1502e", "detail"),
            img("zwerver-ophangsysteem", "png", "pannier", "#c1502e", "back"),
            img("zwerver-op-de-fiets", "jpg", "bike", "#c1502e", "packed"),
        ],
        "code": "TV-ZW-2X20",
        "hs": "42029291",
        "price": 149.95,
        "tracking": "enabled",
        "colli": 2,
        "weight": 1850,
        "wunit": "kg",
        "size": (35, 45, 18),
        "metafields": {
            "warranty_years": "5",
            "meta_keywords_nl": "fietstas, waterdicht, achtertas",
            "meta_keywords_en": "pannier, waterproof, bike bag",
        },
        "relations": [STUURTAS, FRAMETAS, TENT],
    },
    {
        "id": STUURTAS,
        "url": t("trekvogel-stuurtas-8-liter", "trekvogel-handlebar-bag-8-litres"),
        "title": t("Trekvogel stuurtas 8 liter", "Trekvogel handlebar bag 8 litres"),
        "fulltitle": t(
            "Trekvogel waterdichte stuurtas 8 liter met kaartvak",
            "Trekvogel waterproof 8-litre handlebar bag with map pocket",
        ),
        "description": t(
            "Stuurtas met een doorzichtig kaartvak en een klikhouder die op elk stuur past.",
            "Handlebar bag with a clear map pocket and a quick-release mount that fits any bar.",
        ),
        "content": t(
            "<p>Telefoon, portemonnee, een krentenbol: alles binnen handbereik. Het doorzichtige vak op de klep houdt je kaart (of je telefoon met route) droog en in zicht.</p>",
            "<p>Phone, wallet, a currant bun: everything within reach. The clear pocket on the lid keeps your map (or your phone with the route) dry and in sight.</p>",
        ),
        "brand": TREKVOGEL,
        "deliverydate": NORMAAL,
        "categories": [FIETSTASSEN],
        "tags": [WATERDICHT],
        "images": [
            img("stuurtas-zwart", "jpg", "handlebar-bag", "#262626"),
            img("stuurtas-oker", "jpg", "handlebar-bag", "#c9962c"),
        ],
        "code": "TV-ST8",
        "hs": "42029291",
        "price": 74.95,
        "tracking": "enabled",
        "weight": 420,
        "wunit": "g",
        "size": (26, 18, 14),
        "options": [opt("Kleur", "Color", ("Zwart", "Black", "ZW"), ("Oker", "Ochre", "OK"))],
        "per": {"ZW": {"image": "stuurtas-zwart"}, "OK": {"image": "stuurtas-oker", "tracking": "indicator"}},
    },
    {
        "id": FRAMETAS,
        "url": t("trekvogel-frametas", "trekvogel-frame-bag"),
        "title": t("Trekvogel frametas", "Trekvogel frame bag"),
        "fulltitle": t(
            "Trekvogel bikepacking frametas, waterafstotend", "Trekvogel bikepacking frame bag, water-repellent"
        ),
        "description": t(
            "Slanke frametas voor in je hoofddriehoek, met ruimte voor gereedschap, eten en een powerbank.",
            "Slim frame bag for your main triangle, with room for tools, food and a power bank.",
        ),
        "content": t(
            "<p>De frametas houdt het zwaartepunt laag en je bidonhouders vrij. Kies de maat op basis van de lengte van je bovenbuis:</p>\n"
            + _table(
                [
                    ("S", "3 liter – bovenbuis 50–53 cm"),
                    ("M", "4 liter – bovenbuis 53–56 cm"),
                    ("L", "5 liter – bovenbuis 56–60 cm"),
                ]
            ),
            "<p>A frame bag keeps the weight low and your bottle cages free. Choose the size by the length of your top tube:</p>\n"
            + _table(
                [
                    ("S", "3 litres – top tube 50–53 cm"),
                    ("M", "4 litres – top tube 53–56 cm"),
                    ("L", "5 litres – top tube 56–60 cm"),
                ]
            ),
        ),
        "brand": TREKVOGEL,
        "deliverydate": NORMAAL,
        "categories": [FIETSTASSEN],
        "tags": [BIKEPACKING],
        "images": [
            img("frametas-zijkant", "jpg", "frame-bag", "#3d5a40"),
            img("frametas-in-frame", "jpg", "bike", "#3d5a40", "framebag"),
        ],
        "code": "TV-FT",
        "hs": "42029291",
        "price": 49.95,
        "tracking": "enabled",
        "weight": 190,
        "wunit": "g",
        "size": (45, 12, 6),
        "options": [opt("Maat", "Size", *sizes("S", "M", "L"))],
        "per": {"M": {"price": 54.95, "weight": 220}, "L": {"price": 59.95, "weight": 250}},
    },
    {
        "id": RUGZAK,
        "url": t("trekvogel-wadloper-rugzak-22-liter", "trekvogel-wadloper-backpack-22-litres"),
        "title": t("Trekvogel Wadloper rugzak 22 liter", "Trekvogel Wadloper backpack 22 litres"),
        "fulltitle": t(
            "Trekvogel Wadloper dagrugzak 22 liter met regenhoes", "Trekvogel Wadloper 22-litre daypack with rain cover"
        ),
        "description": t(
            "Lichte dagrugzak met geventileerd rugpand, heupband en ingebouwde regenhoes.",
            "Light daypack with a ventilated back panel, hip belt and built-in rain cover.",
        ),
        "content": t(
            "<p>Of je nu naar Schiermonnikoog fietst of gaat wadlopen: de <strong>Wadloper</strong> zit comfortabel en houdt je spullen droog.</p>\n"
            "<ul>\n<li>22 liter, laptopvak tot 15 inch</li>\n<li>Geventileerd rugpand</li>\n<li>Regenhoes in de bodem</li>\n<li>Lus voor een achterlicht</li>\n</ul>\n"
            "<p>Onderhoud: met de hand uitspoelen – niet in de wasmachine.</p>",
            "<p>Whether you're cycling to Schiermonnikoog or going mudflat hiking: the <strong>Wadloper</strong> carries comfortably and keeps your things dry.</p>\n"
            "<ul>\n<li>22 litres, laptop sleeve up to 15 inches</li>\n<li>Ventilated back panel</li>\n<li>Rain cover stowed in the base</li>\n<li>Loop for a rear light</li>\n</ul>\n"
            "<p>Care: rinse by hand – not in the washing machine.</p>",
        ),
        "line_ends": "crlf",
        "brand": TREKVOGEL,
        "deliverydate": NORMAAL,
        "categories": [TASSEN],
        "tags": [WATERDICHT],
        "images": [
            img("wadloper-blauw", "jpg", "backpack", "#27496d"),
            img("wadloper-zand", "jpg", "backpack", "#cdb68d"),
        ],
        "code": "TV-WL22",
        "hs": "42029291",
        "price": 99.95,
        "tracking": "enabled",
        "weight": 780,
        "wunit": "kg",
        "size": (30, 50, 20),
        "options": [opt("Kleur", "Color", ("Wadblauw", "Mudflat Blue", "BL"), ("Zand", "Sand", "ZA"))],
        "per": {"BL": {"image": "wadloper-blauw"}},
        "metafields": {"meta_keywords_nl": "rugzak, dagrugzak, waterdicht", "meta_keywords_en": "backpack, daypack"},
    },
    {
        "id": TENT,
        "url": t("trekvogel-dwaallicht-2-tent", "trekvogel-dwaallicht-2-tent"),
        "title": t("Trekvogel Dwaallicht 2 tent", "Trekvogel Dwaallicht 2 tent"),
        "fulltitle": t(
            "Trekvogel Dwaallicht 2 ultralichte tweepersoonstent, 1,45 kg",
            "Trekvogel Dwaallicht 2 ultralight two-person tent, 1.45 kg",
        ),
        "description": t(
            "Vrijstaande tweepersoonstent van 1,45 kg, met pakmaat die in een fietstas past.",
            "Freestanding two-person tent weighing 1.45 kg, with a pack size that fits in a pannier.",
        ),
        "content": t(
            "<p>Een tent voor twee die in één fietstas past. De <strong>Dwaallicht 2</strong> staat binnen vijf minuten, ook in de wind, en heeft twee ingangen – geen geklim over je reisgenoot.</p>\n"
            + _table(
                [
                    ("Gewicht", "1,45 kg (minimaal 1,21 kg)"),
                    ("Pakmaat", "40 × 14 cm"),
                    ("Binnentent", "215 × 130 cm"),
                    ("Waterkolom", "3.000 mm (tentdoek), 5.000 mm (bodem)"),
                    ("Stokken", "Aluminium DAC"),
                ]
            )
            + "\n<p>Let op: deze tent is vaak uitverkocht. Je kunt hem altijd bestellen – we leveren zodra er nieuwe voorraad is.</p>\n\n",
            "<p>A tent for two that fits in a single pannier. The <strong>Dwaallicht 2</strong> pitches in five minutes, even in the wind, and has two doors – no climbing over your travel partner.</p>\n"
            + _table(
                [
                    ("Weight", "1.45 kg (minimum 1.21 kg)"),
                    ("Pack size", "40 × 14 cm"),
                    ("Inner tent", "215 × 130 cm"),
                    ("Waterproofing", "3,000 mm (fly), 5,000 mm (floor)"),
                    ("Poles", "DAC aluminium"),
                ]
            )
            + "\n<p>Please note: this tent often sells out. You can always order it – we'll ship as soon as new stock arrives.</p>\n\n",
        ),
        "brand": TREKVOGEL,
        "deliverydate": NORMAAL,
        "categories": [KAMPEREN],
        "tags": [BIKEPACKING],
        "images": [
            img("dwaallicht-2-opgezet", "jpg", "tent", "#7a9e4d"),
            img("dwaallicht-2-pakzak", "jpg", "tent", "#7a9e4d", "packed"),
            img("dwaallicht-2-plattegrond", "png", "tent", "#7a9e4d", "plan"),
        ],
        "code": "TV-DL2",
        "hs": "63062200",
        "price": 349,
        "tracking": "indicator",
        "alert": 2,
        "weight": 1450,
        "wunit": "kg",
        "size": (40, 14, 14),
        "metafields": {"warranty_years": "3", "gtin_override": "2004186360017"},
        "relations": [MOK, ZWERVER],
    },
    {
        "id": MOK,
        "url": t("titanium-mok-450-ml", "titanium-mug-450-ml"),
        "title": t("Titanium mok 450 ml", "Titanium mug 450 ml"),
        "fulltitle": t(
            "Trekvogel titanium mok 450 ml met inklapbare handvatten",
            "Trekvogel 450 ml titanium mug with folding handles",
        ),
        "description": t(
            "Supersterke mok van 72 gram die je ook op de brander kunt zetten.",
            "Super-strong 72-gram mug that also goes straight on the stove.",
        ),
        "content": t(
            "<p>Koffie bij zonsopkomst, müsli bij het ontbijt, soep na een lange dag: deze titanium mok kan direct op de brander en weegt bijna niks. Met maatstreepjes aan de binnenkant voor je gedroogde maaltijden.</p>",
            "<p>Coffee at sunrise, muesli at breakfast, soup after a long day: this titanium mug goes straight on the stove and weighs next to nothing. Measuring marks inside for your dehydrated meals.</p>",
        ),
        "brand": TREKVOGEL,
        "deliverydate": NORMAAL,
        "categories": [KAMPEREN],
        "tags": [CADEAUTIP],
        "images": [img("titanium-mok", "png", "mug", "#a7adb3")],
        "code": "TV-TIMOK450",
        "hs": "81089050",
        "price": 24.95,
        "tracking": "enabled",
        "weight": 72,
        "wunit": "g",
        "volume": 450,
        "size": (9, 9, 9),
    },
]
