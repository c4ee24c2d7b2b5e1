from __future__ import annotations

import pytest

from summaries.clean import derive_title, strip_attribution, strip_dateline


@pytest.mark.parametrize(
    ("text", "place", "agency", "rest"),
    [
        ("BAKU, Azerbaijan, February 25. The Congress met.", "BAKU, Azerbaijan", "", "The Congress met."),
        ("RIVERTON, Oregon, Feb. 24 (Valley Wire) - The city voted.", "RIVERTON, Oregon", "Valley Wire", "The city voted."),
        ("BERLIN, 24. Februar. Der Senat tagte.", "BERLIN", "", "Der Senat tagte."),
        ("КАЗАНЬ, 25 февраля. Власти города заявили.", "КАЗАНЬ", "", "Власти города заявили."),
        ("ST. JOHN'S, Newfoundland (AP) — Boats returned.", "ST. JOHN'S, Newfoundland", "AP", "Boats returned."),
        ("WASHINGTON — The Senate voted.", "WASHINGTON", "", "The Senate voted."),
        ("PARIS, Feb. 24, 2026 - A strike began.", "PARIS", "", "A strike began."),
        ("LONDON (Reuters) - Britain said so.", "LONDON", "Reuters", "Britain said so."),
    ],
)
def test_datelines_become_the_place(text: str, place: str, agency: str, rest: str) -> None:
    body, dateline = strip_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.agency, body) == (place, agency, rest)


@pytest.mark.parametrize(
    "text",
    [
        "The city council met on Monday. It voted.",
        "U.S. officials said on Friday. Nothing more.",
        "NASA said on Monday that the launch slipped.",
        "",
    ],
)
def test_text_without_dateline_is_kept(text: str) -> None:
    body, dateline = strip_dateline(text)
    assert dateline is None
    assert body == text.strip()


def test_attribution_is_removed_from_the_lead() -> None:
    text, agency = strip_attribution("A statement was adopted, Trend reports. It was read.")
    assert (text, agency) == ("A statement was adopted. It was read.", "Trend")
    unchanged = "The minister spoke, the paper said. More."
    assert strip_attribution(unchanged) == (unchanged, "")


def test_long_lead_is_cut_at_a_word_boundary() -> None:
    lead = "The regional council of the northern province approved a budget " * 3
    title = derive_title(lead, limit=60)
    assert title.endswith("…") and len(title) <= 61
    assert lead.startswith(title[:-1])
    assert derive_title("Short lead.") == "Short lead"


@pytest.mark.parametrize(
    ("lead", "agency"),
    [
        ("The tax rate rose, the Millbrook Courier reports.", "Millbrook Courier"),
        ("Der Rat hat beschlossen, berichtet die Lindenhagener Rundschau.", "Lindenhagener Rundschau"),
        ("Переправу закрыли, сообщает «Озёрный вестник».", "Озёрный вестник"),
    ],
)
def test_attribution_forms(lead: str, agency: str) -> None:
    text, found = strip_attribution(lead)
    assert found == agency
    assert text == lead[: lead.index(",")] + "."
