"""Polls run by agencies: single choice, multiple choice and short free-text questions, an
audience rule, one submission per person, results as charts and CSV."""
