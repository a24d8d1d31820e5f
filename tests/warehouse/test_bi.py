"""BI access through SQLAlchemy and duckdb-engine, read-only, with the versions the README names as working."""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import sqlalchemy as sa
from packaging.version import Version

from warehouse.store import publish


def test_duckdb_engine_reads_and_reflects_the_published_warehouse_read_only(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(target, lambda con: None)
    # the combination the README's BI section names as working
    assert Version(sa.__version__) < Version("2.1") and Version(duckdb.__version__) >= Version("2.0")
    engine = sa.create_engine(f"duckdb:///{target}?access_mode=read_only")
    try:
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from metrics_by_region")).fetchall() == [(0,)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duckdb-engine warns that it does not reflect indexes
            inspector = sa.inspect(engine)
            columns = {c["name"]: c for c in inspector.get_columns("metrics")}
            views = set(inspector.get_view_names())
        assert columns["value"]["comment"] and "value" in columns and "mention" in columns
        assert {"metrics_by_region", "metrics_by_organisation", "consistency_checks"} <= views
    finally:
        engine.dispose()
