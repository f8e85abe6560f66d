"""Exemplary achievements ("réalisations exemplaires") shared by territories.

A territory describes what it did (context, partners, budget, results, lessons, what it
would take to adapt it elsewhere) in a sheet whose fields are data
(``data/realisations/fiche_v1.yaml``, read by :mod:`schemas.achievement_sheet`):
:mod:`~domain.achievements.sheet` reads and checks a sheet from a file or the form and
writes its canonical Markdown file, :mod:`~domain.achievements.values` reads and writes its
values the French way (numbers, amounts, dates, fundings), :mod:`~domain.achievements.template` writes the blank
templates, :mod:`~domain.achievements.references` gives the codes a sheet is checked
against; :mod:`~domain.achievements.ledger` is the contributions store (every version,
review, support and comment, append-only) and :mod:`~domain.achievements.service` what pages
and the command line call to write in it, tokens checked;
:mod:`~domain.achievements.tables` turns the store's history into the published tables and
:mod:`~domain.achievements.recommendations` ranks peers' sheets on a territory's weak axes.
"""
