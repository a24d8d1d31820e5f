"""Attribution of metric mentions: short sentences written for these tests, each with an English gloss.

Each case gives a document region (six-digit code or None), a publication date (or None), the text, the mention
whose attribution is checked (its first occurrence, or the occurrence after `after`), and the expected values.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from transforms.attribution import Attribution, attribute
from transforms.metadata import DocumentMeta, gazetteer

SHIFENG = "430204"  # 湖南省株洲市石峰区
SUINING = "510900"  # 四川省遂宁市
PENGXI = "510921"  # 四川省遂宁市蓬溪县
GANSU = "620000"  # 甘肃省
YUHANG = "330110"  # 浙江省杭州市余杭区
NATIONAL = "100000"
PUBLISHED = datetime(2021, 11, 3, 10, 0)
REPORTED = datetime(2023, 2, 2)  # a work report delivered early in the year after the one it reviews


def _meta(region_code: str | None, published_at: datetime | None = PUBLISHED, body: str | None = None) -> DocumentMeta:
    names = {NATIONAL: "全国", None: None}
    region = names[region_code] if region_code in names else gazetteer().full_name(region_code)
    return DocumentMeta(None, None, None, None, published_at, None, region, region_code, None, body, "title")


def _one(text: str, mention: str, region_code: str | None, published_at: datetime | None = PUBLISHED) -> Attribution:
    start = text.index(mention)
    (result,) = attribute(text, [(start, start + len(mention))], _meta(region_code, published_at))
    return result


REGION_CASES = [
    # (document region, text, mention, expected region name, expected code)
    pytest.param(SHIFENG, "全区共有政法干警300名。", "300名", "湖南省株洲市石峰区", SHIFENG, id="scope_word_quanqu"),
    # "the district has 300 political-legal officers"
    pytest.param(SHIFENG, "全市共办理案件120件。", "120件", "湖南省株洲市", "430200", id="scope_word_quanshi"),
    # "the city handled 120 cases" (in a district report: the district's city)
    pytest.param(SHIFENG, "全省破获案件900起。", "900起", "湖南省", "430000", id="scope_word_quansheng"),
    # "the province solved 900 cases"
    pytest.param(SUINING, "市县两级共召开会议45次。", "45次", "四川省遂宁市", SUINING, id="scope_multi_level"),
    # "city and county levels held 45 meetings"
    pytest.param(SHIFENG, "石峰公安分局抓获嫌疑人12名。", "12名", "湖南省株洲市石峰区", SHIFENG, id="short_county"),
    # "the Shifeng police sub-bureau caught 12 suspects" (石峰 without 区)
    pytest.param(SUINING, "射洪市检察院办理案件30件。", "30件", "四川省遂宁市射洪市", "510981", id="county_city"),
    # "the Shehong procuratorate handled 30 cases"
    pytest.param(None, "遂宁市政法系统出台举措80余项。", "80余项", "四川省遂宁市", SUINING, id="place_full_path"),
    # "Suining's political-legal system issued 80-odd measures"
    pytest.param(SHIFENG, "区法院结案率位居全市第一。", "第一", "湖南省株洲市石峰区", SHIFENG, id="ranking_field"),
    # "the district court's closure rate ranks first in the city" (全市 is the field, not the owner)
    pytest.param(
        SHIFENG,
        "刑事警情在去年全市降幅第一的基础上再降47%。",
        "47%",
        "湖南省株洲市石峰区",
        SHIFENG,
        id="rank_after_words",
    ),
    # "criminal calls fell 47% more, after last year's largest fall in the city" (全市 is the ranking's field)
    pytest.param(SHIFENG, "发案率保持全市最低，破案30起。", "30起", "湖南省株洲市石峰区", SHIFENG, id="superlative"),
    # "the crime rate stays the lowest in the city; 30 cases solved"
    pytest.param(SHIFENG, "全市第一产业增加值30亿元。", "30亿元", "湖南省株洲市", "430200", id="ordinal_is_no_rank"),
    # "the city's primary-sector value added was 3 bn" (第一产业 is a name, 全市 the owner)
    pytest.param(
        None,
        "全国法院和最高人民法院受理案件1458.6万件。",
        "1458.6万件",
        "全国",
        NATIONAL,
        id="supreme_is_no_superlative",
    ),
    # "courts nationwide and the Supreme People's Court accepted 14.586 m cases" (最高 names the court)
    pytest.param(
        SHIFENG,
        "审理的一案入选“全省依法惩治犯罪典型案例”。对340名被告人适用缓刑。",
        "340名",
        "湖南省株洲市石峰区",
        SHIFENG,
        id="quoted_title",
    ),
    # "a case it tried was chosen as a 'typical case of the province'. 340 defendants got probation"
    pytest.param(
        "440000",
        "某某网广州1月22日消息 去年纪检监察机关立案3.1万件。",
        "3.1万件",
        "广东省",
        "440000",
        id="dateline_place",
    ),
    # "Guangzhou, 22 January: last year discipline bodies opened 31,000 cases" (filed in Guangzhou, a provincial story)
    pytest.param(GANSU, "兰州市红古区、天水市清水县等8个县实现零发案。", "8个", "甘肃省", GANSU, id="listed_places"),
    # "8 counties such as Honggu and Qingshui had no cases" (the list's common division)
    pytest.param(NATIONAL, "天津举办座谈会，该市落地项目300个。", "300个", "天津市", "120000", id="gai_shi"),
    # "Tianjin held a forum; that city landed 300 projects"
    pytest.param(SHIFENG, "要确保长治久安，全年调解纠纷40件。", "40件", "湖南省株洲市石峰区", SHIFENG, id="idiom"),
    # "ensure lasting peace; 40 disputes mediated this year" (长治 the city is not meant)
    pytest.param(YUHANG, "杭州新区新增孵化载体5个。", "5个", "浙江省杭州市余杭区", YUHANG, id="parent_place"),
    # "5 incubators added in Hangzhou's new area" (a district report naming its city)
    pytest.param(GANSU, "全省組織輪訓班15期。", "15期", "甘肃省", GANSU, id="traditional"),
    # "the province organised 15 training classes" (traditional characters)
    pytest.param(NATIONAL, "最高人民法院审结案件700件。", "700件", "全国", NATIONAL, id="national_body"),
    # "the Supreme People's Court concluded 700 cases"
    pytest.param(None, "全市受理案件10件。", "10件", None, None, id="scope_without_document_region"),
    # "the city accepted 10 cases" (which city is unknown)
    pytest.param(
        SHIFENG, "成功创建全国文明城市，新增企业30家。", "30家", "湖南省株洲市石峰区", SHIFENG, id="title_scope"
    ),
    # "won the title of national civilised city; 30 new firms" (全国 qualifies the title, not the figure)
    pytest.param(SHIFENG, "获评全省平安区，全省破案900起。", "900起", "湖南省", "430000", id="title_then_scope"),
    # "named a provincial safe district; the province solved 900 cases" (only the title's scope is ignored)
    pytest.param(SHIFENG, "群众满意率全省排名第9位。", "第9位", "湖南省株洲市石峰区", SHIFENG, id="scope_before_rank"),
    # "public satisfaction ranks 9th in the province" (全省 is the ranking's field, not the owner)
    pytest.param(SHIFENG, "全市第一季度破案90起。", "90起", "湖南省株洲市", "430200", id="scope_before_quarter"),
    # "the city solved 90 cases in the first quarter" (第一季度 is no rank)
    pytest.param(None, "全澳去年录得罪案1.4万宗。", "1.4万宗", "澳门特别行政区", "820000", id="region_word_scope"),
    # "the whole of Macao recorded 14,000 crimes last year" (全澳 names Macao whatever the document's region)
    pytest.param(
        SHIFENG,
        "审结一起长期盘踞在广州市实施电诈的犯罪集团案件，依法严惩诈骗罪犯20人。",
        "20人",
        "湖南省株洲市石峰区",
        SHIFENG,
        id="crime_location_stays_in_its_phrase",
    ),
    # "concluded the case of a fraud ring long based in Guangzhou, and punished 20 fraudsters" (在广州市 is where
    # the ring operated: the district court's figure after it is still the district's)
]


@pytest.mark.parametrize(("doc_region", "text", "mention", "region", "code"), REGION_CASES)
def test_region(doc_region: str | None, text: str, mention: str, region: str | None, code: str | None) -> None:
    result = _one(text, mention, doc_region)
    assert (result.region, result.region_code) == (region, code)


ORG_CASES = [
    # (document region, text, mention, expected org)
    pytest.param(SHIFENG, "法院新收案件100件。", "100件", "石峰区人民法院", id="bare_court_completed"),
    # "the court received 100 new cases"
    pytest.param(SHIFENG, "区法院结案500件。", "500件", "石峰区人民法院", id="level_char_court"),
    # "the district court closed 500 cases"
    pytest.param(SHIFENG, "区司法局受理法律援助案件20件。", "20件", "石峰区司法局", id="justice_bureau"),
    # "the district justice bureau accepted 20 legal-aid cases"
    pytest.param(SHIFENG, "石峰公安分局抓获嫌疑人12名。", "12名", "石峰区公安分局", id="short_place_police"),
    # "the Shifeng police sub-bureau caught 12 suspects"
    pytest.param(SHIFENG, "区公安分局抓获12人；检察院立案3件。", "3件", "石峰区人民检察院", id="clause_procuratorate"),
    # "the police caught 12; the procuratorate opened 3 cases" (the semicolon ends the police clause)
    pytest.param(SUINING, "遂宁市政法系统为民办实事600余件。", "600余件", "遂宁市政法系统", id="city_system"),
    pytest.param("810000", "全港警方拘捕3200人。", "3200人", "香港警务处", id="regional_form"),
    pytest.param(
        None,
        "市检察院工作报告指出，2020年，全市检察机关共批捕13987人，提起公诉32580人；受理民事行政监督案件4777件。",
        "4777件",
        "全市检察机关",
        id="phrase_subject_across_a_semicolon",
    ),
    # "the city procuratorate's report says that in 2020 the city's procuratorates approved 13,987 arrests and
    # prosecuted 32,580 people; accepted 4,777 civil and administrative supervision cases" (the body opening a phrase
    # is the subject of the sentence's later clauses, not the body whose report says so)
    # "the police of all Hong Kong arrested 3,200" (Hong Kong's police is its 警务处, not a 公安机关)
    # "Suining's political-legal system did 600-odd practical things for the people"
    pytest.param(SHIFENG, "区委政法委组织培训4次。", "4次", "石峰区委政法委", id="party_committee_joiner"),
    # "the district political-legal committee organised 4 trainings"
    pytest.param(GANSU, "全省纪检监察机关和政法单位处理干警50人。", "50人", "甘肃省政法单位", id="conjunction"),
    # "discipline bodies and political-legal units province-wide dealt with 50 officers"
    pytest.param(SHIFENG, "截至目前，省教育整顿第二督导组交办线索6件。", "6件", "湖南省教育整顿第二督导组", id="descr"),
    # "so far the provincial second inspection group handed over 6 leads"
    pytest.param(NATIONAL, "最高人民法院审结案件700件。", "700件", "最高人民法院", id="national_court"),
    # "the Supreme People's Court concluded 700 cases"
    pytest.param(SHIFENG, "先后召开领导小组会3次。", "3次", None, id="meeting_is_not_a_body"),
    # "the leading group's meeting was held 3 times" (a meeting, not the reporter)
    pytest.param(SHIFENG, "共有群众500人参加。", "500人", None, id="no_body"),
    # "500 residents took part"
    pytest.param(SHIFENG, "传达市委政法工作会议精神。先后召开部署会8次。", "8次", None, id="body_in_meeting_name"),
    # "relayed the spirit of the city committee's political-legal work meeting; held 8 deployment meetings"
    pytest.param(SHIFENG, "区委常委会研究教育整顿工作5次。", "5次", None, id="standing_committee_meeting"),
    # "the district committee's standing meeting discussed the campaign 5 times" (a meeting, not a body)
    pytest.param(SHIFENG, "区法院召开座谈会12次。", "12次", "石峰区人民法院", id="body_holds_meeting"),
    # "the district court held 12 forums" (the court is the subject: a verb stands before the meeting word)
    pytest.param(SUINING, "在远离县城的蓬南派出所，该所开设窗口7个。", "7个", "蓬南派出所", id="named_station"),
    # "at the Pengnan police station far from town, the station opened 7 windows" (a station's own name)
    pytest.param(
        PENGXI, "在远离县城的蓬南派出所，该所开设窗口7个。", "7个", "蓬溪县公安局蓬南派出所", id="station_in_county"
    ),
    # the same in a county's report: a station is named under the county's public security bureau
    pytest.param(PENGXI, "蓬南司法所调解纠纷30件。", "30件", "蓬溪县司法局蓬南司法所", id="justice_office_in_county"),
    # "the Pengnan justice office mediated 30 disputes" (a justice office belongs to the county justice bureau)
    pytest.param(
        SUINING,
        "遂宁市中级人民法院召开新闻发布会。据介绍，该院全年审结案件3000件。",
        "3000件",
        "遂宁市中级人民法院",
        id="anaphor_court",
    ),
    # "the Suining intermediate court held a press conference. It was said that the court (该院) concluded 3,000
    # cases in the year" (该院 names again the court named before it)
    pytest.param(
        SUINING,
        "遂宁市中级人民法院、射洪市公安局联合开展专项行动。该院审结案件30件。",
        "30件",
        "遂宁市中级人民法院",
        id="anaphor_takes_its_head",
    ),
    # "the Suining intermediate court and the Shehong public security bureau ran a joint campaign. The court (该院)
    # concluded 30 cases" (该院 is the nearest body whose name ends in 院, not the nearest body)
    pytest.param(SUINING, "，基层派出所开设窗口7个。", "7个", None, id="generic_station"),
    # "grassroots police stations opened 7 windows" (基层 is no name: a body named only by its kind has no name)
    pytest.param(SHIFENG, "全区政法各单位在区委的坚强领导下，组织学习20次。", "20次", "石峰区政法各单位", id="frame"),
    # "the district's political-legal units, under the firm leadership of the district committee, organised 20
    # study sessions" (the committee that leads is not the body that counts)
    pytest.param(SHIFENG, "全区458名政法干警参加。", "458名", "石峰区政法各单位", id="officers_are_their_units"),
    # "458 political-legal officers of the district took part" (the officers' units, as a body)
]


@pytest.mark.parametrize(("doc_region", "text", "mention", "org"), ORG_CASES)
def test_org(doc_region: str | None, text: str, mention: str, org: str | None) -> None:
    assert _one(text, mention, doc_region).org == org


KIND_CASES = [
    # (document region, text, mention, expected org, expected org kind)
    pytest.param(SHIFENG, "区法院结案500件。", "500件", "石峰区人民法院", "court", id="court"),
    # "the district court closed 500 cases"
    pytest.param(SUINING, "市中院审结案件90件。", "90件", "遂宁市中级人民法院", "court", id="intermediate_court"),
    # "the city intermediate court concluded 90 cases"
    pytest.param(SUINING, "市法院审结案件90件。", "90件", "遂宁市中级人民法院", "court", id="city_court"),
    # "the city court concluded 90 cases" (in a city, 市法院 is its intermediate court)
    pytest.param(GANSU, "省法院审结案件800件。", "800件", "甘肃省高级人民法院", "court", id="provincial_court"),
    # "the provincial court concluded 800 cases" (the high court)
    pytest.param(GANSU, "全省法院审结案件9万件。", "9万件", "甘肃省法院", "court", id="all_courts_of_province"),
    # "the province's courts concluded 90,000 cases" (all courts of the province: no single body)
    pytest.param(SHIFENG, "全区检察机关批准逮捕12人。", "12人", "石峰区检察机关", "procuratorate", id="procuratorate"),
    # "the district's procuratorial organs approved 12 arrests"
    pytest.param(SUINING, "射洪市公安局破获案件30起。", "30起", "射洪市公安局", "police", id="police"),
    # "the Shehong public security bureau solved 30 cases"
    pytest.param(SUINING, "市法律援助中心受理案件80件。", "80件", "遂宁市法律援助中心", "justice", id="legal_aid"),
    # "the city legal-aid centre accepted 80 cases"
    pytest.param(GANSU, "全省监狱押犯1万人。", "1万人", "甘肃省监狱", "justice", id="prisons"),
    # "the province's prisons hold 10,000 inmates"
    pytest.param(GANSU, "监狱押犯1万人。", "1万人", None, "justice", id="prison_by_kind"),
    # "prisons hold 10,000 inmates" (a body that needs a name of its own, named only by its kind)
    pytest.param(SHIFENG, "区委政法委组织培训4次。", "4次", "石峰区委政法委", "political_legal", id="committee"),
    # "the district political-legal committee organised 4 trainings"
    pytest.param(SUINING, "市纪委监委立案审查15件。", "15件", "遂宁市纪委监委", "discipline", id="discipline"),
    # "the city discipline commission opened 15 cases"
    pytest.param(NATIONAL, "中央纪委国家监委通报，立案60万件。", "60万件", "全国纪检监察机关", "discipline", id="ccdi"),
    # "the central discipline commission reported 600,000 cases opened"
    pytest.param("810000", "廉署去年接获投诉2000宗。", "2000宗", "香港廉政公署", "discipline", id="icac"),
    # "the ICAC received 2,000 complaints last year" (a body of one place only)
    pytest.param(SHIFENG, "区政府新建学校3所。", "3所", "石峰区人民政府", "government", id="government"),
    # "the district government built 3 schools"
    pytest.param(SHIFENG, "全区新增企业30家。", "30家", None, None, id="no_body_no_kind"),
    # "30 new firms in the district" (no body's work)
    pytest.param(
        GANSU,
        "省公安厅召开发布会通报，全省破获刑事案件2.5万起。",
        "2.5万起",
        "甘肃省公安机关",
        "police",
        id="announcer",
    ),
    # "the provincial police department held a briefing: province-wide 25,000 criminal cases solved" (the
    # department announces the figure of all police organs of the province)
    pytest.param(
        SHIFENG,
        "区公安分局全年破案率位列全市第一，破获案件80起。",
        "80起",
        "石峰区公安分局",
        "police",
        id="no_announcer",
    ),
    # "the district police sub-bureau ranks first in the city for clearance; 80 cases solved" (no announcing verb)
    pytest.param(
        GANSU, "甘肃省公安部门抓获嫌疑人350名。", "350名", "甘肃省公安机关", "police", id="synonym_normalized"
    ),
    # "Gansu's public-security departments caught 350 suspects" (公安部门 written as the usual 公安机关)
    pytest.param(
        "820000", "澳門司法警察局接獲詐騙案520宗。", "520宗", "澳门司法警察局", "police", id="place_word_suffix"
    ),
    # "Macao's Judiciary Police received 520 fraud reports" (a word between the place and the suffix is the name's)
    pytest.param("820000", "另外，治安警察局檢控交通違例10萬宗。", "10萬宗", "治安警察局", "police", id="own_name"),
    # "besides, the Public Security Police prosecuted 100,000 traffic offences" (a body's own name, as written)
    pytest.param(
        SHIFENG, "区公安分局向区检察院提请批准逮捕12人。", "12人", "石峰区公安分局", "police", id="object_is_no_body"
    ),
    # "the district police asked the district procuratorate to approve 12 arrests" (the procuratorate is the object)
    pytest.param(
        None,
        "今年以来，我院共受理各类案件512件，审结各类案件430件，执结执行案件96件，结案率83.9%。",
        "430件",
        None,
        "court",
        id="self_reference_court_work",
    ),
    # "this year our 院 received 512 cases, concluded 430, enforced 96; closure rate 83.9%" (an unsigned statistic:
    # 院 is a court by the work it reports, not a procuratorate)
    pytest.param(
        None,
        "本院全年受理审查逮捕案件120件，批准逮捕98人，提起公诉156人，不起诉12人。",
        "156人",
        None,
        "procuratorate",
        id="self_reference_procuratorate_work",
    ),
    # "our 院 reviewed 120 arrest requests, approved 98 arrests, prosecuted 156 people, did not prosecute 12"
    pytest.param(None, "我院今年受理案件100件。", "100件", None, None, id="self_reference_without_work_words"),
    # "our 院 received 100 cases this year" (court or procuratorate: the text does not say, so no kind)
    pytest.param(
        "440100",
        "广州警方今年以来破获电信诈骗案件1200起。",
        "1200起",
        "广州市公安机关",
        "police",
        id="jingfang_with_place",
    ),
    # "the Guangzhou police solved 1,200 telecom fraud cases this year" (警方, 'the police', is the city's police)
    pytest.param(None, "广州警方破获案件1200起。", "1200起", None, "police", id="level_char_ending_a_place_name"),
    # "the Guangzhou police solved 1,200 cases", in a report of no known region: 州 ends the name 广州 (not believed
    # here), so it is no level character making `州警方` a body of the document's own prefecture
    pytest.param(None, "警方共拘捕3200人。", "3200人", None, "police", id="jingfang_alone"),
    # "the police arrested 3,200 people" (a police body, of no region the text names)
]


@pytest.mark.parametrize(("doc_region", "text", "mention", "org", "kind"), KIND_CASES)
def test_org_kind(doc_region: str | None, text: str, mention: str, org: str | None, kind: str | None) -> None:
    result = _one(text, mention, doc_region)
    assert (result.org, result.org_kind) == (org, kind)


OPENING = "2021年，全市检察机关在市委的坚强领导下，认真履行法律监督职责，各项检察工作取得了新的进展。\n"
LEAD_CASES = [
    # (title, text, mention, expected org, expected org kind) in a 遂宁市 report
    pytest.param(
        None, OPENING + "一、服务大局\n起诉犯罪嫌疑人300人。", "300人", "遂宁市检察机关", "procuratorate", id="opening"
    ),
    # "In 2021 the city's procuratorial organs, under the committee's leadership, …" / "300 suspects prosecuted"
    # (the body that opens the report speaks for the figures that name none)
    pytest.param(
        "市公安局召开新闻发布会",
        "市公安局召开新闻发布会\n去年破获案件900起。",
        "900起",
        "遂宁市公安局",
        "police",
        id="title",
    ),
    # title "the city police bureau holds a press conference" / "900 cases solved last year"
    pytest.param(
        None,
        "遂宁市公安局总结了一年来的工作情况，各项工作稳步推进，取得了明显成效。\n最多投诉的是市交通局，有15宗。",
        "15宗",
        "遂宁市公安局",
        "police",
        id="object_is_not_the_body",
    ),
    # "the police bureau reviewed its year …" / "most complaints concerned the transport bureau: 15"
    # (a body named as an object in another clause does not take the figure)
    pytest.param(
        None,
        "全市基层法院开展审判质效考核。\n我院12月结案700件。",
        "700件",
        None,
        "court",
        id="self_reference_by_kind",
    ),
    # "the city's basic courts ran an assessment" / "our court closed 700 cases in December" (an unsigned court
    # statistic: no name, but the kind of body is known)
    pytest.param(
        "最高法：全市法院新收案件同比增长",
        "最高法：全市法院新收案件同比增长\n新收案件9万件。",
        "9万件",
        "遂宁市法院",
        "court",
        id="title_source_before_colon",
    ),
    # title "Supreme Court: the city's courts received more new cases" (the body before the colon is the source)
    pytest.param(
        None,
        "今年以来，市委高度重视，全市各级政法单位认真贯彻落实各项部署，扎实推进各项工作取得成效。\n政法干警参训率100%。",
        "100%",
        "遂宁市各级政法单位",
        "political_legal",
        id="doer_before_leader",
    ),
    # "this year the city committee attached great importance, the city's political-legal units at all levels
    # carried it out" / "officers' training rate 100%" (the committee leads; the units do the work, and their
    # officers are theirs)
    pytest.param(
        None,
        "市公安局局长张三介绍，全市各级公安机关深入开展专项行动，社会治安持续向好，群众安全感提升。\n破获案件900起。",
        "900起",
        "遂宁市各级公安机关",
        "police",
        id="post_is_not_a_body",
    ),
    # "Zhang San, head of the city police bureau, said the city's police organs …" / "900 cases solved" (a
    # person's post names no body that speaks)
    pytest.param(
        "遂宁市政法队伍教育整顿取得成效",
        "遂宁市政法队伍教育整顿取得成效\n自2月底以来，历经5个月，教育整顿在市县两级集中开展，成效明显。\n处理干警300人。",
        "300人",
        "遂宁市政法系统",
        "political_legal",
        id="campaign_names_the_body",
    ),
    # title "Suining's political-legal ranks campaign shows results" / "since late February …" / "300 officers
    # dealt with" (the campaign of a body's ranks names the body when nothing else does)
    pytest.param(
        "遂宁市政法队伍教育整顿取得成效",
        "遂宁市政法队伍教育整顿取得成效\n今年以来，市委高度重视，全市各级政法单位扎实推进教育整顿，取得明显成效。\n处理干警300人。",
        "300人",
        "遂宁市各级政法单位",
        "political_legal",
        id="doer_before_campaign",
    ),
    # the same, with the units that carry the campaign out named in the opening: they come first
]


@pytest.mark.parametrize(("title", "text", "mention", "org", "kind"), LEAD_CASES)
def test_lead_body(title: str | None, text: str, mention: str, org: str | None, kind: str | None) -> None:
    meta = DocumentMeta(title, None, None, None, PUBLISHED, None, "四川省遂宁市", SUINING, None)
    start = text.index(mention)
    (result,) = attribute(text, [(start, start + len(mention))], meta)
    assert (result.org, result.org_kind) == (org, kind)


COURT = "石峰区人民法院"
GOVERNMENT = "石峰区人民政府"
BODY_CASES = [
    # (document body, text, mention, expected org) in a 石峰区 report
    pytest.param(COURT, "我院全年审结案件900件。", "900件", COURT, id="wo_yuan"),
    # "our court concluded 900 cases this year"
    pytest.param(COURT, "本院审判质效指标如下：调解率19%。", "19%", COURT, id="ben_yuan"),
    # "this court's quality indicators: mediation rate 19%"
    pytest.param(None, "我院全年审结案件900件。", "900件", None, id="wo_yuan_body_unknown"),
    # "our court concluded 900 cases" (whose court is not known: stays null)
    pytest.param("某某区统计局", "我院全年审结案件900件。", "900件", "某某区统计局", id="wo_yuan_other_body"),
    # in a statistics bureau's report 我院 is not its body; the figure falls back to the report's body
    pytest.param(GOVERNMENT, "全年实现地区生产总值200亿元。", "200亿元", GOVERNMENT, id="report_body_default"),
    # "GDP of 20 billion yuan this year" in a government work report: the government reports it
    pytest.param(GOVERNMENT, "区法院审结案件900件。", "900件", COURT, id="named_body_wins"),
    # "the district court concluded 900 cases" (a body named in the text comes first)
    pytest.param(GOVERNMENT, "全省生产总值增长5%。", "5%", None, id="other_region_not_the_body"),
    # "the province's GDP grew 5%" (a figure of another division is not the report body's)
]


@pytest.mark.parametrize(("body", "text", "mention", "org"), BODY_CASES)
def test_org_of_a_body_report(body: str | None, text: str, mention: str, org: str | None) -> None:
    start = text.index(mention)
    (result,) = attribute(text, [(start, start + len(mention))], _meta(SHIFENG, body=body))
    assert result.org == org


D = date
PERIOD_CASES = [
    # (publication date, text, mention, expected (period_start, period_end, as_of))
    pytest.param(PUBLISHED, "截至目前，共办理案件30件。", "30件", (None, None, D(2021, 11, 3)), id="as_of_now"),
    # "so far, 30 cases handled"
    pytest.param(PUBLISHED, "截至6月11日，整改问题27个。", "27个", (None, None, D(2021, 6, 11)), id="as_of_day"),
    # "as of 11 June, 27 problems fixed"
    pytest.param(
        PUBLISHED, "截至今年8月底，打掉团伙30个。", "30个", (None, None, D(2021, 8, 31)), id="as_of_month_end"
    ),
    # "as of end of August this year, 30 gangs broken up"
    pytest.param(PUBLISHED, "今年以来，破获案件15起。", "15起", (D(2021, 1, 1), D(2021, 11, 3), None), id="since_jan"),
    # "since the start of this year, 15 cases solved"
    pytest.param(PUBLISHED, "上半年受理案件40件。", "40件", (D(2021, 1, 1), D(2021, 6, 30), None), id="first_half"),
    # "in the first half, 40 cases accepted"
    pytest.param(
        PUBLISHED, "前9个月新收案件99件。", "99件", (D(2021, 1, 1), D(2021, 9, 30), None), id="first_9_months"
    ),
    # "in the first 9 months, 99 new cases"
    pytest.param(PUBLISHED, "前九个月结案88件。", "88件", (D(2021, 1, 1), D(2021, 9, 30), None), id="first_nine_hanzi"),
    # "in the first nine months, 88 cases closed"
    pytest.param(PUBLISHED, "2020年办理案件60件。", "60件", (D(2020, 1, 1), D(2020, 12, 31), None), id="explicit_year"),
    # "in 2020, 60 cases handled"
    pytest.param(PUBLISHED, "去年破获案件900起。", "900起", (D(2020, 1, 1), D(2020, 12, 31), None), id="last_year"),
    # "last year 900 cases solved"
    pytest.param(
        PUBLISHED, "五年来，累计办结案件800件。", "800件", (D(2017, 1, 1), D(2021, 11, 3), None), id="five_years"
    ),
    # "over the past five years, 800 cases concluded" (a report of November: five calendar years up to its date)
    pytest.param(
        REPORTED, "五年来，累计办结案件800件。", "800件", (D(2018, 1, 1), D(2022, 12, 31), None), id="five_years_review"
    ),
    # the same in a work report of early 2023: the five years it reviews, 2018-2022
    pytest.param(
        datetime(2022, 3, 28),
        "三年来，全县共立刑事案件3000起。",
        "3000起",
        (D(2019, 1, 1), D(2021, 12, 31), None),
        id="three_years",
    ),
    # "over three years the county registered 3,000 criminal cases" (a review of March 2022: 2019-2021)
    pytest.param(
        datetime(2016, 4, 20),
        "2016年1月1日至2016年4月15日，该院新收503件，旧存110件，未结27件。",
        "503件",
        (D(2016, 1, 1), D(2016, 4, 15), None),
        id="date_range",
    ),
    # "from 1 January to 15 April 2016 the court received 503 new cases, 110 carried over, 27 pending"
    pytest.param(
        datetime(2016, 4, 20),
        "2016年1月1日至2016年4月15日，该院新收503件，旧存110件，未结27件。",
        "110件",
        (None, None, D(2016, 1, 1)),
        id="opening_stock",
    ),
    # the 110 cases carried over are a stock at the window's first day
    pytest.param(
        datetime(2016, 4, 20),
        "2016年1月1日至2016年4月15日，该院新收503件，旧存110件，未结27件。",
        "27件",
        (None, None, D(2016, 4, 15)),
        id="closing_stock",
    ),
    # the 27 pending cases are a stock at the window's last day
    pytest.param(
        datetime(2012, 4, 25),
        "2012年，全国在押罪犯160万人。",
        "160万人",
        (None, None, D(2012, 4, 25)),
        id="stock_at_date",
    ),
    # "in 2012 the country holds 1.6 million inmates" (a stock in a report of April: at the report's date)
    pytest.param(
        datetime(2022, 5, 5),
        "今年首季共接获投诉319宗。",
        "319宗",
        (D(2022, 1, 1), D(2022, 3, 31), None),
        id="first_quarter",
    ),
    # "in this year's first quarter 319 complaints were received"
    pytest.param(
        datetime(2022, 1, 15),
        "截至去年底，全市共有检察官800名。",
        "800名",
        (None, None, D(2021, 12, 31)),
        id="end_of_last_year",
    ),
    # "by the end of last year the city had 800 prosecutors"
    pytest.param(
        PUBLISHED, "上月，全区受理案件30件。", "30件", (D(2021, 10, 1), D(2021, 10, 31), None), id="last_month"
    ),
    # "last month the district accepted 30 cases" (a report of November)
    pytest.param(
        PUBLISHED,
        "自2018年开展扫黑除恶专项斗争以来，打掉团伙30个。",
        "30个",
        (D(2018, 1, 1), D(2021, 11, 3), None),
        id="since_campaign_began",
    ),
    # "since the campaign against organised crime began in 2018, 30 gangs broken up"
    pytest.param(
        datetime(2016, 4, 20),
        "从三年同期（1月1日至4月15日）的数据看，2015年新收357件。",
        "357件",
        (D(2015, 1, 1), D(2015, 4, 15), None),
        id="same_window_other_year",
    ),
    # "the same period of three years (1 January to 15 April) shows: 357 new cases in 2015" (2015's same window)
    pytest.param(
        REPORTED,
        "2018年至2022年，全省法院审结案件90万件。",
        "90万件",
        (D(2018, 1, 1), D(2022, 12, 31), None),
        id="year_range",
    ),
    # "from 2018 to 2022 the province's courts concluded 900,000 cases"
    pytest.param(
        REPORTED, "过去五年，新增就业20万人。", "20万人", (D(2018, 1, 1), D(2022, 12, 31), None), id="past_five"
    ),
    # "in the past five years 200,000 new jobs" (a report of early 2023)
    pytest.param(
        REPORTED, "十三五期间，累计办理法律援助案件5万件。", "5万件", (D(2016, 1, 1), D(2020, 12, 31), None), id="plan"
    ),
    # "during the 13th five-year plan 50,000 legal-aid cases were handled"
    pytest.param(
        datetime(2021, 10, 20),
        "1-9月，全院新收案件5000件。",
        "5000件",
        (D(2021, 1, 1), D(2021, 9, 30), None),
        id="months",
    ),
    # "January to September: the court received 5,000 new cases"
    pytest.param(
        datetime(2025, 10, 29), "今年第3季立案47人。", "47人", (D(2025, 7, 1), D(2025, 9, 30), None), id="third_quarter"
    ),
    # "in the third quarter of this year 47 people were investigated"
    pytest.param(
        datetime(2025, 10, 29), "超过第1至3季90人的半数。", "90人", (D(2025, 1, 1), D(2025, 9, 30), None), id="quarters"
    ),
    # "more than half of the 90 people of quarters 1 to 3"
    pytest.param(
        datetime(2022, 5, 5),
        "去年共接获投诉2264宗，较前年增加18%。",
        "18%",
        (D(2021, 1, 1), D(2021, 12, 31), None),
        id="base_year_is_not_the_period",
    ),
    # "last year 2,264 complaints, up 18% on the year before" (前年 after 较 is the base of the change)
    pytest.param(
        PUBLISHED, "自2月底以来，共有干警300名参加。", "300名", (D(2021, 2, 28), D(2021, 11, 3), None), id="since"
    ),
    # "since the end of February, 300 officers took part"
    pytest.param(
        PUBLISHED,
        "今年1至9月新收案件50件，比去年同期上升5%。",
        "5%",
        (D(2021, 1, 1), D(2021, 9, 30), None),
        id="same_period_last_year_is_the_base",
    ),
    # "January to September: 50 new cases, up 5% on the same period last year"
    pytest.param(
        datetime(2024, 2, 6),
        "2023年罪案总数90276宗，较2022年的70048宗上升28.9%，破案率为31.1%。",
        "31.1%",
        (D(2023, 1, 1), D(2023, 12, 31), None),
        id="written_base_year_is_not_the_period",
    ),
    # "in 2023, 90,276 crimes, up 28.9% on 2022's 70,048; clearance 31.1%" (2022 is the base, not the period)
    pytest.param(
        datetime(2024, 2, 6),
        "2023年罪案总数90276宗，较2022年的70048宗上升28.9%。",
        "70048宗",
        (D(2022, 1, 1), D(2022, 12, 31), None),
        id="base_year_dates_its_own_figure",
    ),
    # "... up on 2022's 70,048" (the base figure itself is 2022's)
    pytest.param(
        datetime(2016, 11, 25),
        "2016年，全县生产总值340亿元，比2012年增长47.7%；固定资产投资353.7亿元。",
        "353.7亿元",
        (D(2016, 1, 1), D(2016, 12, 31), None),
        id="base_year_does_not_carry",
    ),
    # "in 2016, GDP 34 bn, up 47.7% on 2012; fixed investment 35.37 bn" (2012 does not date the next clause)
    pytest.param(
        datetime(2016, 10, 19),
        "前三季度，工业增加值增长6.0%，增速与上半年持平。分类型看，国有企业增长1.0%。",
        "1.0%",
        (D(2016, 1, 1), D(2016, 9, 30), None),
        id="base_half_year_does_not_carry",
    ),
    # "in the first three quarters industry grew 6.0%, as in the first half. By type, state firms grew 1.0%"
    pytest.param(
        PUBLISHED, "3月18日召开座谈会，收集意见23条。", "23条", (D(2021, 3, 18), D(2021, 3, 18), None), id="event"
    ),
    # "on 18 March a forum collected 23 suggestions"
    pytest.param(
        PUBLISHED,
        "3月18日召开座谈会；共召开会议8次。",
        "8次",
        (None, None, D(2021, 11, 3)),
        id="event_date_stays_in_clause",
    ),
    # "a forum on 18 March; 8 meetings in all" (the date is the forum's, not the total's: a total at publication)
    pytest.param(
        PUBLISHED,
        "今年以来，全区共破获案件30起。抓获嫌疑人12名。",
        "12名",
        (D(2021, 1, 1), D(2021, 11, 3), None),
        id="paragraph_inherits",
    ),
    # "since January, 30 cases solved. 12 suspects caught." (same paragraph, same window)
    pytest.param(
        datetime(2018, 4, 18),
        "今年第一季度，立案下降30%，3月份单月零发案；入户盗窃下降37.5%。",
        "37.5%",
        (D(2018, 1, 1), D(2018, 3, 31), None),
        id="passing_month_stays_in_clause",
    ),
    # "in Q1 filings fell 30%, March alone had none; burglary fell 37.5%" (March is one clause's month)
    pytest.param(
        datetime(2022, 4, 20),
        "一季度社会消费品零售总额增长3.3%。\n3月份，社会消费品零售总额下降3.5%；餐饮收入下降16.4%。",
        "16.4%",
        (D(2022, 3, 1), D(2022, 3, 31), None),
        id="month_opening_its_sentence_carries",
    ),
    # "Q1 retail sales +3.3%. / In March retail sales fell 3.5%; catering fell 16.4%" (March opens the paragraph)
    pytest.param(
        datetime(2023, 2, 2),
        "2022年是关键之年，全年实现产值200亿元。",
        "200亿元",
        (D(2022, 1, 1), D(2022, 12, 31), None),
        id="full_year_of_written_year",
    ),
    # "2022 was a key year; output for the year was 20 billion yuan"
    pytest.param(None, "今年以来，破获案件15起。", "15起", (None, None, None), id="relative_without_date"),
    # "since the start of this year, 15 cases" (document date unknown: stays null)
    pytest.param(None, "截至目前，共办理案件30件。", "30件", (None, None, None), id="as_of_now_without_date"),
    # "so far, 30 cases" (document date unknown)
    pytest.param(
        None, "2021年办理案件60件。", "60件", (D(2021, 1, 1), D(2021, 12, 31), None), id="absolute_year_no_date"
    ),
    # "in 2021, 60 cases handled" (absolute: needs no document date)
    pytest.param(PUBLISHED, "共有群众500人参加。", "500人", (None, None, D(2021, 11, 3)), id="no_period"),
    # "500 residents took part" (no period written: a total at the publication date, which settles it)
    pytest.param(
        REPORTED,
        "2022年工作回顾\n全区新增企业300家。",
        "300家",
        (D(2022, 1, 1), D(2022, 12, 31), None),
        id="heading_year",
    ),
    # "review of 2022 work" / "the district added 300 firms" (the heading's year covers its section)
    pytest.param(
        REPORTED,
        "一、2022年工作回顾\n（一）经济运行\n全区新增企业300家。",
        "300家",
        (D(2022, 1, 1), D(2022, 12, 31), None),
        id="heading_through_subheading",
    ),
    # "1. review of 2022" / "(1) the economy" / "300 new firms" (a sub-heading keeps the outer section's year)
    pytest.param(
        REPORTED,
        "一、2022年工作回顾\n全区新增企业300家。\n二、存在问题\n发现问题10个。",
        "10个",
        (None, None, D(2023, 2, 2)),
        id="next_heading_closes_section",
    ),
    # "1. review of 2022 … 2. problems: 10 problems found" (section 2 names no period)
    pytest.param(
        REPORTED,
        "一、2022年工作回顾\n上半年新增企业300家。",
        "300家",
        (D(2022, 1, 1), D(2022, 6, 30), None),
        id="heading_year_is_context",
    ),
    # "review of 2022" / "300 firms in the first half" (the first half of 2022, not of the report's year)
    pytest.param(
        REPORTED,
        "去年全区破获案件300起\n全区新增企业30家。",
        "30家",
        (None, None, D(2023, 2, 2)),
        id="headline_is_not_a_section",
    ),
    # "last year the district solved 300 cases" as a headline with figures: not a section heading
    pytest.param(
        REPORTED,
        "2022年全区新增企业300家。\n新增项目12个。",
        "12个",
        (None, None, D(2023, 2, 2)),
        id="sentence_is_not_a_heading",
    ),
    # "in 2022, 300 firms. / 12 new projects." (a written year in a sentence covers its own paragraph only)
]


def test_national_lead_body_covers_the_country() -> None:
    # "In 2016 the Supreme People's Court accepted 22,742 cases.\nCourts at all levels concluded 1.116 m criminal
    # cases." (no place named: the lead body is national, so are the courts' figures)
    text = "2016年，最高人民法院受理案件22742件，审结20151件。\n各级法院审结一审刑事案件111.6万件。"
    start = text.index("111.6万件")
    (result,) = attribute(text, [(start, start + 7)], _meta(None))
    assert result.region_code == NATIONAL


@pytest.mark.parametrize(("published", "text", "mention", "expected"), PERIOD_CASES)
def test_period(
    published: datetime | None, text: str, mention: str, expected: tuple[date | None, date | None, date | None]
) -> None:
    result = _one(text, mention, SHIFENG, published)
    assert (result.period_start, result.period_end, result.as_of) == expected


@pytest.mark.parametrize(
    ("published", "text", "mention"),
    [
        pytest.param(PUBLISHED, "0004年办理案件60件。", "60件", id="year_four"),
        # "in the year 4, 60 cases handled" (a misread year)
        pytest.param(PUBLISHED, "9999年1月1日至9999年3月1日受理案件60件。", "60件", id="year_9999_range"),
        # "from 1 January to 1 March 9999, 60 cases accepted"
        pytest.param(datetime(4, 5, 1), "今年以来受理案件60件。", "60件", id="document_dated_year_four"),
        # "60 cases since the start of this year" in a document whose date was misread as the year 4
    ],
)
def test_implausible_years_are_unknown(published: datetime, text: str, mention: str) -> None:
    result = _one(text, mention, SHIFENG, published)
    dates = [d for d in (result.period_start, result.period_end, result.as_of) if d is not None]
    assert all(1900 <= d.year <= 2100 for d in dates)


def test_a_change_takes_the_attribution_of_its_base() -> None:
    text = "今年以来，区公安分局打击犯罪136人，同比上升249%；区法院结案1000件。"
    # "since January the district police struck 136 offenders, up 249% year on year; the court closed 1,000 cases"
    spans = [(text.index(m), text.index(m) + len(m)) for m in ("136人", "249%", "1000件")]
    base, change, other = attribute(text, spans, _meta(SHIFENG), [None, 0, None])
    assert change == base
    assert (base.org, base.org_kind, base.period_start) == ("石峰区公安分局", "police", D(2021, 1, 1))
    assert other.org == "石峰区人民法院"


def test_one_attribution_per_span_in_order() -> None:
    text = "区法院结案500件；区司法局调处纠纷125件。"  # "the court closed 500; the justice bureau mediated 125"
    spans = [(text.index("125件"), text.index("125件") + 4), (text.index("500件"), text.index("500件") + 4)]
    orgs = [a.org for a in attribute(text, spans, _meta(SHIFENG))]
    assert orgs == ["石峰区司法局", "石峰区人民法院"]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        pytest.param("", [(0, 0), (5, 9)], id="empty_text"),
        pytest.param("全区共有干警300名。", [(-5, 10**9), (10, 2)], id="spans_out_of_range"),
        pytest.param("全区共有干警300名。", [("a", "b"), None, (1,)], id="spans_not_numbers"),  # type: ignore[list-item]
        pytest.param("\n\n；；。。", [(0, 6)], id="only_punctuation"),
    ],
)
def test_never_raises(text: str, spans: list[tuple[int, int]]) -> None:
    result = attribute(text, spans, _meta(SHIFENG))
    assert len(result) == len(spans)


def test_never_raises_on_odd_meta() -> None:
    meta = DocumentMeta(None, None, None, None, None, None, "某地", "999999", None)
    assert len(attribute("全市受理案件10件。", [(6, 9)], meta)) == 1
