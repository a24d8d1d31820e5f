"""Document metadata read from report headers written for these tests (each with an English gloss)."""

from __future__ import annotations

from datetime import datetime

import pytest

from transforms.metadata import document_metadata, gazetteer

TITLE_CASES = [
    # (text, expected title, expected source)
    pytest.param(
        "<title>某县法院工作报告全文发布</title>\n正文。",
        "某县法院工作报告全文发布",
        "html_title",
        id="html_title",
    ),  # "full text of a county court work report"
    pytest.param(
        "遂宁市召开政法工作推进会议\n2021-05-06 09:00 来源：遂宁日报\n会议指出，要推进工作。",
        "遂宁市召开政法工作推进会议",
        "line_before_byline",
        id="heading_above_dateline",
    ),  # "Suining holds a political-legal work meeting" above its date and source
    pytest.param(
        "全市法律援助工作取得新进展\n\n今年以来，全市办理法律援助案件300件。",
        "全市法律援助工作取得新进展",
        "first_heading_line",
        id="first_heading_line",
    ),  # "new progress in the city's legal aid"
    pytest.param(
        "一、收案情况\n本月受理案件100件。",
        None,
        None,
        id="section_heading_is_not_a_title",
    ),  # "1. cases received" is a numbered section, not a title
]


@pytest.mark.parametrize(("text", "title", "source"), TITLE_CASES)
def test_title(text: str, title: str | None, source: str | None) -> None:
    meta = document_metadata(text)
    assert (meta.title, meta.title_source) == (title, source)


PUBLISHER_CASES = [
    pytest.param(
        "标题行写在这里了\n【2021-11-03】【来源:四川法治报】\n正文。", "四川法治报", "source_label", id="label"
    ),
    # "source: Sichuan Legal Daily"
    pytest.param("某区开展普法宣传活动\n株洲日报·掌上株洲记者/张三\n正文。", "株洲日报", "byline", id="byline"),
    # "Zhuzhou Daily reporter Zhang San"
    pytest.param("新华社北京6月15日电（记者李四）今天，会议召开。", "新华社", "byline", id="dateline"),
    # "Xinhua, Beijing, 15 June: the meeting was held today"
    pytest.param(
        "（2023年1月5日在区人民代表大会上）\n某某区统计局\n各位代表：", "某某区统计局", "author_line", id="author"
    ),
    # "(delivered to the district people's congress) — the district statistics bureau"
    pytest.param("全市受理案件10件。", None, None, id="none"),
    # "the city accepted 10 cases" (no publisher named)
]


@pytest.mark.parametrize(("text", "publisher", "source"), PUBLISHER_CASES)
def test_publisher(text: str, publisher: str | None, source: str | None) -> None:
    meta = document_metadata(text)
    assert (meta.publisher, meta.publisher_source) == (publisher, source)


DATE_CASES = [
    pytest.param(
        "标题行写在这里了\n2021-11-03 10:00:08 来源：某报\n正文。", datetime(2021, 11, 3, 10, 0, 8), id="datetime"
    ),
    # "2021-11-03 10:00:08, source: some paper"
    pytest.param("标题行写在这里了\n发表于 2013-1-19 18:10\n正文。", datetime(2013, 1, 19, 18, 10), id="posted_at"),
    # "posted at 2013-1-19 18:10"
    pytest.param("标题行写在这里了\n新华社 2016年10月22日\n正文。", datetime(2016, 10, 22), id="date_only_midnight"),
    # "Xinhua, 22 October 2016" (date only → midnight)
    pytest.param("每日某网兰州6月15日讯 今天下午召开发布会。", None, id="dateline_without_year"),
    # "Lanzhou, 15 June: a press conference this afternoon" (no year: not guessed)
    pytest.param("全区共有政法干警458名。", None, id="no_date"),
    # "the district has 458 officers"
]

INFERRED_DATE_CASES = [
    pytest.param(
        "某地召开发布会\n某某日报兰州6月15日讯 2021年以来，全省破获案件300起。",
        datetime(2021, 6, 15),
        "dateline+body_year",
        id="dateline_body_year",
    ),  # "Lanzhou, 15 June: since 2021 the province solved 300 cases" (one year written right after the dateline)
    pytest.param(
        "某地召开发布会\n新华社北京10月21日电 " + "会议指出要推进工作。" * 9 + "会议于2016年10月21日召开。",
        datetime(2016, 10, 21),
        "dateline+full_date",
        id="dateline_full_date",
    ),  # "Xinhua, Beijing, 21 October: … the meeting was held on 21 October 2016" (a long line, not a header date)
    pytest.param(
        "某地召开发布会\n某某日报兰州6月15日讯 2020年破案200起，2021年破案300起。",
        None,
        None,
        id="dateline_two_years",
    ),  # "200 cases in 2020, 300 in 2021" (two candidate years: not guessed)
    pytest.param(
        "某地召开发布会\n某某日报兰州6月15日讯 今年以来，全省破获案件300起。",
        None,
        None,
        id="dateline_no_year",
    ),  # "since the start of this year, 300 cases" (no year written: not guessed)
    pytest.param(
        "某地召开发布会\n某某社北京1月10日电 2024年全国刑事案件同比下降25.7%。",
        None,
        None,
        id="early_dateline_reviews_last_year",
    ),  # "Beijing, 10 January: in 2024 criminal cases fell 25.7%" (filed in 2024 or, mostly, in 2025: not guessed)
]


@pytest.mark.parametrize(("text", "published_at", "source"), INFERRED_DATE_CASES)
def test_published_at_inferred(text: str, published_at: datetime | None, source: str | None) -> None:
    meta = document_metadata(text)
    assert (meta.published_at, meta.published_at_source) == (published_at, source)


@pytest.mark.parametrize(("text", "published_at"), DATE_CASES)
def test_published_at(text: str, published_at: datetime | None) -> None:
    meta = document_metadata(text)
    assert meta.published_at == published_at
    assert (meta.published_at_source is None) == (published_at is None)


REGION_CASES = [
    pytest.param(
        "遂宁市召开政法工作推进会议\n2021-05-06 来源：某报\n正文。", "四川省遂宁市", "510900", "title", id="title"
    ),
    # "Suining holds a meeting" — the title's place
    pytest.param(
        "甘肅省政法工作取得明顯成效\n2021-06-15 來源：某報\n正文。", "甘肃省", "620000", "title", id="traditional"
    ),
    # "Gansu's political-legal work shows results" (traditional characters)
    pytest.param("全国法院审判工作会议召开\n2021-06-15 来源：某报\n正文。", "全国", "100000", "title", id="national"),
    # "national court conference held"
    pytest.param(
        "会议召开了。石峰区开展活动。石峰区召开大会。株洲市石峰区发布通知。",
        "湖南省株洲市石峰区",
        "430204",
        "body_mentions",
        id="body_mentions",
    ),  # "Shifeng district held events" named three times in the body
    pytest.param(
        "我市今年办理法律援助案件1500件。\n来源：泉州晚报",
        "福建省泉州市",
        "350500",
        "publisher",
        id="publisher_name",
    ),  # "our city handled 1500 legal-aid cases" — the city is the paper's
    pytest.param(
        "我省今年办理案件1500件，借鉴了如江苏南京的做法。",
        None,
        None,
        None,
        id="example_place_is_not_the_region",
    ),  # "our province handled 1500 cases, drawing on practice such as Nanjing's, Jiangsu" — 南京 is an example
    pytest.param(
        "我省今年办理案件1500件。江苏省南京市来人交流。\n来源：浙江日报",
        "浙江省",
        "330000",
        "publisher",
        id="lone_place_elsewhere",
    ),  # "our province handled 1500 cases; visitors came from Nanjing" — one mention elsewhere is not the region
    pytest.param(
        "杭州市余杭区开展活动。余杭区召开大会。余杭区发布通知。\n来源：浙江日报",
        "浙江省杭州市余杭区",
        "330110",
        "body_mentions",
        id="body_deeper_than_publisher",
    ),  # "Yuhang district held events …" in a provincial paper: the body's district, inside the paper's province
    pytest.param(
        "某某网广州1月22日消息 2019年，广东省纪检监察机关立案3.1万件。全省处分2.4万人。",
        "广东省",
        "440000",
        "body_mentions",
        id="dateline_place_is_not_the_region",
    ),  # "Guangzhou, 22 January: in 2019 Guangdong's discipline bodies opened 31,000 cases" (filed in Guangzhou)
    pytest.param(
        "本港去年共录得罪案90276宗。全港警方拘捕3200人。", "香港特别行政区", "810000", "body_mentions", id="region_word"
    ),
    # "this port recorded 90,276 crimes last year; the police of the whole territory arrested 3,200" (本港 and 全港
    # name Hong Kong by themselves)
    pytest.param("我院本月受理案件100件。", None, None, None, id="unknown"),
    # "our court accepted 100 cases this month" (no place anywhere)
]


@pytest.mark.parametrize(("text", "region", "code", "source"), REGION_CASES)
def test_region(text: str, region: str | None, code: str | None, source: str | None) -> None:
    meta = document_metadata(text)
    assert (meta.region, meta.region_code, meta.region_source) == (region, code, source)


BODY_CASES = [
    pytest.param(
        "石峰区人民法院工作报告\n——2022年1月5日在区人民代表大会上\n各位代表：",
        "石峰区人民法院",
        "title",
        id="court_report_title",
    ),  # "work report of the Shifeng district court"
    pytest.param(
        "2023年政府工作报告\n——在株洲市石峰区人民代表大会上\n石峰区今年新增企业。石峰区",
        "石峰区人民政府",
        "title_government_report",
        id="government_report",
    ),  # "2023 government work report" of 石峰区 → its people's government
    pytest.param(
        "（2023年1月5日在区人民代表大会上）\n某某区统计局\n各位代表：", "某某区统计局", "author_line", id="author"
    ),  # a body's name on its own line under the delivery note
    pytest.param(
        "（2023年2月2日在余杭区人民代表大会上）\n杭州市余杭区发展和改革局\n受区人民政府委托，向大会报告计划执行情况。",
        "余杭区人民政府",
        "on_behalf_of",
        id="delivered_for_the_government",
    ),  # a bureau "entrusted by the district government" reports for that government
    pytest.param(
        "关于全市法院工作报告的决议\n2021-05-06 来源：某报\n正文。", None, None, id="resolution_about_a_report"
    ),  # "resolution on the courts' work report": the title does not open with the body
    pytest.param(
        "遂宁市召开政法工作推进会议\n2021-05-06 来源：遂宁日报\n正文。", None, None, id="news_article"
    ),  # a newspaper is a publisher, not a reporting body
    pytest.param(
        "武定县乡村治理对策思考\n日期:2022年03月28日   来源:县公安局\n武定县开展工作。武定县推进治理。",
        "武定县公安局",
        "source_label",
        id="source_is_a_body",
    ),  # "source: the county public security bureau" on a county site: the bureau's own page
    pytest.param(
        "法院工作新闻\n2021-05-06 来源：人民法院报\n正文。", None, None, id="source_is_a_newspaper"
    ),  # "source: People's Court Daily" is a newspaper, not a body
]


@pytest.mark.parametrize(("text", "body", "source"), BODY_CASES)
def test_body(text: str, body: str | None, source: str | None) -> None:
    meta = document_metadata(text)
    assert (meta.body, meta.body_source) == (body, source)


@pytest.mark.parametrize(
    ("code", "full_name"),
    [
        pytest.param("430204", "湖南省株洲市石峰区", id="district"),  # Shifeng district of Zhuzhou, Hunan
        pytest.param("510981", "四川省遂宁市射洪市", id="county_level_city"),  # Shehong under Suining
        pytest.param("120000", "天津市", id="municipality"),  # Tianjin appears once
        pytest.param("469006", "海南省万宁市", id="province_governed_city"),  # Wanning has no prefecture
    ],
)
def test_gazetteer_full_name(code: str, full_name: str) -> None:
    assert gazetteer().full_name(code) == full_name


@pytest.mark.parametrize(
    ("text", "source_name", "published_at", "source"),
    [
        pytest.param("全区办理案件30件。", "2021-11-03_report", datetime(2021, 11, 3), "file_name", id="file_name"),
        # "the district handled 30 cases" in a file named by its date: the last resort
        pytest.param("全区办理案件30件。", "report_20211103", datetime(2021, 11, 3), "file_name", id="compact"),
        pytest.param(
            "标题\n2022-01-10 08:00\n全区办理案件30件。",
            "2021-11-03_report",
            datetime(2022, 1, 10, 8),
            "header_datetime",
            id="text_wins",
        ),  # a date in the text wins over the file name's
        pytest.param("全区办理案件30件。", "d12_report_2007", None, None, id="year_alone_is_no_date"),
        pytest.param("全区办理案件30件。", "20211399", None, None, id="impossible_date"),
    ],
)
def test_published_at_from_file_name(
    text: str, source_name: str, published_at: datetime | None, source: str | None
) -> None:
    meta = document_metadata(text, source_name)
    assert (meta.published_at, meta.published_at_source) == (published_at, source)


@pytest.mark.parametrize(
    ("text", "published_at"),
    [
        pytest.param("标题行\n【2021-11-03 10:00:08】\n正文。", datetime(2021, 11, 3, 10, 0, 8), id="bracketed"),
        pytest.param("标题行\n发布时间：2021年11月3日\n正文。", datetime(2021, 11, 3), id="posted_label"),
    ],
)
def test_published_at_forms(text: str, published_at: datetime) -> None:
    assert document_metadata(text).published_at == published_at


def test_never_raises_on_empty_text() -> None:
    meta = document_metadata("")
    assert meta.title is None and meta.region is None and meta.published_at is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # 'studying the experience of converting Longhui county': 化隆 opens 化隆回族自治县 but does not complete it;
        # the county after it is still found
        ("学习转化隆回县经验", ["隆回县"]),
        ("化隆回族自治县", ["化隆回族自治县"]),  # the longer name wins where it is complete
        ("株洲市石峰区", ["株洲市", "石峰区"]),
    ],
)
def test_place_names_are_found_longest_first_left_to_right(text: str, names: list[str]) -> None:
    assert [text[m.start : m.end] for m in gazetteer().mentions(text)] == names
