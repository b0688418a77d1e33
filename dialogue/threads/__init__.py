"""Citizen discussion threads: a verified citizen opens a topic, others reply through the
conversation layer and support it; one addressed to an agency that gathers enough support
obliges the agency to reply officially."""
