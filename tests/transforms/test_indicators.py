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
        pytest.param("新增律师事务所", "count", "organisations", None, id="verb_changes_the_stock"),
        pytest.param("新增孵化载体", "count", "organisations", "incubators_added", id="flow_of_a_stock"),
        pytest.param("打掉农村涉黑涉恶组织", "count", "organisations", None, id="qualified_object"),
        pytest.param(
            "起诉破坏市场经济秩序犯罪案件", "count", "cases", "cases_prosecuted__market_order", id="crime_category"
        ),
        pytest.param("起诉侵犯商标权专利权等案件", "count", "cases", None, id="qualified_prosecution"),
        pytest.param("结案率", "count", "cases", None, id="rate_subject_with_count_kind"),
        pytest.param("政法干警", "count", "money", None, id="wrong_unit_family"),
        pytest.param("“我们再也不需要跑", "measure", "distance", None, id="unmapped"),
        pytest.param(None, "count", "items", None, id="no_subject"),
    ],
)
def test_subjects_map_to_catalog_indicators(subject: str | None, kind: str, family: str, code: str | None) -> None:
    assert CATALOG.indicator_for(subject, kind, family) == code


def test_a_starting_point_in_a_phrase_says_when_not_what() -> None:
    # "corrected irregular commutations … since the 1990s": the starting point is dropped like a year
    assert CATALOG.normalise("纠正上世纪90年代以来违规违法减刑、假释、暂予监外执行问题") == (
        "纠正违规违法减刑假释暂予监外执行问题"
    )
    assert CATALOG.normalise("2018年以来打掉涉黑组织") == "打掉涉黑组织"


def test_people_members_take_no_rank_word() -> None:
    # 村党支部书记村委会主任 is a noun of people: no 审查立案村党支部书记村委会主任干部 form
    forms = CATALOG.by_code["discipline_persons_filed__village_heads"].forms
    assert "审查立案村党支部书记村委会主任" in forms and not any(f.endswith("主任干部") for f in forms)


def test_trial_and_enforcement_cases_name_no_case_type() -> None:
    # 审判执行案件 are all the cases of a court: the 执行案件 inside the phrase is not the enforcement member
    assert CATALOG.members_named("受理审判执行案件", ["case_type"]) == set()
    assert CATALOG.members_named("受理执行案件", ["case_type"]) == {"enforcement"}


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


# Sentences as reports of each field write them: (text, {mention: indicator}); the gloss says what they state.
FIELD_SENTENCES = [
    pytest.param(
        "全年共受理各类案件12345件，审结11890件，结案率96.3%。",
        {"12345件": "cases_accepted", "11890件": "cases_closed", "96.3%": "case_closure_rate"},
        id="court_accepted_closed_rate",  # "accepted 12345 cases of all kinds, closed 11890, closure rate 96.3%"
    ),
    pytest.param(
        "新收民事案件5644件，同比上升6.7%，审结5210件。",
        {"5644件": "cases_new__civil", "6.7%": "cases_new__civil__yoy_pct", "5210件": "cases_closed__civil"},
        id="court_civil_group",  # "5644 new civil cases, up 6.7%; 5210 closed" (the group's case type carries over)
    ),
    pytest.param(
        "执结案件3200件，执行到位金额8.6亿元，执行到位率52.3%。",
        {"3200件": "cases_closed__enforcement", "8.6亿元": "enforced_amount", "52.3%": "enforcement_fulfilment_rate"},
        id="court_enforcement",  # "3200 enforcement cases closed, 860 million yuan recovered, fulfilment rate 52.3%"
    ),
    pytest.param(
        "一审服判息诉率达91.2%，发回改判率为1.3%，法定审限内结案率99.1%。",
        {
            "91.2%": "first_instance_acceptance_rate",
            "1.3%": "remand_reversal_rate",
            "99.1%": "closure_within_time_limit_rate",
        },
        id="court_quality_rates",  # "first-instance acceptance 91.2%, remand and reversal 1.3%, in time 99.1%"
    ),
    pytest.param(
        "民事案件调解撤诉率为58.6%，平均审理天数为42天。",
        {"58.6%": "mediation_withdrawal_rate", "42天": "average_trial_days"},
        id="court_mediation_days",  # "civil mediation-and-withdrawal rate 58.6%, average trial duration 42 days"
    ),
    pytest.param(
        "審結刑事案件1,024件，判處罪犯1,310人。",
        {"1,024件": "cases_closed__criminal", "1,310人": "persons_sentenced"},
        id="court_traditional",  # traditional script: "closed 1024 criminal cases, sentenced 1310 offenders"
    ),
    pytest.param(
        "全年批准逮捕各类刑事犯罪嫌疑人1234人，提起公诉2345人，不起诉312人。",
        {"1234人": "suspects_arrested", "2345人": "persons_prosecuted", "312人": "non_prosecutions"},
        id="procuratorate_arrest_prosecute",  # "approved the arrest of 1234 suspects, indicted 2345, not 312"
    ),
    pytest.param(
        "起诉危害公共安全犯罪案件120件、156人，审结侵犯财产犯罪案件300件。",
        {
            "120件": "cases_prosecuted__public_safety",
            "156人": "persons_prosecuted__public_safety",
            "300件": "cases_closed__property",
        },
        id="crime_categories_in_two_units",  # "indicted 120 public-safety cases (156 people), closed 300 property"
    ),
    pytest.param(
        "认罪认罚从宽制度适用率达88.5%，量刑建议采纳率96.2%，诉前羁押率降至35.1%。",
        {
            "88.5%": "plea_leniency_rate",
            "96.2%": "sentencing_recommendation_adoption_rate",
            "35.1%": "pretrial_detention_rate",
        },
        id="procuratorate_rates",  # "plea leniency 88.5%, recommendations adopted 96.2%, detention fell to 35.1%"
    ),
    pytest.param(
        "立案办理公益诉讼案件215件，发出诉前检察建议180件。",
        {"215件": "public_interest_cases_filed", "180件": "pre_litigation_suggestions"},
        id="procuratorate_public_interest",  # "opened 215 public-interest cases, issued 180 pre-litigation notices"
    ),
    pytest.param(
        "全年共立刑事案件8765起，破案4321起，抓获犯罪嫌疑人3456人。",
        {"8765起": "criminal_cases_filed", "4321起": "criminal_cases_solved", "3456人": "suspects_caught"},
        id="police_filed_solved_caught",  # "opened 8765 criminal cases, solved 4321, caught 3456 suspects"
    ),
    pytest.param(
        "全市命案由2020年的12起降至2022年的5起。",
        {"12起": "homicide_cases", "5起": "homicide_cases"},
        id="police_range_from_to",  # "homicides fell from 12 in 2020 to 5 in 2022" (both values are one indicator)
    ),
    pytest.param(
        "打掉犯罪团伙56个，挽回经济损失1.2亿元。",
        {"56个": "gangs_busted", "1.2亿元": "losses_recovered"},
        id="police_gangs_losses",  # "broke up 56 gangs, recovered 120 million yuan of losses"
    ),
    pytest.param(
        "破获电信网络诈骗案件1200起，抓获电诈犯罪嫌疑人980名，拦截涉诈资金3.5亿元。",
        {
            "1200起": "telecom_fraud_cases_solved",
            "980名": "telecom_fraud_suspects_caught",
            "3.5亿元": "fraud_funds_intercepted",
        },
        id="police_telecom_fraud",  # "solved 1200 telecom fraud cases, caught 980 suspects, intercepted 350 million"
    ),
    pytest.param(
        "查处交通违法行为12万起，查处酒驾醉驾2300起。",
        {"12万起": "traffic_violations", "2300起": "drunk_driving_cases"},
        id="police_traffic",  # "120,000 traffic violations and 2300 drink-driving cases dealt with"
    ),
    pytest.param(
        "查处治安案件3983起、违法人员3312人。",
        {"3983起": "public_order_cases", "3312人": "public_order_offenders"},
        id="police_list_keeps_its_verb",  # "dealt with 3983 public-order cases and 3312 offenders"
    ),
    pytest.param(
        "全市共办理法律援助案件3210件，同比增长15%。",
        {"3210件": "legal_aid_cases", "15%": "legal_aid_cases__yoy_pct"},
        id="justice_legal_aid",  # "handled 3210 legal-aid cases, up 15%"
    ),
    pytest.param(
        "各级人民调解组织调解矛盾纠纷1.2万件，调解成功率98%。",
        {"1.2万件": "disputes_mediated", "98%": "mediation_success_rate"},
        id="justice_mediation",  # "mediation bodies mediated 12,000 disputes, success rate 98%"
    ),
    pytest.param(
        "全区共排查矛盾纠纷860起，化解832起，化解率96.7%。",
        {"860起": "disputes_screened", "832起": "disputes_mediated", "96.7%": "dispute_resolution_rate"},
        id="justice_screened_resolved",  # "screened 860 disputes, resolved 832 (the verb takes the object), 96.7%"
    ),
    pytest.param(
        "在册社区矫正对象1580人，安置帮教刑满释放人员960人。",
        {"1580人": "community_corrections_persons", "960人": "released_prisoners_assisted"},
        id="justice_corrections",  # "1580 persons under community corrections, 960 released prisoners assisted"
    ),
    pytest.param(
        "全市纪检监察机关共接收信访举报2345件次，处置问题线索1234件，立案审查调查456件，处分398人。",
        {
            "2345件次": "petitions_reports_received",
            "1234件": "problem_clues_handled",
            "456件": "discipline_cases_filed",
            "398人": "persons_disciplined",
        },
        id="discipline_flow",  # "received 2345 reports, handled 1234 leads, opened 456 cases, disciplined 398"
    ),
    pytest.param(
        "运用监督执纪“四种形态”批评教育帮助和处理1200人次，其中第一种形态820人次，占68.3%。",
        {"1200人次": "four_forms_total", "820人次": "first_form", "68.3%": "first_form_share"},
        id="discipline_four_forms",  # "1200 dealt with under the four forms, 820 (68.3%) under the first"
    ),
    pytest.param(
        "全省纪检监察机关共立案审查调查2300件，其中厅局级干部12人、县处级干部150人。",
        {
            "2300件": "discipline_cases_filed",
            "12人": "discipline_persons_filed__bureau",
            "150人": "discipline_persons_filed__county",
        },
        id="discipline_ranks_take_the_opening_verb",  # "opened 2300 cases, of which 12 bureau-level, 150 county-level"
    ),
    pytest.param(
        "处分干部1890人，乡科级干部320人。运用第二种形态处理300人次，占20.1%。",
        {"320人": "persons_disciplined__township", "300人次": "second_form", "20.1%": "second_form_share"},
        id="discipline_rank_and_share_follow_the_count",  # "disciplined 1890, 320 township level; 2nd form 300, 20.1%"
    ),
    pytest.param(
        "8106名政法干警主动说明问题，373名政法干警主动投案。",
        {"8106名": "officers_self_reported", "373名": "officers_surrendered"},
        id="rectification_noun_after_number",  # "8106 officers volunteered their problems, 373 surrendered"
    ),
    pytest.param(
        "开展集中学习227场次，为群众办实事1200余件。",
        {"227场次": "study_sessions", "1200余件": "practical_matters_done"},
        id="political_legal_activities",  # "held 227 study sessions, did over 1200 practical things for the public"
    ),
    pytest.param(
        "全市实现地区生产总值2345.6亿元，增长8.5%。",
        {"2345.6亿元": "gdp", "8.5%": "gdp__yoy_pct"},
        id="economy_gdp",  # "GDP 234.56 billion yuan, up 8.5%"
    ),
    pytest.param(
        "城镇居民人均可支配收入45678元、农村居民人均可支配收入23456元。",
        {"45678元": "urban_disposable_income", "23456元": "rural_disposable_income"},
        id="economy_income",  # "urban per-capita disposable income 45678 yuan, rural 23456 yuan"
    ),
    pytest.param(
        "全年完成一般公共预算支出200亿元，其中民生支出160亿元，占80%。",
        {
            "200亿元": "general_budget_expenditure",
            "160亿元": "livelihood_expenditure",
            "80%": "livelihood_expenditure_share",
        },
        id="economy_spending_share",  # "budget spending 20 billion, of which livelihood 16 billion, 80%"
    ),
    pytest.param(
        "全年城镇新增就业1.8万人，城镇调查失业率5.2%。",
        {"1.8万人": "urban_new_jobs", "5.2%": "urban_unemployment_rate"},
        id="economy_jobs",  # "18,000 new urban jobs, surveyed unemployment 5.2%"
    ),
    pytest.param(
        "全縣地區生產總值達到320.5億元。",
        {"320.5億元": "gdp"},
        id="economy_traditional",  # traditional script: "the county's GDP reached 32.05 billion yuan"
    ),
    pytest.param(
        "全区法院结案率位居全市第一，群众满意率全省排名第3位。",
        {"第一": "case_closure_rate__rank", "第3位": "public_satisfaction__rank"},
        id="ranks_of_indicators",  # "the closure rate ranks first in the city; satisfaction third in the province"
    ),
    pytest.param(
        "新增国家级孵化载体9家，打掉农村涉黑涉恶组织45个，立案侦查农机、养殖等财政补贴环节职务犯罪12件15人。",
        {"9家": None, "45个": None, "12件": None, "15人": None},
        # "9 new national-level incubators, 45 rural gangs broken up, 12 cases (15 people) of job-related crime
        # around farm subsidies opened": a qualifier that names no catalog member leaves the figure unmapped
        id="qualified_counts_stay_unmapped",
    ),
    pytest.param(
        "新增孵化载体53个，全区孵化载体总数达到210个。",
        {"53个": "incubators_added", "210个": "incubators"},
        id="incubators_added_and_stock",  # "53 incubators added; the district has 210 in all"
    ),
    pytest.param(
        "起诉侵犯商标权、专利权等案件21件35人，起诉非法吸收公众存款、集资诈骗等案件15件40人。",
        {
            "21件": "cases_prosecuted__ip",
            "35人": "persons_prosecuted__ip",
            "15件": "cases_prosecuted__mass_economic",
            "40人": "persons_prosecuted__mass_economic",
        },
        # "indicted 21 cases (35 people) of trademark and patent infringement and 15 cases (40 people) of illegal
        # deposit-taking and fund-raising fraud": a crime family named by its crimes
        id="prosecuted_crime_families",
    ),
    pytest.param(
        "去年3,100宗貪污投訴中，涉及政府部門及公營機構的投訴分別有980宗及210宗，其中公營機構的投訴則下跌12%。"
        "私營機構則佔1,910宗。",
        {
            "3,100宗": "corruption_complaints",
            "980宗": "corruption_complaints__government_departments",
            "210宗": "corruption_complaints__public_bodies",
            "12%": "corruption_complaints__public_bodies__yoy_pct",
            "1,910宗": "corruption_complaints__private_sector",
        },
        # traditional script: "of last year's 3100 corruption complaints, 980 and 210 concerned government
        # departments and public bodies respectively, those on public bodies down 12%. The private sector
        # accounted for 1910." (a respectively list; a part named by its member in a later sentence)
        id="icac_complaints_by_sector",
    ),
    pytest.param(
        "召开动员部署会、整改推进会和工作调度会共12次。",
        {"12次": "rectification_meetings"},
        id="meetings_listed_by_name",  # "held 12 mobilisation, rectification-progress and scheduling meetings"
    ),
    pytest.param(
        "检察院受理行政公益诉讼线索20件，立案8件。",
        {"20件": "administrative_pil_clues", "8件": "administrative_pil_cases_filed"},
        id="bare_verb_in_the_field_before",  # "received 20 administrative public-interest leads, opened 8 cases"
    ),
    pytest.param(
        "共立案公益诉讼案件40件，其中生态环境和资源保护领域25件、食品药品安全领域10件。",
        {
            "40件": "public_interest_cases_filed",
            "25件": "public_interest_cases_filed__ecology",
            "10件": "public_interest_cases_filed__food_drug",
        },
        # "opened 40 public-interest cases, 25 on ecology and resources, 10 on food and drug safety"
        id="public_interest_cases_by_field",
    ),
    pytest.param(
        "全省共查处县处级干警严重违纪违法问题86件，处理处分市县两级政法单位班子成员520人。",
        {"86件": "officer_violations_investigated__county", "520人": "leaders_punished"},
        # "investigated 86 serious violations by county-level officers; dealt with 520 leaders of city and county
        # political-legal units" (市县两级 is scope, not what is counted)
        id="rectification_violations_and_leaders",
    ),
    pytest.param(
        "从职级分布看，处理处分厅局级干部12人，县处级干部340人。",
        {"12人": "officers_punished__bureau", "340人": "officers_punished__county"},
        # "by rank: 12 bureau-level and 340 county-level cadres dealt with or disciplined" (处理处分 is wider than
        # 处分, disciplined)
        id="dealt_with_by_rank",
    ),
    pytest.param(
        "其中，资产在亿元以上的涉黑组织12个，全年打掉涉黑组织40个。",
        {"12个": None, "40个": "mafia_groups_busted"},
        id="threshold_makes_a_subset",  # "12 mafia groups with assets over 100 million; 40 broken up in the year"
    ),
    pytest.param(
        "立案侦查交通、水利等工程建设领域职务犯罪30件41人，查办发生在国企中的贪污、挪用公款等职务犯罪9件12人。",
        {
            "30件": "duty_crime_cases_filed__construction",
            "41人": "duty_crime_persons_filed__construction",
            "9件": "duty_crime_cases_filed__state_enterprises",
            "12人": "duty_crime_persons_filed__state_enterprises",
        },
        # "opened 30 cases (41 people) of job-related crime in transport, water and other construction projects;
        # investigated 9 cases (12 people) of embezzlement and misappropriation in state enterprises"
        id="duty_crimes_by_field",
    ),
    pytest.param(
        "教育整顿在市县两级集中开展，1.2万名政法干警参加。",
        {"1.2万名": "officers_in_rectification"},
        id="campaign_participants",  # "the campaign ran in cities and counties; 12,000 officers took part"
    ),
    pytest.param(
        "“创新指数”跃居全省第三。",
        {"第三": "innovation_index__rank"},
        id="rank_of_an_index",  # "the 'innovation index' rose to third in the province"
    ),
    pytest.param(
        "全省判决生效的320起涉黑案件共对500名被告人判处十年以上有期徒刑。",
        {"320起": "mafia_cases_judged"},
        id="counted_noun_before_a_preposition",  # "in 320 mafia cases with final judgments, 500 defendants got …"
    ),
    pytest.param(
        "全省纪检监察机关共审查立案1.2万件；其中厅局级干部15人、县处级干部230人、一般干部2100人，"
        "农村、企业等其他人员8600人。",
        {
            "1.2万件": "discipline_cases_filed",
            "15人": "discipline_persons_filed__bureau",
            "230人": "discipline_persons_filed__county",
            "2100人": "discipline_persons_filed__general",
            "8600人": "discipline_persons_filed__other_personnel",
        },
        # "opened 12,000 cases; among them 15 bureau-level, 230 county-level, 2100 ordinary cadres and 8600 others
        # (villages, enterprises)": a 其中 group after ； breaks down the group before it
        id="discipline_ranks_after_semicolon",
    ),
    pytest.param(
        "同期审查立案的村党支部书记、村委会主任有320人。",
        {"320人": "discipline_persons_filed__village_heads"},
        id="discipline_village_heads",  # "in the same period 320 village party secretaries and heads were filed"
    ),
    pytest.param(
        "全国纪检监察机关共审查立案各级党政官员61.5万件。",
        {"61.5万件": "discipline_cases_filed"},
        id="discipline_verb_and_generic_object",  # "discipline bodies opened 615,000 cases against officials"
    ),
    pytest.param(
        "廉署今年首季共接獲612宗投訴，較去年同期下跌一成。",
        {"612宗": "corruption_complaints", "一成": "corruption_complaints__yoy_pct"},
        id="icac_complaints_traditional",  # "the ICAC received 612 complaints in the first quarter, down 10%"
    ),
    pytest.param(
        "去年1500宗貪污投訴增18%",
        {"1500宗": "corruption_complaints", "18%": "corruption_complaints__yoy_pct"},
        id="headline_change_after_object",  # headline: "last year 1500 corruption complaints, up 18%"
    ),
    pytest.param(
        "警方已拘捕5人涉嫌非法集結，另正通緝3人。",
        {"5人": "persons_arrested", "3人": "persons_wanted"},
        id="arrested_and_wanted",  # "police arrested 5 people suspected of unlawful assembly and seek 3 more"
    ),
    pytest.param(
        "共捣毁窝点12个，破获刑事案件80起、治安案件45起。",
        {"12个": "dens_destroyed", "80起": "criminal_cases_solved", "45起": "public_order_cases_solved"},
        id="police_dens_and_solved_cases",  # "destroyed 12 dens, solved 80 criminal and 45 public-order cases"
    ),
    pytest.param(
        "区委政法委抽调了4名干警充实督导组力量。",
        {"4名": "officers_seconded"},
        id="seconded_for_a_purpose",  # "the committee seconded 4 officers to strengthen the inspection team"
    ),
    pytest.param(
        "判处罚金、没收财产和追缴违法所得5.6亿元，返还、责令退赔被害人1.2亿元，依法解除查控3000万元。",
        {"5.6亿元": "illegal_gains_confiscated", "1.2亿元": "victims_restitution", "3000万元": "assets_released"},
        # "fines, confiscation and recovered illegal gains 560 million; 120 million returned or ordered repaid to
        # victims; 30 million of seized assets released"
        id="gang_assets_disposal",
    ),
    pytest.param(
        "该市打掉8个黑恶组织后，治安明显好转。",
        {"8个": "dark_evil_groups_busted"},
        id="busted_groups_then",  # "after the city broke up 8 gangs, public order clearly improved"
    ),
    pytest.param(
        "纠正2015年以来违规违法减刑、假释、暂予监外执行问题56个，整改违规经商办企业问题12个。",
        {"56个": "commutation_parole_issues_corrected", "12个": "illegal_business_issues"},
        # "corrected 56 irregular commutations, paroles and releases since 2015; rectified 12 cases of running
        # businesses against the rules"
        id="rectified_standing_problems",
    ),
    pytest.param(
        "全市法院法定审限内结案率和一审服判息诉率分别提高到99.2%和85.6%。",
        {"99.2%": "closure_within_time_limit_rate", "85.6%": "first_instance_acceptance_rate"},
        # "the closure rate within the statutory limit and the first-instance acceptance rate rose to 99.2% and
        # 85.6% respectively" (each member of the list is its own indicator, not the last one's)
        id="respectively_named_rates",
    ),
    pytest.param(
        "今年以来，全县公安机关破获刑事案件、治安案件分别为128起、356起。",
        {"128起": "criminal_cases_solved"},
        # "this year the county police solved 128 criminal and 356 public-order cases" (the verb before the
        # first member governs it too)
        id="respectively_shared_verb",
    ),
    pytest.param(
        "刑事、治安案件分别下降12.1%、8.3%。",
        {"12.1%": "criminal_incidents__yoy_pct", "8.3%": "public_order_cases__yoy_pct"},
        # "criminal and public-order cases fell 12.1% and 8.3% respectively" (the first member shares the last
        # one's head noun 案件: its change is the criminal cases', not the public-order cases')
        id="respectively_changes_share_a_head",
    ),
    pytest.param(
        "规模以上工业中，高技术产业和装备制造业增加值同比分别增长10.6%和9.1%。",
        {
            "10.6%": "high_technology_manufacturing_value_added__yoy_pct",
            "9.1%": "equipment_manufacturing_value_added__yoy_pct",
        },
        # "among industry above designated size, the value added of high-tech and of equipment manufacturing grew
        # 10.6% and 9.1% respectively" (the second figure, after nothing but 和, takes its own member)
        id="respectively_value_added",
    ),
    pytest.param(
        "全年受理刑事、民事案件分别为120件、340件。",
        {"120件": "cases_accepted__criminal", "340件": "cases_accepted__civil"},
        # "accepted 120 criminal and 340 civil cases in the year" (the verb before the list and the head noun after
        # it belong to each member)
        id="respectively_members_between_verb_and_head",
    ),
    pytest.param(
        "全省公安机关实现命案现案全破、刑事案件同比下降6.56%。",
        {"6.56%": "criminal_incidents__yoy_pct"},
        # "the province's police solved every homicide, and criminal cases fell 6.56%" (全破 ends a clause of its
        # own: the fall is of criminal cases, not of cases solved)
        id="done_item_before_the_counted_noun",
    ),
    pytest.param(
        "检察机关批捕、起诉人数同比分别下降11.7%和13.9%。",
        {"11.7%": "suspects_arrested__yoy_pct", "13.9%": "persons_prosecuted__yoy_pct"},
        # "the numbers arrested and prosecuted by the procuratorates fell 11.7% and 13.9%" (two verbs sharing what
        # they count: 批捕 keeps its own item)
        id="coordinated_verbs_sharing_a_count",
    ),
    pytest.param(
        "全市法院受理各类案件25.4万件，办结23.1万件。其中市中院受理2.8万件，办结2.4万件。",
        {"23.1万件": "cases_closed", "2.4万件": "cases_closed"},
        # "the city's courts accepted 254,000 cases and closed 231,000; the intermediate court accepted 28,000 and
        # closed 24,000" (a bare verb counts what the same bare verb counted before it in the report)
        id="bare_verb_as_before_in_the_document",
    ),
    pytest.param(
        "查获邪教案件72起，抓获邪教人员150人；打掉3个黑恶团伙，抓获119人。",
        {"150人": "cult_members_caught", "119人": "suspects_caught"},
        # "72 cult cases, 150 cult members caught; 3 gangs broken up, 119 caught" (a verb with its object lends
        # nothing to a later bare 抓获: the 119 are people caught, not cult members)
        id="verb_with_object_lends_nothing",
    ),
    pytest.param(
        "全年新收案件、审结案件分别为4210件、4033件。",
        {"4210件": "cases_new"},
        # "4210 new cases and 4033 closed cases in the year" (审结 is the second member's verb, not the first's)
        id="respectively_own_verbs",
    ),
    pytest.param(
        "一、收案情况\n刑事案件315件，同比上升4.3%；民商事案件4120件。\n二、结案情况\n刑事案件298件。",
        {
            "315件": "cases_new__criminal",
            "4.3%": "cases_new__criminal__yoy_pct",
            "4120件": "cases_new__civil_commercial",
            "298件": "cases_closed__criminal",
        },
        # "1. cases received: 315 criminal (up 4.3%), 4120 civil and commercial; 2. cases concluded: 298 criminal"
        # (a court bulletin's section heading names the stage of the case flow its bare case counts belong to)
        id="court_bulletin_flow_headings",
    ),
    pytest.param(
        "审结行政非诉审查案件88件，新收申诉申请再审19件。",
        {"88件": "cases_closed__administrative_non_litigation", "19件": "cases_new__petition_retrial"},
        # "88 reviews of non-litigation administrative enforcement concluded, 19 new petitions and applications for
        # retrial" (case categories of the court statistics)
        id="court_case_categories",
    ),
    pytest.param(
        "五年来，全市检察机关共办理各类案件4.6万件，其中办理民事案件3200件。",
        {"4.6万件": "cases_handled", "3200件": "cases_handled__civil"},
        # "over five years the city's procuratorates handled 46,000 cases of all kinds, 3,200 of them civil"
        id="cases_handled_total_and_type",
    ),
    pytest.param(
        "新收行政案件31件，同比下降27.91%，同比减少12件。",
        {"31件": "cases_new__administrative", "12件": None},
        # "31 new administrative cases, down 27.91%, 12 fewer than a year before" (the absolute change is not a
        # second instance of the count)
        id="absolute_change_is_not_the_count",
    ),
    pytest.param(
        "全体居民人均可支配收入中位数24000元，增长5.0%；人均工资性收入13000元，人均转移净收入3100元。",
        {
            "24000元": "disposable_income_median",
            "5.0%": "disposable_income_median__yoy_pct",
            "13000元": "wage_income_per_capita",
            "3100元": "transfer_income_per_capita",
        },
        # "median per-capita disposable income 24,000 yuan, up 5.0%; wage income 13,000, net transfer income 3,100"
        # (the median is not the mean, and each income source is an indicator of its own)
        id="economy_income_median_and_sources",
    ),
    pytest.param(
        "城镇居民人均消费支出28000元，农村居民人均消费支出16000元。",
        {"28000元": "urban_consumption_per_capita", "16000元": "rural_consumption_per_capita"},
        id="economy_consumption_per_capita",  # "urban per-capita consumption 28,000 yuan, rural 16,000"
    ),
    pytest.param(
        "城镇消费品零售额850亿元，乡村消费品零售额120亿元；餐饮收入95亿元；网上零售额300亿元，其中实物商品网上零售额260亿元。",
        {
            "850亿元": "urban_retail_sales",
            "120亿元": "rural_retail_sales",
            "95亿元": "catering_revenue",
            "300亿元": "online_retail_sales",
            "260亿元": "physical_goods_online_retail_sales",
        },
        # "urban retail sales 85bn, rural 12bn; catering 9.5bn; online retail 30bn, of which physical goods 26bn"
        # (the parts of the total retail sales of consumer goods are not the total)
        id="economy_retail_breakdown",
    ),
    pytest.param(
        "夏粮总产量210万吨，猪牛羊禽肉产量88万吨，生猪出栏480万头。",
        {"210万吨": "summer_grain_output", "88万吨": "meat_output", "480万头": "hogs_slaughtered"},
        id="economy_farm_output",  # "summer grain 2.1m tonnes, meat 880,000 tonnes, 4.8m hogs slaughtered"
    ),
    pytest.param(
        "规模以上工业增加值按可比价格计算增长6.2%，制造业增加值增长7.1%。",
        {"6.2%": "industrial_value_added__yoy_pct", "7.1%": "manufacturing_value_added__yoy_pct"},
        # "value added of industry above designated size grew 6.2% at comparable prices, of manufacturing 7.1%"
        # (按可比价格计算 says how it is measured, not what)
        id="economy_comparable_prices",
    ),
    pytest.param(
        "全社会研发经费支出占GDP比重达2.4%，每万人发明专利12.5件。",
        {"2.4%": "rd_intensity", "12.5件": "patents_per_10k"},
        id="economy_rd_intensity_patents",  # "R&D spending 2.4% of GDP, 12.5 invention patents per 10,000 people"
    ),
    pytest.param(
        "新增规上工业企业56家，工业用电量增长5.3%，民营经济增加值占GDP比重为55.1%。",
        {
            "56家": "industrial_enterprises_above_size_added",
            "5.3%": "industrial_electricity_consumption__yoy_pct",
            "55.1%": "private_economy_share",
        },
        # "56 industrial firms newly above designated size, industrial power use up 5.3%, private economy 55.1% of GDP"
        id="economy_firms_added_power_private_share",
    ),
    pytest.param(
        "处置问题线索1080件，谈话函询215件次，处分厅级干部3人，处级干部41人，科级干部120人。",
        {
            "215件次": "talks_and_letters_items",
            "3人": "persons_disciplined__bureau",
            "41人": "persons_disciplined__county",
            "120人": "persons_disciplined__township",
        },
        # "1080 problem clues handled, 215 conversations and inquiries, 3 bureau-level, 41 division-level and 120
        # section-level cadres disciplined" (件次 counts items, not persons; 厅级/处级/科级 name the ranks shortly)
        id="discipline_items_and_short_ranks",
    ),
    pytest.param(
        "运用第一种形态批评教育帮助663人次，占总人次的66%。",
        {"663人次": "first_form", "66%": "first_form_share"},
        id="discipline_first_form_help",  # "663 person-times criticised, educated and helped (first form), 66%"
    ),
    pytest.param(
        "立公益诉讼案226件，受理民事行政监督案件477件，提起民事行政抗诉12件，审查办理控告申诉1123件。",
        {
            "226件": "public_interest_cases_filed",
            "477件": "civil_administrative_supervision",
            "12件": "protests_filed",
            "1123件": "procuratorial_complaints",
        },
        # "opened 226 public-interest cases, accepted 477 civil and administrative supervision cases, lodged 12 civil
        # and administrative protests, reviewed 1123 complaints and appeals"
        id="procuratorate_supervision_forms",
    ),
    pytest.param(
        "监督纠正刑事执行违法违规362人次，书面纠正刑事执行活动违法85件。",
        {"362人次": "execution_violations_persons_corrected", "85件": "execution_violations_corrected"},
        # "had violations in criminal execution corrected for 362 person-times, and 85 corrected in writing"
        id="procuratorate_execution_corrections",
    ),
    pytest.param(
        "制定司法解释29件，发布指导性案例21件。",
        {"29件": "judicial_interpretations_issued", "21件": "guiding_cases_issued"},
        id="supreme_interpretations_guiding_cases",  # "issued 29 judicial interpretations and 21 guiding cases"
    ),
    pytest.param(
        "受理各类审判执行案件3225万件，审结、执结1977万件；申诉申请再审率同比下降0.29个百分点。",
        {
            "3225万件": "cases_accepted",
            "1977万件": "cases_closed",
            "0.29个百分点": "retrial_petition_rate__yoy_pp",
        },
        # "accepted 32.25m trial and enforcement cases, judged or enforced 19.77m; the retrial petition rate fell
        # 0.29 points" (审判执行 and 审结、执结 are all cases, not the enforcement ones)
        id="court_trial_and_enforcement_totals",
    ),
    pytest.param(
        "审结故意杀人、抢劫等暴力犯罪案件90件，审结涉黑恶案件7件，审结电信网络诈骗犯罪案件333件。",
        {"90件": "cases_closed__violent", "7件": "cases_closed__dark_evil", "333件": "cases_closed__telecom_fraud"},
        # "closed 90 violent-crime cases such as murder and robbery, 7 gang cases, 333 telecom-fraud cases"
        id="court_crime_families_closed",
    ),
    pytest.param(
        "起诉非法吸收公众存款等涉众型经济犯罪以及电信网络诈骗犯罪198人。",
        {"198人": None},
        # "indicted 198 people for mass-victim economic crimes and telecom fraud": two families, no one variant
        id="procuratorate_two_crime_families",
    ),
    pytest.param(
        "打掉黑恶势力犯罪团伙4个，侦办经济犯罪案件1140起，侦办破坏环境资源保护犯罪案件530起。",
        {
            "4个": "dark_evil_groups_busted",
            "1140起": "economic_crime_cases_investigated",
            "530起": "environment_crime_cases_investigated",
        },
        # "broke up 4 gangs, investigated 1140 economic crime cases and 530 environment and resources crime cases"
        id="police_gangs_economic_environment",
    ),
    pytest.param(
        "“两抢一盗”案件下降19.6%，治安发案同比下降6.4%，治安查处同比上升64.4%。",
        {
            "19.6%": "two_robberies_one_theft_cases__yoy_pct",
            "6.4%": "public_order_incidents__yoy_pct",
            "64.4%": "public_order_cases__yoy_pct",
        },
        # "robbery and theft cases down 19.6%, public-order incidents down 6.4%, public-order cases dealt with up
        # 64.4%" (what occurred and what was dealt with are two indicators)
        id="police_incidents_and_dealt_with",
    ),
    pytest.param(
        "办理法律援助案件236件，其中刑事案件36件，民事案件107件；接待解答群众来访来电咨询3200人次。",
        {
            "236件": "legal_aid_cases",
            "36件": "legal_aid_cases__criminal",
            "107件": "legal_aid_cases__civil",
            "3200人次": "legal_consultations",
        },
        # "236 legal-aid cases, 36 of them criminal and 107 civil; 3200 visits and calls for advice answered"
        id="justice_legal_aid_case_types",
    ),
    pytest.param(
        "全市共有法律援助机构12家，民主法治示范村45个。",
        {"12家": "legal_aid_agencies", "45个": "model_rule_of_law_villages"},
        id="justice_agencies_model_villages",  # "12 legal-aid agencies, 45 model villages of democracy and law"
    ),
    pytest.param(
        "播放警示教育片3066场次，组织干警旁听职务犯罪庭审1027场次，举办党史专题讲座2184场次，观看党史学习专题片1145场次。",
        {
            "3066场次": "warning_films_shown",
            "1027场次": "court_hearings_attended",
            "2184场次": "party_history_lectures",
            "1145场次": "party_history_films",
        },
        # "3066 warning-education film screenings, 1027 hearings of job-related crime attended, 2184 party-history
        # lectures, 1145 party-history film showings" (a warning film is not a party-history film)
        id="political_legal_warning_and_history_education",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FIELD_SENTENCES)
def test_field_sentences_map_to_their_indicators(text: str, expected: dict[str, str | None]) -> None:
    metrics = extract_metrics(text)
    codes, _ = annotate(text, metrics, CATALOG)
    got = {m.mention: code for m, code in zip(metrics, codes, strict=True)}
    assert {mention: got.get(mention, "not extracted") for mention in expected} == expected
