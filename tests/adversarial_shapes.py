"""Shapes of text that once made a document's analysis grow with the square of their length (a clause scan back to
the sentence start per number, a regex retried inside every run of numerals, relations searched over every earlier
metric, …): one piece, repeated. The property test bounds their time; `make bench` prints seconds per MB of each."""

SHAPES = {
    "count_repeated": "12件",  # 12 cases, over and over, no sentence end
    "count_sentences": "12件。",
    "long_sentence": "受理案件12件，同比上升3%，审结",  # a report sentence that never ends
    "arabic_digits": "1",
    "wan": "万",
    "chinese_digits": "一",
    "percent_list": "12%、",
    "rank_repeated": "全省第一",
    "respectively": "分别",
    "open_brackets": "(",
    "open_quotes": "“",
    "range_signs": "5-",
    "changes_repeated": "同比上升3%，",  # changes looking back for the metric they modify
    "breakdowns_repeated": "其中12件",  # 其中 parts looking for their total
    "resolved_repeated": "已解决65个",
    "rates_repeated": "结案12件，结案率5%，",
    "years_repeated": "2021年",
}
