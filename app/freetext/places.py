"""R-42 places (003 s10: "the area where they live", and any place "that anyone involved
in contact visits regularly, for example work, school, rehab"): named settlements, areas,
estates, districts and homes (`place`), named schools, workplaces, clinics, rehab and
recovery centres, hostels, probation, places of worship and clubs (`institution`), and
named streets without a house number (`address`). Pure: the names come from
`gazetteer.py`.

Places suggest "where they live" after a word of living there ("lives in", "moved to",
"staying at", "a flat in") and "their area" otherwise ("their home" for a house name):

* a GB settlement of the gazetteer (GeoNames, population 500+) written with a capital,
  **in context**, so that everyday words that are also towns do not fire: after "in",
  "at", "to", "from", "near", "around", "outside", "out of", "up", "down" or "over" ("the
  bus from Hucknall", "up Mansfield"), after "on" or "by" where someone lives ("staying
  at his mum's on Wellington", "lives by Sherwood"), before a home ("her Bulwell flat",
  "somewhere Hucknall way"), unless a capitalised word follows ("at Nottingham Crown
  Court", "to Derby County"), or a name of two or more words anywhere ("West Bridgford",
  "Sutton-in-Ashfield", "Pen-y-groes" however the gazetteer joins it). "Reading a book",
  "Bath time", "in March" stay clean: months, days, festivals and relationship words are
  never places, nor is a saint's day ("St David's Day");
* a name from the deployment's own list (`PLACE_NAMES_FILE`) wherever it is capitalised
  ("The Meadows");
* any capitalised name just after a word of living there ("she has moved to Top Valley",
  "moved back to Ynys Môn"), even when no list knows it;
* a capitalised word the lists do not know, after "in", "from", "near" and the like, when
  it ends as English settlement names do ("in Bulwell", "from Bilborough": -well, -ton,
  -ham, -ley, -ford, -field, -worth, -bury, -borough, -by ...), unless it is a given name
  ("to Ashley") or opens a sentence;
* a town right after an address and a comma ("3 The Paddocks, Stapleford");
* a capitalised name before "estate", "area", "village" or "district" ("the Broxtowe
  estate"), and a house name where someone is ("still at Rose Cottage", "at Ivy House
  Farm");
* not a settlement in a sentence about an outing, a holiday, a story or a one-off visit
  ("to Skegness on holiday", "a caravan in Ingoldmells", "went to Nottingham to see the
  lights", "the FA Cup final at Wembley", "might take them to Scarborough"), unless
  someone lives there ("Nan has moved to Skegness") or goes regularly ("goes to
  Scarborough every week");
* a named park or green without a house number ("Colwick Park", "Hyson Green"), but not
  a park visited once ("took the kids to Bradgate Park for the afternoon");
* every later capitalised mention of a name found as a place earlier in the same text
  ("staying in Rotherham ... where's Rotherham?");
* a move: "gone back to Iași", "rehoused from Easton to Lawrence Weston" (the second place
  of a move from a place where someone lived), "a bungalow called Tŷ Isaf", "over from
  Kumasi, where she lives", "Oldham's where he's stopping now";
* not a place that is a date to come ("a feis in Birmingham in June", "in Cardiff next
  summer"), a wish ("wants to see the Golden Temple in Amritsar one day", but not "wants to
  go to Nain's in Barry"), a reference point ("is that near Glasgow?"), an event named after
  a place ("Notting Hill Carnival"), a square of the Monopoly board in a text about the
  game, or the contact centre itself;
* any capitalised name after kin and "in" ("her mum's in Hartcliffe", "his mother in
  Kaunas", "their Nani in Sylhet"), and after a business or an institution and "in" ("his
  family's takeaway in Broughty Ferry", "Kerr's Bakery in Leith"), but never a country
  ("back to Slovakia"), a language ("back to Arabic class") or someone's home by their
  first name ("living at Carol's"); names opening as Welsh, Scottish and Irish settlements
  do ("Llanystumdwy", "Inverkeithing", "Ballyhaunis") and two words after "Wester",
  "Nether", "Great" and the like ("Wester Hailes") where a town would stand;
* where someone comes from or is back at ("came down from Barabhas", "still over in
  Castlemilk", "back on Westray"), a place described ("Peterlee's dead boring",
  "Croxteth's got a massive park", "better than Hucknall"), a place missed ("misses Bute"),
  the town of March after "moved to", a named site ("the Cottingley Springs site"); never a
  country of the UK ("in Wales");
* a place left for a home ("has left Bentilee and is renting", "got out of Possilpark into
  a flat"), a place compared with one found ("quieter than Langlee"), a place that "is
  where" something is ("Moss Side's where all my mates are"), a town said to be so
  ("Ashington hasn't been good for her", "Peacehaven suits him"), a farm or a croft named
  after "the farm at", "farming at", "the lambing at" or "his mother's farm," (their home);
  not in a story or a game ("a Lego farm");
* the town of an address, between a comma and a full postcode ("3 Orchard Cottages,
  Eardisland, HR6 9BD") or after a postcode and "in" ("M22 5RN, in Wythenshawe"); a working
  port or base ("crewing out of Kinlochbervie"; not "a boat out of Play-Doh"); a journey's
  start ("the bus from Parr", "came from Leurbost on the early ferry"); where someone
  visited lives ("wants to visit her in Stocksbridge"); a home in a new council offer ("a
  2 bed in Drumchapel"); "up" or "round" a place where someone lives ("living with Nanny up
  Chantry"); a district named "... Hill" after "in", "at", "over at" ("over at Ocker Hill";
  "on Castle Hill" is a street); a settlement's ending or a district's word when described
  ("Penn Fields is miles better", "Exwick is much better", even opening a sentence); a place
  left for a relative's ("has left Blaenymaes and gone to his brother's"); "still up at
  Tyddyn Isaf"; a house name before the rest of its address ("Rowan
  Cottage, Laurieston, DG7 2PW"); not teams compared ("Cardiff City are better than
  Swansea");
* a name no list knows that opens what someone said of it as only a place is spoken of
  ("Drumchapel's boring without you", "Rushey Mead is quieter", "Kingstanding's gone
  downhill", "Fintry was nae good for me"), unless it is a given name, an everyday word
  (Faker's common words), a game, a toy, a chain, a team or a description; after Scots
  "fae" and "out" ("fae Northfield", "her flat out Withywood"); before "where Nanna lives";
  never a town that is an everyday word, described ("Reading is boring", "Bath was fun").

Never a place or an institution: an attraction of a day out ("a real driver at Legoland"),
somewhere "one day" or "for the first time", a class or a group ("her best friend in the
Ladybirds"), a festival ("St David's Day week"), a board game ("Snakes and Ladders").

A workplace, a school or a club named after "at" or "for" wins over a town of the same name
when a cue says so ("doing nights at Derriford", "at Kingsford now and his teacher is",
"Cubs at St Mary's"), and over a street ("started at Saxon Way and his teacher is").

Institutions suggest the description the seed asks for ("school", "nursery", "work",
"rehab", "the hostel", "probation", "church", "the club", ...; "work" whenever a word of
work comes just before, as in "works at Sherwood Park Care Home"):

* a run of capitalised words with an institution word in it or just after it (capitalised
  or not), and at least one word that is a name and not a description: "Greenwood
  Primary School", "Kirkby Juniors", "St Mary's Academy", "the Arnold Lodge rehab
  programme", "New College Nottingham", "Queen's Medical Centre", "Bestwood Juniors FC",
  "Raleigh Street garage", "Hope House (refuge)";
* an institution word before a name: "HMP Nottingham";
* a capitalised name after "works at", "a job at", "church at", "Mass at", "rehab at",
  "probation ... at" and the like ("She works at Hargreaves Haulage", "goes to church at
  St Anselm's", "cleans at the Holiday Inn"), except a national chain ("works at Asda in
  Bulwell": the town is the finding, hundreds of branches name no one's workplace; "the
  Boots warehouse" is one);
* a capitalised name after "at" when the school year or uniform follows ("he's at
  Bluecoat now, Year 7"), and after "to" or "at" where someone goes regularly ("goes to
  Phoenix every Tuesday", suggesting "where they go");
* a firm named by its trade ("Afan Valley Groundworks", "Shah & Mistry Accountants"), a
  business just described ("opened a barber's, Fade Kings,"), "a job with ...", "Our Lady
  of ..." (a parish or its school), a school named after "at" when a teacher, a detention
  or a lesson comes before ("a detention off Ms Okonkwo-Bailey at Ellis Guilford"); a name
  before ", where he works"; a firm after "apprentice with"; Gaelic and Welsh institution
  words first ("Cròileagan ...", "Sgoil ..."); not a town's team talked about ("Barnsley
  FC"), nor a toy ("a Duplo garage");
* a prison of `prisons.txt` after "in", "at", "from", "out of" or "visiting" ("back in
  Barlinnie", suggesting "prison"); a hospital by what follows it ("in King's Mill for her
  hip, ward 32", "at Raigmore to get his knee looked at"); a workplace after a job's word
  and "at" ("a porter at", "a start at"), even when it reads like a person's name ("nights
  at Prince Charles"); a business described with "a" and named between commas ("a
  scrapyard, Don Valley Metals,"); a school after a Scottish class ("in P2 at Towerbank");
  "Bun-sgoil ..."; a college in a town's name ("Leeds City College" is no team); a name then
  described as an institution ("Elmhurst House, the approved premises"); a name before ",
  where she has started working"; a club named after a game's word ("the chess club at
  Harris Academy Purley" is no story); where something was learnt ("the surah she learned
  at Al-Rahma"); a church after "Communion", "Mass", "Father ..." or "Pastor ..." and a
  mosque after "Jummah" or "Imam ..."; a junior team by its age group after ("Castleford
  Panthers under 10s") or "playing for" ("he's playing for Dundela Youth"); a boxing club
  ("Burnley ABC"); "Bun-sgoil ..." however it is split; a café or project someone goes to
  "most days" or "twice a week"; not an institution on a visit ("Dadi's visit to the
  Golden Temple"); a name ending "Recovery", "Seafoods", "Smokehouse" and other trades;
  a mosque where Qur'an is read, a team someone is "in goal for", a counter worked at, a
  church after "Sunday service at"; never a run led by "Mr", "Dr" and the like (a person:
  "Mr Bailey's probation officer", "an appointment with Dr Pattni"), nor "the Roman baths"
  or a Christmas market; a named House or Lodge where someone lives, is, or has left (a
  hostel, refuge, care home or office more often than a home: "living at Elmhurst House",
  suggesting "the hostel"); what a child "goes to" ("she goes to Little Acorns"), unless
  a town, a word, a chain, a game or an attraction; a school someone is "excluded (twice)
  from", a prison someone is "released from"; a band or choir "at" a school; a firm "a driver
  with"; somewhere someone is "referred to"; Irish and Welsh school and playgroup words first
  ("Coláiste Feirste", "Gaelscoil ...", "Cylch Meithrin ..."); a youth offending team ("Medway
  YOT"), a PRU, CAMHS; "her class at Crosshill"; a ward ("on Bramble Ward"); a hospital
  someone has been in "since Friday" after a fall or an accident ("in Altnagelvin since
  Friday after an accident");
* never a title in a sentence about a story or an outing ("watched Charlie and the
  Chocolate Factory", "soft play at Wacky Warehouse"), nor a chain shop whose name has an
  institution word ("a badge from Card Factory") unless someone works there.

Streets (`address`, as the R-42 address patterns name streets): a capitalised name of one
or two words before a street word they do not already take without a number ("Forest
Rise", "Arkwright Walk"), and a house number before "The" and a name ("3 The Paddocks");
generic ones ("Car Park", "Bowling Green") and squares ("Trinity Square", a landmark) are
not addresses, nor is one word opening a sentence ("Sang Row, Row, Row Your Boat").

Not findings: a known person's first name alone ("Chester" for a child called Chester),
descriptions without a name ("Primary School", "Forest school", "Football club", "from
Brownies", "moved to Year 4"), relationship words with a possessive ("staying at Nan's"),
courts ("Nottingham Family Court") and places named without context ("Amara likes Arnold
park").

Known gaps: a one-word institution without a cue ("he's at Bluecoat"); a settlement the
lists lack, outside a word of living and without a settlement's ending ("all in Top Valley
now"); a town named with no preposition or home word ("Nan said Radford has changed").

Every rule is a look-up per word (sets and dicts from `gazetteer.py`) over one pass of the
words, so the cost is linear in the length of the text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Collection
from typing import NamedTuple

from app.freetext import gazetteer, shape
from app.freetext.words import FAMILY_WORDS, KIN_WORDS, NOT_NAMES, PARTICLES, Words, bare, head, tail

__all__ = ["pieces"]

Piece = tuple[int, int, str, str]  # start, end, kind, suggestion

# Sentence, phrase and clause breaks, compiled once (the rules look for them at every capitalised word).
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_PHRASE_BREAK = re.compile(r"[.!?\n;]")
_CLAUSE_BREAK = re.compile(r"[.!?\n;,]")
AREA = "their area"
HOME_AREA = "where they live"
HOME = "their home"

# After these a capitalised gazetteer name is a place.
_PREPOSITIONS = frozenset("fae frae out in at to from near nearer left leave leaving misses missed miss above below beyond around outside towards toward round past via up down over off".split())
# After these (alone, or before a preposition) any capitalised name is where someone lives.
_LIVING = frozenset(
    """lives live living lived moved moving move staying stays stay stayed based settled relocated
    relocating housed rehoused resettled resides residing reside lodging lodges lodged renting rents rented placed stopping""".split()
)
_ADVERBS = frozenset("back out over away up down in into all now".split())  # "moved back to", "moved in with", "moving into"
_HOMES = frozenset("bed flat house home bedsit maisonette bungalow cottage farmhouse farm site address place room accommodation caravan hostel refuge".split())
# A sentence with one of these is about an outing, a holiday or a story, not where someone
# lives or goes regularly: "a caravan in Skegness on holiday", "watched Charlie and the
# Chocolate Factory", "soft play at Wacky Warehouse".
_OUTINGS = frozenset(
    """holiday holidays hols trip trips seaside beach camping vacation outing outings cinema bowling zoo
    museum soft theme""".split()
)
_STORIES = frozenset(
    """watched watching watch read reading reads played playing film films movie movies book books story
    stories episode episodes show cartoon game games favourite lego minecraft roblox fortnite pokemon pokémon sims
    monopoly project homework topic lesson learning learnt learned duplo playmobil brio party tiktok youtube snapchat clip clips karaoke impression
    instagram sang sing sings singing song songs snakes ladders uno jenga kerplunk twister cluedo scrabble dominoes chess draughts map wonka pontypandy""".split()
)
# A place just before one of these names an event, not where anyone is ("Notting Hill
# Carnival", "Blackpool Illuminations", "the Great North Run").
_EVENT_NAMES = frozenset(
    "carnival festival marathon pride illuminations mela run show half lights fair tattoo scarf shirt kit top hoodie programme "
    "beach pier promenade prom seafront aquarium".split()
)
_TEAM_WORDS = frozenset("fc afc rovers united city town athletic wanderers albion rangers county kr".split())
# After a street word, these make the name a toy, an event or a team: "his Paw Patrol Chase toy", "his
# Bethnal Green United kit".
_NOT_AFTER_STREET = _EVENT_NAMES | _TEAM_WORDS | frozenset("toy toys figure figures set game character costume".split())
# Teams' nicknames: "a Wolves programme".
_NICKNAMES = frozenset("wolves spurs hibs hearts gers saints blades magpies toffees baggies canaries foxes hammers gunners".split())
_TOYS = frozenset("lego duplo playmobil brio minecraft roblox sylvanian peppa barbie bluey paw hey wonka schleich bruder".split())
_PRODUCTS = frozenset(
    "pork pie pies tart tarts cake cakes pudding puddings sausage sausages cheese rock mint biscuits pasty pasties bun buns".split()
)
_DISTRICTS = frozenset("heath end wood common moor vale cross fields bank valley bridge hills west east north south".split())
_PREFIXES = frozenset("great little upper lower north south east west nether long old high market wester easter".split())
# Prefixes that make any name after them a settlement ("Wester Hailes", "Nether Edge").
_STRONG_PREFIXES = frozenset("great upper lower nether wester easter".split())  # not "Little": "Little Acorns" is a nursery
_HOMES_AFTER = frozenset("flat flats house home bedsit maisonette bungalow caravan cottage way".split())
_AREA_WORDS = frozenset("estate estates area village district site".split())
# Endings of English settlement names ("Bulwell", "Bilborough", "Aspley").
_PLACE_ENDINGS = (
    "ton", "ham", "ley", "ford", "worth", "field", "don", "bury", "borough", "brough", "well", "bridge", "wick",
    "burn", "thorpe", "hurst", "stead", "caster", "chester", "cester", "mouth", "minster", "wood", "by", "dale",
    "combe", "leigh", "stow", "ington", "ingham", "sall", "shaw", "holme", "ness", "stone", "hall", "thwaite", "hill",
    "town",
)
# Openings of Welsh, Scottish and Irish settlement names ("Llanystumdwy", "Inverkeithing",
# "Ballyhaunis"), for names of seven letters or more.
_PLACE_OPENINGS = ("llan", "aber", "cwm", "pont", "caer", "tref", "ystrad", "inver", "kil", "strath", "auch", "bally", "dun", "glen")
# House names: a name then one of these is a home ("Rose Cottage", "Ivy House Farm").
_HOUSE_WORDS = frozenset("cottage farm house lodge manor grange barn villa mill bungalow".split())

# Institution words (lower-cased) and their description.
_INSTITUTION: dict[str, str] = {}
for _words, _say in (
    ("school primary secondary academy college junior juniors infants grammar comprehensive university uni campus institute", "school"),
    ("nursery playgroup pre-school preschool montessori creche crèche tots", "nursery"),
    ("rehab rehabilitation detox recovery", "rehab"),
    ("hostel foyer refuge shelter", "the hostel"),
    ("probation", "probation"),
    ("yot yos", "the youth offending team"),
    ("pru ps ips", "school"),  # "St Kevin's PS", "Lagan College IPS": Northern Ireland's primary schools
    ("camhs", "the clinic"),
    ("prison", "prison"),
    ("programme", "the programme"),
    ("clinic", "the clinic"),
    ("surgery", "the GP surgery"),
    ("hospital infirmary hospice general", "hospital"),  # "Furness General", "the Northern General"
    ("church chapel cathedral parish", "church"),
    ("mosque masjid jamia", "the mosque"),  # "Easton Jamia"
    ("madrasah madrasa madrassa", "the madrasah"),
    ("temple gurdwara mandir", "the temple"),
    ("synagogue", "the synagogue"),
    ("club fc afc jfc cc rfc rlfc arlfc abc colts gym cubs scouts brownies guides beavers rainbows cadets band steelband orchestra", "the club"),
    ("baths lido", "swimming"),
    ("library", "the library"),
    ("café cafe ltd limited plc llp factory warehouse depot garage plant dairy abattoir quarry laundry bakery brewery steelworks colliery shipyard docks barracks", "work"),
    # firms named by their trade: "Afan Valley Groundworks", "Shah & Mistry Accountants"
    ("hub taxis groundworks roofing builders construction scaffolding plumbing electrical joinery motors logistics haulage accountants solicitors", "work"),
    ("pallets knitwear seafoods fisheries smokehouse catering homecare recruitment tyre exhaust exhausts ceramics timber plastics packaging engineering fabrications foods textiles recycling surfacing paving tarmac landscaping fencing tyres removals chemists distillery", "work"),
    ("seafarms seafarm offshore fabrication pottery potteries shipping freight couriers takeaway restaurant salon", "work"),  # "Hebridean Seafarms", "Bravo Offshore"
    ("foodbank", "the food bank"),
    ("jobcentre", "the job centre"),
):
    for _word in _words.split():
        _INSTITUTION[_word] = _say
# Trades that name a firm only with a capital, inside its name ("Mill Hill Cars", "Barony Meats"),
# not "his Hot Wheels cars".
_CAPITAL_TRADES = frozenset("cars cabs stores produce meats butchers valeting bulbs farms growers".split())
for _word in _CAPITAL_TRADES:
    _INSTITUTION[_word] = "work"
# Two-word institution names.
INSTITUTION_WORDS = frozenset(_INSTITUTION)  # for strangers.py: "Middleport Pottery" is no one's name
_PAIRS: dict[tuple[str, str], str] = {
    ("medical", "centre"): "the GP surgery", ("health", "centre"): "the GP surgery", ("medical", "practice"): "the GP surgery",
    ("recovery", "centre"): "rehab", ("recovery", "group"): "rehab", ("recovery", "project"): "rehab", ("recovery", "café"): "rehab", ("recovery", "cafe"): "rehab", ("recovery", "programme"): "rehab",
    ("youth", "theatre"): "the club", ("support", "group"): "the group", ("treatment", "centre"): "rehab", ("leisure", "centre"): "the leisure centre",
    ("children's", "centre"): "the children's centre", ("childrens", "centre"): "the children's centre",
    ("youth", "centre"): "the youth club", ("community", "centre"): "the community centre",
    ("sports", "centre"): "the leisure centre", ("family", "hub"): "the family hub", ("care", "home"): "the care home",
    ("nursing", "home"): "the care home", ("call", "centre"): "work", ("distribution", "centre"): "work",
    ("job", "centre"): "the job centre", ("years", "centre"): "nursery", ("drop", "in"): "the drop-in", ("day", "centre"): "the day centre", ("city", "farm"): "the farm",
    ("kingdom", "hall"): "church", ("islamic", "centre"): "the mosque", ("islamic", "center"): "the mosque", ("approved", "premises"): "the hostel", ("supported", "housing"): "the hostel",
    ("food", "bank"): "the food bank", ("swimming", "pool"): "swimming",
    ("junior", "school"): "school", ("infant", "school"): "school", ("high", "school"): "school",
    ("sixth", "form"): "school", ("swim", "school"): "the club", ("dance", "school"): "the club",
    ("women's", "institute"): "the club", ("womens", "institute"): "the club", ("women's", "aid"): "the refuge", ("womens", "aid"): "the refuge", ("women’s", "aid"): "the refuge",
    ("addiction", "centre"): "rehab", ("addiction", "service"): "rehab", ("addiction", "services"): "rehab", ("drug", "service"): "rehab",
    ("car", "wash"): "work", ("hand", "car"): "work",
}
_PAIR_SECONDS = frozenset(second for _, second in _PAIRS)
_PAIR_FIRSTS = frozenset(first for first, _ in _PAIRS)
# National chains: "works at Asda" names no one's workplace among hundreds of branches (the
# branch's town does: "at Asda in Bulwell"); "the Boots warehouse" is one site.
_CHAINS = frozenset(
    """tesco asda sainsbury's sainsburys morrisons aldi lidl co-op coop co waitrose iceland boots superdrug greggs
    mcdonald's mcdonalds kfc subway costa starbucks primark argos wilko poundland currys halfords screwfix
    wickes ikea matalan amazon uber deliveroo evri dpd hermes bolt clarks next dunelm hobbycraft smyths selfridges debenhams
    asos zara lush toolstation specsavers timpson warburtons travelodge""".split()
)
# Chains whose name has an institution word in it: bought from, not a workplace, unless a
# word of work comes before ("got him a badge from Card Factory"; "works at Card Factory").
# Attractions visited for a day out: never a regular place ("a real driver at Legoland").
# Places of stories, games and programmes that children and families talk about: never anyone's place.
FICTION = frozenset(
    item.strip()
    for item in """weatherfield|walford|albert square|ambridge|greendale|pontypandy|darrowby|sodor|balamory|struay|hogwarts|
    hogsmeade|diagon alley|privet drive|narnia|neverland|bikini bottom|adventure bay|mossy bottom|
    mossy bottom farm|west wallaby street|hundred acre wood|summer bay|ramsay street|erinsborough|brookhaven|arendelle|
    bedrock|toytown|trumpton|camberwick green|chigley|peppa pig world|tellytubbyland|wonderland|oz|emerald city|
    middle earth|the shire|mordor|hyrule|kanto|paldea|pallet town|whoville|duckburg|townsville|lazy town|lazytown""".split("|")
)
_FICTION_FIRSTS = frozenset(name.split()[0] for name in FICTION)
_ATTRACTIONS = frozenset(
    item.strip()
    for item in """legoland|disneyland|alton towers|thorpe park|drayton manor|paultons park|chessington|gulliver's world|
    pleasure beach|flamingo land|lightwater valley|west midlands safari park|peppa pig world|camelot|
    adventure island|dreamland|m&ds|knowsley safari|chester zoo|twycross zoo|longleat|cbeebies land|
    celtic park|ibrox|st james' park|st james park|anfield|old trafford|etihad|wembley|highbury|emirates|stamford bridge|
    villa park|goodison|goodison park|hampden|hampden park|murrayfield|twickenham|principality stadium|racecourse|
    the racecourse|st andrew's|the o2|the hydro|ninian park|cardiff arms park|
    snowdon|yr wyddfa|ben nevis|scafell|scafell pike|helvellyn|skiddaw|blencathra|catbells|cat bells|tryfan|ben lomond|
    arthur's seat|kinder scout|mam tor|the wrekin|wrekin|roseberry topping|pendle hill|box hill|ingleborough|whernside|
    goatfell|cairngorm|schiehallion|slieve donard|the cheviot""".split("|")  # and mountains climbed: "go up Snowdon on the train"
)
_CHAIN_NAMES = frozenset(
    """card factory|the card factory|carpet warehouse|furniture warehouse|wacky warehouse|fun factory|cheesecake factory|
    the range|home bargains|b&m|jd sports|sports direct|pizza hut|burger king|five guys|tk maxx|the entertainer|
    dreams bakery|cake factory|book warehouse|works|the works|card warehouse|toy warehouse""".split("|")
)
# Institution words before a name: "HMP Nottingham".
_BEFORE: dict[str, str] = {
    "hmp": "prison", "raf": "work", "hmyoi": "prison", "coleg": "school", "ysgol": "school", "prifysgol": "school", "capel": "church",
    "eglwys": "church", "ysbyty": "hospital", "côr": "the choir", "ts": "the club", "masjid": "the mosque", "sgoil": "school", "cròileagan": "nursery", "coláiste": "school", "colaiste": "school", "gaelscoil": "school", "gaelcholáiste": "school",
    "scoil": "school", "bunscoil": "school", "bunsgoil": "school", "àrdsgoil": "school", "ardsgoil": "school", "naíscoil": "nursery", "naiscoil": "nursery", "cylch": "nursery", "meithrinfa": "nursery", "croileagan": "nursery", "madrasah": "the madrasah", "madrasa": "the madrasah", "madrassa": "the madrasah", "jamia": "the mosque",
}
# Words that make the next capitalised name a workplace, school, place of worship or rehab.
_CUES: dict[str, str] = {
    "works": "work", "working": "work", "work": "work", "job": "work", "employed": "work", "employer": "work",
    "shifts": "work", "shift": "work", "nights": "work", "cleaning": "work", "cleans": "work", "cleaner": "work",
    "volunteer": "work", "volunteers": "work", "volunteered": "work", "volunteering": "work",
    "attends": "school", "attend": "school", "attending": "school", "pupil": "school", "enrolled": "school",
    "course": "school", "school": "school", "college": "school", "nursery": "nursery",
    "rehab": "rehab", "recovery": "rehab", "detox": "rehab", "programme": "rehab",
    "hostel": "the hostel", "refuge": "the hostel", "probation": "probation",
    "church": "church", "mass": "church", "chapel": "church", "communion": "church", "christening": "church",
    "baptism": "church", "confirmation": "church", "mosque": "the mosque", "prayers": "the mosque",
    "temple": "the temple", "gurdwara": "the temple", "jummah": "the mosque", "jumma": "the mosque", "salah": "the mosque", "club": "the club", "gym": "the club",
    "appointment": "the clinic", "appointments": "the clinic", "contract": "work", "referred": "the clinic",
    "admitted": "hospital", "sectioned": "hospital", "inpatient": "hospital", "outpatient": "hospital", "outpatients": "hospital",
    "maintenance": "work",
}
_WORK_WORDS = frozenset(word for word, say in _CUES.items() if say == "work")
# Before "play(s|ing) for": a player, not a game ("he's playing for Dundela Youth", "watch him play for").
# A famous player's team is no child's club: "Jude Bellingham playing for Real Madrid".
_FAMOUS_SURNAMES = frozenset(name.split()[-1] for name in gazetteer.packaged("famous.txt") if " " in name)
_PLAYER = frozenset("him her them he she is was been now still he's she's they're are keep keeps kept started starts carry".split())
_CLERGY = {
    **dict.fromkeys("father pastor rev reverend vicar canon minister deacon".split(), "church"),
    "imam": "the mosque", "rabbi": "the synagogue", "granthi": "the temple",
    "dr": "the clinic", "doctor": "the clinic",  # "Dr Nandakumar at James Cook wants to see Connor"
}
# What a child brings from school: "showed Mum her reading book from St Kieran's".
_SCHOOL_THINGS = {
    ("reading", "book"): "school", ("book", "bag"): "school", ("reading", "folder"): "school", ("school", "bag"): "school",
    ("reading", "record"): "school", ("sports", "day"): "school",  # "his reading record from Napier", "sports day at Burfield"
    ("favourite", "teacher"): "school",  # no story: "his favourite teacher at Ysgol Bodhyfryd"
}
_CONTESTS = frozenset("eisteddfod eisteddfodau feis mod mòd gala olympics festival".split())  # "his certificate from the Eisteddfod"
_FROM_SCHOOL = frozenset("certificate certificates cert certs award report painting artwork homework".split())  # "her certificate from Our Lady's"
_FROM_CLUB = frozenset("medal medals badge badges trophy trophies rosette kit".split())  # "her swimming badges from Stranraer Otters"
_FROM_CUES = {
    "excluded": "school", "suspended": "school", "expelled": "school", "released": "prison", "discharged": "hospital",
    "worker": "the service", "keyworker": "the service", "caseworker": "the service",  # "has a worker from Harbour"
    "leave": "hospital",  # "escorted leave from Mill View"
}
_ADVERBS_OF_TIMES = frozenset("twice again once temporarily permanently just recently".split())
_HONORIFICS = frozenset("mr mrs ms miss mx dr".split())
_CHURCH_CUES = frozenset("mass communion christening baptism confirmation".split())
_CLUB_CUES = frozenset("cubs scouts brownies guides beavers rainbows explorers".split())
# Cue words that name a workplace, a club or a college only before "for" or "at" ("driving
# for Kalsi Logistics", "training at Birchfield Harriers"; not "driving to Bluewater",
# "played with Lego Friends").
_CUES_FOR_AT: dict[str, str] = {
    **dict.fromkeys(
        """ward wards dugsi overtime deliveries hours tills till checkouts dinners started starting driving driver drives packing packer labouring labourer waiter waitress barista crewing earlies lates security
        interview start stall counter forklifts forklift band choir orchestra squad hca nurse porter midwife chef cook receptionist housekeeper handler fryers
        apprentice apprenticeship nails hair lashes brows line placement carer cleaner ta hairdresser barber mechanic housekeeping
        domestic assistant worker stylist technician operative kp welder fitter electrician plumber joiner scaffolder roofer butcher baker picker""".split(), "work"
    ),
    **dict.fromkeys("play plays playing played trains training trained boxes boxing swims swimming goal belt grading".split(), "the club"),
    **dict.fromkeys(_CLUB_CUES, "the club"),  # "Cubs at St Mary's"
    **dict.fromkeys("degree studying studies student learned learnt learning learns class classes".split(), "school"),
}
# Scripture: "reads Qur'an at Abu Bakr Masjid" (a class, not a story), "back to Qur'an class" (no place).
_SCHOOL_THING_WORDS = frozenset(word for pair in _SCHOOL_THINGS for word in pair)
_SCRIPTURE = frozenset("qur'an quran qur’an koran surah surahs bible torah gurbani".split())
# Languages: "Arabic class", "Gujarati school" describe, and are no place ("back to Arabic class").
_LANGUAGES = frozenset(
    """gujarati punjabi urdu arabic bengali bangla hindi tamil somali mandarin cantonese portuguese spanish french greek
    kurdish polish romanian lithuanian latvian russian turkish farsi pashto tigrinya amharic yoruba igbo twi swahili
    gaelic welsh irish italian german albanian sylheti tagalog lingala romani shona krio patois hebrew yiddish
    ukrainian dari czech slovak hungarian bulgarian vietnamese""".split()
)
# Words that describe an institution rather than name it: "Primary School", "Sunday
# school", "Youth Club", "Football club" and the like have no name in them.
_DESCRIPTIONS = frozenset(
    """primary secondary junior juniors infant infants high grammar nursery pre sixth form forest sunday summer
    holiday breakfast after homework youth football rugby boxing swimming swim dance drama art music chess
    cricket netball gym karate judo scouts brownies guides cubs beavers rainbows community local new old
    village special boarding private state free catholic faith day night evening weekend main first second
    big little county town national teaching children's childrens family medical health
    recovery treatment leisure sports call distribution job approved supported care nursing premier the of
    and st saint our lady gp nhs aa na reception class year set group level ward lego coding craft crafts
    jamaican caribbean polish indian chinese italian turkish african asian english irish scottish welsh british
    romanian lithuanian nigerian ghanaian somali pakistani bangladeshi eritrean kurdish halal kosher vegan
    gymnastics tennis golf choir science reading maths computer cooking baking running cycling hockey basketball
    badminton athletics taekwondo kickboxing ballet tap zumba yoga stay play messy toddler baby parent mums
    dads mass prayers service quran qur'an jelly sea air army star vietnamese thai filipino japanese korean ethiopian sudanese syrian iraqi
    iranian afghan congolese zimbabwean kenyan methodist baptist pentecostal anglican orthodox adventist
    evangelical presbyterian roman communion christening baptism confirmation wedding funeral""".split()
) | _LANGUAGES | frozenset(_INSTITUTION) | NOT_NAMES
# Words that are no place where someone lives ("moved to Year 4", "staying in Hospital"):
# fewer than `_DESCRIPTIONS`, so that "a flat in Forest Town" is a place.
_NOT_HOMES = NOT_NAMES | _LANGUAGES | _SCRIPTURE | frozenset(_INSTITUTION) | frozenset(
    "year reception class hospital care foster temporary emergency supported council private new old big little".split()
)
# Street words that make a capitalised name a street even without a number (those the
# R-42 address patterns do not already take without one).
_STREET_WORDS = frozenset(
    """place pl hill walk green row rise parade vale view boulevard gate wharf hollow chase fold
    croft heights mews grove gardens crescent terrace approach mount circus drove""".split()
)
_NOT_STREETS = frozenset(
    """car theme water skate trampoline retail business industrial science play holiday safari amusement port
    national country bowling village market town city main high jurassic jungle adventure ice""".split()
) | NOT_NAMES


PRISONS = frozenset(gazetteer.normal(name) for name in gazetteer.packaged("prisons.txt"))  # in the gazetteer's normal form
_PRISON_WORDS = max(name.count(" ") + 1 for name in PRISONS)
# Before a prison's name: "back in Barlinnie", "released from Altcourse", "visiting him at Parc".
_TO_PRISON = frozenset("in at from into to of visit visiting visited".split())


def _prison(w: Words, i: int, run: int, prev: str) -> int:
    """How many words from word i name a prison of `PRISONS` after "in", "from" and the
    like ("still in Parc", "out of Strangeways"), or 0."""
    if prev not in _TO_PRISON or (prev == "of" and w.before(i - 1) != "out"):
        return 0
    for n in range(min(run, _PRISON_WORDS), 0, -1):
        if " ".join(w.key[i : i + n]) in PRISONS:
            return n
    return 0


GROUNDS = frozenset(gazetteer.normal(name) for name in gazetteer.packaged("grounds.txt"))  # in the gazetteer's normal form
_GROUND_WORDS = max(name.count(" ") + 1 for name in GROUNDS)
_GROUND_FIRSTS = frozenset(name.split()[0] for name in GROUNDS)
# A sentence about a match: a ground in it is where the team plays, not anyone's street or work.
_MATCH_TALK = re.compile(
    r"\b(?:games?|match(?:es)?|play(?:s|ing|ed)?|watch(?:es|ing|ed)?|season|tickets?|fans?|stadium|ground|kick[- ]off|football|rugby|cricket"
    r"|scored?|won|lost|draw|one day|team|shirt|derby|final|tour)\b",
    re.IGNORECASE,
)
_LIVES_THERE = re.compile(r"\b(?:lives?|living|lived|moved|moving|staying|flat|house|home|address|works?|working|job|shifts?)\b", re.IGNORECASE)


def at_a_ground(source: str, start: int, end: int) -> bool:
    """The name at source[start:end] is a ground of `GROUNDS` in a sentence about a match and
    not about anyone living or working there ("come to Portman Road for a game one day")."""
    if gazetteer.normal(source[start:end]) not in GROUNDS:
        return False
    around = tail(source[max(0, start - 200) : start]) + " … " + head(source[end : end + 200])
    return _MATCH_TALK.search(around) is not None and _LIVES_THERE.search(around) is None  # not the name's own words ("Home Park")


def _ground(w: Words, i: int) -> int:
    """How many words from word i name a ground talked of with a match (`at_a_ground`), or 0."""
    if w.key[i] not in _GROUND_FIRSTS:
        return 0  # most words: no ground begins with them
    for n in range(min(_GROUND_WORDS, len(w.text) - i), 0, -1):
        if all(w.joined(k) for k in range(i + 1, i + n)) and at_a_ground(w.source, w.start[i], w.end[i + n - 1]):
            return n
    return 0


# What is said of a place, not of a person, after its name and "'s": "got nothing for kids", "boring".
_PLACE_TALK = re.compile(
    r"\s+(?:(?:has\s+|have\s+)?got\s+(?:nothing|everything|loads|too\s+much|no\s+\w+|the\s+best\s+\w+|a\s+(?:new|massive|big)\s+(?:play\s*)?park)"
    # what a person can be or have too ("boring", "got her sister close by", "gone downhill"): only of a
    # name shaped like a place's ("Nunsthorpe's got her sister close by", "Cobholm's got damp")
    r"|(?P<like>(?:dead|so|too|really|well|not)?\s*(?:boring|rough|dodgy|safe)"
    r"|(?:has\s+)?got\s+(?:her|his|their|damp|mould|rats|a|an)|(?:has\s+)?gone\s+(?:down\s*hill|to\s+pot)))\b",
    re.IGNORECASE,
)
# What an institution does to someone, after its name (`pieces`): a plural verb ("have", "are")
# after a name as a person's would be singular.
_ACTS = re.compile(
    r"\s+(?:(?P<hospital>(?:have\s+|has\s+)?discharged|(?P<plural>have|are)?\s*(?:kept|keeping|letting)\s+(?:her|him|them|mum|dad)\s+(?:in|have\s+(?:more\s+)?leave))"
    r"|(?P<prison>(?:have\s+|has\s+)?(?:released|let\s+(?:her|him|them|me)\s+out))"
    r"|(?P<hostel>(?P<plural2>have|are)\s+(?:given|found|offered)\s+(?:her|him|them|mum|dad)\s+(?:a|an)\s+(?:room|flat|bed|place|bedsit))"
    r"|(?P<school>(?P<plural3>have)\s+(?:put|moved)\s+[A-Z][\w'’-]*\s+(?:in|into|up)\b))\b"
)
_ACTS_SAY = {"hospital": "hospital", "prison": "prison", "hostel": "the hostel", "school": "school"}
_BETTER = re.compile(r"\s+(?:miles|much|far|loads|way|a lot)\s+(?:better|worse|nicer|quieter|safer|cheaper)\b", re.IGNORECASE)
_SENT_TO = re.compile(r"\bsen(?:d|ds|t|ding)\s+(?:[\w'’]+\s+){0,2}to\s+$", re.IGNORECASE)
_NEAR_THAT = re.compile(r"\b(?:that['’]?s|it['’]?s|is (?:it|that)|was (?:it|that))\s+near\s+$", re.IGNORECASE)


def _is_name(w: Words, i: int) -> bool:
    return w.cap[i] and w.low[i] not in NOT_NAMES


def _sentence_start(w: Words, i: int) -> bool:
    before = w.source[max(0, w.start[i] - 8) : w.start[i]].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n:;•*" or (w.start[i] < 8 and not before.strip())


_HOLY = frozenset("Cross Trinity Family Child Rosary Name Spirit Innocents Redeemer Souls Angels Apostles Saviour Ghost Martyrs".split())


# What a call or a show is on, never the end of a place's name: "Dadi in Pakistan on WhatsApp".
_MEDIA = frozenset("whatsapp facetime zoom teams skype messenger video tiktok youtube snapchat instagram facebook tv telly radio xbox playstation switch netflix".split())


def _run(w: Words, i: int, limit: int = 5) -> int:
    """How many words from word i make one capitalised name ("Greenwood Primary School",
    "St Mary's", "Church of Christ", "Our Lady of Częstochowa")."""
    n = 0
    j = i
    text, low, cap, joins = w.text, w.low, w.cap, w.joins
    size = len(text)
    while j < size and j - i < limit:
        if j > i and not joins[j]:
            break
        if j + 1 < size and joins[j + 1] and (
            (text[j] == "Our" and text[j + 1] in ("Lady's", "Lady’s")) or (text[j] == "Holy" and text[j + 1] in _HOLY)
        ):
            j += 2  # a parish or its school: "Our Lady's", "Holy Child PS", "Holy Family"
            n = j - i
        elif (cap[j] and low[j] not in NOT_NAMES) or (text[j] in ("St", "Saint") and j + 1 < size):
            j += 1
            n = j - i
        elif text[j] == "Our" and j + 1 < size and text[j + 1] == "Lady":
            j += 1
        elif (
            j > i and low[j] in ("of", "on", "upon", "le", "the", "de") and j + 1 < size and cap[j + 1] and low[j + 1] not in NOT_NAMES
            and not (low[j] == "on" and (low[j + 1] in _MEDIA or low[j + 1].endswith(("'s", "’s"))))
        ):
            j += 1
        else:
            break
    return n


def _span(w: Words, i: int, n: int) -> tuple[int, int]:
    return w.start[i], w.end[i + n - 1]


def _town_like(w: Words, i: int, end: int) -> bool:
    """The name at word i (to `end` at least) is a town of the gazetteer, or a name shaped like a
    town's, and no attraction."""
    end = max(end, i + _run(w, i))
    name = w.source[w.start[i] : w.end[end - 1]]
    if " ".join(name.casefold().split()) in _ATTRACTIONS:
        return False
    gaz = gazetteer.load()
    return gaz.place(gazetteer.normal(name)) or (end - i == 1 and shape.placelike(gazetteer.fold(w.low[i]), gaz.shapes) > 1)


def _told_or_outing(w: Words, i: int, end: int, outing_after: bool = True, reach: int = 12, learnt_at: bool = False) -> bool:
    """The sentence around words i to end is about an outing, a holiday or a story: such a
    word before the name, or after it a story's word or (`outing_after`) an outing's ("in
    Skegness on holiday"; but "joined Forest Fields Cubs and is going camping")."""
    before, after = w.around(i, end, before=reach, after=4)
    if "between" in before + after:  # work away, not an outing: "at his granny's in Boddam between trips"
        before, after = _between_trips(before), _between_trips(after)
    # where something was learnt is no story: "a surah she learned at Al-Rahma", and for an institution
    # (`learnt_at`) "has been learning at madrasah at Masjid Umar"; a book bag is school's
    if before[-1:] == ["at"] and before[-2:-1] and before[-2] in _LEARNT:
        before = before[:-2]
    if not _SCHOOL_THING_WORDS.isdisjoint(before) or (learnt_at and not _LEARNT.isdisjoint(before)):  # most sentences have none
        before = [
            word for word, then, was in zip(before, [*before[1:], ""], ["", *before[:-1]])
            if not (learnt_at and word in _LEARNT) and (was, word) not in _SCHOOL_THINGS and (word, then) not in _SCHOOL_THINGS  # a reading book is school's
        ]
    # a club is no story: "in the chess club at Harris Academy Purley", "book club at the library"
    if not _STORIES.isdisjoint(before):
        before = [word for word, then in zip(before, [*before[1:], ""]) if not (word in _STORIES and (then in _GROUPS or then in _SCRIPTURE))]
    said_before = " ".join(before)
    if _HOLIDAY.search(said_before):
        return True  # a holiday: "photos from the caravan week in Rhyl", "the weekend in Llandudno with Glenys"
    stop = before[-2:] in (["stopped", "in"], ["stopped", "at"]) or before[-3:-1] == ["stopped", "off"]
    if (stop and (after[:1] == ["for"] or "way" in before)) or "day out" in said_before:
        return True  # a stop on a journey, a day out: "on the way back they stopped in Aviemore for a hot chocolate"
    if after[:1] in (["in"], ["on"]) and after[1:2] and after[1] in _STORIES:
        return True  # a game's world: "his house on Brookhaven in Roblox"
    if before[-2:] in (["set", "in"], ["set", "on"], ["danced", "to"], ["dancing", "to"], ["dance", "to"], ["listening", "to"], ["listened", "to"]):
        return True  # a story's setting: "Dracula is set in Whitby"
    if before[-2:] == ["like", "on"] or (before[-4:-2] == ["like", "the"] and before[-1] == "on") or after[:2] == ["like", "on"]:
        return True  # television: "a lifeguard like on Bondi Rescue", "like the ones on Animal Park", "a vet in Darrowby like on ..."
    if (before[-2:-1] and before[-1] == "of" and before[-2] in _PICTURES) or (before[-3:-2] and before[-2:] == ["of", "the"] and before[-3] in _PICTURES):
        return True  # a picture of a place, not a visit: "a jigsaw of Wells Cathedral"
    sentence = _sentence(w, i, end)
    if _SUNG.match(sentence):
        return True  # a song's words: "Sang Ride a Cock Horse to Banbury Cross on Dad's knee"
    if _ONE_OFF.search(sentence) or at_the_venue(w.source, w.start[i]) or after[:3] == ["for", "the", "day"]:
        return True  # "One-off contact to the panto at the King's Theatre", "Community contact at Ruislip Lido"
    if any(word in _OUTINGS or word in _STORIES for word in before):
        # a name's own word is no story: "the Lighthouse Recovery Project in Birkenhead"
        named = {w.low[k] for k in range(max(0, i - 8), i) if w.cap[k] and w.joined(k) and w.cap[k - 1]}
        if any((word in _OUTINGS or word in _STORIES) and word not in named for word in before):
            return True
    wish = _WISH.search(" ".join(before))
    if wish and not outing_after and wish.group(1) == "go":
        wish = None  # "would like to go back to Ysgol Syr Thomas Jones": a regular place, wished back
    wished = " ".join(before)[wish.end() :].split() if wish else []
    # someone's home is no wish's outing: "wants to go to Nain's in Barry", "wants to visit her in Stocksbridge"
    if wish and wished[:1] == ["back"] and wish.group(1) == "go" and _town_like(w, i, end):
        wish = None  # a wish to return to a town is to a home: "wants to go back to Laygate"; not "to Center Parcs"
    if wish and not any(word.endswith(("'s", "’s")) or word in ("her", "him", "them") or word in _KIN for word in wished) and "live" not in after:
        return True  # a wish: "wants to see the Golden Temple in Amritsar one day"; not "wants to go to Nain's in Barry"
    # an institution's name stands just before a story's word ("the Chocolate Factory film"), not a few words
    # before ("Little Acorns Nursery read them a book")
    if "one day" in " ".join(after) or ("first time" in " ".join(before + after) and "first time since" not in " ".join(before)):
        return True  # "see Wrexham play at the Racecourse one day", "been to Anfield for the first time"
    return any(
        (outing_after and word in _OUTINGS and word not in ("beach", "seaside")) or word in ("episode", "film", "films", "book", "show", "badge", "sticker", "stickers", "jigsaw", "puzzle", "song", "songs", "music")
        for word in (after if outing_after else after[:1])
    )


_HOLIDAY = re.compile(r"\bcaravan (?:week|weekend|holiday|break)\b|\b(?:a|the) (?:weekend (?:away )?|week away )(?:in|at)$")
_SUNG = re.compile(r"\s*(?:sang|sung|sings|sing)\b", re.IGNORECASE)
_LEARNT = frozenset("learned learnt learning learns".split())
_PICTURES = frozenset("jigsaw puzzle picture pictures photo photos drawing painting poster postcard model map clip clips video videos".split())
_PLAY = frozenset("play plays playing played".split())
_SCORED_FOR = re.compile(r"\b(?:he|she|i|they)\s+(?:has\s+|had\s+)?(?:scored|scores)\b[^.!?\n,;]{0,14}$", re.IGNORECASE)
_CLUB_ACTIVITIES = frozenset(
    """football rugby hurling camogie shinty netball hockey cricket basketball boxing dance dancing ballet swimming gymnastics karate judo
    taekwondo kickboxing cubs beavers scouts brownies guides rainbows explorers cadets training show panto choir band athletics tennis
    badminton golf climbing drama theatre swim gaelic""".split()
)
_POSITIONS = frozenset("half back keeper goalie wing winger centre striker forward defence midfield prop hooker flanker".split())
_GROUPS = frozenset("club clubs group groups class classes lessons team squad".split())


def _between_trips(words: list[str]) -> list[str]:
    return [word for k, word in enumerate(words) if not (word in ("trip", "trips") and k and words[k - 1] == "between")]


_WISH = re.compile(r"\b(?:(?:wants?|wanted|wanting|wish(?:es)?|hopes?|dreams?|would love|would like|someday)\b(?: \w+){0,2}|(?:asked|asks|begged) to) (see|visit|go|play for)\b")
_SCHOOL_AFTER = re.compile(
    r"[^.!?\n]{0,40}?\b(?:year|yr|p)\s?\d{1,2}\b|[^.!?\n]{0,60}?\b(?:blazer|uniform|form tutor|GCSEs?|sixth form|teachers?|"
    r"head ?teacher|detentions?|the register|line leader|reading folder|whole school|classmates?|star of the week|1:1|one[- ]to[- ]one|senco|TA|"
    r"exclusion|suspension)\b",
    re.IGNORECASE,
)


_HOSPITAL_STAFF = re.compile(r"\s+(?:midwife|midwives|consultant|maternity|a&e|physio|paediatrician)\b", re.IGNORECASE)
# After the name of somewhere with staff: "She's at Harbour for now and says the staff are good".
_STAFF_AFTER = re.compile(r"[^.!?\n]{0,40}?\b(?:the staff|staff there|staff are|staff have|(?:her|his|their) key ?worker)\b", re.IGNORECASE)
# After a hospital's name: "in King's Mill for her hip, ward 32", "up at Raigmore to get his knee looked at".
_HOSPITAL_AFTER = re.compile(
    r"[^.!?\n]{0,30}?\b(?:ward \d{1,2}|a&e|for (?:her|his|my|their|a|an) (?:hip|knee|op|operation|scan|treatment|chemo|dialysis|"
    r"surgery|x-?ray|leg|arm|back|heart|baby|stitches|tests?)|to (?:get|have) (?:her|his|my|their|the) \w+ (?:looked at|seen to|checked|x-?rayed)"
    r"|for the (?:birth|baby|scan|induction)|antenatal|having (?:tests|an op|surgery|treatment|the baby)|after having the baby"
    r"|with (?:her|his|their|my) (?:chest|heart|breathing|hip|knee|leg|arm|back))",
    re.IGNORECASE,
)


_SINCE = re.compile(r"\s+since\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|last\s+\w+|the\s+weekend)\b", re.IGNORECASE)
_ILL = frozenset("fall fell accident poorly ill chest op operation ambulance broke broken stroke heart infection surgery sick".split())


def _ill_since(w: Words, i: int, run: int) -> bool:
    """Someone has been in words i to i + run "since Tuesday" in a sentence about illness: "Nana has
    had a fall and has been in Jimmy's since Tuesday", "in Altnagelvin since Friday after an accident"."""
    return _SINCE.match(w.source, w.end[i + run - 1]) is not None and _in_sentence(w, i, i + run, _ILL, before=10, after=8)


def _school_after(w: Words, end: int) -> bool:
    """The rest of the sentence after word end - 1 says school: "he's at Bluecoat now, Year
    7", "at Trinity, new blazer"."""
    return end <= len(w.text) and _SCHOOL_AFTER.match(w.source, w.end[end - 1]) is not None


_WHERE = re.compile(
    r",? where (?:he|she|they|i|we|(?:(?:my|his|her|their|our) )?(?:" + "|".join(sorted(FAMILY_WORDS)) + r"))"
    r"(?:['’]s|['’]re| is| are| lives?| lived| stays?| works?)\b",
    re.IGNORECASE,
)  # "is it near Gipsyville where Nanna lives?"
_KIN = FAMILY_WORDS | KIN_WORDS | frozenset(
    "pal mate friend parents partner boyfriend girlfriend pals mates friends cousins aunties uncles brothers sisters grandparents".split()
)


_SCHOOL_WORK = frozenset("project homework topic lesson learning learnt learned reading read book books day sang sing song songs".split())


def _school_work_only(w: Words, i: int) -> bool:
    """The story words before word i are all a school's own work ("his Viking project from")."""
    before, _ = w.around(i, i + 1, before=8, after=0)
    told = [word for word in before if word in _STORIES or word in _OUTINGS or word in ("watch", "watched")]
    if "sports" in before or "assembly" in before or "nativity" in before:
        return all(word in _SCHOOL_WORK or word in ("watch", "watched", "play", "played") for word in told)  # "watch him at sports day at"
    return bool(told) and all(word in _SCHOOL_WORK for word in told)


def _named(w: Words, i: int, run: int) -> bool:
    """Words i to i + run name something: one of them is no description ("Greenwood", not
    "Primary School"), and one word alone is no possessive ("Jack's")."""
    return any(bare(word) not in _DESCRIPTIONS for word in w.low[i : i + run]) and not (run == 1 and w.low[i].endswith(("'s", "’s")))


def _person_like(w: Words, i: int, run: int, gaz: gazetteer.Gazetteer, cue: str | None, prev: str) -> bool:
    """Words i to i + run are a person's name, for strangers.py ("mentor is Jo Smith-Barnes",
    "working for Marius Stanciu"), not a school ("at Ellis Guilford, Year 7")."""
    low = w.low
    if (prev == "at" or (prev == "in" and cue == "hospital")) and cue in ("work", "the clinic", "hospital") and not low[i + run - 1].endswith(("'s", "’s")):
        return False  # somewhere, not someone: "doing nights at Prince Charles", "Dr Nandakumar at James Cook" (but "at Kyle Bennett's")
    return (
        run > 1 and w.joined(i + 1, hyphen=False) and (low[i] in gaz.given_names or low[i + 1] in PARTICLES)
        and (bare(low[i + run - 1]) in gaz.surnames or (cue == "work" and prev == "for"))
        and not (_school_after(w, i + run) or _school_before(w, i))
    )


def _march(w: Words, i: int) -> bool:
    """Word i is "March", the Fenland town, after a word of living or before "town"."""
    if w.low[i] != "march" or not w.cap[i]:
        return False
    before = [w.low[k] for k in range(max(0, i - 3), i)]
    # "moved to March", not "moving in March"
    return (before[-1:] == ["to"] and any(word in _LIVING for word in before)) or (w.joined(i + 1) and w.low[i + 1] == "town")


def _after_institution(found: list[Piece], w: Words, k: int) -> bool:
    """An institution piece ends just before word k ("in")."""
    return bool(found) and found[-1][2] == "institution" and w.source[found[-1][1] : w.start[k]].strip() == ""
_WHERE_WORKS = re.compile(
    r"(?: on [A-Z][\w'’]+(?: [A-Z][\w'’]+)?)?,? where (?:he|she|they|i|we) (?:works?|worked|volunteers?|"
    r"(?:has |have |had |is |are )?(?:just )?(?:started|been) (?:working|volunteering|on shifts)|is working)\b"
    # "Tasty Crust, where she still does Saturdays"
    r"|,? where (?:he|she|they) (?:still |now )?(?:does|did|do) (?i:saturdays|sundays|weekends|nights|shifts|mornings|evenings|lates|earlies"
    r"|cleaning|the cleaning|bar work|the tills|dinners|admin|security)\b"
    # "from Royal Stoke, he's a porter there", "at Castle Mill, she works there"
    r"|,? (?:he|she|they)(?:['’]s| is| was| works| worked| volunteers)(?: (?:a|an) [a-z]+(?: [a-z]+)?)? there\b"
)
# After a place's name, these say what the place is like or that someone is there: "Peterlee's
# dead boring", "Croxteth's got a massive park", "Peterhead is where his boat goes out".
_DESCRIBED = re.compile(
    r"(?:(?:['’]s| is| was)\s+(?:been\s+)?[\"“‘']?(?:where|got|getting(?! on)|better|worse|closer|nearer|nicer|dead|miles|rough|quiet|boring|too|so|"
    r"more|much|great|lovely|horrible|alright|okay|nice|far|full|only|just|not safe|not good|not nice)"
    # "Ashington hasn't been good for her", "Peacehaven suits him better", "Radford has changed"
    r"|\s+(?:hasn['’]t been|suits|has changed|has got|is getting(?! on)|has been (?:a )?(?:fresh|better|worse|good|great|quieter)))\b",
    re.IGNORECASE,
)
_POSTCODE_NEXT = re.compile(r",?\s+[A-Za-z]{1,2}\d")
_GONE = frozenset("gone going went go goes moved moving flown flew flying headed heading".split())
_FROM_TO = re.compile(r"\s+to\s+(?:the\s+)?", re.IGNORECASE)
_SCHOOL_BEFORE = re.compile(
    r"\b(?:detention|teacher|form tutor|headteacher|head teacher|classmates?|lessons?|playground|year \d{1,2}|yr\s?\d{1,2}|[ps][1-7]|best friend|(?-i:Reception)"
    r"|star of the week)\b[^.!?\n]{0,40}$",
    re.IGNORECASE,
)
# A junior team's age group before "at" or "for": "picked for the under-12s at Knowsley Villa".
_CLUB_BEFORE = re.compile(r"\bunder[- ]?\d{1,2}s?\b[^.!?\n]{0,12}$", re.IGNORECASE)
# A junior team's age group after its name: "started with Castleford Panthers under 10s".
_CLUB_AFTER = re.compile(r"\s+(?:under[- ]?\d{1,2}s?|u\d{1,2}s?)\b", re.IGNORECASE)
# A business then a comma or "called" before its name: "opened a barber's, Fade Kings, on Mansfield Road".
_BUSINESS = frozenset(
    """barber's barbers barber shop cafe café salon pharmacy chemist chemist's takeaway restaurant business firm company garage gym nursery
    school college church mosque chapel club pub bar hairdresser's hairdressers bakery""".split()
)


def _school_before(w: Words, i: int) -> bool:
    """The sentence before word i says school: "a detention off Ms Okonkwo-Bailey at Ellis Guilford"."""
    return _SCHOOL_BEFORE.search(w.source, max(0, w.start[i] - 70), w.start[i]) is not None


def _business_before(w: Words, i: int, run: int) -> str | None:
    """Word i names a business just described ("a barber's, Fade Kings,", "a cafe called Mo's")."""
    k = i - 1 if i > 1 and w.low[i - 1] == "the" and w.joined(i) else i
    if k > 0 and w.gap(k) == ", " and w.low[k - 1] in _BUSINESS and not _IN_A_LIST.match(w.source, w.end[i + max(run, 1) - 1]) and not _a_first_name(w, i, run):
        return "work"  # "his uncle's restaurant, the Golden Lotus"; not "lunch in the cafe, Fruit Shoot and a sandwich"
    if i > 1 and w.low[i - 1] in ("called", "named") and w.low[i - 2] in _BUSINESS:
        return "work"
    if k > 0 and w.gap(k) == ", " and _APPOSITION_END.match(w.source, w.end[i + max(run, 1) - 1]):
        # a few words back: "a scrapyard, Don Valley Metals,", "a sweet centre in Blakenhall, Royal Sweets,"
        for m in range(k - 1, max(0, k - 7), -1):
            if m + 1 < k and _CLAUSE_BREAK.search(w.gap(m + 1)):
                break
            if w.low[m] in _BUSINESS_APPOSED and not w.cap[m] and any(w.low[n] in ("a", "an") for n in range(max(0, m - 4), m)):
                return "work"
    return None


# A business described with "a" and then named between commas.
_BUSINESS_APPOSED = _BUSINESS | frozenset("scrapyard wash centre stall agency factory warehouse depot yard firm salon shop chippy florist florist's butcher's butchers".split())
_IN_A_LIST = re.compile(r"\s+and\s+(?:a|an|some|the)\b", re.IGNORECASE)


def _a_first_name(w: Words, i: int, run: int) -> bool:
    """Words i to i + run are a given name, double-barrelled too ("Ellie-Mae")."""
    return _given(w.source[w.start[i] : w.end[i + max(run, 1) - 1]].casefold())


def _given(name: str) -> bool:
    """A lower-cased name is a given name, or one of given names joined ("ellie-mae", "poppy-mae's" bare)."""
    given = gazetteer.load().given_names
    return all(part in given for part in _NAME_PARTS.split(name) if part)


_NAME_PARTS = re.compile(r"[-\s]+")


_APPOSITION_END = re.compile(r"\s*(?:[,;.)]|$| on | in | by )")


def _in_sentence(w: Words, i: int, end: int, words: Collection[str], before: int, after: int) -> bool:
    """One of `words` stands in the sentence of words i to end, at most `before` words before
    it or `after` words after it."""
    said_before, said_after = w.around(i, end, before=before, after=after)
    return any(word in words for word in said_before) or any(word in words for word in said_after)


_VISITS = frozenset("visit visits visited trip tour".split())


def _visited(w: Words, i: int) -> bool:
    """A visit comes just before word i: "Dadi's visit to the Golden Temple"."""
    return _in_sentence(w, i, i + 1, _VISITS, before=4, after=0)


def _after_name(w: Words, pattern: re.Pattern[str], last: int) -> bool:
    """`pattern` matches just after the name that ends with word `last`, the name's own "'s"
    counting as what follows ("Peterlee's dead boring", "Moss Side's where ...")."""
    return pattern.match(w.source, w.end[last] - (2 if w.low[last].endswith(("'s", "’s")) else 0)) is not None


def _described(w: Words, last: int) -> bool:
    """What ends with word `last` is described as a place is: "Penn Fields is miles better"."""
    return _after_name(w, _DESCRIBED, last)


# What is said of a place, and of little else: "'s boring", "is quieter", "'s gone downhill", "'s
# still home", "was nae good for me".
_OF_A_PLACE = re.compile(
    r"(?:['’]s|\s+is|\s+was|\s+has)\s+(?:been\s+|still\s+|got\s+|gone\s+)?(?:boring|quieter|rougher|rough|downhill|home\b|"
    r"nae good|no good|full of|miles better|better than here|better than there|where)",
    re.IGNORECASE,
)
_NOT_A_SUBJECT = _STORIES | _TOYS | _CHAINS | _NICKNAMES | _TEAM_WORDS | _DESCRIPTIONS | _LANGUAGES


def _said_of_a_place(w: Words, i: int, run: int) -> bool:
    return _after_name(w, _OF_A_PLACE, i + run - 1)


_TEAMS = _TEAM_WORDS | _NICKNAMES
_KIT = frozenset("kit shirt shirts strip ground fans games matches tickets".split())
_TEAM_PLACES = frozenset(("west ham", "crystal palace", "west brom", "west bromwich", "queens park", "tranmere", "aston villa"))
_SPORT = frozenset("cup match league game score scored goal goals final derby season team".split())
_SPORT_AND_KIT = _SPORT | _KIT  # after "home": "a Newcastle home game"


def _sport_talk(w: Words, i: int, end: int) -> bool:
    return _in_sentence(w, i, end, _SPORT, before=8, after=10)


def _team_compared(w: Words, k: int) -> bool:
    """Teams are compared before "than" (word k - 1): "Cardiff City are better than Swansea"."""
    return _in_sentence(w, k, k + 1, _TEAMS, before=8, after=0)


def _described_after(w: Words, j: int) -> str | None:
    """The description when what ends before word j is then described as an institution:
    "Elmhurst House, the approved premises in Chapeltown", "Beechdale Lodge, a care home"."""
    if j >= len(w.text) or w.gap(j) != ", " or w.low[j] not in ("the", "a", "an"):
        return None
    for m in range(j + 1, min(j + 4, len(w.text))):
        if w.cap[m] or not w.joined(m):
            return None
        say, _ = _institution_word(w, m)
        if say:
            return say
    return None


def _before_home(w: Words, j: int) -> bool:
    """Word j, or the word after it, is a home: "her Bulwell flat", "a Selston council house"."""
    if not w.joined(j):
        return False
    if w.low[j] == "way" and j > 1 and w.low[j - 2] == "the":
        return False  # a manner, not a whereabouts: "that's the Devon way"; but "somewhere Hucknall way"
    if w.low[j] == "home" and w.joined(j + 1) and w.low[j + 1] in _SPORT_AND_KIT:
        return False  # a team's: "tickets for a Newcastle home game"
    if w.low[j] in _HOMES_AFTER or (w.low[j] in ("bus", "buses") and w.before(j - 1) == "the"):
        return True  # "the Eastfield bus"
    return w.low[j] in ("council", "rented", "new", "little", "ground") and w.joined(j + 1) and w.low[j + 1] in _HOMES_AFTER


def _living_sentence(w: Words, i: int) -> bool:
    """A word of living or a home shortly before word i in its sentence ("staying at his
    mum's on Wellington", "a flat on Bestwood")."""
    for k in range(i - 1, max(-1, i - 9), -1):
        if _SENTENCE_BREAK.search(w.source[w.end[k] : w.start[k + 1]]):
            return False
        if (w.low[k] in _LIVING or w.low[k] in _HOMES) and not w.cap[k]:  # not a title: "Room on the Broom"
            return True
    return False


_VISIT_SOMEONE = frozenset("visit visits visiting visited see seeing saw stay stays staying stayed with".split())
_FARMING = frozenset("farm farms farming croft crofting smallholding lambing".split())


def _farm_before(w: Words, i: int, prev: str, prev2: str) -> bool:
    """Word i names a farm or a croft where someone lives or works: "the farm at Bryn Awel",
    "farming at High Birkett", "the lambing at Breakish", "Taid's farm, Penlan Uchaf"."""
    if prev == "at":
        return prev2 in _FARMING or (prev2 == "season" and w.before(i - 2) in _FARMING)
    return i > 0 and w.low[i - 1] in ("farm", "croft") and w.gap(i) == ", " and not w.cap[i - 1]


_FULL_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
_POSTCODE_AFTER = re.compile(r",?\s+" + _FULL_POSTCODE)
_POSTCODE_BEFORE = re.compile(_FULL_POSTCODE + r",?\s+$")
_JOURNEYS = frozenset("bus buses train trains ferry ferries coach tram metro".split())
_CAME = frozenset("come came comes coming walked walks drove drives travelled traveled travels".split())
# Words of work away from home: a port or a base "out of" a place.
_BASED = frozenset("boat boats crewing crew fishing trawler ferry ferries rig rigs cages based driving lorry haulage working works".split())


def _town_of_address(w: Words, i: int, k: int, prev: str, run: int) -> bool:
    """Word i is the town of an address: between a comma and a full postcode ("Scalpay,
    HS4 3XU"), or after a postcode and "in" ("M22 5RN, in Wythenshawe")."""
    if w.gap(i) == ", " and _POSTCODE_AFTER.match(w.source, w.end[i + max(run, 1) - 1]):
        return True
    return prev == "in" and k > 0 and _POSTCODE_BEFORE.search(w.source, max(0, w.start[k - 1] - 14), w.start[k - 1]) is not None


def _based_sentence(w: Words, i: int) -> bool:
    """Word i's sentence is about work away ("crewing out of Kinlochbervie"), not about what
    something is made of ("made a boat out of Play-Doh")."""
    before, after = w.around(i, i + 1, before=10, after=4)
    return any(word in _BASED for word in before + after) and not any(word in _MADE for word in before)


_MADE = frozenset("made make makes making built build builds building cut drew draw carved".split())


_WHERE_IS = re.compile(r"(?:['’]s| is)\s+where\b", re.IGNORECASE)


def _where_is(w: Words, last: int) -> bool:
    """ "'s where" or "is where" follows word `last` (its own "'s" counts)."""
    return _after_name(w, _WHERE_IS, last)


def _sentence_subject(w: Words, i: int) -> bool:
    """Word i opens a sentence or what someone said ("Mum said Seacroft is ...")."""
    return _sentence_start(w, i) or _SAID.search(w.source, max(0, w.start[i] - 16), w.start[i]) is not None


_SAID = re.compile(r"\b(?:said|says|thinks|reckons)[\s\"“‘',:]*$", re.IGNORECASE)


def _place_compared(w: Words, found: list[Piece], k: int) -> bool:
    """A place found earlier in word k's sentence is compared with what follows "than" (word
    k - 1): "Hawick is far quieter than Langlee", "Gipton's better than Seacroft"."""
    if not found or found[-1][2] != "place":
        return False
    between = w.source[found[-1][1] : w.start[k - 1]]
    return len(between) <= 40 and not _PHRASE_BREAK.search(between)


def _home_in_sentence(w: Words, i: int) -> bool:
    """A word of living or a home (not a title's) in word i's sentence, before or after it."""
    before, after = w.around(i, i + 1, before=10, after=10)
    # a home by a relative's name: "has left Blaenymaes and gone to his brother's"
    return (
        any(word in _LIVING or word in _HOMES or (word != bare(word) and bare(word) in _KIN) for word in before + after)
        and not any(word in _MADE for word in before)  # "made a fire engine out of Play-Doh"
        and not _told_or_outing(w, i, i + 1)
    )


# A sentence with one of these words before a town is about a one-off visit ("went to
# Nottingham to see the lights", "might take them to Scarborough"), with one of the events
# before or after it too ("the FA Cup final at Wembley"), unless it also says the visit is
# regular ("goes to Mansfield every week") or that someone lives there.
_ONCE = frozenset(
    """went going take took taken taking visit visited visiting trip last ago once remembered remember remembers
    memories photos photo pictures day tickets ticket saw grotto panto pantomime matinee""".split()
)
_EVENTS = frozenset(
    "wedding funeral final match concert gig panto pantomime lights illuminations carnival mela fair festival fiesta parade fireworks show tour derby market markets prix races rally".split()
)
_REGULAR = frozenset(
    """every each always usually regularly weekly fortnightly daily twice mondays tuesdays wednesdays thursdays fridays
    saturdays sundays weekends mornings afternoons evenings nights""".split()
)


_ANNUAL = frozenset("summer year christmas easter holiday holidays half winter spring autumn".split())  # "every summer": a holiday
_PERIODS_OF_DAY = frozenset("days weeks mornings afternoons evenings nights weekends".split())  # "most days"


def _regularly(w: Words, i: int, end: int) -> bool:
    """The sentence around words i to end says someone goes there regularly, and is not
    about a story or an outing."""
    before, after = w.around(i, end, before=8, after=6)
    said = before + after
    regular = any(
        (word in _REGULAR and not (word == "each" and later.startswith("other")) and not _a_count(word, later) and not (word == "every" and later in _ANNUAL))
        or (word == "most" and later in _PERIODS_OF_DAY)
        for word, later in zip(said, [*said[1:], ""])
    )
    return regular and not _told_or_outing(w, i, end)  # not "each other's hair while listening to Stormzy"


def _a_count(word: str, then: str) -> bool:
    """ "twice" alone is a count ("went on Megafobia twice"), "twice a week" a habit."""
    return word == "twice" and then not in ("a", "every", "weekly")


_ONE_OFF = re.compile(r"\bone[- ]off\b", re.IGNORECASE)  # "agreed with SW as a one-off"
# A note that opens by saying the contact was an outing: "Day trip contact.", "Contact was a day out to ..."
_AN_OUTING_NOTE = re.compile(r"\s*(?:[\w'’]+[\s,]+){0,6}(?:day\s+trip|day\s+out|outing|one[- ]off)\b", re.IGNORECASE)


def _sentence(w: Words, i: int, end: int) -> str:
    """The sentence around words i to end - 1 (at most 200 characters each side)."""
    start = max(0, w.start[i] - 200)
    before = tail(w.source[start : w.start[i]])
    after = head(w.source[w.end[end - 1] : w.end[end - 1] + 200])
    return before + w.source[w.start[i] : w.end[end - 1]] + after


# The opening of a sentence that says where the contact itself was held, a one-off venue: "Community
# contact at Greenwich Park as agreed", "Trip to Hampton Court"; not "Contact at Nan's in Hucknall".
VENUE = re.compile(
    r"(?:^|[.!?\n])\s*(?:(?:community|family|supervised)\s+)?(?:contact|session|visit|trip|outing)\s+(?:today\s+|was\s+|is\s+)?(?:at|in|on|to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


_VENUE_WORDS = ("contact", "session", "visit", "trip", "outing")


def at_the_venue(source: str, start: int) -> bool:
    """The name at offset `start` is where the contact itself was held (`VENUE`)."""
    window = source[max(0, start - 60) : start].casefold()
    if not any(word in window for word in _VENUE_WORDS):
        return False  # most names: no word of a venue's sentence before them
    return VENUE.search(source, max(0, start - 60), start) is not None


def _one_off(w: Words, i: int, end: int) -> bool:
    if at_the_venue(w.source, w.start[i]):
        return True
    before, after = w.around(i, end, before=8, after=6)
    said = before + after
    regular = any(word in _REGULAR and not _a_count(word, then) for word, then in zip(said, [*said[1:], ""]))
    if regular or any(word in _LIVING or word in _HOMES for word in said):
        return False
    on_a_day = any(word == "on" and then in _ONE_DAY for word, then in zip(after, [*after[1:], ""]))
    if on_a_day and not any(word in _PLANS for word in said):
        # a day, once: "a seagull nicked her chips in St Ives on Sunday", "in Chinatown with Pat on Sunday";
        # not "on Sundays", nor "an interview in Huthwaite on Monday"
        return True
    if (
        any(phrase in " ".join(said) for phrase in ("day out", "half term", "for the day", "been to"))
        or _ONE_OFF.search(_sentence(w, i, end)) or _AN_OUTING_NOTE.match(w.source)
    ):
        return True  # "seen a seal at St Ives on a day out in half term"
    if any(word in _ONCE or word in _EVENTS for word in before) or any(word in _EVENTS or word in ("last", "ago", "visited", "trip") for word in after):
        return True
    if "brought back" in " ".join(before):
        return True  # a souvenir: "crisps her friend brought back from Dublin"
    if after[:1] == ["was"] and (after[1:2] and after[1] in _VERDICTS or after[1:3] == ["the", "best"]):
        return True  # a verdict on a visit: "Dreamland at Margate was better than the beach", "Jollibee in London was the best"
    # a date to come: "a feis in Birmingham in June", "in Cardiff next summer", "Matilda in the West End for her birthday in May"
    in_a_month = any(word == "in" and then in _MONTH_NAMES for word, then in zip(after[:4], after[1:5]))  # not "in Carlton and promised Callum strawberries in June"
    at_a_festival = after[:1] in (["at"], ["for"], ["over"]) and after[1:2] and after[1] in _FESTIVALS  # "in the West End at Christmas"
    return in_a_month or at_a_festival or (after[:1] == ["next"] and after[1:2] and after[1] in _PERIODS)


_VERDICTS = frozenset("better worse brilliant amazing lovely great fun ace boring rubbish class mint awesome epic".split())
_PLANS = frozenset("interview appointment appointments start starts starting moving move moves court hearing viewing".split())
_ONE_DAY = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_FESTIVALS = frozenset("christmas xmas easter eid diwali halloween hogmanay hanukkah vaisakhi".split())
_MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())
_PERIODS = frozenset("week weekend month year summer spring autumn winter term holidays time".split())


def _institution_word(w: Words, j: int) -> tuple[str | None, int]:
    """The description and the number of words of an institution word at word j."""
    low = w.low
    if j >= len(low) or (low[j] not in _INSTITUTION and low[j] not in _PAIR_FIRSTS):
        return None, 0  # most words
    if j + 1 < len(low) and (low[j], low[j + 1]) in _PAIRS and w.joins[j + 1]:
        return _PAIRS[(low[j], low[j + 1])], 2
    if low[j] in _INSTITUTION and (w.cap[j] or low[j] not in _CAPITAL_TRADES):
        return _INSTITUTION[low[j]], 1
    return None, 0


def _cue(w: Words, i: int, the: bool = False) -> str | None:
    """The description when a cue word stands a few words before word i in its sentence,
    joined by "at", "for", "in", "is", "to" or "called" ("works at Boots", "church at St
    Anselm's", "rehab at Arnold Lodge", "a course at New College Nottingham"); with `the`,
    also by "at the" ("shifts at the Queen's Medical Centre", "cleans at the Holiday Inn";
    "working at the Tesco" names a chain, which the caller leaves alone)."""
    at = i - 2 if the and i > 1 and w.low[i - 1] == "the" else i - 1
    if at > 0 and w.low[at] == "with" and w.low[at - 1] in (
        "job", "work", "apprentice", "apprenticeship", "placement", "contract", "programme", "course", "appointments", "appointment", "housing",
        "driver", "drivers", "ferries", "boats", "rigs", "offshore", "agency", "taxis", "cabs",
    ):
        return "work"  # "got a job with Solent Stevedores", "an apprentice with Babcock"
    if at > 0 and w.low[at] in ("with", "at") and w.low[at - 1] in _CLUB_ACTIVITIES:
        return "the club"  # "Gaelic football with Lamh Dearg", "shinty at Glen Urquhart", "her show with Step Out"
    if at > 1 and w.low[at] == "for" and _SCORED_FOR.search(w.source, max(0, w.start[at] - 30), w.start[at]):
        return "the club"  # a child's own goals: "he scored twice for Horfield Hawks"; not "Salah scored for Liverpool"
    if at < 0 or w.low[at] not in ("at", "for", "is", "called", "named", "in", "to"):
        return None
    named = False
    for k in range(at - 1, max(-1, at - 6), -1):  # "volunteering two mornings a week at the ..."
        if _CLAUSE_BREAK.search(w.source[w.end[k] : w.start[i]]):
            break
        if w.cap[k] and w.low[k] in _CLUB_CUES and w.low[at] == "at":
            return "the club"  # "goes to Cubs at St Mary's"
        if w.cap[k] and w.low[k] in _CHURCH_CUES and w.low[at] == "at":
            return "church"  # "his First Communion at St Winefride's", "Mass at St Anselm's"
        if w.cap[k] and w.low[k] in _CLERGY and w.low[at] == "at" and w.low[k + 1] != "christmas":
            return _CLERGY[w.low[k]]  # "Father McVeigh at Holy Cross", "Imam Hussain at Makki Masjid"
        if w.cap[k] and w.text[k].isupper() and w.low[k] in _CUES_FOR_AT and w.low[at] in ("for", "at"):
            return _CUES_FOR_AT[w.low[k]]  # a role written in capitals: "an HCA at Mount Gould", "a TA at Parkside"
        if w.cap[k]:
            named = True
            continue  # part of a name: "a Club Orange from the ..."
        if named:
            break  # the cue of another name: "shifts at Kerr's Bakery in Leith" (Leith is the place)
        if w.low[k] in ("at", "for") and w.low[at] in ("at", "for"):
            break  # the cue of another place: "on the line at the plant at Castle Bromwich"
        if w.low[k] in _CUES and w.low[k + 1] not in _ONCE:  # not "school went to Magna"
            return _CUES[w.low[k]]
        if w.low[k] == "service" and k > 0 and w.low[k - 1] in ("sunday", "morning", "evening", "church", "carol", "prayer"):
            return "church"  # "Sunday service at RCCG Victory House"
        if w.low[k] == "taken" and w.low[at] == "at":
            return "work"  # "taken on at Trago Mills"; not "photos taken for Poppy-Mae's life story book"
        if w.low[k] in _CUES_FOR_AT and w.low[at] in ("for", "at"):  # "plays for Norwich Lituanica"
            return _CUES_FOR_AT[w.low[k]]
    return None


def _head(w: Words, i: int, end: int) -> str | None:
    """The description of the last institution word in words i to end: what the name names."""
    return next((say for say, _ in (_institution_word(w, m) for m in range(end - 1, i - 1, -1)) if say), None)


_OPENING_VERBS = frozenset("played watched read made did had built drew sang baked bought got ate shared brought tried likes loves enjoys hates".split())
_INNER_ARTICLES = frozenset("an na nan y yr".split())  # inside Gaelic, Irish and Welsh names


def _institution(w: Words, i: int, run: int, first_names: Collection[str]) -> tuple[int, Piece] | None:
    low = w.low
    if low[i] in ("bun", "àrd", "ard") and i + 2 < len(w.text) and w.gap(i + 1) == "-" and low[i + 1] == "sgoil" and w.joined(i + 2) and w.cap[i + 2]:
        size = 3  # "Bun-sgoil Taobh na Pàirce", "Àrd-sgoil ...": Gaelic primary and secondary schools
        while size < 7 and i + size < len(w.text) and w.joined(i + size) and (
            w.cap[i + size] or (low[i + size] in ("na", "an", "nan", "a") and i + size + 1 < len(w.text) and w.cap[i + size + 1])
        ):
            size += 1
        return size, (*_span(w, i, size), "institution", "school")
    # "Ysgol y Moelwyn", "Naíscoil an Chnoic": an article, then the name
    article = low[i] in _BEFORE and i + 2 < len(w.text) and low[i + 1] in _INNER_ARTICLES and w.joined(i + 1) and w.joined(i + 2) and w.cap[i + 2]
    if low[i] in _BEFORE and w.joined(i + 1) and (w.cap[i + 1] or article):  # "HMP Nottingham", "Coleg Sir Gâr"
        size = 3 if article else 2
        while size < 6 and i + size < len(w.text) and w.joined(i + size):
            if w.cap[i + size]:
                size += 1
            elif low[i + size] in _INNER_ARTICLES and i + size + 1 < len(w.text) and w.joined(i + size + 1) and w.cap[i + size + 1]:
                size += 2  # "Naíscoil an Chnoic", "Ysgol Pen y Garth", "Sgoil an Rubha"
            else:
                break
        return size, (*_span(w, i, size), "institution", _BEFORE[low[i]])
    if not run or low[i] in _HONORIFICS or (low[i] in _CLERGY and run > 1 and low[i + 1].endswith(("'s", "’s"))):
        return None
    if _INSTITUTION_ANY.isdisjoint(low[i : i + run + 1]) and w.text[i + run - 1] != "High" and low[i] not in ("our", "st", "saint", "holy"):
        # most names: no institution word in them or just after them, and no saint's or parish's name. This
        # lists every way the rules below find a name: a new one must be added here too.
        return None
    if low[i] in _OPENING_VERBS and _sentence_start(w, i):
        return None  # a game, after the verb that opens a note's sentence: "Played FC 24", "Played Junior Scrabble"
    if run > 1 and low[i].endswith(("'s", "’s")) and bare(low[i]) in gazetteer.load().given_names and all(word in _CLUB_CUES or word in _GROUPS for word in low[i + 1 : i + run]):
        return None  # a child's own group: "Brooke's Brownies sleepover"  # a person's: "Mr Bailey's probation officer", "an appointment with Dr Pattni", "Pastor Owusu's church"
    if _DESCRIPTION_WORDS.issuperset(low[i : i + run]):
        return None  # "Primary School", "Youth Club", "Brownies": a description, no name
    if run == 1 and (
        low[i] in first_names
        or (low[i].endswith(("'s", "’s")) and w.before(i) not in ("st", "saint") and (_institution_word(w, i + 1)[0] != "work" or _cue(w, i, the=True) != "work"))
    ):
        return None  # "Amelia's school", "Jack's club"; "St Mary's School" and a workplace ("Sidoli's café") are names
    # An institution word inside the run ("Greenwood Primary School", "New College
    # Nottingham", "Queen's Medical Centre") ...
    say = None
    # the last is the head ("Bestwood Juniors FC" is a club); the first word alone heads nothing
    # when a name follows it ("Dairy Milk", "Club Orange")
    for j in range(i + run - 1, i if run > 1 else i - 1, -1):
        pair = _PAIRS.get((low[j - 1], low[j])) if j > i else None  # "Women's Institute" is a club, not a school
        say, _ = (pair, 2) if pair else _institution_word(w, j)
        if say:
            break
    if not say and run > 1 and w.text[i + run - 1] == "High" and not _sentence_start(w, i) and not (run == 2 and low[i] in _PREFIXES):
        say, j = "school", i + run - 1  # a high school by its short name: "finished at Fitzalan High"
    end = i + run
    if say and any(low[m] in ("on", "upon") for m in range(j + 1, end)):
        end = j + 1  # "the Guru Nanak Gurdwara on Sedgley Street": the street is an address of its own
    # ... or just after it, in any case ("Arnold Lodge rehab", "Hope House (refuge)").
    after, size = _institution_word(w, end) if w.joined(end) else (None, 0)
    if not after and end < len(w.text) and w.gap(end) == " (":
        after, size = _institution_word(w, end)
        if after and w.source[w.end[end + size - 1] : w.end[end + size - 1] + 1] == ")":
            return run, (*_span(w, i, run), "institution", _cue(w, i, the=True) or after)  # the span stops before "("
        after, size = None, 0
    if after:
        if not say and run == 1 and _sentence_start(w, i) and not w.cap[end]:
            return None  # "Forest school", "Sunday club": a sentence's first word before a description
        say, end = say or after, end + size
        while end < len(w.text) and w.joined(end) and (low[end] in _INSTITUTION or low[end] in ("programme", "centre", "unit")):
            end += 1
    if not say and run >= 4 and low[i] == "our" and low[i + 1] == "lady" and low[i + 2] == "of":
        # a Catholic parish or its school: "she's at Our Lady of Perpetual Succour now"
        say = "school" if _school_after(w, end) or _school_before(w, i) or w.before(i) == "at" else "church"
    if say and low[end - 1] == "junior" and any(low[m] in _STORIES or low[m] in _TOYS for m in range(i, end)):
        return None  # a game's junior edition: "Monopoly Junior", "Played Monopoly Junior"
    if not say and _saints(w, i, run):
        # a saint's name in the possessive, where someone is: a parish church or its school ("Johnny is at
        # St Malachy's", "moved to St Kieran's"); not a town ("St Helens"), a day or a flag
        say = "church" if _CHURCH_IN_SENTENCE.search(_sentence(w, i, end)) else "school" if _school_after(w, end) or _school_before(w, i) else "where they go"
    if not say:
        return None
    return end - i, (w.start[i], w.end[end - 1], "institution", _cue(w, i, the=True) or say)


_DESCRIPTION_WORDS = _DESCRIPTIONS | _PAIR_SECONDS
_INSTITUTION_ANY = frozenset(_INSTITUTION) | _PAIR_FIRSTS | _PAIR_SECONDS  # a word `_institution` can find a name by
_CHURCH_IN_SENTENCE = re.compile(r"\b(?:church|chapel|mass|service|communion|christening|parish|priest|father|vicar)\b", re.IGNORECASE)
_SAINT_NOT_A_PLACE = frozenset("day night eve flag cross ambulance".split())
_NOT_A_CLUB_THING = _EVENT_NAMES | _SAINT_NOT_A_PLACE  # "his badge from St David's Day", "a medal from the Great North Run"


def _saints(w: Words, i: int, run: int) -> bool:
    """Words i to i + run are a saint's name in the possessive or a parish's ("Our Lady's",
    "Holy Child") after "at", "to", "from" or "into" ("at St Malachy's", "from St Kieran's"),
    which no gazetteer knows as a town."""
    low = w.low
    if low[i] not in ("st", "saint", "our", "holy"):
        return False  # most names
    saint = low[i] in ("st", "saint") and run >= 2 and low[i + run - 1].endswith(("'s", "’s"))
    parish = run == 2 and ((low[i] == "our" and low[i + 1] in ("lady's", "lady’s")) or (low[i] == "holy" and w.text[i + 1] in _HOLY))  # "Our Lady's", "Holy Child"
    if not saint and not parish:
        return False
    if w.before(i) not in ("at", "to", "from", "into") or (w.joined(i + run) and low[i + run] in _SAINT_NOT_A_PLACE):
        return False
    return not gazetteer.load().place(gazetteer.normal(w.source[w.start[i] : w.end[i + run - 1]]))


def _street(w: Words, i: int, run: int) -> tuple[int, Piece | None] | None:
    """A street, park or green of one or two words at word i: (words, piece), with no piece
    for a park visited once."""
    for n in (1, 2):
        j = i + n
        if n > run or j >= len(w.tight) or not w.tight[j] or not w.cap[j]:
            continue
        if w.low[i] in _TOYS:
            return run, None  # a toy: "his Paw Patrol Chase"
        if any(word in _NOT_STREETS for word in w.low[i:j]):
            continue
        if n == 1 and _sentence_start(w, i):
            continue  # "Sang Row, Row, Row Your Boat": one word opening a sentence may be a verb
        if w.low[j] not in _STREET_WORDS and w.low[j] not in ("park", "green"):
            continue
        if _monopoly(w, i, j + 1) or (w.joined(j + 1) and w.low[j + 1] in _NOT_AFTER_STREET) or _told_or_outing(w, i, j + 1):
            return n + 1, None  # "ended up with Mayfair and Park Lane" in a game of Monopoly
        if w.low[j] == "park":  # a park, or an area called one; not a day out ("took them to Bradgate Park")
            return n + 1, None if _one_off(w, i, j + 1) else (w.start[i], w.end[j], "place", "the park")
        if w.low[j] == "green" or (w.low[j] == "hill" and w.before(i) in _TO_A_DISTRICT):
            # without a number, a district more often than a street ("Hyson Green"); "a flat over at Ocker Hill"
            return n + 1, (w.start[i], w.end[j], "place", AREA)
        if w.low[j] in _STREET_WORDS and not (j + 1 < len(w.text) and w.low[j + 1] in _AREA_WORDS):
            return n + 1, (w.start[i], w.end[j], "address", "the placement")
    return None


# After a house's name, the rest of its address: "Rowan Cottage, Laurieston, DG7 2PW".
_ADDRESS_LINE = re.compile(r",\s+(?:[A-Z][\w'’-]*[,\s]+){1,3}?" + _FULL_POSTCODE)
# Towns whose names are everyday words: described, they are the word ("Reading is boring", "Bath was fun").
_EVERYDAY_TOWNS = frozenset("reading bath march street sale bury hope deal ware wells send ford dinner sandwich looe wool".split())
_TO_A_DISTRICT = frozenset("in at to from up near round over out".split())  # not "on": "lives on Castle Hill" is a street
_ADDRESS_END = re.compile(r"(?<![\d:./£$€-])\b\d{1,4}[a-zA-Z]?,?(?:\s+[A-Z][\w'’-]*){1,3}$")
_STREET_ENDS = frozenset("road rd street avenue ave lane close drive court crescent terrace gardens grove mews".split())
_HOUSE_NUMBER = re.compile(r"(?<![\d:./£$€-])\b\d{1,4}[a-zA-Z]?,?\s+$")


MONOPOLY = frozenset(
    """old kent road|whitechapel road|the angel islington|euston road|pentonville road|pall mall|whitehall|
    northumberland avenue|bow street|marlborough street|vine street|strand|fleet street|trafalgar square|
    leicester square|coventry street|piccadilly|regent street|oxford street|bond street|park lane|mayfair""".split("|")
)


def _monopoly(w: Words, i: int, end: int) -> bool:
    """Words i to end name a square of the Monopoly board in a text that mentions the game."""
    name = " ".join(w.low[i:end])
    return name in MONOPOLY and "monopoly" in w.source.casefold()


def _ends_address(w: Words, k: int) -> bool:
    """Word k ends an address: a house number and capitalised words ("12 Elm Road",
    "3 The Paddocks") or a street word ("Oakfield Close")."""
    if not w.cap[k]:
        return False
    return w.low[k] in _STREET_ENDS or bool(_ADDRESS_END.search(w.source[max(0, w.end[k] - 40) : w.end[k]]))


def _the_street(w: Words, i: int) -> tuple[int, Piece] | None:
    """A house number and "The" and a capitalised word: "3 The Paddocks", "12 The Spinney"."""
    if not w.joined(i + 1, hyphen=False) or not _is_name(w, i + 1):
        return None
    number = _HOUSE_NUMBER.search(w.source[max(0, w.start[i] - 8) : w.start[i]])
    if number is None:
        return None
    return 2, (w.start[i] - len(number.group()), w.end[i + 1], "address", "the placement")


def _longest_place(w: Words, i: int, gaz: gazetteer.Gazetteer) -> tuple[int, str] | None:
    """The longest gazetteer name starting at word i: (word count, normal name)."""
    hyphens = 0  # "Pen-y-groes": words joined by hyphens, a name in any case
    count, end, start = len(w.text), w.end, w.start
    while i + hyphens + 1 < count and hyphens < 4 and w.source[end[i + hyphens] : start[i + hyphens + 1]] == "-":
        hyphens += 1
    most = gaz.longest.get(w.key[i])
    for size in range(min(most or 0, len(w.text) - i), 0, -1):
        if any(not w.joined(k) for k in range(i + 1, i + size)) or not (w.cap[i + size - 1] or size <= hyphens + 1):
            continue
        name = " ".join(w.key[i : i + size])
        if gaz.place(name):
            return size, name
    if hyphens:  # the gazetteer writes some as one word: "Penygroes"
        name = "".join(w.key[i : i + hyphens + 1])
        if gaz.place(name):
            return hyphens + 1, name
    return None



# The words before a name that the rules of `_living` look for (besides `_LIVING` and `_ADVERBS`).
_LIVING_LINKS = _LIVING | _ADVERBS | _PREPOSITIONS | frozenset(
    "to called named in from on at than then now near off up round left leave leaving of".split()
)
_WISH_TO_LIVE = re.compile(r"\b(?:wants?|wanted|wish(?:es)?|would (?:like|love)|dreams? of|'d (?:like|love)) to live\b[^.!?\n]*$", re.IGNORECASE)
_WITH = re.compile(r"\bwith\s+(?:(?:her|his|their|my)\s+)?([^\W\d_]+(?:['’]s)?)")
_CATCH_UP = frozenset("catch catches caught catching look looks looked looking gazed peered".split())  # "caught up on", "looked down on"


class _Before(NamedTuple):
    """Word i, a capitalised name's first word, and what stands before it: `the` when "the"
    does ("moved off the Gurnos"), `k` the first word of the name with its "the", `prev`,
    `prev2`, `prev3` the words before that (lower case, in the same phrase), and `run` the
    words of the name (`_run`)."""

    i: int
    k: int
    the: bool
    prev: str
    prev2: str
    prev3: str
    run: int


def _living(w: Words, b: _Before, found: list[Piece], gaz: gazetteer.Gazetteer, at_place: bool, on_estate: bool) -> bool:
    """A word of living or a context of home puts the name at word `b.i` where someone lives."""
    i, k, the, prev, prev2, prev3, run = b
    low = w.low
    # no rule below can hold but the one that needs no word before: a cheap way out for most words
    cheap = prev not in _LIVING_LINKS and not on_estate and not at_place and w.gap(i) != ", " and low[i] != "march"
    if cheap and not (_where_is(w, i + max(run, 1) - 1) and _sentence_subject(w, i)):
        return False
    wish = _WISH_TO_LIVE.search(w.source, max(0, w.start[k] - 40), w.start[k])
    if wish and not any(bare(word.casefold()) in _KIN for word in _WITH.findall(wish.group())):
        return False  # a wish, not a home: "she wants to live on Struay"; but "she'd like to live with Granny in Lurgan"
    if cheap:
        return True
    if prev in _LIVING and k > 0 and w.cap[k - 1] and not _sentence_start(w, k - 1):
        prev = "living-in-a-name"  # a word of a name, not of living: "the Black Country Living Museum"
    # "lives out Ravenshead way", "moved over Gedling"
    return (
        on_estate or prev in _LIVING or (prev in _ADVERBS and prev2 in _LIVING)
        # "gone back to Iași", "went back home to Tuam"
        or (prev == "to" and prev2 in ("back", "home") and (prev3 in _GONE or w.before(k - 3) in _GONE))
        # "rehoused from Easton to Lawrence Weston": where the move went from a place where someone lived
        or (prev == "to" and bool(found) and found[-1][2] == "place" and found[-1][3] == HOME_AREA and _FROM_TO.fullmatch(w.source, found[-1][1], w.start[k]) is not None)
        # "a bungalow called Tŷ Isaf"
        or (prev in ("called", "named") and prev2 in _HOMES)
        # where someone visited lives: "wants to visit her in Stocksbridge", "staying with them in Tuam"
        or (prev == "in" and prev2 in ("her", "him", "them") and prev3 in _VISIT_SOMEONE)
        # "still at her mum's in Hartcliffe", "left her mum's in Castlemilk", "his mother in Kaunas"
        or (prev == "in" and bare(prev2) in _KIN and not the)  # not "her best friend in the Ladybirds"
        # where family are: "Nan is in Lurgan", "Granny Kathleen is still in the Bogside"
        or (prev == "in" and _kin_is_in(w, k, gaz, the))
        # where someone comes from or is back at: "came down from Barabhas", "over from Kumasi",
        # "still over in Castlemilk", "back on Westray"
        or (prev == "from" and prev2 in ("over", "down", "up") and prev3 != "left" and not the)  # not "pączki left over from Tłusty Czwartek"
        or (prev == "from" and prev2 in ("rang", "phoned", "called", "facetimed", "texted", "wrote") and not the)  # "Granny rang from Lurgan"
        or (prev in ("in", "on") and prev2 in ("back", "over", "still", "down", "up") and prev3 not in _CATCH_UP and not the)  # not "caught up on EastEnders", "looked down on Derwentwater"
        or (prev == "at" and prev2 in ("up", "over", "down") and prev3 in ("still", "back", "lives", "living") and not the)  # "still up at Tyddyn Isaf"
        # "still up Blaenymaes", "back up the Gurnos with nanna", "still up the Meadow Well"
        or (prev == "up" and prev2 in ("still", "back", "lives", "living", "staying") and low[i] not in _CHAINS)
        # the town of an address: "3 Orchard Cottages, Eardisland, HR6 9BD", "M22 5RN, in Wythenshawe"
        or (not the and _town_of_address(w, i, k, prev, run))
        # the other side of a comparison of places: "Hawick is far quieter than Langlee"
        or (prev == "than" and not the and _place_compared(w, found, k))
        # "Moss Side's where all my mates are", "Seacroft is where her mam lives"
        or (_where_is(w, i + max(run, 1) - 1) and _sentence_subject(w, i))
        # a list of places lived in: "in Kirkby, then Huyton, and now Croxteth"
        or (prev in ("then", "now") and bool(found) and found[-1][2] == "place" and w.start[k] - found[-1][1] <= 12 and not low[i].startswith(("i'", "i’")))
        # the town of March, after a word of living and "to", or before "town": "moved to March"
        or _march(w, i)
        # "has come over from Kumasi, where she lives"
        or (at_place and _WHERE.match(w.source, w.end[i + max(run, 1) - 1]) is not None)
        or (at_place and (prev2 in _LIVING or prev2 in _HOMES or (prev2 in _ADVERBS and prev3 in _LIVING)))
        # "has a room in Gorgie", "lodging with his cousin in Lawrence Weston"
        or ((prev in ("in", "from", "near", "off", "up", "round") or (prev == "at" and prev2 == "out")) and not the and _living_sentence(w, i) and not _told_or_outing(w, i, i + 1))
        # a place left for a home: "has left Bentilee and is renting", "got out of Possilpark into a flat"
        or (
            (prev in ("left", "leave", "leaving") or (prev == "of" and prev2 == "out")) and not the
            and low[i] not in gaz.given_names and _home_in_sentence(w, i)
        )
    )


# Family, and where they are: "Nan is in", "Granny Kathleen is still in", "his nana's now in the".
_KIN_IS_IN = re.compile(
    r"\b(?P<who>[^\W\d_]+)(?:\s+(?P<name>[A-Z][^\W\d_]+))?(?:['’]s|\s+is|\s+are)(?:\s+(?:now|still|back|currently|living|staying|settled))*"
    r"(?:\s+(?:up|down|over|out))?\s+in\s+(?:the\s+)?$"
)


def _kin_is_in(w: Words, k: int, gaz: gazetteer.Gazetteer, the: bool) -> bool:
    """Family "is in" the name at word k (its "the" included): where they live, not a visit
    (`_told_or_outing` is asked by the caller). With "the", only a name no list knows as
    anything else ("in the Bogside", not "in the Army")."""
    match = _KIN_IS_IN.search(w.source, max(0, w.start[k] - 50), w.start[k])
    # "Granny Kathleen is", or "said Granny is"
    who = [bare(word.casefold()) for word in match.group("who", "name") if word] if match else []
    if not _KIN.intersection(who) or _NUMBER_NEXT.match(w.source, w.end[k + the]):
        return False  # not a class: "Keira told Mum she's in P4"
    if not the:
        return True
    word = w.low[k + 1]
    return word not in gazetteer.common_words() and word not in _NOT_HOMES and word not in _INSTITUTION and word not in _CHAINS and word not in _SERVICES


_SERVICES = frozenset("army navy raf marines forces military police territorials".split())  # "Dad is in the Army"


def _town_of(w: Words, b: _Before, found: list[Piece]) -> bool:
    """The name at word `b.i` is the town of a workplace, a port, a journey's start."""
    i, k, the, prev, prev2, _, _ = b
    # the town of a workplace or an institution just named: "his family's takeaway in Broughty Ferry",
    # "shifts at Kerr's Bakery in Leith"
    if prev in ("in", "at") and not the and _after_institution(found, w, k - 1):
        # the town of an institution just found, which was found as a regular place already:
        # "going to groups at Meadowbank Recovery in Hillfields", "on the line at JLR in Castle Bromwich"
        return True
    town_of = (
        (
            (prev == "in" and (prev2 in _BUSINESS or prev2 in _INSTITUTION))
            # "the plant at Castle Bromwich", "the Jaguar Land Rover plant at Castle Bromwich"
            or (prev == "at" and prev2 in _INSTITUTION and k > 1 and w.text[k - 2].islower())
        )
        and not the
        and not _told_or_outing(w, i, i + 1) and not _one_off(w, i, i + 1)
    )
    return town_of or (
        not the
        and (
            # a working port or base: "crewing out of Kinlochbervie", "the salmon cages out of Leurbost"
            (prev == "of" and prev2 == "out" and _based_sentence(w, i))
            # a journey's start: "the bus from Parr", "came from Leurbost on the early ferry"
            or (prev == "from" and (prev2 in _JOURNEYS or (prev2 in _CAME and bool(_JOURNEYS.intersection(w.around(i, i + 1, 0, 6)[1])))))
        )
    ) or (prev == "from" and _arrived_from(w, k) is not None)


def _child_is_at(w: Words, k: int, children: Collection[str]) -> bool:
    """The words before word k say that a child is at it: "Maisie is at", "Oisín's now at"."""
    match = _IS_AT.search(w.source, max(0, w.start[k] - 40), w.start[k])
    return match is not None and match.group("who").casefold() in children


_IS_AT = re.compile(r"(?P<who>[^\W\d_]+)(?:['’]s|\s+is)(?:\s+(?:now|still|doing\s+well|settled|happy))?\s+at\s+$")


def _arrived_from(w: Words, k: int, pattern: re.Pattern[str] | None = None) -> str | None:
    """Who arrived from what starts at word k ("Mum arr 14:02 from Bentilee": "mum"), or with
    `_BROUGHT_FROM` who was brought from it ("brought Ava straight from Tiny Steps": "ava"), or None."""
    match = (pattern or _ARRIVED_FROM).search(w.source, max(0, w.start[k] - 50), w.start[k])
    return match.group("who").casefold() if match else None


# Who was brought to contact from somewhere: "Mum brought Ava straight from Tiny Steps".
_BROUGHT_FROM = re.compile(r"\bbrought\s+(?P<who>[^\W\d_]+)\s+(?:straight\s+|over\s+|in\s+|round\s+)?from\s+(?:the\s+)?$", re.IGNORECASE)
# Where someone came to contact from, as the register of a session writes it: "Mum arr 14:02 from
# Bentilee", "Dad arrived late from the Gurnos".
_ARRIVED_FROM = re.compile(
    r"(?P<who>[^\W\d_]+)\s+(?:arr|arrived|arrives|arriving)\b\.?(?:\s+(?:at\s+)?\d{1,2}[:.]?\d{2}|\s+(?:late|early|on\s+time|straight|today))*\s+from\s+(?:the\s+)?$",
    re.IGNORECASE,
)



def _named_by_its_cue(w: Words, b: _Before, gaz: gazetteer.Gazetteer, alone_is_known: bool) -> Piece | None:
    """A workplace, a school, a club, a hospital or a prison named after "at" or "for" (or "in"
    a hospital, "from" a school or a prison) when a cue says which: it wins over a town of the
    same name ("doing nights at Derriford", "he is at Kingsford now and his teacher is Miss
    Duthie", "excluded twice from Morgan")."""
    i, k, _, prev, prev2, prev3, run = b
    low = w.low
    hospital = run and (
        (prev in ("at", "in") and (_HOSPITAL_AFTER.match(w.source, w.end[i + run - 1]) is not None or _ill_since(w, i, run)))
        or (prev == "in" and prev2 == "kept")  # "she was kept in the Simpson's for three days"
        or (prev == "on" and run > 1 and low[i + run - 1] == "ward")  # "on Bramble Ward"
    )
    from_cue = (
        (
            _FROM_CUES.get(prev2) or (_FROM_CUES.get(prev3) if prev2 in _ADVERBS_OF_TIMES else None)
            or _SCHOOL_THINGS.get((prev3, prev2)) or ("school" if prev2 in _FROM_SCHOOL and low[i] not in _CONTESTS else None)
            or ("work" if prev2 == "off" and prev3 in ("signed", "laid", "weeks", "week", "days", "fortnight") else None)  # "signed off from the Dockyard", "two weeks off from Sullom Voe"
            or ("the club" if prev2 in _FROM_CLUB and low[i] not in _CONTESTS and low[i + run - 1] not in _NOT_A_CLUB_THING else None)
        )
        if prev == "from" else None
    )
    if run and (not alone_is_known or hospital) and (prev in ("at", "for") or hospital or from_cue):  # "in Jimmy's since Tuesday"
        age_group = _CLUB_BEFORE.search(w.source, max(0, w.start[i] - 30), w.start[i]) is not None  # "the under-12s at"
        # the team without its age group: "picked for Swinton Comets U10s" (the words "U" and "s" end the run)
        for m in range(run, 0, -1):
            if _CLUB_AFTER.match(w.source, w.end[i + m - 1]):
                run, age_group = m, True
                break
        cue = (
            _cue(w, i, the=True) or ((_school_after(w, i + run) or _school_before(w, i)) and "school")
            or (age_group and "the club") or (hospital and "hospital")
            or from_cue  # "excluded twice from Morgan", "released from Altcourse"
            # "at Harbour ... the staff are good", not a town ("at Skegness and the staff at the caravan park")
            or (prev == "at" and _STAFF_AFTER.match(w.source, w.end[i + run - 1]) is not None and not gaz.place(w.key[i]) and "where they go")
        )
        upto = next((m - i for m in range(i + 1, i + run) if low[m] in ("on", "upon")), run)
        if (
            cue and (_named(w, i, upto) or (hospital and prev == "in"))  # a possessive too: "in Jimmy's since Tuesday" after a fall
            and low[i] not in _CHAINS and low[i] not in _HONORIFICS and not _person_like(w, i, upto, gaz, cue, prev)
            and not gaz.country(" ".join(w.key[i : i + upto]))
            and not _WISH.search(" ".join(w.around(i, i + 1, before=8, after=0)[0]))  # "wanting to play for Man City"
            and ((prev == "for" and prev2 in ("play", "plays", "playing") and (w.before(k - 2) in _PLAYER or (prev2 == "playing" and k > 2 and w.cap[k - 3] and low[k - 3] not in _FAMOUS_SURNAMES)))  # "Kyle playing for Ballysillan Swifts"
                 or age_group  # "playing up front for the under-12s at Brymbo FC"
                 or not _told_or_outing(w, i, i + upto, outing_after=False))
        ):
            return (*_span(w, i, upto), "institution", cue)
    return None


def _word_after(w: Words, end: int, i: int) -> int:
    """The first word at or after offset `end` (a piece's end), from word i on."""
    while i < len(w.text) and w.start[i] < end:
        i += 1
    return i


# Words before a name that a regular place's cue can come through (`_cue`, `_regular_place_cue`).
_CUE_LINKS = frozenset("at for is called named in to with attending attends attend".split())


def _may_have_a_cue(w: Words, b: _Before, at_place: bool) -> bool:
    """Whether `_regular_place_cue` can find anything at word `b.i`: a cheap test first, so that
    a run of capitalised words does not pay for every cue rule at every word."""
    return (
        b.prev in _CUE_LINKS or b.the or at_place or w.gap(b.k) == ", "
        or _CLUB_AFTER.match(w.source, w.end[b.i + max(b.run, 1) - 1]) is not None
    )


_A_SHIFT_AT = re.compile(
    r"\b(?:off|on|doing|did|done|after|finished)\s+(?:a|an|his|her|their|the)\s+(?:night|early|late|back\s?shift|day\s?shift|double|shift|twilight|season)\s+at\s+$"
    # "doing three days at Caffi Cwtch", "dropped to two nights at Sainsbury's"
    r"|\b(?:doing|does|did|do|dropped\s+to|down\s+to|up\s+to|on|onto)\s+(?:(?:\d|one|two|three|four|five|six)\s+)?(?:days|nights|shifts|mornings|afternoons|evenings|weekends)(?:\s+a\s+week)?\s+at\s+$",
    re.IGNORECASE,
)
_AT_A_SITE = re.compile(r"(?:-[Oo][Pp])?\s+(?:in|on)\s+(?:the\s+)?[A-Z]")  # "Co-op" is two words


def _owners_firm(w: Words, i: int, run: int, gaz: gazetteer.Gazetteer) -> bool:
    """Word i alone is a firm named by its owner ("working at Rodda's", "an early at Brandauer's"),
    not someone's home ("at Nan's", "at Kayleigh's")."""
    word = w.low[i]
    if run != 1 or not word.endswith(("'s", "’s")):
        return False
    owner = bare(word)
    if "-" in owner and _given(owner):
        return False  # a child's double name: "for Poppy-Mae's life story book"
    return owner not in gaz.given_names and owner not in NOT_NAMES and owner not in _KIN and owner not in _CHAINS


def _branch_worked_at(w: Words, i: int, run: int, cue: str) -> bool:
    """A chain's branch where someone works, named by its town or street: "on the tills at the
    Aldi in Wombwell", "back at the Co-op on Duke Street"; not "works at Asda", one of hundreds."""
    return cue == "work" and run == 1 and _AT_A_SITE.match(w.source, w.end[i]) is not None


def _regular_place_cue(w: Words, b: _Before, gaz: gazetteer.Gazetteer, at_place: bool) -> str | None:
    """The description of a workplace, a school, a church or rehab named at word `b.i`, from
    its cue ("works at Boots", "sees his probation officer at Byron House", "the Mughal Sweet
    Centre on Leeds Road, where he works", "attending Kingdom Life Assembly", "she goes to
    Little Acorns", "at Al-Noor every Saturday"), or None."""
    i, _, the, prev, prev2, _, run = b
    low = w.low
    named = _named(w, i, run)
    cue = _cue(w, i, the=True) or (
        prev == "at" and (low[i] not in gaz.given_names or run > 1) and (_school_after(w, i + run) or _school_before(w, i)) and "school"
    ) or _business_before(w, i, run) or (_CLUB_AFTER.match(w.source, w.end[i + run - 1]) and "the club")
    upto = next((m - i for m in range(i + 1, i + run) if low[m] in ("on", "upon")), run)
    if not cue and (at_place or the) and named and upto > 1 and _WHERE_WORKS.match(w.source, w.end[i + upto - 1]):
        cue = "work"  # "the Mughal Sweet Centre on Leeds Road, where he works"
    if not cue and (named or _owners_firm(w, i, run, gaz)) and _A_SHIFT_AT.search(w.source, max(0, w.start[b.k] - 40), w.start[b.k]):
        cue = "work"  # "came off a night at Burgerbox", "on an early at Brandauer's"
    if not cue and prev in ("attending", "attends", "attend") and named:
        cue = "where they go"  # "attending Kingdom Life Assembly every Sunday"
    if (
        not cue and prev == "to" and prev2 == "goes" and named and not the and not w.text[i].isupper()
        and not gaz.place(" ".join(w.key[i : i + run]))
        and not any((bare(word) in _NOT_A_SUBJECT and bare(word) not in _DESCRIPTIONS) or bare(word) in _CUES for word in low[i : i + run])
        # a name with one word of its own: "Little Acorns", not "Big School"
        and not all(bare(word) in _DESCRIPTIONS or bare(word) in gazetteer.common_words() for word in low[i : i + run])
        and " ".join(low[i : i + run]) not in _ATTRACTIONS and not _told_or_outing(w, i, i + run)
    ):
        cue = "where they go"  # what a child "goes to" is a regular place: "she goes to Little Acorns"
    if not cue and prev in ("to", "at") and named and _regularly(w, i, i + run):
        cue = "where they go"  # "goes to Phoenix on Tuesdays", "at Al-Noor every Saturday"
    return cue


def pieces(w: Words, first_names: Collection[str] = (), children: Collection[str] = ()) -> list[Piece]:
    """Place, institution and street pieces of one text's words; `first_names` (lower-cased)
    are the known people's first names, which alone are never a place, and `children` those
    of the child and the siblings (where a child arrives from is school)."""
    gaz = gazetteer.load()
    text, low, tight = w.text, w.low, w.tight
    found: list[Piece] = []
    named_places: set[str] = set()
    i, size = 0, len(text)
    while i < size:
        if not w.cap[i]:
            i = w.next_cap(i)
            continue
        word = text[i]
        if word == "The":  # "3 The Paddocks"; a local name such as "The Meadows"
            hit = _the_street(w, i)
            place = None if hit else _longest_place(w, i, gaz)
            if place is not None and place[1] in gaz.local:
                hit = place[0], (*_span(w, i, place[0]), "place", AREA)
                named_places.add(place[1])
            if hit:
                found.append(hit[1])
                i += hit[0]
                continue
        own = bare(low[i])  # "Nan's" -> "nan"
        if not w.cap[i] or (own in NOT_NAMES and low[i] not in _BEFORE and word != "Our" and not _march(w, i)):
            i += 1  # not a name: "the", "March", "Mum", "Nan's"
            continue
        the = tight[i] and low[i - 1] == "the"  # "moved off the Gurnos"
        k = i - 1 if the else i
        prev = low[k - 1] if tight[k] else ""  # w.before(k), inline in this loop
        prev2 = w.before(k - 1) if prev else ""
        prev3 = w.before(k - 2) if prev2 else ""
        run = _run(w, i)
        if run and low[i] in _FICTION_FIRSTS and any(" ".join(low[i : i + n]) in FICTION for n in range(run, 0, -1)):
            i += run  # a story's place: "on the cobbles in Weatherfield", "live on Mossy Bottom Farm"
            continue
        if run and w.text[i + run - 1] in ("Room", "Suite") or (w.joined(i + run) and w.text[i + run] in ("Room", "Suite")):
            i += run + 1  # one of the centre's own rooms: "Moved to Lighthouse Room 10:15", "the Blue Room"
            continue
        # "moved out of Clifton"; "staying at his mum's on Wellington" (an estate is "on")
        on_estate = (prev == "on" and not the and _living_sentence(w, i)) or (prev == "by" and prev2 in _LIVING)  # "lives by Sherwood"
        at_place = prev in _PREPOSITIONS or (prev == "of" and prev2 == "out") or on_estate
        if prev == "to" and prev2 == "welcome" and not the:
            at_place = False  # a title or a sign: "Welcome to Wrexham"
        before = _Before(i, k, the, prev, prev2, prev3, run)
        living = _living(w, before, found, gaz, at_place, on_estate)
        town_of = _town_of(w, before, found)
        if living and not (prev in _LIVING or prev2 in _LIVING or prev3 in _LIVING) and _told_or_outing(w, i, i + 1):
            living = False  # a home on holiday: "stayed in a caravan in Ingoldmells"
        if the and not living:
            at_place = False  # "a walk in the Forest" names no town
        say_place = HOME_AREA if living else AREA
        # "Carol's" (a known person's home, or anyone's) is no place name
        alone_is_known = run <= 1 and (own in first_names or (low[i] != own and own in gaz.given_names))
        if run and not the and not alone_is_known and _farm_before(w, i, prev, prev2) and not _told_or_outing(w, i, i + run):
            found.append((*_span(w, i, run), "place", HOME))  # "the farm at Bryn Awel", "Taid's farm, Penlan Uchaf"
            named_places.add(" ".join(w.key[i : i + run]))
            i += run
            continue
        prison = _prison(w, i, run, prev) if run and not the else 0
        if prison:
            found.append((*_span(w, i, prison), "institution", "prison"))  # "Dad is back in Barlinnie"
            i += prison
            continue
        if (
            run and " ".join(low[i : i + run]) in _ATTRACTIONS and not (living and prev in ("in", "to"))  # "a flat in Anfield"
            and not (_cue(w, i, the=True) == "work" and _WORK_WORDS.intersection(w.around(i, i + 1, before=5, after=0)[0]))
            # but "works at the Pleasure Beach in season"; not "a real driver at Legoland"
        ):
            i += run  # a day out: "a real driver at Legoland"
            continue
        ground = _ground(w, i) if not living else 0
        if ground:
            i += ground  # a team's ground: "wants to watch them at Welford Road one day"
            continue
        # an institution ("Greenwood Primary School", "HMP Nottingham")
        hit = _institution(w, i, run, first_names)
        school_work = hit is not None and hit[1][3] in ("school", "nursery", "the madrasah") and _school_work_only(w, i)
        # "watch him play for Knightswood Colts", "playing scrum half for Aberdare Quins"
        play_for = prev == "for" and (
            prev2 in _PLAY or (prev2 in _POSITIONS and bool(_PLAY.intersection((prev3, w.before(k - 3) if prev3 else ""))))
        )
        play_for = play_for or (hit is not None and _CLUB_BEFORE.search(w.source, max(0, w.start[i] - 30), w.start[i]) is not None)  # "under-12s at"
        if hit and not school_work and not play_for and (
            # a story's word governs a named institution from close by ("watched High School Musical"), not
            # from across the sentence ("read his lesson from the madrasa at East London Mosque")
            _told_or_outing(w, i, i + hit[0], outing_after=False, reach=4, learnt_at=True) or low[i] in _TOYS or low[i] in _NICKNAMES  # "a Duplo garage", "a Wolves programme"
            or (_visited(w, i) and not _regularly(w, i, i + hit[0]))  # "photos of Dadi's visit to the Golden Temple"
            or (low[i + hit[0] - 1] == "programme" and (_sport_talk(w, i, i + hit[0]) or w.before(i) == "a"))  # "his Linfield programme ... the Irish Cup", "a Chelsea programme"
            or (low[i + hit[0] - 1] in ("fc", "afc") and hit[0] == 2 and len(low[i]) <= 2)  # "wants EA FC", "told M FC took her" (Mum, the foster carer)
        ):
            i += hit[0]  # "watched Charlie and the Chocolate Factory", "soft play at Wacky Warehouse"
            continue
        if (
            hit and hit[0] >= 2 and low[i + 1] in _TEAM_WORDS and gaz.place(w.key[i]) and not _cue(w, i, the=True) and not play_for
            and _head(w, i, i + hit[0]) in ("the club", "the programme")  # not "Leeds City College", "Cardiff United Synagogue"
        ):
            i += hit[0]  # a town's team, talked about: "Barnsley FC and the Sheffield derby", "a Blackpool FC programme"
            continue
        if hit and hit[0] > 1 and gaz.place(gazetteer.normal(w.source[hit[1][0] : hit[1][1]])) and _cue(w, i, the=True) != "work":
            found.append((hit[1][0], hit[1][1], "place", HOME_AREA if living else AREA))  # "walked down from Shotton Colliery"
            i += hit[0]
            continue
        if (
            hit and low[i + hit[0] - 1] in ("café", "cafe") and low[i + hit[0] - 2] != "recovery" and _cue(w, i, the=True) != "work"
            and not _regularly(w, i, i + hit[0])  # "going to the Serenity Cafe most days"
        ):
            i += hit[0]  # a café is a workplace only with a word of work: "had chips at Marco's Café"
            continue
        if hit and " ".join(w.source[hit[1][0] : hit[1][1]].casefold().split()) in _CHAIN_NAMES and _cue(w, i, the=True) != "work":
            i += hit[0]  # a shop: "a badge from Card Factory"
            continue
        if "contact" in low[i : i + run]:
            i += run  # the contact centre itself: "the bigger room at Oakfield Contact Centre"
            continue
        if hit:
            start = hit[1][0]
            if i >= 2 and low[i - 1] == "and" and w.joined(i - 1) and w.joined(i) and w.cap[i - 2] and bare(low[i - 2]) not in NOT_NAMES:
                start = w.start[i - 2]  # "Dundee and Angus College", "South and City College"
            elif i >= 1 and w.gap(i) in (" & ", "&") and w.cap[i - 1]:
                start = w.start[i - 1]  # "the Smith & Nephew factory"
            if start < hit[1][0]:
                found = [piece for piece in found if piece[1] <= start]
            found.append((start, *hit[1][1:]))
            i += hit[0]
            continue
        # a hospital by its staff: "James Cook's midwife has booked her scan"
        if run > 1 and low[i + run - 1].endswith(("'s", "’s")) and _HOSPITAL_STAFF.match(w.source, w.end[i + run - 1]):
            found.append((w.start[i], w.end[i + run - 1] - 2, "institution", "hospital"))
            i += run
            continue
        # an institution that does what institutions do, opening a sentence: "Leverndale discharged Mum Friday",
        # "Kingston Halls have given her a room"
        opens = run and not the and not alone_is_known and (_sentence_start(w, i) or _SAID.search(w.source, max(0, w.start[i] - 20), w.start[i]))
        acts = _ACTS.match(w.source, w.end[i + run - 1]) if opens else None
        if (
            acts and _named(w, i, run) and low[i] not in _NOT_A_SUBJECT and not gaz.country(w.key[i])
            and (any(acts.group("plural", "plural2", "plural3")) or (low[i] not in gaz.given_names and low[i] not in first_names))  # "Thomas Gray have put", not "Kyle let him out"
        ):
            found.append((*_span(w, i, run), "institution", next(say for group, say in _ACTS_SAY.items() if acts.group(group))))
            i += run
            continue
        # a workplace or a school named after "at" or "for" wins over a town of the same name ("doing
        # nights at Derriford", "he is at Kingsford now and his teacher is Miss Duthie")
        hit = _named_by_its_cue(w, before, gaz, alone_is_known)
        if hit:
            found.append(hit)
            i = _word_after(w, hit[1], i)
            continue
        # a child arrives at contact from school or nursery: "Poppy arr from Little Acorns"; a child is at
        # school: "Maisie is at Thoresby and brought her reading book", "Oisín's at Steelstown now"
        if run and children and prev in ("from", "at") and not the and _named(w, i, run) and (
            (prev == "from" and (_arrived_from(w, k) in children or _arrived_from(w, k, _BROUGHT_FROM) in children)) or (prev == "at" and _child_is_at(w, k, children))
        ):
            found.append((*_span(w, i, run), "institution", "school"))
            i += run
            continue
        # a settlement of the gazetteer or of the deployment's list
        house = run > 1 and low[i + run - 1] in _HOUSE_WORDS
        place = _longest_place(w, i, gaz) if not alone_is_known else None
        # a town that is also a given name counts here, unless it is a known person's ("Lincoln's miles better")
        if place is None and bare(low[i]) not in first_names and low[i].endswith(("'s", "’s")) and (
            _WHERE.match(w.source, w.end[i]) or _DESCRIBED.match(w.source, w.end[i] - 2)
        ):
            # "Oldham's where he's stopping now"
            name = w.key[i][:-1]
            # a name no list knows, opening a sentence, said to be a place: "Shantallow's got everything she needs",
            # "Drumchapel's boring"; never a given name, a surname, a known person's, a game or a shop
            said = _sentence_start(w, i) or _SAID.search(w.source, max(0, w.start[i] - 20), w.start[i]) is not None
            talk = _PLACE_TALK.match(w.source, w.end[i]) if said else None  # "Mum said Cobholm's got damp in every room"
            talked_of = (
                talk is not None and name not in gaz.given_names and name not in first_names and name not in gaz.surnames
                and name not in _NOT_HOMES and name not in _NOT_A_SUBJECT
                # what a person can be too ("boring") only of a name shaped like a place's: not "Haaland's boring"
                and (not talk.group("like") or shape.placelike(gazetteer.fold(name), gaz.shapes) > 0)
            )
            # a town that is also a given name needs more than "got": "Lincoln's miles better", not "Chester's got a new bike"
            town = gaz.place(name) and (
                not alone_is_known or _WHERE.match(w.source, w.end[i]) is not None or _BETTER.match(w.source, w.end[i]) is not None
            )
            if town or talked_of:
                found.append((w.start[i], w.end[i] - 2, "place", HOME_AREA))
                named_places.add(name)
                i += 1
                continue
        if place is not None and house and place[0] < run:
            place = None  # "Hill Top Farm" is a home, not the village of Hill
        if place is not None:
            words_in, name = place
            after_address = prev == "" and i > 1 and w.gap(i) == ", " and _ends_address(w, i - 1)
            longer_name = (
                words_in == 1 and w.joined(i + 1) and _is_name(w, i + 1) and not _POSTCODE_NEXT.match(w.source, w.end[i])
            )  # "Nottingham Crown Court", "Derby County"; not "Holbeach PE12 8LA"
            festival = w.joined(i + words_in) and low[i + words_in] in ("day", "night", "eve")  # "St David's Day"
            festival = festival or (words_in > 1 and w.joined(i + words_in) and low[i + words_in] in _TEAM_WORDS and not at_place)  # "his Bethnal Green United kit"
            # "her Bulwell flat", "somewhere Hucknall way"
            before_home = _before_home(w, i + words_in) and not _sentence_start(w, i)
            # a product named after a town is no place: "a Melton Mowbray pork pie"
            product = w.joined(i + words_in) and (
                (words_in > 1 and not at_place and low[i + words_in] in _PRODUCTS) or low[i + words_in] in _EVENT_NAMES
            )
            # an idiom: "Jessica sent Connor to Coventry"
            product = product or (name == "coventry" and _SENT_TO.search(w.source, max(0, w.start[k] - 40), w.start[k]) is not None)
            # a reference point, not where anyone is: "asked if that's near Glasgow"
            product = product or (prev == "near" and bool(_NEAR_THAT.search(w.source, max(0, w.start[k] - 20), w.start[k])))
            described = _described(w, i + words_in - 1)
            described = described and not (words_in == 1 and low[i] in _EVERYDAY_TOWNS)  # "Reading is boring"
            # a town closing a longer name is no place described: "Titanic Belfast was boring"
            described = described and not (i > 0 and w.joined(i) and w.cap[i - 1] and bare(low[i - 1]) not in NOT_NAMES)
            described = described or (prev == "than" and not the and not _team_compared(w, k))  # "better than Barlanark", not "the Dandy"
            in_context = (
                # not "talked about West Ham", but "talked about West Bridgford, where she lives now"
                ((words_in > 1 and (prev != "about" or _WHERE.match(w.source, w.end[i + words_in - 1]))) or at_place or after_address or before_home or described)
                and not longer_name and not product
            )
            if in_context and not at_place and not living and name in _TEAM_PLACES:
                in_context = False  # a team: "Grandad is West Ham and Dad is Millwall"
            if in_context and not living and name not in gaz.local:
                in_context = not _told_or_outing(w, i, i + words_in) and not _one_off(w, i, i + words_in)
            if not festival and not gaz.country(name) and (living or name in gaz.local or in_context):  # not "in Wales"
                found.append((*_span(w, i, words_in), "place", say_place))
                named_places.add(name)
                i += words_in
                continue
        # a street without a number ("Forest Rise")
        hit = _street(w, i, run) if run else None
        if hit:
            if hit[1] is not None:
                found.append(hit[1])
            i += hit[0]
            continue
        if run and not alone_is_known:
            described_as = _described_after(w, i + run)
            if described_as and _named(w, i, run) and not _told_or_outing(w, i, i + run, outing_after=False):
                found.append((*_span(w, i, run), "institution", described_as))  # "Elmhurst House, the approved premises"
                i += run
                continue
            # a name before a home: "the Gurnos flat was a nightmare", "her Lozells flat"
            if (
                w.before(i) in ("the", "her", "his", "their", "my", "our") and _before_home(w, i + run) and _named(w, i, run)
                and low[i] not in _TOYS and low[i] not in _STORIES  # not "the Peppa Pig house", "her Sylvanian Families house"
            ):
                found.append((*_span(w, i, run), "place", AREA))
                named_places.add(" ".join(w.key[i : i + run]))
                i += run
                continue
            # a named House or Lodge is a hostel, a refuge, a care home, a family centre or an office more
            # often than a home: "living at Elmhurst House", "since leaving Ashgrove House"
            if (
                run > 1 and low[i + run - 1] in ("house", "lodge") and _named(w, i, run - 1)
                and (living or at_place or the or prev in ("leaving", "left", "of"))
                and low[i] not in _TOYS and low[i] not in _STORIES
                and not _told_or_outing(w, i, i + run) and not _one_off(w, i, i + run)
            ):
                say = _cue(w, i, the=True) or ("the hostel" if living or _living_sentence(w, i) else "where they go")
                found.append((*_span(w, i, run), "institution", say))
                i += run
                continue
            # a house name where someone lives: "staying at Rose Cottage"
            if house and living:
                found.append((*_span(w, i, run), "place", HOME))
                i += run
                continue
            # anything capitalised where someone lives, that names somewhere ("moved to Year 4",
            # "staying in Hospital" do not)
            if (
                (living or town_of) and any(bare(word) not in _NOT_HOMES for word in low[i : i + run])
                and low[i + run - 1] not in ("day", "night", "eve", "week", "weekend")  # "in St David's Day week"
                and not any(bare(word) in _STORIES or bare(word) in _CHAINS or bare(word) in _TOYS for word in low[i : i + run])  # "back on TikTok", "moved the Schleich cows"
                and not gaz.country(" ".join(w.key[i : i + run]))
            ):
                named_places.add(" ".join(w.key[i : i + run]))
                if i + run < size and low[i + run] in _AREA_WORDS and w.joined(i + run):
                    run += 1  # "moved to the Manvers estate"
                found.append((*_span(w, i, run), "place", HOME_AREA if living else AREA))
                i += run
                continue
            # a place no list knows, opening what someone said of it: "Drumchapel's boring without you",
            # "Rushey Mead is quieter"; not a game, a team, a brand of the lists, a word or a person
            if (
                run <= 2 and _said_of_a_place(w, i, run) and _sentence_subject(w, i)
                and not any(bare(word) in _NOT_A_SUBJECT or bare(word) in gaz.given_names for word in low[i : i + run])
                and not any(bare(word) in gazetteer.common_words() for word in low[i : i + run])
                and not (run == 1 and bare(low[i]) in _FAMOUS_SURNAMES)  # "Haaland's boring"
                and not _team_compared(w, i + run) and not _told_or_outing(w, i, i + run)
                and not gaz.country(" ".join(w.key[i : i + run]))  # "Romania is where Dracula is from"
                and not (run > 1 and gaz.place(w.key[i + run - 1]))  # a thing named after a town: "Titanic Belfast was boring"
            ):
                start, end = _span(w, i, run)
                possessive = low[i + run - 1].endswith(("'s", "’s"))  # "Bransholme's boring": the place is "Bransholme"
                found.append((start, end - 2 if possessive else end, "place", AREA))
                named = " ".join(w.key[i : i + run])
                named_places.add(named[:-1] if possessive else named)
                i += run
                continue
            # a settlement no list knows, by its ending ("in Bulwell") or its shape ("in Sparkbrook")
            # "in Great Witchingham", "the bus from Druids Heath"
            n = 2 if run == 2 and (bare(low[i]) in _PREFIXES or low[i + 1] in _DISTRICTS) else 1
            if (
                (run == 1 or n == 2) and (at_place or _before_home(w, i + n) or (_described(w, i + n - 1) and not _team_compared(w, i)))
                and low[i] not in _STORIES  # "Pontypandy isn't a real place"
                and len(low[i + n - 1]) >= 4
                and (
                    low[i + n - 1].endswith(_PLACE_ENDINGS) or low[i + n - 1] in _DISTRICTS
                    or (n == 1 and prev not in _HONORIFICS and _unknown_placelike(w, i, gaz))
                    or (n == 1 and len(low[i]) >= 7 and low[i].startswith(_PLACE_OPENINGS)) or (n == 2 and low[i] in _STRONG_PREFIXES)
                )
                and low[i] not in gaz.given_names and (not _sentence_start(w, i) or _described(w, i + n - 1))  # "Exwick is much better"
                and not (w.joined(i + n) and low[i + n] in _EVENT_NAMES)  # "in Everton top"
                and not _told_or_outing(w, i, i + n) and not _one_off(w, i, i + n)
            ):
                found.append((*_span(w, i, n), "place", say_place))
                named_places.add(" ".join(w.key[i : i + n]))
                i += n
                continue
            # a workplace, school, church or rehab named after its cue ("works at Boots",
            # "sees his probation officer at Byron House"); not a national chain ("works at Asda")
            cue = _regular_place_cue(w, before, gaz, at_place) if _may_have_a_cue(w, before, at_place) else None
            named = _named(w, i, run) or (cue == "work" and _owners_firm(w, i, run, gaz))
            if cue:
                run = next((m - i for m in range(i + 1, i + run) if low[m] in ("on", "upon")), run)  # "Café Shapla on Brick Lane"
            # "mentor is Jo Smith-Barnes": a person's name, for strangers.py
            person = _person_like(w, i, run, gaz, cue, prev)
            country = gaz.country(" ".join(w.key[i : i + run]))  # "play cricket for the West Indies"
            if cue and named and not country and (low[i] not in _CHAINS or _branch_worked_at(w, i, run, cue)) and low[i] not in _HONORIFICS and not person and (
                (play_for and prev2 in _POSITIONS) or not _told_or_outing(w, i, i + run, outing_after=False)
            ):
                start, end = _span(w, i, run)
                found.append((start, end + 3 if w.source[end : end + 3].lower() == "-op" else end, "institution", cue))
                i += run
                continue
            # a house name where someone is: "still at Rose Cottage", "at Ivy House Farm"; not a day out
            if house and (at_place or _ADDRESS_LINE.match(w.source, w.end[i + run - 1])) and not _one_off(w, i, i + run):
                found.append((*_span(w, i, run), "place", HOME))
                i += run
                continue
            # "the Broxtowe estate", "the Bestwood area"
            if (
                i + run < size and low[i + run] in _AREA_WORDS and w.joined(i + run) and not (run == 1 and _sentence_start(w, i))
                and not _told_or_outing(w, i, i + run + 1) and low[i] not in _STORIES  # "a Minecraft village"
            ):
                found.append((w.start[i], w.end[i + run], "place", HOME_AREA if _living_sentence(w, i) else AREA))
                i += run + 1
                continue
        i += 1
    if named_places:
        found += _later_mentions(w, named_places, found)
    return found


_NUMBER_NEXT = re.compile(r"\s+\d")


def _unknown_placelike(w: Words, i: int, gaz: gazetteer.Gazetteer) -> bool:
    """Word i, which no list knows, is shaped like a place name (`shape.placelike`): "at
    Grimshader", "in Sparkbrook". Not a plural or a possessive ("in Kingfishers"), a name of
    the lists, a word, a language, a chain, a story or a toy, and not a class or a year ("in
    Rowan class", "in Blwyddyn 3") or a first name before a surname ("Lowri Jenkins")."""
    word = w.low[i]
    if len(word) < 5 or not word.isalpha() or (word.endswith("s") and not word.endswith("ss")):
        return False
    if gaz.place(word) or gaz.country(word) or word in gaz.surnames or word in gazetteer.common_words():
        return False
    if word in _NOT_HOMES or word in _CHAINS or word in _STORIES or word in _TOYS or word in _CHAIN_NAMES:
        return False
    if _NUMBER_NEXT.match(w.source, w.end[i]):
        return False
    if _cue(w, i, the=True) or _A_SHIFT_AT.search(w.source, max(0, w.start[i] - 40), w.start[i]):
        return False  # a workplace or a school by its cue: "came off a night at Burgerbox"
    if i + 1 < len(w.low) and w.joined(i + 1) and (w.low[i + 1] == "class" or (w.cap[i + 1] and w.low[i + 1] in gaz.surnames)):
        return False
    return shape.placelike(gazetteer.fold(word), gaz.shapes) > shape.PLACELIKE


def _later_mentions(w: Words, names: set[str], found: list[Piece]) -> list[Piece]:
    """Capitalised one-word mentions of names already found as places that no piece covers
    ("where's Rotherham?")."""
    covered = sorted((s, e) for s, e, _, _ in found)
    starts = [s for s, _ in covered]
    reach = list(itertools.accumulate((e for _, e in covered), max))
    longest: dict[str, int] = {}  # first word of a name -> most words in such a name
    for name in names:
        first, size = name.split()[0], name.count(" ") + 1
        longest[first] = max(size, longest.get(first, 0))
    more: list[Piece] = []
    after = 0  # the first word not yet part of a mention
    for k in w.caps:  # capitalised words only
        if k < after:
            continue
        key = w.key[k]
        most = longest.get(key) or longest.get(key[:-1])  # "Harraby's" keys as "harrabys"
        if not most:
            continue
        for n in range(min(most, len(w.text) - k), 0, -1):  # "Forest Town" as well as "Rotherham"
            last = k + n - 1
            if any(not (w.joined(m) and w.cap[m]) for m in range(k + 1, last + 1)):
                continue
            key, end = " ".join(w.key[k : last + 1]), w.end[last]
            if w.low[last].endswith(("'s", "’s")):
                key, end = key[:-1], end - 2  # "Harraby's"
            if key in names and not (w.joined(last + 1) and w.cap[last + 1]):  # "Leicester City"
                before = bisect.bisect_left(starts, end)  # pieces starting before this name ends
                if not before or reach[before - 1] <= w.start[k]:
                    more.append((w.start[k], end, "place", AREA))
                after = last + 1
                break
    return more
