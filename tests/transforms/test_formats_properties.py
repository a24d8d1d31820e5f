"""Properties of the canonical text: every block and cell span points at its own text, pages are in order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transforms.formats import Block, compose

_TEXT = st.text(alphabet=st.sampled_from("全区458名政法干警，。%\n\t  12.5件"), max_size=12)
_ROW = st.lists(_TEXT, min_size=1, max_size=4)
_BLOCK = st.one_of(
    st.builds(lambda t: ("paragraph", t), _TEXT),
    st.builds(lambda t: ("heading", t), _TEXT),
    st.builds(lambda rows: ("table", rows), st.lists(_ROW, min_size=1, max_size=4)),
)


@given(st.lists(st.tuples(_BLOCK, st.integers(min_value=0, max_value=2)), max_size=8))
def test_cells_and_blocks_point_at_their_text(items: list[tuple[tuple[str, object], int]]) -> None:
    blocks, page = [], 1
    for (kind, content), step in items:
        page += step
        if kind == "table":
            rows = content if isinstance(content, list) else []
            width = max(len(r) for r in rows)
            blocks.append(Block("table", rows=tuple(tuple(r + [""] * (width - len(r))) for r in rows), page=page))
        else:
            blocks.append(Block(kind, str(content), page=page))
    text, layout = compose(blocks)
    for span in layout.blocks:
        assert 0 <= span.start <= span.end <= len(text)
        assert "\n" not in text[span.start : span.end] or span.kind == "table"
        assert layout.page_at(span.start) == span.page
    for table in layout.tables:
        for row in table.rows:
            for cell in row:
                assert text[cell.start : cell.end] == cell.text
                assert "\t" not in cell.text and "\n" not in cell.text
    assert list(layout.page_starts) == sorted(layout.page_starts)
