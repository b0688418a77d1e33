"""One search over everything: Elasticsearch when a cluster is configured, the database's
full-text search otherwise (and whenever the cluster is unreachable)."""
