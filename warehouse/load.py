"""Writing one run's validated frames into an open (unpublished) warehouse copy.

Documents are replaced by `doc_id`: loading a new version of a file removes the rows of its earlier versions, so a
re-run over the same inputs leaves the same rows.
"""

from __future__ import annotations

import duckdb
import pandas as pd


def load_run(
    con: duckdb.DuckDBPyConnection,
    run: dict[str, object],
    documents: pd.DataFrame,
    metrics: pd.DataFrame,
    rejections: pd.DataFrame,
) -> None:
    """Insert one run's documents, metrics, rejections and its `runs` row, replacing older versions."""
    run_id = run["run_id"]
    con.register("new_documents", documents.assign(run_id=run_id))
    con.register("new_metrics", metrics.assign(run_id=run_id))
    con.register("new_rejections", rejections.assign(run_id=run_id))
    con.execute("delete from metrics where doc_id in (select doc_id from new_documents)")
    con.execute("delete from documents where doc_id in (select doc_id from new_documents)")
    con.execute("insert into documents by name select * from new_documents")
    con.execute(
        "insert into metrics by name select * replace (cast(value as decimal(38, 6)) as value) from new_metrics"
    )
    con.execute("insert into rejections by name select * from new_rejections")
    con.register("new_run", pd.DataFrame([run]))
    con.execute("insert into runs by name select * from new_run")
    for name in ("new_documents", "new_metrics", "new_rejections", "new_run"):
        con.unregister(name)
