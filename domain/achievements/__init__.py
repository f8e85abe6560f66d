"""Exemplary achievements (« réalisations exemplaires ») shared by territories: the sheet,
its contributions store, the published tables and the recommendations of peers' sheets."""
