"""Achievements ("réalisations exemplaires"): sheets territories write, their review, peer
feedback and the recommendations built from them."""
