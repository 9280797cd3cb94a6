"""R-42 anonymised notes (003 s10): the rules of `app.freetext.anonymise.check`, one case
each, and precision and recall over labelled corpora of session notes: `corpus.jsonl`
(names, addresses, postcodes) and `corpus_places.jsonl` (issue 17: places, institutions and
strangers too, in a dev and a held-out split); run with `-s` to see the figures."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.freetext import gazetteer, shape
from app.freetext.anonymise import Finding, KnownPerson, _NameRules, check

CORPUS = Path(__file__).with_name("corpus.jsonl")
PLACES_CORPUS = Path(__file__).with_name("corpus_places.jsonl")  # issue 17: rows carry "split": dev | heldout

PEOPLE = [
    KnownPerson("Amelia", "Whitfield", "child"),
    KnownPerson("Darren", "Whitfield", "dad"),
    KnownPerson("Kemi", "Okafor", "mum"),
    KnownPerson("Siobhan", "O'Brien", "grandparent", "nan"),
    KnownPerson("Zofia", "Smith-Jones", "foster_carer"),
    KnownPerson("Trevor", "Nowak", "former_carer"),
    KnownPerson("Jayden", "Pryce", "sibling"),
    KnownPerson("Ngozi", "Eze", "other", "aunt"),
    KnownPerson("Liam", "Green", "other", "uncle"),
]


def found(text: str, people: list[KnownPerson] = PEOPLE) -> list[tuple[str, str]]:
    return [(f.text, f.kind) for f in check({"observations": text}, people)]


def one(text: str, people: list[KnownPerson] = PEOPLE) -> Finding:
    findings = check({"observations": text}, people)
    assert len(findings) == 1, findings
    return findings[0]


# --- names ---------------------------------------------------------------------------


def test_r42_full_name_is_one_finding_with_the_relationship_as_suggestion() -> None:
    finding = one("Kemi Okafor arrived at 10:30.")
    assert (finding.start, finding.end, finding.text, finding.kind, finding.suggestion) == (0, 11, "Kemi Okafor", "name", "mum")


def test_r42_full_name_in_any_case() -> None:
    assert found("kemi OKAFOR arrived") == [("kemi OKAFOR", "name")]


def test_r42_full_name_with_extra_spaces_or_a_line_break_between_the_parts() -> None:
    assert found("Kemi   Okafor and Darren\nWhitfield signed") == [("Kemi   Okafor", "name"), ("Darren\nWhitfield", "name")]


def test_r42_surname_alone_is_a_finding() -> None:
    assert found("Okafor said she was tired") == [("Okafor", "name")]


def test_r42_title_is_part_of_the_finding() -> None:
    finding = one("Amelia ran to Mrs Okafor.")
    assert (finding.text, finding.suggestion) == ("Mrs Okafor", "mum")


def test_r42_possessive_surname_is_a_finding_without_the_s() -> None:
    assert found("Whitfield's car broke down") == [("Whitfield", "name")]
    assert found("O’Brien’s flat") == [("O’Brien", "name")]


def test_r42_family_plural_is_a_finding() -> None:
    assert found("all the Whitfields came") == [("Whitfield", "name")]


def test_r42_initial_and_surname_with_or_without_a_full_stop() -> None:
    assert found("D. Whitfield phoned") == [("D. Whitfield", "name")]
    assert found("D Whitfield phoned") == [("D Whitfield", "name")]
    assert one("D Whitfield phoned").suggestion == "dad"


def test_r42_first_name_and_initial_of_the_surname() -> None:
    assert found("Kemi O. gave her a card") == [("Kemi O.", "name")]


def test_r42_hyphens_and_apostrophes_in_names_are_optional() -> None:
    assert found("Zofia Smith Jones and siobhan obrien") == [("Zofia Smith Jones", "name"), ("siobhan obrien", "name")]


def test_r42_surname_must_be_a_whole_word() -> None:
    assert found("Nowakowski and Ezekiel were mentioned") == []


def test_r42_child_is_suggested_by_first_name() -> None:
    assert one("Amelia Whitfield was happy").suggestion == "Amelia"


def test_r42_adult_suggestions_use_the_relationship_or_the_label() -> None:
    suggestions = [f.suggestion for f in check({"a": "Zofia Smith-Jones, Trevor Nowak, Jayden Pryce, Ngozi Eze, Siobhan O'Brien"}, PEOPLE)]
    assert suggestions == ["foster carer", "former carer", "sibling", "aunt", "nan"]


def test_r42_shared_surname_alone_suggests_everyone_who_has_it() -> None:
    assert one("Whitfield was late").suggestion == "Amelia or dad"


def test_r42_childs_first_name_alone_is_not_a_finding() -> None:
    assert found("Amelia played with Amelia's doll") == []


def test_r42_adults_first_names_alone_are_not_findings() -> None:
    assert found("Kemi and Darren both came; Siobhan waited outside") == []


def test_r42_relationship_words_are_not_findings() -> None:
    assert found("Mum, Dad, Nan, the foster carer and her aunt and uncle all came") == []


def test_r42_surname_that_is_an_ordinary_word_counts_only_as_a_name() -> None:
    assert found("She wore a green coat and played on the green") == []
    assert found("Mr Green came, then green arrived; Green left") == [("Mr Green", "name"), ("Green", "name")]


def test_r42_a_surname_that_is_a_nationality_before_what_it_describes_is_no_name() -> None:
    people = [KnownPerson("Lola", "French", "child"), KnownPerson("Danielle", "French", "mum"), KnownPerson("Rhys", "Welsh", "dad")]
    text = "Mum made French toast and Welsh cakes. French said sorry. Ms French came."
    assert [(f.text, f.kind) for f in check({"o": text}, people)] == [("French", "name"), ("Ms French", "name")]


def test_r42_overlapping_findings_are_merged() -> None:
    findings = check({"a": "Mrs Kemi Okafor"}, PEOPLE)
    assert [(f.text, f.kind) for f in findings] == [("Mrs Kemi Okafor", "name")]


def test_r42_no_people_means_no_name_findings() -> None:
    assert found("Kemi Okafor came", people=[]) == []


# --- addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "14 Elm Road",
        "27a beechwood avenue",
        "88 Mansfield Rd",
        "56 Trent St",
        "5 Queen's Drive",
        "8 St Mary's Road",
        "2 Ashfield Terrace",
        "17 Lark Rise",
        "6 The Mews",
        "3 The Green",
        "21 Kingfisher Way",
        "4 Bramble Court",
        "10 Victoria Square",
        "7 Orchard Gardens",
        "19 Windmill Hill",
        "25 Chapel Row",
        "11 Meadow Walk",
        "2 Sycamore Crescent",
        "9 Hawthorn Close",
        "33 Coppice Grove",
        "40 Sefton Park",
        "12 Mill Lane",
        "3 Park Road",
    ],
)
def test_r42_house_number_and_street_is_an_address(address: str) -> None:
    finding = one(f"Mum now lives at {address} with her sister.")
    assert (finding.text, finding.kind, finding.suggestion) == (address, "address", "the placement")


@pytest.mark.parametrize("flat", ["Flat 3", "flat 3b", "Apartment 12", "FLAT 7"])
def test_r42_flat_number_is_an_address(flat: str) -> None:
    assert found(f"She moved into {flat} last week") == [(flat, "address")]


def test_r42_flat_and_street_are_one_finding() -> None:
    assert found("Dad lives at Flat 3, 12 Mill Lane now") == [("Flat 3, 12 Mill Lane", "address")]


@pytest.mark.parametrize("street", ["Oakfield Close", "Sherwood Avenue", "Park Road", "Church St", "Alfreton Road", "Kingfisher Way"])
def test_r42_named_street_without_a_number_is_an_address(street: str) -> None:
    assert found(f"Dad is staying with a friend on {street} for now") == [(street, "address")]


def test_r42_address_suggestion_describes_the_place() -> None:
    assert one("Her school is at 4 Church Hill").suggestion == "school"
    assert one("He works at 9 Canal Street").suggestion == "work"
    assert one("She stays at mum's, 3 The Green").suggestion == "mum's home"
    assert one("Dropped off at 3 The Green").suggestion == "the placement"


@pytest.mark.parametrize(
    "text",
    [
        "Christmas Day at Tesco, then McDonald's on Monday",
        "Mum came from the Bus Station",
        "Contact was in room 2 for 2 hours",
        "Amelia asked 3 times; started at 10:30 and ended at 12:30",
        "We walked 2 miles down the road to the park",
        "The hearing is at the Family Court; Nottingham Family Court on Monday",
        "She watched Sesame Street and Coronation Street and ate a Milky Way",
        "Stuck on the M1 motorway, coloured on A4 paper, Year 3, PS5",
        "The ball went flat after 10 minutes; her new flat is ready",
        "Bought trainers on the High Street",
        "Sang Row, Row, Row Your Boat",
        "a 20 minute drive, 2 hands close, came 3rd in the race on Saturday 14th",
    ],
)
def test_r42_ordinary_words_times_and_counts_are_not_findings(text: str) -> None:
    assert found(text) == []


def test_r42_st_before_a_name_is_not_a_street_but_st_albans_is_a_town() -> None:
    assert found("Tesco St Albans had the cake") == [("St Albans", "place")]


# --- places, institutions, strangers (issue 17) ---------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "suggestion"),
    [
        ("Mum lives in Arnold now.", "Arnold", "where they live"),
        ("Mum said the bus from Hucknall was late.", "Hucknall", "their area"),
        ("Nan has moved back to Ynys Môn.", "Ynys Môn", "where they live"),
        ("Dad is staying with a mate in Doncaster.", "Doncaster", "where they live"),  # a word of living before
        ("Dad has his own place in West Bridgford.", "West Bridgford", "where they live"),
        ("Dad's flat is near Sutton-in-Ashfield.", "Sutton-in-Ashfield", "where they live"),
        ("Mum likes West Bridgford best.", "West Bridgford", "their area"),  # two words: no context needed
        ("She has moved to Top Valley.", "Top Valley", "where they live"),  # no list knows it: after "moved to"
        ("Nan plays bingo in Bulwell.", "Bulwell", "their area"),  # no list knows it: ends as towns do
        ("They live on the Broxtowe estate.", "Broxtowe estate", "where they live"),
        ("Mum has a room in Gorgie now.", "Gorgie", "where they live"),  # no list knows it: a home in the sentence
        ("Nan has moved off the Gurnos.", "Gurnos", "where they live"),
        ("Mum is on nights at a factory in Great Witchingham.", "Great Witchingham", "their area"),
        ("She moved into a flat in Forest Town.", "Forest Town", "where they live"),
        ("The 50 bus from Druids Heath was late.", "Druids Heath", "their area"),
        ("They've got a Selston council house.", "Selston", "their area"),
        ("Nan is still at Rose Cottage.", "Rose Cottage", "their home"),
        ("They walked round Colwick Park.", "Colwick Park", "the park"),
        ("Nan has moved out of Clifton.", "Clifton", "where they live"),  # "out of" is "from"
        ("Dad is staying at his mum's on Wellington for now.", "Wellington", "where they live"),  # an estate is "on"
        ("Nan lives out Ravenshead way now.", "Ravenshead", "where they live"),
        ("Dad is up Mansfield now with his brother.", "Mansfield", "their area"),
        ("Mum talked about her Bulwell flat.", "Bulwell", "their area"),  # a town before a home
    ],
)
def test_r42_places_in_context_are_findings(text: str, place: str, suggestion: str) -> None:
    finding = one(text)
    assert (finding.text, finding.kind, finding.suggestion) == (place, "place", suggestion)


@pytest.mark.parametrize(
    "text",
    [
        "Reading a book, then Bath time.",
        "In March she was poorly; in May she was better.",
        "Amara likes Arnold park.",  # a town without context
        "The hearing is at Nottingham Crown Court.",
        "Mum asked to move to Fridays.",
        "He supports Derby County and went to Mansfield Contact Centre.",
        "Mum bought a Happy Meal from Greggs and a drink from Asda.",
        "Forest school and Football club; Sunday school; picked up from Brownies.",
        "Amelia's school trip was fun.",
        "Christmas at Nan's, then Easter Sunday.",
        "St David's Day: Amelia wore her costume.",  # a day, not the city
        "Put the jacket on Chester.",  # "on" is a place only where someone lives
    ],
)
def test_r42_ordinary_words_that_are_also_places_stay_clean(text: str) -> None:
    assert found(text) == []


def test_r42_a_place_found_once_is_found_at_every_capitalised_mention() -> None:
    assert found("Mum is staying in Rotherham. Amelia asked 'where's Rotherham?'") == [("Rotherham", "place"), ("Rotherham", "place")]
    # a name of two words too, wherever it stands
    assert found("She moved into a flat in Forest Town. He thinks Forest Town is where Forest play.") == [
        ("Forest Town", "place"), ("Forest Town", "place")
    ]


def test_r42_a_later_mention_before_another_capitalised_word_is_a_team_not_the_place() -> None:
    assert found("Dad lives in Leicester now. Talked about Leicester City for ages.") == [("Leicester", "place")]
    assert found("She got a house in Harraby. Harraby's much better.") == [("Harraby", "place"), ("Harraby", "place")]


def test_r42_an_institution_on_a_street_is_two_findings() -> None:
    assert found("She goes to the Guru Nanak Gurdwara on Sedgley Street.") == [
        ("Guru Nanak Gurdwara", "institution"), ("Sedgley Street", "address"),
    ]
    assert found("He is a waiter at Café Shapla on Brick Lane.") == [("Café Shapla", "institution"), ("Brick Lane", "address")]
    assert found("The address is Flat 2/1, 45 South Road.") == [("Flat 2/1, 45 South Road", "address")]


def test_r42_a_known_surname_alone_where_someone_lives_is_the_place() -> None:
    """"Moved back to Lincoln" with dad called Shane Lincoln: the town, suggesting "where
    they live" (the name would suggest "moved back to dad"); the name everywhere else."""
    people = [*PEOPLE, KnownPerson("Shane", "Lincoln", "dad")]
    findings = check({"observations": "Shane Lincoln came late. He has moved back to Lincoln. Lincoln said sorry."}, people)
    assert [(f.text, f.kind, f.suggestion) for f in findings] == [
        ("Shane Lincoln", "name", "dad"), ("Lincoln", "place", "where they live"), ("Lincoln", "name", "dad"),
    ]


def test_r42_a_national_chain_is_a_workplace_only_with_its_site() -> None:
    """"Works at Asda" names one of hundreds of shops; "Asda in Bulwell" names the one where
    Mum works, as the brief of the corpus's writers has it ("the Boots warehouse in Beeston")."""
    assert found("Mum works at Asda.") == []
    assert found("Mum works at Asda in Bulwell.") == [("Asda", "institution"), ("Bulwell", "place")]
    assert found("Mum got a job at the Co-op in Arnold.") == [("Co-op", "institution"), ("Arnold", "place")]
    assert found("Dad has shifts at the Boots warehouse.") == [("Boots warehouse", "institution")]


def test_r42_outings_one_off_visits_holidays_and_stories_name_no_regular_place() -> None:
    assert found("They went to Skegness on holiday and stayed in a caravan in Ingoldmells.") == []
    assert found("They watched Charlie and the Chocolate Factory; soft play at Wacky Warehouse.") == []
    assert found("Nan has moved to Skegness and goes to the beach.") == [("Skegness", "place")]
    assert found("They went to Nottingham to see the lights; the FA Cup final at Wembley.") == []
    assert found("Dad might take them to Scarborough at half term.") == []
    assert found("Dad took the kids to Bradgate Park for the afternoon.") == []
    assert found("When they were in Blackpool last summer she went on the Big One. She remembered the ducks in Bakewell.") == []
    assert found("Amelia did a project on Coventry Cathedral.") == []
    assert found("The school trip to Chester Zoo. Mum talked about a day out in Margate. He stayed on the Switch.") == []
    assert found("Nan brought a Melton Mowbray pork pie. Anaya said Saal Mubarak to Ba.") == []
    assert found("Mum picked up shifts at the Greggs on Mansfield Road.") == [("Greggs", "institution"), ("Mansfield Road", "address")]
    assert found("Amelia goes to Lego club every week; Brownies on Mondays; Asda every Friday.") == []
    assert found("Tyler built a Minecraft village. A Dairy Milk and a Club Orange from the Jamaican bakery.") == []
    assert found("Dad goes to Scarborough every week.") == [("Scarborough", "place")]  # regular
    assert found("Mum went to Leeds to live with her sister.") == [("Leeds", "place")]  # where she lives


def test_r42_a_known_first_name_alone_is_never_a_place() -> None:
    people = [*PEOPLE, KnownPerson("Chester", "Whitfield", "sibling")]
    assert found("Amelia gave the card to Chester.", people) == []


def test_r42_an_address_wins_over_a_place_and_a_town_after_it_is_a_place() -> None:
    assert found("She moved to 14 Arnold Road, Hucknall.") == [("14 Arnold Road", "address"), ("Hucknall", "place")]
    assert found("Nan moved into 3 The Paddocks, Stapleford.") == [("3 The Paddocks", "address"), ("Stapleford", "place")]


@pytest.mark.parametrize(
    ("text", "institution", "suggestion"),
    [
        ("Amelia goes to Greenwood Primary School now.", "Greenwood Primary School", "school"),
        ("Dad picks her up from Kirkby Juniors.", "Kirkby Juniors", "school"),
        ("Dad is on the Arnold Lodge rehab programme.", "Arnold Lodge rehab programme", "rehab"),
        ("He was at the Byron House recovery centre.", "Byron House recovery centre", "rehab"),
        ("Mum is at Hope House (refuge) for now.", "Hope House", "the hostel"),
        ("They are at the Salvation Army hostel.", "Salvation Army hostel", "the hostel"),
        ("She goes to Little Acorns Nursery.", "Little Acorns Nursery", "nursery"),
        ("He starts at New College Nottingham in September.", "New College Nottingham", "school"),
        ("She works at Sherwood Park Care Home.", "Sherwood Park Care Home", "work"),
        ("Dad has shifts at the Queen's Medical Centre.", "Queen's Medical Centre", "work"),
        ("Mum goes to church at St Anselm's.", "St Anselm's", "church"),
        ("He plays for Bestwood Juniors FC.", "Bestwood Juniors FC", "the club"),
        ("Dad is in HMP Nottingham.", "HMP Nottingham", "prison"),
        ("She works at Hargreaves Haulage.", "Hargreaves Haulage", "work"),
        ("He sees his probation officer at Byron House.", "Byron House", "probation"),
        ("Her boyfriend works at the Raleigh Street garage.", "Raleigh Street garage", "work"),
        ("He is in goal for Clifton Colts on Sunday.", "Clifton Colts", "the club"),
        ("Grandad takes her to the Carlton Forum swimming pool.", "Carlton Forum swimming pool", "swimming"),
        ("He's at Bluecoat now, Year 7, with a blazer.", "Bluecoat", "school"),  # one word: the school year says so
        ("Dad attends the Phoenix Futures programme.", "Phoenix Futures programme", "the programme"),
        ("Mum cleans at the Holiday Inn.", "Holiday Inn", "work"),
        ("Dad is in Lincoln prison.", "Lincoln prison", "prison"),
        ("Kai goes to Phoenix every Tuesday.", "Phoenix", "where they go"),  # no institution word: it is regular
        ("Yusuf goes to Al-Noor on Saturdays.", "Al-Noor", "where they go"),
        ("Dad plays basketball for Norwich Lituanica.", "Norwich Lituanica", "the club"),
        ("Mum is driving for Kalsi Logistics.", "Kalsi Logistics", "work"),
        ("She started hairdressing at Dundee and Angus College.", "Dundee and Angus College", "school"),
        ("Mum has a job at the Smith & Nephew factory.", "Smith & Nephew factory", "work"),
        ("Dad has started plumbing at Coleg Sir Gâr.", "Coleg Sir Gâr", "school"),  # Welsh: the institution word first
        ("Grandma was in City Hospital for four days.", "City Hospital", "hospital"),
        ("Dad is on the line at the Nissan plant.", "Nissan plant", "work"),
    ],
)
def test_r42_named_regular_places_are_institutions_with_a_description(text: str, institution: str, suggestion: str) -> None:
    finding = one(text)
    assert (finding.text, finding.kind, finding.suggestion) == (institution, "institution", suggestion)


@pytest.mark.parametrize("street", ["Forest Rise", "Arkwright Walk", "Lark Rise"])
def test_r42_a_street_with_any_suffix_is_an_address_without_a_number(street: str) -> None:
    assert found(f"Mum walked along {street} to the shop.") == [(street, "address")]


@pytest.mark.parametrize(
    ("text", "person", "suggestion"),
    [
        ("Mum's new boyfriend Gary Hargreaves waited outside.", "Gary Hargreaves", "mum's partner"),
        ("Mrs Hargreaves is her teacher.", "Mrs Hargreaves", "the teacher"),
        ("Dr Patel saw her last week.", "Dr Patel", "the doctor"),
        ("Her friend Lacey Wilde has a pony.", "Lacey Wilde", "a friend"),
        ("Mum's new partner, Femi Oladipo, came in.", "Femi Oladipo", "mum's partner"),  # a first name no list has
        ("A card signed love Mum and Dean Walsh.", "Dean Walsh", "a friend"),
        ("Dad's girlfriend is called Magda Nowicka.", "Magda Nowicka", "dad's partner"),
        ("Gary J. Hargreaves phoned.", "Gary J. Hargreaves", "a friend"),
        ("Mum mentioned Kyle Bennett twice.", "Kyle Bennett", "a friend"),  # a listed surname needs no introduction
        ("Her friend Mia-Rose Atkinson has a trampoline.", "Mia-Rose Atkinson", "a friend"),
        ("Her old childminder Mrs van Dijk asked after her.", "Mrs van Dijk", "the childminder"),
        ("Grandad rents a bedsit off a Mr Devlin.", "Mr Devlin", "a friend"),  # "a" before a title
        ("Dad talked about a Mr Jama at the mosque.", "Mr Jama", "a friend"),
        ("Mum mentioned Rakesh Mistry several times.", "Rakesh Mistry", "a friend"),  # a first name no list has
        ("Her neighbour Dylan ap Rhys helped.", "Dylan ap Rhys", "a neighbour"),
        ("Dad said his mate D'Andre Lewis might give him a lift.", "D'Andre Lewis", "a friend"),
        ("Her brother-in-law Naveed Akhtar-Khan will drive her.", "Naveed Akhtar-Khan", "a relative"),
        ("He gave his name as Liam O'Connell-Byrne.", "Liam O'Connell-Byrne", "a friend"),
    ],
)
def test_r42_full_names_of_strangers_are_person_findings(text: str, person: str, suggestion: str) -> None:
    finding = one(text)
    assert (finding.text, finding.kind, finding.suggestion) == (person, "person", suggestion)


@pytest.mark.parametrize(
    "text",
    [
        "Gary came, then Lacey; Olivia and Mia are her friends.",  # first names alone
        "They played Mario Kart and read her Harry Potter book.",
        "He bowls like Jimmy Anderson; a Julia Donaldson marathon.",
        "She is the Angel Gabriel in the Nativity; Mrs Claus came to school.",
        "She learnt the sign off Mr Tumble. Watched the Man United highlights.",
        "They talked about Marcus Rashford and Harry Kane.",
        "Easter Sunday was fun. Will Dad come?",
        "Said I'd help.",
        "Read The Cat in the Hat by Dr Seuss.",  # an author
        "Drew Sonic and Tails. Spencer Percy and Thomas raced.",  # no listed surname, no introduction
        "Sang Let It Go and a bit of Taylor Swift; Chloe Kelly's penalty.",  # a singer, a footballer
        "Harry Kane scored twice. Amelia showed Mum a video of Mr Beast.",
        "Dad put Miss Rachel on his phone. Andrei wants to light a candle at church with Tata.",
        "Dad got out Mrs Buttons the rabbit. Taylor Swift is her favourite.",  # a toy; a singer
        "She read a Dr Seuss and Little Miss Sunshine; a dance-off to Stormzy and Bob Marley.",
    ],
)
def test_r42_first_names_characters_and_famous_people_are_not_strangers(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "person", "suggestion"),
    [
        ("Gran said Rev. Amponsah has asked after Esi.", "Rev. Amponsah", "the vicar"),  # clergy titles
        ("Bernadette said Fr. Maguire will baptise him.", "Fr. Maguire", "the priest"),
        ("Mum said Pastor Olaniyan has written a letter.", "Pastor Olaniyan", "the pastor"),
        ("Mum said Rhys ap Gwilym from chapel gives her lifts.", "Rhys ap Gwilym", "a friend"),  # a particle: no introduction needed
        ("Nan said Darren P. Quinnell from the housing had been round.", "Darren P. Quinnell", "a friend"),  # a middle initial
        ("Mum asked if Abdirahman Nur can come to contact.", "Abdirahman Nur", "a friend"),  # an unlisted first name, then a visit
        ("Dad's working for Marius Stanciu doing car washes.", "Marius Stanciu", "a friend"),  # an employer who is a person
    ],
)
def test_r42_strangers_with_a_title_a_particle_an_initial_a_visit_or_as_an_employer(text: str, person: str, suggestion: str) -> None:
    finding = one(text)
    assert (finding.text, finding.kind, finding.suggestion) == (person, "person", suggestion)


@pytest.mark.parametrize(
    "text",
    [
        "Talked Harry Potter, she is on The Goblet of Fire.",  # famous people and characters by name
        "Kacper wanted to talk about Lewandowski, then Harry Kane at Bayern.",
        "Jayden made her a card with Bob Marley on the front.",
        "Straight onto Mario Kart, Logan picked Bowser every race.",
        "Chioma said she wants to be a doctor like Dr Ranj.",
        "Ate Quavers and a Peppa Pig yoghurt.",  # a verb that is also a given name, opening a sentence
        "Brought a bag of Haribo Tangfastics and some Prince Polo.",
        "Talked about Crăciun and Moș Crăciun coming.",
        "Father Christmas is coming on the 24th.",
    ],
)
def test_r42_famous_people_characters_sweets_and_sentence_opening_verbs_are_not_strangers(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "finding", "kind"),
    [
        ("Auntie Bernadette over from Tuam for a fortnight.", "Tuam", "place"),  # Ireland's towns are in the gazetteer
        ("Mum said Dad's gone back to Iași to work with his cousin.", "Iași", "place"),  # "gone back to": a move
        ("Mamgu has moved to a bungalow called Tŷ Isaf near the sea.", "Tŷ Isaf", "place"),
        ("Dad said Oldham's where he's stopping now.", "Oldham", "place"),
        ("Mum was late, the 79 from Top Valley never came.", "Top Valley", "place"),
        ("Mum asked if sessions could be nearer Dewsbury.", "Dewsbury", "place"),
        ("Grandma has come over from Kumasi, where she lives.", "Kumasi", "place"),
        ("Dad is working away for Afan Valley Groundworks.", "Afan Valley Groundworks", "institution"),
        ("Dad is doing security at the DPD hub now.", "DPD hub", "institution"),
        ("Amara told them she's at Our Lady of Perpetual Succour now.", "Our Lady of Perpetual Succour", "institution"),
        ("Rory asked if he could still play for Mapperley Rovers.", "Mapperley Rovers", "institution"),
        ("He's on shift at the Spice Lounge tonight.", "Spice Lounge", "institution"),
        ("He got a detention off his teacher at Ellis Guilford.", "Ellis Guilford", "institution"),
        ("Yasin goes to Madrasah Ta'leem after school.", "Madrasah Ta'leem", "institution"),
        ("Dad has opened a barber's, Fade Kings, near the park.", "Fade Kings", "institution"),
        ("He's got a job with Solent Stevedores now.", "Solent Stevedores", "institution"),
        ("He has a job at his uncle's firm, Shah & Mistry Accountants.", "Shah & Mistry Accountants", "institution"),
        # stop 26: a place described, compared, left for a home; a farm; a prison; a hospital by what follows
        ("Mum said Mansfield hasn't been good for her nerves.", "Mansfield", "place"),
        ("Kelsey said Scarborough suits her better.", "Scarborough", "place"),
        ("Gran says Lenton Abbey is where she grew up.", "Lenton Abbey", "place"),
        ("She has left Sneinton Dale and is renting nearer her sister.", "Sneinton Dale", "place"),
        ("Dad is helping out on the farm at Hafod Isaf this spring.", "Hafod Isaf", "place"),
        ("Taid said he is at his brother's farm, Bryn Celyn, until March.", "Bryn Celyn", "place"),
        ("Mum said Dad is back in Strangeways and won't be at contact.", "Strangeways", "institution"),
        ("Nan is in Wansbeck General for her knee, ward 9.", "Wansbeck General", "institution"),
        ("Mum is doing nights as a porter at Royal Albert now.", "Royal Albert", "institution"),
        ("Dad is driving for a removals firm, Kestrel Movers, on weekdays.", "Kestrel Movers", "institution"),
        ("Keira is in P3 at Sunnyside and loves her teacher.", "Sunnyside", "institution"),
        ("Mum goes to the Lindley Recovery Café on Tuesdays.", "Lindley Recovery Café", "institution"),
        ("He has started plumbing classes at Derby City College.", "Derby City College", "institution"),
        ("Dad got a start at the Walsh's bakery in the new year.", "Walsh's bakery", "institution"),
        ("Post to go to her sister's, 2 Tigh na Mara, Bernera, HS2 9LT.", "Bernera", "place"),  # the town of an address
        ("Mum has been given Flat 3, Elm Court, M23 1AB, in Benchill.", "Benchill", "place"),
        ("Dad is on a trawler out of Scrabster this month.", "Scrabster", "place"),  # a working port
        ("Mum missed the bus from Treloweth again.", "Treloweth", "place"),  # a journey's start
        ("Gran said she is still up Hartcliffe West.", "Hartcliffe West", "place"),
        ("He is living at Brackenfield House, the approved premises, for now.", "Brackenfield House", "institution"),
        ("Mum has a caravan at Sandy Bay Holiday Park, where she has started working.", "Sandy Bay Holiday Park", "institution"),
        ("Tomi is in the chess club at Harris Academy Crystal Palace now.", "Harris Academy Crystal Palace", "institution"),
        ("Dad has a stall at the Moor Market, selling phone cases.", "Moor Market", "institution"),
        ("Eilidh sang a song from Bun-sgoil Sgìre an Rubha for Dad.", "Bun-sgoil Sgìre an Rubha", "institution"),
        ("Amira recited the surah she learnt at Al-Noor.", "Al-Noor", "institution"),
        ("Tyler has started with Pontefract Pumas under 9s.", "Pontefract Pumas", "institution"),
        ("He showed Gran his gloves from Hull Fish Trade ABC.", "Hull Fish Trade ABC", "institution"),
        ("Nan asked if he can make his First Communion at St Winefride's.", "St Winefride's", "institution"),
        ("Mum goes to the Open Door Cafe most days now.", "Open Door Cafe", "institution"),
        ("The council offered her a 2 bed in Blackhall.", "Blackhall", "place"),
        ("Nan has moved in with Mum over at Ocker Hill.", "Ocker Hill", "place"),  # a district, not a street
        ("Kian is playing for Dundela Youth now.", "Dundela Youth", "institution"),
        ("Yusuf goes to Jummah at the Riverside Islamic Centre with Dad.", "Riverside Islamic Centre", "institution"),
        ("Mum said Penn Fields is miles better for the kids.", "Penn Fields", "place"),
        ("Mum is living with Nanny up Chantry now.", "Chantry", "place"),
        ("Mum is going to the Iceni Project twice a week.", "Iceni Project", "institution"),
        ('Riley said "Bransholme\'s boring without you" and went quiet.', "Bransholme", "place"),  # what is said of a place
        ('Mum said "Rushey Mead is quieter, I like it".', "Rushey Mead", "place"),
        ("Dad said Felling's been better for him.", "Felling", "place"),
        ("Nana came fae Northfield on the bus.", "Northfield", "place"),  # Scots "fae"
        ("Her flat out Withywood has black mould.", "Withywood", "place"),
        ("Bailey asked if it is near Gipsyville where Nanna lives.", "Gipsyville", "place"),
        ("Mum has done six weeks at Acorn Recovery now.", "Acorn Recovery", "institution"),
        ("Dad is on the fish processing at Mourne Seafoods.", "Mourne Seafoods", "institution"),
        ("Zainab reads Qur'an on Saturdays at Makki Masjid.", "Makki Masjid", "institution"),
        ("Kayla is in goal for Dyce Girls now.", "Dyce Girls", "institution"),
        ("Dad is on the counter at Al Faisal Sweets.", "Al Faisal Sweets", "institution"),
        ("They came straight from Sunday service at RCCG Victory House.", "RCCG Victory House", "institution"),
        ("Dad said he is living at Beechwood House for now.", "Beechwood House", "institution"),  # a hostel more often than a home
        ("Ruby said she goes to Busy Bees and her friend is called Mai.", "Busy Bees", "institution"),
        ("He has been excluded twice from Ferndown this term.", "Ferndown", "institution"),
        ("Dad came for the first time since his release from HMP Lowdham Grange.", "HMP Lowdham Grange", "institution"),
        ("Malachi has got into the steel pan band at Holte.", "Holte", "institution"),
        ("Kris has got work as a driver with Lothian Buses.", "Lothian Buses", "institution"),
        ("Mum has been referred to the Brunswick Centre.", "Brunswick Centre", "institution"),
        ("Oisin is at Coláiste Feirste now and loving it.", "Coláiste Feirste", "institution"),
        ("Kyle playing for Ballysillan Swifts now, he's in defence.", "Ballysillan Swifts", "institution"),
        ("Dad said he's left Blaenymaes and gone to his brother's.", "Blaenymaes", "place"),
        ("Taid is still up at Tyddyn Isaf with the lambs.", "Tyddyn Isaf", "place"),
        ("Connor has a meeting with Medway YOT on Thursday.", "Medway YOT", "institution"),
        ("Megan showed Dad the picture she did at Cylch Meithrin Treforys.", "Cylch Meithrin Treforys", "institution"),
        ("Dad is on forklifts at Prestige Pallets in the mornings.", "Prestige Pallets", "institution"),
        ("Maryam talked about her class at Crosshill.", "Crosshill", "institution"),
        ("Ava has been on Bramble Ward since Monday.", "Bramble Ward", "institution"),
        ("Dad has been in Altnagelvin since Friday after an accident at work.", "Altnagelvin", "institution"),
        ("Mum said Exwick is much better for her.", "Exwick", "place"),
        ("Ellie-Mae wants to visit her in Thurnscoe soon.", "Thurnscoe", "place"),  # where she lives, not a wish's outing
    ],
)
def test_r42_places_and_institutions_by_their_context(text: str, finding: str, kind: str) -> None:
    assert [(f.text, f.kind) for f in check({"observations": text}, PEOPLE) if f.kind in ("place", "institution")] == [(finding, kind)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nana will drive him over from Platt Bridge.", [("Platt Bridge", "place")]),  # district words
        ("Mum said she's left Berwick Hills for good.", [("Berwick Hills", "place")]),
        ("Nain has come over from Llanystumdwy for the week.", [("Llanystumdwy", "place")]),  # a Welsh opening
        ("She said the bus from Grangetown was late.", [("Grangetown", "place")]),
        ("Mum said the Eastfield bus was late.", [("Eastfield", "place")]),
        ("He is lambing up above Cwmllynfell.", [("Cwmllynfell", "place")]),
        ("Mum is still at her mum's in Hartcliffe.", [("Hartcliffe", "place")]),  # kin before "in"
        ("He showed photos from his mother in Kaunas.", [("Kaunas", "place")]),
        ("They had a video call with their Nani in Sylhet.", [("Sylhet", "place")]),
        ("He did a shift at his family's takeaway in Broughty Ferry.", [("Broughty Ferry", "place")]),  # a business before "in"
        ("He has started early shifts at Kerr's Bakery in Leith.", [("Kerr's Bakery", "institution"), ("Leith", "place")]),
        ("The Sunday club at Holy Trinity Church in Wester Hailes.", [("Holy Trinity Church", "institution"), ("Wester Hailes", "place")]),
        ("Mum said she goes to the Lighthouse Recovery Project in Birkenhead.", [("Lighthouse Recovery Project", "institution"), ("Birkenhead", "place")]),
        ("Dad told him he's doing nights at Calder Vale Plastics.", [("Calder Vale Plastics", "institution")]),
        ("Mum asked how his appointments at Alder Hey are going.", [("Alder Hey", "institution")]),
        ("Ellie told Mum she's joined Filey Sea Cadets.", [("Filey Sea Cadets", "institution")]),
        ("He's working at his uncle's restaurant, the Golden Lotus, six days a week.", [("Golden Lotus", "institution")]),
        ("Jaylen said his teacher at Little Acorns Nursery read them a book.", [("Little Acorns Nursery", "institution")]),
        ("He is working at his uncle's pharmacy, Meera Chemists, now.", [("Meera Chemists", "institution")]),
        ("She keeps taking him to the junior section of Stithians Silver Band.", [("Stithians Silver Band", "institution")]),
        ("Dad said he has started as an apprentice with Babcock at the dockyard.", [("Babcock", "institution")]),
        ("She is doing well at Heaton Girls' Academy.", [("Heaton Girls' Academy", "institution")]),
        ("She has a part in Annie at Kendal Youth Theatre.", [("Kendal Youth Theatre", "institution")]),
        ("He brought barfi from the Mughal Sweet Centre on Leeds Road, where he works.", [("Mughal Sweet Centre", "institution"), ("Leeds Road", "address")]),
        ("Mum said she's working in the packhouse at Fenland Fresh now.", [("Fenland Fresh", "institution")]),
        ("He gave his new address as 22 Heol Eglwys for the letters.", [("22 Heol Eglwys", "address")]),  # a Welsh street
        ("Granny came down from Barabhas on the ferry.", [("Barabhas", "place")]),  # where someone comes from
        ("Mum said Gran's still over in Castlemilk.", [("Castlemilk", "place")]),
        ("Dad said he is back on Westray now.", [("Westray", "place")]),
        ("Mum told me she has moved to March to be near her cousin.", [("March", "place")]),  # the town, not the month
        ("Jacob showed them his Viking project from Teme Valley Primary School.", [("Teme Valley Primary School", "institution")]),
        ("He asked Dad to watch him play for Knightswood Colts on Saturday.", [("Knightswood Colts", "institution")]),
        ("Mum is doing nights at Derriford as a healthcare assistant.", [("Derriford", "institution")]),  # work over a town
        ("Brodie told Granny he is at Kingsford now and his teacher is Miss Duthie.", [("Kingsford", "institution"), ("Miss Duthie", "person")]),
        ("Tommy said he has started at Saxon Way and his teacher is kind.", [("Saxon Way", "institution")]),  # a school named like a street
        ("Jaxon told them he goes to Cubs at St Mary's on a Thursday.", [("St Mary's", "institution")]),
        ('"Peterlee\'s dead boring," Tyler said.', [("Peterlee", "place")]),  # a place described
        ("Mansfield is miles better than Hucknall, Gran says.", [("Mansfield", "place"), ("Hucknall", "place")]),
        ("Yusuf said he misses Bute and his friends.", [("Bute", "place")]),
        ("Dylan asked if Gethin could stay at Ysgol y Moelwyn.", [("Ysgol y Moelwyn", "institution")]),
        ("Elis said he would like to go back to Ysgol Syr Gwilym now.", [("Ysgol Syr Gwilym", "institution")]),  # a wish to go back
        ("He is doing a programme with Phoenix Futures in Barnsley.", [("Phoenix Futures", "institution"), ("Barnsley", "place")]),
        ("The family have pulled onto the Cottingley Springs site for the winter.", [("Cottingley Springs site", "place")]),
        ("Maryam said Maulana Desai teaches them on weekday evenings.", [("Maulana Desai", "person")]),
        ("Rhodri asked that his address be changed to 3 Maes Hyfryd.", [("3 Maes Hyfryd", "address")]),
        ("Letters to go to 22 Fleet Road, Holbeach PE12 8LA.", [("22 Fleet Road", "address"), ("Holbeach", "place"), ("PE12 8LA", "postcode")]),
        ("Summer said her best friend at Churchfield is called Isla.", [("Churchfield", "institution")]),
        ("Ellis has been picked for the under-12s at Knowsley Villa.", [("Knowsley Villa", "institution")]),
        ("Mum said she has picked up hours at Sidoli's café on Sundays.", [("Sidoli's café", "institution")]),
        ("Mum said she has left the Caister caravan for good.", [("Caister", "place")]),
        ("She is volunteering two mornings a week at the Barton Hill Settlement.", [("Barton Hill Settlement", "institution")]),
        ("Mum told the children she has moved into a flat in Hayle, nearer the beach.", [("Hayle", "place")]),
        ("Sue came to watch him at sports day at Tolvaddon Primary School.", [("Tolvaddon Primary School", "institution")]),
        ("Ayaan said that Mr Rahman gave him a gold sticker for his reading.", [("Mr Rahman", "person")]),
        ('Niamh said "Mum\'s been in Kirkby, then Huyton, and now Croxteth."', [("Kirkby", "place"), ("Huyton", "place"), ("Croxteth", "place")]),
        ("Carys said the Gurnos flat was a nightmare with the damp.", [("Gurnos", "place")]),  # a name before a home
        ("Segun is now attending Kingdom Life Assembly every Sunday.", [("Kingdom Life Assembly", "institution")]),
        ("Declan said he has been doing overtime at Cammell Laird.", [("Cammell Laird", "institution")]),
        ("Her key worker at Rainbow Tots says she is talking more.", [("Rainbow Tots", "institution")]),
        ("Robbie said Gordon Inkster had given him a lift from the pier.", [("Gordon Inkster", "person")]),
        ("His partner introduced herself at reception as Becky Rowe.", [("Becky Rowe", "person")]),
        ("Callum said his teacher at St Cuthbert's picked him for Star of the Week.", [("St Cuthbert's", "institution")]),
        ("He told me the doctor at Ysbyty Gwynedd has changed his tablets.", [("Ysbyty Gwynedd", "institution")]),
        ("Dad is now on the line at the plant at Castle Bromwich.", [("Castle Bromwich", "place")]),
        ("Ayaan said he goes to dugsi at the Al-Manar Centre after school.", [("Al-Manar Centre", "institution")]),
        ("He has missed two appointments with Recovery Steps Cumbria.", [("Recovery Steps Cumbria", "institution")]),
        ("Taid has practice with Côr Meibion Rhos at seven.", [("Côr Meibion Rhos", "institution")]),
        ("Mum said she is still on the wards at the Wrexham Maelor.", [("Wrexham Maelor", "institution")]),
        ("Osian said he's playing up front for the under-12s at Brymbo FC.", [("Brymbo FC", "institution")]),
        ("New address for SW: Ash Cottage, Laurieston, DG7 2PW.", [("Ash Cottage", "place"), ("Laurieston", "place"), ("DG7 2PW", "postcode")]),
    ],
)
def test_r42_places_institutions_and_streets_found_from_their_neighbours(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dad talked about going back to Slovakia for the summer.",  # a country
        "Granny laughed, 'that's in Jamaica, darling'.",
        "Musa said he's in the Eagles group for reading now.",  # a class or a group at school
        "She asked if they could go back to Arabic class.",  # a language
        "Lewis and Dad talked about Barnsley FC and the derby.",  # a town's team
        "Dad said he'll try to get tickets to Anfield for her birthday.",
        "Talked about his party at Laser Quest.",
        "Alfie brought his Paw Patrol Chase toy. Dad built a Duplo garage with him.",
        "Kemani said he wants to play cricket for the West Indies.",
        "Zara said she likes living at Carol's but misses Nani's cooking.",  # someone's home by their first name
        "She is moving in March. He is back on TikTok again.",  # the month; an app
        "Mum sang to her in Romani and Dad sang in Tagalog.",
        'Elis said "Taid is the best storyteller in Wales".',  # a country of the UK
        "They settled on Snakes and Ladders. Mum brought Zuzia's school reading book.",  # a game; a child's school
        "He asked if he can go and see Wrexham play at the Racecourse one day.",  # a wish for a day out
        "Jago told Mum he'd seen a seal at St Ives on a day out in half term.",
        "He recited 'To a Mouse' by Robert Burns. They looked at a caravan holiday at Craig Tara.",
        "Demelza played with her Sylvanian rabbits, whom she has named Pasty and Mrs Crumble.",  # toys' names
        "Her best friend in the Ladybirds is Amelia. Mum and Por Por brought red envelopes.",  # a class; a grandmother
        "Andrei said 'Mami, I was a real driver at Legoland!'",  # a day out
        "Mamgu came with Mam in St David's Day week.",
        "Nana Akua and Mum braided each other's hair while listening to Stormzy.",
        "Dad told her about his first Hibs game at Easter Road in years.",  # a ground, not a street
        "Ruby said 'Miss Lottie gives us stickers if we tidy up'.",  # nursery staff by first name
        "She found the Squirrel Club badge piece of the jigsaw.",
        "He brought a Bristol Rovers programme. He talked about watching Lewandowski play for Barcelona.",  # teams
        "They played with the Peppa Pig house and the Sylvanian Families caravan. Some Jelly Tots.",
        "Ruaridh had been to Celtic Park to see them beat Hibs. He saw Ryan Reynolds at the Racecourse.",  # grounds
        "They played Mario Kart on the Switch. Ruaridh chose Rainbow Road every time.",
        "She showed Dad photos of the cat, Mr Tibbs. They played Cluedo and Mum was Mrs Peacock.",
        "She told him she saw the Christmas lights at Harewood House with Karen.",
        "They had soda bread and crisps her friend brought back from Dublin.",
        "They had chips at Marco's Café after the beach. He asked about the Wonka factory.",
        "He is driving for Uber Eats in the evenings. She could attend Vaisakhi celebrations in April.",
        "Manpreet brought a Wolves programme. Alfie brought the West Ham scarf Val knitted him.",  # a team's nickname, a team's scarf
        "Shahid talked about Shakib Al Hasan's bowling. Logan said he prefers Calvin Harris.",
        "Finlay brought his soft Nessie, whom he calls Mrs Wiggles. They argued about Port Vale and Stoke.",
        "Amari talked about wanting to play for Man City like his hero.",  # a wish to play for a team
        "Dad has left Dave's and is sleeping on a mate's sofa.",  # someone's home by first name
        "They built a Lego farm and Mum said the farm, Old MacDonald's, needed a tractor.",  # a toy, no place
        "Mum said Dad's been in Dunelm for a new duvet for their flat.",  # a shop, nobody's hospital stay
        "Kian said Minecraft is where he built his house.",  # a game
        "Dad works away on the boats between trips home.",
        "Kacey made a boat out of Play-Doh and Mum made a lorry out of Lego.",  # what something is made of
        "Seren said Cardiff City are better than Swansea this year.",  # teams compared
        "Dad showed her photos of Dadi's visit to the Golden Temple in October.",  # a visit, not a regular place
        "Cerys said Pontypandy isn't a real place.",
        "Reading is boring, she said. Bath was fun and March was busy.",  # towns that are everyday words
        "She goes to SW meetings. He goes to Jummah with Dad.",  # an abbreviation; a prayer
        "Dad took them round Chatsworth House on a day out.",  # a house visited once
        "Said FC took him to Blair Drummond safari park in the hols.",  # FC is the foster carer; a safari park
        "Dad arr 11:00 in Everton top, Leo in his Liverpool one. Mum had been to Chester for the day shopping.",
        "Dad asked if Zainab can go back to Qur'an class on Saturdays. They watched Lewandowski play for Barcelona.",
        "Babcia brought pączki left over from Tłusty Czwartek. They sang You'll Never Walk Alone.",
        "She drew Nanna at Tynemouth beach. Tyler was Robin Hood. Played Minecraft on the iPad.",
        "They made merit at the temple for Vesak. Chelsea and Mum caught up on EastEnders.",
        "CSW to pass to SW. Mum asked if it will be discussed at the PEP. Charlie said school went to Magna.",
        "They made a fire engine out of Play-Doh and Macy said she wants to live on Struay like Katie Morag.",
        "Mum read a Polish book about the dragon that lived under the castle in Kraków.",
        "Said Romania is where Dracula is from. Brodie said the Beano is better than the Dandy.",
        "Kwame said Rashford isn't as good as he used to be. Ciara said Titanic Belfast was boring.",
        "Jack showed Dad his Linfield programme and they talked about the Irish Cup.",
        "Said Street dance is her favourite thing. Tita Joy FaceTimed from the Philippines.",
        "Minecraft's boring now, Kian said. Chelsea's better than Arsenal.",  # a game, a name, a team
        "Zara liked the Roman baths best. He liked the Christmas market in Manchester when he went with school.",
    ],
)
def test_r42_countries_classes_languages_teams_parties_toys_and_homes_by_first_name_are_no_place(text: str) -> None:
    assert found(text) == []


def test_r42_a_known_surname_named_as_a_surname_stays_the_name_after_gone_back_to() -> None:
    people = [KnownPerson("Jo", "McAllister", "mum")]
    assert found("Mum said she's gone back to McAllister, her maiden name.", people) == [("McAllister", "name")]


def test_r42_a_move_from_one_place_to_another_is_two_places_not_a_person() -> None:
    assert found("The family have been rehoused from Easton to Lawrence Weston.") == [("Easton", "place"), ("Lawrence Weston", "place")]


@pytest.mark.parametrize(
    "text",
    [
        "Aoife said she's doing a feis in Birmingham in June.",  # a date to come
        "Megan wants to see Taylor Swift in Cardiff next summer.",
        "Simran said she wants to see the Golden Temple in Amritsar one day.",  # a wish
        "Skye asked if that's near Glasgow.",  # a reference point
        "Talked about Notting Hill Carnival, he wants to go again.",  # an event named after a place
        "Tracey got him a birthday badge from Card Factory.",  # a shop, not a workplace
        "They played Monopoly, Dad ended up with Mayfair and Park Lane.",
        "Kacper on Mario Kart, Dad raced him and lost on Rainbow Road.",
        "Moved to the bigger room at Oakfield Contact Centre.",  # the contact centre itself
        "Dad said the next hearing is at Derby Combined Court Centre.",
    ],
)
def test_r42_dates_to_come_wishes_events_shops_games_and_the_centre_name_no_place(text: str) -> None:
    assert found(text) == []


def test_r42_a_wish_to_visit_someones_home_is_still_their_place() -> None:
    assert found("Iolo said he wants to go to Nain's in Barry at Easter.") == [("Barry", "place")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a district no list knows, shaped like a place name, where a place stands
        ("Nanny Carol said she has stopped at Grimshader since the summer.", [("Grimshader", "place")]),
        ("Abdul has started driving for a firm in Sparkbrook.", [("Sparkbrook", "place")]),
        # where someone came to contact from, as the register writes it
        ("Mum arr 14:02 from Bentilee, said it's 2 buses.", [("Bentilee", "place")]),
        ("Dad arrived late from the Gurnos.", [("Gurnos", "place")]),
        # a wish to go back and live somewhere names a home, not an outing
        ("JJ said he wants to go back to Thamesmead and live with grandma.", [("Thamesmead", "place")]),
        # a chain's branch that someone works at is one site; the chain alone is one of hundreds
        ("Mum is on the tills at the Aldi in Wombwell.", [("Aldi", "institution"), ("Wombwell", "place")]),
        ("Mum is now working at the Co-op on Duke Street.", [("Co-op", "institution"), ("Duke Street", "address")]),
        ("Mum brought a cake from the Asda in Huyton.", [("Huyton", "place")]),  # a branch shopped at: its town only
        # a story's word far back in the sentence does not make a named institution a story
        ("Ayaan read his lesson from the madrasa at East London Mosque.", [("East London Mosque", "institution")]),
        ("Aarav wants to show Dad his new belt from Gurkha Taekwondo Academy.", [("Gurkha Taekwondo Academy", "institution")]),
        # the words of a trade before "at" or "for", and an attraction that is someone's work
        ("Mum is doing nails at Crossleys on Fridays.", [("Crossleys", "institution")]),
        ("Dad starts on the line at Aquila on Monday.", [("Aquila", "institution")]),
        ("Ellie got her yellow belt at Phoenix.", [("Phoenix", "institution")]),
        ("Ellie is in Reception at Hollybank.", [("Hollybank", "institution")]),
        ("Nan has been admitted to Aquila.", [("Aquila", "institution")]),
        ("Mum said she works at the Pleasure Beach in season.", [("Pleasure Beach", "institution")]),
        ("Dad has been moved to Morton Hall.", [("Morton Hall", "institution")]),
        ("Cian is doing well at St Kevin's PS.", [("St Kevin's PS", "institution")]),  # a primary school in Northern Ireland
        ("Dad said he is based at Shorncliffe Barracks.", [("Shorncliffe Barracks", "institution")]),
        ("Oisín showed Mum the book bag from Naíscoil an Chnoic.", [("Naíscoil an Chnoic", "institution")]),
        ("Zainab has been learning at madrasah at Masjid Umar.", [("Masjid Umar", "institution")]),
        ("Riley said he's playing scrum half for Aberdare Quins.", [("Aberdare Quins", "institution")]),
        ("Dad came off a night at Burgerbox.", [("Burgerbox", "institution")]),
        ("Ruby said she goes to Little Acorns.", [("Little Acorns", "institution")]),  # a name of everyday words and its own
        ("Cian has started Gaelic football with Lamh Dearg.", [("Lamh Dearg", "institution")]),
        ("Malachi told Mum he scored twice for Horfield Hawks on Sunday.", [("Horfield Hawks", "institution")]),
        ("Mum talked about West Bridgford, where she lives now.", [("West Bridgford", "place")]),
        ("Mum is now working at Rodda's on the packing line.", [("Rodda's", "institution")]),  # a firm by its owner's name
        ("Dad is back offshore with Petrofac.", [("Petrofac", "institution")]),
        ("Ava told Mum about her friends at Wester Hailes Early Years Centre.", [("Wester Hailes Early Years Centre", "institution")]),
        ("Eilidh wants to keep going to shinty at Glen Urquhart.", [("Glen Urquhart", "institution")]),
        ("Dad is on taxis with Sunrise Private Hire.", [("Sunrise Private Hire", "institution")]),
        ("Grandad is in Furness General after a fall.", [("Furness General", "institution")]),
        ("She is an HCA at Mount Gould now.", [("Mount Gould", "institution")]),  # a role in capitals
        ("Mum said Imam Qureshi will write a reference.", [("Imam Qureshi", "person")]),
        ("Nan goes to St Ives on Sundays.", [("St Ives", "place")]),  # a habit
        ("Mum has an interview at Greenline Packaging in Huthwaite on Monday.", [("Greenline Packaging", "institution"), ("Huthwaite", "place")]),
    ],
)
def test_r42_places_by_shape_arrivals_branches_and_institutions_past_a_story_word(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Priya did impressions of Miss Trunchbull.",  # a title: a person, not a place
        "Sumaiya has been Star of the Week in Kingfishers class.",  # a class
        "Osian told Mum he's in Blwyddyn 3 now.",  # a school year
        "Mum works at Tesco, nights.",  # a chain with no site
        "Mum arrived late from Poland.",  # a country
        "They watched High School Musical.",  # a story's word just before
        "Andrei said 'Mami, I was a real driver at Legoland!'",  # a day out, not a driver's work
        "Amari talked about wanting to play for Man City.",  # a wish
        "Rubina brought a box of Ferrero Rocher.",  # a product named like a person
        "Zion talked about Forest beating Villa and said Chris Wood is unstoppable.",  # a player, in talk of a match
        "They had a night at Center Parcs.",
        "Reece did a jigsaw of Wells Cathedral that Dad got him.",  # a picture of a place
        "Connor talked about Welcome to Wrexham.",  # a title
        "He goes to Big School in September.",  # a description
        "He said Salah scored twice for Liverpool.",  # a player's goals, told of
        "Frankie talked about West Ham and the cup.",  # a team talked about
        "Cadi asked to go to GreenWood Forest Park for her birthday.",  # a wish
        "Tyler brought his Paw Patrol Chase.",  # a toy, not a street
        "Mum is working at Kayleigh's this week. Talked about Shabbat dinners at Bubbe's.",  # someone's home
        "Mum found him a Wales rugby shirt in the sale at JD.",  # a sport's word, not just before the name
        "Dafydd talked about Wales v England and Gareth Bale.",  # a player, in talk of a match
        "Granda went to Portrush for the Open golf and saw Rory McIlroy.",
        "Nerys took Dylan to Oakwood and he went on Megafobia twice.",  # a count, not a habit
        "Mum asked how Logan's gecko Spike is getting on.",
        "Helen had taken Cerys to Folly Farm on the bank holiday.",
        "Tegan told Mum a seagull nicked her chips in St Ives on Sunday.",  # one day, once
        "Harry liked Mr Brown and thought Mr Curry was mean. Isaac showed his toy John Deere tractor.",
        "He told Mum about the British Grand Prix at Silverstone.",
        "Mum waited in reception at the contact centre.",
    ],
)
def test_r42_shapes_branches_and_arrivals_that_are_no_place(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the town of an institution just found, even in a sentence of going ("going to" is no outing there)
        ("Mum said she's going to groups at Meadowbank Recovery in Hillfields x3 a week.", [("Meadowbank Recovery", "institution"), ("Hillfields", "place")]),
        ("Dad said he's on the line at JLR in Castle Bromwich now.", [("JLR", "institution"), ("Castle Bromwich", "place")]),
        ("Mum still goes to Guru Har Rai in West Brom with Naniji every Sunday.", [("Guru Har Rai", "institution"), ("West Brom", "place")]),
        # where family are
        ("Shea said Granny is still in the Bogside and he wants to stay over.", [("Bogside", "place")]),
        ("Aoife said she'd like to live with Granny in Lurgan.", [("Lurgan", "place")]),  # a wish to live with family is their home
        ("Mum says she's moving into Ballycolman next month.", [("Ballycolman", "place")]),
        ("The family were resettled to Langlee last year.", [("Langlee", "place")]),
        ("Said he likes living with Sue out at St Mabyn cos there's a trampoline.", [("St Mabyn", "place")]),
        ("Mum has got a flat out Tile Hill now.", [("Tile Hill", "place")]),
        ("Hartcliffe's got nothing for kids, Mum said.", [("Hartcliffe", "place")]),  # what is said of a place, opening a sentence
        ("\"Bransholme's got the best chippy,\" Riley said.", [("Bransholme", "place")]),
        # what a child brings from school, a saint's name where someone is
        ("Kayden showed Mum his reading book from St Gregory's and they read it together x2.", [("St Gregory's", "institution")]),
        ("Jaspreet showed Mum her reading book from Uplands Manor, she's Year 2 now.", [("Uplands Manor", "institution")]),
        ("Mum wants him moved to St Malachy's next term.", [("St Malachy's", "institution")]),
        ("Mia showed him her certificate from Our Lady's.", [("Our Lady's", "institution")]),  # a parish's school
        ("Ciara told her she got star of the week at Holy Child PS.", [("Holy Child PS", "institution")]),
        ("Niamh said Mrs Mulholland at Holy Child gave her a star.", [("Mrs Mulholland", "person"), ("Holy Child", "institution")]),
        ("He said Dad is on the salmon cages with Hebridean Seafarms out of Leurbost now.", [("Hebridean Seafarms", "institution"), ("Leurbost", "place")]),
        ("Dad is back out on the rigs next month through Bravo Offshore.", [("Bravo Offshore", "institution")]),  # firms by their trade
        ("Nana has had a fall and has been in Jimmy's since Tuesday.", [("Jimmy's", "institution")]),  # a hospital's nickname
        ("Mum said she is now doing three days at Caffi Cwtch in Felinfoel.", [("Caffi Cwtch", "institution"), ("Felinfoel", "place")]),
        ("Grandma brought patties from Tasty Crust where she still does Saturdays.", [("Tasty Crust", "institution")]),
        ("Mum said Dr Nandakumar at James Cook wants to see Connor again.", [("Dr Nandakumar", "person"), ("James Cook", "institution")]),
        ("Kayden showed her his reading record from Napier.", [("Napier", "institution")]),
        # what institutions do to someone, the name opening a sentence or after "said"
        ("Leverndale discharged Mum Friday and she is back at hers.", [("Leverndale", "institution")]),
        ("Dad arr 10:05 and said Barlinnie let him out Tues.", [("Barlinnie", "institution")]),
        ("Kingston Halls have given her a room with its own kitchen.", [("Kingston Halls", "institution")]),
        ("Thomas Gray have put Zara in the top group for maths.", [("Thomas Gray", "institution")]),  # a plural verb: no person
        # a hospital by what someone is in it for, a workplace by the role
        ("Nanny is in George Eliot with her chest so did not attend.", [("George Eliot", "institution")]),
        ("Mum was an inpatient at Bushey Fields in the spring.", [("Bushey Fields", "institution")]),
        ("Mum is now a support worker at Balgeddie Court sheltered housing, days only.", [("Balgeddie Court", "institution")]),
        ("Dad is now labouring for J&R Scaffolding and was in his hi-vis.", [("J&R Scaffolding", "institution")]),
        ("Mum said she was kept in the Simpson's for three days after.", [("Simpson's", "institution")]),
        ("Birchwood Junior have said Leon can go back in.", [("Birchwood Junior", "institution")]),
        ("She's at Harbour for now and says the staff are good.", [("Harbour", "institution")]),  # somewhere with staff
        ("Grangetown's not safe for the kids, Mum said.", [("Grangetown", "place")]),
        ("Jayden said he's been picked for Swinton Comets U10s on Saturday.", [("Swinton Comets", "institution")]),  # the age group after
        ("James Cook's midwife has booked her 20 wk scan.", [("James Cook", "institution")]),  # a hospital by its staff
        ("He does maintenance at Fantasy Island.", [("Fantasy Island", "institution")]),  # an attraction that is someone's work
        ("Mum said Lincoln's miles better for her than where she was.", [("Lincoln", "place")]),  # a town that is a given name too
        ("Police called, PC Whalley attended and Dad left.", [("PC Whalley", "person")]),
        ("She's in a flat in Gaywood now, near the Queen Elizabeth where she does cleaning.", [("Gaywood", "place"), ("Queen Elizabeth", "institution")]),
        ("Hannah told Dad she got Star of the Week at Carr Green.", [("Carr Green", "institution")]),
        ("Grandad talked about his allotment in Carlton and promised Callum strawberries in June.", [("Carlton", "place")]),
        ("Tyler said his favourite teacher at Ysgol Bodhyfryd runs Minecraft club.", [("Ysgol Bodhyfryd", "institution")]),
        # a hospital's opening word is no first name, so the stranger after it is no name listed with a told one
        ("Mum was escorted by a nurse from the Royal Ed, Mr Kinnear, who waited in reception.", [("Mr Kinnear", "person")]),
        ("Dad is still doing evenings at Golden Fry in Sheerness.", [("Golden Fry", "institution"), ("Sheerness", "place")]),
        ("Mum had escorted leave from Mill View and a nurse stayed in the room.", [("Mill View", "institution")]),
        ("Maisie has got a part in the panto with Basingstoke Youth Theatre and rehearses twice a week.", [("Basingstoke Youth Theatre", "institution")]),
        # a workplace said to be one after its name, and by its trade
        ("Dad arr still in his uniform from Royal Stoke, he's a porter there.", [("Royal Stoke", "institution")]),
        ("Mum said she does housekeeping at the Seacrest Hotel on the seafront.", [("Seacrest Hotel", "institution")]),
        ("He asked to go back to Easton Jamia for Quran class.", [("Easton Jamia", "institution")]),
        # a pastor's church is named by the pastor; a new fella is a partner
        ("Kwame asked if he can still go to Pastor Owusu's church with Mum on Sundays.", [("Pastor Owusu", "person")]),
        ("Riley told Dad that Mum's new fella Shane Pullin 'shouts at the dog'.", [("Shane Pullin", "person")]),
    ],
)
def test_r42_towns_of_institutions_where_family_are_and_what_comes_from_school(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dad is in the Army now.",  # a service, not a district
        "Keira told Mum she's in P4 now.",  # a class
        "Nan is in Benidorm on holiday.",
        "Contact was a day out at the aquarium then the steamer over to Bowness, agreed with SW as a one-off.",
        "Day trip contact. Mum, Niall and CSW got the train along the coast to Portrush and the bus out.",  # the note is an outing
        "Mum took the cousins to see the Belgrave Road lights in Leicester.",  # an event named after its street
        "Craig is back on earlies at Warburtons.",  # a national firm
        "Her new partner drives for Eddie Stobart and is away a lot.",  # a firm named after a person
        "For her birthday contact was at Mrs Dowson's Ice Cream Parlour.",  # a business named after someone
        "Eoghan told Dad about the lambs and the new John Deere.",  # a thing, not a person
        "Ruby read a book from the library.",
        "They went to Holy Communion.",
        "Osian showed Dad his certificate from the Eisteddfod, 2nd place.",  # a contest, not a school
        "They visited Middleport Pottery for the day.",  # an institution named like a person, visited once
        "Mum visited Lily-Mae Pottery.",  # the same after a double-barrelled first name (this once looped for ever)
        "Kayden's got a new bike. Jaxon's got nothing to do. Minecraft's got a new park. Tesco's got nothing in.",
        "Yusuf was wearing his Sutton Coldfield United kit.",  # a team's kit
        "Mum brought patties from Tasty Crust and Dad brought pasties from Warrens.",  # shops, not a journey's start
        "Mum mentioned Universal Credit still hasn't paid.",
        "Mum said Kyle let him out of the car. Nan discharged herself.",  # a person, singular
        "Community contact at the Black Country Living Museum, one-off trip.",  # "Living" names the museum
        "Played Monopoly Junior, Tommy won. Grace said Tess Daly's dress was the best.",
        "Mum said Chester's got a new bike.",  # a given name that is a town too, with nothing said of a place
        "Dad talked about growing up in Sierra Leone. They went to PC World.",  # a country, a shop
        "Ruby said Dreamland at Margate was better than the beach. Jollibee in London was the best chicken ever.",  # verdicts on visits
        "Mum promised to take her to see Matilda in the West End for her birthday in May.",  # a date to come
    ],
)
def test_r42_services_classes_outings_events_firms_and_things_are_no_place_or_person(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Holly should come to Portman Road for a game one day.",  # a ground (grounds.txt), talked of with a match
        "Ethan said Tigers are the best team and he wants to watch them at Welford Road one day.",
        "He wants a Plymouth Argyle shirt and to see them play at Home Park.",
        "Jessica sent Connor to Coventry for 10 mins after he hid her Lego.",  # an idiom
        "Grandad is West Ham and Dad is Millwall so lots of banter.",  # teams named after their place
        "Finley said \"It's cream first, that's the Devon way.\"",  # a manner, not a whereabouts
        "One-off contact to the panto at the King's Theatre, Cinderella, matinee 14:00.",
        "Mum asked if Tobi could come to church with her for Harvest Sunday.",  # a festival
        "He wants a hurley and helmet for his birthday.",  # a thing, though Hurley is a known surname
        "Isla said the Balloon Fiesta at Ashton Court was the best day ever.",  # an event's site, not a street
        "They watched a clip of the Golden Temple on YouTube.",
        "Jayden said he saw the lion dancers under the big arch in Chinatown with Pat on Sunday.",  # one day, once
        "Frankie talked about West Ham and Jarrod Bowen. Mum filled her in on Phil Mitchell.",  # players and soap characters
        "Jack said next year he wants to be Miles Morales. He loved Aslan and Mr Tumnus.",
        "Mali told Mam that Mistar Urdd came to visit her class.",
    ],
)
def test_r42_grounds_idioms_teams_festivals_and_characters_are_no_place_or_person(text: str) -> None:
    people = [*PEOPLE, KnownPerson("Seamus", "Hurley", "grandparent")]
    assert found(text, people) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mum lives on Portman Road.", [("Portman Road", "address")]),  # a ground's street, where someone lives
        ("Dad works at Villa Park on match days.", [("Villa Park", "institution")]),  # a ground where someone works
        ("Nan lives in West Ham.", [("West Ham", "place")]),
        ("She lives somewhere Hucknall way.", [("Hucknall", "place")]),
        ("Mum has an interview at Greenline Packaging in Huthwaite on Monday.", [("Greenline Packaging", "institution"), ("Huthwaite", "place")]),
    ],
)
def test_r42_grounds_teams_and_days_name_a_place_where_someone_lives_or_works(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_r42_an_institution_named_like_a_street_is_the_institution_at_every_mention() -> None:
    text = "Mum had escorted leave from Mill View and a nurse stayed. Mum said Mill View have started her on a new group."
    assert found(text) == [("Mill View", "institution"), ("Mill View", "institution")]
    assert found("Mum lives on Mill View. Dad said Mill View is quiet.") == [("Mill View", "address"), ("Mill View", "address")]
    assert found("Yusuf was wearing his Bethnal Green United kit.", [KnownPerson("Yusuf", "Rahman", "child")]) == []  # a team


def test_r42_an_outing_note_still_names_where_someone_lives() -> None:
    assert found("Day trip contact. Mum said she has moved to Portrush.") == [("Portrush", "place")]


def test_r42_where_a_child_arrives_from_is_school_and_where_a_parent_arrives_from_their_area() -> None:
    people = [*PEOPLE, KnownPerson("Poppy", "Whitfield", "sibling")]
    assert found("Poppy arr from Little Acorns with her painting still wet. Mum arr 14:02 from Bentilee.", people) == [
        ("Little Acorns", "institution"), ("Bentilee", "place"),
    ]
    assert found("Mum brought Poppy straight from Tiny Steps.", people) == [("Tiny Steps", "institution")]


def test_r42_two_word_institutions_suggest_their_own_description() -> None:
    findings = check({"observations": "Nan goes to Oakwood Day Centre. Dad is at the Phoenix drop in. Ava is at Leith Early Years Centre."}, PEOPLE)
    assert [(f.text, f.suggestion) for f in findings] == [
        ("Oakwood Day Centre", "the day centre"), ("Phoenix drop in", "the drop-in"), ("Leith Early Years Centre", "nursery"),
    ]


def test_r42_where_a_child_is_at_is_school() -> None:
    people = [*PEOPLE, KnownPerson("Oisín", "Doherty", "sibling")]
    assert found("Amelia is at Thoresby and brought her reading book. Oisín's at Steelstown now.", people) == [
        ("Thoresby", "institution"), ("Steelstown", "institution"),
    ]
    assert found("Kemi is at Thoresby now. Amelia is at Nan's.", people) == [("Thoresby", "place")]  # a parent's is a place


def test_r42_a_title_makes_an_everyday_word_a_strangers_surname_but_not_a_brand() -> None:
    assert found("Mr White is her teacher. Mrs Hall said hi.") == [("Mr White", "person"), ("Mrs Hall", "person")]
    assert found("Dad brought a Mr Kipling cake and a white coat.") == []
    # someone played with is a person, whatever word of play stands before
    assert found("Kai played football with Tyler Jones.") == [("Tyler Jones", "person")]
    # the words of a match make a player's name talk of sport, not a coach's title
    assert found("Jayden said he scored twice on Sunday and Mr Kershaw made him captain.") == [("Mr Kershaw", "person")]


def test_r42_one_part_of_a_double_surname_after_a_first_name_or_title_is_the_known_name() -> None:
    people = [KnownPerson("Kayleigh", "O'Sullivan-Hughes", "mum"), KnownPerson("Grace", "Oyelaran Smith", "sibling"), KnownPerson("Denise", "McAllister", "foster_carer")]
    assert found("Mrs O'Sullivan rang. Kayleigh Hughes arr 10:00. Ms Oyelaran came with Denise MacAllister.", people) == [
        ("Mrs O'Sullivan", "name"), ("Kayleigh Hughes", "name"), ("Ms Oyelaran", "name"), ("Denise MacAllister", "name"),
    ]
    assert found("Hughes and Smith played Uno.", people) == []  # a part alone is anyone's


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Mum said it was Dean Catterall from housing.", "Dean Catterall"),  # unlisted names, introduced after
        ("Mum said Gavin Stothard keeps messaging her.", "Gavin Stothard"),
        ("Mum said that Tariq Mahmood had been round her flat.", "Tariq Mahmood"),
        ("Mum said Dale has moved in with Kayla Mottram.", "Kayla Mottram"),
        ("Jasleen said Miss Atwal is her fave teacher.", "Miss Atwal"),  # a role outweighs "fave"
        ("She said her teacher there, Mrs Zielińska, gave her a sticker.", "Mrs Zielińska"),
        ("He likes his school and said that Mrs Lee, the education worker, helps him.", "Mrs Lee"),  # "that" is no determiner
        ("He said Father Ionescu gave him a little icon.", "Father Ionescu"),
        ("Kacper said Pani Zielińska says his writing is messy.", "Pani Zielińska"),
        ("Dad said he's labouring for Pádraig Ó Conchúir, a builder.", "Pádraig Ó Conchúir"),  # a particle
        ("A friend, who gave her name as Stacey-Ann Booth, walked in.", "Stacey-Ann Booth"),
    ],
)
def test_r42_strangers_introduced_after_the_name_by_role_or_by_title(text: str, person: str) -> None:
    finding = one(text)
    assert (finding.text, finding.kind) == (person, "person")


@pytest.mark.parametrize(
    "text",
    [
        "Dad is a big fan of Shakib Al Hasan.",
        "Oliwia said Pani Zofia says hi to Dad.",  # a title before a first name
    ],
)
def test_r42_a_fan_of_a_player_and_a_title_before_a_first_name_are_not_strangers(text: str) -> None:
    assert found(text) == []


def test_r42_a_known_persons_name_wins_over_a_stranger() -> None:
    finding = one("Grace Okafor came.")  # Okafor is mum's surname: the name rule, not a stranger
    assert (finding.text, finding.kind, finding.suggestion) == ("Okafor", "name", "mum")
    assert found("Kemi Okafor came.") == [("Kemi Okafor", "name")]


def test_r42_the_new_rules_stay_off_where_address_patterns_are_off() -> None:
    """A calendar location is a place (R-82): the address, place, institution and stranger
    patterns are all off; known names are still found."""
    text = "Greenwood Primary School field, Arnold Lodge rehab, in Hucknall, with Gary Hargreaves and Kemi Okafor"
    findings = check({"location": text}, PEOPLE, address_patterns=False)
    assert [(f.text, f.kind) for f in findings] == [("Kemi Okafor", "name")]


def test_r42_a_deployments_own_place_names_are_found_anywhere(tmp_path, monkeypatch) -> None:
    names = tmp_path / "places.txt"
    names.write_text("# our estates\nThe Meadows\nBestwood Estate\n\nClifton Grove\n", encoding="utf-8")
    monkeypatch.setenv("PLACE_NAMES_FILE", str(names))
    gazetteer.reset()
    try:
        assert found("Mum has a flat on Bestwood Estate and Nan likes The Meadows.") == [("Bestwood Estate", "place"), ("The Meadows", "place")]
    finally:
        monkeypatch.delenv("PLACE_NAMES_FILE")
        gazetteer.reset()
    assert found("Nan likes The Meadows.") == []


def test_r42_the_gazetteer_has_gb_towns_villages_and_districts_with_population() -> None:
    data = gazetteer.load()
    assert len(data.places) > 5000 and len(data.given_names) > 10_000
    assert data.places["nottingham"] > 200_000 and data.places["hucknall"] > 20_000
    assert {"kirkby in ashfield", "west bridgford", "st albans", "kings lynn"} <= set(data.places)
    assert {"gary", "lacey", "agnieszka", "grace"} <= data.given_names and "will" not in data.given_names
    assert len(data.surnames) > 10_000 and {"bennett", "hargreaves", "walsh"} <= data.surnames
    assert "sonic" not in data.surnames and "the" not in data.surnames
    assert gazetteer.normal("Ynys Môn") == "ynys mon" and gazetteer.normal("King's Lynn") == "kings lynn"


def test_r42_place_name_shapes_learnt_from_the_lists_tell_districts_from_names_and_brands() -> None:
    """`shape.learn` (GeoNames places against Faker's names and words) rates districts that no
    list has above the bar, and names, brands and games below it."""
    shapes = gazetteer.load().shapes
    assert not {"seacroft", "sparkbrook", "penygraig", "drumchapel", "gipton"} & set(gazetteer.load().places)
    for district in ("seacroft", "sparkbrook", "penygraig", "drumchapel", "gipton"):
        assert shape.placelike(district, shapes) > shape.PLACELIKE, district
    for other in ("okafor", "haribo", "kofola", "mario", "ronaldo", "jollibee", "peppa", "lowri"):
        assert shape.placelike(other, shapes) < shape.PLACELIKE, other
    assert shape.placelike("hoy", shapes) == shape.placelike("k-pop", shapes) == 0.0  # too short, or not all letters


# --- postcodes -----------------------------------------------------------------------


@pytest.mark.parametrize("postcode", ["NG5 6AB", "ng56ab", "SW1A 1AA", "M1 1AE", "B33 8TH", "ng7  2rd", "w1a 0ax", "EC1A 1BB", "DN55 1PT"])
def test_r42_postcode_in_any_case_and_spacing(postcode: str) -> None:
    finding = one(f"postcode is {postcode}.")
    assert (finding.text, finding.kind, finding.suggestion) == (postcode, "postcode", "[postcode removed]")


def test_r42_address_and_postcode_are_separate_findings() -> None:
    assert found("14 Elm Road, NG5 6AB") == [("14 Elm Road", "address"), ("NG5 6AB", "postcode")]


def test_r42_times_and_codes_are_not_postcodes() -> None:
    assert found("at 2pm, a1 2pm, room B2 3am, size 10 2pm, NG5 on its own") == []


# --- shape ---------------------------------------------------------------------------


def test_r42_findings_ordered_by_field_then_start_and_empty_fields_skipped() -> None:
    findings = check({"z": "Okafor then NG5 6AB", "a": "Flat 2", "m": None, "e": ""}, PEOPLE)
    assert [(f.field, f.start, f.kind) for f in findings] == [("a", 0, "address"), ("z", 0, "name"), ("z", 12, "postcode")]
    text = "Okafor then NG5 6AB"
    assert all(text[f.start : f.end] == f.text for f in findings if f.field == "z")


def test_r42_long_field_of_repeated_text_is_checked_in_one_pass() -> None:
    """Patterns are simple (no nested unbounded repetition), so this is quick; nothing is
    asserted about time, only that every repeat is found."""
    unit = "Mum and Amelia walked 2 miles down the road, past 14 Elm Road NG5 6AB, Kemi Okafor. "
    text = (unit * (20_000 // len(unit) + 1))[:20_000]
    repeats = text.count(unit)
    kinds = Counter(f.kind for f in check({"a": text}, PEOPLE))
    assert kinds["address"] >= repeats and kinds["postcode"] >= repeats and kinds["name"] >= repeats


# Pieces of text around known names: the names in the ways a note writes them, and what stands
# between words, including what `_NameRules` may stop a search at (",", "(", ":") and what it must
# not ("." of a title or an initial, hyphens, apostrophes, line breaks, digits).
_NAME_BITS = [
    "Amelia", "amelia", "Whitfield", "WHITFIELD", "Whitfields", "whitfield", "Darren", "W", "W.", "A.", "D", "Mrs", "Mr.", "Dr", "Kemi",
    "Okafor", "Okafors", "Siobhan", "O'Brien", "O Brien", "OBrien", "Zofia", "Smith-Jones", "Smith", "Jones", "Nowak", "Nowakowa",
    "Ngozi", "Eze", "Liam", "Green", "green", "Jayden", "Pryce", " ", "  ", "\n", ". ", ", ", "!", "(", ")", ":", "-", " - ", "'", "’",
    "s", "es", "2", "_", "and", "said", "the", "a", "coat", "toast", "ß", "İ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NAME_BITS), max_size=40))
def test_r42_known_names_sought_around_their_letters_are_those_a_whole_text_search_finds(bits: list[str]) -> None:
    """Each known name's pattern runs only through the stretches around where its letters
    are, between characters no name holds; that finds what a search of the whole text finds."""
    rules = _NameRules(PEOPLE)
    text = "".join(bits)
    assert rules.pieces(text) == rules.pieces(text, windowed=False)


# --- corpus --------------------------------------------------------------------------


def _spans(text: str, wanted: list[dict[str, str]]) -> list[tuple[int, int]]:
    """Where each expected text occurs in its field (case-insensitive, any white space):
    longest labels first, each at its first occurrence that no other label has taken."""
    spans: dict[int, tuple[int, int]] = {}
    for index in sorted(range(len(wanted)), key=lambda i: -len(wanted[i]["text"])):
        item = wanted[index]
        pattern = r"\s+".join(re.escape(part) for part in item["text"].split())
        free = [
            (m.start(), m.end())
            for m in re.finditer(pattern, text, re.IGNORECASE)
            if not any(m.start() < end and start < m.end() for start, end in spans.values())
        ]
        assert free, f"corpus label {item['text']!r} not in {text!r}"
        spans[index] = free[0]
    return [spans[i] for i in range(len(wanted))]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Score:
    """Counts of one scoring run over labelled notes, by kind."""

    expected: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)  # found and expected (same field, kind, span)
    clean_notes: int = 0
    clean_notes_alarmed: int = 0  # notes with nothing to find that got a finding anyway
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    def figures(self, kinds: list[str]) -> tuple[float, float, int, int, int]:
        """precision, recall, expected, found, false"""
        e = sum(self.expected[k] for k in kinds)
        f = sum(self.found[k] for k in kinds)
        h = sum(self.hits[k] for k in kinds)
        return (h / f if f else 1.0), (h / e if e else 1.0), e, f, f - h

    def clean_alarm_rate(self) -> float:
        return self.clean_notes_alarmed / self.clean_notes if self.clean_notes else 0.0

    def print(self, title: str, kinds: list[str]) -> None:
        print(f"\n{title}")
        for kind in [*kinds, "overall"]:
            precision, recall, e, f, fp = self.figures(kinds if kind == "overall" else [kind])
            print(f"  {kind:11} expected {e:4}  found {f:4}  false {fp:3}  precision {precision:.3f}  recall {recall:.3f}")
        print(f"  clean notes {self.clean_notes}, with a false alarm {self.clean_notes_alarmed} ({self.clean_alarm_rate():.1%})")


def _score(rows: list[dict], kinds: list[str]) -> Score:
    """Scores `check` over labelled notes. Only findings of `kinds` count: a corpus scores
    the kinds it labels."""
    score = Score()
    for number, row in enumerate(rows, 1):
        people = [KnownPerson(**p) for p in row["people"]]
        findings = [f for f in check(row["fields"], people) if f.kind in kinds]
        labels = []
        for name, text in row["fields"].items():
            wanted = [e for e in row["expected"] if e["field"] == name]
            labels.extend((name, e["kind"], _norm(e["text"]), span) for e, span in zip(wanted, _spans(text, wanted), strict=True))
        used: set[int] = set()
        for name, kind, norm, (start, end) in labels:
            score.expected[kind] += 1
            for i, f in enumerate(findings):
                if i not in used and f.field == name and f.kind == kind and (_norm(f.text) == norm or (f.start < end and start < f.end)):
                    used.add(i)
                    score.hits[kind] += 1
                    break
            else:
                score.misses.append(f"row {number} {name}: {kind} {norm!r}")
        for i, f in enumerate(findings):
            score.found[f.kind] += 1
            if i not in used:
                score.alarms.append(f"row {number} {f.field}: {f.kind} {f.text!r}")
        if not row["expected"]:
            score.clean_notes += 1
            score.clean_notes_alarmed += bool(findings)
    return score


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


OLD_KINDS = ["name", "address", "postcode"]


def test_r42_corpus_precision_and_recall() -> None:
    """The first corpus labels names, addresses and postcodes only: findings of the newer
    kinds (place, institution, person) are listed apart, not scored, except that a note
    with nothing to find must get no finding of any kind."""
    rows = _rows(CORPUS)
    assert len(rows) >= 120
    score = _score(rows, OLD_KINDS)
    score.print(f"R-42 corpus: {len(rows)} notes", OLD_KINDS)
    for line in score.misses:
        print("  missed:", line)
    for line in score.alarms:
        print("  false alarm:", line)
    newer = _score(rows, ["place", "institution", "person"])
    for line in newer.alarms:
        print("  not labelled in this corpus:", line)

    assert score.figures(["name"])[1] == 1.0
    assert score.figures(["postcode"])[1] == 1.0
    assert score.figures(["address"])[1] >= 0.95
    _, _, _, total_found, false_alarms = score.figures(OLD_KINDS)
    assert false_alarms / total_found <= 0.02
    assert newer.clean_notes_alarmed == 0


PLACES_KINDS = ["name", "postcode", "address", "place", "institution", "person"]


def test_r42_places_corpus_precision_and_recall_per_split_and_kind() -> None:
    """Issue 17: places, institutions and strangers over `corpus_places.jsonl`, scored per
    split. The rules were tuned on the dev split only; the held-out split (2,790 notes, over a
    third of the file, written by forty-eight writers who never saw the rules) is scored here and nowhere
    else, and only its figures are printed, never its notes. Held out: place 0.929, institution
    0.910, person 0.944, known names and postcodes 1.0, clean-note false alarms 1.8% (23 of 1,284);
    dev (4,838): place 0.960, institution 0.939, person 0.971, 0.5%."""
    rows = _rows(PLACES_CORPUS)
    dev = [row for row in rows if row["split"] == "dev"]
    heldout = [row for row in rows if row["split"] == "heldout"]
    assert dev and heldout and len(dev) + len(heldout) == len(rows)
    scores = {"dev": _score(dev, PLACES_KINDS), "heldout": _score(heldout, PLACES_KINDS)}
    for split, score in scores.items():
        score.print(f"R-42 places corpus, {split} split: {len(dev if split == 'dev' else heldout)} notes", PLACES_KINDS)
    for line in scores["dev"].misses:
        print("  dev missed:", line)
    for line in scores["dev"].alarms:
        print("  dev false alarm:", line)

    held = scores["heldout"]
    for kind in ("place", "person", "institution"):
        assert held.figures([kind])[1] >= 0.9, f"held-out recall of {kind}"
    for kind in ("name", "postcode"):
        assert held.figures([kind])[1] == 1.0, f"held-out recall of {kind}"
    assert held.clean_alarm_rate() <= 0.02, "held-out false alarms on clean notes"


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Ailsa said Mrs NicDhòmhnaill lets her feed the fish.", "Mrs NicDhòmhnaill"),  # a Gaelic surname's inner capital
        ("Dad said Mr McAteer rang him.", "Mr McAteer"),
        ("Mum's new fella Gianluca DeLuca picked her up.", "Gianluca DeLuca"),
    ],
)
def test_r42_inner_capitals_make_a_surname_only_after_a_surname_prefix(text: str, person: str) -> None:
    """"FaceTimed" and "YouTube" are no surnames ("Tita Joy FaceTimed from the Philippines");
    "McAteer", "NicDhòmhnaill" and "DeLuca" are."""
    assert [(f.text, f.kind) for f in check({"observations": text}, PEOPLE) if f.kind == "person"] == [(person, "person")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a club by what a child brings from it, or does with it
        ("Ava showed Dad her swimming badges from Stranraer Otters.", [("Stranraer Otters", "institution")]),
        ("Kai does athletics with Birchfield Harriers on Tuesdays.", [("Birchfield Harriers", "institution")]),
        ("Jayden said he wants to keep playing for Stanway Pumas.", [("Stanway Pumas", "institution")]),
        # a place of worship named after its town and a team word is no team
        ("Ruben said he misses cheder at Cardiff United Synagogue.", [("Cardiff United Synagogue", "institution")]),
        ("Mum said she's been at Inverclyde Women's Aid three weeks.", [("Inverclyde Women's Aid", "institution")]),
        ("Dad said he is on step 4 with Burton Addiction Centre.", [("Burton Addiction Centre", "institution")]),
        # firms by their trade, with a capital; a business named between commas after where it is
        ("Dad is driving for a local taxi firm, Mill Hill Cars, most nights.", [("Mill Hill Cars", "institution")]),
        ("Mum said she's been signed off from Barony Meats since her op.", [("Barony Meats", "institution")]),
        ("Mum has a job at a chippy in Ilfracombe, the Golden Plaice, from May.", [("Ilfracombe", "place"), ("Golden Plaice", "institution")]),
        ("Dad said he is a welder at Heerema on the docks.", [("Heerema", "institution")]),
        ("Dad is doing the season at Fantasy Island on the rides.", [("Fantasy Island", "institution")]),
        ("Dad is based at RAF Cranwell now.", [("RAF Cranwell", "institution")]),
        ("Mum arr 15:30 with Khadar after he finished at Fitzalan High.", [("Fitzalan High", "institution")]),
        # a place talked of after "said", shaped like a place
        ("Mum said Cobholm's got damp in every room.", [("Cobholm", "place")]),
    ],
)
def test_r42_clubs_by_their_things_firms_by_their_trade_and_places_talked_of(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He and Mason raced Hot Wheels cars down the ramp.",  # a trade word written small is a thing
        "Marlon brought a Bristol Rovers programme from the weekend.",  # a town's team
        "Gethin had his daffodil badge from St David's Day.",  # a saint's day
        "Mum asked for his hair to be kept short for the Communion photos.",
        "Dad said Kyle's got a new bike. Mum said Liam's got her phone.",  # given names
        "She lives out there with Tia Rosa and her cousins.",  # an aunt in Portuguese
        "Thomas wanted the Paddington clip where he gets lost in London.",  # a film's place
        "She walked up West High to the shops.",  # a compass word and "High" name no school
    ],
)
def test_r42_trade_words_small_teams_saints_days_rites_and_kin_are_no_institution_or_person(text: str) -> None:
    assert found(text) == []


def test_r42_a_known_surname_that_is_a_common_word_counts_alone_only_with_a_capital() -> None:
    """The thousand commonest words, not only the listed surnames: "the minibus picks her up"
    names no one in a family called Pick."""
    people = [KnownPerson("Joanne", "Pick", "foster_carer"), KnownPerson("Oliwia", "Kowalczyk", "child")]
    text = "The work minibus picks her up at 5. Pick came late. Mrs pick rang."
    assert [(f.text, f.kind) for f in check({"o": text}, people)] == [("Pick", "name"), ("Mrs pick", "name")]


@pytest.mark.parametrize(
    "text",
    [
        "Played FC 24 on the Xbox. Played Junior Scrabble after.",  # games after the verb opening a sentence
        "Talked about Birmingham City and Jude Bellingham playing for Real Madrid.",  # a famous player's team
        "Mum told him the story of Finn McCool and the giant.",
        "On the way back they stopped in Aviemore for a hot chocolate.",  # a stop on a journey
        "Dad mentioned a day out and fish and chips at Bridlington in the summer hols.",
        "Ellie got the Squirrel Club sticker.",  # a television club's sticker
        "Talked about Brooke's Brownies sleepover.",  # a child's own group
        "Lunch in the cafe, Fruit Shoot and a cheese sandwich.",  # a list, not a business named
        "One-off trip with Mum to the Fringe and then Princes Street Gardens.",  # a street on an outing
        "Jago wants to be a lifeguard like on Bondi Rescue. Harry wants to be a zookeeper like the ones on Animal Park.",
        "Llew wants to go up Snowdon on the train.",  # a mountain climbed
    ],
)
def test_r42_games_famous_teams_stories_stops_on_a_journey_television_and_mountains_name_no_one(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Community contact at Greenwich Park as agreed. Trip to Hampton Court as agreed.",  # the contact's own venue
        "Contact at Ruislip Lido, rode the little train. Community contact at Kew Gardens.",
        "Mum said they used to go to the Algarve every summer.",  # a holiday every year is no regular place
        "Poppy told Mum Dracula is set in Whitby.",  # a story's setting
        "Harley did karaoke to Mr Brightside.",
        "Taught Dev a few garba steps to Bollywood songs.",
        "Bought Dairy Milk from the machine. Played Street Fighter on the Switch.",  # verbs opening sentences
        "Zana came last on Rainbow Road again.",  # Mario Kart's track, named or not
        "Ffion told Mum about helping with lambing at FC's.",  # the foster carer's
        "Mum said she's off from work today.",
    ],
)
def test_r42_the_contacts_venue_holidays_settings_songs_and_the_foster_carers_name_no_place(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mum is back up the Gurnos with nanna. Nan said she's still up Blaenymaes.", [("Gurnos", "place"), ("Blaenymaes", "place")]),
        ("Dad said he's signed off from the Dockyard with his back.", [("Dockyard", "institution")]),
        ("Morgan told Dad about Yr 4 at Treloweth.", [("Treloweth", "institution")]),
        ("Dad is a KP at the Ubiquitous Chip.", [("Ubiquitous Chip", "institution")]),
        ("Kayden showed Mum his star of the week cert from Four Dwellings.", [("Four Dwellings", "institution")]),
        ("Contact at Nan's in Hucknall as agreed.", [("Hucknall", "place")]),  # a home is no venue
    ],
)
def test_r42_still_up_an_estate_signed_off_from_work_a_school_year_and_a_trade(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Video call to Dadi in Pakistan on WhatsApp.",  # a country, and what the call was on
        "Shared Kendal Mint Cake. Mum brought Mr Kipling French Fancies and Midsomer Murders gives him nightmares.",
        "Dad brought a Dr Oetker pizza and a can of Dr Pepper. Mum got them Mr Whippys.",  # brands
        "Lily-Mae showed Mum photos from the caravan week in Rhyl. Millie talked about the weekend in Llandudno.",
        "Harvey told Dad about seeing the Illuminations in Blackpool.",  # an event
        "Moved to Lighthouse Room 10:15.",  # the centre's own room
        "Mason wants tickets for a Newcastle home game.",
        "Likes Cubs and is getting a swimming badge.",
        "He showed her his house on Brookhaven in Roblox.",  # a game's world
        "Harrison is moving up to Stage 5 in swimming.",
        "Dad asked to take her to see The Lion King in the West End at Christmas.",  # a date to come
        "Photos taken with consent for Poppy-Mae's life story book.",
    ],
)
def test_r42_calls_brands_holidays_events_rooms_games_and_levels_name_no_place_or_person(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dad said he has been taken on at Gunton Hall doing maintenance.", [("Gunton Hall", "institution")]),
        ("Dad arr 14:00, home on his two weeks off from Sullom Voe.", [("Sullom Voe", "institution")]),
        ("Calum is doing his Highers at the Nicolson Institute.", [("Nicolson Institute", "institution")]),
        ("Callum is doing well at Bunsgoil Ghàidhlig Ghlaschu.", [("Bunsgoil Ghàidhlig Ghlaschu", "institution")]),
        ("Mum is stopping at Ayeeyo's in Hulme for now.", [("Hulme", "place")]),  # a Somali grandmother's home, no place itself
    ],
)
def test_r42_taken_on_at_work_weeks_off_from_it_institutes_and_gaelic_schools(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tyler wants EA FC for his birthday. Ava told M FC took her to see the deer.",  # a game; Mum and the foster carer
        "Grandad brought a Chelsea programme and talked about Cole Palmer and Brian Lara.",
        "D showed a video of fire jumping back home in Kurdistan. Grace asked about her cousins in America.",
        "Asked if they can go to church together at Fasika like before.",  # Ethiopian Easter
        "They climbed Catbells and looked down on Derwentwater.",
        "Noah moved all the Schleich cows into the field.",  # toys
        "He saw Jemima Puddle-Duck and Mrs Tiggy-winkle.",
        "Babcia video called from Poland on Mum's phone.",  # a country, and the phone it was on
        "Esi danced to Stonebwoy on Grandma's phone.",  # music
        "Sang Ride a Cock Horse to Banbury Cross on Dad's knee.",  # a song's words
        "Mum said she used to watch Byker Grove at his age.",  # a programme
        "Ollie wants to go back to Center Parcs like last year.",  # an attraction, wished back
    ],
)
def test_r42_games_programmes_homelands_festivals_lakes_toys_songs_and_shows_name_no_place(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mason said he wants to go back to Flamborough with Mum.", [("Flamborough", "place")]),  # a town wished back is home
        ("Ishaq misses his cousins in Bradford.", [("Bradford", "place")]),  # kin in the plural
        ("Granny rang from Lurgan on Mum's phone.", [("Lurgan", "place")]),
        ("Mum has a worker from Harbour now.", [("Harbour", "institution")]),
        ("Mum said she works at the Jade Garden takeaway.", [("Jade Garden takeaway", "institution")]),
        ("Nan goes to the Women's Institute in Ripon.", [("Women's Institute", "institution"), ("Ripon", "place")]),
    ],
)
def test_r42_a_town_wished_back_cousins_a_call_from_home_a_worker_from_a_service_and_a_takeaway(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Alfie asked if 62 West Wallaby Street is a real house. Ruby wants to live on Mossy Bottom Farm.",  # stories' places
        "Nan and Mum chatted about the cobbles in Weatherfield.",
        "Dadi is staying in Azad Kashmir with her brother. Mum told him about Nani's house in Gujarat.",  # regions abroad
        "Bought cola cubes from the sweet shop, Ellie-Mae loved the old desks.",  # a child after a shop, not its name
        "Special contact for her birthday, day out to the Lakes. Boat from Bowness to Lakeside.",  # a note about an outing
        "Eilidh spoke Gaelic with Seanair and Mum.",  # a grandfather in Gaelic
    ],
)
def test_r42_stories_regions_abroad_a_child_after_a_shop_an_outing_and_kin_in_gaelic_name_no_one(text: str) -> None:
    assert found(text) == []
