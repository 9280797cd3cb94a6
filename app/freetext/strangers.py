"""R-42 strangers: full names of people the service does not know (`person`), each with a
relationship placeholder to write instead. Pure: the given names come from `gazetteer.py`.

A finding is

* a capitalised given name from the list (UK and the countries most UK families come
  from) followed by a capitalised surname-like word: "Gary Hargreaves", "Shannon
  O'Neill", "Magda Nowicka", "Tomasz Kowalski-Nowak", with an initial between ("Gary J.
  Hargreaves");
* a title and a capitalised surname: "Mrs Hargreaves", "Dr Patel", "Mr. O'Neill", clergy
  and councillors too ("Rev. Amponsah", "Fr. Maguire", "Pastor Olaniyan");
* a given name, a particle or a middle initial and a surname, introduced or not ("Rhys ap
  Gwilym", "Darren P. Quinnell"); a first name no list has with a surname, before something
  a visitor does ("asked if Abdirahman Nur can come", "Tariq Mahmood had been round",
  "Gavin Stothard keeps messaging her"); an employer ("working for Marius Stanciu");
  someone from a service or a class ("Dean Catterall from housing"); someone moved in with
  ("moved in with Kayla Mottram");
* any two capitalised words just after a word for a person ("Mum's new partner, Femi
  Oladipo", "a girlfriend called Magda Nowicka"), even when the list lacks the first name.

A given name and a surname that both lists have (Faker's family names of the same
countries: "Kyle Bennett", "Ryan O'Connor") is a full name wherever it stands ("Mum
mentioned Kyle Bennett"). Any other full name without a title must be introduced as
someone, as strangers in notes are:
a word for a person a few words before it ("her friend from football, Jayden Cooke"), a
family word just before it ("Uncle Gary Smith"), "and" with a family word ("love Mum and Dean Walsh"), a card's "love" or "from"
before it, a word for a person just after it ("Ella Smith, her best friend"), or something
a visitor does just after it ("Gary Smith came", "... phoned"); once one mention of a name
is introduced, every mention of it in the text is a finding.

Names in the stories, games and sport children talk about are not strangers. A name is
left alone when an article or a possessive stands just before it ("the Angel Gabriel",
"her Harry Potter book", "the Man United highlights"), when a word of play, reading or
watching comes just before it ("played Mario Kart", "bowls like Jimmy Anderson", "a
project on Frida Kahlo", "laughed at Moody Margaret"), or a word for a story, film, game
or show just after it ("Julia Donaldson marathon", "Robin Hood is the best film"), a word
of singing, watching or sport anywhere before it in its sentence ("sang Let It Go and a bit
of Taylor Swift"), a word of sport just after it ("Harry Kane scored"), "by" after a story
("read The Cat in the Hat by Dr Seuss"); a few
title characters of children's television and Christmas are never strangers ("Mr
Tumble", "Mrs Claus"), and the same words of play and story leave a titled name alone
("likes Blippi and Ms Rachel"). A name listed with one told of is told of too ("about
Marcus Rashford and Harry Kane"). Famous people and characters named in full (`famous.txt`: "Harry Kane", "Bob Marley", "Moș
Crăciun") are never strangers, nor is a sentence opened by a verb that is also a given name
("Ate Quavers"). A given name that is one of the thousand commonest English words
("Will", "May", "Star") counts only when the UK list (ONS) has it.

The surname-like word is not a month, day, festival, relationship word or sentence
opener ("Easter Sunday", "Will Dad come?"), nor an institution or street word ("Arnold
Lodge rehab" is a place, "Victoria Park" a street).

Not findings: a first name alone ("Gary came"), a known person (the R-42 name rule wins
where both match), first names joined by "and". The span stops before a possessive
("Gary Smith's car").

Known gaps: a stranger's full name with nothing to introduce them and a surname no list has
("Mum mentioned Femi Oladipo"); a famous person named as a visitor would be ("Harry Kane
came on", "Dad said Jack Grealish is overrated").

Suggestion: "mum's partner" or "dad's partner" after "mum's"/"dad's" with a partner word
("mum's new boyfriend Gary Hargreaves"), "a partner" after a partner word alone, the role
after a role word, before or just after the name ("the teacher", "the social worker", "a
neighbour", "a friend"; "the doctor" after "Dr"), else "a friend".
"""

from __future__ import annotations

import re

from app.freetext import gazetteer, places
from app.freetext.words import COMMON_WORD_SURNAMES, FAMILY_WORDS, NOT_NAMES, PARTICLES, Words, bare, head, tail

__all__ = ["pieces"]

Piece = tuple[int, int, str, str]

# Titles before a surname, clergy and councillors too ("Rev. Amponsah", "Fr. Maguire", "Pastor Olaniyan").
_TITLES = frozenset(
    "mr mrs ms miss mx dr prof rev revd reverend fr father pastor canon rabbi cllr councillor sgt pani maulana moulana hafiz ustaz ustadh imam sheikh"
    " pc pcso".split()
)
# Words after a given name that make it something else than a person.
_NOT_SURNAMES = NOT_NAMES | frozenset(
    """school primary academy college nursery juniors infants club centre center contact lodge house hall court road street
    lane avenue close way drive park hill green square place walk rise grove gardens crescent terrace estate area
    village church chapel mosque temple hospital clinic surgery rehab hostel hub ltd plc station library
    pool pig peppa way day night eve morning time week weekend term holidays forest woods lake river valley bay
    beach island mountain castle abbey palace tower market city town united county rovers wanderers athletic
    albion rabbit rabbits bear bears pig pigs mouse mice duck ducks dog dogs cat cats frog frogs pony bunny horse
    sheep cow hen goose owl bee bees fish shark dinosaur unicorn monkey tiger lion elephant engine
    buttons snuggles fluffy wobbles whiskers pickles sprinkles biscuit biscuits cuddles teddy sparkles giggles
    noodle noodles muffin cupcake mint cake pie pies fudge toffee fancies murders sausage kart karts quavers tangfastics polo groundworks roofing builders construction
    scaffolding plumbing electrical joinery motors logistics haulage accountants solicitors madrasah""".split()
)
_PARTNER = frozenset("partner boyfriend girlfriend husband wife fiance fiancé fiancee fiancée ex fella fellah".split())
_ROLES = {
    "teacher": "the teacher", "headteacher": "the headteacher", "head": "the headteacher", "tutor": "the teacher",
    "neighbour": "a neighbour", "neighbor": "a neighbour", "friend": "a friend", "mate": "a friend",
    "solicitor": "the solicitor", "lawyer": "the solicitor", "barrister": "the barrister",
    "social": "the social worker", "worker": "the worker", "keyworker": "the key worker",
    "officer": "the officer", "manager": "the manager", "doctor": "the doctor", "gp": "the GP",
    "nurse": "the nurse", "health": "the health visitor", "visitor": "the health visitor",
    "counsellor": "the counsellor", "therapist": "the therapist", "coach": "the coach", "landlord": "the landlord",
    "boss": "their employer", "colleague": "a colleague", "cousin": "a cousin", "godmother": "a family friend",
    "godfather": "a family friend", "childminder": "the childminder", "babysitter": "the babysitter",
    "guardian": "the children's guardian", "iro": "the IRO", "probation": "the probation officer",
    "man": "an adult", "woman": "an adult", "lady": "an adult", "bloke": "an adult", "someone": "an adult",
    "adult": "an adult", "lodger": "a lodger", "flatmate": "a flatmate", "supervisor": "their supervisor",
    "mentor": "the mentor", "sponsor": "their sponsor", "imam": "the imam", "vicar": "the vicar", "priest": "the priest",
    "pastor": "the pastor", "law": "a relative", "relative": "a relative", "childminder's": "the childminder",
}
DEFAULT = "a friend"


def _surname_like(word: str) -> bool:
    """Capitalised with lower-case letters after ("Hargreaves", "McAteer", "O'Brien",
    "Wójcik"), not a word that makes the phrase something else."""
    return (
        len(word) > 1 and word[0].isupper() and any(c.islower() for c in word[1:]) and not _CONTRACTION.fullmatch(word)
        and word.casefold() not in _NOT_SURNAMES and word.casefold() not in gazetteer.common_words()
        # capitals inside a word make a brand or a verb of one ("FaceTimed", "YouTube"), not a surname ("McAteer", "DeLuca")
        and (word[1:].islower() or _INNER_CAPITALS.match(word) is not None)
    )


def _word_surname(word: str) -> bool:
    """A surname that is also an everyday word, written as a name: "Brown", "White", "Hall"."""
    return word[:1].isupper() and word[1:].islower() and word.casefold() in COMMON_WORD_SURNAMES


_INNER_CAPITALS = re.compile(r"(?:Mc|Mac|Nic|Mhic|O['’]|D['’]|De|Di|Da|Du|La|Le|Van|Von|Fitz|St|Ap|Ab)[A-Z]")


def _surname_at(w: Words, j: int) -> int:
    """How many words of a surname start at word j, 0 if none: 1 for "Hargreaves", 2 for
    "Smith-Jones" (the tokeniser splits at the hyphen)."""
    if j >= len(w.text) or not _surname_like(w.text[j]):
        return 0
    if j + 1 < len(w.text) and w.gap(j + 1) in ("-", "‐") and _surname_like(w.text[j + 1]):
        return 2
    return 1


def _role(said: list[str]) -> str | None:
    """The placeholder named by the last partner or role word of `said`."""
    for index in range(len(said) - 1, -1, -1):
        word = bare(said[index])
        if word in _PARTNER:
            owner = next((w[:-2] for w in reversed(said[:index]) if w[:-2] in ("mum", "dad") and w.endswith(("'s", "’s"))), None)
            return f"{owner}'s partner" if owner else "a partner"
        if word in _ROLES:
            return _ROLES[word]
    return None


def _suggestion(text: str, start: int, end: int, title: str | None) -> str:
    """From the words just before the name in its sentence ("mum's new boyfriend Gary
    Hargreaves"), else just after it ("Mrs Hargreaves, her teacher")."""
    before = re.findall(r"[a-z’']+", tail(text[max(0, start - 60) : start]).casefold())[-6:]
    after = re.findall(r"[a-z’']+", head(text[end : end + 40]).casefold())[:4]
    role = _role(before) or _role(after)
    if role:
        return role
    return _TITLE_ROLES.get(title or "", DEFAULT)


_TITLE_ROLES = {
    "dr": "the doctor", "rev": "the vicar", "revd": "the vicar", "reverend": "the vicar", "canon": "the vicar", "fr": "the priest",
    "father": "the priest", "pastor": "the pastor", "rabbi": "the rabbi", "imam": "the imam", "sheikh": "the imam", "cllr": "the councillor", "councillor": "the councillor", "sgt": "the police officer",
}


_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|,")


def _told_of(w: Words, i: int, end: int, titled: bool = False) -> bool:
    """True when the name in words i to end is a character, an author or a team: an article
    or possessive just before it, a word of play or reading shortly before it, a word for a
    story or show shortly after it (in the same sentence). A titled name is a stranger after
    "a" ("a Mr Devlin") and "about" ("talked about a Mr Jama")."""
    text = w.source
    before = _WORDS.findall(tail(text[max(0, w.start[i] - 40) : w.start[i]]).casefold())
    if any(word in _PETS for word in before[-8:]) and before[-1:] and before[-1] in ("called", "calls", "named", "is", ",", "and", "as"):
        return True  # a toy's or a pet's name: "her Sylvanian rabbits, whom she has named Pasty and Mrs Crumble", "the cat, Mr Tibbs"
    if len(before) > 1 and before[-1] == "of" and before[-2] in _PACKS:
        return True  # a product named like a person: "a box of Ferrero Rocher"
    if before[-2:] in (["name", "is"], ["name", "as"], ["name", "was"]) or before[-1:] in (["called"], ["named"]):
        return False  # "gave his name as Liam O'Connell-Byrne"
    if before[-1:] == ["as"] and any(word.startswith("introduc") for word in before):
        return False  # "introduced herself at reception as Becky Rowe"
    if before[-1:] and before[-1] in ("at", "in", "to") and any(word in _OUTING_WORDS for word in before):
        return True  # a place of a day out, not a person: "a caravan holiday at Craig Tara", "the Hundred at Trent Bridge"
    determiners, told = (_DETERMINERS - {"a", "an"}, _TOLD_BEFORE - {"about", "like", "likes", "love", "loves", "on", "as"}) if titled else (_DETERMINERS, _TOLD_BEFORE)
    if before and (before[-1] in determiners or any(word in told for word in before[-2:])):
        return True
    if len(before) > 1 and before[-2] in determiners and before[-1] in _THINGS_ADJECTIVES:
        return True  # a thing, not a person: "the new John Deere", "his old Peter Rabbit"
    if before[-1:] == ["with"] and not any(word in _TOLD_BEFORE for word in before[-2:-1]):
        return False  # someone played or watched with is a person: "played football with Tyler Jones"
    in_sentence = _TOLD_IN_SENTENCE - _SPORT if titled else _TOLD_IN_SENTENCE  # "scored twice and Mr Kershaw made him captain"
    if any(word in in_sentence for word in before[-8:]):  # "sang Let It Go and a bit of Taylor Swift"
        return True
    if before[-1:] == ["by"] and any(word in _TOLD_AFTER or word in _TOLD_BEFORE for word in before):
        return True  # an author: "read Green Eggs and Ham by Dr Seuss", "a song by Ed Sheeran"
    after = _WORDS.findall(head(text[w.end[end - 1] : w.end[end - 1] + 40]).casefold())
    if any(word in _ROLES and word not in ("man", "woman", "lady", "someone") for word in after[:6] + before[-5:]):
        return False  # "Miss Atwal is her fave teacher", "her teacher there, Mrs Zielińska, gave her a sticker"
    return any(word in _TOLD_AFTER for word in after[:6])


def pieces(w: Words) -> list[Piece]:
    """Person pieces of one text's words; where a known person's name overlaps one, the
    caller keeps the name (`anonymise.check`)."""
    data = gazetteer.load()
    given, surnames = data.given_names, data.surnames
    text, low = w.text, w.low
    found: list[Piece] = []
    told: int | None = None  # where the last name told of ends
    named: set[str] = set()  # the strangers found, lower-cased
    waiting: list[tuple[int, int]] = []  # full names not (yet) introduced as someone
    i = 0
    last = len(text) - 1
    while i < last:
        if not w.cap[i]:
            i = w.next_cap(i)
            continue
        word = text[i]
        here = i  # a double-barrelled first name moves i back a word; a name given up goes on from here
        end = 0
        title = None
        marked = False
        if low[i] in _TITLES and w.cap[i] and w.gap(i + 1) in (" ", ". ", "."):
            # "Mrs Hargreaves", "Dr. Patel"
            j = i + 2 if low[i + 1] in PARTICLES and w.joined(i + 2) else i + 1  # "Mrs van Dijk", "Dr al-Masri"
            size = _surname_at(w, j) or int(_word_surname(w.text[j]))  # "Mrs Brown", "Mr White": a title makes the word a surname
            first_name = low[j] in given and bare(low[j]) not in surnames  # "Miss Lottie", "Pani Zofia": nursery staff by first name
            if size and f"{low[i]} {low[i + 1]}" not in _CHARACTERS and not (first_name and low[i] in ("miss", "pani")):
                end, title = j + size, low[i]
        elif word[0].isupper() and (word[1:].islower() or _APOSTROPHE_NAME.fullmatch(word)) and low[i] not in NOT_NAMES:
            j = i + 1
            if low[j] in PARTICLES and w.joined(j) and j + 1 < len(w.text):
                j += 1  # "Dylan ap Rhys"
            if len(text[j]) == 1 and text[j].isupper() and w.joined(j) and j + 1 < len(w.text) and w.gap(j + 1) in (" ", ". "):
                j += 1  # a middle initial: "Gary J. Hargreaves"
            # a particle or a middle initial is a person's name, introduced or not ("Rhys ap Gwilym from chapel")
            marked = j > i + 1
            if (w.joined(j, hyphen=False) or (j > i + 1 and w.gap(j) == ". ")) and not (low[i] in _VERBS and _opens(w, i)):
                size = _surname_at(w, j)
                if size and (
                    low[i] in given or marked or _after_person_word(w, i) or (i > 0 and w.joined(i) and low[i - 1] in _MEETS)
                    or _visits_after(w, i, j + size)
                ):
                    end = j + size
                    if i > 0 and w.gap(i) in ("-", "‐") and w.cap[i - 1] and low[i - 1] in given:
                        i -= 1  # a double-barrelled first name: "Mia-Rose Atkinson", "as Stacey-Ann Booth"
        if end and data.country(gazetteer.normal(w.source[w.start[i] : w.end[end - 1]])):
            end = 0  # a country named like a person: "growing up in Sierra Leone"
        if end and not title and low[i] in _PLACE_OPENERS:
            end = 0  # a place's or an institution's opening word, not a first name: "from Royal Stoke", "the Royal Ed"
        if end and not title and low[end - 1] in places.INSTITUTION_WORDS and low[end - 1] not in surnames:
            end = 0  # an institution named like a person: "visited Middleport Pottery"
        if end and end < len(text) and w.joined(end) and low[end] in _PLACE_NOUNS:
            end = 0  # a place named like a person: "Blair Drummond safari park", "Tom Thumb Park"
        if end and title and end < len(text) and low[end - 1].endswith(("'s", "’s")) and w.joined(end) and w.cap[end] and bare(low[end]) not in NOT_NAMES:
            end = 0  # a business named after someone: "at Mrs Dowson's Ice Cream Parlour"
        if end and not _after_person_word(w, i):
            # "about Marcus Rashford and Harry Kane": a name listed with one told of is told of
            listed = told is not None and _LISTED.fullmatch(w.source[told : w.start[i]]) is not None
            famous = " ".join(bare(word) for word in low[i:end]) in _FAMOUS  # "Harry Kane", "Bob Marley"
            if listed or famous or _told_of(w, i, end, titled=title is not None):  # "likes Blippi and Ms Rachel"
                told, i = w.end[end - 1], end
                continue
            listed_surname = low[i] in given and bare(low[end - 1]) in surnames
            if not title and not listed_surname and not marked and not _introduced(w, i, end):
                waiting.append((i, end))
                i = end
                continue
        if end:
            found.append((w.start[i], _stop(w, end), "person", _suggestion(w.source, w.start[i], w.end[end - 1], title)))
            named.add(" ".join(bare(word) for word in low[i:end]))
            i = end
            continue
        i = here + 1
    # a name introduced once is a stranger at every mention: "Ella Smith sits by her. Ella Smith is her friend."
    found += [(w.start[i], _stop(w, end), "person", DEFAULT) for i, end in waiting if " ".join(bare(word) for word in low[i:end]) in named]
    return found


def _stop(w: Words, end: int) -> int:
    """Where a name ending at word end - 1 stops: before a possessive "'s" ("Rudd's sister")."""
    return w.end[end - 1] - 2 if w.low[end - 1].endswith(("'s", "’s")) else w.end[end - 1]


_LISTED = re.compile(r"\s*(?:,|and|or|&|,\s*and)\s*")


def _introduced(w: Words, i: int, end: int) -> bool:
    """A stranger in a note is introduced as someone: a word for a person a few words
    before ("her friend from football, Jayden Cooke"), next to a family word ("love Mum and
    Dean Walsh"), a card's "love" or "from" before, or something a visitor does just after
    ("Gary Smith came", "Gary Smith phoned Mum")."""
    text = w.source
    sentence = tail(text[max(0, w.start[i] - 50) : w.start[i]]).casefold()
    before = _WORDS.findall(sentence)
    bared = [bare(word) for word in before]
    if any(word in _PARTNER or word in _ROLES for word in bared[-5:]) or (bared and bared[-1] in _FAMILY and bared[-1] == before[-1]):
        return True  # "her friend from football, Jayden Cooke", "Uncle Gary Smith"
    if bared[-1:] and bared[-1] in _MEETS:
        return True  # "Mum mentioned Rakesh Mistry", "she's seeing Shaun Whitehead"
    if bared[-1:] == ["as"] and any(word.startswith("introduc") for word in bared):
        return True  # "introduced herself at reception as Becky Rowe"
    if bared[-1:] == ["for"] and bared[-2:-1] and bared[-2] in ("working", "works", "work", "worked", "job", "cleaning", "driving"):
        return True  # an employer: "Dad's working for Marius Stanciu"
    if bared[-1:] and bared[-1] in ("love", "from", "with", "and") and (bared[-1] in ("love", "from") or bared[-2:-1] and bared[-2] in _FAMILY):
        return True
    if bared[-1:] == ["with"] and any(word in _LIVES_WITH for word in bared[-5:]):
        return True  # "Dale has moved in with Kayla Mottram"
    after = _WORDS.findall(head(text[w.end[end - 1] : w.end[end - 1] + 40]).casefold())
    if any(bare(word) in _PARTNER or word in _ROLES for word in after[:5]):
        return True  # "Ella Smith, her best friend", "Gary Smith (mum's partner)"
    if len(after) > 1 and after[0] == "and" and bare(after[1]) in _FAMILY:
        return True  # "Gary Smith and Mum"
    if len(after) > 1 and after[0] == "from" and after[1] in _FROM_SOMEWHERE:
        return True  # "Dean Catterall from housing", "Kian Bamber from his class"
    if _acts_after(after, w.low[end - 1]) or after[:2] == ["was", "round"]:
        return True  # "Gavin Stothard keeps messaging her", "Tariq Mahmood had been round"
    return any(word in _VISITS for word in after[:3])


# Words that open names of places and institutions far more often than they are anyone's first name
# ("Royal Stoke", "the Royal Ed", "West Kirby").
_PLACE_OPENERS = frozenset("royal north south east west new great little upper lower old high saint port fort mount".split())
_PLACE_NOUNS = frozenset("safari park zoo castle estate reservoir beach bay country forest woods wood farm".split())
_MEETS = frozenset(
    """mentioned mentions mentioning met meets meeting seeing dating married marrying engaged texted texting messaged
    phoned rang visited visiting""".split()
)
_LIVES_WITH = frozenset("moved moving living lives lived staying stays stayed stopping sharing shares shared lodging".split())
_FROM_SOMEWHERE = frozenset(
    "housing council class school work church chapel mosque college nursery next upstairs downstairs his her the their".split()
)
_KEEPS = frozenset(
    """keeps kept ringing calling texting messaging turning harassing bothering hassling threatening
    pestering""".split()
)
_FAMILY = FAMILY_WORDS | frozenset("carer carers stepdad stepmum".split())
_VISITS = frozenset(
    """came come comes coming arrived arrives visited visits visiting phoned phones rang rings called calls knocked
    turned dropped drops collected collects picked picks waited waits attended attends joined joins stayed stays
    lives lived moved says said told tells asked asks brought brings drove drives gave gives signed shouted left
    texted messaged emailed sent""".split()
)


def _after_person_word(w: Words, i: int) -> bool:
    """A word for a person just before word i, with at most a comma, "called" or "named"
    between: "her friend Lacey", "new partner, Femi", "girlfriend called Magda"."""
    before = _WORDS.findall(w.source[max(0, w.start[i] - 30) : w.start[i]].casefold())
    while before and before[-1] in (",", "called", "named", "is", "was"):
        before.pop()
    if not before:
        return False
    last = bare(before[-1])
    return last in _PARTNER or last in _ROLES


_APOSTROPHE_NAME = re.compile(r"[A-Z]['’][A-Z][a-z]+")  # "D'Andre"
_CONTRACTION = re.compile(r"I['’][a-z]{1,2}")  # "I'd", "I'm", "I've"
_PETS = frozenset(
    """doll dolls teddy teddies toy toys rabbit rabbits puppet puppets sylvanian hamster hamsters kitten puppy pony unicorn
    bear bears cat cats dog dogs tortoise budgie parrot goldfish soft""".split()
)
_PACKS = frozenset("box boxes bag bags packet packets tin tins bar bars bottle bottles can cans tub tubs jar jars pack tray".split())
_OUTING_WORDS = frozenset("holiday holidays trip trips caravan watch watched match game hundred".split())
_THINGS_ADJECTIVES = frozenset("new old big little toy favourite red blue green yellow pink black white".split())
_DETERMINERS = frozenset("the a an her his my their our your its this little".split())  # not "that": "said that Mrs Lee"  # "Little Miss Sunshine"
_TOLD_BEFORE = frozenset(
    """played plays playing play watched watching watch read reads reading like likes loves love as on about
    built building did doing sang singing sing dressed costume favourite supports support laughed drew drawing
    film book lego ate eat eating fan fans toy""".split()
)
# Words of watching, reading, singing and sport: a name anywhere after them in the sentence is told of.
_TOLD_IN_SENTENCE = frozenset(
    """played playing watched watching read reading sang singing song songs music album listened listening danced
    dance dancing footballer footballers singer video videos youtube youtuber scored watch recited cricket rugby
    cup league eastenders corrie coronation emmerdale hollyoaks soap telly tv nations premiership beating beat striker
    keeper goalkeeper winger v vs versus golf darts snooker""".split()
)
# The words of sport among those: a titled name after them is a coach or a referee, not a player.
_SPORT = frozenset(
    "scored footballer footballers cricket rugby cup league nations premiership beating beat striker keeper goalkeeper winger v vs versus golf darts snooker".split()
)
_TOLD_AFTER = frozenset(
    """film films movie movies book books story stories set sets game games lego marathon show shows song songs
    cartoon cartoons episode episodes highlights nativity character characters costume poster toy toys dvd
    series video videos figure figures annual quiz verse poem poems ride fan fans album cbbc cbeebies netflix
    youtube tiktok tv television telly disney itv bbc channel radio concert concerts tour tickets penalty penalties
    goal goals shirt kit match autograph scored scores scoring score favourite fave hero idol bowling batting""".split()
)
# Title characters of children's television, books and Christmas, and brands named so ("a Mr Kipling
# cake"): never a stranger.
_CHARACTERS = frozenset(
    item.strip()
    for item in """mr tumble|mr bean|mr men|mr blobby|mr tickle|mr happy|mr greedy|mr bump|mr potato|mr benn|mr stink|
    mr gum|mrs claus|mr claus|miss honey|pc world|pc plod|miss trunchbull|mrs doubtfire|mr wolf|mrs brown|mr maker|
    mrs armitage|mr bloom|mrs pepperpot|miss piggy|mr squiggle|miss rachel|ms rachel|mr beast|dr ranj|dr who|
    mr motivator|mrs hinch|dr pimple|mr freeze|dr doom|dr octopus|mr incredible|mrs incredible|mrs peacock|
    colonel mustard|miss scarlett|miss scarlet|professor plum|reverend green|mrs white|dr black|pc plum|miss hoolie|
    mr marmalade|mr snuggles|mr kipling|mr whippy|mr potato head|mr brown|mr curry|mr gruber|mrs bird|mr brightside|
    dr pepper|dr oetker|dr martens|dr marten|mr whippys|mrs tiggy-winkle|mrs tiggy|mrs tiggywinkle|mr mcgregor|mr tod|
    mrs rabbit|jemima puddle-duck""".split("|")
)


def _opens(w: Words, i: int) -> bool:
    """Word i opens a sentence."""
    before = w.source[max(0, w.start[i] - 6) : w.start[i]].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n:;"


def _visits_after(w: Words, i: int, end: int) -> bool:
    """A first name no list has, with a surname, followed by something a visitor does ("asked
    if Abdirahman Nur can come"): neither word a common word or a place, not opening a
    sentence, and not "came on" (a programme)."""
    if _opens(w, i) or w.low[i] in gazetteer.common_words() or w.low[i] in _NOT_SURNAMES:
        return False
    after = _WORDS.findall(head(w.source[w.end[end - 1] : w.end[end - 1] + 30]).casefold())[:3]
    if after[:1] in (["can"], ["could"], ["will"], ["would"], ["might"]):
        after = after[1:]
    return _acts_after(after, w.low[end - 1]) or (bool(after) and after[0] in _VISITS and after[1:2] != ["on"])


def _acts_after(after: list[str], last: str) -> bool:
    """The words after a name say the person did something to the family: "had been round",
    "had given him a lift", "keeps messaging her", "'s been winding me up"."""
    if after[:1] and after[0] in ("had", "has") and after[1:2] and (after[1] in _VISITS or after[1] in ("been", "given", "taken", "driven")):
        return True
    return bool(after[:1]) and (after[0] in _KEEPS or (after[0] == "been" and last.endswith(("'s", "’s"))))


# Sentence-opening verbs that are also given names: "Ate Quavers and a yoghurt", "Drew
# Spider-Man".
_VERBS = frozenset("ate drew sang wore won made read said played watched built did had baked".split())

# Famous people and characters named in full, lower-cased (famous.txt): never a stranger.
_FAMOUS = frozenset(gazetteer.packaged("famous.txt"))
