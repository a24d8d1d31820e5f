"""Canonical indicators from the verb and object before a figure, and the relations read between mentions."""

from __future__ import annotations

import json

import pytest

from transforms.extract import extract_metrics
from transforms.indicators import CATALOG_DIR, annotate, catalog_files, load_catalog, parse_catalog

CATALOG = load_catalog()


def test_catalog_covers_the_field() -> None:
    bases = [ind for ind in CATALOG.indicators if ind.derivation is None]
    assert len(CATALOG.indicators) >= 250 and len(bases) >= 250
    assert {ind.field for ind in bases} == {
        "court",
        "procuratorate",
        "police",
        "justice",
        "discipline",
        "political_legal",
        "economy",
    }
    for ind in bases:
        assert ind.name_zh and ind.name_en and ind.definition and ind.forms, ind.code
        assert ind.kind in {"count", "amount", "measure", "percent"}, ind.code
        assert ind.unit_family in ind.unit_families, ind.code


@pytest.mark.parametrize("ind", [i for i in CATALOG.indicators if i.forms], ids=lambda i: i.code)
def test_every_written_form_maps_back_to_its_indicator(ind) -> None:  # type: ignore[no-untyped-def]
    for form in ind.forms:
        assert CATALOG.match(CATALOG.normalise(form), ind.kind, ind.unit_family) == ind.code, form


def test_changes_and_variants_are_derived_from_their_base() -> None:
    change = CATALOG.by_code["cases_new__yoy_pct"]
    assert (change.base, change.derivation, change.kind) == ("cases_new", "yoy_pct", "change_pct")
    assert CATALOG.by_code["case_closure_rate__yoy_pp"].base == "case_closure_rate"
    assert "case_closure_rate__yoy_pct" not in CATALOG.by_code  # a rate changes in points
    civil = CATALOG.by_code["case_closure_rate__civil"]
    assert civil.name_zh == "民事结案率" and civil.formulas[0].numerator == ("cases_closed__civil",)
    assert CATALOG.by_code["cases_new__civil__yoy_pct"].base == "cases_new__civil"
    assert CATALOG.change_of("cases_new", "%") == "cases_new__yoy_pct"
    assert CATALOG.change_of("case_closure_rate", "个百分点") == "case_closure_rate__yoy_pp"
    assert CATALOG.change_of("case_closure_rate", "%") is None


@pytest.mark.parametrize(
    ("subject", "kind", "family", "code"),
    [
        pytest.param("政法干警", "count", "people", "political_legal_officers", id="officers"),
        pytest.param("全区政法干警", "count", "people", "political_legal_officers", id="officers_scope_prefix"),
        pytest.param("法院新收案件", "count", "cases", "cases_new", id="new_cases_scope_prefix"),
        pytest.param("全市法院新收各类案件数", "count", "cases", "cases_new", id="new_cases_fillers"),
        pytest.param("新收", "count", "cases", "cases_new", id="new_cases_short"),
        pytest.param("受理民事案件", "count", "cases", "cases_accepted__civil", id="accepted_civil_cases"),
        pytest.param("其中打击各类涉毒犯罪", "count", "people", "drug_crime_persons_struck", id="breakdown_prefix"),
        pytest.param("結案率", "percent", "percent", "case_closure_rate", id="closure_rate_traditional"),
        pytest.param("第一種形態（批評教育和談話函詢）處理", "count", "people", "first_form", id="aside_dropped"),
        pytest.param("第一种形态", "percent", "percent", "first_form_share", id="same_form_other_kind"),
        pytest.param("起诉", "count", "people", "persons_prosecuted", id="prosecuted_people"),
        pytest.param("起诉", "count", "cases", "cases_prosecuted", id="prosecuted_cases"),
        pytest.param("实现地区生产总值", "amount", "money", "gdp", id="neutral_verb"),
        pytest.param("新增高新技术企业", "count", "organisations", "new_high_tech_enterprises", id="new_stock"),
        pytest.param("新增孵化载体", "count", "organisations", None, id="verb_changes_the_stock"),
        pytest.param("打掉农村涉黑涉恶组织", "count", "organisations", None, id="qualified_object"),
        pytest.param("起诉破坏市场经济秩序犯罪案件", "count", "cases", None, id="qualified_prosecution"),
        pytest.param("结案率", "count", "cases", None, id="rate_subject_with_count_kind"),
        pytest.param("政法干警", "count", "money", None, id="wrong_unit_family"),
        pytest.param("“我们再也不需要跑", "measure", "distance", None, id="unmapped"),
        pytest.param(None, "count", "items", None, id="no_subject"),
    ],
)
def test_subjects_map_to_catalog_indicators(subject: str | None, kind: str, family: str, code: str | None) -> None:
    assert CATALOG.indicator_for(subject, kind, family) == code


def test_catalog_codes_are_unique_and_references_resolve() -> None:
    files = catalog_files(CATALOG_DIR)
    raw = json.loads(files["court.json"])
    raw["indicators"][0]["formulas"] = [{"numerator": ["no_such_code"], "denominator": ["cases_new"]}]
    with pytest.raises(ValueError, match="unknown indicators"):
        parse_catalog(files | {"court.json": json.dumps(raw).encode()})
    raw["indicators"][0].pop("formulas")
    raw["indicators"].append(raw["indicators"][1])
    with pytest.raises(ValueError, match="duplicate"):
        parse_catalog(files | {"court.json": json.dumps(raw).encode()})
    raw["indicators"].pop()
    raw["indicators"][0]["dims"] = ["no_such_dimension"]
    with pytest.raises(ValueError, match="unknown dimensions"):
        parse_catalog(files | {"court.json": json.dumps(raw).encode()})


def test_catalog_version_follows_its_content() -> None:
    files = catalog_files(CATALOG_DIR)
    assert parse_catalog(files).version == CATALOG.version
    assert parse_catalog(files | {"police.json": files["police.json"] + b"\n"}).version != CATALOG.version


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
    assert codes[:2] == ["criminal_suspects_struck", "criminal_suspects_struck__yoy_pct"]  # a change of its base
    assert codes[2:] == ["cyber_crime_persons_struck", "cyber_crime_persons_struck__yoy_pct"]


def test_resolved_count_links_to_what_was_collected() -> None:
    # "Collected 75 opinions, resolved 65."
    mentions, links, codes = _relations("征求意见建议75条,已解决65个。")
    assert links == [("65个", "resolved_of", "75条")]
    assert codes == ["opinions_collected", "opinions_resolved"]
    assert mentions == ["75条", "65个"]


def test_counts_without_markers_have_no_relations() -> None:
    _, links, _ = _relations("全区458名政法干警参加学习,印发手册900本。")
    assert links == []
