"""Statuses of received files once later files are taken into account."""

import pandas as pd

from schemas.vocabulary import ACCEPTED, CORRECTED, REJECTED, SUPERSEDED


def file_statuses(files: pd.DataFrame) -> pd.Series:
    """Status of each file once later files are taken into account.

    An accepted file stays ``acceptée`` while it is the latest accepted one for at least one
    (territory, millésime) it holds, and becomes ``remplacée`` otherwise. A rejected file
    stays in quarantine (``rejetée``) until a later accepted file covers everything it
    declared (``corrigée``). ``files`` has columns ``received_at``, ``file_name``,
    ``status`` (acceptée or rejetée) and ``declared`` (list of (territory, millésime)).
    """
    order = files[["received_at", "file_name"]].apply(tuple, axis=1).rank(method="dense")
    pairs = files.assign(order=order)[["order", "status", "declared"]].explode("declared")
    pairs = pairs.dropna(subset=["declared"])
    pairs["pair"] = pairs["declared"].map(tuple)
    latest = pairs.loc[pairs["status"] == ACCEPTED].groupby("pair")["order"].max()
    latest_order = pairs["pair"].map(latest)
    current_any = (latest_order == pairs["order"]).groupby(level=0).any()
    covered_all = (latest_order > pairs["order"]).groupby(level=0).all()
    current_any = current_any.reindex(files.index, fill_value=False)
    covered_all = covered_all.reindex(files.index, fill_value=False)
    status = files["status"].copy()
    status[(files["status"] == ACCEPTED) & ~current_any] = SUPERSEDED
    status[(files["status"] == REJECTED) & covered_all] = CORRECTED
    return status
