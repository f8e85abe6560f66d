"""Received files: archive, inbox, dialects, reading, answers, validation, statuses, reports,
templates, tokens, and the submission service the upload page uses."""
