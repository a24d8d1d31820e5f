"""Canonical indicators from subjects, and the relations read between mentions of one report."""

from __future__ import annotations

import json

import pytest

from transforms.extract import extract_metrics
from transforms.indicators import CATALOG_PATH, annotate, load_catalog, parse_catalog

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("subject", "kind", "family", "code"),
    [
        pytest.param("政法干警", "count", "people", "political_legal_officers", id="officers"),
        pytest.param("干警", "count", "people", "political_legal_officers", id="officers_short"),
        pytest.param("民警", "count", "people", "political_legal_officers", id="police_officers"),
        pytest.param("全区政法干警", "count", "people", "political_legal_officers", id="officers_scope_prefix"),
        pytest.param("法院新收案件", "count", "cases", "cases_new", id="new_cases_suffix"),
        pytest.param("新收", "count", "cases", "cases_new", id="new_cases_short"),
        pytest.param("其中打击各类涉毒犯罪", "count", "people", "criminal_suspects_struck", id="breakdown_prefix"),
        pytest.param("结案率", "percent", "percent", "case_closure_rate", id="closure_rate"),
        pytest.param("结案率", "count", "cases", None, id="rate_subject_with_count_kind"),
        pytest.param("政法干警", "count", "money", None, id="wrong_unit_family"),
        pytest.param("“我们再也不需要跑", "measure", "distance", None, id="unmapped"),
        pytest.param(None, "count", "items", None, id="no_subject"),
    ],
)
def test_subjects_map_to_catalog_indicators(subject: str | None, kind: str, family: str, code: str | None) -> None:
    assert CATALOG.indicator_for(subject, kind, family) == code


def test_catalog_codes_are_unique_and_formulas_resolve() -> None:
    raw = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    raw["indicators"][0]["formulas"] = [{"numerator": ["no_such_code"], "denominator": ["cases_new"]}]
    with pytest.raises(ValueError, match="unknown indicators"):
        parse_catalog(json.dumps(raw).encode())
    raw["indicators"][0].pop("formulas")
    raw["indicators"].append(raw["indicators"][0])
    with pytest.raises(ValueError, match="duplicate"):
        parse_catalog(json.dumps(raw).encode())


def test_catalog_version_follows_its_content() -> None:
    data = CATALOG_PATH.read_bytes()
    assert parse_catalog(data).version == CATALOG.version
    assert parse_catalog(data + b"\n").version != CATALOG.version


def _relations(text: str) -> tuple[list[str], list[tuple[str, str, str]], list[str | None]]:
    metrics = extract_metrics(text)
    codes, links = annotate(text, metrics, CATALOG)
    mentions = [m.mention for m in metrics]
    return mentions, [(mentions[k.source], k.relation, mentions[k.target]) for k in links], codes


def test_closure_rate_links_to_closed_over_new_plus_carried_over() -> None:
    # "New cases 1379, carried over 68, closed 1000, closure rate 69.11%."
    _, links, _ = _relations("全市法院新收案件1379件,旧存68件,结案1000件,结案率69.11%。")
    assert ("69.11%", "numerator", "1000件") in links
    assert {(r, t) for _, r, t in links if r == "denominator"} == {("denominator", "1379件"), ("denominator", "68件")}


def test_completion_rate_links_to_completed_over_received() -> None:
    # "Received 5571 letters and visits, completed 3904, completion rate 70.08%."
    _, links, codes = _relations("全年共受理群众来信来访5571条,办结3904条,办结率70.08%。")
    assert links == [("70.08%", "numerator", "3904条"), ("70.08%", "denominator", "5571条")]
    assert codes == ["requests_received", "requests_completed", "completion_rate"]


def test_rate_without_formula_uses_its_stem() -> None:
    # "Mediated 200 disputes, succeeded in 180, success rate 90%." (调解成功率 is not in the catalog)
    _, links, _ = _relations("调解纠纷200件,调解成功180件,调解成功率90%。")
    assert ("90%", "numerator", "180件") in links and ("90%", "denominator", "200件") in links


def test_breakdown_parts_in_brackets_link_to_their_total() -> None:
    # "Filed 3 cases (of which 2 environmental, 1 other); the court received 1379 new cases."
    _, links, _ = _relations("立案3件(其中生态环境领域2件,其他1件);法院新收案件1379件。")
    assert [link for link in links if link[1] == "part_of"] == [("2件", "part_of", "3件"), ("1件", "part_of", "3件")]


def test_breakdown_parts_skip_changes_and_other_units() -> None:
    # "Struck 136 people, up 249% (of which cyber crime 45 people, up 500%)."
    _, links, codes = _relations("打击各类刑事犯罪136人,同比上升249%(其中打击新型网络犯罪45人,同比上升500%)。")
    assert [link for link in links if link[1] == "part_of"] == [("45人", "part_of", "136人")]
    assert codes[1] == codes[0] == "criminal_suspects_struck"  # a change takes the indicator of its base


def test_resolved_count_links_to_what_was_collected() -> None:
    # "Collected 75 opinions, resolved 65."
    mentions, links, codes = _relations("征求意见建议75条,已解决65个。")
    assert links == [("65个", "resolved_of", "75条")]
    assert codes == ["opinions_collected", "opinions_resolved"]
    assert mentions == ["75条", "65个"]


def test_counts_without_markers_have_no_relations() -> None:
    _, links, _ = _relations("全区458名政法干警参加学习,印发手册900本。")
    assert links == []
