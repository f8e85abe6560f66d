"""Internal errors met while handling a received file: logged once, with a short reference
that the user is shown in French instead of a traceback.

An error in the file itself is never an incident: the reading boundary
(:mod:`.dialects`) turns it into a French report. An incident is a fault of the observatory
(a bug, a full disk): its trace goes to the log with the reference, the user gets the
reference to quote.
"""

from __future__ import annotations

import logging
import uuid

logger = logging.getLogger("observatoire.incidents")


def record_incident(error: BaseException, what: str, log: bool = True) -> str:
    """Give ``error`` a new reference (8 hex digits), log it once, return the reference.

    The reference is added to the exception's notes, so that its trace carries it wherever
    it is printed; ``log=False`` leaves the logging to a caller that logs the trace itself
    (the pipeline's asset, in the run's Dagster log).
    """
    reference = uuid.uuid4().hex[:8]
    error.add_note(f"Incident {reference} : {what}")
    if log:
        logger.error("Incident %s : %s", reference, what, exc_info=error)
    return reference


def incident_message(reference: str) -> str:
    """What the user reads about an internal error, in French."""
    return (
        f"Erreur interne de l'observatoire (référence {reference}) : votre fichier n'est pas "
        "en cause. Réessayez plus tard ; si l'erreur persiste, écrivez à l'équipe de "
        f"l'observatoire en citant la référence {reference}."
    )
