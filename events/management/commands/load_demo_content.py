"""Load the demo content: one campaign with storylines, schools, companies, masterclasses and news.

Every row is keyed on a slug (or another natural key) and written with
``update_or_create``, so running the command again changes no row counts. Dates are
relative to today, so the demo always has open days, open registrations and fresh news;
a rerun moves them along. Images are drawn with Pillow, made once per file name and
reused from storage after that.
"""

import datetime as dt
import io
import random
import zlib

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageFont

from campaign.models import Audience, AudienceMessage, Campaign, Page, SocialPost, Storyline, Video
from campaign.publishing import PublicationStatus
from companies.models import Company, Offer
from events.models import MasterclassRound, Registration, Session
from schools.models import NewsItem, OpenDay, School

PUBLISHED = PublicationStatus.PUBLISHED

# --------------------------------------------------------------------------- content

CAMPAIGN = {
    "slug": "techniek-doet-het",
    "name": "Techniek doet het",
    "tagline": "Techniek is breder dan je denkt",
    "intro": (
        "Bouwen, zorgen, programmeren, kweken, varen: achter bijna alles wat je om je heen "
        "ziet zit techniek. Ontdek in West-Friesland wat jij ermee kunt, op school en bij "
        "bedrijven in de buurt."
    ),
    "primary_color": "#E6007E",
    "secondary_color": "#005A9C",
    "tiktok_url": "https://www.tiktok.com/@techniekdoethet",
    "instagram_url": "https://www.instagram.com/techniekdoethet/",
    "linkedin_url": "https://www.linkedin.com/company/techniek-doet-het/",
}

# slug, title, icon, colour, pupil text
STORYLINES = [
    (
        "bouwen-en-installeren",
        "Bouwen & installeren",
        "wrench",
        "#D9480F",
        "Een warm huis, water uit de kraan, licht dat aangaat als je binnenkomt: dat maken "
        "bouwers en installateurs. Jij kunt dat ook leren.",
    ),
    (
        "zorgtechniek",
        "Zorgtechniek",
        "heart-pulse",
        "#0077B6",
        "Een tillift die helpt bij het opstaan, een sensor die op de hartslag let: met "
        "techniek maak je de zorg beter.",
    ),
    (
        "robotica",
        "Robotica",
        "robot",
        "#6D28D9",
        "Robots plukken tomaten, lassen schepen en rijden pakketjes rond. Wie vertelt ze wat "
        "ze moeten doen? Misschien jij!",
    ),
    (
        "groene-techniek",
        "Groene techniek",
        "leaf",
        "#2E7D32",
        "Zaadjes die tegen droogte kunnen, kassen die zelf water geven: met groene techniek "
        "zorg je voor eten en natuur.",
    ),
    (
        "maritiem-en-energie",
        "Maritiem & energie",
        "anchor",
        "#1D4E89",
        "Schepen bouwen, windmolens onderhouden, stroom maken met zon en wind: op en rond "
        "het water is altijd werk.",
    ),
]

# (storyline slug, audience) -> headline, body, button label, button link.
# Maritiem & energie has no message for schools on purpose: the admin shows the gap.
MESSAGES = {
    ("bouwen-en-installeren", Audience.PUPIL): (
        "Bouw mee aan je eigen straat",
        "<p>Huizen, scholen, het zwembad: alles wat je ziet is ooit gebouwd. Bouwers en "
        "installateurs zorgen dat het warm is, dat het water stroomt en dat het licht "
        "aangaat.</p><p>In de masterclass zaag, boor en sluit je zelf een lampje aan. Met "
        "echt gereedschap!</p>",
        "Meld je aan voor een masterclass",
        "/masterclasses/",
    ),
    ("bouwen-en-installeren", Audience.PARENT): (
        "Een vak met toekomst, dicht bij huis",
        "<p>In West-Friesland zijn installateurs, elektriciens en timmerlieden hard nodig. "
        "Op het vmbo kiest uw kind in de bovenbouw bijvoorbeeld het profiel "
        "<strong>Bouwen, wonen en interieur</strong> of <strong>Produceren, installeren en "
        "energie</strong>.</p><ul><li>Veel praktijk, in de werkplaats van de school en bij "
        "bedrijven</li><li>Daarna mbo, vaak als leerbaan: leren en werken tegelijk, met "
        "salaris</li><li>Goede kansen op een vaste baan in de regio</li></ul>",
        "Vergelijk de scholen",
        "/scholen/vergelijk/",
    ),
    ("bouwen-en-installeren", Audience.SCHOOL): (
        "Laat leerlingen echt bouwen",
        "<p>Bouw- en installatiebedrijven uit de regio geven graag een gastles of ontvangen "
        "een klas in hun werkplaats. Zo zien leerlingen wat ze later met hun profiel "
        "kunnen.</p><p>De masterclasses van deze ronde staan in de agenda; basisscholen "
        "kunnen een hele groep aanmelden.</p>",
        "Bekijk de masterclasses",
        "/masterclasses/",
    ),
    ("bouwen-en-installeren", Audience.COMPANY): (
        "Vind de vakmensen van morgen",
        "<p>Een tekort aan installateurs los je niet op met een vacature alleen. Laat "
        "kinderen van elf al zien hoe afwisselend uw vak is: met een bedrijfsbezoek, een "
        "gastles of een plek in de masterclass.</p><p>Uw bedrijf komt dan op de site bij "
        "deze verhaallijn te staan.</p>",
        "Bekijk de deelnemende bedrijven",
        "/bedrijven/",
    ),
    ("zorgtechniek", Audience.PUPIL): (
        "Techniek die mensen helpt",
        "<p>Weet je hoe een ziekenhuisbed werkt? Of een rolstoel die traplopen kan? Daar "
        "zit slimme techniek in, en iemand moet die bedenken, maken en repareren.</p>"
        "<p>In de masterclass bouw je een sensor die laat zien hoe snel je hart klopt.</p>",
        "Meld je aan voor een masterclass",
        "/masterclasses/",
    ),
    ("zorgtechniek", Audience.PARENT): (
        "Zorg en techniek: twee vakken in één",
        "<p>Ziekenhuizen en thuiszorg werken steeds meer met techniek: tilliften, "
        "alarmsystemen, slimme medicijnkastjes. Wie zorg en techniek combineert, is overal "
        "welkom.</p><p>Op het vmbo kan uw kind beginnen in het profiel <strong>Zorg en "
        "welzijn</strong> of in een technisch profiel, en op het mbo verder als "
        "bijvoorbeeld medisch instrumentmaker of servicemonteur zorgtechniek.</p>",
        "Vergelijk de scholen",
        "/scholen/vergelijk/",
    ),
    ("zorgtechniek", Audience.SCHOOL): (
        "Zorgtechniek in de les",
        "<p>Zorgtechniek past ook op scholen zonder technisch profiel: het verbindt zorg en "
        "welzijn met techniek. Bedrijven uit de regio brengen hulpmiddelen mee naar de les, "
        "zodat leerlingen ze zelf kunnen proberen.</p>",
        "Bekijk de masterclasses",
        "/masterclasses/",
    ),
    ("zorgtechniek", Audience.COMPANY): (
        "Laat zien wat uw techniek voor mensen doet",
        "<p>Zorgtechniek raakt jongeren: ze zien meteen voor wie ze het doen. Ontvang een "
        "groep leerlingen, of geef een gastles met de hulpmiddelen die u maakt of "
        "onderhoudt.</p>",
        "Bekijk de deelnemende bedrijven",
        "/bedrijven/",
    ),
    ("robotica", Audience.PUPIL): (
        "Vertel een robot wat hij moet doen",
        "<p>Een robot doet niets vanzelf. Jij geeft hem de opdrachten: rij vooruit, draai, "
        "pak het blokje. Gaat het mis? Dan zoek je uit waarom en probeer je het opnieuw.</p>"
        "<p>In de masterclass programmeer je een echte robotarm.</p>",
        "Meld je aan voor een masterclass",
        "/masterclasses/",
    ),
    ("robotica", Audience.PARENT): (
        "Robots nemen het zware werk over",
        "<p>In de kassen, op de scheepswerf en in fabrieken werken steeds meer robots. Er "
        "zijn mensen nodig die ze instellen, programmeren en onderhouden.</p><p>Op het "
        "vmbo begint dat in profielen als <strong>Produceren, installeren en "
        "energie</strong> of <strong>Mobiliteit en transport</strong>; op het mbo volgen "
        "opleidingen als mechatronica.</p>",
        "Vergelijk de scholen",
        "/scholen/vergelijk/",
    ),
    ("robotica", Audience.SCHOOL): (
        "Programmeren met echte robots",
        "<p>Bedrijven uit de regio lenen robots uit en sturen een begeleider mee. Leerlingen "
        "programmeren in kleine groepjes; voorkennis is niet nodig.</p>",
        "Bekijk de masterclasses",
        "/masterclasses/",
    ),
    ("robotica", Audience.COMPANY): (
        "Uw robots, hun eerste programma",
        "<p>Heeft uw bedrijf robots of automatisering? Laat leerlingen er een middag mee "
        "werken. Een kleine opstelling is genoeg om het vak te laten zien.</p>",
        "Bekijk de deelnemende bedrijven",
        "/bedrijven/",
    ),
    ("groene-techniek", Audience.PUPIL): (
        "Maak de wereld groener",
        "<p>Wist je dat veel groentezaadjes van de hele wereld uit West-Friesland komen? In "
        "kassen en op het land zorgen techniek en natuur samen voor ons eten.</p><p>In de "
        "masterclass laat je een drone over een proefveld vliegen.</p>",
        "Meld je aan voor een masterclass",
        "/masterclasses/",
    ),
    ("groene-techniek", Audience.PARENT): (
        "Groen werk met veel techniek",
        "<p>Tuinbouw en zaadveredeling zijn in onze regio grote werkgevers. Kassen worden "
        "met computers geregeld, en op het land rijden trekkers met gps.</p><p>Op een groene "
        "vmbo-school kiest uw kind bijvoorbeeld het profiel <strong>Groen</strong>; daarna "
        "kan het verder op het mbo in teelt, techniek of laboratoriumwerk.</p>",
        "Vergelijk de scholen",
        "/scholen/vergelijk/",
    ),
    ("groene-techniek", Audience.SCHOOL): (
        "Van proefveld tot kas",
        "<p>Zaadbedrijven en kwekerijen ontvangen graag klassen. Leerlingen zien hoe "
        "planten worden getest en hoe een kas zichzelf regelt.</p>",
        "Bekijk de masterclasses",
        "/masterclasses/",
    ),
    ("groene-techniek", Audience.COMPANY): (
        "Laat zien hoeveel techniek er in groen zit",
        "<p>Veel jongeren denken bij tuinbouw aan plukken. Laat ze de klimaatcomputer, de "
        "robots en het laboratorium zien: dan kiezen ze vaker voor uw sector.</p>",
        "Bekijk de deelnemende bedrijven",
        "/bedrijven/",
    ),
    ("maritiem-en-energie", Audience.PUPIL): (
        "Werken op en aan het water",
        "<p>Een schip bouwen, een windmolen op zee repareren, zonnepanelen leggen: het kan "
        "allemaal hier in de buurt.</p><p>In de masterclass bouw je een bootje dat op "
        "zonne-energie vaart.</p>",
        "Meld je aan voor een masterclass",
        "/masterclasses/",
    ),
    ("maritiem-en-energie", Audience.PARENT): (
        "Energie en scheepvaart zoeken mensen",
        "<p>De werven in Enkhuizen en de energiebedrijven in de regio hebben veel vakmensen "
        "nodig: lassers, monteurs, elektriciens.</p><p>Uw kind kan op het vmbo beginnen in "
        "<strong>Produceren, installeren en energie</strong> en daarna op het mbo kiezen "
        "voor bijvoorbeeld scheepsbouw of duurzame energie.</p>",
        "Vergelijk de scholen",
        "/scholen/vergelijk/",
    ),
    ("maritiem-en-energie", Audience.COMPANY): (
        "Laat ze aan boord komen",
        "<p>Een rondleiding over de werf of langs een windmolen maakt meer indruk dan welke "
        "folder ook. Bied een bedrijfsbezoek of een snuffelstage aan.</p>",
        "Bekijk de deelnemende bedrijven",
        "/bedrijven/",
    ),
}

VIDEOS = [
    {
        "storyline": "robotica",
        "kind": Video.Kind.ANIMATION,
        "title": "Een dag met robot Robin",
        "description": "Robin helpt in de kas, op de werf en in de fabriek. Wie stuurt Robin aan?",
        "external_url": "https://www.youtube.com/watch?v=bTqVqk7FSmY",
        "duration_seconds": 95,
        "transcript": (
            "Dit is Robin. Robin is een robot. 's Ochtends plukt Robin tomaten in de kas. "
            "'s Middags helpt Robin lassen op de scheepswerf. Maar Robin doet niets vanzelf: "
            "iemand heeft Robin geleerd wat hij moet doen. Dat kun jij ook leren."
        ),
        "order": 1,
    },
    {
        "storyline": "zorgtechniek",
        "kind": Video.Kind.FILM,
        "title": "Zo werkt een slim bed in de zorg",
        "description": "Servicemonteur Sanne laat zien hoe een zorgbed zichzelf controleert.",
        "external_url": "https://vimeo.com/76979871",
        "duration_seconds": 140,
        "transcript": (
            "Sanne: Ik ben servicemonteur zorgtechniek. Dit bed merkt wanneer iemand eruit "
            "wil stappen en waarschuwt dan de verpleging. Als er iets kapot is, kom ik het "
            "maken. Elke dag is anders."
        ),
        "order": 2,
    },
]

SCHOOLS = [
    {
        "slug": "vakcollege-westerdijk",
        "name": "Vakcollege Westerdijk",
        "profile": School.Profile.TECHNICAL,
        "summary": "Technisch vakcollege met grote werkplaatsen voor bouw, installatie en metaal.",
        "description": (
            "<p>Op Vakcollege Westerdijk leer je door te doen. In de onderbouw proef je van "
            "alle technische vakken; in de bovenbouw kies je je eigen richting.</p><ul>"
            "<li>Profielen: Bouwen, wonen en interieur; Produceren, installeren en energie</li>"
            "<li>Werkplaatsen voor hout, metaal, elektro en installatie</li>"
            "<li>Stages bij bedrijven uit Hoorn en omgeving</li></ul>"
        ),
        "learning_paths": "basis, kader, gemengd",
        "street_address": "Werkplaatsweg 12",
        "postal_code": "1625 AB",
        "town": "Hoorn",
        "phone": "0229 555 101",
        "contact_name": "Mevrouw S. de Boer",
        "storylines": ["bouwen-en-installeren", "robotica", "maritiem-en-energie"],
        "colors": ("#D9480F", "#F59F00"),
    },
    {
        "slug": "zuiderzee-techniekschool",
        "name": "Zuiderzee Techniekschool",
        "profile": School.Profile.TECHNICAL,
        "summary": "Techniek aan het water: scheepsbouw, energie en mobiliteit.",
        "description": (
            "<p>De Zuiderzee Techniekschool ligt vlak bij de haven. Leerlingen werken samen "
            "met de werven en energiebedrijven uit Enkhuizen.</p><ul><li>Profielen: "
            "Produceren, installeren en energie; Mobiliteit en transport</li><li>Eigen "
            "lasafdeling en een zonnepanelenlab</li><li>Kleine klassen, vaste mentor</li></ul>"
        ),
        "learning_paths": "basis, kader",
        "street_address": "Havenkade 4",
        "postal_code": "1601 ZX",
        "town": "Enkhuizen",
        "phone": "0228 555 202",
        "contact_name": "Meneer R. Kaag",
        "storylines": ["maritiem-en-energie", "bouwen-en-installeren", "robotica"],
        "colors": ("#1D4E89", "#00A3E0"),
    },
    {
        "slug": "het-baken",
        "name": "Scholengemeenschap Het Baken",
        "profile": School.Profile.BROAD,
        "summary": "Brede vmbo-school met zorg en welzijn, economie en een technieklab.",
        "description": (
            "<p>Het Baken is een brede school: je kunt er alle kanten op. Ook zonder "
            "technisch profiel maak je kennis met techniek, bijvoorbeeld in het zorglab.</p>"
            "<ul><li>Profielen: Zorg en welzijn; Economie en ondernemen</li><li>Zorglab met "
            "hulpmiddelen van bedrijven uit de regio</li><li>Alle leerwegen, ook "
            "theoretisch</li></ul>"
        ),
        "learning_paths": "basis, kader, gemengd, theoretisch",
        "street_address": "Dorpsstraat 88",
        "postal_code": "1671 HK",
        "town": "Medemblik",
        "phone": "0227 555 303",
        "contact_name": "Mevrouw A. Zwaan",
        "storylines": ["zorgtechniek"],
        "colors": ("#0077B6", "#74C0FC"),
    },
    {
        "slug": "de-kwekerij",
        "name": "Groen Vakcollege De Kwekerij",
        "profile": School.Profile.GREEN,
        "summary": "Groene school met proeftuin, kas en drones.",
        "description": (
            "<p>Op De Kwekerij werk je met planten, dieren en techniek. De school heeft een "
            "eigen proeftuin en een kas die met een computer wordt geregeld.</p><ul>"
            "<li>Profiel: Groen</li><li>Proeftuin, kas en dronelab</li><li>Samenwerking "
            "met zaadbedrijven en kwekerijen</li></ul>"
        ),
        "learning_paths": "basis, kader, gemengd",
        "street_address": "Kassenlaan 3",
        "postal_code": "1741 GT",
        "town": "Schagen",
        "phone": "0224 555 404",
        "contact_name": "Meneer P. Veenstra",
        "storylines": ["groene-techniek", "robotica"],
        "colors": ("#2E7D32", "#A9E34B"),
    },
]

# school slug -> (title, days from today, weekday (0 = Monday), start hour, hours, description)
OPEN_DAYS = {
    "vakcollege-westerdijk": [
        ("Open dag", 30, 5, 10, 3, "Rondleiding door alle werkplaatsen, ouders zijn welkom."),
        ("Doe-middag voor groep 8", 58, 2, 14, 2, "Zelf een klusje doen in de werkplaats."),
    ],
    "zuiderzee-techniekschool": [
        ("Open dag", 37, 5, 10, 3, "Met een rondvaart langs de werf."),
    ],
    "het-baken": [
        ("Open avond", 44, 3, 18, 3, "Informatie over alle profielen en leerwegen."),
        ("Doe-middag voor groep 8", 65, 2, 14, 2, "Proberen in het zorglab en de keuken."),
    ],
    "de-kwekerij": [
        ("Open dag", 51, 5, 10, 4, "Met drone-demonstratie in de proeftuin."),
    ],
}

# slug, name, sector, town, summary, storylines, schools, offers, colours
COMPANIES = [
    (
        "kooiman-installatietechniek",
        "Kooiman Installatietechniek",
        "Installatietechniek",
        "Zwaag",
        "Warmtepompen, ventilatie en elektra voor woningen en scholen.",
        ["bouwen-en-installeren", "maritiem-en-energie"],
        ["vakcollege-westerdijk"],
        {
            Offer.Kind.COMPANY_VISIT: "Kijk mee met een monteur bij een warmtepomp.",
            Offer.Kind.APPRENTICESHIP: "Leerbanen voor eerste- en tweedejaars mbo.",
        },
        ("#D9480F", "#FFD43B"),
    ),
    (
        "bouwbedrijf-westfriese-waard",
        "Bouwbedrijf De Westfriese Waard",
        "Bouw",
        "Wognum",
        "Bouwt woningen en scholen, van fundering tot dak.",
        ["bouwen-en-installeren"],
        ["vakcollege-westerdijk", "zuiderzee-techniekschool"],
        {
            Offer.Kind.GUEST_LESSON: "Een timmerman vertelt en laat gereedschap zien.",
            Offer.Kind.WORK_PLACEMENT: "Stages op de bouwplaats voor vmbo-bovenbouw.",
        },
        ("#A61E4D", "#F76707"),
    ),
    (
        "scheepswerf-zuiderhaven",
        "Scheepswerf Zuiderhaven",
        "Scheepsbouw",
        "Enkhuizen",
        "Bouwt en repareert binnenvaartschepen en zeilschepen.",
        ["maritiem-en-energie", "robotica"],
        ["zuiderzee-techniekschool"],
        {
            Offer.Kind.COMPANY_VISIT: "Rondleiding over de werf, met laswerkplaats.",
            Offer.Kind.MASTERCLASS: "Begeleidt de masterclass 'Varen op de zon'.",
            Offer.Kind.TASTER_DAY: "Een dag meelopen met een scheepsbouwer.",
        },
        ("#1D4E89", "#4DABF7"),
    ),
    (
        "groenkiem-zaadveredeling",
        "Groenkiem Zaadveredeling",
        "Zaadveredeling",
        "Enkhuizen",
        "Ontwikkelt groentezaden die tegen droogte en ziektes kunnen.",
        ["groene-techniek"],
        ["de-kwekerij", "het-baken"],
        {
            Offer.Kind.COMPANY_VISIT: "Kijken in het laboratorium en de proefkassen.",
            Offer.Kind.GUEST_LESSON: "Hoe maak je een nieuw soort tomaat?",
        },
        ("#2E7D32", "#C0EB75"),
    ),
    (
        "kwekerij-het-glazen-veld",
        "Kwekerij Het Glazen Veld",
        "Glastuinbouw",
        "Andijk",
        "Tomatenkwekerij met pluk- en sorteerrobots.",
        ["groene-techniek", "robotica"],
        ["de-kwekerij"],
        {
            Offer.Kind.COMPANY_VISIT: "Zie de plukrobot aan het werk.",
            Offer.Kind.MASTERCLASS: "Begeleidt de masterclass 'Drones boven het proefveld'.",
        },
        ("#C92A2A", "#8CE99A"),
    ),
    (
        "zorgtech-westfriesland",
        "ZorgTech Westfriesland",
        "Zorgtechniek",
        "Hoorn",
        "Levert en onderhoudt tilliften, zorgbedden en alarmsystemen.",
        ["zorgtechniek"],
        ["het-baken"],
        {
            Offer.Kind.GUEST_LESSON: "Hulpmiddelen uitproberen in de klas.",
            Offer.Kind.MASTERCLASS: "Begeleidt de masterclass 'Meet je hartslag'.",
            Offer.Kind.WORK_PLACEMENT: "Stage als servicemonteur zorgtechniek.",
        },
        ("#0077B6", "#99E9F2"),
    ),
    (
        "robotwerk-hoorn",
        "Robotwerk Hoorn",
        "Robotica en automatisering",
        "Hoorn",
        "Bouwt robotcellen voor fabrieken en kwekerijen.",
        ["robotica"],
        ["vakcollege-westerdijk", "de-kwekerij"],
        {
            Offer.Kind.MASTERCLASS: "Begeleidt de masterclass 'Programmeer een robotarm'.",
            Offer.Kind.GUEST_LESSON: "Een robotarm in de klas.",
        },
        ("#6D28D9", "#E599F7"),
    ),
    (
        "windkracht-noord-energie",
        "Windkracht Noord Energie",
        "Duurzame energie",
        "Medemblik",
        "Onderhoudt windmolens en zonneparken in Noord-Holland.",
        ["maritiem-en-energie", "groene-techniek"],
        ["zuiderzee-techniekschool"],
        {
            Offer.Kind.COMPANY_VISIT: "Onderaan een windmolen: hoe werkt hij?",
            Offer.Kind.APPRENTICESHIP: "Leerbanen voor monteur duurzame energie.",
        },
        ("#087F5B", "#63E6BE"),
    ),
    (
        "elektro-bakker",
        "Elektro Bakker",
        "Elektrotechniek",
        "Opmeer",
        "Elektricien voor woningen, boerderijen en zonnepanelen.",
        ["bouwen-en-installeren", "maritiem-en-energie"],
        ["vakcollege-westerdijk"],
        {
            Offer.Kind.TASTER_DAY: "Een dag mee met een elektricien.",
        },
        ("#E67700", "#FFE066"),
    ),
    (
        "instrumentmakerij-dijkstra",
        "Instrumentmakerij Dijkstra",
        "Medische instrumenten",
        "Schagen",
        "Maakt en repareert instrumenten voor ziekenhuizen.",
        ["zorgtechniek"],
        ["het-baken", "de-kwekerij"],
        {
            Offer.Kind.COMPANY_VISIT: "Kijk hoe een instrumentmaker werkt, op een honderdste millimeter.",
        },
        ("#364FC7", "#BAC8FF"),
    ),
    (
        "agrotech-kop-van-noord",
        "Agrotech Kop van Noord",
        "Landbouwmechanisatie",
        "Schagen",
        "Trekkers met gps, drones en onderhoud van landbouwmachines.",
        ["groene-techniek", "robotica"],
        ["de-kwekerij"],
        {
            Offer.Kind.GUEST_LESSON: "Een drone vliegen boven het schoolplein.",
            Offer.Kind.WORK_PLACEMENT: "Stage in de werkplaats.",
        },
        ("#5C940D", "#FFD43B"),
    ),
    (
        "metaalbewerking-van-der-molen",
        "Metaalbewerking Van der Molen",
        "Metaal",
        "Wervershoof",
        "Draaien, frezen en lassen met computergestuurde machines.",
        ["bouwen-en-installeren", "robotica"],
        ["vakcollege-westerdijk", "zuiderzee-techniekschool"],
        {
            Offer.Kind.COMPANY_VISIT: "Zie hoe een freesmachine een onderdeel maakt.",
            Offer.Kind.WORK_PLACEMENT: "Stages voor metaal en lassen.",
        },
        ("#495057", "#ADB5BD"),
    ),
]

# host school, storyline, companies, title, summary, weeks from now, registration open now
SESSIONS = [
    (
        "vakcollege-westerdijk",
        "robotica",
        ["robotwerk-hoorn", "metaalbewerking-van-der-molen"],
        "Programmeer een robotarm",
        "Laat een echte robotarm blokjes stapelen. Programmeren leer je ter plekke.",
        4,
        True,
    ),
    (
        "zuiderzee-techniekschool",
        "maritiem-en-energie",
        ["scheepswerf-zuiderhaven", "windkracht-noord-energie"],
        "Varen op de zon",
        "Bouw een bootje met een zonnepaneel en test het in de haven.",
        6,
        True,
    ),
    (
        "het-baken",
        "zorgtechniek",
        ["zorgtech-westfriesland"],
        "Meet je hartslag",
        "Bouw een sensor die je hartslag meet en ontdek waar de zorg die gebruikt.",
        8,
        False,
    ),
    (
        "de-kwekerij",
        "groene-techniek",
        ["kwekerij-het-glazen-veld", "agrotech-kop-van-noord"],
        "Drones boven het proefveld",
        "Vlieg een drone over de proeftuin en zoek de planten die water nodig hebben.",
        10,
        False,
    ),
]

# slug, school slug (None: regional), title, summary, body, days ago (None: submitted), image
NEWS = [
    (
        "tiny-house-op-het-schoolplein",
        "vakcollege-westerdijk",
        "Leerlingen bouwen een tiny house op het schoolplein",
        "Derdejaars bouwen in tien weken een klein huis, met zonnepanelen en warmtepomp.",
        "<p>Wie deze weken langs Vakcollege Westerdijk loopt, ziet op het schoolplein een "
        "klein huis verrijzen. Derdejaars van bouw en installatie werken er samen aan: de "
        "een timmert, de ander legt de leidingen.</p><p>Kooiman Installatietechniek "
        "leverde de warmtepomp en een monteur kwam uitleggen hoe die werkt.</p>",
        3,
        True,
    ),
    (
        "eerste-lasdiplomas-op-de-werf",
        "zuiderzee-techniekschool",
        "Eerste lasdiploma's uitgereikt op de werf",
        "Twaalf leerlingen haalden hun eerste lascertificaat bij Scheepswerf Zuiderhaven.",
        "<p>Op de werf van Scheepswerf Zuiderhaven kregen twaalf leerlingen hun eerste "
        "lascertificaat. Ze oefenden een half jaar in de lasafdeling van school en op de "
        "werf.</p>",
        8,
        False,
    ),
    (
        "zorgrobot-op-bezoek",
        "het-baken",
        "Zorgrobot op bezoek in de mentorles",
        "Leerlingen van zorg en welzijn ontdekten wat een zorgrobot wel en niet kan.",
        "<p>ZorgTech Westfriesland nam een zorgrobot mee naar Het Baken. De robot herinnert "
        "mensen aan hun medicijnen en kan een praatje maken.</p><p>'Hij is handig, maar een "
        "knuffel geeft hij niet,' zei een leerling.</p>",
        12,
        True,
    ),
    (
        "drone-telt-de-tulpen",
        "de-kwekerij",
        "Drone telt de tulpen",
        "In de proeftuin leerden tweedejaars een drone te gebruiken om planten te tellen.",
        "<p>Met een drone van Agrotech Kop van Noord vlogen leerlingen over de proeftuin. "
        "De camera ziet welke planten droog staan. Daarna gingen ze zelf met de gieter "
        "langs.</p>",
        17,
        True,
    ),
    (
        "masterclasses-aanmelden-geopend",
        None,
        "Masterclasses: aanmelden kan weer",
        "Het rondreizende techniekcircus komt langs alle vier de partnerscholen.",
        "<p>De nieuwe ronde masterclasses komt naar alle partnerscholen. Leerlingen uit "
        "groep 7 en 8 kunnen zich aanmelden; basisscholen kunnen een groep aanmelden.</p>"
        "<p>Elke masterclass hoort bij een verhaallijn: robotica, zorgtechniek, groene "
        "techniek of maritiem en energie.</p>",
        1,
        False,
    ),
    (
        "meidendag-techniek",
        "vakcollege-westerdijk",
        "Meidendag techniek: zestig meiden aan de slag",
        "Meiden uit groep 8 soldeerden, timmerden en programmeerden een middag lang.",
        "<p>Zestig meiden uit groep 8 kwamen naar de meidendag. Ze maakten een "
        "nachtlampje, een vogelhuisje en een kleine robot.</p>",
        26,
        False,
    ),
    (
        "zonnepanelen-op-het-dak",
        "zuiderzee-techniekschool",
        "Zonnepanelen op het dak: leerlingen rekenen mee",
        "Hoeveel stroom levert het schooldak op? Leerlingen zochten het uit met Windkracht Noord.",
        "<p>Het dak van de Zuiderzee Techniekschool ligt vol zonnepanelen. Leerlingen "
        "rekenden samen met Windkracht Noord Energie uit hoeveel stroom de school zelf "
        "maakt.</p>",
        40,
        True,
    ),
    (
        "gastles-zorgtech",
        "het-baken",
        "Gastles over tilliften en zorgbedden",
        "Een servicemonteur vertelde over zijn werk in de zorg.",
        "<p>Servicemonteur Jeroen van ZorgTech Westfriesland liet zien hoe een tillift werkt "
        "en wat er gebeurt als er een storing is.</p>",
        55,
        False,
    ),
    (
        "open-kas-avond",
        "de-kwekerij",
        "Open kas-avond voor ouders",
        "Ouders kunnen de nieuwe kas van school bekijken.",
        "<p>Op de open kas-avond laten leerlingen hun ouders de nieuwe kas zien. Er is "
        "soep van eigen groente.</p>",
        None,
        False,
    ),
]

PAGES = [
    {
        "slug": "ouders",
        "title": "Voor ouders",
        "audience": Audience.PARENT,
        "order": 1,
        "intro": (
            "Uw kind kiest binnenkort een middelbare school. Hier leest u wat techniek op het "
            "vmbo inhoudt en hoe u samen kunt ontdekken wat bij uw kind past."
        ),
        "body": (
            "<h2>Techniek is breder dan u denkt</h2><p>Bij techniek denken veel mensen aan "
            "een overall en vieze handen. Dat kan, maar techniek is ook programmeren, zorgen "
            "voor mensen met slimme hulpmiddelen, planten kweken met computers en schepen "
            "ontwerpen.</p><h2>Zo kiest u samen</h2><ul><li>Bekijk de verhaallijnen met uw "
            "kind en praat over wat het leuk vindt.</li><li>Vergelijk de partnerscholen: "
            "profielen, leerwegen en open dagen.</li><li>Meld uw kind aan voor een gratis "
            "masterclass in groep 7 of 8.</li></ul><h2>Wat kost het?</h2><p>De masterclasses "
            "zijn gratis. U meldt uw kind aan met alleen de voornaam en de groep; we bewaren "
            "de aanmelding tot kort na de masterclass.</p>"
        ),
    },
    {
        "slug": "scholen-info",
        "title": "Voor scholen",
        "audience": Audience.SCHOOL,
        "order": 2,
        "intro": ("Voor basisscholen en partnerscholen: zo doet u mee met Techniek doet het."),
        "body": (
            "<h2>Basisscholen</h2><p>Meld een hele groep aan voor een masterclass in de "
            "agenda. De masterclasses zijn gratis en duren ongeveer twee uur.</p><h2>"
            "Partnerscholen</h2><p>Elke partnerschool heeft een eigen pagina en een eigen, "
            "geheime link om nieuws in te sturen. De coördinator controleert elk bericht "
            "voordat het online komt. Nieuws van alle scholen wordt om de beurt getoond.</p>"
            "<p>Vragen? Mail de coördinator via "
            '<a href="mailto:coordinator@example.org">coordinator@example.org</a>.</p>'
        ),
    },
    {
        "slug": "bedrijven-info",
        "title": "Voor bedrijven",
        "audience": Audience.COMPANY,
        "order": 3,
        "intro": (
            "Laat jongeren zien hoe uw vak eruitziet. Dat kan met een bedrijfsbezoek, een "
            "gastles, een snuffelstage of een masterclass."
        ),
        "body": (
            "<h2>Waarom meedoen?</h2><p>Kinderen kiezen rond hun elfde een school, en daarmee "
            "vaak een richting. Wie dan al heeft gezien hoe afwisselend techniek is, kiest er "
            "vaker voor.</p><h2>Zo doet u mee</h2><ul><li>Kies een verhaallijn die bij uw "
            "bedrijf past.</li><li>Bied aan wat bij u past: een bezoek, een gastles, een "
            "stage.</li><li>Uw bedrijf verschijnt op de site, bij de verhaallijn en bij de "
            "scholen waarmee u samenwerkt.</li></ul><p>Aanmelden kan bij de coördinator: "
            '<a href="mailto:coordinator@example.org">coordinator@example.org</a>.</p>'
        ),
    },
    {
        "slug": "privacy",
        "title": "Privacyverklaring",
        "audience": "",
        "order": 10,
        "intro": "Welke gegevens we verzamelen, waarom, en hoe lang we ze bewaren.",
        "body": (
            "<h2>Wie zijn wij?</h2><p>Techniek doet het is een samenwerking van vmbo-scholen, "
            "bedrijven en gemeenten in West-Friesland. De coördinator is verantwoordelijk "
            "voor de gegevens op deze website.</p><h2>Aanmelden voor een masterclass</h2><p>"
            "Bij een aanmelding vragen we de voornaam en de groep van het kind, de "
            "basisschool, en de naam en het e-mailadres van een ouder of leerkracht. We "
            "gebruiken die alleen om de masterclass te organiseren en u te mailen over de "
            "aanmelding. We verwijderen aanmeldingen kort na de masterclass.</p><h2>Nieuws "
            "insturen</h2><p>Scholen die nieuws insturen, geven een naam en e-mailadres op. "
            "Die gebruiken we alleen om over het bericht contact op te nemen. Foto's van "
            "herkenbare kinderen plaatsen we alleen met toestemming van de ouders.</p><h2>"
            "Video's</h2><p>Video's van YouTube of Vimeo laden pas als u op afspelen klikt. "
            "Pas dan krijgt die dienst uw gegevens.</p><h2>Cookies</h2><p>Deze website "
            "gebruikt geen tracking- of advertentiecookies.</p><h2>Uw rechten</h2><p>U mag "
            "uw gegevens inzien, laten verbeteren of laten verwijderen. Mail daarvoor naar "
            '<a href="mailto:privacy@example.org">privacy@example.org</a>. U kunt ook een '
            "klacht indienen bij de Autoriteit Persoonsgegevens.</p>"
        ),
    },
    {
        "slug": "toegankelijkheid",
        "title": "Toegankelijkheid",
        "audience": "",
        "order": 11,
        "intro": "We willen dat iedereen deze website kan gebruiken.",
        "body": (
            "<p>Deze website is gemaakt volgens de richtlijnen WCAG 2.1 op niveau AA.</p><ul>"
            "<li>De site werkt op telefoon, tablet en computer, ook zonder muis.</li><li>"
            "Afbeeldingen hebben een beschrijving voor schermlezers.</li><li>Video's hebben "
            "ondertitels of een uitgeschreven tekst.</li><li>De site werkt ook als JavaScript "
            "uit staat.</li></ul><h2>Werkt iets niet?</h2><p>Laat het ons weten via "
            '<a href="mailto:coordinator@example.org">coordinator@example.org</a>. We '
            "reageren binnen vijf werkdagen en lossen het zo snel mogelijk op.</p>"
        ),
    },
]

SOCIAL_POSTS = [
    {
        "title": "Wekelijkse update: de masterclasses gaan weer rond",
        "channel": SocialPost.Channel.LINKEDIN,
        "audience": Audience.COMPANY,
        "storyline": None,
        "status": SocialPost.Status.READY,
        "days_ahead": 3,
        "text": (
            "Het techniekcircus gaat weer rond! Deze ronde komen de masterclasses langs alle "
            "vier de partnerscholen in West-Friesland, met bedrijven als Robotwerk Hoorn en "
            "Scheepswerf Zuiderhaven.\n\nWilt u met uw bedrijf meedoen in een volgende ronde? "
            "Neem contact op met de coördinator.\n\n#TechniekDoetHet #WestFriesland "
            "#SterkTechniekonderwijs"
        ),
    },
    {
        "title": "Robot Robin plukt tomaten",
        "channel": SocialPost.Channel.TIKTOK,
        "audience": Audience.PUPIL,
        "storyline": "robotica",
        "status": SocialPost.Status.DRAFT,
        "days_ahead": 7,
        "text": "Kan een robot tomaten plukken? 🍅🤖 Kijk mee in de kas! Wil jij zelf een robot "
        "programmeren? Meld je aan voor de masterclass.",
    },
    {
        "title": "Open dagen op een rij",
        "channel": SocialPost.Channel.INSTAGRAM,
        "audience": Audience.PARENT,
        "storyline": None,
        "status": SocialPost.Status.IDEA,
        "days_ahead": None,
        "text": "Carrousel met de open dagen van alle vier de partnerscholen, in "
        "willekeurige volgorde.",
    },
]

# --------------------------------------------------------------------------- pictures


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):  # Pillow without FreeType
        return ImageFont.load_default()


def draw_picture(label: str, colors: tuple[str, str], size=(1200, 675)) -> bytes:
    """A JPEG with a diagonal gradient, a few translucent shapes and a caption."""
    width, height = size
    rng = random.Random(zlib.crc32(label.encode()))
    # Top-left to bottom-right: the mean of a horizontal and a vertical gradient.
    vertical = Image.linear_gradient("L")
    mask = ImageChops.add(vertical, vertical.rotate(90), scale=2).resize(size)
    base = Image.composite(
        Image.new("RGB", size, _rgb(colors[1])), Image.new("RGB", size, _rgb(colors[0])), mask
    ).convert("RGBA")
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(7):
        radius = rng.randint(height // 10, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        box = (x - radius, y - radius, x + radius, y + radius)
        fill = (255, 255, 255, rng.randint(30, 80))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=fill)
        else:
            draw.rounded_rectangle(box, radius=radius // 4, fill=fill)
    font_size = height // 11
    font = _font(font_size)
    text_box = draw.textbbox((0, 0), label, font=font)
    while text_box[2] > width * 0.9 and font_size > 12:
        font_size -= 4
        font = _font(font_size)
        text_box = draw.textbbox((0, 0), label, font=font)
    band = height // 11 * 2
    draw.rectangle((0, height - band, width, height), fill=(0, 0, 0, 110))
    draw.text(
        (width // 20, height - band // 2 - (text_box[3] + text_box[1]) // 2),
        label,
        font=font,
        fill=(255, 255, 255, 255),
    )
    image = Image.alpha_composite(base, overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def draw_logo(name: str, colors: tuple[str, str], size=400) -> bytes:
    """A square PNG logo: the initials of ``name`` on a coloured tile."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 16, size - 16, size - 16), radius=size // 6, fill=_rgb(colors[0]))
    draw.ellipse((size * 5 // 8, size // 8, size * 7 // 8, size * 3 // 8), fill=_rgb(colors[1]))
    words = [word for word in name.replace("&", " ").split() if word[0].isupper()]
    initials = "".join(word[0] for word in words[:2]) or name[:2].upper()
    font = _font(size // 3)
    draw.text((size // 2, size * 9 // 16), initials, font=font, fill=(255, 255, 255), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def attach_image(instance, field_name: str, filename: str, make) -> None:
    """Give the row its demo image once; reuse a file already in storage (no pile-up on reruns)."""
    field_file = getattr(instance, field_name)
    if field_file:
        return
    name = field_file.field.generate_filename(instance, filename)
    if field_file.storage.exists(name):
        field_file.name = name
    else:
        field_file.save(filename, ContentFile(make()), save=False)
    instance.save(update_fields=[field_name])


# --------------------------------------------------------------------------- loading


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _on_weekday(day: dt.date, weekday: int) -> dt.date:
    """The first date on or after ``day`` that falls on ``weekday`` (0 = Monday)."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _round_name(day: dt.date) -> tuple[str, str]:
    season = "Voorjaar" if day.month <= 6 else "Najaar"
    return f"{season} {day.year}", f"{season.lower()}-{day.year}"


class Command(BaseCommand):
    help = (
        "Load the demo content (campaign, storylines, schools, companies, masterclasses, "
        "news, pages). Idempotent: rows are matched on their slugs and updated, dates move "
        "along with today, nothing is deleted."
    )

    def handle(self, *args, **options):
        self.now = timezone.now()
        self.today = timezone.localdate()
        with transaction.atomic():
            campaign = self.load_campaign()
            storylines = self.load_storylines(campaign)
            self.load_videos(campaign, storylines)
            self.load_pages(campaign)
            schools = self.load_schools(storylines)
            companies = self.load_companies(storylines, schools)
            self.load_masterclasses(storylines, schools, companies)
            self.load_news(schools)
            self.load_social_posts(campaign, storylines)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def report(self, label: str, count: int) -> None:
        self.stdout.write(f"  {label}: {count}")

    def load_campaign(self) -> Campaign:
        data = dict(CAMPAIGN)
        slug = data.pop("slug")
        campaign, _ = Campaign.objects.update_or_create(
            slug=slug,
            defaults={
                **data,
                "is_active": True,
                "hero_image_alt": "Illustratie in roze en blauw met de tekst Techniek doet het",
            },
        )
        attach_image(
            campaign,
            "hero_image",
            "demo-techniek-doet-het.jpg",
            lambda: draw_picture("Techniek doet het", ("#E6007E", "#005A9C")),
        )
        attach_image(
            campaign,
            "logo",
            "demo-techniek-doet-het-logo.png",
            lambda: draw_logo("Techniek Doet het", ("#E6007E", "#005A9C")),
        )
        self.stdout.write(f"Campaign: {campaign.name}")
        return campaign

    def load_storylines(self, campaign: Campaign) -> dict[str, Storyline]:
        storylines = {}
        for order, (slug, title, icon, color, pupil_text) in enumerate(STORYLINES, start=1):
            storyline, _ = Storyline.objects.update_or_create(
                slug=slug,
                defaults={
                    "campaign": campaign,
                    "title": title,
                    "icon": icon,
                    "color": color,
                    "pupil_text": pupil_text,
                    "order": order,
                    "status": PUBLISHED,
                    "published_at": self.now - dt.timedelta(days=90),
                    "hero_image_alt": f"Illustratie in de kleur van de verhaallijn met de tekst {title}",
                },
            )
            attach_image(
                storyline,
                "hero_image",
                f"demo-{slug}.jpg",
                lambda title=title, color=color: draw_picture(title, (color, "#212529")),
            )
            storylines[slug] = storyline
        for (slug, audience), (headline, body, cta_label, cta_url) in MESSAGES.items():
            AudienceMessage.objects.update_or_create(
                storyline=storylines[slug],
                audience=audience,
                defaults={
                    "headline": headline,
                    "body": body,
                    "cta_label": cta_label,
                    "cta_url": cta_url,
                },
            )
        self.report("storylines", len(storylines))
        self.report("audience messages", len(MESSAGES))
        return storylines

    def load_videos(self, campaign: Campaign, storylines: dict[str, Storyline]) -> None:
        for data in VIDEOS:
            data = dict(data)
            storyline = storylines[data.pop("storyline")]
            video, _ = Video.objects.update_or_create(
                campaign=campaign,
                title=data.pop("title"),
                defaults={
                    **data,
                    "storyline": storyline,
                    "status": PUBLISHED,
                    "published_at": self.now - dt.timedelta(days=60),
                    "poster_alt": f"Poster in de kleur van {storyline.title} met de titel van de video",
                },
            )
            attach_image(
                video,
                "poster",
                f"demo-poster-{storyline.slug}.jpg",
                lambda video=video, color=storyline.color: draw_picture(
                    video.title, (color, "#212529")
                ),
            )
        self.report("videos", len(VIDEOS))

    def load_pages(self, campaign: Campaign) -> None:
        for data in PAGES:
            data = dict(data)
            Page.objects.update_or_create(
                slug=data.pop("slug"),
                defaults={
                    **data,
                    "campaign": campaign if data["audience"] else None,
                    "status": PUBLISHED,
                    "published_at": self.now - dt.timedelta(days=90),
                },
            )
        self.report("pages", len(PAGES))

    def load_schools(self, storylines: dict[str, Storyline]) -> dict[str, School]:
        schools = {}
        for data in SCHOOLS:
            data = dict(data)
            slug = data.pop("slug")
            storyline_slugs = data.pop("storylines")
            colors = data.pop("colors")
            school, _ = School.objects.update_or_create(
                slug=slug,
                defaults={
                    **data,
                    "website": f"https://{slug}.example.org/",
                    "email": f"info@{slug}.example.org",
                    "contact_email": f"contact@{slug}.example.org",
                    "photo_alt": f"Illustratie met de naam van {data['name']}",
                    "status": PUBLISHED,
                    "published_at": self.now - dt.timedelta(days=90),
                },
            )
            school.storylines.set([storylines[s] for s in storyline_slugs])
            attach_image(
                school,
                "photo",
                f"demo-{slug}.jpg",
                lambda name=data["name"], colors=colors: draw_picture(name, colors),
            )
            attach_image(
                school,
                "logo",
                f"demo-{slug}.png",
                lambda name=data["name"], colors=colors: draw_logo(name, colors),
            )
            for title, days, weekday, hour, hours, description in OPEN_DAYS[slug]:
                starts_at = _at(_on_weekday(self.today + dt.timedelta(days=days), weekday), hour)
                OpenDay.objects.update_or_create(
                    school=school,
                    title=title,
                    defaults={
                        "starts_at": starts_at,
                        "ends_at": starts_at + dt.timedelta(hours=hours),
                        "description": description,
                        "signup_url": f"https://{slug}.example.org/open-dag/",
                    },
                )
            schools[slug] = school
        self.report("schools", len(schools))
        self.report("open days", sum(len(days) for days in OPEN_DAYS.values()))
        return schools

    def load_companies(self, storylines, schools) -> dict[str, Company]:
        companies = {}
        for (
            slug,
            name,
            sector,
            town,
            summary,
            story_slugs,
            school_slugs,
            offers,
            colors,
        ) in COMPANIES:
            company, _ = Company.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "sector": sector,
                    "town": town,
                    "summary": summary,
                    "description": f"<p>{summary}</p><p>{name} werkt mee aan Techniek doet "
                    f"het, zodat jongeren uit de regio zien hoe mooi hun vak is.</p>",
                    "website": f"https://{slug}.example.org/",
                    "contact_name": "Afdeling HR",
                    "contact_email": f"hr@{slug}.example.org",
                    "status": PUBLISHED,
                    "published_at": self.now - dt.timedelta(days=80),
                },
            )
            company.storylines.set([storylines[s] for s in story_slugs])
            company.schools.set([schools[s] for s in school_slugs])
            for kind, description in offers.items():
                Offer.objects.update_or_create(
                    company=company, kind=kind, defaults={"description": description}
                )
            attach_image(
                company,
                "logo",
                f"demo-{slug}.png",
                lambda name=name, colors=colors: draw_logo(name, colors),
            )
            companies[slug] = company
        self.report("companies", len(companies))
        return companies

    def load_masterclasses(self, storylines, schools, companies) -> None:
        session_days = [
            _on_weekday(self.today + dt.timedelta(weeks=weeks), 2)  # Wednesday afternoon
            for *_, weeks, _open in SESSIONS
        ]
        middle = session_days[0] + (session_days[-1] - session_days[0]) / 2
        name, slug = _round_name(middle)
        round_, _ = MasterclassRound.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "starts_on": session_days[0],
                "ends_on": session_days[-1],
                "description": (
                    "Het rondreizende techniekcircus: een masterclass op elke partnerschool, "
                    "voor leerlingen uit groep 7 en 8."
                ),
                "status": PUBLISHED,
                "published_at": self.now - dt.timedelta(days=14),
            },
        )
        open_now = 0
        for day, session_data in zip(session_days, SESSIONS, strict=True):
            school_slug, story_slug, company_slugs, title, summary, _weeks, is_open = session_data
            school = schools[school_slug]
            starts_at = _at(day, 14)
            opens_at = (
                self.now - dt.timedelta(days=7) if is_open else starts_at - dt.timedelta(weeks=4)
            )
            session, _ = Session.objects.update_or_create(
                slug=f"{slug}-{school_slug}",
                defaults={
                    "round": round_,
                    "host_school": school,
                    "storyline": storylines[story_slug],
                    "title": title,
                    "summary": summary,
                    "description": f"<p>{summary}</p><p>Voor leerlingen uit groep 7 en 8. "
                    f"Ouders zijn welkom bij de presentatie aan het eind.</p>",
                    "starts_at": starts_at,
                    "ends_at": starts_at + dt.timedelta(hours=2),
                    "audience": "groep 7 en 8",
                    "seats": 24,
                    "max_per_booking": 12,
                    "registration_opens_at": opens_at,
                    "registration_closes_at": starts_at - dt.timedelta(days=2),
                    "status": PUBLISHED,
                    "published_at": self.now - dt.timedelta(days=14),
                },
            )
            session.companies.set([companies[c] for c in company_slugs])
            if is_open:
                open_now += 1
                self.load_registrations(session)
        self.stdout.write(f"Masterclass round: {round_.name}")
        self.report("sessions", len(SESSIONS))
        self.report("open for registration now", open_now)

    def load_registrations(self, session: Session) -> None:
        Registration.objects.update_or_create(
            session=session,
            contact_email="meester.tim@zeester.example.org",
            child_first_name="",
            defaults={
                "kind": Registration.Kind.GROUP,
                "pupil_count": 8,
                "child_group": "groep 8",
                "primary_school": "Basisschool De Zeester",
                "contact_name": "Tim Visser",
            },
        )
        Registration.objects.update_or_create(
            session=session,
            contact_email="linda.groot@example.org",
            child_first_name="Sem",
            defaults={
                "kind": Registration.Kind.CHILD,
                "pupil_count": 1,
                "child_group": "groep 7",
                "primary_school": "Basisschool 't Kompas",
                "contact_name": "Linda Groot",
                "has_parental_consent": True,
            },
        )

    def load_news(self, schools) -> None:
        published = 0
        for slug, school_slug, title, summary, body, days_ago, has_image in NEWS:
            school = schools[school_slug] if school_slug else None
            if days_ago is None:
                state = {"status": NewsItem.Status.SUBMITTED, "published_at": None}
            else:
                published += 1
                state = {
                    "status": NewsItem.Status.PUBLISHED,
                    "published_at": self.now - dt.timedelta(days=days_ago, hours=3),
                }
            item, _ = NewsItem.objects.update_or_create(
                slug=slug,
                defaults={
                    **state,
                    "school": school,
                    "title": title,
                    "summary": summary,
                    "body": body,
                    "image_alt": f"Illustratie met de tekst {title}" if has_image else "",
                    "submitter_name": school.contact_name if school else "Coördinator",
                    "submitter_email": school.contact_email
                    if school
                    else "coordinator@example.org",
                },
            )
            if has_image:
                colors = next(s["colors"] for s in SCHOOLS if s["slug"] == school_slug)
                attach_image(
                    item,
                    "image",
                    f"demo-{slug}.jpg",
                    lambda title=title, colors=colors: draw_picture(title, colors),
                )
        self.report("news items published", published)
        self.report("news items waiting for moderation", len(NEWS) - published)

    def load_social_posts(self, campaign, storylines) -> None:
        for data in SOCIAL_POSTS:
            data = dict(data)
            days_ahead = data.pop("days_ahead")
            storyline_slug = data.pop("storyline")
            planned_for = None
            if days_ahead is not None:
                planned_for = _at(self.today + dt.timedelta(days=days_ahead), 8, 30)
            SocialPost.objects.update_or_create(
                campaign=campaign,
                title=data.pop("title"),
                defaults={
                    **data,
                    "storyline": storylines[storyline_slug] if storyline_slug else None,
                    "planned_for": planned_for,
                    "link_url": "https://techniekdoethet.example.org/masterclasses/",
                },
            )
        self.report("social-media drafts", len(SOCIAL_POSTS))
